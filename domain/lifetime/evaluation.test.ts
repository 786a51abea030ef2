// AUC against brute force (ties included), the calibration table's bookkeeping, and the splits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random';
import { auc, calibration, holdoutSplit, kFoldSplit } from './index';

const bruteAuc = (s: number[], y: (0 | 1)[]) => {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < s.length; i++) for (let j = 0; j < s.length; j++) {
    if (y[i] === 1 && y[j] === 0) {
      pairs++;
      wins += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
};

const scored = fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }).map((k) => k / 20), fc.constantFrom<0 | 1>(0, 1)), { minLength: 2, maxLength: 60 })
  .filter((rows) => rows.some(([, y]) => y === 1) && rows.some(([, y]) => y === 0));

describe('auc', () => {
  it('is the Mann–Whitney probability, ties counting one half', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([0.5, 0.5], [1, 0])).toBe(0.5);
    expect(auc([1, 2, 3], [0, 0, 1])).toBe(1);
    fc.assert(fc.property(scored, (rows) => {
      const s = rows.map(([v]) => v);
      const y = rows.map(([, l]) => l);
      expect(auc(s, y)).toBeCloseTo(bruteAuc(s, y), 12);
      expect(auc(s.map((v) => -v), y)).toBeCloseTo(1 - auc(s, y), 12);
      expect(auc(s.map((v) => Math.exp(3 * v)), y)).toBeCloseTo(auc(s, y), 12); // only the order matters
    }));
  });

  it('is undefined with one class', () => {
    expect(() => auc([0.1, 0.2], [1, 1])).toThrow(/both labels/);
    expect(() => auc([0.1], [1, 0])).toThrow(RangeError);
    expect(() => auc([NaN, 0.2], [1, 0])).toThrow(RangeError);
  });
});

describe('calibration', () => {
  it('counts every score once, puts 1.0 in the last bin, and computes Brier and ECE', () => {
    const cal = calibration([0, 0.05, 0.5, 0.95, 1], [0, 0, 1, 1, 1], 10);
    expect(cal.bins).toHaveLength(10);
    expect(cal.bins.reduce((s, b) => s + b.count, 0)).toBe(5);
    expect(cal.bins[9]).toMatchObject({ count: 2, meanPredicted: 0.975, observedRate: 1 });
    expect(cal.bins[3]).toMatchObject({ count: 0, meanPredicted: null, observedRate: null });
    expect(cal.brier).toBeCloseTo((0 + 0.05 ** 2 + 0.25 + 0.05 ** 2 + 0) / 5, 12);
    expect(calibration([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]).brier).toBe(0.25);
  });

  it('a calibrated score has a small ECE', () => {
    const rnd = createRandom('calibrated');
    const s = Array.from({ length: 20_000 }, () => rnd.next());
    const y = s.map((p) => (rnd.chance(p) ? 1 : 0) as 0 | 1);
    expect(calibration(s, y).ece).toBeLessThan(0.02);
    expect(calibration(s.map((p) => p * p), y).ece).toBeGreaterThan(0.1); // overconfident the wrong way
  });

  it('refuses scores that are not probabilities', () => {
    expect(() => calibration([1.2], [1])).toThrow(RangeError);
    expect(() => calibration([0.2], [1], 0)).toThrow(RangeError);
  });
});

describe('holdoutSplit and kFoldSplit', () => {
  it('partition the indices, deterministically per seed', () => {
    const a = holdoutSplit(1000, 'seed', 0.2);
    expect(a.test).toHaveLength(200);
    expect([...a.train, ...a.test].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(holdoutSplit(1000, 'seed', 0.2)).toEqual(a);
    expect(holdoutSplit(1000, 'other', 0.2).test).not.toEqual(a.test);
    expect(holdoutSplit(0, 'seed', 0.5)).toEqual({ train: [], test: [] });
    expect(() => holdoutSplit(10, 'seed', 1.5)).toThrow(RangeError);

    const folds = kFoldSplit(103, 5, 7);
    expect(folds).toHaveLength(5);
    const sizes = folds.map((f) => f.test.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(folds.flatMap((f) => f.test).sort((x, y) => x - y)).toEqual(Array.from({ length: 103 }, (_, i) => i));
    for (const f of folds) expect(f.train.length + f.test.length).toBe(103);
    expect(kFoldSplit(103, 5, 7)).toEqual(folds);
    expect(() => kFoldSplit(3, 5, 1)).toThrow(RangeError);
  });
});
