// Synthetic daily series with a known truth for the forecaster's tests: a weekday pattern (closed
// Sundays, busier Saturdays), a linear trend, holidays closed, optional random-walk level, and Gaussian
// noise from the seeded generator of domain/random.ts.
import { createRandom } from '../random';
import { dayNumber, dayString, holidayCalendar, weekdayOfNumber, type DailyPoint } from './days';

/** Multiple of the average weekday level, 0 = Sunday (closed) … 6 = Saturday (busiest). */
export const TRUE_INDEX = [0, 0.8, 0.9, 1.0, 1.0, 1.1, 1.6];

export interface SyntheticOptions {
  start?: string;
  days: number;
  seed: number | string;
  /** Level of an average open day on day 0. */
  level?: number;
  /** Added to the level per day. */
  slope?: number;
  /** SD of the additive Gaussian noise on open days. */
  noise?: number;
  /** SD of a daily random-walk step of the level (0: none). */
  walk?: number;
  /** What a holiday does: multiplies the day's mean (0 = closed). */
  holidayRatio?: number;
}

export interface Synthetic {
  series: DailyPoint[];
  /** The noiseless mean of each day of the series and of `extra` days after it (same length + extra). */
  truth: (extra: number) => number[];
}

export function gaussian(rng: { next(): number }): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function synthetic(o: SyntheticOptions): Synthetic {
  const rng = createRandom(o.seed);
  const start = dayNumber(o.start ?? '2024-01-01');
  const level0 = o.level ?? 100;
  const slope = o.slope ?? 0;
  const noise = o.noise ?? 10;
  const walk = o.walk ?? 0;
  const ratio = o.holidayRatio ?? 0;
  const isHoliday = holidayCalendar(true, []);
  const walkSteps: number[] = [];
  let w = 0;
  const meanAt = (t: number) => {
    while (walkSteps.length <= t) {
      w += walk > 0 ? walk * gaussian(rng) : 0;
      walkSteps.push(w);
    }
    const n = start + t;
    const base = (level0 + slope * t + walkSteps[t]) * TRUE_INDEX[weekdayOfNumber(n)];
    return isHoliday(n) ? ratio * base : base;
  };
  const series: DailyPoint[] = [];
  const means: number[] = [];
  for (let t = 0; t < o.days; t++) {
    const m = meanAt(t);
    means.push(m);
    const value = m === 0 ? 0 : Math.max(0, m + noise * gaussian(rng));
    series.push({ day: dayString(start + t), value });
  }
  return {
    series,
    truth: (extra) => {
      // The future's random walk is frozen at its last value: the truth "as of the end".
      const out = means.slice();
      const lastWalk = walkSteps[o.days - 1] ?? 0;
      for (let t = o.days; t < o.days + extra; t++) {
        const n = start + t;
        const base = (level0 + slope * t + lastWalk) * TRUE_INDEX[weekdayOfNumber(n)];
        out.push(isHoliday(n) ? ratio * base : base);
      }
      return out;
    },
  };
}

/** The series' continuation, with the same process and fresh noise (for coverage). */
export function continued(o: SyntheticOptions, extra: number): { history: DailyPoint[]; future: DailyPoint[] } {
  const all = synthetic({ ...o, days: o.days + extra }).series;
  return { history: all.slice(0, o.days), future: all.slice(o.days) };
}
