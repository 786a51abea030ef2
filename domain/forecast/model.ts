// The daily model: additive Holt–Winters (ETS(A,Ad,A)) with damped trend and period 7, closed weekdays,
// a multiplicative holiday effect, and analytic prediction intervals with weekday-dependent noise.
// See index.ts for why this model; here is exactly what it does.
//
// Recursions (error-correction form, Hyndman et al. 2008, "Forecasting with Exponential Smoothing"),
// with the seasonal state indexed by weekday d(t):
//   ŷ_t = ℓ + φb + s[d(t)]      e_t = y_t − ŷ_t
//   ℓ ← ℓ + φb + α e_t          b ← φb + β e_t          s[d(t)] ← s[d(t)] + γ e_t
// with 0 < α < 1, 0 < β < α, 0 < γ < 1 − α, 0.8 ≤ φ ≤ 0.98 (the usual admissible region). A *skipped*
// day (a holiday, or a zero on a closed weekday) makes no update: ℓ ← ℓ + φb, b ← φb, as a missing
// observation in a state-space model.
// Fit: α, β, γ, φ minimise the one-step SSE over the open days (Nelder–Mead from a few starts, in a
// logistic reparametrisation that keeps the bounds). Initial states: from the first 2–4 whole weeks
// (level = the first week's mean of open days, trend = the weekly means' slope, seasonals = the mean
// deviation of each weekday from its week's mean); not optimised.
// Closed weekdays: a weekday whose last 8 non-holiday occurrences (at least 2) are all 0 is closed: it is
// forecast as exactly 0 with zero-width intervals, and its zeros do not update the states.
// Holidays (national ones from holidays.ts, optionally plus the clinic's): forecast = ratio × the
// model's forecast for that day, where ratio = Σ actual / Σ one-step forecast over the holidays of the
// history that fell on open weekdays (clipped to [0, 1.5]); with no such holiday in the history the
// ratio is 0 ("closed-like"), which describeModel reports as source 'default-closed'.
// Intervals: for h days ahead, y_{T+h} − ŷ_T(h) = ε_{T+h} + Σ_{j=1}^{h−1} c_{h−j} ε_{T+j} with
// c_k = α + β(φ + … + φ^k) + γ·[k ≡ 0 mod 7], so Var = σ²_{T+h} + Σ c²_{h−j} σ²_{T+j}, where σ²_t is the
// one-step residual variance of t's weekday (last 364 days of the fit, pooled over weekdays if a weekday
// has < 4 residuals, inflated by N/(N − 13) for the 4 parameters and 9 initial states, by 2 when N ≤ 26) and 0 on a skipped
// day. Normal quantiles (80%: ±1.2816 σ, 95%: ±1.96 σ). For a non-negative history the mean and the bounds
// are clipped at 0 (the clipped mean is then slightly above the model's; said here, not corrected).
// Parameter uncertainty is not in the intervals.
//
// Short history (< 14 days): 'weekday-means', the mean of each weekday seen (the overall mean for one not
// seen), no trend, no closed weekdays, and one wide standard deviation for every day: the sample SD of all
// days around the overall mean (so the weekday pattern counts as noise), at least half the overall mean.
import { dayNumber, dayString, holidayCalendar, validateHistory, weekdayOfNumber, type DailyPoint } from './days';
import { nelderMead } from './nelder-mead';

export interface ModelOptions {
  /** Brazilian national holidays (holidays.ts) are holidays; default true. */
  nationalHolidays?: boolean;
  /** More holiday days (state, city, the clinic's own closures), YYYY-MM-DD. */
  extraHolidays?: readonly string[];
  /** Accept negative values (e.g. net revenue); then nothing is clipped at 0. Default false: a negative value throws. */
  allowNegative?: boolean;
}

export interface HoltWintersParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

/** A fitted model: plain data (JSON-able), enough to forecast from. */
export interface DailyModel {
  kind: 'holt-winters' | 'weekday-means';
  /** Last day of the history the model was fitted on. */
  lastDay: string;
  observations: number;
  /** null for 'weekday-means'. */
  params: HoltWintersParams | null;
  level: number;
  /** Per day. */
  trend: number;
  /** Additive seasonal state by weekday, 0 = Sunday (for 'weekday-means': the weekday means; level 0). */
  season: number[];
  /** One-step residual standard deviation by weekday (0 for a closed weekday). */
  sigma: number[];
  closedWeekdays: number[];
  holiday: { ratio: number; source: 'estimated' | 'default-closed'; observed: number };
  /** Root mean square one-step error over the open days (NaN for 'weekday-means'). */
  rmse: number;
  nonNegative: boolean;
  nationalHolidays: boolean;
  extraHolidays: string[];
}

export interface ForecastDay {
  day: string;
  mean: number;
  lo80: number;
  hi80: number;
  lo95: number;
  hi95: number;
  /** The holiday's name when the day is one. */
  holiday?: string;
  /** True on a closed weekday (forecast exactly 0). */
  closed?: boolean;
}

export const Z80 = 1.2815515655446004;
export const Z95 = 1.959963984540054;
const SHORT_HISTORY = 14;
const CLOSED_LOOKBACK = 8;
const SIGMA_WINDOW = 364;
const WARM_UP = 14;

const logistic = (u: number) => 1 / (1 + Math.exp(-u));
const logit = (p: number) => Math.log(p / (1 - p));

function toParams(u: number[]): HoltWintersParams {
  const alpha = 0.0001 + 0.9998 * logistic(u[0]);
  const beta = alpha * logistic(u[1]);
  const gamma = (1 - alpha) * logistic(u[2]);
  const phi = 0.8 + 0.18 * logistic(u[3]);
  return { alpha, beta, gamma, phi };
}

function fromParams(p: HoltWintersParams): number[] {
  return [logit((p.alpha - 0.0001) / 0.9998), logit(p.beta / p.alpha), logit(p.gamma / (1 - p.alpha)), logit((p.phi - 0.8) / 0.18)];
}

interface State {
  level: number;
  trend: number;
  season: number[];
}

interface Series {
  y: Float64Array;
  wd: Uint8Array;
  skip: Uint8Array;
}

/** One pass of the recursions. With `out`, the one-step forecasts are written there. */
function run(s: Series, init: State, p: HoltWintersParams, out?: Float64Array): { sse: number; count: number; state: State } {
  let l = init.level;
  let b = init.trend;
  const season = init.season.slice();
  const { alpha, beta, gamma, phi } = p;
  let sse = 0;
  let count = 0;
  const n = s.y.length;
  for (let t = 0; t < n; t++) {
    const d = s.wd[t];
    const damped = phi * b;
    const yhat = l + damped + season[d];
    if (out) out[t] = yhat;
    if (s.skip[t]) {
      l += damped;
      b = damped;
      continue;
    }
    const e = s.y[t] - yhat;
    sse += e * e;
    count++;
    l += damped + alpha * e;
    b = damped + beta * e;
    season[d] += gamma * e;
  }
  return { sse, count, state: { level: l, trend: b, season } };
}

function initialState(s: Series): State {
  const weeks = Math.min(4, Math.floor(s.y.length / 7));
  const means: number[] = [];
  for (let w = 0; w < weeks; w++) {
    let sum = 0;
    let k = 0;
    for (let t = 7 * w; t < 7 * w + 7; t++) {
      if (!s.skip[t]) {
        sum += s.y[t];
        k++;
      }
    }
    means.push(k > 0 ? sum / k : NaN);
  }
  const known = means.map((m, w) => [w, m] as const).filter(([, m]) => Number.isFinite(m));
  if (known.length === 0) return { level: 0, trend: 0, season: new Array(7).fill(0) };
  let trend = 0;
  if (known.length >= 2) {
    const [w0, m0] = known[0];
    const [w1, m1] = known[known.length - 1];
    trend = (m1 - m0) / (7 * (w1 - w0));
  }
  const season = new Array<number>(7).fill(0);
  const seen = new Array<number>(7).fill(0);
  for (const [w, m] of known) {
    for (let t = 7 * w; t < 7 * w + 7; t++) {
      if (s.skip[t]) continue;
      // Deviation from the week's mean, de-trended to the middle of the week.
      season[s.wd[t]] += s.y[t] - (m + trend * (t - 7 * w - 3));
      seen[s.wd[t]]++;
    }
  }
  for (let d = 0; d < 7; d++) season[d] = seen[d] > 0 ? season[d] / seen[d] : 0;
  const [w0, m0] = known[0];
  // The level just before day 0: the first known week's mean sits at its middle day (7·w0 + 3).
  return { level: m0 - trend * (7 * w0 + 4), trend, season };
}

function findClosed(y: Float64Array, wd: Uint8Array, holiday: Uint8Array): number[] {
  const closed: number[] = [];
  for (let d = 0; d < 7; d++) {
    let seen = 0;
    let allZero = true;
    for (let t = y.length - 1; t >= 0 && seen < CLOSED_LOOKBACK; t--) {
      if (wd[t] !== d || holiday[t]) continue;
      seen++;
      if (y[t] !== 0) allZero = false;
    }
    if (seen >= 2 && allZero) closed.push(d);
  }
  return closed;
}

const START_GRID: HoltWintersParams[] = [];
for (const alpha of [0.05, 0.2, 0.5]) for (const gamma of [0.05, 0.2]) START_GRID.push({ alpha, beta: alpha * 0.05, gamma: Math.min(gamma, (1 - alpha) * 0.9), phi: 0.9 });

/** Fits the model on consecutive days (see the header for the rules and the fallback). */
export function fitModel(history: readonly DailyPoint[], opts: ModelOptions = {}): DailyModel {
  const allowNegative = opts.allowNegative ?? false;
  const first = validateHistory(history, allowNegative);
  const nationalHolidays = opts.nationalHolidays ?? true;
  const extraHolidays = [...(opts.extraHolidays ?? [])];
  const holidayOf = holidayCalendar(nationalHolidays, extraHolidays);
  const n = history.length;
  const y = new Float64Array(n);
  const wd = new Uint8Array(n);
  const hol = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    y[t] = history[t].value;
    wd[t] = weekdayOfNumber(first + t);
    hol[t] = holidayOf(first + t) ? 1 : 0;
  }
  const common = { lastDay: history[n - 1].day, observations: n, nonNegative: !allowNegative, nationalHolidays, extraHolidays };
  if (n < SHORT_HISTORY) return fitWeekdayMeans(y, wd, hol, common);

  const closedWeekdays = findClosed(y, wd, hol);
  const closed = new Set(closedWeekdays);
  const skip = new Uint8Array(n);
  for (let t = 0; t < n; t++) skip[t] = hol[t] || (closed.has(wd[t]) && y[t] === 0) ? 1 : 0;
  const series: Series = { y, wd, skip };
  const init = initialState(series);

  let best = START_GRID[0];
  let bestSse = Infinity;
  for (const p of START_GRID) {
    const { sse } = run(series, init, p);
    if (sse < bestSse) {
      bestSse = sse;
      best = p;
    }
  }
  const nm = nelderMead((u) => run(series, init, toParams(u)).sse, fromParams(best), { step: 1, maxIterations: 300, tolerance: 1e-9 });
  const params = nm.value < bestSse ? toParams(nm.x) : best;

  const yhat = new Float64Array(n);
  const final = run(series, init, params, yhat);

  // Residual variance by weekday over the last SIGMA_WINDOW days after the warm-up.
  const sq = new Array<number>(7).fill(0);
  const cnt = new Array<number>(7).fill(0);
  let pooled = 0;
  let pooledCount = 0;
  for (let t = Math.max(WARM_UP, n - SIGMA_WINDOW); t < n; t++) {
    if (skip[t]) continue;
    const e = y[t] - yhat[t];
    sq[wd[t]] += e * e;
    cnt[wd[t]]++;
    pooled += e * e;
    pooledCount++;
  }
  const inflation = final.count > 26 ? final.count / (final.count - 13) : 2;
  const pooledVar = pooledCount > 0 ? pooled / pooledCount : 0;
  const sigma = sq.map((s2, d) => (closed.has(d) ? 0 : Math.sqrt(inflation * (cnt[d] >= 4 ? s2 / cnt[d] : pooledVar))));

  let sumY = 0;
  let sumHat = 0;
  let observed = 0;
  for (let t = 7; t < n; t++) {
    if (!hol[t] || closed.has(wd[t])) continue;
    sumY += y[t];
    sumHat += Math.max(0, yhat[t]);
    observed++;
  }
  const holiday = observed > 0 && sumHat > 0
    ? { ratio: Math.min(1.5, Math.max(0, sumY / sumHat)), source: 'estimated' as const, observed }
    : { ratio: 0, source: 'default-closed' as const, observed };

  return {
    kind: 'holt-winters',
    ...common,
    params,
    level: final.state.level,
    trend: final.state.trend,
    season: final.state.season,
    sigma,
    closedWeekdays,
    holiday,
    rmse: final.count > 0 ? Math.sqrt(final.sse / final.count) : 0,
  };
}

function fitWeekdayMeans(y: Float64Array, wd: Uint8Array, hol: Uint8Array, common: Pick<DailyModel, 'lastDay' | 'observations' | 'nonNegative' | 'nationalHolidays' | 'extraHolidays'>): DailyModel {
  const n = y.length;
  const sum = new Array<number>(7).fill(0);
  const cnt = new Array<number>(7).fill(0);
  let total = 0;
  let k = 0;
  for (let t = 0; t < n; t++) {
    if (hol[t]) continue;
    sum[wd[t]] += y[t];
    cnt[wd[t]]++;
    total += y[t];
    k++;
  }
  // Holidays only: their mean stands for every day.
  if (k === 0) {
    for (let t = 0; t < n; t++) total += y[t];
    k = n;
  }
  const mean = total / k;
  const season = sum.map((s, d) => (cnt[d] > 0 ? s / cnt[d] : mean));
  let ss = 0;
  for (let t = 0; t < n; t++) ss += (y[t] - mean) ** 2;
  const sd = Math.max(n > 1 ? Math.sqrt(ss / (n - 1)) : 0, 0.5 * Math.abs(mean));
  let sumY = 0;
  let sumHat = 0;
  let observed = 0;
  for (let t = 0; t < n; t++) {
    if (!hol[t]) continue;
    sumY += y[t];
    sumHat += Math.max(0, season[wd[t]]);
    observed++;
  }
  const holiday = observed > 0 && sumHat > 0
    ? { ratio: Math.min(1.5, Math.max(0, sumY / sumHat)), source: 'estimated' as const, observed }
    : { ratio: 0, source: 'default-closed' as const, observed };
  return {
    kind: 'weekday-means',
    ...common,
    params: null,
    level: 0,
    trend: 0,
    season,
    sigma: new Array(7).fill(sd),
    closedWeekdays: [],
    holiday,
    rmse: NaN,
  };
}

/** Forecasts `horizonDays` days after the model's last day. */
export function forecastFrom(model: DailyModel, horizonDays: number): ForecastDay[] {
  if (!Number.isInteger(horizonDays) || horizonDays < 1 || horizonDays > 3660) {
    throw new RangeError(`horizonDays must be an integer in 1…3660, got ${horizonDays}`);
  }
  const start = dayNumber(model.lastDay) + 1;
  const holidayOf = holidayCalendar(model.nationalHolidays, model.extraHolidays);
  const closed = new Set(model.closedWeekdays);
  const H = horizonDays;
  const days = Array.from({ length: H }, (_, i) => start + i);
  const names = days.map((d) => holidayOf(d));
  const wds = days.map(weekdayOfNumber);
  // Innovation variance of each future day (0 where the model makes no update).
  const v = days.map((_, i) => (names[i] || closed.has(wds[i]) ? 0 : model.sigma[wds[i]] ** 2));
  const p = model.params;
  const c = new Float64Array(H);
  const phiSum = new Float64Array(H + 1);
  if (p) {
    let pw = 1;
    for (let k = 1; k <= H; k++) {
      pw *= p.phi;
      phiSum[k] = phiSum[k - 1] + pw;
      c[k - 1] = p.alpha + p.beta * phiSum[k] + (k % 7 === 0 ? p.gamma : 0);
    }
  }
  const clip = model.nonNegative ? (x: number) => Math.max(0, x) : (x: number) => x;
  const out: ForecastDay[] = [];
  for (let h = 1; h <= H; h++) {
    const i = h - 1;
    const day = dayString(days[i]);
    const holiday = names[i];
    if (closed.has(wds[i])) {
      out.push({ day, mean: 0, lo80: 0, hi80: 0, lo95: 0, hi95: 0, ...(holiday ? { holiday } : {}), closed: true });
      continue;
    }
    let mean = model.level + phiSum[h] * model.trend + model.season[wds[i]];
    // Holidays: the day's own noise as if open (it is scaled by the ratio below).
    let variance = model.sigma[wds[i]] ** 2;
    if (p) for (let j = 1; j < h; j++) variance += c[h - j - 1] ** 2 * v[j - 1];
    let sd = Math.sqrt(variance);
    if (holiday) {
      mean *= model.holiday.ratio;
      sd *= model.holiday.ratio;
    }
    out.push({
      day,
      mean: clip(mean),
      lo80: clip(mean - Z80 * sd),
      hi80: clip(mean + Z80 * sd),
      lo95: clip(mean - Z95 * sd),
      hi95: clip(mean + Z95 * sd),
      ...(holiday ? { holiday } : {}),
    });
  }
  return out;
}

const WEEKDAY_NAMES = ['domingo', 'segunda', 'terça', 'quarta', 'quinta', 'sexta', 'sábado'];

/** The fitted model in words and numbers, JSON-able, for the report to show. */
export function describeModel(model: DailyModel) {
  const open = [0, 1, 2, 3, 4, 5, 6].filter((d) => !model.closedWeekdays.includes(d));
  const shift = open.length > 0 ? open.reduce((s, d) => s + model.season[d], 0) / open.length : 0;
  // Seasonals centred on the open weekdays, the level moved by the same amount (same forecasts).
  const level = model.level + shift;
  const effect = model.season.map((s, d) => (open.includes(d) ? s - shift : -level));
  const index = model.season.map((_, d) => (!open.includes(d) ? 0 : level > 0 ? (level + effect[d]) / level : null));
  return {
    kind: model.kind,
    method: model.kind === 'holt-winters'
      ? 'Holt–Winters aditivo com tendência amortecida, sazonalidade semanal, feriados e dias fechados'
      : 'Média por dia da semana (histórico de menos de 14 dias), intervalos largos',
    lastDay: model.lastDay,
    observations: model.observations,
    params: model.params,
    /** Level of an average open day at the last day, and the trend per day. */
    level,
    trendPerDay: model.trend,
    weekdays: WEEKDAY_NAMES.map((name, d) => ({
      weekday: d,
      name,
      closed: model.closedWeekdays.includes(d),
      /** Additive effect against the average open day. */
      effect: effect[d],
      /** Expected value as a multiple of the average open day (null when that level is ≤ 0). */
      index: index[d],
      sigma: model.sigma[d],
    })),
    holiday: model.holiday,
    rmse: Number.isFinite(model.rmse) ? model.rmse : null,
    nonNegative: model.nonNegative,
  };
}

export type ModelDescription = ReturnType<typeof describeModel>;
