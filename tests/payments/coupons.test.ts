// Coupons in Pagamentos against the real PostgreSQL: a code takes its discount off a checkout or a
// manual payment and is then used; a second use, an expired, revoked, another patient's or a
// below-minimum coupon is refused with its code and changes nothing; an expired checkout gives the
// coupon back; concurrent charges never use one coupon twice (fast-check over random races).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { and, eq, sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createTestApp, login } from '../support/app';
import { coupons, patients, payments } from '../../db/schema';
import { issueCoupon } from '../../services/coupons';
import { receivePaymentEvent } from '../../services/payments/events';
import { createPaymentClinic } from './support';

const DAY = 86_400_000;
let tdb: TestDatabase;
let db: TestDatabase['db'];
let t: Awaited<ReturnType<typeof createTestApp>>;
let a: Awaited<ReturnType<typeof createPaymentClinic>>;
let b: Awaited<ReturnType<typeof createPaymentClinic>>;
let staff: string; let viewer: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
  t = await createTestApp(db);
  a = await createPaymentClinic(db, 'Clinica Cupons A', { maxChargeCents: 1_000_000 });
  b = await createPaymentClinic(db, 'Clinica Cupons B');
  staff = await login(t.app, a.members.staff.email);
  viewer = await login(t.app, a.members.view.email);
});
afterAll(async () => { await t.close(); await tdb.drop(); });

const post = (path: string, token: string, body: unknown) =>
  t.app.request(path, { method: 'POST', headers: bearer(token, { 'content-type': 'application/json' }), body: JSON.stringify(body) });
const get = (path: string, token: string) => t.app.request(path, { headers: bearer(token) });

async function coupon(o: { percent?: number; cents?: number; min?: number; patientId?: string | null; clinicId?: string } = {}) {
  return db.transaction((tx) => issueCoupon(tx, {
    clinicId: o.clinicId ?? a.clinic.id, origin: 'nps_detractor', patientId: o.patientId === undefined ? a.patient.id : o.patientId,
    rule: { discount: o.cents ? { cents: o.cents } : { percent: o.percent ?? 15 }, validityDays: 30, minChargeCents: o.min ?? 0 },
    now: new Date(),
  }));
}
const paymentCount = async () => (await db.select({ n: sql<number>`count(*)::int` }).from(payments).where(eq(payments.clinicId, a.clinic.id)))[0].n;

describe('using a coupon', () => {
  it('takes 15% off a checkout, records the discount on the payment and marks the coupon used', async () => {
    const c = await coupon();
    const res = await post('/api/payments', staff, { patientId: a.patient.id, amountCents: 30000, couponCode: c.code.toLowerCase().replace('-', '') });
    expect(res.status).toBe(201);
    const { payment } = await res.json() as { payment: { id: string; amountCents: number; discountCents: number; couponId: string } };
    expect(payment).toMatchObject({ amountCents: 25500, discountCents: 4500, couponId: c.id });
    const [row] = await db.select().from(coupons).where(eq(coupons.id, c.id));
    expect(row).toMatchObject({ redeemedPaymentId: payment.id, redeemedDiscountCents: 4500 });

    const before = await paymentCount();
    const again = await post('/api/payments/manual', staff, { patientId: a.patient.id, amountCents: 30000, method: 'dinheiro', couponCode: c.code });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'coupon_used', message: expect.stringContaining('já foi usado') } });
    expect(await paymentCount()).toBe(before);
  });

  it('on a manual payment the price is charged less the discount, and the appointment counts it as paid', async () => {
    const c = await coupon({ cents: 5000 });
    const res = await post('/api/payments/manual', staff, { appointmentId: a.appointment.id, amountCents: 30000, method: 'pix', couponCode: c.code });
    expect(res.status).toBe(201);
    expect((await res.json() as { payment: { amountCents: number; discountCents: number } }).payment).toMatchObject({ amountCents: 25000, discountCents: 5000 });
    // Nothing is left to charge: price 300,00 = 250,00 paid + 50,00 of coupon.
    const rest = await post('/api/payments', staff, { appointmentId: a.appointment.id });
    expect(rest.status).toBe(409);
  });

  it('refuses expired, revoked, another patient\'s, below-minimum, unknown and another clinic\'s coupons, changing nothing', async () => {
    const [other] = await db.insert(patients).values({ clinicId: a.clinic.id, name: 'Joana Lima' }).returning();
    const expired = await coupon();
    await db.update(coupons).set({ validUntil: new Date(Date.now() - DAY) }).where(eq(coupons.id, expired.id));
    const revoked = await coupon();
    expect((await post(`/api/coupons/${revoked.id}/revoke`, staff, {})).status).toBe(200);
    const joanas = await coupon({ patientId: other.id });
    const minimum = await coupon({ min: 50000 });
    const neighbours = await coupon({ clinicId: b.clinic.id, patientId: null });
    const before = await paymentCount();
    const cases: Array<[string, number, string]> = [
      [expired.code, 409, 'coupon_expired'], [revoked.code, 409, 'coupon_revoked'], [joanas.code, 409, 'coupon_other_patient'],
      [minimum.code, 409, 'coupon_below_minimum'], ['NAOEXISTE', 404, 'coupon_not_found'], ['!!', 404, 'coupon_not_found'], [neighbours.code, 404, 'coupon_not_found'],
    ];
    for (const [code, status, errorCode] of cases) {
      const res = await post('/api/payments', staff, { patientId: a.patient.id, amountCents: 30000, couponCode: code });
      expect([code, res.status]).toEqual([code, status]);
      expect(await res.json()).toMatchObject({ error: { code: errorCode, fields: { couponCode: [expect.any(String)] } } });
    }
    expect(await paymentCount()).toBe(before);
    expect((await db.select().from(coupons).where(eq(coupons.id, minimum.id)))[0].redeemedAt).toBeNull();
  });

  it('an expired checkout gives its coupon back, and it works on the next charge', async () => {
    const c = await coupon();
    const res = await post('/api/payments', staff, { patientId: a.patient.id, amountCents: 20000, couponCode: c.code });
    const { payment, checkout } = await res.json() as { payment: { id: string }; checkout: { sessionId: string } };
    await receivePaymentEvent({ db, temporal: t.temporal, log: pino({ level: 'silent' }), now: () => new Date() },
      { provider: 'stripe', eventId: `test:${checkout.sessionId}:expired`, event: { type: 'checkout_expired', sessionId: checkout.sessionId, paymentId: payment.id } });
    expect((await db.select().from(coupons).where(eq(coupons.id, c.id)))[0]).toMatchObject({ redeemedAt: null, redeemedPaymentId: null });
    const next = await post('/api/payments/manual', staff, { patientId: a.patient.id, amountCents: 20000, method: 'dinheiro', couponCode: c.code });
    expect(next.status).toBe(201);
  });

  it('never uses one coupon twice, however charges race (random concurrent attempts)', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.record({ amount: fc.integer({ min: 1000, max: 200000 }), manual: fc.boolean() }), { minLength: 2, maxLength: 6 }),
      async (attempts) => {
        const c = await coupon({ cents: 900 });
        const results = await Promise.all(attempts.map((x) => x.manual
          ? post('/api/payments/manual', staff, { patientId: a.patient.id, amountCents: x.amount, method: 'dinheiro', couponCode: c.code })
          : post('/api/payments', staff, { patientId: a.patient.id, amountCents: x.amount, couponCode: c.code })));
        const statuses = results.map((r) => r.status);
        expect(statuses.filter((s) => s === 201)).toHaveLength(1);
        expect(statuses.filter((s) => s !== 201).every((s) => s === 409)).toBe(true);
        const used = await db.select().from(payments).where(and(eq(payments.couponId, c.id)));
        expect(used).toHaveLength(1);
        expect(used[0].discountCents).toBe(900);
      },
    ), { numRuns: 12 });
  });
});

describe('coupons for staff', () => {
  it('previews a code, issues one by hand (staff only) and lists them by status', async () => {
    const c = await coupon({ percent: 10 });
    const preview = await (await get(`/api/coupons/preview?code=${c.code}&patientId=${a.patient.id}&amountCents=12345`, viewer)).json();
    expect(preview).toMatchObject({ valid: true, discountCents: 1235, chargeCents: 11110, label: '10% de desconto' });
    const bad = await (await get(`/api/coupons/preview?code=NADA1&patientId=${a.patient.id}&amountCents=100`, viewer)).json();
    expect(bad).toMatchObject({ valid: false, refusal: { code: 'coupon_not_found' } });
    expect((await get(`/api/coupons/preview?code=X&patientId=${a.patient.id}&amountCents=abc`, viewer)).status).toBe(400);

    expect((await post('/api/coupons', viewer, { percentOff: 10, validityDays: 10 })).status).toBe(403);
    expect((await post('/api/coupons', staff, { percentOff: 10, amountOffCents: 100, validityDays: 10 })).status).toBe(400);
    expect((await post('/api/coupons', staff, { patientId: b.patient.id, percentOff: 10, validityDays: 10 })).status).toBe(404);
    const made = await post('/api/coupons', staff, { patientId: a.patient.id, amountOffCents: 2000, validityDays: 10 });
    expect(made.status).toBe(201);
    const { coupon: manual } = await made.json() as { coupon: { code: string; status: string; label: string; origin: string } };
    expect(manual).toMatchObject({ status: 'valido', label: 'R$ 20,00 de desconto', origin: 'manual', code: expect.stringMatching(/^CUPOM-/) });

    const used = await (await get('/api/coupons?status=usado', viewer)).json() as { coupons: { status: string }[] };
    expect(used.coupons.length).toBeGreaterThan(0);
    expect(used.coupons.every((x) => x.status === 'usado')).toBe(true);
    const mine = await (await get(`/api/coupons?patientId=${a.patient.id}&status=valido`, viewer)).json() as { coupons: { code: string }[] };
    expect(mine.coupons.map((x) => x.code)).toContain(manual.code);
  });
});
