// Commission ledger and period closing, reconciliation against Stripe's balance (fake server through the
// real SDK), and monthly plans as subscriptions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, login } from '../support/app';
import { appointments, clinics, commissionEntries, payments, professionals, recurringPayments } from '../../db/schema';
import { localDate } from '../../domain/timezone';
import { startFakeStripe } from './fake-stripe';
import { createPaymentClinic, createStripeTestApp, realiseVisit } from './support';

let tdb: TestDatabase;
let db: TestDatabase['db'];
let fake: Awaited<ReturnType<typeof startFakeStripe>>;
let t: Awaited<ReturnType<typeof createStripeTestApp>>;
let c: Awaited<ReturnType<typeof createPaymentClinic>>;
let staff: string; let viewer: string;
const month = localDate(new Date(), 'America/Sao_Paulo').slice(0, 7);

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
  fake = await startFakeStripe();
  t = await createStripeTestApp(db, { STRIPE_SECRET_KEY: 'sk_test_fake', STRIPE_API_URL: `http://127.0.0.1:${fake.port}` });
  c = await createPaymentClinic(db, 'Clinica Operacoes');
  staff = await login(t.app, c.members.staff.email);
  viewer = await login(t.app, c.members.view.email);
});
afterAll(async () => { await t.close(); await fake.close(); await tdb.drop(); });

const post = (path: string, token: string, body: unknown) =>
  t.app.request(path, { method: 'POST', headers: bearer(token, { 'content-type': 'application/json' }), body: JSON.stringify(body) });
const get = (path: string, token: string) => t.app.request(path, { headers: bearer(token) });

describe('commissions', () => {
  let paymentId: string;
  it('a realised, paid appointment puts the professional commission in the ledger, listed per professional', async () => {
    await realiseVisit(db, c.appointment.id);
    const res = await post('/api/payments/manual', staff, { appointmentId: c.appointment.id, amountCents: 30000, method: 'cartao' });
    paymentId = ((await res.json()) as { payment: { id: string } }).payment.id;
    const list = await get(`/api/commissions?month=${month}`, viewer);
    expect(list.status).toBe(200);
    const body = (await list.json()) as { closed: boolean; professionals: { name: string; totalCents: number; openCents: number; payout: string }[]; entries: unknown[] };
    expect(body.closed).toBe(false);
    expect(body.professionals).toEqual([expect.objectContaining({ name: 'Dra. Helena Prado', totalCents: 6000, openCents: 6000, payout: 'manual' })]);

    const [paulo] = await db.insert(professionals).values({ clinicId: c.clinic.id, name: 'Dr. Paulo Lima', commissionBps: 1000 }).returning();
    // Paid before the visit is marked realizado: the commission accrues when it is (through the agenda's status change).
    const [appt] = await db.insert(appointments).values({ clinicId: c.clinic.id, patientId: c.patient.id, procedureId: c.procedure.id, professionalId: paulo.id, startsAt: new Date(Date.now() - 3 * 3600_000), durationMinutes: 60, priceCents: 10000 }).returning();
    expect((await post('/api/payments/manual', staff, { appointmentId: appt.id, amountCents: 10000, method: 'pix' })).status).toBe(201);
    const paulos = () => db.select().from(commissionEntries).where(eq(commissionEntries.professionalId, paulo.id));
    expect(await paulos()).toEqual([]);
    expect((await post(`/api/appointments/${appt.id}/status`, staff, { status: 'realizado' })).status).toBe(200);
    expect((await paulos()).map((e) => e.amountCents)).toEqual([1000]);
  });

  it('closing the month locks its entries; closing again is a 409; a later refund goes to the open period', async () => {
    expect((await post('/api/commissions/close', staff, { month: '2026-13' })).status).toBe(400);
    const res = await post('/api/commissions/close', staff, { month });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ month, entries: 2, totalCents: 7000 });
    expect((await post('/api/commissions/close', staff, { month })).status).toBe(409);

    expect((await post(`/api/payments/${paymentId}/refund`, staff, { amountCents: 15000, reason: 'Metade devolvida' })).status).toBe(200);
    const entries = await db.select().from(commissionEntries).where(eq(commissionEntries.paymentId, paymentId));
    expect(entries.map((e) => [e.amountCents, e.closedPeriod]).sort()).toEqual([[-3000, null], [6000, month]].sort());
  });

  it('pays a closed month: Stripe Connect transfer for a connected professional, manual for the other, never twice', async () => {
    expect((await post('/api/commissions/payout', staff, { month: '2020-01' })).status).toBe(409);
    await db.update(clinics).set({ settings: { payments: { connectedAccounts: { [c.professional.id]: 'acct_helena' } } } }).where(eq(clinics.id, c.clinic.id));
    const res = await post('/api/commissions/payout', staff, { month });
    expect(res.status).toBe(200);
    const { payouts } = (await res.json()) as { payouts: { name: string; amountCents: number; method: string; transferId: string | null; status: string }[] };
    expect(payouts).toEqual([
      { professionalId: expect.any(String), name: 'Dr. Paulo Lima', amountCents: 1000, method: 'manual', transferId: null, status: 'pendente_manual' },
      { professionalId: c.professional.id, name: 'Dra. Helena Prado', amountCents: 6000, method: 'stripe', transferId: 'tr_acct_helena', status: 'pago' },
    ]);
    const transfer = fake.requests.filter((r) => r.path === '/v1/transfers');
    expect(transfer).toHaveLength(1);
    expect(transfer[0].headers['idempotency-key']).toBe(`payout:${c.clinic.id}:${month}:${c.professional.id}`);
    const again = (await (await post('/api/commissions/payout', staff, { month, recordManual: true })).json()) as { payouts: { name: string; status: string }[] };
    expect(again.payouts.map((p) => [p.name, p.status])).toEqual([['Dr. Paulo Lima', 'pago'], ['Dra. Helena Prado', 'ja_pago']]);
    expect(fake.requests.filter((r) => r.path === '/v1/transfers')).toHaveLength(1);
  });
});

describe('reconciliation with Stripe', () => {
  it('matches balance transactions to payments and lists fee differences and what is missing on either side', async () => {
    const now = new Date();
    const [matched] = await db.insert(payments).values({ clinicId: c.clinic.id, patientId: c.patient.id, amountCents: 15000, method: 'cartao', status: 'aprovado', stripePaymentIntentId: 'pi_1', feeCents: 500, processedAt: now }).returning();
    const [missing] = await db.insert(payments).values({ clinicId: c.clinic.id, patientId: c.patient.id, amountCents: 2000, method: 'pix', status: 'aprovado', stripePaymentIntentId: 'pi_missing', processedAt: now }).returning();
    const day = localDate(now, 'America/Sao_Paulo');
    const res = await get(`/api/reconciliation?from=${day}&to=${day}`, viewer);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.provider).toBe('stripe');
    expect(body.matched).toEqual([{ paymentId: matched.id, transactionId: 'txn_1', amountCents: 15000, feeCents: 599 }]);
    expect(body.feeDifferences).toEqual([{ paymentId: matched.id, transactionId: 'txn_1', recordedFeeCents: 500, stripeFeeCents: 599 }]);
    expect(body.missingInternally).toEqual([{ transactionId: 'txn_2', type: 'refund', sourceId: 're_1', amountCents: -5000 }]);
    expect(body.missingInStripe).toEqual([expect.objectContaining({ paymentId: missing.id, reference: 'pi_missing', amountCents: 2000 })]);
    expect(body.payouts).toEqual([expect.objectContaining({ id: 'po_1', amountCents: 9401, status: 'paid' })]);
    expect(fake.requests.some((r) => r.path === '/v1/balance_transactions')).toBe(true);
    expect((await get('/api/reconciliation?from=2026-02-10&to=2026-02-01', viewer)).status).toBe(400);
  });
});

describe('monthly plans', () => {
  it('creates a plan as a Stripe subscription (idempotency keys) and cancels it', async () => {
    const res = await post('/api/recurring-payments', staff, { patientId: c.patient.id, amountCents: 19900, dayOfMonth: 10, description: 'Plano mensal de drenagem' });
    expect(res.status).toBe(201);
    const { plan } = (await res.json()) as { plan: { id: string; stripeSubscriptionId: string; status: string; nextDate: string } };
    expect(plan).toMatchObject({ stripeSubscriptionId: 'sub_123', status: 'ativo' });
    expect(plan.nextDate).toMatch(/^\d{4}-\d{2}-10$/);
    const sub = fake.requests.find((r) => r.path === '/v1/subscriptions')!;
    expect(sub.headers['idempotency-key']).toBe(`plan:${plan.id}:subscription`);
    const list = (await (await get('/api/recurring-payments', viewer)).json()) as { plans: { id: string }[] };
    expect(list.plans.map((p) => p.id)).toContain(plan.id);
    expect((await post(`/api/recurring-payments/${plan.id}/cancel`, staff, {})).status).toBe(200);
    expect((await db.select().from(recurringPayments).where(eq(recurringPayments.id, plan.id)))[0].status).toBe('cancelado');
    expect((await post(`/api/recurring-payments/${plan.id}/cancel`, staff, {})).status).toBe(409);
  });
  it('refuses a bad day of month or amount, creating nothing', async () => {
    const before = (await db.select().from(recurringPayments)).length;
    expect((await post('/api/recurring-payments', staff, { patientId: c.patient.id, amountCents: 19900, dayOfMonth: 31, description: 'Plano' })).status).toBe(400);
    expect((await post('/api/recurring-payments', staff, { patientId: c.patient.id, amountCents: 0, dayOfMonth: 5, description: 'Plano' })).status).toBe(400);
    expect((await db.select().from(recurringPayments)).length).toBe(before);
  });
});
