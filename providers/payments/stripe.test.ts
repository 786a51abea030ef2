// The real `stripe` SDK against a local fake Stripe server: paths, form-encoded params, idempotency keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { startFakeStripe } from '../../tests/payments/fake-stripe';
import { createStripeProvider, verifyStripeEvent } from './stripe';

let fake: Awaited<ReturnType<typeof startFakeStripe>>;
beforeAll(async () => { fake = await startFakeStripe(); });
afterAll(async () => { await fake.close(); });

const last = () => fake.requests[fake.requests.length - 1];

describe('Stripe adapter', () => {
  it('creates a Checkout Session for card and Pix in BRL, with metadata and an idempotency key', async () => {
    const provider = createStripeProvider(fake.options);
    const expiresAt = new Date(Date.now() + 3600_000);
    const out = await provider.createCheckout({
      amountCents: 15000, currency: 'brl', methods: ['card', 'pix'], description: 'Limpeza de pele',
      metadata: { paymentId: 'pay-1', clinicId: 'clinic-1' }, successUrl: 'http://web/ok', cancelUrl: 'http://web/cancel',
      expiresAt, reference: 'ref-1', idempotencyKey: 'checkout:pay-1',
    });
    expect(out).toMatchObject({ sessionId: 'cs_test_123', url: 'https://checkout.stripe.com/c/pay/cs_test_123' });
    const req = last();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/checkout/sessions');
    expect(req.headers['idempotency-key']).toBe('checkout:pay-1');
    expect(req.headers.authorization).toBe('Bearer sk_test_fake');
    expect(req.headers['content-type']).toMatch(/application\/x-www-form-urlencoded/);
    const f = req.form;
    expect(f.get('mode')).toBe('payment');
    expect(f.getAll('allowed_payment_method_types[0]').concat(f.getAll('allowed_payment_method_types[1]'))).toEqual(['card', 'pix']);
    expect(f.get('line_items[0][price_data][currency]')).toBe('brl');
    expect(f.get('line_items[0][price_data][unit_amount]')).toBe('15000');
    expect(f.get('line_items[0][price_data][product_data][name]')).toBe('Limpeza de pele');
    expect(f.get('line_items[0][quantity]')).toBe('1');
    expect(f.get('metadata[paymentId]')).toBe('pay-1');
    expect(f.get('payment_intent_data[metadata][paymentId]')).toBe('pay-1');
    expect(f.get('payment_method_options[pix][expires_after_seconds]')).toBe('3600');
    expect(f.get('client_reference_id')).toBe('ref-1');
    expect(f.get('expires_at')).toBe(String(Math.floor(expiresAt.getTime() / 1000)));
    expect(f.get('success_url')).toBe('http://web/ok');
  });

  it('expires a session', async () => {
    await createStripeProvider(fake.options).expireCheckout('cs_test_123');
    expect(last()).toMatchObject({ method: 'POST', path: '/v1/checkout/sessions/cs_test_123/expire' });
  });

  it('creates a payment link (price + link), each with its own idempotency key', async () => {
    const out = await createStripeProvider(fake.options).createPaymentLink({
      amountCents: 9900, currency: 'brl', methods: ['pix'], description: 'Sinal', metadata: { paymentId: 'pay-2' },
      successUrl: 'http://web/ok', reference: 'ref-2', idempotencyKey: 'link:pay-2',
    });
    expect(out).toEqual({ linkId: 'plink_123', url: 'https://buy.stripe.com/test_123' });
    const [price, link] = fake.requests.slice(-2);
    expect(price.path).toBe('/v1/prices');
    expect(price.headers['idempotency-key']).toBe('link:pay-2:price');
    expect(price.form.get('unit_amount')).toBe('9900');
    expect(price.form.get('currency')).toBe('brl');
    expect(link.path).toBe('/v1/payment_links');
    expect(link.headers['idempotency-key']).toBe('link:pay-2:link');
    expect(link.form.get('line_items[0][price]')).toBe('price_123');
    expect(link.form.get('payment_method_types[0]')).toBe('pix');
    expect(link.form.get('payment_intent_data[metadata][paymentId]')).toBe('pay-2');
  });

  it('refunds part of a PaymentIntent with an idempotency key', async () => {
    const out = await createStripeProvider(fake.options).refund({ paymentIntentId: 'pi_1', amountCents: 5000, reason: 'Desistência', idempotencyKey: 'refund:pay-1:1' });
    expect(out).toEqual({ refundId: 're_123', status: 'succeeded' });
    const req = last();
    expect(req.path).toBe('/v1/refunds');
    expect(req.headers['idempotency-key']).toBe('refund:pay-1:1');
    expect(req.form.get('payment_intent')).toBe('pi_1');
    expect(req.form.get('amount')).toBe('5000');
    expect(req.form.get('metadata[motivo]')).toBe('Desistência');
  });

  it('creates a monthly subscription (customer, product, subscription) and cancels it', async () => {
    const provider = createStripeProvider(fake.options);
    const out = await provider.createSubscription({
      amountCents: 29900, currency: 'brl', description: 'Plano mensal', customer: { name: 'Ana', email: 'ana@x.com' },
      dayOfMonth: 10, metadata: { recurringPaymentId: 'rp-1' }, idempotencyKey: 'plan:rp-1',
    });
    expect(out).toEqual({ customerId: 'cus_123', subscriptionId: 'sub_123', status: 'active' });
    const [customer, product, sub] = fake.requests.slice(-3);
    expect(customer.path).toBe('/v1/customers');
    expect(customer.headers['idempotency-key']).toBe('plan:rp-1:customer');
    expect(product.headers['idempotency-key']).toBe('plan:rp-1:product');
    expect(sub.path).toBe('/v1/subscriptions');
    expect(sub.headers['idempotency-key']).toBe('plan:rp-1:subscription');
    expect(sub.form.get('items[0][price_data][unit_amount]')).toBe('29900');
    expect(sub.form.get('items[0][price_data][recurring][interval]')).toBe('month');
    expect(sub.form.get('billing_cycle_anchor_config[day_of_month]')).toBe('10');
    expect(await provider.cancelSubscription('sub_123', 'cancel:rp-1')).toEqual({ status: 'canceled' });
    expect(last()).toMatchObject({ method: 'DELETE', path: '/v1/subscriptions/sub_123' });
  });

  it('transfers a commission to a connected account with an idempotency key', async () => {
    const out = await createStripeProvider(fake.options).transfer({ destination: 'acct_123', amountCents: 6000, currency: 'brl', group: 'commissions-2026-11', metadata: { professionalId: 'prof-1' }, idempotencyKey: 'payout:c:2026-11:prof-1' });
    expect(out).toEqual({ transferId: 'tr_acct_123' });
    const req = last();
    expect(req.path).toBe('/v1/transfers');
    expect(req.headers['idempotency-key']).toBe('payout:c:2026-11:prof-1');
    expect(req.form.get('amount')).toBe('6000');
    expect(req.form.get('currency')).toBe('brl');
    expect(req.form.get('destination')).toBe('acct_123');
    expect(req.form.get('transfer_group')).toBe('commissions-2026-11');
  });

  it('lists balance transactions and payouts for a period', async () => {
    const provider = createStripeProvider(fake.options);
    const since = new Date(Date.now() - 86400_000); const until = new Date();
    const txns = await provider.listBalanceTransactions({ since, until });
    expect(last().path).toBe('/v1/balance_transactions');
    expect(last().query.get('created[gte]')).toBe(String(Math.floor(since.getTime() / 1000)));
    expect(last().query.get('expand[0]')).toBe('data.source');
    expect(txns).toEqual([
      expect.objectContaining({ id: 'txn_1', amountCents: 15000, feeCents: 599, netCents: 14401, type: 'charge', sourceId: 'pi_1' }),
      expect.objectContaining({ id: 'txn_2', amountCents: -5000, type: 'refund', sourceId: 're_1' }),
    ]);
    const payouts = await provider.listPayouts({ since, until });
    expect(last().path).toBe('/v1/payouts');
    expect(payouts).toEqual([expect.objectContaining({ id: 'po_1', amountCents: 9401, status: 'paid' })]);
  });

  it('verifies webhook signatures made by the SDK helper', () => {
    const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'payment_intent.succeeded', data: { object: { id: 'pi_1' } } });
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_test' });
    expect(verifyStripeEvent(payload, header, 'whsec_test').id).toBe('evt_1');
    expect(() => verifyStripeEvent(payload, header, 'whsec_other')).toThrow();
    expect(() => verifyStripeEvent(payload.replace('evt_1', 'evt_2'), header, 'whsec_test')).toThrow();
    expect(() => verifyStripeEvent(payload, undefined, 'whsec_test')).toThrow();
  });
});
