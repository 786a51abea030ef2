// How good a score is, and how to hold data out to know it: AUC, a reliability table with the Brier
// score, and deterministic splits (seeded shuffles from domain/random.ts). Pure.
import { createRandom } from '../random';

function checkScored(scores: readonly number[], labels: readonly (0 | 1)[], what: string, unit: boolean): { pos: number; neg: number } {
  if (scores.length !== labels.length) throw new RangeError(`${what}: ${scores.length} scores for ${labels.length} labels`);
  if (scores.length === 0) throw new RangeError(`${what} needs at least one score`);
  let pos = 0;
  scores.forEach((s, i) => {
    if (!Number.isFinite(s) || (unit && (s < 0 || s > 1))) throw new RangeError(`${what}: score ${i} must be a finite number${unit ? ' in [0, 1]' : ''} (got ${s})`);
    if (labels[i] !== 0 && labels[i] !== 1) throw new RangeError(`${what}: label ${i} must be 0 or 1 (got ${String(labels[i])})`);
    pos += labels[i];
  });
  return { pos, neg: scores.length - pos };
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random negative,
 * ties counting one half (Mann–Whitney U with mid-ranks). RangeError without both labels: the AUC is
 * undefined then.
 */
export function auc(scores: readonly number[], labels: readonly (0 | 1)[]): number {
  const { pos, neg } = checkScored(scores, labels, 'auc', false);
  if (pos === 0 || neg === 0) throw new RangeError(`auc needs both labels (got ${pos} positives, ${neg} negatives)`);
  const order = scores.map((s, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    const midRank = (i + j) / 2 + 1; // ranks i+1 … j+1 share their mean
    for (let k = i; k <= j; k++) if (labels[order[k]] === 1) rankSum += midRank;
    i = j + 1;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export interface CalibrationBin {
  /** The bin is [low, high) — the last one [low, 1]. */
  low: number;
  high: number;
  count: number;
  /** Mean score and observed share of label 1 in the bin; null for an empty bin. */
  meanPredicted: number | null;
  observedRate: number | null;
}

export interface Calibration {
  bins: CalibrationBin[];
  /** Mean squared error of the scores as probabilities (0 perfect; 0.25 for always 0.5). */
  brier: number;
  /** Expected calibration error: Σ count/n · |observedRate − meanPredicted|. */
  ece: number;
}

/** Reliability table over `bins` equal-width bins of [0, 1] (default 10), with Brier score and ECE. Scores must be probabilities. */
export function calibration(scores: readonly number[], labels: readonly (0 | 1)[], bins = 10): Calibration {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`calibration: bins must be a positive integer (got ${bins})`);
  checkScored(scores, labels, 'calibration', true);
  const count = new Array<number>(bins).fill(0);
  const sumScore = new Array<number>(bins).fill(0);
  const sumLabel = new Array<number>(bins).fill(0);
  let brier = 0;
  scores.forEach((s, i) => {
    const b = Math.min(bins - 1, Math.floor(s * bins));
    count[b]++;
    sumScore[b] += s;
    sumLabel[b] += labels[i];
    brier += (s - labels[i]) ** 2;
  });
  const n = scores.length;
  let ece = 0;
  const table = count.map((c, b): CalibrationBin => {
    if (c > 0) ece += (c / n) * Math.abs(sumLabel[b] / c - sumScore[b] / c);
    return { low: b / bins, high: (b + 1) / bins, count: c, meanPredicted: c ? sumScore[b] / c : null, observedRate: c ? sumLabel[b] / c : null };
  });
  return { bins: table, brier: brier / n, ece };
}

export interface Split {
  /** Indices into the data, ascending. */
  train: number[];
  test: number[];
}

function checkN(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what}: n must be a non-negative integer (got ${n})`);
}

/** round(n·share) indices for testing, the rest for training, chosen by a seeded shuffle: same seed, same split. */
export function holdoutSplit(n: number, seed: number | string, share: number): Split {
  checkN(n, 'holdoutSplit');
  if (!Number.isFinite(share) || share < 0 || share > 1) throw new RangeError(`holdoutSplit: share must be in [0, 1] (got ${share})`);
  const shuffled = createRandom(seed).shuffle(Array.from({ length: n }, (_, i) => i));
  const k = Math.round(n * share);
  return { test: shuffled.slice(0, k).sort((a, b) => a - b), train: shuffled.slice(k).sort((a, b) => a - b) };
}

/** k folds of a seeded shuffle (sizes differ by at most 1); fold i tests on its part and trains on the rest. */
export function kFoldSplit(n: number, k: number, seed: number | string): Split[] {
  checkN(n, 'kFoldSplit');
  if (!Number.isInteger(k) || k < 2 || k > n) throw new RangeError(`kFoldSplit: k must be an integer from 2 to n (got ${k} for n = ${n})`);
  const shuffled = createRandom(seed).shuffle(Array.from({ length: n }, (_, i) => i));
  const fold = new Array<number>(n);
  shuffled.forEach((index, position) => (fold[index] = position % k));
  return Array.from({ length: k }, (_, f) => ({
    train: fold.flatMap((g, i) => (g === f ? [] : [i])),
    test: fold.flatMap((g, i) => (g === f ? [i] : [])),
  }));
}
