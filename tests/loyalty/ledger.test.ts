// The loyalty ledger against the real PostgreSQL, through the API as staff use it: points are credited
// once a payment of a realised visit is approved (whichever comes first), refunds take them back in
// proportion, a reward is redeemed for a coupon usable in Pagamentos and refused when it cannot be;
// nothing is credited twice; over random histories (fast-check) the balance is the ledger's sum and never negative.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createTestApp, login } from '../support/app';
import { appointments, coupons, loyaltyAccounts, loyaltyTransactions, patients, rewards } from '../../db/schema';
import { expirePoints, syncLoyalty } from '../../services/loyalty';
import { createPaymentClinic } from '../payments/support';

const DAY = 86_400_000;
let tdb: TestDatabase;
let db: TestDatabase['db'];
let t: Awaited<ReturnType<typeof createTestApp>>;
let a: Awaited<ReturnType<typeof createPaymentClinic>>;
let staff: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
  t = await createTestApp(db);
  a = await createPaymentClinic(db, 'Clinica Pontos', { maxChargeCents: 10_000_000 });
  staff = await login(t.app, a.members.staff.email);
});
afterAll(async () => { await t.close(); await tdb.drop(); });

const post = (path: string, body: unknown) =>
  t.app.request(path, { method: 'POST', headers: bearer(staff, { 'content-type': 'application/json' }), body: JSON.stringify(body) });
const summary = async (patientId: string) => {
  const res = await t.app.request(`/api/patients/${patientId}/loyalty`, { headers: bearer(staff) });
  expect(res.status).toBe(200);
  return res.json() as Promise<{ balance: number; tier: string; history: { kind: string; points: number; couponCode: string | null }[]; rewards: { id: string; redeemable: boolean; refusal: string | null }[]; nextExpiry: { points: number } | null }>;
};
let slot = 0;
/** A patient with a visit in the past (each on its own two hours, one professional). */
async function patientWithVisit() {
  const [p] = await db.insert(patients).values({ clinicId: a.clinic.id, name: `Vitória Pontos ${Math.random().toString(36).slice(2, 7)}` }).returning();
  const [ap] = await db.insert(appointments).values({
    clinicId: a.clinic.id, patientId: p.id, procedureId: a.procedure.id, professionalId: a.professional.id,
    startsAt: new Date(Date.now() - 2 * DAY - ++slot * 2 * 3_600_000), durationMinutes: 60, priceCents: 123456,
  }).returning();
  return { patient: p, appointment: ap };
}
const pay = async (appointmentId: string, amountCents: number) => {
  const res = await post('/api/payments/manual', { appointmentId, amountCents, method: 'pix' });
  expect(res.status).toBe(201);
  return ((await res.json()) as { payment: { id: string } }).payment.id;
};
const realise = async (id: string) => expect((await post(`/api/appointments/${id}/status`, { status: 'realizado' })).status).toBe(200);
const ledgerSum = async (patientId: string) => {
  const [acc] = await db.select().from(loyaltyAccounts).where(eq(loyaltyAccounts.patientId, patientId));
  if (!acc) return { balance: 0, sum: 0 };
  const [{ sum }] = await db.select({ sum: sql<number>`coalesce(sum(case when kind = 'creditados' then points else -points end), 0)::int` }).from(loyaltyTransactions).where(eq(loyaltyTransactions.accountId, acc.id));
  return { balance: acc.balance, sum };
};

describe('loyalty points', () => {
  it('credits a payment when the visit is realised (1 point per real), once; a refund takes back its share', async () => {
    const v = await patientWithVisit();
    const paymentId = await pay(v.appointment.id, 123456);
    expect((await summary(v.patient.id)).balance).toBe(0); // paid, not yet realised
    await realise(v.appointment.id);
    let s = await summary(v.patient.id);
    expect(s.balance).toBe(1234);
    expect(s.history[0]).toMatchObject({ kind: 'creditados', points: 1234 });
    expect(s.nextExpiry?.points).toBe(1234);
    expect(s.tier).toBe('prata');
    // Her classification follows the tier: R$ 1.234,56 alone is Bronze by the rule, prata in the programme lifts it.
    const classOf = async () => (await db.select({ c: patients.classification }).from(patients).where(eq(patients.id, v.patient.id)))[0]!.c;
    expect(await classOf()).toBe('prata');
    // Again: nothing more.
    await db.transaction((tx) => syncLoyalty(tx, paymentId, new Date()));
    expect((await summary(v.patient.id)).balance).toBe(1234);

    expect((await post(`/api/payments/${paymentId}/refund`, { amountCents: 23456, reason: 'Sessão reduzida' })).status).toBe(200);
    s = await summary(v.patient.id);
    expect(s.balance).toBe(1000);
    expect(s.history[0]).toMatchObject({ kind: 'estornados', points: 234 });
    expect((await post(`/api/payments/${paymentId}/refund`, { reason: 'Cancelado' })).status).toBe(200);
    s = await summary(v.patient.id);
    expect(s.balance).toBe(0);
    expect(s.tier).toBe('bronze');
    expect(await classOf()).toBe('bronze'); // back with the tier (one realised visit: bronze by the rule)
    expect(await ledgerSum(v.patient.id)).toEqual({ balance: 0, sum: 0 });
  });

  it('credits at once a payment made after the visit was realised', async () => {
    const v = await patientWithVisit();
    await realise(v.appointment.id);
    await pay(v.appointment.id, 30050);
    expect((await summary(v.patient.id)).balance).toBe(300);
  });

  it('redeems a reward for a coupon usable in Pagamentos; refuses it when short of points, used up or inactive', async () => {
    const v = await patientWithVisit();
    await realise(v.appointment.id);
    await pay(v.appointment.id, 80000);
    const [reward] = await db.insert(rewards).values({ clinicId: a.clinic.id, name: 'R$ 50 de desconto', pointsRequired: 500, discountCents: 5000, validityDays: 30, maxUses: 1 }).returning();
    const [big] = await db.insert(rewards).values({ clinicId: a.clinic.id, name: 'Sessão cortesia', pointsRequired: 5000, discountPercent: 100, validityDays: 60 }).returning();
    const [off] = await db.insert(rewards).values({ clinicId: a.clinic.id, name: 'Antiga', pointsRequired: 10, discountPercent: 5, active: false }).returning();
    let s = await summary(v.patient.id);
    expect(s.rewards.find((r) => r.id === reward.id)).toMatchObject({ redeemable: true });
    expect(s.rewards.find((r) => r.id === big.id)).toMatchObject({ redeemable: false, refusal: 'Pontos insuficientes para esta recompensa.' });

    const res = await post(`/api/patients/${v.patient.id}/loyalty/redeem`, { rewardId: reward.id });
    expect(res.status).toBe(201);
    const out = await res.json() as { couponCode: string; balance: number };
    expect(out).toMatchObject({ balance: 300, couponCode: expect.stringMatching(/^PONTOS-/) });
    const [c] = await db.select().from(coupons).where(and(eq(coupons.clinicId, a.clinic.id), eq(coupons.code, out.couponCode)));
    expect(c).toMatchObject({ origin: 'loyalty', patientId: v.patient.id, amountOffCents: 5000, redeemedAt: null });
    s = await summary(v.patient.id);
    expect(s.history[0]).toMatchObject({ kind: 'resgatados', points: 500, couponCode: out.couponCode });

    // The coupon takes R$ 50 off a charge for this patient.
    const charge = await post('/api/payments/manual', { patientId: v.patient.id, amountCents: 20000, method: 'dinheiro', couponCode: out.couponCode });
    expect(charge.status).toBe(201);
    expect(((await charge.json()) as { payment: { amountCents: number } }).payment.amountCents).toBe(15000);

    for (const [rewardId, code] of [[reward.id, 'reward_max_uses'], [big.id, 'insufficient_points'], [off.id, 'reward_inactive']] as const) {
      const before = await ledgerSum(v.patient.id);
      const r = await post(`/api/patients/${v.patient.id}/loyalty/redeem`, { rewardId });
      expect([code, r.status]).toEqual([code, 409]);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe(code);
      expect(await ledgerSum(v.patient.id)).toEqual(before);
    }
    expect((await post(`/api/patients/${v.patient.id}/loyalty/redeem`, { rewardId: 'x' })).status).toBe(400);
    expect((await post(`/api/patients/${v.patient.id}/loyalty/redeem`, { rewardId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    expect((await t.app.request('/api/patients/00000000-0000-4000-8000-000000000000/loyalty', { headers: bearer(staff) })).status).toBe(404);
  });

  it('expires the oldest unspent points after the clinic\'s period', async () => {
    const v = await patientWithVisit();
    await realise(v.appointment.id);
    await pay(v.appointment.id, 50000);
    const [acc] = await db.select().from(loyaltyAccounts).where(eq(loyaltyAccounts.patientId, v.patient.id));
    expect(await db.transaction((tx) => expirePoints(tx, a.clinic.id, acc.id, new Date(Date.now() + 364 * DAY)))).toBe(0);
    expect(await db.transaction((tx) => expirePoints(tx, a.clinic.id, acc.id, new Date(Date.now() + 367 * DAY)))).toBe(500);
    expect(await ledgerSum(v.patient.id)).toEqual({ balance: 0, sum: 0 });
    expect(await db.transaction((tx) => expirePoints(tx, a.clinic.id, acc.id, new Date(Date.now() + 400 * DAY)))).toBe(0);
  });

  it('over random histories of payments, refunds and redemptions, the balance is the ledger\'s sum and never negative', async () => {
    const [cheap] = await db.insert(rewards).values({ clinicId: a.clinic.id, name: 'Mimo', pointsRequired: 100, discountCents: 1000 }).returning();
    await fc.assert(fc.asyncProperty(
      fc.array(fc.oneof(
        fc.record({ op: fc.constant('pay' as const), cents: fc.integer({ min: 100, max: 300_000 }) }),
        fc.record({ op: fc.constant('refund' as const), share: fc.double({ min: 0.05, max: 1, noNaN: true }) }),
        fc.record({ op: fc.constant('redeem' as const) }),
      ), { minLength: 1, maxLength: 8 }),
      async (ops) => {
        const v = await patientWithVisit();
        await realise(v.appointment.id);
        const paid: { id: string; left: number }[] = [];
        for (const o of ops) {
          if (o.op === 'pay') paid.push({ id: await pay(v.appointment.id, o.cents), left: o.cents });
          else if (o.op === 'refund' && paid.length) {
            const p = paid[paid.length - 1]!;
            const cents = Math.max(1, Math.min(p.left, Math.floor(p.left * o.share)));
            if (p.left > 0 && (await post(`/api/payments/${p.id}/refund`, { amountCents: cents, reason: 'teste' })).status === 200) p.left -= cents;
          } else if (o.op === 'redeem') await post(`/api/patients/${v.patient.id}/loyalty/redeem`, { rewardId: cheap.id });
          const { balance, sum } = await ledgerSum(v.patient.id);
          expect(balance).toBe(sum);
          expect(balance).toBeGreaterThanOrEqual(0);
        }
      },
    ), { numRuns: 12 });
  });
});
