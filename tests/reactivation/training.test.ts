// trainChurnModel against the real PostgreSQL: campaign outcomes drawn from a known logistic rule give
// a model that ranks the held-out fold (AUC printed, > 0.7) and is stored as the next version with its
// Brier score and calibration; fewer than 30 outcomes, or outcomes all alike, train nothing and say why;
// targets still in their window are not examples; the next scoring uses the new version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { insertCampaign, insertClinic, insertPatientsWithVisits, TZ, type TargetPlan } from '../support/reactivation';
import { churnModels, patientScores } from '../../db/schema';
import { MIN_TRAINING_EXAMPLES, scoreClinic, trainChurnModel } from '../../services/reactivation/scoring';
import { auc } from '../../domain/lifetime';
import { SCORE_FEATURE_NAMES } from '../../domain/patient-score';
import { createRandom } from '../../domain/random';
import { addLocalDays, localDate } from '../../domain/timezone';

const now = new Date('2026-03-10T15:00:00Z');
const today = localDate(now, TZ);
let tdb: TestDatabase;
let db: TestDatabase['db'];

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
});
afterAll(() => tdb?.drop());

const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));
const idx = (name: string) => SCORE_FEATURE_NAMES.indexOf(name);

/** A plausible feature vector and its churn probability under the known rule. */
function example(rnd: ReturnType<typeof createRandom>) {
  const f = new Array<number>(SCORE_FEATURE_NAMES.length).fill(0);
  const frequency = rnd.int(0, 8);
  const T = rnd.int(120, 900);
  const since = rnd.int(90, Math.max(91, T));
  f[idx('frequency')] = frequency;
  f[idx('recency')] = Math.max(0, T - since);
  f[idx('T')] = T;
  f[idx('timeSinceLastVisit')] = since;
  f[idx('pAlive')] = rnd.next();
  f[idx('expectedVisits')] = rnd.next() * 3;
  f[idx('inactivityRatio')] = 0.8 + rnd.next() * 8;
  f[idx('lastNpsDetractor')] = rnd.next() < 0.2 ? 1 : 0;
  f[idx('lastCommentNegative')] = rnd.next() < 0.15 ? 1 : 0;
  f[idx('noShows')] = rnd.int(0, 3);
  f[idx('cancellations')] = rnd.int(0, 3);
  f[idx('repliedLastMessage')] = rnd.next() < 0.4 ? 1 : 0;
  f[idx('reactivationContacts')] = rnd.int(0, 2);
  f[idx('returnedAfterReactivation')] = rnd.next() < 0.1 ? 1 : 0;
  const logit = -0.3 + 1.6 * Math.log(f[idx('inactivityRatio')]) - 2 * f[idx('pAlive')] + 1.2 * f[idx('lastNpsDetractor')] - 1.5 * f[idx('repliedLastMessage')] - 1;
  return { features: f, p: sigmoid(logit) };
}

async function clinicWithOutcomes(name: string, n: number, seed: string, label?: (i: number, p: number, u: number) => 0 | 1) {
  const clinic = await insertClinic(db, name);
  const ids = await insertPatientsWithVisits(db, clinic, Array.from({ length: n }, (_, i) => ({ days: [addLocalDays(today, -200 - (i % 50))], cents: 15_000 })), { idSeed: seed });
  const rnd = createRandom(seed);
  const truth: { p: number; label: 0 | 1 }[] = [];
  const plans: TargetPlan[] = ids.map((patientId, i) => {
    const e = example(rnd);
    const u = rnd.next();
    const y = label ? label(i, e.p, u) : ((u < e.p ? 1 : 0) as 0 | 1);
    truth.push({ p: e.p, label: y });
    return { patientId, arm: rnd.next() < 0.15 ? 'control' : 'contacted', features: e.features, outcome: y ? 'nao_voltou' : 'voltou', revenueCents: y ? null : 30_000 };
  });
  // Four campaigns, 100 days apart, windows long closed.
  const per = Math.ceil(plans.length / 4);
  for (let k = 0; k < 4; k++) await insertCampaign(db, clinic.clinicId, addLocalDays(today, -100 - 30 * k), plans.slice(k * per, (k + 1) * per));
  return { ...clinic, ids, truth };
}

describe('trainChurnModel', () => {
  it('learns a known logistic rule: AUC on the held-out fold near the rule\'s own, stored as the next version', async () => {
    const c = await clinicWithOutcomes('Clínica Aprendiz', 600, 'training-rule');
    const oracle = auc(c.truth.map((t) => t.p), c.truth.map((t) => t.label));
    const t0 = performance.now();
    const r = await trainChurnModel(db, c.clinicId, now);
    const ms = Math.round(performance.now() - t0);
    expect(r.trained).toBe(true);
    if (!r.trained) return;
    console.log(`churn model v${r.version}: ${r.examples} outcomes (${r.positives} did not come back), held-out ${r.heldOut}: AUC ${r.auc?.toFixed(3)} (the rule itself on all outcomes: ${oracle.toFixed(3)}), Brier ${r.brier?.toFixed(3)}, ECE ${r.ece?.toFixed(3)}, ${ms} ms`);
    expect(r).toMatchObject({ version: 1, examples: 600, heldOut: 120, positives: c.truth.filter((t) => t.label).length });
    expect(r.auc!).toBeGreaterThan(0.7);
    expect(r.auc!).toBeGreaterThan(oracle - 0.1);
    expect(r.brier!).toBeLessThan(0.25);

    const [row] = await db.select().from(churnModels).where(eq(churnModels.clinicId, c.clinicId));
    expect(row).toMatchObject({ version: 1, examples: 600, positives: r.positives, auc: r.auc, brier: r.brier });
    expect(row.trainedAt).toEqual(now);
    expect(row.model.names).toEqual([...SCORE_FEATURE_NAMES]);
    expect(row.model.weights).toHaveLength(SCORE_FEATURE_NAMES.length);
    // The rule's signs come back: inactivity and a detractor raise churn, P(alive) and a reply lower it.
    const w = (n: string) => row.model.weights[idx(n)];
    expect(w('inactivityRatio')).toBeGreaterThan(0);
    expect(w('lastNpsDetractor')).toBeGreaterThan(0);
    expect(w('pAlive')).toBeLessThan(0);
    expect(w('repliedLastMessage')).toBeLessThan(0);
    expect(row.calibration!.bins.reduce((s, b) => s + b.count, 0)).toBe(120);
    expect(row.calibration!.ece).toBeGreaterThanOrEqual(0);

    // Same outcomes, same split, same weights: the next version.
    const again = await trainChurnModel(db, c.clinicId, now);
    expect(again).toMatchObject({ trained: true, version: 2, auc: r.auc });
    const versions = await db.select().from(churnModels).where(eq(churnModels.clinicId, c.clinicId)).orderBy(asc(churnModels.version));
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[1].model).toEqual(versions[0].model);

    // The next scoring blends the latest version in.
    const s = await scoreClinic(db, c.clinicId, now);
    expect(s.modelVersion).toBe(2);
    const scores = await db.select().from(patientScores).where(eq(patientScores.clinicId, c.clinicId));
    expect(scores.every((x) => x.modelVersion === 2 && x.factors.length > 0)).toBe(true);
  });

  it('fewer than 30 outcomes: not trained, and says why', async () => {
    const c = await clinicWithOutcomes('Clínica Iniciante', MIN_TRAINING_EXAMPLES - 1, 'training-few');
    const r = await trainChurnModel(db, c.clinicId, now);
    expect(r).toMatchObject({ trained: false, reason: 'too_few_examples', examples: 29 });
    if (!r.trained) expect(r.message).toBe('São necessários pelo menos 30 desfechos de campanhas para treinar o modelo; há 29.');
    expect(await db.select().from(churnModels).where(eq(churnModels.clinicId, c.clinicId))).toEqual([]);
  });

  it('outcomes all alike: not trained (single_class)', async () => {
    const c = await clinicWithOutcomes('Clínica Todas Voltaram', 40, 'training-one-class', () => 0);
    const r = await trainChurnModel(db, c.clinicId, now);
    expect(r).toMatchObject({ trained: false, reason: 'single_class', examples: 40, positives: 0 });
  });

  it('targets still in their window are not examples', async () => {
    const clinic = await insertClinic(db, 'Clínica Janela Aberta');
    const ids = await insertPatientsWithVisits(db, clinic, Array.from({ length: 40 }, () => ({ days: [addLocalDays(today, -200)], cents: 10_000 })));
    const rnd = createRandom('open');
    await insertCampaign(db, clinic.clinicId, addLocalDays(today, -5), ids.map((patientId) => ({ patientId, arm: 'contacted' as const, features: example(rnd).features, outcome: null })));
    expect(await trainChurnModel(db, clinic.clinicId, now)).toMatchObject({ trained: false, reason: 'too_few_examples', examples: 0 });
  });
});
