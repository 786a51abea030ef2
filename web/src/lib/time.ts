// Calendar arithmetic in the clinic's time zone, for the agenda: days are 'YYYY-MM-DD' strings (no zone),
// times of day are minutes since midnight, instants are ISO strings. Pure functions, Intl only.

export { addDays, todayIn } from './period';
import { addDays } from './period';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day that exists ('2026-02-30' does not). */
export function isDay(value: string | null | undefined): value is string {
  if (!value || !DAY.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** The Sunday that starts the week containing `day` (the API's weeks run Sunday to Saturday). */
export function startOfWeek(day: string): string {
  return addDays(day, -weekdayOf(day));
}

export function daysFrom(first: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(first, i));
}

export function firstOfMonth(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

/** The first day of the month `n` months after the one containing `day`. */
export function addMonths(day: string, n: number): string {
  const [y, m] = day.split('-').map(Number);
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

export function lastOfMonth(day: string): string {
  return addDays(addMonths(day, 1), -1);
}

/** Whole weeks (Sunday first) covering the month of `day`: the month view's grid. */
export function monthGrid(day: string): string[][] {
  const first = startOfWeek(firstOfMonth(day));
  const last = lastOfMonth(day);
  const weeks: string[][] = [];
  for (let start = first; start <= last; start = addDays(start, 7)) weeks.push(daysFrom(start, 7));
  return weeks;
}

function partsIn(date: Date, timeZone: string): Record<string, number> {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  const out: Record<string, number> = {};
  for (const p of parts) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out;
}

/** Minutes the zone is ahead of UTC at that instant (São Paulo: -180). */
export function offsetMinutes(date: Date, timeZone: string): number {
  const p = partsIn(date, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

/** The local day and minute of day of an instant in a zone. */
export function zonedParts(iso: string | Date, timeZone: string): { day: string; minute: number } {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  const p = partsIn(date, timeZone);
  const day = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
  return { day, minute: p.hour * 60 + p.minute };
}

/** The instant of a local day + minute in a zone (a time skipped by a DST jump moves forward). */
export function zonedToUtc(day: string, minute: number, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  const naive = Date.UTC(y, m - 1, d) + minute * 60_000;
  let guess = naive - offsetMinutes(new Date(naive), timeZone) * 60_000;
  const second = naive - offsetMinutes(new Date(guess), timeZone) * 60_000;
  if (second !== guess) guess = Math.max(guess, second);
  return new Date(guess);
}

/** '09:30' → 570; null when it is not a time of day. '24:00' is the end of the day. */
export function parseTime(value: string | null | undefined): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec((value ?? '').trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return null;
  return h * 60 + min;
}

/** 570 → '09:30'. */
export function minuteToTime(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** An instant's time of day in a zone: '14:07'. */
export function formatTime(iso: string, timeZone: string): string {
  return minuteToTime(zonedParts(iso, timeZone).minute);
}

/** 'dd/mm/aaaa' (or d/m/aaaa, with - or .) → 'YYYY-MM-DD'; null when it is not a real day. */
export function parseBrDate(value: string | null | undefined): string | null {
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec((value ?? '').trim());
  if (!m) return null;
  const day = `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  return isDay(day) ? day : null;
}

const longDay = new Intl.DateTimeFormat('pt-BR', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });
const monthYear = new Intl.DateTimeFormat('pt-BR', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const shortMonth = new Intl.DateTimeFormat('pt-BR', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** 'segunda-feira, 30 de novembro'. */
export function formatLongDay(day: string): string {
  return longDay.format(new Date(`${day}T12:00:00Z`));
}

/** 'novembro de 2026'. */
export function formatMonth(day: string): string {
  return monthYear.format(new Date(`${day}T12:00:00Z`));
}

/** '30 de nov.' */
export function formatShortDay(day: string): string {
  return shortMonth.format(new Date(`${day}T12:00:00Z`));
}

export const WEEKDAYS = ['Domingo', 'Segunda', 'Terça', 'Quarta', 'Quinta', 'Sexta', 'Sábado'] as const;
export const WEEKDAYS_SHORT = ['dom', 'seg', 'ter', 'qua', 'qui', 'sex', 'sáb'] as const;
