// Forecasts of a clinic's daily revenue (centavos) or appointments for the report "Previsões": the one
// module the rest of the project imports. Pure and deterministic: no clock, no randomness.
//
// Why this model. Daily clinic series are short (months to a few years), have a strong weekly shape
// (closed Sundays, busy Saturdays), a slow trend, holidays, and zeros. Additive Holt–Winters (ETS(A,Ad,A))
// with period 7 and a damped trend fits that with four parameters: it adapts the level and the weekday
// shape as the clinic changes (a regression with fixed dummies would not, unless refitted on a window),
// the damped trend keeps a 90-day forecast from running away on a few good weeks, the one-step SSE fit
// is cheap (a 730-day fit takes about 10 ms), and its prediction intervals have a closed form, so no
// simulation and no seed. Additive rather than multiplicative because zeros (closed days, empty days)
// break multiplicative seasonality; closed weekdays and holidays are handled outside the recursions
// (no update on those days) so they do not drag the level down. Annual seasonality is not modelled: it
// needs several years the clinics do not have; the level follows it slowly instead (a limit).
// Exact recursions, intervals and fallbacks: model.ts; backtest: backtest.ts; booked floor: booked.ts.
//
// Limits, measured on seeded synthetic series (forecast.test.ts, backtest.test.ts): the intervals assume
// Gaussian noise whose variance depends on the weekday only, and leave out the parameters' own
// uncertainty; 30 days ahead they cover within about 1 pp of 80% and 95%, but 90 days ahead on a series
// steadier than a local-trend model expects they are too wide (about 89% / 99%). A holiday ratio learnt
// from a few holidays is noisy, and all holidays share one ratio. Weeks a clinic closes that are not
// holidays (vacations) read as zeros on open days and pull the level down for a while: pass them as
// extraHolidays. Small counts (a few appointments a day) are treated as continuous.
//
// - holidays.ts     Brazilian national holidays of a year (computus for Carnaval, Sexta-feira Santa, Corpus Christi)
// - days.ts         day numbers, history validation, the holiday calendar
// - model.ts        fitModel, forecastFrom, describeModel
// - backtest.ts     rolling-origin MASE against seasonal naïve, band coverage
// - booked.ts       withBooked: the agenda's booked part as a floor
// - nelder-mead.ts  the minimiser of the fit
//
// Bad input throws a RangeError (English message): an empty history, days not consecutive or out of
// order, a value that is NaN or infinite, a negative value (unless allowNegative), a bad horizon.
import type { DailyPoint } from './days';
import { fitModel, forecastFrom, type ForecastDay, type ModelOptions } from './model';

export { brazilianHolidays, easterSunday, type Holiday } from './holidays';
export type { DailyPoint } from './days';
export { fitModel, forecastFrom, describeModel, Z80, Z95, type DailyModel, type ForecastDay, type HoltWintersParams, type ModelDescription, type ModelOptions } from './model';
export { backtest, seasonalNaive, MIN_TRAINING_DAYS, type BacktestOptions, type BacktestOrigin, type BacktestResult } from './backtest';
export { withBooked, type BookedDay, type ForecastWithBooked } from './booked';

/** Fits the model on `history` (consecutive days) and forecasts the `horizonDays` days after it. */
export function forecast(history: readonly DailyPoint[], horizonDays: number, opts: ModelOptions = {}): ForecastDay[] {
  return forecastFrom(fitModel(history, opts), horizonDays);
}
