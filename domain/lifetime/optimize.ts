// A small L-BFGS minimiser for the maximum-likelihood fits (a handful of parameters, an analytic
// gradient, many data points): quasi-Newton directions from the last few steps, a backtracking line
// search that also backs off from non-finite values, and restarts from the steepest descent when the
// curvature information goes bad; and the multi-start driver of the fits, whose extra starts come
// from the seeded PRNG (deterministic: same data and seed, same answer).
import { createRandom } from '../random';

/** f(x) and its gradient written into `grad`; may return a non-finite value for x out of the domain. */
export type Objective = (x: readonly number[], grad: number[]) => number;

export interface MinimizeResult {
  x: number[];
  f: number;
  iterations: number;
  evaluations: number;
  /** True when the gradient (or the change of f) fell below tolerance before maxIterations. */
  converged: boolean;
}

export interface MinimizeOptions {
  maxIterations?: number;
  /** Stop when max |gradient| ≤ gradTolerance. */
  gradTolerance?: number;
  /** Stop when |Δf| ≤ fTolerance × max(1, |f|) for three iterations in a row. */
  fTolerance?: number;
  memory?: number;
}

const dot = (a: readonly number[], b: readonly number[]) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const maxAbs = (a: readonly number[]) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** Minimises `fn` from `x0` with L-BFGS. Throws a RangeError when f(x0) is not finite. */
export function minimize(fn: Objective, x0: readonly number[], opts: MinimizeOptions = {}): MinimizeResult {
  const maxIterations = opts.maxIterations ?? 500;
  const gradTolerance = opts.gradTolerance ?? 1e-9;
  const fTolerance = opts.fTolerance ?? 1e-13;
  const m = opts.memory ?? 8;
  const n = x0.length;
  let x = x0.slice();
  let g = new Array<number>(n).fill(0);
  let f = fn(x, g);
  let evaluations = 1;
  if (!Number.isFinite(f) || !g.every(Number.isFinite)) throw new RangeError('the objective is not finite at the starting point');
  const S: number[][] = [];
  const Y: number[][] = [];
  let flat = 0;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    if (maxAbs(g) <= gradTolerance) return { x, f, iterations, evaluations, converged: true };
    // Two-loop recursion: d = −H g.
    const q = g.slice();
    const alphas: number[] = [];
    for (let i = S.length - 1; i >= 0; i--) {
      const rho = 1 / dot(Y[i], S[i]);
      const a = rho * dot(S[i], q);
      alphas[i] = a;
      for (let j = 0; j < n; j++) q[j] -= a * Y[i][j];
    }
    let gammaScale = 1;
    if (S.length > 0) gammaScale = dot(S[S.length - 1], Y[S.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1]);
    else gammaScale = 1 / Math.max(1, maxAbs(g)); // first step: at most a unit move in any coordinate
    for (let j = 0; j < n; j++) q[j] *= gammaScale;
    for (let i = 0; i < S.length; i++) {
      const rho = 1 / dot(Y[i], S[i]);
      const b = rho * dot(Y[i], q);
      for (let j = 0; j < n; j++) q[j] += S[i][j] * (alphas[i] - b);
    }
    let d = q.map((v) => -v);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (bad curvature pairs): forget them and go downhill.
      S.length = 0;
      Y.length = 0;
      const scale = 1 / Math.max(1, maxAbs(g));
      d = g.map((v) => -v * scale);
      slope = dot(g, d);
    }
    // Backtracking line search with the Armijo condition.
    let step = 1;
    let xNew: number[] = x;
    const gNew = new Array<number>(n).fill(0);
    let fNew = Infinity;
    let accepted = false;
    for (let k = 0; k < 60; k++) {
      xNew = x.map((v, j) => v + step * d[j]);
      fNew = fn(xNew, gNew);
      evaluations++;
      if (Number.isFinite(fNew) && gNew.every(Number.isFinite) && fNew <= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= k < 2 ? 0.5 : 0.25;
    }
    if (!accepted) {
      if (S.length === 0) return { x, f, iterations, evaluations, converged: maxAbs(g) <= Math.sqrt(gradTolerance) };
      S.length = 0; // retry once from steepest descent
      Y.length = 0;
      continue;
    }
    const s = xNew.map((v, j) => v - x[j]);
    const y = gNew.map((v, j) => v - g[j]);
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      S.push(s);
      Y.push(y);
      if (S.length > m) {
        S.shift();
        Y.shift();
      }
    }
    const df = f - fNew;
    x = xNew;
    g = gNew;
    f = fNew;
    flat = Math.abs(df) <= fTolerance * Math.max(1, Math.abs(f)) ? flat + 1 : 0;
    if (flat >= 3) return { x, f, iterations: iterations + 1, evaluations, converged: true };
  }
  return { x, f, iterations, evaluations, converged: maxAbs(g) <= gradTolerance };
}

/**
 * `fn` restricted to the box [lo, hi] in every coordinate: outside, the objective is f at the nearest
 * point of the box continued linearly along its gradient, plus a steep quadratic wall: finite,
 * continuously differentiable (good for L-BFGS), and its minimum lies on or just outside the box
 * (clamp the result).
 */
export function boxed(fn: Objective, lo: number, hi: number, wall = 1e4): Objective {
  return (x, grad) => {
    let extra = 0;
    const inside = x.map((v) => Math.min(hi, Math.max(lo, v)));
    const f = fn(inside, grad);
    for (let j = 0; j < x.length; j++) {
      const over = x[j] - inside[j];
      if (over !== 0) {
        extra += grad[j] * over + wall * over * over;
        grad[j] += 2 * wall * over;
      }
    }
    return f + extra;
  };
}

export interface FitOptions {
  /** How many starting points at most (default 4); the fit stops early when two agree. */
  starts?: number;
  /** Seed of the perturbed starts (default 'bgnbd' / 'gamma-gamma'): same data + seed → same fit. */
  seed?: number | string;
}

/**
 * The fits search each parameter within [e^−13.8, e^13.8] ≈ [1e-6, 1e6]. An estimate on that edge means
 * the likelihood keeps improving towards 0 or ∞ and the fit is the limit model there (e.g. b → ∞:
 * nobody seen leaving, BG/NBD becomes NBD; Gamma–Gamma p → ∞: each patient always spends the same).
 * Its predictions are those of the limit, finite and usable; parametersAtBound says when it happened.
 */
export const LOG_PARAM_BOUND = 13.8;

/** The names of the parameters of a fit (BG/NBD or Gamma–Gamma) that sit at the edge of the search, [] for none. */
export function parametersAtBound(fit: object): string[] {
  return Object.entries(fit)
    .filter(([k, v]) => k !== 'logLikelihood' && typeof v === 'number' && v > 0 && Math.abs(Math.log(v)) >= LOG_PARAM_BOUND - 0.05)
    .map(([k]) => k);
}

/** Runs the boxed L-BFGS from several starts; returns the best θ and f. Shared with the Gamma–Gamma fit. */
export function multiStart(f: Objective, theta0: readonly number[], opts: FitOptions, defaultSeed: string): { theta: number[]; f: number } {
  const starts = Math.max(1, Math.floor(opts.starts ?? 4));
  const rnd = createRandom(opts.seed ?? defaultSeed);
  const box = boxed(f, -LOG_PARAM_BOUND, LOG_PARAM_BOUND);
  let best: { theta: number[]; f: number } | null = null;
  const optima: number[] = [];
  for (let s = 0; s < starts; s++) {
    const start = s === 0 ? theta0.slice() : theta0.map((v) => v + (rnd.next() * 3 - 1.5));
    let result;
    try {
      result = minimize(box, start);
    } catch {
      continue; // a start where the objective is not finite: try the next one
    }
    const theta = result.x.map((v) => Math.min(LOG_PARAM_BOUND, Math.max(-LOG_PARAM_BOUND, v)));
    const value = f(theta, theta.map(() => 0));
    if (!Number.isFinite(value)) continue;
    if (!best || value < best.f) best = { theta, f: value };
    // Two starts on the same optimum (to 1e-9 of the mean log-likelihood): done.
    if (optima.some((o) => Math.abs(o - value) <= 1e-9 * Math.max(1, Math.abs(value)))) break;
    optima.push(value);
  }
  if (!best) throw new RangeError('the likelihood is not finite anywhere the optimiser looked (check the data)');
  return best;
}

