// BG/NBD: recovery of known parameters from simulated patients, the paper's worked example, eq. 10
// against two independent computations, the conditional predictions against the simulation's future,
// the shape of P(alive) and E[visits] as properties, and the edge cases.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bgNbdLogLikelihood, expectedPurchases, expectedPurchasesIfAliveByQuadrature, fitBgNbd, hyp2f1, parametersAtBound, probabilityAlive,
  simulateBgNbd, type BgNbdParams,
} from './index';

// The CDNOW estimates of the paper (T in weeks): r = 0.243, α = 4.414, a = 0.793, b = 2.426, rounded
// as usually quoted.
const CDNOW: BgNbdParams = { r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 };
const rel = (x: number, y: number) => Math.abs(x / y - 1);

describe('fitBgNbd recovers known parameters', () => {
  // 200,000 patients, first visits spread over 12 weeks and observed for 27–39 weeks (the paper's
  // cohort design). Relative standard errors at this size, from the observed information (numerical
  // Hessian of the log-likelihood; measured once, not here): r 0.6%, α 0.9%, a 2.5%, b 3.2% — a and b
  // are the loose ones: they are strongly correlated and only the ~40% of patients with repeat visits
  // carry information about drop-out (at 20,000 patients their SE is 8% and 10%). The tolerances are
  // about 3 SE: r 3%, α 4%, a 8%, b 10%; the well-determined combinations tighter: mean visit rate
  // r/α 2% and mean drop-out probability a/(a+b) 3%. Six other seeds stayed within half of these.
  const data = simulateBgNbd(CDNOW, 200_000, 39, 'recovery', { Tmin: 27, future: 39 });
  const fit = fitBgNbd(data);

  it('within the stated tolerances, at an optimum', () => {
    console.log('BG/NBD recovered', JSON.stringify(fit), 'true', JSON.stringify(CDNOW));
    expect(rel(fit.r, CDNOW.r)).toBeLessThan(0.03);
    expect(rel(fit.alpha, CDNOW.alpha)).toBeLessThan(0.04);
    expect(rel(fit.a, CDNOW.a)).toBeLessThan(0.08);
    expect(rel(fit.b, CDNOW.b)).toBeLessThan(0.10);
    expect(rel(fit.r / fit.alpha, CDNOW.r / CDNOW.alpha)).toBeLessThan(0.02);
    expect(rel(fit.a / (fit.a + fit.b), CDNOW.a / (CDNOW.a + CDNOW.b))).toBeLessThan(0.03);
    expect(parametersAtBound(fit)).toEqual([]);
    // The reported log-likelihood is the one at the estimate, and at least the one at the truth.
    expect(rel(bgNbdLogLikelihood(fit, data), fit.logLikelihood)).toBeLessThan(1e-12);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgNbdLogLikelihood(CDNOW, data));
    // A numerical gradient (in log-parameters) of ~0: the analytic gradient led to a true optimum.
    const keys = ['r', 'alpha', 'a', 'b'] as const;
    for (const k of keys) {
      const h = 1e-5;
      const up = bgNbdLogLikelihood({ ...fit, [k]: fit[k] * Math.exp(h) }, data);
      const down = bgNbdLogLikelihood({ ...fit, [k]: fit[k] * Math.exp(-h) }, data);
      expect(Math.abs((up - down) / (2 * h)) / data.length).toBeLessThan(1e-5);
    }
  });

  it('predicts the simulated future and who is still active', () => {
    // Σ E[visits in the next 39 weeks] against the visits the simulation made in them, overall and by
    // past frequency (the paper's Figure 4 check), and Σ P(alive) against the truth, under the true
    // parameters. Tolerances are ~3 sampling SDs of these totals at this size.
    const groups = [[0, 0], [1, 1], [2, 3], [4, Infinity]] as const;
    let expected = 0;
    let actual = 0;
    for (const [lo, hi] of groups) {
      const g = data.filter((c) => c.frequency >= lo && c.frequency <= hi);
      const e = g.reduce((s, c) => s + expectedPurchases(CDNOW, c, 39), 0);
      const f = g.reduce((s, c) => s + c.futureVisits, 0);
      expected += e;
      actual += f;
      expect(rel(e, f)).toBeLessThan(0.05);
    }
    expect(rel(expected, actual)).toBeLessThan(0.02);
    const repeaters = data.filter((c) => c.frequency > 0);
    const alive = repeaters.filter((c) => c.alive).length;
    const pAlive = repeaters.reduce((s, c) => s + probabilityAlive(CDNOW, c), 0);
    expect(rel(pAlive, alive)).toBeLessThan(0.01);
  });

  it('is deterministic, and the seed of the restarts does not change the optimum', () => {
    const small = data.slice(0, 5000);
    expect(fitBgNbd(small)).toEqual(fitBgNbd(small));
    const other = fitBgNbd(small, { seed: 'another', starts: 6 });
    const base = fitBgNbd(small);
    expect(rel(other.logLikelihood, base.logLikelihood)).toBeLessThan(1e-9);
    expect(rel(other.a, base.a)).toBeLessThan(1e-3);
  });

  it('works in days as well as weeks: α scales with the unit, the rest does not', () => {
    const small = data.slice(0, 20_000);
    const weeks = fitBgNbd(small);
    const days = fitBgNbd(small.map((c) => ({ frequency: c.frequency, recency: c.recency * 7, T: c.T * 7 })));
    expect(rel(days.alpha, weeks.alpha * 7)).toBeLessThan(1e-4);
    expect(rel(days.r, weeks.r)).toBeLessThan(1e-4);
    expect(rel(days.a, weeks.a)).toBeLessThan(1e-3);
    expect(rel(days.b, weeks.b)).toBeLessThan(1e-3);
  });
});

describe('expectedPurchases and probabilityAlive', () => {
  it("reproduce the paper's worked example", () => {
    // Fader, Hardie & Lee (2005), §5: x = 2, t_x = 30.43, T = 38.86 weeks → 1.226 visits in the next 39.
    const paper = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    expect(expectedPurchases(paper, { frequency: 2, recency: 30.43, T: 38.86 }, 39)).toBeCloseTo(1.226, 3);
  });

  const params = fc.record({
    r: fc.double({ min: 0.05, max: 5, noNaN: true }),
    alpha: fc.double({ min: 0.5, max: 200, noNaN: true }),
    a: fc.double({ min: 0.1, max: 8, noNaN: true }),
    b: fc.double({ min: 0.1, max: 20, noNaN: true }),
  });
  const customer = fc.record({
    frequency: fc.integer({ min: 0, max: 40 }),
    T: fc.double({ min: 0, max: 400, noNaN: true }),
    share: fc.double({ min: 0, max: 1, noNaN: true }),
  }).map(({ frequency, T, share }) => ({ frequency, T, recency: frequency === 0 ? 0 : share * T }));

  it('equal eq. 10 as printed, through hyp2f1 (a away from 1)', () => {
    fc.assert(fc.property(params, customer, fc.double({ min: 0.01, max: 500, noNaN: true }), (p, c, t) => {
      fc.pre(Math.abs(p.a - 1) > 0.05);
      const { r, alpha, a, b } = p;
      const x = c.frequency;
      const z = t / (alpha + c.T + t);
      const bracket = 1 - Math.pow((alpha + c.T) / (alpha + c.T + t), r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z);
      const eq10 = ((a + b + x - 1) / (a - 1)) * bracket * probabilityAlive(p, c);
      const mine = expectedPurchases(p, c, t);
      // eq. 10 itself loses digits to cancellation: its rounding is relative to the terms it subtracts.
      const scale = Math.abs((a + b + x - 1) / (a - 1)) * Math.max(1, Math.abs(1 - bracket)) * probabilityAlive(p, c);
      expect(Math.abs(mine - eq10)).toBeLessThanOrEqual(1e-12 * scale + 1e-9 * mine);
    }), { numRuns: 500 });
  });

  it('equal the integral over the drop-out probability (quadrature), including a = 1 exactly', () => {
    // Series (hypergeometric, after Euler's transformation) against the trapezoidal rule over logit p
    // of E[visits | alive] = ∫ (1 − (1 + p·t/(α+T))^−(r+x)) / p · Beta(p; a, b+x) dp: two independent
    // routes to the same number.
    fc.assert(fc.property(params, customer, fc.double({ min: 0.01, max: 500, noNaN: true }), (p, c, t) => {
      const series = expectedPurchases(p, c, t);
      const quadrature = expectedPurchasesIfAliveByQuadrature(p, c.frequency, c.T, t) * probabilityAlive(p, c);
      expect(Math.abs(series - quadrature)).toBeLessThanOrEqual(1e-9 * Math.max(1e-3, quadrature));
    }), { numRuns: 300 });
    for (const pr of [{ ...CDNOW, a: 1 }, { ...CDNOW, a: 1 + 1e-9 }]) {
      for (const [x, tx, T, t] of [[0, 0, 30, 39], [1, 10, 30, 39], [5, 20, 39, 52], [2, 3, 4, 400]]) {
        const c = { frequency: x, recency: tx, T };
        expect(rel(expectedPurchases(pr, c, t), expectedPurchasesIfAliveByQuadrature(pr, x, T, t) * probabilityAlive(pr, c))).toBeLessThan(1e-12);
      }
    }
    // Continuous through a = 1 (where eq. 10 as printed is 0/0).
    const c = { frequency: 3, recency: 20, T: 30 };
    const at1 = expectedPurchases({ ...CDNOW, a: 1 }, c, 52);
    expect(rel(expectedPurchases({ ...CDNOW, a: 1 - 1e-7 }, c, 52), at1)).toBeLessThan(1e-6);
    expect(rel(expectedPurchases({ ...CDNOW, a: 1 + 1e-7 }, c, 52), at1)).toBeLessThan(1e-6);
  });

  it('P(alive) is 1 without repeat visits, within [0, 1], and grows with recency', () => {
    fc.assert(fc.property(params, fc.double({ min: 0, max: 400, noNaN: true }), (p, T) => {
      expect(probabilityAlive(p, { frequency: 0, recency: 0, T })).toBe(1);
    }));
    fc.assert(fc.property(params, customer, fc.double({ min: 0, max: 1, noNaN: true }), (p, c, more) => {
      const alive = probabilityAlive(p, c);
      expect(alive).toBeGreaterThanOrEqual(0);
      expect(alive).toBeLessThanOrEqual(1);
      const later = { ...c, recency: c.frequency === 0 ? 0 : c.recency + more * (c.T - c.recency) };
      expect(probabilityAlive(p, later)).toBeGreaterThanOrEqual(alive);
    }), { numRuns: 1000 });
    // Strictly, on a plain example: the same two visits, the last one more recent.
    expect(probabilityAlive(CDNOW, { frequency: 2, recency: 30, T: 39 })).toBeGreaterThan(probabilityAlive(CDNOW, { frequency: 2, recency: 10, T: 39 }));
  });

  it('E[visits] is ≥ 0, 0 at t = 0, and grows with t', () => {
    fc.assert(fc.property(params, customer, fc.double({ min: 0, max: 300, noNaN: true }), fc.double({ min: 0, max: 300, noNaN: true }), (p, c, t1, dt) => {
      const e1 = expectedPurchases(p, c, t1);
      const e2 = expectedPurchases(p, c, t1 + dt);
      expect(e1).toBeGreaterThanOrEqual(0);
      expect(e2).toBeGreaterThanOrEqual(e1 * (1 - 1e-12) - 1e-300);
    }), { numRuns: 1000 });
    expect(expectedPurchases(CDNOW, { frequency: 2, recency: 30, T: 39 }, 0)).toBe(0);
  });
});

describe('edge cases', () => {
  it('one visit only (frequency 0): alive by convention, and expected to come back a little', () => {
    const c = { frequency: 0, recency: 0, T: 20 };
    expect(probabilityAlive(CDNOW, c)).toBe(1);
    const e = expectedPurchases(CDNOW, c, 52);
    expect(e).toBeGreaterThan(0);
    expect(e).toBeLessThan(expectedPurchases(CDNOW, { frequency: 3, recency: 19, T: 20 }, 52));
  });

  it('repeat visits all on the first day (recency 0) score and fit, but not alone', () => {
    const sameDay = { frequency: 3, recency: 0, T: 20 };
    expect(probabilityAlive(CDNOW, sameDay)).toBeLessThan(probabilityAlive(CDNOW, { ...sameDay, recency: 20 }));
    expect(Number.isFinite(expectedPurchases(CDNOW, sameDay, 52))).toBe(true);
    const data = simulateBgNbd(CDNOW, 3000, 39, 'same-day');
    expect(parametersAtBound(fitBgNbd([...data, sameDay, sameDay]))).toEqual([]);
    expect(() => fitBgNbd([sameDay, { frequency: 1, recency: 0, T: 5 }, { frequency: 0, recency: 0, T: 9 }])).toThrow(/recency 0 for all/);
  });

  it('a single customer gives her own limit model, finite; nobody back is a RangeError', () => {
    const one = fitBgNbd([{ frequency: 3, recency: 10, T: 20 }]);
    for (const v of Object.values(one)) expect(Number.isFinite(v)).toBe(true);
    expect(parametersAtBound(one).length).toBeGreaterThan(0);
    const alive = probabilityAlive(one, { frequency: 3, recency: 10, T: 20 });
    expect(alive).toBeGreaterThan(0);
    expect(alive).toBeLessThan(1);
    expect(Number.isFinite(expectedPurchases(one, { frequency: 3, recency: 10, T: 20 }, 52))).toBe(true);
    expect(() => fitBgNbd([{ frequency: 0, recency: 0, T: 20 }, { frequency: 0, recency: 0, T: 3 }])).toThrow(/no customer has a repeat visit/);
    expect(() => fitBgNbd([])).toThrow(RangeError);
  });

  it('small samples end at most at the edge of the search, with finite predictions', () => {
    for (let s = 0; s < 10; s++) {
      const data = simulateBgNbd(CDNOW, 40, 39, `small-${s}`);
      if (!data.some((c) => c.frequency > 0)) continue;
      const fit = fitBgNbd(data);
      for (const c of data) {
        expect(Number.isFinite(expectedPurchases(fit, c, 52))).toBe(true);
        expect(Number.isFinite(probabilityAlive(fit, c))).toBe(true);
      }
    }
  });

  it('bad values are RangeErrors with a message', () => {
    const ok = { frequency: 1, recency: 5, T: 10 };
    for (const bad of [
      { ...ok, frequency: NaN }, { ...ok, frequency: -1 }, { ...ok, frequency: 1.5 }, { ...ok, recency: -1 },
      { ...ok, recency: 11 }, { ...ok, T: NaN }, { ...ok, T: Infinity }, { frequency: 0, recency: 2, T: 10 },
    ]) {
      expect(() => fitBgNbd([ok, bad])).toThrow(RangeError);
      expect(() => probabilityAlive(CDNOW, bad)).toThrow(RangeError);
    }
    expect(() => probabilityAlive({ ...CDNOW, a: -1 }, ok)).toThrow(/parameter a/);
    expect(() => expectedPurchases(CDNOW, ok, -1)).toThrow(RangeError);
    expect(() => expectedPurchases(CDNOW, ok, NaN)).toThrow(RangeError);
  });
});
