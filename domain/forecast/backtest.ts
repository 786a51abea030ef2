// Rolling-origin backtest of the forecaster against the seasonal-naïve forecast ("the same weekday last
// week"), as the report shows it. Pure.
//
// Origins: the last one leaves exactly `horizon` days to score, each earlier one `step` days (default
// `horizon`) before; the model is refitted at each origin on the days before it. Every origin needs at
// least 28 days of training (else a RangeError says how much history the request needs).
// MASE (Hyndman & Koehler 2006): the mean absolute error over the horizon divided by the in-sample MAE
// of the seasonal-naïve (lag 7) one-step forecast on that origin's training days; the same scale for
// both forecasts, so their MASEs compare directly. The reported MASE is the mean over the origins whose
// scale is > 0 (NaN when none is: a series that repeats itself exactly week after week).
// Coverage: the share of actuals inside the 80% and 95% bands (bounds included), pooled over the scored
// days of all origins, leaving out the days the model forecast as closed weekdays (exactly 0 by rule,
// not a probabilistic statement; counting them would flatter the coverage). The errors count every day.
import { validateHistory, type DailyPoint } from './days';
import { fitModel, forecastFrom, type ModelOptions } from './model';

export interface BacktestOptions {
  /** Days forecast from each origin. */
  horizon: number;
  /** Number of origins. */
  origins: number;
  /** Days between origins; default `horizon`. */
  step?: number;
}

export interface BacktestOrigin {
  /** First forecast day. */
  origin: string;
  trainingDays: number;
  /** In-sample seasonal-naïve MAE (the MASE denominator). */
  scale: number;
  mae: number;
  maeSeasonalNaive: number;
  mase: number;
  maseSeasonalNaive: number;
  coverage80: number;
  coverage95: number;
  /** Days in the coverage (the horizon minus the closed-weekday days). */
  scoredDays: number;
}

export interface BacktestResult {
  horizon: number;
  step: number;
  mase: number;
  maseSeasonalNaive: number;
  /** mase < maseSeasonalNaive */
  beatsSeasonalNaive: boolean;
  coverage80: number;
  coverage95: number;
  origins: BacktestOrigin[];
}

export const MIN_TRAINING_DAYS = 28;

/** The seasonal-naïve forecast: each future day gets the value of the last observed same weekday. */
export function seasonalNaive(history: readonly DailyPoint[], horizon: number): number[] {
  if (history.length < 7) throw new RangeError('seasonal naïve needs at least 7 days of history');
  const n = history.length;
  return Array.from({ length: horizon }, (_, i) => history[n - 7 + (i % 7)].value);
}

function inSampleScale(history: readonly DailyPoint[]): number {
  let sum = 0;
  for (let t = 7; t < history.length; t++) sum += Math.abs(history[t].value - history[t - 7].value);
  return sum / (history.length - 7);
}

export function backtest(history: readonly DailyPoint[], options: BacktestOptions, modelOptions: ModelOptions = {}): BacktestResult {
  validateHistory(history, modelOptions.allowNegative ?? false);
  const { horizon, origins } = options;
  const step = options.step ?? horizon;
  for (const [name, v] of [['horizon', horizon], ['origins', origins], ['step', step]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`backtest: ${name} must be a positive integer, got ${v}`);
  }
  const n = history.length;
  const firstOrigin = n - horizon - (origins - 1) * step;
  if (firstOrigin < MIN_TRAINING_DAYS) {
    throw new RangeError(`backtest: ${origins} origins of ${horizon} days, ${step} apart, need at least ${MIN_TRAINING_DAYS + horizon + (origins - 1) * step} days of history; got ${n}`);
  }
  const results: BacktestOrigin[] = [];
  let in80 = 0;
  let in95 = 0;
  let scored = 0;
  for (let i = 0; i < origins; i++) {
    const o = firstOrigin + i * step;
    const train = history.slice(0, o);
    const test = history.slice(o, o + horizon);
    const fc = forecastFrom(fitModel(train, modelOptions), horizon);
    const naive = seasonalNaive(train, horizon);
    const scale = inSampleScale(train);
    let ae = 0;
    let aeNaive = 0;
    let c80 = 0;
    let c95 = 0;
    let k = 0;
    for (let j = 0; j < horizon; j++) {
      const actual = test[j].value;
      const f = fc[j];
      ae += Math.abs(actual - f.mean);
      aeNaive += Math.abs(actual - naive[j]);
      if (f.closed) continue;
      k++;
      if (actual >= f.lo80 && actual <= f.hi80) c80++;
      if (actual >= f.lo95 && actual <= f.hi95) c95++;
    }
    in80 += c80;
    in95 += c95;
    scored += k;
    const mae = ae / horizon;
    const maeSeasonalNaive = aeNaive / horizon;
    results.push({
      origin: test[0].day,
      trainingDays: o,
      scale,
      mae,
      maeSeasonalNaive,
      mase: scale > 0 ? mae / scale : NaN,
      maseSeasonalNaive: scale > 0 ? maeSeasonalNaive / scale : NaN,
      coverage80: k > 0 ? c80 / k : NaN,
      coverage95: k > 0 ? c95 / k : NaN,
      scoredDays: k,
    });
  }
  const usable = results.filter((r) => r.scale > 0);
  const avg = (f: (r: BacktestOrigin) => number) => (usable.length > 0 ? usable.reduce((s, r) => s + f(r), 0) / usable.length : NaN);
  const mase = avg((r) => r.mase);
  const maseSeasonalNaive = avg((r) => r.maseSeasonalNaive);
  return {
    horizon,
    step,
    mase,
    maseSeasonalNaive,
    beatsSeasonalNaive: mase < maseSeasonalNaive,
    coverage80: scored > 0 ? in80 / scored : NaN,
    coverage95: scored > 0 ? in95 / scored : NaN,
    origins: results,
  };
}
