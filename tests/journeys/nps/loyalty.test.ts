// Loyalty's messages with the real activities, database and outbox on the time-skipping server: the
// daily maintenance warns 30 days before points expire and announces a new tier (once each), expires
// what is past its date; a patient's "saldo" on WhatsApp gets her balance, tier and rewards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { loyaltyAccounts, loyaltyTransactions, messageOutbox, rewards } from '../../../db/schema';
import { WORKFLOW_TYPES } from '../../../workflows/definitions';
import { DAY, startNpsHarness, type NpsHarness } from './harness';

let h: NpsHarness;
beforeAll(async () => { h = await startNpsHarness(); }, 120_000);
afterAll(async () => { await h?.close(); });

async function member(points: number, o: { earnedDaysAgo: number; expiresInDays: number; marketing?: boolean }) {
  const p = await h.patient({ marketing: o.marketing ?? true, name: 'Juliana Prado' });
  const now = await h.env.currentTimeMs();
  const [acc] = await h.tdb.db.insert(loyaltyAccounts).values({ clinicId: h.clinic.clinic.id, patientId: p.id, balance: points, lifetimePoints: points }).returning();
  await h.tdb.db.insert(loyaltyTransactions).values({
    clinicId: h.clinic.clinic.id, accountId: acc!.id, kind: 'creditados', points, reason: 'Preenchimento labial',
    createdAt: new Date(now - o.earnedDaysAgo * DAY), expiresAt: new Date(now + o.expiresInDays * DAY),
  });
  return { patient: p, account: acc!, now };
}
const outbox = async (patientId: string, template: string) =>
  h.tdb.db.select().from(messageOutbox).where(and(eq(messageOutbox.patientId, patientId), eq(messageOutbox.template, template)));

describe('loyalty messages', () => {
  it('warns 30 days before the points expire and announces the tier once; expires them after their date', async () => {
    const m = await member(1200, { earnedDaysAgo: 340, expiresInDays: 20 });
    const at = new Date(m.now).toISOString();
    const first = await h.activities.maintainLoyalty({ clinicId: h.clinic.clinic.id, at });
    expect(first).toMatchObject({ notices: 1, tierUps: 1, expired: 0 });
    const [notice] = await outbox(m.patient.id, 'loyalty_expiry');
    expect(notice!.body).toMatch(/^Olá, Juliana! Seus pontos na Clínica Bella Pele: 1\.200 pontos vencem em \d{2}\/\d{2}\/\d{4}\./);
    expect(notice!.purpose).toBe('marketing');
    const [tier] = await outbox(m.patient.id, 'loyalty_tier');
    expect(tier!.body).toContain('Você agora é nível Prata');
    // The next day: nothing new to say.
    const again = await h.activities.maintainLoyalty({ clinicId: h.clinic.clinic.id, at: new Date(m.now + DAY).toISOString() });
    expect(again).toMatchObject({ notices: 0, tierUps: 0 });
    expect(await outbox(m.patient.id, 'loyalty_expiry')).toHaveLength(1);
    // Past the date: the points expire, the balance and tier follow.
    const later = await h.activities.maintainLoyalty({ clinicId: h.clinic.clinic.id, at: new Date(m.now + 21 * DAY).toISOString() });
    expect(later.expired).toBeGreaterThanOrEqual(1200);
    let [acc] = await h.tdb.db.select().from(loyaltyAccounts).where(eq(loyaltyAccounts.id, m.account.id));
    // The tier counts points earned in the last 12 months, spent or expired: still Prata until they age out.
    expect(acc).toMatchObject({ balance: 0, tier: 'prata' });
    await h.activities.maintainLoyalty({ clinicId: h.clinic.clinic.id, at: new Date(m.now + 26 * DAY).toISOString() });
    [acc] = await h.tdb.db.select().from(loyaltyAccounts).where(eq(loyaltyAccounts.id, m.account.id));
    expect(acc).toMatchObject({ balance: 0, tier: 'bronze' });
  });

  it('sends nothing of marketing to a patient without consent', async () => {
    const m = await member(800, { earnedDaysAgo: 10, expiresInDays: 5, marketing: false });
    await h.activities.maintainLoyalty({ clinicId: h.clinic.clinic.id, at: new Date(m.now).toISOString() });
    expect(await outbox(m.patient.id, 'loyalty_expiry')).toHaveLength(0);
  });

  it('answers "meus pontos" on WhatsApp with the balance, the tier and the rewards she can have', async () => {
    const m = await member(650, { earnedDaysAgo: 30, expiresInDays: 300 });
    await h.tdb.db.insert(rewards).values({ clinicId: h.clinic.clinic.id, name: 'R$ 50 de desconto', pointsRequired: 500, discountCents: 5000 });
    const routed = await h.reply(m.patient.whatsapp!, 'Meus pontos');
    expect(routed?.outcome).toBe('signalled');
    expect(routed?.workflowId).toMatch(/^loyalty-balance:/);
    await h.env.client.workflow.getHandle(routed!.workflowId!).result();
    const [answer] = await outbox(m.patient.id, 'loyalty_balance');
    expect(answer!.body).toContain('Olá, Juliana! Seu saldo é de 650 pontos (nível Bronze).');
    expect(answer!.body).toContain('Você já pode trocar por: R$ 50 de desconto (500 pontos).');
  });

  it('the daily workflow runs every clinic', async () => {
    const r = await h.env.client.workflow.execute(WORKFLOW_TYPES.loyaltyMaintenance, { taskQueue: h.taskQueue, workflowId: `loyalty-test-${Date.now()}`, args: [{}] });
    expect(r).toMatchObject({ clinics: expect.any(Number) });
    expect((r as { clinics: number }).clinics).toBeGreaterThanOrEqual(1);
  });
});
