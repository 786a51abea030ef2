// /api/reconciliation: a period's Stripe balance transactions and payouts against our payments and refunds.
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, gte, isNotNull, like, lt, not, sql } from 'drizzle-orm';
import { clinics, paymentRefunds, payments } from '../../db/schema';
import { defaultPaymentProvider, type PaymentProvider } from '../../providers/payments';
import type { ApiDeps } from '../context';
import { ApiError } from '../../services/errors';
import { bearer, errorResponses, router } from '../openapi';
import { IsoDay } from '../catalog/common';
import { reconcile } from '../../services/payments/reconcile';

const tags = ['Conciliação'];

export function reconciliationRoutes(deps: ApiDeps, opts: { provider?: PaymentProvider } = {}) {
  const provider = opts.provider ?? defaultPaymentProvider(deps.env);
  return router().openapi(
    createRoute({
      method: 'get', path: '/', tags, summary: 'Conciliação com o Stripe: transações, repasses, faltantes e diferenças de taxa', security: bearer,
      request: { query: z.strictObject({ from: IsoDay, to: IsoDay }).refine((q) => q.to >= q.from, { message: 'A data final deve ser igual ou posterior à inicial.', path: ['to'] }) },
      responses: { 200: { description: 'Relatório', content: { 'application/json': { schema: z.object({ provider: z.string() }).passthrough() } } }, ...errorResponses(400, 401, 503) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const auth = c.get('auth');
      if (provider.kind === 'local') {
        return c.json({ provider: 'local', message: 'Sem Stripe configurado: não há saldo externo para conciliar.', matched: [], feeDifferences: [], amountDifferences: [], missingInternally: [], missingInStripe: [], payouts: [], totals: { grossCents: 0, feeCents: 0, netCents: 0 } }, 200);
      }
      const internal = await c.get('tenant')(async (tx) => {
        const [clinic] = await tx.select({ timezone: clinics.timezone }).from(clinics).where(eq(clinics.id, auth.clinicId));
        const tz = clinic?.timezone ?? 'America/Sao_Paulo';
        const start = sql`(${q.from}::date)::timestamp at time zone ${tz}`;
        const end = sql`((${q.to}::date + 1))::timestamp at time zone ${tz}`;
        const [bounds] = await tx.select({ start: sql<string>`${start}::text`, end: sql<string>`${end}::text` }).from(clinics).limit(1);
        const ps = await tx.select({ id: payments.id, paymentIntentId: payments.stripePaymentIntentId, amountCents: payments.amountCents, feeCents: payments.feeCents })
          .from(payments).where(and(eq(payments.clinicId, auth.clinicId), isNotNull(payments.stripePaymentIntentId), sql`${payments.status} in ('aprovado', 'reembolsado')`,
            gte(payments.processedAt, start), lt(payments.processedAt, end)));
        const rs = await tx.select({ id: paymentRefunds.id, paymentId: paymentRefunds.paymentId, providerRefundId: paymentRefunds.providerRefundId, amountCents: paymentRefunds.amountCents })
          .from(paymentRefunds).where(and(eq(paymentRefunds.clinicId, auth.clinicId), isNotNull(paymentRefunds.providerRefundId), like(paymentRefunds.providerRefundId, 're\\_%'),
            not(like(paymentRefunds.providerRefundId, 'local%')), gte(paymentRefunds.createdAt, start), lt(paymentRefunds.createdAt, end)));
        return { ps: ps.map((p) => ({ ...p, paymentIntentId: p.paymentIntentId! })), rs: rs.map((r) => ({ ...r, providerRefundId: r.providerRefundId! })), since: new Date(bounds.start), until: new Date(bounds.end) };
      });
      try {
        const [txns, payouts] = await Promise.all([
          provider.listBalanceTransactions({ since: internal.since, until: internal.until }),
          provider.listPayouts({ since: internal.since, until: internal.until }),
        ]);
        const report = reconcile(txns, internal.ps, internal.rs);
        return c.json({ provider: 'stripe', from: q.from, to: q.to, ...report, payouts: payouts.map((p) => ({ ...p, arrivalDate: p.arrivalDate.toISOString() })) }, 200);
      } catch (err) {
        c.get('log').error({ err }, 'reconciliation: Stripe not reachable');
        throw new ApiError(503, 'unavailable', 'Não foi possível consultar o Stripe agora. Tente novamente.');
      }
    },
  );
}
