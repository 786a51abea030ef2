// /api/payments with the embedded default (local checkout): charges, local checkout outcomes, manual
// payments, refunds, receipts, commissions, bad input and tenancy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createTestApp, login } from '../support/app';
import { appointments, auditLog, clinics, commissionEntries, paymentRefunds, payments, webhookDeliveries } from '../../db/schema';
import { createPaymentClinic, realiseVisit } from './support';

let tdb: TestDatabase;
let db: TestDatabase['db'];
let t: Awaited<ReturnType<typeof createTestApp>>;
let a: Awaited<ReturnType<typeof createPaymentClinic>>;
let b: Awaited<ReturnType<typeof createPaymentClinic>>;
let staff: string; let viewer: string; let otherStaff: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
  t = await createTestApp(db);
  a = await createPaymentClinic(db, 'Clinica Pagamentos A', { maxChargeCents: 100_000, deposits: {}, commissionAfterCardFees: false });
  b = await createPaymentClinic(db, 'Clinica Pagamentos B');
  await db.update(clinics).set({ settings: { payments: { maxChargeCents: 100_000, deposits: { [a.procedure.id]: { bps: 3000 } } } } }).where(eq(clinics.id, a.clinic.id));
  staff = await login(t.app, a.members.staff.email);
  viewer = await login(t.app, a.members.view.email);
  otherStaff = await login(t.app, b.members.staff.email);
});
afterAll(async () => { await t.close(); await tdb.drop(); });

const post = (path: string, token: string, body: unknown) =>
  t.app.request(path, { method: 'POST', headers: bearer(token, { 'content-type': 'application/json' }), body: JSON.stringify(body) });
const get = (path: string, token: string) => t.app.request(path, { headers: bearer(token) });

describe('charges through the local checkout', () => {
  it('charges an appointment deposit, pays it with Pix on the local checkout, and the appointment becomes pago', async () => {
    const res = await post('/api/payments', staff, { appointmentId: a.appointment.id, deposit: true });
    expect(res.status).toBe(201);
    const body = await res.json() as { payment: { id: string; amountCents: number; kind: string; status: string }; checkout: { id: string; url: string; pixCode: string; provider: string } };
    expect(body.payment).toMatchObject({ amountCents: 9000, kind: 'deposit', status: 'pendente' });
    expect(body.checkout.provider).toBe('local');
    expect(body.checkout.url).toMatch(new RegExp(`/p/pagar/${body.checkout.id}$`));
    expect(body.checkout.pixCode).toMatch(/^000201/);

    const page = await (await t.app.request(`/api/public/checkout/${body.checkout.id}`)).json();
    expect(page).toMatchObject({ clinicName: 'Clinica Pagamentos A', amountCents: 9000, status: 'aberto' });

    const paid = await t.app.request(`/api/public/checkout/${body.checkout.id}/pix`, { method: 'POST' });
    expect(paid.status).toBe(200);
    expect(await paid.json()).toMatchObject({ status: 'pago', paymentStatus: 'aprovado' });
    // A second click is a no-op.
    expect((await t.app.request(`/api/public/checkout/${body.checkout.id}/pix`, { method: 'POST' })).status).toBe(200);

    const [row] = await db.select().from(payments).where(eq(payments.id, body.payment.id));
    expect(row).toMatchObject({ status: 'aprovado', method: 'pix' });
    const [appt] = await db.select().from(appointments).where(eq(appointments.id, a.appointment.id));
    expect(appt.paymentStatus).toBe('pago');
    // Commissions accrue from realised, paid visits: nothing for a deposit of a visit still ahead.
    expect(await db.select().from(commissionEntries).where(eq(commissionEntries.paymentId, body.payment.id))).toEqual([]);
    await realiseVisit(db, a.appointment.id);
    const ledger = await db.select().from(commissionEntries).where(eq(commissionEntries.paymentId, body.payment.id));
    expect(ledger.map((e) => e.amountCents)).toEqual([1800]); // 20% of R$ 90,00
    const receipts = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.providerEventId, `local:${body.checkout.id}:paid`));
    expect(receipts).toHaveLength(1);
  });

  it('a failed attempt marks the payment recusado; paying afterwards still succeeds', async () => {
    const res = await post('/api/payments', staff, { patientId: a.patient.id, amountCents: 5000, description: 'Kit home care', methods: ['card'] });
    const { payment, checkout } = await res.json() as { payment: { id: string }; checkout: { id: string } };
    expect((await (await t.app.request(`/api/public/checkout/${checkout.id}/falhar`, { method: 'POST' })).json())).toMatchObject({ paymentStatus: 'recusado' });
    expect((await (await t.app.request(`/api/public/checkout/${checkout.id}/cartao`, { method: 'POST' })).json())).toMatchObject({ status: 'pago', paymentStatus: 'aprovado' });
    const [row] = await db.select().from(payments).where(eq(payments.id, payment.id));
    expect(row).toMatchObject({ status: 'aprovado', method: 'cartao', failureReason: null });
  });

  it('lists with filters and totals, and shows the detail', async () => {
    const res = await get('/api/payments?status=aprovado', viewer);
    expect(res.status).toBe(200);
    const body = await res.json() as { payments: { status: string; patientName: string }[]; totals: { count: number; approvedCents: number } };
    expect(body.payments.every((p) => p.status === 'aprovado')).toBe(true);
    expect(body.totals).toMatchObject({ count: 2, approvedCents: 14000 });
    const detail = await (await get(`/api/payments/${(body.payments[0] as unknown as { id: string }).id}`, viewer)).json() as { checkouts: unknown[]; refundableCents: number };
    expect(detail.checkouts).toHaveLength(1);
    expect(detail.refundableCents).toBeGreaterThan(0);
  });
});

describe('manual payments, refunds and receipts', () => {
  let paymentId: string;
  it('records cash received at the desk as paid', async () => {
    const res = await post('/api/payments/manual', staff, { appointmentId: a.appointment.id, amountCents: 21000, method: 'dinheiro', description: 'Restante' });
    expect(res.status).toBe(201);
    paymentId = ((await res.json()) as { payment: { id: string } }).payment.id;
    const audits = await db.select().from(auditLog).where(eq(auditLog.entityId, paymentId));
    expect(audits.map((x) => x.action)).toEqual(['payment.manual']);
  });

  it('refunds partially, then the rest; never more than paid; the appointment follows', async () => {
    let res = await post(`/api/payments/${paymentId}/refund`, staff, { amountCents: 6000, reason: 'Procedimento reduzido' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { payment: { status: string; refundedCents: number } }).payment).toMatchObject({ status: 'aprovado', refundedCents: 6000 });

    res = await post(`/api/payments/${paymentId}/refund`, staff, { amountCents: 15001, reason: 'Acima do restante' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/excede o valor restante/);

    res = await post(`/api/payments/${paymentId}/refund`, staff, { reason: 'Cancelamento' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { payment: { status: string; refundedCents: number } }).payment).toMatchObject({ status: 'reembolsado', refundedCents: 21000 });

    res = await post(`/api/payments/${paymentId}/refund`, staff, { reason: 'De novo' });
    expect(res.status).toBe(409);
    const refunds = await db.select().from(paymentRefunds).where(eq(paymentRefunds.paymentId, paymentId));
    expect(refunds.reduce((s, r) => s + r.amountCents, 0)).toBe(21000);
    // The deposit is still kept: the appointment stays pago.
    expect((await db.select().from(appointments).where(eq(appointments.id, a.appointment.id)))[0].paymentStatus).toBe('pago');
    const ledger = await db.select().from(commissionEntries).where(eq(commissionEntries.paymentId, paymentId));
    expect(ledger.reduce((s, e) => s + e.amountCents, 0)).toBe(0);
  });

  it('serves a PDF receipt', async () => {
    const res = await get(`/api/payments/${paymentId}/receipt.pdf`, viewer);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('bad input changes nothing', () => {
  const countPayments = async () => (await db.select().from(payments)).length;
  it.each([
    [{ patientId: 'x', amountCents: 100 }, 400],
    [{ patientId: '00000000-0000-4000-8000-000000000000', amountCents: 100 }, 404],
    [{ amountCents: 100 }, 400],
  ])('refuses %j', async (body, status) => {
    const before = await countPayments();
    const res = await post('/api/payments', staff, body);
    expect(res.status).toBe(status);
    expect(await countPayments()).toBe(before);
  });
  it('refuses zero, negative, fractional and above-cap amounts and other currencies', async () => {
    const before = await countPayments();
    for (const amountCents of [0, -100, 10.5, 100_001]) {
      const res = await post('/api/payments', staff, { patientId: a.patient.id, amountCents });
      expect(res.status).toBe(400);
      const body = await res.json() as { error: { code: string; fields: Record<string, string[]> } };
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.fields.amountCents).toBeDefined();
    }
    const usd = await post('/api/payments', staff, { patientId: a.patient.id, amountCents: 1000, currency: 'usd' });
    expect(usd.status).toBe(400);
    expect(((await usd.json()) as { error: { fields: Record<string, string[]> } }).error.fields.currency[0]).toMatch(/BRL/);
    const manual = await post('/api/payments/manual', staff, { patientId: a.patient.id, amountCents: 0, method: 'dinheiro' });
    expect(manual.status).toBe(400);
    expect(await countPayments()).toBe(before);
  });
  it("another clinic's payment is not found (detail, refund, receipt), and the view role cannot charge", async () => {
    const [p] = await db.select().from(payments).where(eq(payments.clinicId, a.clinic.id)).limit(1);
    expect((await get(`/api/payments/${p.id}`, otherStaff)).status).toBe(404);
    expect((await post(`/api/payments/${p.id}/refund`, otherStaff, { reason: 'Tentativa' })).status).toBe(404);
    expect((await get(`/api/payments/${p.id}/receipt.pdf`, otherStaff)).status).toBe(404);
    expect((await post('/api/payments', otherStaff, { appointmentId: a.appointment.id, amountCents: 100 })).status).toBe(404);
    expect((await post('/api/payments', viewer, { patientId: a.patient.id, amountCents: 100 })).status).toBe(403);
  });
  it('an unknown checkout is a 404; a bad outcome a 400', async () => {
    expect((await t.app.request('/api/public/checkout/00000000-0000-4000-8000-000000000000/pix', { method: 'POST' })).status).toBe(404);
    expect((await t.app.request('/api/public/checkout/nao-e-uuid')).status).toBe(400);
    const res = await post('/api/payments', staff, { patientId: a.patient.id, amountCents: 100 });
    const { checkout } = await res.json() as { checkout: { id: string } };
    expect((await t.app.request(`/api/public/checkout/${checkout.id}/bitcoin`, { method: 'POST' })).status).toBe(400);
  });
});

describe('payment settings (admin) and concurrent refunds', () => {
  const put = (token: string, body: unknown) =>
    t.app.request('/api/admin/payment-settings', { method: 'PUT', headers: bearer(token, { 'content-type': 'application/json' }), body: JSON.stringify(body) });
  it('admin sets the deposit per procedure; staff cannot; bad settings are refused and change nothing', async () => {
    const admin = await login(t.app, a.members.admin.email);
    expect((await put(staff, { deposits: {} })).status).toBe(403);
    const both = await put(admin, { deposits: { [a.procedure.id]: { bps: 1000, cents: 500 } } });
    expect(both.status).toBe(400);
    const unknown = await put(admin, { deposits: { '00000000-0000-4000-8000-000000000000': { cents: 500 } } });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(/Procedimento não encontrado/);
    expect((await put(admin, { depositDeadlineHours: 48 })).status).toBe(400);
    expect((await put(admin, { connectedAccounts: { [a.professional.id]: 'conta' } })).status).toBe(400);
    const [before] = await db.select().from(clinics).where(eq(clinics.id, a.clinic.id));
    expect(before.settings.payments?.deposits?.[a.procedure.id]).toEqual({ bps: 3000 });

    const ok = await put(admin, { maxChargeCents: 100_000, deposits: { [a.procedure.id]: { cents: 7000 } }, depositDeadlineHours: 6 });
    expect(ok.status).toBe(200);
    const res = await post('/api/payments', staff, { appointmentId: a.appointment.id, deposit: true });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { payment: { amountCents: number } }).payment.amountCents).toBe(7000);
    const [after] = await db.select().from(clinics).where(eq(clinics.id, a.clinic.id));
    expect(after.settings.payments).toEqual({ maxChargeCents: 100_000, deposits: { [a.procedure.id]: { cents: 7000 } }, depositDeadlineHours: 6 });
  });

  it('two refunds racing for the same money: one wins, the other is refused; never more than paid', async () => {
    const res = await post('/api/payments/manual', staff, { patientId: a.patient.id, amountCents: 10000, method: 'dinheiro' });
    const { payment } = (await res.json()) as { payment: { id: string } };
    const results = await Promise.all([0, 1, 2].map(() => post(`/api/payments/${payment.id}/refund`, staff, { amountCents: 6000, reason: 'Corrida' })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
    const [row] = await db.select().from(payments).where(eq(payments.id, payment.id));
    expect(row.refundedCents).toBe(6000);
  });
});

describe('documentation', () => {
  it('the OpenAPI document lists the payment endpoints', async () => {
    const res = await t.app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    for (const p of ['/api/payments', '/api/payments/{id}', '/api/payments/manual', '/api/payments/{id}/refund', '/api/payments/{id}/receipt.pdf',
      '/api/public/checkout/{session}', '/api/public/checkout/{session}/{outcome}', '/api/commissions', '/api/commissions/close', '/api/commissions/payout',
      '/api/reconciliation', '/api/recurring-payments', '/api/recurring-payments/{id}/cancel', '/api/admin/payment-settings']) {
      expect(doc.paths, p).toHaveProperty([p]);
    }
  });
});
