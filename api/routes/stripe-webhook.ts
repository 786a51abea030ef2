// POST /webhooks/stripe: Stripe's signature is checked over the raw body (read before anything parses
// it); a bad or missing signature is a 400 with no effect. Valid events go to the shared payment event
// handler (api/payments/events.ts): stored by event id (a repeat is a no-op), applied in one transaction.
import type { ApiDeps } from '../context';
import { ApiError } from '../../services/errors';
import { router } from '../openapi';
import { receivePaymentEvent } from '../../services/payments/events';
import { mapStripeEvent } from '../../services/payments/stripe-events';
import { verifyStripeEvent, type StripeEvent } from '../../providers/payments/stripe';

export function stripeWebhookRoutes(deps: ApiDeps) {
  return router().post('/', async (c) => {
    const raw = await c.req.text();
    const secret = deps.env.STRIPE_WEBHOOK_SECRET;
    if (!secret) throw new ApiError(400, 'validation_failed', 'Webhook do Stripe não configurado (STRIPE_WEBHOOK_SECRET).');
    let event: StripeEvent;
    try {
      event = verifyStripeEvent(raw, c.req.header('stripe-signature'), secret);
    } catch {
      throw new ApiError(400, 'validation_failed', 'Assinatura do Stripe inválida ou ausente.');
    }
    const outcome = await receivePaymentEvent(
      { db: deps.db, temporal: deps.temporal, log: c.get('log'), now: deps.now },
      { provider: 'stripe', eventId: event.id, event: mapStripeEvent(event), raw: { id: event.id, type: event.type, created: event.created, object: event.data.object } },
    );
    c.get('log').info({ eventId: event.id, type: event.type, result: outcome.result }, 'stripe webhook');
    return c.json({ received: true, result: outcome.result }, 200);
  });
}
