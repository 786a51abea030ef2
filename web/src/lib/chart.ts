// Small helpers shared by the hand-drawn SVG charts.
import { addDays } from './period';
import type { DailyMetrics } from '$lib/types';

/**
 * A "nice" axis maximum (1, 2, 2.5, 5 × 10^n) at or above max, with `ticks` equal steps.
 * Counts (`integers`) never get fractional steps (and may step by 3).
 */
export function niceScale(max: number, ticks = 4, integers = false): { max: number; step: number } {
  if (max <= 0) return { max: ticks, step: 1 };
  const rough = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step =
    (integers ? [1, 2, 3, 5, 10] : [1, 2, 2.5, 5, 10])
      .map((m) => m * magnitude)
      .filter((s) => !integers || (Number.isInteger(s) && s >= 1))
      .find((s) => s >= rough) ?? Math.max(1, 10 * magnitude);
  return { max: step * ticks, step };
}

/** Which of n bars get a date label, so that at most `max` labels show, always the first and last. */
export function labelIndexes(n: number, max: number): Set<number> {
  if (n <= max) return new Set(Array.from({ length: n }, (_, i) => i));
  const every = Math.ceil((n - 1) / (max - 1));
  const picked = new Set<number>();
  for (let i = 0; i < n; i += every) picked.add(i);
  // Drop a label that would crowd the last one.
  for (const i of picked) if (i !== n - 1 && n - 1 - i < every * 0.75) picked.delete(i);
  picked.add(n - 1);
  return picked;
}

const empty: Omit<DailyMetrics, 'day'> = {
  revenueCents: 0,
  grossRevenueCents: 0,
  refundsCents: 0,
  appointments: 0,
  completed: 0,
  noShows: 0,
  cancelled: 0,
  paidVisits: 0,
  leads: 0,
  conversions: 0,
  newPatients: 0,
  averageTicketCents: 0,
};

/** Every day of [from, to], with zeros for days the rollup has no row for. */
export function fillDays(series: DailyMetrics[], from: string, to: string): DailyMetrics[] {
  const byDay = new Map(series.map((d) => [d.day, d]));
  const days: DailyMetrics[] = [];
  for (let day = from; day <= to && days.length < 400; day = addDays(day, 1)) {
    days.push(byDay.get(day) ?? { day, ...empty });
  }
  return days;
}
