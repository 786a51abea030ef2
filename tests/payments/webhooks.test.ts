// Stripe configured: charges go to a local fake Stripe server through the real SDK, and
// POST /webhooks/stripe takes events signed with the SDK's test header helper (valid, invalid,
// replayed, out of order, unknown objects, subscriptions).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, login } from '../support/app';
import { appointments, commissionEntries, paymentCheckouts, paymentRefunds, payments, recurringPayments, webhookDeliveries } from '../../db/schema';
import { defaultRoutes, startFakeStripe } from './fake-stripe';
import { createPaymentClinic, createStripeTestApp, realiseVisit, signedEvent } from './support';

let tdb: TestDatabase;
let db: TestDatabase['db'];
let fake: Awaited<ReturnType<typeof startFakeStripe>>;
let t: Awaited<ReturnType<typeof createStripeTestApp>>;
let c: Awaited<ReturnType<typeof createPaymentClinic>>;
let staff: string;
let sessions = 0;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
  fake = await startFakeStripe({
    ...defaultRoutes,
    'POST /v1/checkout/sessions': (r) => ({ body: { id: `cs_test_${++sessions}`, object: 'checkout.session', url: `https://checkout.stripe.com/c/pay/cs_test_${sessions}`, expires_at: Number(r.form.get('expires_at')) } }),
  });
  t = await createStripeTestApp(db, { STRIPE_SECRET_KEY: 'sk_test_fake', STRIPE_API_URL: `http://127.0.0.1:${fake.port}` });
  c = await createPaymentClinic(db, 'Clinica Stripe');
  staff = await login(t.app, c.members.staff.email);
});
afterAll(async () => { await t.close(); await fake.close(); await tdb.drop(); });

const deliver = (e: { payload: string; header?: string }) =>
  t.app.request('/webhooks/stripe', { method: 'POST', headers: { 'content-type': 'application/json', ...(e.header ? { 'stripe-signature': e.header } : {}) }, body: e.payload });
const charge = async (body: Record<string, unknown>) => {
  const res = await t.app.request('/api/payments', { method: 'POST', headers: bearer(staff, { 'content-type': 'application/json' }), body: JSON.stringify(body) });
  expect(res.status).toBe(201);
  return (await res.json()) as { payment: { id: string; amountCents: number }; checkout: { sessionId: string; url: string } };
};
const paymentRow = async (id: string) => (await db.select().from(payments).where(eq(payments.id, id)))[0];

describe('charges through Stripe (fake server)', () => {
  let first: Awaited<ReturnType<typeof charge>>;
  it('creates a Checkout Session with the payment id in metadata and an idempotency key', async () => {
    first = await charge({ appointmentId: c.appointment.id });
    const req = fake.requests.find((r) => r.path === '/v1/checkout/sessions')!;
    expect(req.headers['idempotency-key']).toBe(`checkout:${first.payment.id}`);
    expect(req.form.get('metadata[paymentId]')).toBe(first.payment.id);
    expect(req.form.get('payment_intent_data[metadata][appointmentId]')).toBe(c.appointment.id);
    expect(req.form.get('line_items[0][price_data][unit_amount]')).toBe('30000');
    expect(first.checkout).toMatchObject({ sessionId: 'cs_test_1', url: 'https://checkout.stripe.com/c/pay/cs_test_1' });
  });

  it('a valid checkout.session.completed marks the payment paid; a replay is a no-op', async () => {
    const event = signedEvent('checkout.session.completed', {
      id: 'cs_test_1', object: 'checkout.session', payment_status: 'paid', payment_intent: 'pi_first', metadata: { paymentId: first.payment.id },
    }, { id: 'evt_completed_1' });
    const res = await deliver(event);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, result: 'applied' });
    expect(await paymentRow(first.payment.id)).toMatchObject({ status: 'aprovado', stripePaymentIntentId: 'pi_first' });
    expect((await db.select().from(appointments).where(eq(appointments.id, c.appointment.id)))[0].paymentStatus).toBe('pago');
    expect((await db.select().from(paymentCheckouts).where(eq(paymentCheckouts.providerSessionId, 'cs_test_1')))[0].status).toBe('pago');

    // No commission until the visit is realised; then one, and a replay adds none.
    expect(await db.select().from(commissionEntries).where(eq(commissionEntries.paymentId, first.payment.id))).toHaveLength(0);
    await realiseVisit(db, c.appointment.id);
    const again = await deliver(event);
    expect(await again.json()).toEqual({ received: true, result: 'duplicate' });
    expect(await db.select().from(commissionEntries).where(eq(commissionEntries.paymentId, first.payment.id))).toHaveLength(1);
  });

  it('refuses a bad or missing signature with 400 and stores nothing', async () => {
    const before = (await db.select().from(webhookDeliveries)).length;
    const forged = signedEvent('payment_intent.payment_failed', { id: 'pi_first', object: 'payment_intent', metadata: { paymentId: first.payment.id } }, { secret: 'whsec_wrong' });
    const res = await deliver(forged);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/Assinatura do Stripe/);
    expect((await deliver({ payload: forged.payload })).status).toBe(400);
    const good = signedEvent('payment_intent.payment_failed', { id: 'pi_first', object: 'payment_intent' });
    expect((await deliver({ payload: good.payload.replace('pi_first', 'pi_other'), header: good.header })).status).toBe(400);
    expect((await db.select().from(webhookDeliveries)).length).toBe(before);
    expect((await paymentRow(first.payment.id)).status).toBe('aprovado');
  });

  it('a late failure never undoes a success', async () => {
    const res = await deliver(signedEvent('payment_intent.payment_failed', { id: 'pi_first', object: 'payment_intent', metadata: { paymentId: first.payment.id }, last_payment_error: { message: 'Cartão recusado' } }));
    expect(res.status).toBe(200);
    expect((await paymentRow(first.payment.id)).status).toBe('aprovado');
  });

  it('refunds through Stripe with an idempotency key; the charge.refunded that follows is not counted twice', async () => {
    const res = await t.app.request(`/api/payments/${first.payment.id}/refund`, { method: 'POST', headers: bearer(staff, { 'content-type': 'application/json' }), body: JSON.stringify({ amountCents: 10000, reason: 'Desistência parcial' }) });
    expect(res.status).toBe(200);
    const req = fake.requests.filter((r) => r.path === '/v1/refunds').at(-1)!;
    expect(req.headers['idempotency-key']).toBe(`refund:${first.payment.id}:0:10000`);
    expect(req.form.get('payment_intent')).toBe('pi_first');
    expect(req.form.get('amount')).toBe('10000');
    const hook = await deliver(signedEvent('charge.refunded', {
      id: 'ch_first', object: 'charge', payment_intent: 'pi_first', amount_refunded: 10000, metadata: {},
      refunds: { object: 'list', data: [{ id: 're_123', object: 'refund', amount: 10000, status: 'succeeded', metadata: {} }] },
    }));
    expect(hook.status).toBe(200);
    const p = await paymentRow(first.payment.id);
    expect(p).toMatchObject({ status: 'aprovado', refundedCents: 10000 });
    expect(await db.select().from(paymentRefunds).where(eq(paymentRefunds.paymentId, p.id))).toHaveLength(1);
    const ledger = await db.select().from(commissionEntries).where(eq(commissionEntries.paymentId, p.id));
    expect(ledger.map((e) => e.amountCents).sort((x, y) => x - y)).toEqual([-2000, 6000]);
  });
});

describe('out of order', () => {
  it('a refund that arrives before the success is kept and applied when the success lands', async () => {
    const { payment } = await charge({ patientId: c.patient.id, amountCents: 4000, description: 'Máscara facial' });
    const refund = await deliver(signedEvent('charge.refunded', {
      id: 'ch_second', object: 'charge', payment_intent: 'pi_second', amount_refunded: 4000, metadata: {}, refunds: { object: 'list', data: [] },
    }, { id: 'evt_refund_early' }));
    expect(await refund.json()).toEqual({ received: true, result: 'waiting' });
    expect((await paymentRow(payment.id)).status).toBe('pendente');

    const success = await deliver(signedEvent('payment_intent.succeeded', {
      id: 'pi_second', object: 'payment_intent', amount: 4000, amount_received: 4000, payment_method_types: ['pix'], metadata: { paymentId: payment.id },
    }));
    expect(await success.json()).toEqual({ received: true, result: 'applied' });
    expect(await paymentRow(payment.id)).toMatchObject({ status: 'reembolsado', refundedCents: 4000, stripePaymentIntentId: 'pi_second', method: 'pix' });
    const [early] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.providerEventId, 'evt_refund_early'));
    expect(early.processedAt).not.toBeNull();
    expect(early.error).toBeNull();
  });

  it('expiry after payment changes nothing; expiry of an open checkout leaves the payment pending with a reason', async () => {
    const { payment, checkout } = await charge({ patientId: c.patient.id, amountCents: 2500 });
    await deliver(signedEvent('checkout.session.expired', { id: checkout.sessionId, object: 'checkout.session', metadata: { paymentId: payment.id } }));
    expect(await paymentRow(payment.id)).toMatchObject({ status: 'pendente', failureReason: 'O link de pagamento expirou.' });
    expect((await db.select().from(paymentCheckouts).where(eq(paymentCheckouts.providerSessionId, checkout.sessionId)))[0].status).toBe('expirado');
  });
});

describe('payment links', () => {
  it('a payment link (price + link with idempotency keys) is paid through a session that only names the link', async () => {
    const { payment, checkout } = await charge({ patientId: c.patient.id, amountCents: 8000, kind: 'link', methods: ['pix'] });
    expect(checkout).toMatchObject({ sessionId: 'plink_123', url: 'https://buy.stripe.com/test_123' });
    const link = fake.requests.filter((r) => r.path === '/v1/payment_links').at(-1)!;
    expect(link.headers['idempotency-key']).toBe(`checkout:${payment.id}:link`);
    expect(link.form.get('payment_intent_data[metadata][paymentId]')).toBe(payment.id);
    await deliver(signedEvent('checkout.session.expired', { id: 'cs_link_old', object: 'checkout.session', payment_link: 'plink_123', metadata: {} }));
    expect(await paymentRow(payment.id)).toMatchObject({ status: 'pendente', failureReason: null });
    const res = await deliver(signedEvent('checkout.session.completed', { id: 'cs_link_1', object: 'checkout.session', payment_status: 'paid', payment_link: 'plink_123', payment_intent: 'pi_link', metadata: {} }));
    expect(await res.json()).toEqual({ received: true, result: 'applied' });
    expect(await paymentRow(payment.id)).toMatchObject({ status: 'aprovado', stripePaymentIntentId: 'pi_link' });
    const [row] = await db.select().from(paymentCheckouts).where(eq(paymentCheckouts.providerSessionId, 'plink_123'));
    expect(row.status).toBe('pago');
    // Stripe sends the patient back to /p/pagar/{checkout}: the page reads the status, and cannot be "paid" locally.
    expect(await (await t.app.request(`/api/public/checkout/${row.id}`)).json()).toMatchObject({ provider: 'stripe', status: 'pago' });
    expect((await t.app.request(`/api/public/checkout/${row.id}/pix`, { method: 'POST' })).status).toBe(404);
  });
});

describe('unknown objects and subscriptions', () => {
  it('events about objects we do not know are acknowledged and change nothing', async () => {
    const before = await db.select().from(payments);
    for (const e of [
      signedEvent('checkout.session.completed', { id: 'cs_unknown', object: 'checkout.session', payment_status: 'paid', metadata: {} }),
      signedEvent('customer.subscription.deleted', { id: 'sub_unknown', object: 'subscription', status: 'canceled' }),
      signedEvent('product.created', { id: 'prod_1', object: 'product' }),
    ]) {
      const res = await deliver(e);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { result: string }).result).toBe('ignored');
    }
    expect(await db.select().from(payments)).toEqual(before);
  });

  it('subscription renewals: a failure is visible with its dunning state, a later payment reactivates, deletion cancels', async () => {
    const [plan] = await db.insert(recurringPayments).values({ clinicId: c.clinic.id, patientId: c.patient.id, amountCents: 19900, dayOfMonth: 5, stripeSubscriptionId: 'sub_plan', description: 'Plano mensal' }).returning();
    const next = Math.floor(Date.now() / 1000) + 3 * 86400;
    await deliver(signedEvent('invoice.payment_failed', { id: 'in_1', object: 'invoice', subscription: 'sub_plan', amount_due: 19900, amount_paid: 0, attempt_count: 1, next_payment_attempt: next }));
    expect((await db.select().from(recurringPayments).where(eq(recurringPayments.id, plan.id)))[0].status).toBe('suspenso');
    const [failed] = await db.select().from(payments).where(eq(payments.stripePaymentId, 'in_1'));
    expect(failed).toMatchObject({ status: 'recusado', amountCents: 19900 });
    expect(failed.failureReason).toMatch(/tentativa 1; nova tentativa em/);

    await deliver(signedEvent('invoice.paid', { id: 'in_1', object: 'invoice', subscription: 'sub_plan', amount_due: 19900, amount_paid: 19900 }));
    expect((await db.select().from(payments).where(eq(payments.stripePaymentId, 'in_1')))[0].status).toBe('aprovado');
    expect((await db.select().from(recurringPayments).where(eq(recurringPayments.id, plan.id)))[0].status).toBe('ativo');

    await deliver(signedEvent('customer.subscription.deleted', { id: 'sub_plan', object: 'subscription', status: 'canceled' }));
    expect((await db.select().from(recurringPayments).where(eq(recurringPayments.id, plan.id)))[0].status).toBe('cancelado');
  });
});
