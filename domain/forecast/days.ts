// Calendar days as integers (days since 1970-01-01) for the forecaster's loops, and the validation of
// a daily series. Pure.
import { brazilianHolidays } from './holidays';

export interface DailyPoint {
  /** YYYY-MM-DD */
  day: string;
  value: number;
}

const DAY_MS = 86_400_000;
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function dayNumber(day: string): number {
  const m = typeof day === 'string' ? DAY_RE.exec(day) : null;
  if (!m) throw new RangeError(`invalid day ${JSON.stringify(day)} (expected YYYY-MM-DD)`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== day) throw new RangeError(`invalid day ${JSON.stringify(day)}`);
  return ms / DAY_MS;
}

export function dayString(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOfNumber(n: number): number {
  return (((n + 4) % 7) + 7) % 7;
}

/**
 * Throws a RangeError unless `history` is a non-empty list of consecutive days in order with finite
 * values (and non-negative ones unless negatives are allowed). Returns the first day's number.
 */
export function validateHistory(history: readonly DailyPoint[], allowNegative: boolean, what = 'history'): number {
  if (!Array.isArray(history) || history.length === 0) throw new RangeError(`${what} is empty: give at least one day`);
  const first = dayNumber(history[0].day);
  for (let i = 0; i < history.length; i++) {
    const p = history[i];
    if (dayNumber(p.day) !== first + i) {
      throw new RangeError(`${what} must be consecutive days in order: position ${i} should be ${dayString(first + i)}, got ${p.day} (fill days without activity with 0)`);
    }
    if (typeof p.value !== 'number' || !Number.isFinite(p.value)) throw new RangeError(`${what}: the value of ${p.day} is not a finite number (${p.value})`);
    if (!allowNegative && p.value < 0) {
      throw new RangeError(`${what}: the value of ${p.day} is negative (${p.value}); forecast a non-negative series (e.g. gross revenue and refunds apart) or pass allowNegative`);
    }
  }
  return first;
}

/** A holiday lookup by day number: national holidays (if wanted) plus the caller's extra days. */
export function holidayCalendar(national: boolean, extra: readonly string[]): (n: number) => string | undefined {
  const extraSet = new Map<number, string>();
  for (const d of extra) extraSet.set(dayNumber(d), 'Feriado da clínica');
  const years = new Map<number, Map<number, string>>();
  return (n: number) => {
    const fromExtra = extraSet.get(n);
    if (!national) return fromExtra;
    const year = new Date(n * DAY_MS).getUTCFullYear();
    let map = years.get(year);
    if (!map) {
      map = new Map(brazilianHolidays(year).map((h) => [dayNumber(h.day), h.name]));
      years.set(year, map);
    }
    return map.get(n) ?? fromExtra;
  };
}
