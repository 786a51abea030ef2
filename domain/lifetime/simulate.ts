// Synthetic patients drawn from the models themselves, for tests and the benchmark: the exact
// generative stories of BG/NBD and Gamma–Gamma on the seeded PRNG of domain/random.ts, so a seed gives
// the same patients on every machine. Gamma variates by Marsaglia & Tsang (2000), normals by Box–Muller.
import { createRandom, type Random } from '../random';
import { checkBgNbdParams, type BgNbdParams } from './bgnbd';
import { checkGammaGammaParams, type GammaGammaParams } from './gamma-gamma';

/** A standard normal variate (Box–Muller; one of the pair). */
export function normalVariate(rnd: Random): number {
  const u = 1 - rnd.next(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.next());
}

/** A Gamma(shape, rate) variate; shape < 1 by the boost Gamma(shape+1) · U^(1/shape). */
export function gammaVariate(rnd: Random, shape: number, rate: number): number {
  if (!(shape > 0) || !(rate > 0)) throw new RangeError(`gammaVariate needs shape > 0 and rate > 0 (got ${shape}, ${rate})`);
  if (shape < 1) return gammaVariate(rnd, shape + 1, rate) * Math.pow(1 - rnd.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normalVariate(rnd);
    const v0 = 1 + c * x;
    if (v0 <= 0) continue;
    const v = v0 * v0 * v0;
    const u = 1 - rnd.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

/** A Beta(a, b) variate as X/(X+Y) of two gammas (the mean a/(a+b) if both underflow). */
export function betaVariate(rnd: Random, a: number, b: number): number {
  const x = gammaVariate(rnd, a, 1);
  const y = gammaVariate(rnd, b, 1);
  return x + y > 0 ? x / (x + y) : a / (a + b);
}

export interface SimulatedCustomer {
  frequency: number;
  recency: number;
  T: number;
  /** Ground truth: still active at T (never left after a repeat visit up to T). */
  alive: boolean;
  /** Visits in (T, T + future] (0 unless `future` was asked for). */
  futureVisits: number;
  /** The customer's visit rate λ and drop-out probability p (ground truth). */
  lambda: number;
  p: number;
}

export interface SimulateBgNbdOptions {
  /** Observation lengths are uniform on [Tmin, Tmax] (default Tmin = 0: patients arriving evenly). */
  Tmin?: number;
  /** Also count the visits in the `future` time units after T (a holdout period). */
  future?: number;
}

/**
 * `n` customers from BG/NBD: λ ~ Gamma(r, rate α), p ~ Beta(a, b), T uniform on [Tmin, Tmax] (in the
 * unit of α); visits are a Poisson process of rate λ from the first visit at 0, and after each repeat
 * visit the customer leaves with probability p. Deterministic per `seed`.
 */
export function simulateBgNbd(params: BgNbdParams, n: number, Tmax: number, seed: number | string, opts: SimulateBgNbdOptions = {}): SimulatedCustomer[] {
  checkBgNbdParams(params);
  const Tmin = opts.Tmin ?? 0;
  const future = opts.future ?? 0;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`simulateBgNbd: n must be a non-negative integer (got ${n})`);
  if (!Number.isFinite(Tmax) || !(Tmin >= 0) || Tmin > Tmax) throw new RangeError(`simulateBgNbd needs 0 ≤ Tmin ≤ Tmax (got ${Tmin}, ${Tmax})`);
  if (!Number.isFinite(future) || future < 0) throw new RangeError(`simulateBgNbd: future must be ≥ 0 (got ${future})`);
  const rnd = createRandom(seed);
  const out: SimulatedCustomer[] = [];
  for (let i = 0; i < n; i++) {
    const lambda = gammaVariate(rnd, params.r, params.alpha);
    const p = betaVariate(rnd, params.a, params.b);
    const T = Tmin + (Tmax - Tmin) * rnd.next();
    const end = T + future;
    let t = 0;
    let frequency = 0;
    let recency = 0;
    let futureVisits = 0;
    let alive = true;
    if (lambda > 0) {
      for (;;) {
        t += -Math.log(1 - rnd.next()) / lambda;
        if (t > end) break;
        if (t <= T) {
          frequency++;
          recency = t;
        } else futureVisits++;
        if (rnd.next() < p) {
          if (t <= T) alive = false;
          break;
        }
      }
    }
    out.push({ frequency, recency, T, alive, futureVisits, lambda, p });
  }
  return out;
}

/**
 * Average spend per repeat visit from Gamma–Gamma: per customer ν ~ Gamma(q, rate γ), each of her
 * `frequency` repeat visits spends z ~ Gamma(p, rate ν), and monetaryValue is their mean (0 when
 * frequency is 0, the convention of the fit, which skips those). Values are in the unit of γ.
 */
export function simulateGammaGamma(params: GammaGammaParams, customers: readonly { frequency: number }[], seed: number | string): { frequency: number; monetaryValue: number }[] {
  checkGammaGammaParams(params);
  const rnd = createRandom(seed);
  return customers.map((c, i) => {
    if (!Number.isInteger(c.frequency) || c.frequency < 0) throw new RangeError(`customer ${i}: frequency must be a non-negative integer (got ${c.frequency})`);
    const nu = gammaVariate(rnd, params.q, params.gamma);
    if (c.frequency === 0) return { frequency: 0, monetaryValue: 0 };
    let total = 0;
    for (let k = 0; k < c.frequency; k++) total += gammaVariate(rnd, params.p, nu);
    return { frequency: c.frequency, monetaryValue: total / c.frequency };
  });
}
