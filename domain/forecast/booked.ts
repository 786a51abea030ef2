// The forecast combined with what is already in the agenda for those days. Pure.
//
// The model forecasts a day's total (revenue or appointments); part of it may already be booked. Rule,
// per day with booked value B (entries of the same day are added) and realisation r (default 1; pass
// the clinic's show rate, e.g. 0.85, when booked appointments may still be cancelled or missed), floor
// F = r·B:
//   mean' = max(mean, F)                    the day cannot expect less than what is already booked
//   hi'   = hi + max(0, F − mean)           when the booking exceeds the model's mean, the distribution
//                                           is shifted up by the excess (more can still be booked)
//   lo'   = max(lo, F)                      and truncated below at the booked floor
// for both bands. So lo95' ≤ lo80' ≤ mean' ≤ hi80' ≤ hi95' still holds, the bounds are never below F,
// and a day with nothing booked is unchanged. The truncation's small upward pull on the mean (when F
// lies between lo and mean) is not added: the mean stays the model's there. Booked days outside the
// forecast are ignored; a booked value that is negative or not finite throws a RangeError.
import { dayNumber } from './days';
import type { ForecastDay } from './model';

export interface BookedDay {
  day: string;
  value: number;
}

export interface ForecastWithBooked extends ForecastDay {
  /** Booked value of the day (before the realisation factor). */
  booked: number;
  /** The model's own mean, before the booked floor. */
  modelMean: number;
}

export function withBooked(forecast: readonly ForecastDay[], booked: readonly BookedDay[], opts: { realisation?: number } = {}): ForecastWithBooked[] {
  const r = opts.realisation ?? 1;
  if (!Number.isFinite(r) || r < 0 || r > 1) throw new RangeError(`withBooked: realisation must be in [0, 1], got ${r}`);
  const byDay = new Map<string, number>();
  for (const b of booked) {
    dayNumber(b.day);
    if (typeof b.value !== 'number' || !Number.isFinite(b.value) || b.value < 0) {
      throw new RangeError(`withBooked: the booked value of ${b.day} must be a finite number ≥ 0, got ${b.value}`);
    }
    byDay.set(b.day, (byDay.get(b.day) ?? 0) + b.value);
  }
  return forecast.map((f) => {
    const b = byDay.get(f.day) ?? 0;
    const floor = r * b;
    const excess = Math.max(0, floor - f.mean);
    return {
      ...f,
      mean: Math.max(f.mean, floor),
      lo80: Math.max(f.lo80, floor),
      lo95: Math.max(f.lo95, floor),
      hi80: f.hi80 + excess,
      hi95: f.hi95 + excess,
      booked: b,
      modelMean: f.mean,
    };
  });
}
