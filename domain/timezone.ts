// Wall-clock arithmetic in an IANA time zone with Intl only: local date + minute of day ↔ UTC instant.
//
// DST policy (deterministic, the same everywhere in the product):
// - Gap (spring forward: the local time does not exist, e.g. 02:30 in New York on 2026-03-08): the
//   time maps to the FIRST VALID INSTANT after the gap, i.e. the transition itself (02:30 → 03:00 EDT).
//   Every wall-clock time inside one gap maps to the same instant, so a working interval that lies
//   wholly in a gap is empty, and one that straddles it has its real (shorter) length.
// - Overlap (fall back: the local time happens twice, e.g. 01:30 in New York on 2026-11-01): the
//   EARLIER occurrence by default (`prefer: 'later'` gives the second one). A working interval
//   01:00–03:00 on that day therefore lasts its real 3 hours.
// - Offsets are read from the runtime's tz database (ICU) through Intl.DateTimeFormat. A calendar day
//   is assumed to contain at most one offset transition (true for every zone in use today).

export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;
export type Disambiguation = 'earlier' | 'later';

const MINUTE = 60_000;
const DAY = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // Throws RangeError for an unknown zone.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone this runtime knows (for validating `clinics.timezone`). */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone === '') return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds since the epoch of `date` (YYYY-MM-DD) at 00:00 *as if it were UTC*; throws on a bad date. */
export function naiveDayMs(date: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`invalid local date ${JSON.stringify(date)} (expected YYYY-MM-DD)`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== date) throw new RangeError(`invalid local date ${JSON.stringify(date)}`);
  return ms;
}

export function isLocalDate(date: string): boolean {
  try {
    naiveDayMs(date);
    return true;
  } catch {
    return false;
  }
}

/** `date` plus `n` calendar days (YYYY-MM-DD). */
export function addLocalDays(date: string, n: number): string {
  return new Date(naiveDayMs(date) + n * DAY).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (YYYY-MM-DD; NaN for a bad date). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}

/** The calendar date (YYYY-MM-DD) of `instant` in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/** Day of the week of a calendar date, 0 = Sunday (as in professional_working_hours). */
export function weekdayOf(date: string): Weekday {
  return new Date(naiveDayMs(date)).getUTCDay() as Weekday;
}

export interface LocalParts {
  /** Calendar date in the zone, YYYY-MM-DD. */
  date: string;
  /** Whole minutes since local midnight (seconds dropped), 0…1439. */
  minute: number;
  weekday: Weekday;
}

export interface LocalDay {
  date: string;
  weekday: Weekday;
  /** Instant (ms) of this day's local 00:00 (the first valid instant if midnight is in a gap). */
  start: number;
  /** Instant (ms) of the next day's local 00:00; end − start is 23, 24 or 25 h on DST days. */
  end: number;
  /** Instant (ms) of `minute` (0…1440) wall-clock minutes into this day, with the DST policy above. */
  toInstant(minute: number): number;
}

/**
 * Conversions for one zone, memoising offsets by instant: meant to live for one computation (one
 * `getSlots` call), where consecutive days ask for the same probe instants.
 */
export interface Zone {
  timeZone: string;
  /** Local time minus UTC at `instant`, in ms (e.g. −3 h for São Paulo). */
  offsetMs(instant: number): number;
  localParts(instant: number): LocalParts;
  localDate(instant: number): string;
  /** Instant (ms) of local `date` at `minute` minutes after midnight (0…1440, may be fractional). */
  toUtc(date: string, minute: number, prefer?: Disambiguation): number;
  day(date: string): LocalDay;
}

/** What a calendar day needs to turn wall-clock minutes into instants without asking Intl again. */
interface DayInfo {
  naive: number;
  weekday: Weekday;
  /** Offset (ms) before and after the transition near this day; equal when there is none. */
  offsetBefore: number;
  offsetAfter: number;
  /** The transition instant (ms), NaN when there is none. */
  transition: number;
}

// Day shapes never change for a given zone (the tz database is fixed for the process), so they are
// shared across calls; the cap only bounds memory.
const DAY_CACHE_LIMIT = 20_000;
const dayCache = new Map<string, DayInfo>();

function instantOfDay(d: DayInfo, minute: number, prefer: Disambiguation): number {
  const naive = d.naive + minute * MINUTE;
  if (Number.isNaN(d.transition)) return naive - d.offsetBefore;
  const early = naive - d.offsetBefore; // the reading if this wall time is before the transition
  const late = naive - d.offsetAfter; // … and if it is after
  const earlyValid = early < d.transition;
  const lateValid = late >= d.transition;
  if (earlyValid && lateValid) return prefer === 'later' ? Math.max(early, late) : Math.min(early, late); // overlap
  if (earlyValid) return early;
  if (lateValid) return late;
  return d.transition; // gap: first valid instant
}

export function createZone(timeZone: string): Zone {
  const fmt = formatterFor(timeZone);
  const offsets = new Map<number, number>();

  function wallMs(instant: number): number {
    let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    for (const p of fmt.formatToParts(instant)) {
      switch (p.type) {
        case 'year': y = Number(p.value); break;
        case 'month': mo = Number(p.value); break;
        case 'day': d = Number(p.value); break;
        case 'hour': h = Number(p.value); break;
        case 'minute': mi = Number(p.value); break;
        case 'second': s = Number(p.value); break;
      }
    }
    return Date.UTC(y, mo - 1, d, h, mi, s);
  }

  function offsetMs(instant: number): number {
    let o = offsets.get(instant);
    if (o === undefined) {
      // Intl works to the second; drop the milliseconds so the difference is the pure offset.
      o = wallMs(instant) - (instant - (((instant % 1000) + 1000) % 1000));
      offsets.set(instant, o);
    }
    return o;
  }

  function localParts(instant: number): LocalParts {
    const wall = instant + offsetMs(instant);
    const d = new Date(wall);
    return {
      date: d.toISOString().slice(0, 10),
      minute: d.getUTCHours() * 60 + d.getUTCMinutes(),
      weekday: d.getUTCDay() as Weekday,
    };
  }

  function dayInfo(date: string): DayInfo {
    const key = `${timeZone}|${date}`;
    const cached = dayCache.get(key);
    if (cached) return cached;
    const naive = naiveDayMs(date);
    // Every instant whose wall time falls on this day or at the next midnight lies strictly between
    // these probes (offsets are within ±14 h); equal offsets there mean no transition to handle.
    const lo = naive - DAY;
    const hi = naive + 2 * DAY;
    const offsetBefore = offsetMs(lo);
    const offsetAfter = offsetMs(hi);
    let transition = NaN;
    if (offsetBefore !== offsetAfter) {
      // Binary search, to the second (tzdb transitions fall on whole seconds), for the first instant
      // with the new offset.
      let a = lo / 1000;
      let b = hi / 1000;
      while (b - a > 1) {
        const mid = Math.floor((a + b) / 2);
        if (offsetMs(mid * 1000) === offsetBefore) a = mid;
        else b = mid;
      }
      transition = b * 1000;
    }
    const info: DayInfo = { naive, weekday: new Date(naive).getUTCDay() as Weekday, offsetBefore, offsetAfter, transition };
    if (dayCache.size >= DAY_CACHE_LIMIT) dayCache.clear();
    dayCache.set(key, info);
    return info;
  }

  function toUtc(date: string, minute: number, prefer: Disambiguation = 'earlier'): number {
    // Minutes past the next midnight belong to a later day's shape.
    let d = date;
    let m = minute;
    if (m < 0 || m > 1440) {
      const days = Math.floor(m / 1440);
      d = addLocalDays(date, days);
      m -= days * 1440;
    }
    return instantOfDay(dayInfo(d), m, prefer);
  }

  function day(date: string): LocalDay {
    const info = dayInfo(date);
    const start = instantOfDay(info, 0, 'earlier');
    const end = instantOfDay(info, 1440, 'earlier');
    if (Number.isNaN(info.transition)) {
      return { date, weekday: info.weekday, start, end, toInstant: (minute) => start + minute * MINUTE };
    }
    return { date, weekday: info.weekday, start, end, toInstant: (minute) => instantOfDay(info, minute, 'earlier') };
  }

  return {
    timeZone,
    offsetMs,
    localParts,
    localDate: (instant) => localParts(instant).date,
    toUtc,
    day,
  };
}

/** Local calendar date, minute of day and weekday of `instant` in `timeZone`. */
export function localParts(instant: Date, timeZone: string): LocalParts {
  return createZone(timeZone).localParts(instant.getTime());
}

/** Local time minus UTC at `instant` in `timeZone`, in minutes (−180 for São Paulo). */
export function offsetMinutesAt(instant: Date, timeZone: string): number {
  return createZone(timeZone).offsetMs(instant.getTime()) / MINUTE;
}

/**
 * The UTC instant of local `date` (YYYY-MM-DD) at `minuteOfDay` (0…1440; 1440 = next midnight) in
 * `timeZone`. A time in a DST gap gives the transition instant (first valid instant); an ambiguous
 * time gives the earlier occurrence unless `prefer` is 'later'.
 */
export function zonedTimeToUtc(date: string, minuteOfDay: number, timeZone: string, prefer: Disambiguation = 'earlier'): Date {
  if (!Number.isFinite(minuteOfDay)) throw new RangeError('minuteOfDay must be a finite number');
  return new Date(createZone(timeZone).toUtc(date, minuteOfDay, prefer));
}

/** Instants of local midnight of `date` and of the next day: the real length of that day. */
export function localDayBounds(date: string, timeZone: string): { start: Date; end: Date } {
  const d = createZone(timeZone).day(date);
  return { start: new Date(d.start), end: new Date(d.end) };
}
