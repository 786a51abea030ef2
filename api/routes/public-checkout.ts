// The local checkout (embedded default, no Stripe): the page /p/pagar/{checkout} reads the charge here
// and posts the patient's choice (cartao, pix or falhar); the outcome goes through the same payment
// event handler as Stripe's webhook. Public: the checkout id (random UUID) is the capability.
// With Stripe, the same page is where Checkout sends the patient back: it shows the status only.
import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { clinics, paymentCheckouts, payments } from '../../db/schema';
import type { ApiDeps } from '../context';
import { ApiError, errors } from '../../services/errors';
import { errorResponses, router } from '../openapi';
import { receivePaymentEvent } from '../../services/payments/events';

const tags = ['Checkout local'];
const Params = z.object({ session: z.uuid({ message: 'Link de pagamento inválido.' }) });
const View = z.object({
  clinicName: z.string(), description: z.string().nullable(), amountCents: z.number().int(), status: z.enum(['aberto', 'pago', 'expirado', 'falhou']),
  paymentStatus: z.string(), pixCode: z.string().nullable(), expiresAt: z.string(), failureReason: z.string().nullable(),
  provider: z.enum(['local', 'stripe']).openapi({ description: 'stripe: a página só mostra a situação (o pagamento é no Stripe, em payUrl).' }), payUrl: z.string(),
}).openapi('LocalCheckout');

export function publicCheckoutRoutes(deps: ApiDeps) {
  /** Webhooks and public pages run as the table owner: the checkout id finds the clinic. */
  const load = async (session: string) => {
    const [row] = await deps.db.select({ c: paymentCheckouts, p: payments, clinicName: clinics.name }).from(paymentCheckouts)
      .innerJoin(payments, eq(payments.id, paymentCheckouts.paymentId)).innerJoin(clinics, eq(clinics.id, paymentCheckouts.clinicId))
      .where(eq(paymentCheckouts.id, session));
    if (!row) throw errors.notFound('Link de pagamento');
    return row;
  };
  const view = (row: Awaited<ReturnType<typeof load>>) => {
    const expired = row.c.status === 'aberto' && row.c.expiresAt <= deps.now();
    const paid = row.p.status === 'aprovado' || row.p.status === 'reembolsado';
    return {
      clinicName: row.clinicName, description: row.p.description, amountCents: row.p.amountCents,
      status: paid ? 'pago' as const : expired ? 'expirado' as const : row.c.status, paymentStatus: row.p.status,
      pixCode: row.c.pixCode, expiresAt: row.c.expiresAt.toISOString(), failureReason: row.p.failureReason,
      provider: row.c.provider as 'local' | 'stripe', payUrl: row.c.url,
    };
  };

  return router()
    .openapi(
      createRoute({ method: 'get', path: '/{session}', tags, summary: 'Cobrança do checkout local', request: { params: Params },
        responses: { 200: { description: 'Cobrança', content: { 'application/json': { schema: View } } }, ...errorResponses(400, 404) } }),
      async (c) => c.json(view(await load(c.req.valid('param').session)), 200),
    )
    .openapi(
      createRoute({
        method: 'post', path: '/{session}/{outcome}', tags, summary: 'Pagar (cartao / pix) ou simular falha (falhar) no checkout local',
        request: { params: Params.extend({ outcome: z.enum(['cartao', 'pix', 'falhar'], { message: 'Escolha cartao, pix ou falhar.' }) }) },
        responses: { 200: { description: 'Situação após a escolha', content: { 'application/json': { schema: View } } }, ...errorResponses(400, 404, 409) },
      }),
      async (c) => {
        const { session, outcome } = c.req.valid('param');
        const row = await load(session);
        if (row.c.provider !== 'local') throw errors.notFound('Link de pagamento');
        const current = view(row);
        if (current.status === 'pago') return c.json(current, 200);
        const handlerDeps = { db: deps.db, temporal: deps.temporal, log: c.get('log'), now: deps.now };
        if (current.status === 'expirado') {
          await receivePaymentEvent(handlerDeps, { provider: 'stripe', eventId: `local:${session}:expired`, event: { type: 'checkout_expired', sessionId: row.c.providerSessionId, paymentId: row.p.id } });
          throw new ApiError(409, 'conflict', 'Este link de pagamento expirou. Peça um novo à clínica.');
        }
        await receivePaymentEvent(handlerDeps, outcome === 'falhar'
          ? { provider: 'stripe', eventId: `local:${session}:failed:${randomUUID()}`, event: { type: 'payment_failed', sessionId: row.c.providerSessionId, paymentId: row.p.id, reason: 'Pagamento recusado (simulação do checkout local).' } }
          : { provider: 'stripe', eventId: `local:${session}:paid`, event: { type: 'checkout_completed', sessionId: row.c.providerSessionId, paymentId: row.p.id, paid: true, method: outcome } });
        return c.json(view(await load(session)), 200);
      },
    );
}
