// The demo clinic after `npm start`: seeded, then prepareDemoReactivation replays past campaigns on its
// history, trains the model on their outcomes and scores today: every patient has a score, the campaigns
// have both arms and closed windows, and a second start changes nothing but the scores' instant.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { seedDemo } from '../../db/seed';
import { patients, patientScores, reactivationCampaigns, reactivationTargets } from '../../db/schema';
import { prepareDemoReactivation } from '../../services/reactivation/demo';

const now = new Date('2026-03-10T15:00:00Z');
let tdb: TestDatabase;
let clinicId: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  ({ clinicId } = await seedDemo(tdb.db, { now, dataKey: Buffer.alloc(32, 7), linkSecret: 'test-link-secret-0123456789' }));
});
afterAll(() => tdb?.drop());

it('gives the demo campaigns with measured outcomes, a model or its reason, and today\'s scores', async () => {
  const t = performance.now();
  const r = await prepareDemoReactivation(tdb.db, clinicId, now);
  console.log(`demo: ${r.campaigns} campaigns, ${r.targets} targets, training ${JSON.stringify(r.training)}, scoring ${r.scoring.scored} (${r.scoring.method}${r.scoring.fallbackReason ? `: ${r.scoring.fallbackReason}` : ''}) in ${Math.round(performance.now() - t)} ms`);
  expect(r.campaigns).toBeGreaterThanOrEqual(3);
  const [{ n }] = await tdb.db.select({ n: sql<number>`count(*)::int` }).from(patients).where(eq(patients.clinicId, clinicId));
  expect(r.scoring.scored).toBe(n);
  const scores = await tdb.db.select().from(patientScores).where(eq(patientScores.clinicId, clinicId));
  expect(scores).toHaveLength(n);
  expect(scores.every((s) => s.scoredAt.getTime() === now.getTime())).toBe(true);
  expect(scores.filter((s) => s.risk >= 70).length).toBeGreaterThan(0);
  const targets = await tdb.db.select().from(reactivationTargets).where(eq(reactivationTargets.clinicId, clinicId));
  expect(targets.every((x) => x.outcome !== null && x.windowEndsAt <= now)).toBe(true);
  expect(new Set(targets.map((x) => x.arm))).toEqual(new Set(['contacted', 'control']));
  expect(targets.some((x) => x.outcome === 'voltou')).toBe(true);
  expect(new Set(targets.map((x) => x.patientId)).size).toBe(targets.length);

  const again = await prepareDemoReactivation(tdb.db, clinicId, new Date(now.getTime() + 3_600_000));
  expect(again).toMatchObject({ campaigns: 0, targets: 0, training: null });
  expect(await tdb.db.select().from(reactivationCampaigns).where(eq(reactivationCampaigns.clinicId, clinicId))).toHaveLength(r.campaigns);
});
