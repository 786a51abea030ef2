// Free-slot detection (agendamentos.getSlots): working hours − holidays − appointments − blocks −
// external busy times, for a procedure's duration, in the clinic's time zone. Pure: `now` is an input.
//
// A slot [start, start + duration) is offered for a professional when
// - its start's local date is within [from, to], is not a clinic holiday, and is ≤ today + horizonDays
//   (today = the local date of `now`);
// - it lies entirely inside ONE working interval of that local day: the date override for the day if
//   there is one (an empty override = closed), otherwise the weekly hours for its weekday. Touching
//   intervals (08:00–12:00, 12:00–18:00) stay separate; overlapping ones are merged;
// - start is aligned to `slotIntervalMinutes` counted in elapsed time from the start of that working
//   interval (the same as wall-clock alignment except across a DST change inside the interval);
// - [start − bufferBefore, end + bufferAfter) overlaps no busy interval (busy intervals are half-open);
// - start ≥ now + minNotice.
// Local times go through the zone with the DST policy of ./timezone.ts: a working interval on a DST
// day has its real length (New York 01:00–04:00 lasts 2 h on 2026-03-08 and 00:00–03:00 lasts 4 h on
// 2026-11-01), a bound inside a gap moves forward to the transition instant, an ambiguous bound takes
// its earlier occurrence. Internally everything is UTC milliseconds; busy times are swept once per
// professional (sorted, merged), so a call costs O(days × professionals + slots + busy log busy).
import { addLocalDays, createZone, isLocalDate, type Weekday, type Zone } from './timezone';

export { DEFAULT_SLOT_SETTINGS, type SlotSettings } from './clinic-settings';
import { DEFAULT_SLOT_SETTINGS, type SlotSettings } from './clinic-settings';

/** Local wall-clock minutes (0…1440), weekday 0 = Sunday (as in professional_working_hours). */
export interface WorkingInterval {
  weekday: Weekday;
  startMinute: number;
  endMinute: number;
}

export interface Busy {
  start: Date;
  end: Date;
  kind?: 'appointment' | 'block' | 'external';
}

export interface DateOverride {
  /** Local date, YYYY-MM-DD. */
  date: string;
  /** Replaces the weekly hours of that date; empty = closed that day. */
  intervals: Array<{ startMinute: number; endMinute: number }>;
}

export interface ProfessionalAvailability {
  professionalId: string;
  workingHours: WorkingInterval[];
  /** Non-cancelled appointments, time blocks, external (Google) busy times. */
  busy: Busy[];
  dateOverrides?: DateOverride[];
}

/** What `fitsAvailability` needs: everything about the clinic, nothing about the search window. */
export interface AvailabilityContext {
  timeZone: string;
  now: Date;
  settings: SlotSettings;
  /** Local dates (YYYY-MM-DD) on which the clinic is closed. */
  holidays: string[];
  professionals: ProfessionalAvailability[];
}

export interface SlotQuery extends AvailabilityContext {
  /** Local dates YYYY-MM-DD, both inclusive. */
  from: string;
  to: string;
  durationMinutes: number;
  limit?: number;
}

export interface Slot {
  professionalId: string;
  start: Date;
  end: Date;
}

export type FitResult =
  | { ok: true }
  | { ok: false; reason: 'outside_hours' | 'holiday' | 'busy' | 'notice' | 'horizon'; conflict?: Busy };

const MINUTE = 60_000;

/** Clinic settings with defaults filled in (e.g. from a partial `clinics.settings` entry), validated. */
export function slotSettings(partial: Partial<SlotSettings> = {}): SlotSettings {
  const s: SlotSettings = { ...DEFAULT_SLOT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SLOT_SETTINGS) as Array<keyof SlotSettings>) {
    if (partial[key] !== undefined) s[key] = partial[key] as number;
  }
  checkSettings(s);
  return s;
}

/**
 * Every free slot in [from, to], sorted by start then professionalId (code-unit order), at most `limit`.
 * Throws RangeError on malformed input (unknown zone, bad date, non-positive duration, …): the API
 * validates its input first, and database rows satisfy the same constraints.
 */
export function getSlots(q: SlotQuery): Slot[] {
  return findSlots(q, -Infinity, q.from, q.limit);
}

/**
 * The first `count` free slots starting at or after `after` (and within q.from…q.to): what the API
 * offers instead when a booking lost the race for its slot (409).
 */
export function nextFreeSlots(q: SlotQuery & { after: Date; count: number }): Slot[] {
  const after = instantOf(q.after, 'after');
  if (!Number.isInteger(q.count) || q.count < 0) throw new RangeError('count must be a non-negative integer');
  const zone = createZone(q.timeZone);
  const afterDay = zone.localDate(after);
  return findSlots(q, after, afterDay > q.from ? afterDay : q.from, q.count, zone);
}

/**
 * Whether `professionalId` can take [start, start + durationMinutes) under the same rules as getSlots,
 * except alignment to the slot interval (staff may book 10:10) and the from/to window. The reasons are
 * checked in this order — holiday, outside_hours, busy, notice, horizon — so 'notice' and 'horizon'
 * imply the time is otherwise free (the API may let staff override those two). 'busy' carries the
 * earliest-starting conflicting busy interval (buffers included). An unknown professional is
 * 'outside_hours'. For a reschedule, leave the appointment being moved out of `busy`.
 */
export function fitsAvailability(q: AvailabilityContext, professionalId: string, start: Date, durationMinutes: number): FitResult {
  checkSettings(q.settings);
  checkDuration(durationMinutes);
  const zone = createZone(q.timeZone);
  const now = instantOf(q.now, 'now');
  const t = instantOf(start, 'start');
  const end = t + durationMinutes * MINUTE;
  const date = zone.localDate(t);

  if (q.holidays.includes(date)) return { ok: false, reason: 'holiday' };
  const p = q.professionals.find((x) => x.professionalId === professionalId);
  if (!p) return { ok: false, reason: 'outside_hours' };
  const day = zone.day(date);
  const intervals = prepareProfessional(p).intervalsFor(date, day.weekday);
  if (!intervals.some(([a, b]) => day.toInstant(a) <= t && end <= day.toInstant(b))) return { ok: false, reason: 'outside_hours' };

  const lo = t - q.settings.bufferBeforeMinutes * MINUTE;
  const hi = end + q.settings.bufferAfterMinutes * MINUTE;
  let conflict: Busy | undefined;
  for (const b of p.busy) {
    const bs = instantOf(b.start, 'busy.start');
    const be = instantOf(b.end, 'busy.end');
    if (bs < hi && be > lo && bs < be && (!conflict || bs < conflict.start.getTime())) conflict = b;
  }
  if (conflict) return { ok: false, reason: 'busy', conflict };
  if (t < now + q.settings.minNoticeMinutes * MINUTE) return { ok: false, reason: 'notice' };
  if (date > addLocalDays(zone.localDate(now), q.settings.horizonDays)) return { ok: false, reason: 'horizon' };
  return { ok: true };
}

/** "Any professional": one slot per start time, the first professional (by id) free then. */
export function anyProfessional(slots: Slot[]): Slot[] {
  const out: Slot[] = [];
  let last = NaN;
  for (const s of slots) {
    const t = s.start.getTime();
    if (t !== last) out.push(s);
    last = t;
  }
  return out;
}

/**
 * A professional's working time in [from, to] (local dates, inclusive) as instants: the intervals getSlots
 * would fill (the day's override if any, else the weekly hours; nothing on a clinic holiday), merged per
 * day, sorted. Busy times are not taken out: that is the caller's arithmetic (occupancy, domain/reports.ts).
 */
export function workingWindows(
  q: Pick<AvailabilityContext, 'timeZone' | 'holidays'> & { professional: ProfessionalAvailability },
  from: string,
  to: string,
): Array<{ start: Date; end: Date }> {
  if (!isLocalDate(from) || !isLocalDate(to)) throw new RangeError('from and to must be local dates YYYY-MM-DD');
  const zone = createZone(q.timeZone);
  const holidays = new Set(q.holidays);
  const p = prepareProfessional(q.professional);
  const out: Array<{ start: Date; end: Date }> = [];
  for (let date = from; date <= to; date = addLocalDays(date, 1)) {
    if (holidays.has(date)) continue;
    const day = zone.day(date);
    for (const [a, b] of p.intervalsFor(date, day.weekday)) {
      const s = day.toInstant(a);
      const e = day.toInstant(b);
      if (e > s) out.push({ start: new Date(s), end: new Date(e) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------

interface Prepared {
  id: string;
  intervalsFor(date: string, weekday: Weekday): Array<[number, number]>;
  /** Merged busy intervals (disjoint, sorted), as parallel arrays of instants. */
  busyStart: number[];
  busyEnd: number[];
}

function findSlots(q: SlotQuery, after: number, from: string, limit: number | undefined, zone: Zone = createZone(q.timeZone)): Slot[] {
  const { settings } = q;
  checkSettings(settings);
  checkDuration(q.durationMinutes);
  if (!isLocalDate(from) || !isLocalDate(q.to)) throw new RangeError('from and to must be local dates YYYY-MM-DD');
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw new RangeError('limit must be a non-negative integer');
  const max = limit ?? Infinity;
  if (max === 0) return [];

  const now = instantOf(q.now, 'now');
  const today = zone.localDate(now);
  // Days before today cannot hold a start ≥ now; days after the horizon are not offered.
  const first = from > today ? from : today;
  const horizonEnd = addLocalDays(today, settings.horizonDays);
  const last = q.to < horizonEnd ? q.to : horizonEnd;
  if (first > last) return [];

  const earliest = Math.max(now + settings.minNoticeMinutes * MINUTE, after);
  const dur = q.durationMinutes * MINUTE;
  const step = settings.slotIntervalMinutes * MINUTE;
  const before = settings.bufferBeforeMinutes * MINUTE;
  const afterBuf = settings.bufferAfterMinutes * MINUTE;
  const holidays = new Set(q.holidays);
  const profs = q.professionals.map(prepareProfessional).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const cursor = new Array<number>(profs.length).fill(0);

  const out: Slot[] = [];
  const perProf: number[][] = profs.map(() => []);
  const heads = new Array<number>(profs.length).fill(0);
  for (let date = first; date <= last && out.length < max; date = addLocalDays(date, 1)) {
    if (holidays.has(date)) continue;
    const day = zone.day(date);
    for (let pi = 0; pi < profs.length; pi++) {
      const p = profs[pi];
      const starts = perProf[pi];
      starts.length = 0;
      heads[pi] = 0;
      const bs = p.busyStart;
      const be = p.busyEnd;
      let bi = cursor[pi];
      for (const [a, b] of p.intervalsFor(date, day.weekday)) {
        const s = day.toInstant(a);
        const e = day.toInstant(b);
        let t = earliest > s ? s + Math.ceil((earliest - s) / step) * step : s;
        while (t + dur <= e) {
          // Candidates only move forward, so busy intervals that end before this one's buffer are done.
          while (bi < be.length && be[bi] <= t - before) bi++;
          if (bi < bs.length && bs[bi] < t + dur + afterBuf) {
            // Jump to the first aligned start whose leading buffer clears this busy interval.
            t = s + Math.ceil((be[bi] + before - s) / step) * step;
            continue;
          }
          starts.push(t);
          t += step;
        }
      }
      cursor[pi] = bi;
    }
    // Merge the professionals' sorted lists: by start, ties in professional-id order.
    while (out.length < max) {
      let best = -1;
      let bestT = Infinity;
      for (let pi = 0; pi < profs.length; pi++) {
        const h = heads[pi];
        if (h < perProf[pi].length && perProf[pi][h] < bestT) {
          best = pi;
          bestT = perProf[pi][h];
        }
      }
      if (best < 0) break;
      heads[best]++;
      out.push({ professionalId: profs[best].id, start: new Date(bestT), end: new Date(bestT + dur) });
    }
  }
  return out;
}

function prepareProfessional(p: ProfessionalAvailability): Prepared {
  const weekly: Array<Array<[number, number]>> = [[], [], [], [], [], [], []];
  for (const w of p.workingHours) {
    if (!Number.isInteger(w.weekday) || w.weekday < 0 || w.weekday > 6) throw new RangeError(`invalid weekday ${w.weekday}`);
    weekly[w.weekday].push(checkInterval(w));
  }
  const weeklyMerged = weekly.map(mergeIntervals);
  const overrides = new Map<string, Array<[number, number]>>();
  for (const o of p.dateOverrides ?? []) {
    if (!isLocalDate(o.date)) throw new RangeError(`invalid override date ${JSON.stringify(o.date)}`);
    const list = o.intervals.map(checkInterval);
    // Two overrides for one date add up.
    overrides.set(o.date, mergeIntervals([...(overrides.get(o.date) ?? []), ...list]));
  }

  const busy: Array<[number, number]> = [];
  for (const b of p.busy) {
    const s = instantOf(b.start, 'busy.start');
    const e = instantOf(b.end, 'busy.end');
    if (e > s) busy.push([s, e]);
  }
  busy.sort((x, y) => x[0] - y[0]);
  const busyStart: number[] = [];
  const busyEnd: number[] = [];
  for (const [s, e] of busy) {
    const n = busyEnd.length;
    if (n > 0 && s <= busyEnd[n - 1]) {
      if (e > busyEnd[n - 1]) busyEnd[n - 1] = e;
    } else {
      busyStart.push(s);
      busyEnd.push(e);
    }
  }
  return {
    id: p.professionalId,
    intervalsFor: (date, weekday) => overrides.get(date) ?? weeklyMerged[weekday],
    busyStart,
    busyEnd,
  };
}

/** Sorted by start; overlapping intervals merged, touching ones kept apart. */
function mergeIntervals(list: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...list].sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of sorted) {
    const lastOne = out[out.length - 1];
    if (lastOne && a < lastOne[1]) lastOne[1] = Math.max(lastOne[1], b);
    else out.push([a, b]);
  }
  return out;
}

function checkInterval(i: { startMinute: number; endMinute: number }): [number, number] {
  const { startMinute: a, endMinute: b } = i;
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b > 1440 || a >= b) {
    throw new RangeError(`invalid working interval ${a}–${b} (whole minutes, 0 ≤ start < end ≤ 1440)`);
  }
  return [a, b];
}

function checkSettings(s: SlotSettings): void {
  if (!Number.isInteger(s.slotIntervalMinutes) || s.slotIntervalMinutes < 1) throw new RangeError('slotIntervalMinutes must be a positive integer');
  for (const key of ['bufferBeforeMinutes', 'bufferAfterMinutes', 'minNoticeMinutes', 'horizonDays'] as const) {
    if (!Number.isInteger(s[key]) || s[key] < 0) throw new RangeError(`${key} must be a non-negative integer`);
  }
}

function checkDuration(minutes: number): void {
  if (!Number.isInteger(minutes) || minutes < 1) throw new RangeError('durationMinutes must be a positive integer');
}

function instantOf(d: Date, what: string): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (Number.isNaN(t)) throw new RangeError(`${what} is not a valid date`);
  return t;
}
