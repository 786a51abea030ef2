// The simulators reproduce their models' moments and are seeded; the L-BFGS minimiser and its box.
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random';
import { betaVariate, gammaVariate, minimize, simulateBgNbd, simulateGammaGamma, type Objective } from './index';
import { boxed } from './optimize';

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length;
};

describe('variates', () => {
  it('gamma and beta have their means and variances (shape below and above 1)', () => {
    const rnd = createRandom('variates');
    for (const [shape, rate] of [[0.24, 4.41], [6.25, 2], [1, 1]]) {
      const xs = Array.from({ length: 100_000 }, () => gammaVariate(rnd, shape, rate));
      expect(Math.abs(mean(xs) / (shape / rate) - 1)).toBeLessThan(0.03);
      expect(Math.abs(variance(xs) / (shape / rate ** 2) - 1)).toBeLessThan(0.06);
    }
    const ps = Array.from({ length: 100_000 }, () => betaVariate(rnd, 0.79, 2.43));
    expect(Math.abs(mean(ps) - 0.79 / 3.22)).toBeLessThan(0.005);
    expect(() => gammaVariate(rnd, 0, 1)).toThrow(RangeError);
  });
});

describe('simulateBgNbd and simulateGammaGamma', () => {
  const P = { r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 };

  it('are deterministic per seed and give consistent triples', () => {
    const a = simulateBgNbd(P, 2000, 39, 7, { Tmin: 10, future: 5 });
    expect(simulateBgNbd(P, 2000, 39, 7, { Tmin: 10, future: 5 })).toEqual(a);
    expect(simulateBgNbd(P, 2000, 39, 8)).not.toEqual(a);
    for (const c of a) {
      expect(c.T).toBeGreaterThanOrEqual(10);
      expect(c.T).toBeLessThanOrEqual(39);
      expect(c.recency).toBeLessThanOrEqual(c.T);
      if (c.frequency === 0) expect(c.recency).toBe(0);
      if (!c.alive) expect(c.futureVisits).toBe(0);
    }
    // Mean visit rate of the population: E[λ] = r/α.
    expect(Math.abs(mean(a.map((c) => c.lambda)) / (P.r / P.alpha) - 1)).toBeLessThan(0.1);
    const spends = simulateGammaGamma({ p: 6.25, q: 3.74, gamma: 15.44 }, a, 'spend');
    expect(simulateGammaGamma({ p: 6.25, q: 3.74, gamma: 15.44 }, a, 'spend')).toEqual(spends);
    expect(spends.filter((s) => s.frequency === 0).every((s) => s.monetaryValue === 0)).toBe(true);
    expect(spends.filter((s) => s.frequency > 0).every((s) => s.monetaryValue > 0)).toBe(true);
    expect(() => simulateBgNbd(P, -1, 39, 1)).toThrow(RangeError);
    expect(() => simulateBgNbd(P, 10, 5, 1, { Tmin: 6 })).toThrow(RangeError);
  });

  it('mean spend per visit is pγ/(q−1) across many patients', () => {
    const many = simulateGammaGamma({ p: 6.25, q: 3.74, gamma: 15.44 }, Array.from({ length: 50_000 }, () => ({ frequency: 1 })), 'mean');
    expect(Math.abs(mean(many.map((s) => s.monetaryValue)) / ((6.25 * 15.44) / 2.74) - 1)).toBeLessThan(0.02);
  });
});

describe('minimize', () => {
  const rosenbrock: Objective = (x, g) => {
    g[0] = -2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] * x[0]);
    g[1] = 200 * (x[1] - x[0] * x[0]);
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] * x[0]) ** 2;
  };

  it('finds the minimum of the Rosenbrock valley', () => {
    const r = minimize(rosenbrock, [-1.2, 1]);
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
  });

  it('stays in a box, with the minimum on its edge when the free one is outside', () => {
    const shifted: Objective = (x, g) => {
      g[0] = 2 * (x[0] - 5);
      return (x[0] - 5) ** 2;
    };
    const r = minimize(boxed(shifted, -2, 2), [0]);
    expect(r.x[0]).toBeGreaterThan(1.99);
    expect(r.x[0]).toBeLessThan(2.01);
  });

  it('backs off from non-finite values and refuses a non-finite start', () => {
    const logBarrier: Objective = (x, g) => {
      if (x[0] <= 0) return NaN;
      g[0] = 1 - 1 / x[0];
      return x[0] - Math.log(x[0]);
    };
    expect(minimize(logBarrier, [5]).x[0]).toBeCloseTo(1, 6);
    expect(() => minimize(logBarrier, [-1])).toThrow(RangeError);
  });
});
