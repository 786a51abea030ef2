// Gamma–Gamma spend model of Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for
// Customer Base Analysis", Journal of Marketing Research 42(4) (details in Fader & Hardie, "The
// Gamma-Gamma Model of Monetary Value", 2013): what a patient will spend per visit, shrinking her own
// average towards the clinic's according to how many visits it rests on.
//
// Per patient: frequency x = repeat visits (as in BG/NBD) and monetaryValue m = the mean spend of those
// x repeat visits, in one money unit (centavos here: the CLV is in centavos). Each visit's spend is
// Gamma(p, ν) with her own ν ~ Gamma(q, γ) (γ in the money unit). Likelihood of one patient:
//   ln L = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ + m x).
// The fit maximises Σ ln L over ln p, ln q, ln γ (L-BFGS, analytic gradient, several starts).
//
// Who is fitted: only patients with x > 0 and m > 0. Those with x = 0 have no repeat spend to model;
// a repeat-visit average of exactly 0 (courtesy visits only) has zero density under a gamma and is
// left out too — so the fit describes paying patients, and expectedAverageValue still shrinks a zero
// average towards the clinic's mean. Bad input (NaN, negative money, non-integer frequency) is a
// RangeError, and so is a list with nobody left to fit, or whose averages are all the same (one customer
// included: the likelihood is then unbounded and any estimate would be arbitrary).
import { multiStart, type FitOptions, type Objective } from './optimize';
import { digamma, digammaDiff, logGamma, logGammaRatio } from './special';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface GammaGammaFit extends GammaGammaParams {
  /** Σ ln L at the estimate, over the customers that were fitted (x > 0, m > 0). */
  logLikelihood: number;
}

export interface SpendCustomer {
  /** Repeat visits, a non-negative integer. */
  frequency: number;
  /** Mean spend of the repeat visits, ≥ 0 (0 when frequency is 0). */
  monetaryValue: number;
}

/** Throws a RangeError unless every Gamma–Gamma parameter is a finite positive number. */
export function checkGammaGammaParams(params: GammaGammaParams): void {
  for (const k of ['p', 'q', 'gamma'] as const) {
    if (!Number.isFinite(params[k]) || params[k] <= 0) throw new RangeError(`Gamma–Gamma parameter ${k} must be a finite number > 0 (got ${params[k]})`);
  }
}

function checkSpend(c: SpendCustomer, where: string): void {
  if (!Number.isInteger(c.frequency) || c.frequency < 0) throw new RangeError(`${where}: frequency must be a non-negative integer (got ${c.frequency})`);
  if (!Number.isFinite(c.monetaryValue) || c.monetaryValue < 0) throw new RangeError(`${where}: monetaryValue must be a finite number ≥ 0 (got ${c.monetaryValue})`);
}

interface Packed {
  n: number;
  groupX: number[];
  groupCount: number[];
  x: Float64Array;
  m: Float64Array;
  /** Σ x ln m + Σ x ln x (the coefficient of p) and Σ ln m (constant). */
  sumXLnMX: number;
  sumLnM: number;
}

function pack(customers: readonly SpendCustomer[]): Packed {
  if (!Array.isArray(customers) || customers.length === 0) throw new RangeError('fitGammaGamma needs at least one customer');
  customers.forEach((c, i) => checkSpend(c, `customer ${i}`));
  const used = customers.filter((c) => c.frequency > 0 && c.monetaryValue > 0);
  if (used.length === 0) throw new RangeError('fitGammaGamma: no customer has a repeat visit with a spend above 0, so there is nothing to fit');
  if (used.every((c) => c.monetaryValue === used[0].monetaryValue)) {
    // One customer, or all alike: the likelihood grows without bound as the spread goes to 0.
    throw new RangeError(`fitGammaGamma: all ${used.length} fitted customers have the same average spend, so there is no spread to fit`);
  }
  const index = new Map<number, number>();
  const groupX: number[] = [];
  const groupCount: number[] = [];
  let sumXLnMX = 0;
  let sumLnM = 0;
  for (const c of used) {
    let g = index.get(c.frequency);
    if (g === undefined) {
      g = groupX.length;
      index.set(c.frequency, g);
      groupX.push(c.frequency);
      groupCount.push(0);
    }
    groupCount[g]++;
    const lnM = Math.log(c.monetaryValue);
    sumXLnMX += c.frequency * (lnM + Math.log(c.frequency));
    sumLnM += lnM;
  }
  return {
    n: used.length, groupX, groupCount,
    x: Float64Array.from(used, (c) => c.frequency), m: Float64Array.from(used, (c) => c.monetaryValue),
    sumXLnMX, sumLnM,
  };
}

/** −(mean log-likelihood) over θ = (ln p, ln q, ln γ) and its gradient. */
function objective(d: Packed): Objective {
  return (theta, grad) => {
    const p = Math.exp(theta[0]);
    const q = Math.exp(theta[1]);
    const gamma = Math.exp(theta[2]);
    const lnGamma = theta[2];
    let ll = d.n * (q * lnGamma - logGamma(q)) + p * d.sumXLnMX - d.sumLnM;
    let gp = d.sumXLnMX;
    let gq = d.n * (lnGamma - digamma(q));
    let gg = (d.n * q) / gamma;
    for (let g = 0; g < d.groupX.length; g++) {
      const x = d.groupX[g];
      const n = d.groupCount[g];
      const px = p * x;
      ll += n * logGammaRatio(px, q);
      gp += n * x * digammaDiff(px, q);
      gq += n * digamma(px + q);
    }
    for (let i = 0; i < d.x.length; i++) {
      const x = d.x[i];
      const base = gamma + d.m[i] * x;
      const lb = Math.log(base);
      const k = p * x + q;
      ll -= k * lb;
      gp -= x * lb;
      gq -= lb;
      gg -= k / base;
    }
    const s = -1 / d.n;
    grad[0] = s * gp * p;
    grad[1] = s * gq * q;
    grad[2] = s * gg * gamma;
    return s * ll;
  };
}

/**
 * Maximum-likelihood Gamma–Gamma parameters over the customers with frequency > 0 and monetaryValue > 0
 * (see the header). Starts at p = 2, q = 3, γ = the mean of m (so pγ/(q−1) is the observed mean), then
 * seeded perturbations as in fitBgNbd. Throws a RangeError for the cases of the header (nothing to
 * fit; all averages equal, a single customer included). A sample too small to show both spreads (a
 * few dozen) may end at the edge of the search, [1e-6, 1e6]: typically p → ∞, "each patient always
 * spends her own amount" (no shrinkage), whose predictions are finite; parametersAtBound names them.
 */
export function fitGammaGamma(customers: readonly SpendCustomer[], opts: FitOptions = {}): GammaGammaFit {
  const d = pack(customers);
  const f = objective(d);
  let mean = 0;
  for (let i = 0; i < d.m.length; i++) mean += d.m[i] / d.n;
  const theta0 = [Math.log(2), Math.log(3), Math.log(mean)];
  const best = multiStart(f, theta0, opts, 'gamma-gamma');
  const [p, q, gamma] = best.theta.map(Math.exp);
  return { p, q, gamma, logLikelihood: -best.f * d.n };
}

/** Σ ln L under `params` of the customers with frequency > 0 and monetaryValue > 0. */
export function gammaGammaLogLikelihood(params: GammaGammaParams, customers: readonly SpendCustomer[]): number {
  checkGammaGammaParams(params);
  const d = pack(customers);
  const theta = [params.p, params.q, params.gamma].map(Math.log);
  return -objective(d)(theta, [0, 0, 0]) * d.n;
}

/**
 * E[spend per visit | x, m] = (γ + m x) p / (p x + q − 1), a weighted mean of the clinic's mean
 * pγ/(q−1) and her own m, the weight on hers growing with x. x = 0 gives the clinic's mean. When
 * p x + q ≤ 1 the expectation is infinite (a fit with q ≤ 1 has a heavy tail): RangeError, not Infinity.
 */
export function expectedAverageValue(params: GammaGammaParams, c: SpendCustomer): number {
  checkGammaGammaParams(params);
  checkSpend(c, 'customer');
  const { p, q, gamma } = params;
  const denominator = p * c.frequency + q - 1;
  if (!(denominator > 0)) {
    throw new RangeError(`expectedAverageValue: p·x + q − 1 = ${denominator} ≤ 0, the expected spend is infinite (q = ${q}); refit with more data`);
  }
  return ((gamma + c.monetaryValue * c.frequency) * p) / denominator;
}
