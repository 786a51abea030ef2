// BG/NBD ("beta-geometric / negative binomial distribution") of Fader, Hardie & Lee (2005), "Counting
// Your Customers the Easy Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2):
// how many more visits a patient will make, and how likely she is still a patient at all, from three
// numbers per patient. Pure: the caller turns appointment dates into those numbers.
//
// Per patient, in one time unit of the caller's choice (days or weeks; the same for all patients, and
// the fitted alpha is in that unit):
//   frequency  x   = repeat visits (visits after the first; distinct visit days are the usual choice),
//   recency    t_x = time from her first visit to her last one (0 when x = 0),
//   T              = time from her first visit to the end of the observation (now).
// Model: while active she visits as a Poisson process of rate λ ~ Gamma(r, α); after each repeat visit
// she leaves for good with probability p ~ Beta(a, b).
//
// Likelihood of one patient (the paper's, in logs):
//   ln L = A₁ + A₂ + ln(e^{A₃} + δ_{x>0} e^{A₄})
//   A₁ = ln Γ(r+x) − ln Γ(r) + r ln α          A₂ = ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x)
//   A₃ = −(r+x) ln(α+T)                        A₄ = ln a − ln(b+x−1) − (r+x) ln(α+t_x)
// The fit maximises Σ ln L over ln r, ln α, ln a, ln b with L-BFGS and the analytic gradient, from
// several starts (see fitBgNbd). Log-gamma differences for integer x are sums of logs (no cancellation);
// the last term is a log-sum-exp.
//
// Bad input: every function here throws a RangeError with an English message for NaN, negative or
// non-integer frequency, negative times, recency > T, or recency > 0 with frequency 0. fitBgNbd also
// throws for an empty list, for a list in which nobody came back (frequency 0 for all: the data say
// nothing about λ or p, and any answer would be invented), and for repeat visits that all fall on the
// first day (recency 0 for everybody: no timing to fit; the likelihood is unbounded). A sample too
// small to show some feature (nobody seen leaving) gives the limit model at the edge of the search, see
// fitBgNbd and parametersAtBound; callers may treat that as "not enough history yet".
import { LOG_PARAM_BOUND, multiStart, type FitOptions, type Objective } from './optimize';
import { digammaDiff, logGammaRatio } from './special';

export type { FitOptions } from './optimize';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface BgNbdFit extends BgNbdParams {
  /** Σ ln L at the estimate (natural log, all customers). */
  logLikelihood: number;
}

export interface RfCustomer {
  /** Repeat visits (visits after the first), a non-negative integer. */
  frequency: number;
  /** Time of the last visit since the first, 0 ≤ recency ≤ T (0 when frequency is 0). */
  recency: number;
  /** Time since the first visit (the observation length for this customer), ≥ 0. */
  T: number;
}

/** Throws a RangeError unless `c` is a valid (frequency, recency, T) triple; `where` names it. */
export function checkRfCustomer(c: RfCustomer, where = 'customer'): void {
  const { frequency: x, recency: tx, T } = c;
  if (!Number.isInteger(x) || x < 0) throw new RangeError(`${where}: frequency must be a non-negative integer (got ${x})`);
  if (!Number.isFinite(tx) || tx < 0) throw new RangeError(`${where}: recency must be a finite number ≥ 0 (got ${tx})`);
  if (!Number.isFinite(T) || T < 0) throw new RangeError(`${where}: T must be a finite number ≥ 0 (got ${T})`);
  if (tx > T) throw new RangeError(`${where}: recency (${tx}) cannot exceed T (${T})`);
  if (x === 0 && tx !== 0) throw new RangeError(`${where}: recency must be 0 when frequency is 0 (got ${tx})`);
}

/** Throws a RangeError unless every BG/NBD parameter is a finite positive number. */
export function checkBgNbdParams(p: BgNbdParams): void {
  for (const k of ['r', 'alpha', 'a', 'b'] as const) {
    if (!Number.isFinite(p[k]) || p[k] <= 0) throw new RangeError(`BG/NBD parameter ${k} must be a finite number > 0 (got ${p[k]})`);
  }
}

/** The data of a fit, packed: customers with x > 0 one by one, those with x = 0 only by their T. */
interface Packed {
  n: number;
  /** Distinct frequencies > 0 and how many customers have each. */
  groupX: number[];
  groupCount: number[];
  /** Per customer with x > 0: index into groupX, recency and T. */
  group: Int32Array;
  tx: Float64Array;
  T: Float64Array;
  /** T of the customers with x = 0. */
  T0: Float64Array;
  totalX: number;
  totalT: number;
}

function pack(customers: readonly RfCustomer[]): Packed {
  if (!Array.isArray(customers) || customers.length === 0) throw new RangeError('fitBgNbd needs at least one customer');
  const index = new Map<number, number>();
  const groupX: number[] = [];
  const groupCount: number[] = [];
  const repeaters = customers.filter((c, i) => {
    checkRfCustomer(c, `customer ${i}`);
    return c.frequency > 0;
  });
  if (repeaters.length === 0) {
    throw new RangeError('fitBgNbd: no customer has a repeat visit (all frequencies are 0), so visit rate and drop-out cannot be estimated');
  }
  if (repeaters.every((c) => c.recency === 0)) {
    throw new RangeError('fitBgNbd: every repeat visit is on the day of the first visit (recency 0 for all), so there is no visit timing to fit');
  }
  const group = new Int32Array(repeaters.length);
  const tx = new Float64Array(repeaters.length);
  const T = new Float64Array(repeaters.length);
  let totalX = 0;
  repeaters.forEach((c, i) => {
    let g = index.get(c.frequency);
    if (g === undefined) {
      g = groupX.length;
      index.set(c.frequency, g);
      groupX.push(c.frequency);
      groupCount.push(0);
    }
    groupCount[g]++;
    group[i] = g;
    tx[i] = c.recency;
    T[i] = c.T;
    totalX += c.frequency;
  });
  const T0 = Float64Array.from(customers.filter((c) => c.frequency === 0), (c) => c.T);
  const totalT = customers.reduce((s, c) => s + c.T, 0);
  return { n: customers.length, groupX, groupCount, group, tx, T, T0, totalX, totalT };
}

/**
 * −(mean log-likelihood) over θ = (ln r, ln α, ln a, ln b) and its gradient. Per distinct frequency:
 * the log-gamma sums and their digamma derivatives; per customer: two logs and one log-sum-exp.
 */
function objective(d: Packed): Objective {
  const G = d.groupX.length;
  const lnB1 = new Float64Array(G);
  return (theta, grad) => {
    const r = Math.exp(theta[0]);
    const alpha = Math.exp(theta[1]);
    const a = Math.exp(theta[2]);
    const b = Math.exp(theta[3]);
    const lnAlpha = theta[1];
    const lnA = theta[2];
    let ll = 0;
    let gr = 0;
    let gAlpha = 0;
    let ga = 0;
    let gb = 0;
    // Customers with x = 0: A₁ + A₂ + A₃ = r ln α − r ln(α+T).
    for (let i = 0; i < d.T0.length; i++) {
      const T = d.T0[i];
      ll += r * (lnAlpha - Math.log(alpha + T));
      gr += lnAlpha - Math.log(alpha + T);
      gAlpha += r / alpha - r / (alpha + T);
    }
    // Group terms of x > 0: A₁ + A₂.
    for (let g = 0; g < G; g++) {
      const x = d.groupX[g];
      const n = d.groupCount[g];
      ll += n * (logGammaRatio(r, x) + r * lnAlpha + logGammaRatio(b, x) - logGammaRatio(a + b, x));
      const dab = digammaDiff(a + b, x);
      gr += n * (digammaDiff(r, x) + lnAlpha);
      gAlpha += (n * r) / alpha;
      ga -= n * dab;
      gb += n * (digammaDiff(b, x) - dab);
      lnB1[g] = Math.log(b + x - 1);
    }
    // Per customer with x > 0: ln(e^{A₃} + e^{A₄}).
    for (let i = 0; i < d.tx.length; i++) {
      const g = d.group[i];
      const x = d.groupX[g];
      const rx = r + x;
      const lT = Math.log(alpha + d.T[i]);
      const lt = Math.log(alpha + d.tx[i]);
      const A3 = -rx * lT;
      const A4 = lnA - lnB1[g] - rx * lt;
      // weights of the two terms in the sum: w4 = e^{A₄} / (e^{A₃} + e^{A₄})
      let w4: number;
      if (A4 > A3) {
        const e = Math.exp(A3 - A4);
        ll += A4 + Math.log1p(e);
        w4 = 1 / (1 + e);
      } else {
        const e = Math.exp(A4 - A3);
        ll += A3 + Math.log1p(e);
        w4 = e / (1 + e);
      }
      const w3 = 1 - w4;
      gr -= w3 * lT + w4 * lt;
      gAlpha -= rx * (w3 / (alpha + d.T[i]) + w4 / (alpha + d.tx[i]));
      ga += w4 / a;
      gb -= w4 / (b + x - 1);
    }
    const s = -1 / d.n;
    grad[0] = s * gr * r;
    grad[1] = s * gAlpha * alpha;
    grad[2] = s * ga * a;
    grad[3] = s * gb * b;
    return s * ll;
  };
}

/** Σ ln L of the customers under `params` (see the header for ln L). */
export function bgNbdLogLikelihood(params: BgNbdParams, customers: readonly RfCustomer[]): number {
  checkBgNbdParams(params);
  const d = pack(customers);
  const theta = [params.r, params.alpha, params.a, params.b].map(Math.log);
  return -objective(d)(theta, [0, 0, 0, 0]) * d.n;
}

/**
 * Maximum-likelihood BG/NBD parameters. Starts from r = 1, α = ΣT/Σx (so r/α is the observed visit
 * rate, whatever the time unit), a = 1, b = 3, then up to `starts − 1` starts drawn ±1.5 around it in
 * log space from the seeded PRNG; stops when two starts reach the same optimum and keeps the best.
 * Throws a RangeError on empty or invalid input, when no customer has frequency > 0, and when every
 * repeat visit is at time 0 (recency 0 for all: no timing at all) or α runs to 0 (see header). Small
 * samples may end at the edge of the search, [1e-6, 1e6] (a single customer: "everybody is like
 * her"; a few dozen: b → ∞, "nobody seen leaving"): that limit model is returned, finite and usable,
 * and parametersAtBound(fit) names the parameters concerned.
 */
export function fitBgNbd(customers: readonly RfCustomer[], opts: FitOptions = {}): BgNbdFit {
  const d = pack(customers);
  const f = objective(d);
  const alpha0 = Math.max(1e-3, d.totalT / d.totalX);
  const theta0 = [0, Math.log(alpha0), 0, Math.log(3)];
  const best = multiStart(f, theta0, opts, 'bgnbd');
  if (best.theta[1] <= -LOG_PARAM_BOUND + 0.05) {
    // α → 0 with r/α → ∞: the likelihood grows without bound by putting the visits at time 0.
    throw new RangeError('fitBgNbd: the visit timing is degenerate (alpha ran to 0: repeat visits too close to the first one); use a finer time unit');
  }
  const [r, alpha, a, b] = best.theta.map(Math.exp);
  return { r, alpha, a, b, logLikelihood: -best.f * d.n };
}

/**
 * P(still active | x, t_x, T) (Fader, Hardie & Lee): 1 / (1 + δ_{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^{r+x}),
 * computed as a logistic of the log-odds so that it neither overflows nor rounds to 0/0.
 * By the model's convention a customer without a repeat visit (x = 0) is alive with probability 1:
 * she can only leave right after a repeat visit.
 */
export function probabilityAlive(params: BgNbdParams, c: RfCustomer): number {
  checkBgNbdParams(params);
  checkRfCustomer(c);
  const { r, alpha, a, b } = params;
  const { frequency: x, recency: tx, T } = c;
  if (x === 0) return 1;
  // ln odds(dead) = ln a − ln(b+x−1) + (r+x) ln((α+T)/(α+t_x))
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * Math.log1p((T - tx) / (alpha + tx));
  return logOdds > 0 ? Math.exp(-logOdds) / (1 + Math.exp(-logOdds)) : 1 / (1 + Math.exp(logOdds));
}

/**
 * E[visits in (T, T+t] | x, t_x, T] — the paper's eq. 10,
 *   (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive),
 * evaluated in a form without its removable singularity at a = 1. With u = t/(α+T), z = u/(1+u),
 * ε = 1 − a and C = a+b+x−1, Euler's transformation ₂F₁(A,B;C;z) = (1−z)^{C−A−B} ₂F₁(C−A, C−B; C; z)
 * turns the bracket into 1 − (1+u)^ε ₂F₁(a+b−1−r, a−1; C; z), and (a−1)ₙ = (a−1)(a)ₙ₋₁ cancels the
 * 1/(a−1):
 *   E = P(alive) · [ C · expm1(ε ln(1+u))/ε − (1+u)^ε · Σ_{n≥1} (a+b−1−r)ₙ (a)ₙ₋₁ / ((C+1)ₙ₋₁ n!) zⁿ ].
 * The series has 0 ≤ z < 1 and terms of order n^{a−r−x−2} zⁿ: a few dozen terms for t about the
 * observation length, hundreds when t is ten times α+T (tested against eq. 10 through hyp2f1 and
 * against direct numerical integration over p). Where it would cancel large terms (a·z ≫ 1 or r huge,
 * i.e. estimates at the edge of the search) or need more than 100,000 terms, the same expectation is
 * computed by quadrature over p (expectedPurchasesIfAliveByQuadrature). `t` is in the unit of T;
 * t = 0 gives 0. Never NaN: a value that cannot be computed is a RangeError.
 */
export function expectedPurchases(params: BgNbdParams, c: RfCustomer, t: number): number {
  if (!Number.isFinite(t) || t < 0) throw new RangeError(`expectedPurchases: t must be a finite number ≥ 0 (got ${t})`);
  const alive = probabilityAlive(params, c);
  if (t === 0) return 0;
  return alive * expectedPurchasesIfAlive(params, c.frequency, c.T, t);
}

/**
 * The bracket of expectedPurchases: expected visits in the next t for a customer known to be active,
 * by the reduced series; where that series would cancel large terms (a·z or r large: estimates at the
 * edge of the search, see parametersAtBound) or converge too slowly, by quadrature instead. No input
 * checks (expectedPurchases does them): for callers that already validated, like the CLV's monthly loop.
 */
export function expectedPurchasesIfAlive(params: BgNbdParams, x: number, T: number, t: number): number {
  const { r, alpha, a, b } = params;
  const u = t / (alpha + T);
  const z = u / (1 + u);
  const L = Math.log1p(u);
  const C = a + b + x - 1;
  const eps = 1 - a;
  const first = C * (eps === 0 ? L : Math.expm1(eps * L) / eps);
  const A = a + b - 1 - r;
  const scale = Math.exp(eps * L);
  // term_n = (A)_n (a)_{n−1} / ((C+1)_{n−1} n!) zⁿ; term_1 = A z.
  let term = A * z;
  let sum = term;
  let largest = Math.abs(term);
  let small = 0;
  let converged = false;
  for (let n = 1; n < 100_000; n++) {
    term *= ((A + n) * (a + n - 1)) / ((C + n) * (n + 1)) * z;
    sum += term;
    largest = Math.max(largest, Math.abs(term));
    if (term === 0 || !Number.isFinite(term)) {
      converged = term === 0;
      break;
    }
    if (Math.abs(term) <= 1e-16 * Math.abs(sum) && Math.abs((A + n + 1) * (a + n) * z) < Math.abs((C + n + 1) * (n + 2))) {
      if (++small >= 2) {
        converged = true;
        break;
      }
    } else small = 0;
  }
  const value = first - scale * sum;
  // Digits lost to cancellation ≈ log10(largest magnitude / result): accept up to 6 of 16.
  if (converged && Number.isFinite(value) && Math.max(Math.abs(first), scale * largest) <= 1e6 * Math.abs(value)) {
    return Math.max(0, value); // rounding can leave a tiny negative number when the true value is ~0
  }
  return expectedPurchasesIfAliveByQuadrature(params, x, T, t);
}

/**
 * The same expectation as an integral over the drop-out probability p, whose posterior for an active
 * customer is Beta(a, b+x) (and λ's is Gamma(r+x, α+T), integrated out in closed form):
 *   E = ∫ (1 − (1 + p·t/(α+T))^−(r+x)) / p · Beta(p; a, b+x) dp,
 * by the trapezoidal rule in y = logit p (where the Beta density is smooth, unimodal and decays
 * exponentially, so the rule converges geometrically), self-normalised so that no Beta function is
 * needed. Range: the mode ± max(12 sd, 45/a or 45/(b+x) nats of tail); step ≤ sd/3 and ≤ 0.25, at
 * most 40,000 points. Exported for the tests, which check it against the series.
 */
export function expectedPurchasesIfAliveByQuadrature(params: BgNbdParams, x: number, T: number, t: number): number {
  const { r, alpha, a, b } = params;
  const B = b + x;
  const k = r + x;
  const u = t / (alpha + T);
  const mode = Math.log(a / B);
  const sd = 1 / Math.sqrt((a * B) / (a + B));
  const lo = mode - Math.max(12 * sd, 45 / a);
  const hi = mode + Math.max(12 * sd, 45 / B);
  const steps = Math.min(40_000, Math.ceil((hi - lo) / Math.min(sd / 3, 0.25)));
  const h = (hi - lo) / steps;
  // log density of y up to a constant: a·y − (a+B)·ln(1 + e^y), written to avoid overflow.
  const logDensity = (y: number) => (y < 0 ? a * y - (a + B) * Math.log1p(Math.exp(y)) : -B * y - (a + B) * Math.log1p(Math.exp(-y)));
  const top = logDensity(mode);
  let num = 0;
  let den = 0;
  for (let i = 0; i <= steps; i++) {
    const y = lo + i * h;
    const w = Math.exp(logDensity(y) - top) * (i === 0 || i === steps ? 0.5 : 1);
    const p = y < 0 ? Math.exp(y) / (1 + Math.exp(y)) : 1 / (1 + Math.exp(-y));
    const pu = p * u;
    const g = pu < 1e-8 ? k * u * (1 - ((k + 1) * pu) / 2) : -Math.expm1(-k * Math.log1p(pu)) / p;
    num += w * g;
    den += w;
  }
  const value = num / den;
  if (!Number.isFinite(value)) throw new RangeError(`expectedPurchases: not computable for r=${r}, α=${alpha}, a=${a}, b=${b}, x=${x}, t/(α+T)=${u}`);
  return value;
}
