// Stripe adapter (the `stripe` SDK): Checkout Sessions for card (3-D Secure by Stripe) and Pix,
// Payment Links, refunds, subscriptions and the balance history. Every create carries an idempotency key.
import Stripe from 'stripe';
import type { BalanceTransaction, Checkout, CheckoutInput, PaymentProvider, Payout, Refund, RefundInput, Subscription, SubscriptionInput } from './types';

export interface StripeOptions {
  secretKey: string;
  /** A local fake server in tests: host/port/protocol of the SDK. */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  maxNetworkRetries?: number;
}

/** Seconds a Pix code stays valid (Stripe allows 10 s to 14 days; the checkout expires sooner anyway). */
export const PIX_EXPIRES_AFTER_SECONDS = 60 * 60;

export function createStripeClient(opts: StripeOptions): Stripe {
  return new Stripe(opts.secretKey, {
    ...(opts.host ? { host: opts.host } : {}),
    ...(opts.port ? { port: opts.port } : {}),
    ...(opts.protocol ? { protocol: opts.protocol } : {}),
    maxNetworkRetries: opts.maxNetworkRetries ?? 2,
    appInfo: { name: 'tigre-crm' },
  });
}

const toDate = (unix: number) => new Date(unix * 1000);
const unix = (d: Date) => Math.floor(d.getTime() / 1000);
const idOf = (x: string | { id: string } | null | undefined) => (x == null ? null : typeof x === 'string' ? x : x.id);

export function createStripeProvider(opts: StripeOptions): PaymentProvider {
  const stripe = createStripeClient(opts);
  const lineItem = (input: { amountCents: number; currency: 'brl'; description: string }) => ({
    price_data: { currency: input.currency, unit_amount: input.amountCents, product_data: { name: input.description } },
    quantity: 1,
  });

  return {
    kind: 'stripe',

    async createCheckout(input: CheckoutInput): Promise<Checkout> {
      const session = await stripe.checkout.sessions.create({
        mode: 'payment',
        allowed_payment_method_types: input.methods,
        line_items: [lineItem(input)],
        client_reference_id: input.reference,
        metadata: input.metadata,
        payment_intent_data: { description: input.description, metadata: input.metadata },
        ...(input.methods.includes('pix') ? { payment_method_options: { pix: { expires_after_seconds: PIX_EXPIRES_AFTER_SECONDS } } } : {}),
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
        expires_at: unix(input.expiresAt),
        locale: 'pt-BR',
      }, { idempotencyKey: input.idempotencyKey });
      return { sessionId: session.id, url: session.url ?? '', expiresAt: toDate(session.expires_at) };
    },

    async createPaymentLink(input) {
      const price = await stripe.prices.create({
        currency: input.currency, unit_amount: input.amountCents, product_data: { name: input.description },
      }, { idempotencyKey: `${input.idempotencyKey}:price` });
      const link = await stripe.paymentLinks.create({
        line_items: [{ price: price.id, quantity: 1 }],
        payment_method_types: input.methods,
        metadata: input.metadata,
        payment_intent_data: { description: input.description, metadata: input.metadata },
        after_completion: { type: 'redirect', redirect: { url: input.successUrl } },
        restrictions: { completed_sessions: { limit: 1 } },
      }, { idempotencyKey: `${input.idempotencyKey}:link` });
      return { linkId: link.id, url: link.url };
    },

    async expireCheckout(sessionId) {
      await stripe.checkout.sessions.expire(sessionId);
    },

    async refund(input: RefundInput): Promise<Refund> {
      const refund = await stripe.refunds.create({
        payment_intent: input.paymentIntentId,
        amount: input.amountCents,
        reason: 'requested_by_customer',
        metadata: { ...input.metadata, motivo: input.reason.slice(0, 500) },
      }, { idempotencyKey: input.idempotencyKey });
      const status = refund.status === 'succeeded' ? 'succeeded' : refund.status === 'failed' || refund.status === 'canceled' ? 'failed' : 'pending';
      return { refundId: refund.id, status };
    },

    async createSubscription(input: SubscriptionInput): Promise<Subscription> {
      const customer = await stripe.customers.create({
        name: input.customer.name,
        ...(input.customer.email ? { email: input.customer.email } : {}),
        ...(input.customer.phone ? { phone: input.customer.phone } : {}),
        metadata: input.metadata,
      }, { idempotencyKey: `${input.idempotencyKey}:customer` });
      const product = await stripe.products.create({ name: input.description, metadata: input.metadata }, { idempotencyKey: `${input.idempotencyKey}:product` });
      const subscription = await stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price_data: { currency: input.currency, unit_amount: input.amountCents, product: product.id, recurring: { interval: 'month' } } }],
        collection_method: 'send_invoice',
        days_until_due: 3,
        billing_cycle_anchor_config: { day_of_month: input.dayOfMonth },
        metadata: input.metadata,
      }, { idempotencyKey: `${input.idempotencyKey}:subscription` });
      return { customerId: customer.id, subscriptionId: subscription.id, status: subscription.status };
    },

    async cancelSubscription(subscriptionId, idempotencyKey) {
      const sub = await stripe.subscriptions.cancel(subscriptionId, {}, { idempotencyKey });
      return { status: sub.status };
    },

    async transfer(input) {
      const t = await stripe.transfers.create({
        amount: input.amountCents, currency: input.currency, destination: input.destination, transfer_group: input.group, metadata: input.metadata,
      }, { idempotencyKey: input.idempotencyKey });
      return { transferId: t.id };
    },

    async listBalanceTransactions({ since, until, limit = 1000 }): Promise<BalanceTransaction[]> {
      const out: BalanceTransaction[] = [];
      for await (const t of stripe.balanceTransactions.list({ created: { gte: unix(since), lt: unix(until) }, limit: 100, expand: ['data.source'] })) {
        const source = t.source as unknown as { id: string; payment_intent?: string | { id: string } | null } | string | null;
        out.push({
          id: t.id, amountCents: t.amount, feeCents: t.fee, netCents: t.net, type: t.type,
          sourceId: typeof source === 'string' ? source : source ? idOf(source.payment_intent ?? null) ?? source.id : null,
          payoutId: null, createdAt: toDate(t.created),
        });
        if (out.length >= limit) break;
      }
      return out;
    },

    async listPayouts({ since, until, limit = 100 }): Promise<Payout[]> {
      const out: Payout[] = [];
      for await (const p of stripe.payouts.list({ created: { gte: unix(since), lt: unix(until) }, limit: 100 })) {
        out.push({ id: p.id, amountCents: p.amount, status: p.status, arrivalDate: toDate(p.arrival_date) });
        if (out.length >= limit) break;
      }
      return out;
    },
  };
}

/** Verifies Stripe's signature over the raw body; throws on a bad or stale signature. */
export function verifyStripeEvent(rawBody: string, signature: string | undefined, webhookSecret: string): Stripe.Event {
  if (!signature) throw new Error('missing Stripe-Signature');
  return Stripe.webhooks.constructEvent(rawBody, signature, webhookSecret);
}

export type StripeEvent = Stripe.Event;
