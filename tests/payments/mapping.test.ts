// The pure halves of the integration: Stripe events → our payment events, and reconciliation.
import { describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { mapStripeEvent } from '../../services/payments/stripe-events';
import { reconcile } from '../../services/payments/reconcile';

const ev = (type: string, object: Record<string, unknown>) => ({ id: 'evt', object: 'event', type, data: { object } }) as unknown as Stripe.Event;

describe('mapStripeEvent', () => {
  it('maps the events we act on', () => {
    expect(mapStripeEvent(ev('checkout.session.completed', { id: 'cs_1', payment_status: 'unpaid', payment_intent: 'pi_1', metadata: { paymentId: 'p' } })))
      .toEqual({ type: 'checkout_completed', sessionId: 'cs_1', paymentId: 'p', paymentIntentId: 'pi_1', paid: false });
    expect(mapStripeEvent(ev('checkout.session.async_payment_succeeded', { id: 'cs_1', payment_status: 'paid', payment_intent: { id: 'pi_1' }, metadata: {} })))
      .toMatchObject({ type: 'checkout_completed', paid: true, paymentIntentId: 'pi_1' });
    expect(mapStripeEvent(ev('payment_intent.succeeded', { id: 'pi_1', amount: 100, amount_received: 100, payment_method_types: ['card'], metadata: { paymentId: 'p' }, latest_charge: { receipt_url: 'https://r', payment_method_details: { type: 'pix' } } })))
      .toEqual({ type: 'payment_succeeded', paymentIntentId: 'pi_1', paymentId: 'p', amountCents: 100, method: 'pix', receiptUrl: 'https://r' });
    expect(mapStripeEvent(ev('payment_intent.payment_failed', { id: 'pi_1', metadata: {}, last_payment_error: { code: 'card_declined' } })))
      .toMatchObject({ type: 'payment_failed', reason: 'card_declined' });
    expect(mapStripeEvent(ev('charge.refunded', { id: 'ch_1', payment_intent: 'pi_1', amount_refunded: 50, metadata: {}, refunds: { data: [{ id: 're_1', amount: 50, status: 'succeeded', metadata: { motivo: 'x' } }, { id: 're_2', amount: 10, status: 'failed', metadata: {} }] } })))
      .toEqual({ type: 'refunded', paymentIntentId: 'pi_1', paymentId: undefined, chargeId: 'ch_1', totalRefundedCents: 50, refunds: [{ id: 're_1', amountCents: 50, reason: 'x' }] });
    expect(mapStripeEvent(ev('invoice.payment_failed', { id: 'in_1', parent: { subscription_details: { subscription: 'sub_1' } }, amount_due: 900, attempt_count: 2, next_payment_attempt: null })))
      .toEqual({ type: 'invoice_failed', invoiceId: 'in_1', subscriptionId: 'sub_1', amountCents: 900, attemptCount: 2, nextAttemptAt: null });
    expect(mapStripeEvent(ev('customer.subscription.updated', { id: 'sub_1', status: 'past_due' }))).toEqual({ type: 'subscription_changed', subscriptionId: 'sub_1', status: 'past_due' });
  });
  it('ignores the rest', () => {
    expect(mapStripeEvent(ev('product.created', { id: 'prod_1' }))).toBeNull();
    expect(mapStripeEvent(ev('invoice.paid', { id: 'in_1', amount_paid: 1 }))).toBeNull();
  });
});

describe('reconcile', () => {
  it('matches, reports fee and amount differences, and what is missing on either side; totals add up', () => {
    const txns = [
      { id: 't1', amountCents: 1000, feeCents: 50, netCents: 950, type: 'charge', sourceId: 'pi_a', payoutId: null, createdAt: new Date() },
      { id: 't2', amountCents: 700, feeCents: 30, netCents: 670, type: 'charge', sourceId: 'pi_b', payoutId: null, createdAt: new Date() },
      { id: 't3', amountCents: -200, feeCents: 0, netCents: -200, type: 'refund', sourceId: 're_a', payoutId: null, createdAt: new Date() },
      { id: 't4', amountCents: 300, feeCents: 10, netCents: 290, type: 'charge', sourceId: 'pi_x', payoutId: null, createdAt: new Date() },
    ];
    const r = reconcile(txns, [
      { id: 'A', paymentIntentId: 'pi_a', amountCents: 1000, feeCents: 50 },
      { id: 'B', paymentIntentId: 'pi_b', amountCents: 800, feeCents: null },
      { id: 'C', paymentIntentId: 'pi_c', amountCents: 400, feeCents: null },
    ], [{ id: 'R1', paymentId: 'A', providerRefundId: 're_a', amountCents: 200 }, { id: 'R2', paymentId: 'B', providerRefundId: 're_b', amountCents: 100 }]);
    expect(r.matched.map((m) => m.paymentId)).toEqual(['A', 'B']);
    expect(r.feeDifferences).toEqual([{ paymentId: 'B', transactionId: 't2', recordedFeeCents: null, stripeFeeCents: 30 }]);
    expect(r.amountDifferences).toEqual([{ paymentId: 'B', transactionId: 't2', recordedCents: 800, stripeCents: 700 }]);
    expect(r.missingInternally.map((m) => m.transactionId)).toEqual(['t4']);
    expect(r.missingInStripe).toEqual([{ paymentId: 'C', reference: 'pi_c', amountCents: 400 }, { refundId: 'R2', paymentId: 'B', reference: 're_b', amountCents: -100 }]);
    expect(r.totals).toEqual({ grossCents: 1800, feeCents: 90, netCents: 1710 });
  });
});
