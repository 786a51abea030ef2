// Churn risk 0–100 for the patient list: from BG/NBD's P(alive) alone, or blended with a learned
// model's probability once a clinic has enough labelled history to train one (logistic.ts).
import { expectedPurchases, probabilityAlive, type BgNbdParams, type RfCustomer } from './bgnbd';

function checkProbability(p: number, what: string): void {
  if (!Number.isFinite(p) || p < 0 || p > 1) throw new RangeError(`${what} must be a probability in [0, 1] (got ${p})`);
}

/** round(100 · (1 − P(alive))): 0 = surely still a patient, 100 = surely gone. RangeError outside [0, 1]. */
export function churnRiskFromAlive(pAlive: number): number {
  checkProbability(pAlive, 'pAlive');
  return Math.round(100 * (1 - pAlive));
}

export interface BlendInput {
  /** BG/NBD's P(alive). */
  pAlive: number;
  /** The learned model's probability that she churns (label 1 = did not come back), or null/absent without a model. */
  learned?: number | null;
  /** Weight of the learned probability in [0, 1] (default 0.5). */
  weight?: number;
}

/**
 * Churn risk 0–100. Without a learned model: churnRiskFromAlive(pAlive). With one: a linear pool of
 * the two probabilities of churn, round(100 · ((1 − w)·(1 − pAlive) + w·learned)), w = weight
 * (default 0.5: equal trust until a holdout shows which one ranks better — then raise or lower it).
 * A linear pool keeps the result a probability and is monotone in each input.
 */
export function blendChurnRisk({ pAlive, learned, weight = 0.5 }: BlendInput): number {
  checkProbability(pAlive, 'pAlive');
  if (learned === null || learned === undefined) return churnRiskFromAlive(pAlive);
  checkProbability(learned, 'learned');
  checkProbability(weight, 'weight');
  return Math.round(100 * ((1 - weight) * (1 - pAlive) + weight * learned));
}

/** The names of churnFeatures' entries, in order (for topFactors). */
export const CHURN_FEATURE_NAMES = ['frequency', 'recency', 'T', 'timeSinceLastVisit', 'pAlive', 'expectedVisits'] as const;

/**
 * A standard feature vector for the churn learner from what BG/NBD already knows: frequency, recency,
 * T, T − recency, P(alive) and the expected visits in the next `horizon` (model units). Extra features
 * (spend, complaints, NPS…) go after these, with their names after CHURN_FEATURE_NAMES.
 */
export function churnFeatures(bg: BgNbdParams, c: RfCustomer, horizon: number): number[] {
  return [c.frequency, c.recency, c.T, c.T - c.recency, probabilityAlive(bg, c), expectedPurchases(bg, c, horizon)];
}
