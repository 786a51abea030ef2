// Gamma–Gamma: recovery of the paper's parameters from simulated spends, the shrinkage of a patient's
// average towards the clinic's, zero spend, and bad input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectedAverageValue, fitGammaGamma, gammaGammaLogLikelihood, parametersAtBound, simulateBgNbd, simulateGammaGamma, type GammaGammaParams } from './index';

// The CDNOW estimates of Fader, Hardie & Lee (2005), "RFM and CLV" (spend in dollars).
const PAPER: GammaGammaParams = { p: 6.25, q: 3.74, gamma: 15.44 };
const rel = (x: number, y: number) => Math.abs(x / y - 1);
const populationMean = (g: GammaGammaParams) => (g.p * g.gamma) / (g.q - 1);

describe('fitGammaGamma recovers known parameters', () => {
  // Frequencies from the BG/NBD recovery design (200,000 patients, ~80,000 with repeat visits and so
  // fitted). Relative standard errors at that size (observed information, measured once): p 1.9%,
  // q 0.8%, γ 2.7% (p and γ trade off against each other); tolerances ≈ 3 SE: p 6%, q 3%, γ 8%, and
  // the mean spend pγ/(q−1), which the data pin down best, 1.5%.
  const visits = simulateBgNbd({ r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 }, 200_000, 39, 'gg-recovery', { Tmin: 27 });
  const data = simulateGammaGamma(PAPER, visits, 'gg-recovery');
  const fit = fitGammaGamma(data);

  it('within the stated tolerances, at an optimum', () => {
    console.log('Gamma–Gamma recovered', JSON.stringify(fit), 'true', JSON.stringify(PAPER), 'fitted on', data.filter((c) => c.frequency > 0).length);
    expect(rel(fit.p, PAPER.p)).toBeLessThan(0.06);
    expect(rel(fit.q, PAPER.q)).toBeLessThan(0.03);
    expect(rel(fit.gamma, PAPER.gamma)).toBeLessThan(0.08);
    expect(rel(populationMean(fit), populationMean(PAPER))).toBeLessThan(0.015);
    expect(parametersAtBound(fit)).toEqual([]);
    expect(rel(gammaGammaLogLikelihood(fit, data), fit.logLikelihood)).toBeLessThan(1e-12);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(gammaGammaLogLikelihood(PAPER, data));
    for (const k of ['p', 'q', 'gamma'] as const) {
      const h = 1e-5;
      const up = gammaGammaLogLikelihood({ ...fit, [k]: fit[k] * Math.exp(h) }, data);
      const down = gammaGammaLogLikelihood({ ...fit, [k]: fit[k] * Math.exp(-h) }, data);
      expect(Math.abs((up - down) / (2 * h)) / data.length).toBeLessThan(1e-5);
    }
  });

  it('is deterministic and ignores customers without repeat spend', () => {
    const some = data.slice(0, 5000);
    expect(fitGammaGamma(some)).toEqual(fitGammaGamma(some));
    const withZeros = [...some, { frequency: 0, monetaryValue: 0 }, { frequency: 2, monetaryValue: 0 }];
    expect(fitGammaGamma(withZeros)).toEqual(fitGammaGamma(some));
  });

  it('does not depend on the money unit except through γ', () => {
    const some = data.slice(0, 20_000);
    const dollars = fitGammaGamma(some);
    const cents = fitGammaGamma(some.map((c) => ({ ...c, monetaryValue: c.monetaryValue * 100 })));
    expect(rel(cents.gamma, dollars.gamma * 100)).toBeLessThan(1e-4);
    expect(rel(cents.p, dollars.p)).toBeLessThan(1e-4);
    expect(rel(cents.q, dollars.q)).toBeLessThan(1e-4);
  });
});

describe('expectedAverageValue', () => {
  it('is the clinic mean without repeat visits, and between that and her own average otherwise', () => {
    expect(expectedAverageValue(PAPER, { frequency: 0, monetaryValue: 0 })).toBeCloseTo(populationMean(PAPER), 10);
    fc.assert(fc.property(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0, max: 1e6, noNaN: true }), (x, m) => {
      const v = expectedAverageValue(PAPER, { frequency: x, monetaryValue: m });
      const lo = Math.min(m, populationMean(PAPER));
      const hi = Math.max(m, populationMean(PAPER));
      expect(v).toBeGreaterThanOrEqual(lo * (1 - 1e-12));
      expect(v).toBeLessThanOrEqual(hi * (1 + 1e-12));
      // More visits, more weight on her own average.
      const more = expectedAverageValue(PAPER, { frequency: x + 1, monetaryValue: m });
      expect(Math.abs(more - m)).toBeLessThanOrEqual(Math.abs(v - m) * (1 + 1e-12));
    }));
  });

  it('a worked example: 3 visits averaging $50 under the paper estimates', () => {
    // (γ + m·x)·p / (p·x + q − 1) = (15.44 + 150) · 6.25 / (18.75 + 2.74) = 1034 / 21.49 = 48.1154…
    expect(expectedAverageValue(PAPER, { frequency: 3, monetaryValue: 50 })).toBeCloseTo(48.1154, 4);
  });

  it('zero spend (courtesy visits) shrinks towards the clinic mean, never below 0', () => {
    const v = expectedAverageValue(PAPER, { frequency: 2, monetaryValue: 0 });
    expect(v).toBeGreaterThan(0);
    expect(v).toBeLessThan(populationMean(PAPER));
  });

  it('refuses an infinite expectation instead of returning it', () => {
    expect(() => expectedAverageValue({ p: 1, q: 0.8, gamma: 10 }, { frequency: 0, monetaryValue: 0 })).toThrow(/infinite/);
    expect(expectedAverageValue({ p: 1, q: 0.8, gamma: 10 }, { frequency: 1, monetaryValue: 20 })).toBeCloseTo(30 / 0.8, 10);
  });
});

describe('edge cases', () => {
  it('a single customer, or all alike, or nobody with repeat spend: RangeError', () => {
    expect(() => fitGammaGamma([{ frequency: 3, monetaryValue: 100 }])).toThrow(/same average spend/);
    expect(() => fitGammaGamma([{ frequency: 3, monetaryValue: 100 }, { frequency: 1, monetaryValue: 100 }])).toThrow(/same average spend/);
    expect(() => fitGammaGamma([{ frequency: 0, monetaryValue: 0 }, { frequency: 2, monetaryValue: 0 }])).toThrow(/nothing to fit/);
    expect(() => fitGammaGamma([])).toThrow(RangeError);
  });

  it('two different customers: a finite fit', () => {
    const fit = fitGammaGamma([{ frequency: 3, monetaryValue: 100 }, { frequency: 1, monetaryValue: 50 }]);
    for (const v of Object.values(fit)) expect(Number.isFinite(v)).toBe(true);
    expect(Number.isFinite(expectedAverageValue(fit, { frequency: 0, monetaryValue: 0 }))).toBe(true);
  });

  it('bad values are RangeErrors', () => {
    for (const bad of [{ frequency: 1, monetaryValue: NaN }, { frequency: 1, monetaryValue: -5 }, { frequency: -1, monetaryValue: 5 }, { frequency: 0.5, monetaryValue: 5 }]) {
      expect(() => fitGammaGamma([{ frequency: 2, monetaryValue: 10 }, bad])).toThrow(RangeError);
      expect(() => expectedAverageValue(PAPER, bad)).toThrow(RangeError);
    }
    expect(() => expectedAverageValue({ ...PAPER, q: NaN }, { frequency: 1, monetaryValue: 5 })).toThrow(/parameter q/);
  });
});
