// Stripe events → our internal payment events (pure; the handler in events.ts applies them).
import type Stripe from 'stripe';
import type { PaymentEvent } from './events';

const idOf = (x: string | { id: string } | null | undefined) => (x == null ? undefined : typeof x === 'string' ? x : x.id);
const meta = (m: Stripe.Metadata | null | undefined) => ({ paymentId: m?.paymentId || undefined });

function methodOf(types: readonly string[] | null | undefined): 'cartao' | 'pix' | undefined {
  if (!types) return undefined;
  if (types.length === 1 && types[0] === 'pix') return 'pix';
  if (types.length === 1 && types[0] === 'card') return 'cartao';
  return undefined;
}

/** null = an event type we do not act on (acknowledged, stored, nothing else). */
export function mapStripeEvent(event: Stripe.Event): PaymentEvent | null {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const s = event.data.object;
      return {
        type: 'checkout_completed', sessionId: s.id, ...meta(s.metadata), paymentIntentId: idOf(s.payment_intent),
        paid: s.payment_status === 'paid' || s.payment_status === 'no_payment_required',
        ...(s.payment_link ? { linkId: idOf(s.payment_link) } : {}),
      };
    }
    case 'checkout.session.async_payment_failed': {
      const s = event.data.object;
      return { type: 'payment_failed', sessionId: s.id, ...meta(s.metadata), paymentIntentId: idOf(s.payment_intent), reason: 'Pagamento não concluído (Pix não pago).' };
    }
    case 'checkout.session.expired': {
      const s = event.data.object;
      return { type: 'checkout_expired', sessionId: s.id, ...meta(s.metadata), ...(s.payment_link ? { linkId: idOf(s.payment_link) } : {}) };
    }
    case 'payment_intent.succeeded': {
      const pi = event.data.object;
      const charge = pi.latest_charge && typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
      return {
        type: 'payment_succeeded', paymentIntentId: pi.id, ...meta(pi.metadata), amountCents: pi.amount_received || pi.amount,
        method: methodOf(charge?.payment_method_details ? [charge.payment_method_details.type] : pi.payment_method_types),
        receiptUrl: charge?.receipt_url ?? undefined,
      };
    }
    case 'payment_intent.payment_failed': {
      const pi = event.data.object;
      const err = pi.last_payment_error;
      return { type: 'payment_failed', paymentIntentId: pi.id, ...meta(pi.metadata), reason: err?.message ?? err?.code ?? 'Pagamento recusado.' };
    }
    case 'charge.refunded': {
      const ch = event.data.object;
      return {
        type: 'refunded', paymentIntentId: idOf(ch.payment_intent), ...meta(ch.metadata), chargeId: ch.id,
        totalRefundedCents: ch.amount_refunded,
        refunds: (ch.refunds?.data ?? []).filter((r) => r.status !== 'failed' && r.status !== 'canceled').map((r) => ({ id: r.id, amountCents: r.amount, reason: r.metadata?.motivo })),
      };
    }
    case 'refund.created':
    case 'refund.updated': {
      const r = event.data.object;
      if (r.status === 'failed' || r.status === 'canceled') return null;
      return { type: 'refunded', paymentIntentId: idOf(r.payment_intent), refunds: [{ id: r.id, amountCents: r.amount, reason: r.metadata?.motivo }] };
    }
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const inv = event.data.object as Stripe.Invoice & { subscription?: string | { id: string } | null };
      const subscriptionId = idOf(inv.parent?.subscription_details?.subscription ?? inv.subscription ?? null);
      if (!subscriptionId) return null;
      return event.type === 'invoice.paid'
        ? { type: 'invoice_paid', invoiceId: inv.id ?? '', subscriptionId, amountCents: inv.amount_paid }
        : { type: 'invoice_failed', invoiceId: inv.id ?? '', subscriptionId, amountCents: inv.amount_due, attemptCount: inv.attempt_count,
            nextAttemptAt: inv.next_payment_attempt ? new Date(inv.next_payment_attempt * 1000).toISOString() : null };
    }
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted': {
      const sub = event.data.object;
      return { type: 'subscription_changed', subscriptionId: sub.id, status: event.type === 'customer.subscription.deleted' ? 'canceled' : sub.status };
    }
    default:
      return null;
  }
}
