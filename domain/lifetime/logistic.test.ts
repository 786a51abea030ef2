// The churn learner: a separable fixture (AUC ≈ 1), a noisy one with a known true model (AUC near the
// oracle's, calibration, weights), churn labels from simulated BG/NBD patients, and topFactors.
import { describe, expect, it } from 'vitest';
import { createRandom } from '../random';
import {
  auc, calibration, CHURN_FEATURE_NAMES, churnFeatures, fitLogistic, holdoutSplit, normalVariate, predictLogistic,
  probabilityAlive, simulateBgNbd, topFactors, type LogisticExample,
} from './index';

const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));

describe('fitLogistic', () => {
  it('separates a linearly separable fixture (AUC ≈ 1 on held-out data), with finite weights', () => {
    const rnd = createRandom('separable');
    const examples: LogisticExample[] = [];
    while (examples.length < 600) {
      const x = [rnd.next() * 10 - 5, rnd.next() * 10 - 5];
      const margin = x[0] + 2 * x[1] - 1;
      if (Math.abs(margin) < 0.5) continue; // a visible gap between the classes
      examples.push({ features: x, label: margin > 0 ? 1 : 0 });
    }
    const { train, test } = holdoutSplit(examples.length, 'separable', 0.3);
    const model = fitLogistic(train.map((i) => examples[i]));
    const scores = test.map((i) => predictLogistic(model, examples[i].features));
    const a = auc(scores, test.map((i) => examples[i].label));
    console.log('separable fixture: held-out AUC', a.toFixed(4), 'weights', model.weights.map((w) => w.toFixed(2)).join(', '));
    expect(a).toBeGreaterThan(0.999);
    expect(model.weights.every(Number.isFinite)).toBe(true);
    // Direction of the true boundary x₁ + 2x₂ = 1 (in standardised units the scales are ~equal).
    expect(model.weights[1] / model.weights[0]).toBeGreaterThan(1.5);
    expect(model.weights[1] / model.weights[0]).toBeLessThan(2.5);
  });

  // True model: logit = −0.5 + 1.5·x₁ − 1.0·x₂ + 0·x₃, x ~ N(0, 1): a noisy problem whose best possible
  // AUC (the oracle, scoring with the true probabilities) is about 0.83.
  const rnd = createRandom('noisy');
  const noisy: (LogisticExample & { truth: number })[] = Array.from({ length: 6000 }, () => {
    const x = [normalVariate(rnd), normalVariate(rnd), normalVariate(rnd)];
    const truth = sigmoid(-0.5 + 1.5 * x[0] - 1.0 * x[1]);
    return { features: x, label: rnd.chance(truth) ? 1 : 0, truth };
  });
  const split = holdoutSplit(noisy.length, 'noisy', 1 / 3);
  const model = fitLogistic(split.train.map((i) => noisy[i]));
  const testScores = split.test.map((i) => predictLogistic(model, noisy[i].features));
  const testLabels = split.test.map((i) => noisy[i].label);

  it('on a noisy fixture: held-out AUC near the oracle, weights near the truth', () => {
    const learned = auc(testScores, testLabels);
    const oracle = auc(split.test.map((i) => noisy[i].truth), testLabels);
    console.log(`noisy fixture: held-out AUC ${learned.toFixed(4)} (oracle ${oracle.toFixed(4)}), weights ${model.weights.map((w) => w.toFixed(3)).join(', ')}, bias ${model.bias.toFixed(3)}`);
    expect(learned).toBeGreaterThan(0.78);
    expect(learned).toBeLessThan(0.88);
    expect(oracle - learned).toBeLessThan(0.01);
    // Standardised weights ≈ true weights × feature SD (≈ 1): 4000 examples give SE ≈ 0.05.
    expect(model.weights[0]).toBeGreaterThan(1.3);
    expect(model.weights[0]).toBeLessThan(1.7);
    expect(model.weights[1]).toBeGreaterThan(-1.2);
    expect(model.weights[1]).toBeLessThan(-0.8);
    expect(Math.abs(model.weights[2])).toBeLessThan(0.15);
  });

  it('is calibrated on held-out data: small ECE, Brier near the oracle', () => {
    const cal = calibration(testScores, testLabels, 10);
    const oracle = calibration(split.test.map((i) => noisy[i].truth), testLabels, 10);
    console.log(`noisy fixture: Brier ${cal.brier.toFixed(4)} (oracle ${oracle.brier.toFixed(4)}), ECE ${cal.ece.toFixed(4)}`);
    expect(cal.ece).toBeLessThan(0.04);
    expect(cal.brier).toBeLessThan(oracle.brier + 0.005);
    expect(cal.brier).toBeLessThan(0.25); // better than always saying 50%
    // Each well-filled bin: observed rate within 3 binomial SDs (+0.02 for the spread of scores in it).
    for (const bin of cal.bins) {
      if (bin.count < 50) continue;
      const p = bin.meanPredicted!;
      expect(Math.abs(bin.observedRate! - p)).toBeLessThan(3 * Math.sqrt((p * (1 - p)) / bin.count) + 0.02);
    }
  });

  it('is deterministic, and L2 shrinks the weights', () => {
    const rows = split.train.slice(0, 500).map((i) => noisy[i]);
    expect(fitLogistic(rows)).toEqual(fitLogistic(rows));
    const strong = fitLogistic(rows, { l2: 1 });
    expect(Math.abs(strong.weights[0])).toBeLessThan(Math.abs(fitLogistic(rows).weights[0]));
  });

  it('learns churn from BG/NBD features at least as well as P(alive) alone', () => {
    // Weekly patients observed 0–52 weeks; label 1 = no visit in the next 26 weeks ("churned").
    const patients = simulateBgNbd({ r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 }, 6000, 52, 'churn', { future: 26 });
    const bg = { r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 };
    const repeat = patients.filter((c) => c.frequency > 0);
    const rows = repeat.map((c) => ({ features: churnFeatures(bg, c, 26), label: (c.futureVisits === 0 ? 1 : 0) as 0 | 1 }));
    const { train, test } = holdoutSplit(rows.length, 'churn', 0.3);
    const m = fitLogistic(train.map((i) => rows[i]));
    const labels = test.map((i) => rows[i].label);
    const learned = auc(test.map((i) => predictLogistic(m, rows[i].features)), labels);
    const fromAlive = auc(test.map((i) => 1 - probabilityAlive(bg, repeat[i])), labels);
    console.log(`churn from BG/NBD features (${rows.length} repeat patients): held-out AUC learned ${learned.toFixed(4)}, 1 − P(alive) ${fromAlive.toFixed(4)}`);
    expect(learned).toBeGreaterThan(0.7);
    expect(learned).toBeGreaterThan(fromAlive - 0.01);
  });

  it('refuses bad input', () => {
    expect(() => fitLogistic([])).toThrow(RangeError);
    expect(() => fitLogistic([{ features: [1], label: 1 }, { features: [2], label: 1 }])).toThrow(/both labels/);
    expect(() => fitLogistic([{ features: [1], label: 1 }, { features: [2, 3], label: 0 }])).toThrow(/expected 1 features/);
    expect(() => fitLogistic([{ features: [NaN], label: 1 }, { features: [2], label: 0 }])).toThrow(/finite/);
    expect(() => fitLogistic([{ features: [1], label: 2 as 1 }, { features: [2], label: 0 }])).toThrow(/label/);
    expect(() => predictLogistic(model, [1, 2])).toThrow(RangeError);
  });

  it('handles a constant feature (weight 0) and no features at all (the base rate)', () => {
    const rows: LogisticExample[] = [{ features: [5, 1], label: 1 }, { features: [5, 2], label: 0 }, { features: [5, 3], label: 0 }, { features: [5, 0], label: 1 }];
    const m = fitLogistic(rows);
    expect(m.weights[0]).toBe(0);
    expect(m.featureScales[0]).toBe(1);
    const base = fitLogistic([{ features: [], label: 1 }, { features: [], label: 0 }, { features: [], label: 0 }, { features: [], label: 0 }]);
    expect(predictLogistic(base, [])).toBeCloseTo(0.25, 8);
  });
});

describe('topFactors', () => {
  it('names the features that move the score most, with their direction', () => {
    const rnd = createRandom('factors');
    const rows: LogisticExample[] = Array.from({ length: 3000 }, () => {
      const x = [normalVariate(rnd), normalVariate(rnd), normalVariate(rnd)];
      return { features: x, label: rnd.chance(sigmoid(2 * x[0] - 1.5 * x[1] + 0.05 * x[2])) ? 1 : 0 };
    });
    const m = fitLogistic(rows);
    const names = ['dias sem visita', 'visitas no ano', 'ruído'];
    // High on the first (raises risk) and on the second (lowers it), average on the third.
    const factors = topFactors(m, [2, 2, 0], names, 2);
    expect(factors.map((f) => [f.name, f.sign])).toEqual([['dias sem visita', 1], ['visitas no ano', -1]]);
    expect(factors[0].contribution).toBeGreaterThan(0);
    expect(factors[1].contribution).toBeLessThan(0);
    // The contributions add up to the log-odds minus the bias.
    const all = topFactors(m, [0.3, -1, 2], names, 10);
    expect(all).toHaveLength(3);
    const p = predictLogistic(m, [0.3, -1, 2]);
    expect(all.reduce((s, f) => s + f.contribution, 0) + m.bias).toBeCloseTo(Math.log(p / (1 - p)), 10);
    expect(topFactors(m, [0, 0, 0], names, -3)).toEqual([]);
    expect(() => topFactors(m, [0, 0, 0], ['a'], 1)).toThrow(RangeError);
    expect(CHURN_FEATURE_NAMES).toHaveLength(6);
  });
});
