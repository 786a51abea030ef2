// /api/commissions: the commission ledger (one entry per paid appointment payment, reversals per refund),
// totals per professional for manual payout, and closing a month (entries locked to that period).
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { clinics, commissionEntries, commissionPayouts, professionals } from '../../db/schema';
import { defaultPaymentProvider, type PaymentProvider } from '../../providers/payments';
import type { ApiDeps } from '../context';
import { ApiError } from '../../services/errors';
import { recordAudit } from '../audit';
import { bearer, errorResponses, router, jsonResponse } from '../openapi';
import { monthName } from '../../domain/reports';

const tags = ['Comissões'];
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Use o mês no formato AAAA-MM.');

const Entry = z.object({
  id: z.string(), professionalId: z.string(), paymentId: z.string(), refundId: z.string().nullable(), amountCents: z.number().int(),
  baseCents: z.number().int(), closedPeriod: z.string().nullable(), createdAt: z.string(),
});
const Summary = z.object({
  professionalId: z.string(), name: z.string(), totalCents: z.number().int(), openCents: z.number().int(), closedCents: z.number().int(),
  payout: z.enum(['manual']).openapi({ description: 'Repasse manual (Stripe Connect ainda não integrado).' }),
});


/** [start, end) of a month in the clinic's zone, as SQL timestamptz. */
const monthRange = (month: string, tz: string) => ({
  start: sql`(${`${month}-01`}::date)::timestamp at time zone ${tz}`,
  end: sql`((${`${month}-01`}::date + interval '1 month'))::timestamp at time zone ${tz}`,
});

const Payout = z.object({ professionalId: z.string(), name: z.string(), amountCents: z.number().int(), method: z.enum(['stripe', 'manual']), transferId: z.string().nullable(), status: z.enum(['pago', 'pendente_manual', 'ja_pago']) });

export function commissionRoutes(deps: ApiDeps, opts: { provider?: PaymentProvider } = {}) {
  const provider = opts.provider ?? defaultPaymentProvider(deps.env);
  return router()
    .openapi(
      createRoute({
        method: 'get', path: '/', tags, summary: 'Comissões do mês por profissional, com os lançamentos', security: bearer,
        request: { query: z.strictObject({ month: Month, professionalId: z.uuid({ message: 'Profissional: identificador inválido.' }).optional() }) },
        responses: { 200: jsonResponse('Lançamentos e totais', z.object({ month: z.string(), closed: z.boolean(), professionals: z.array(Summary), entries: z.array(Entry) })), ...errorResponses(400, 401) },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const auth = c.get('auth');
        const out = await c.get('tenant')(async (tx) => {
          const [clinic] = await tx.select({ timezone: clinics.timezone }).from(clinics).where(eq(clinics.id, auth.clinicId));
          const { start, end } = monthRange(q.month, clinic?.timezone ?? 'America/Sao_Paulo');
          // Closed entries belong to their period; open ones to the month they were created in.
          const where: SQL[] = [eq(commissionEntries.clinicId, auth.clinicId),
            sql`(${commissionEntries.closedPeriod} = ${q.month} or (${commissionEntries.closedPeriod} is null and ${commissionEntries.createdAt} >= ${start} and ${commissionEntries.createdAt} < ${end}))`];
          if (q.professionalId) where.push(eq(commissionEntries.professionalId, q.professionalId));
          const rows = await tx.select({ e: commissionEntries, name: professionals.name }).from(commissionEntries)
            .innerJoin(professionals, eq(professionals.id, commissionEntries.professionalId)).where(and(...where))
            .orderBy(asc(commissionEntries.createdAt), asc(commissionEntries.id));
          const by = new Map<string, z.infer<typeof Summary>>();
          for (const { e, name } of rows) {
            const s = by.get(e.professionalId) ?? { professionalId: e.professionalId, name, totalCents: 0, openCents: 0, closedCents: 0, payout: 'manual' as const };
            s.totalCents += e.amountCents;
            if (e.closedPeriod) s.closedCents += e.amountCents; else s.openCents += e.amountCents;
            by.set(e.professionalId, s);
          }
          return {
            month: q.month, closed: rows.length > 0 && rows.every((r) => r.e.closedPeriod === q.month),
            professionals: [...by.values()].sort((a, b) => a.name.localeCompare(b.name, 'pt-BR')),
            entries: rows.map(({ e }) => ({ ...e, createdAt: e.createdAt.toISOString() })),
          };
        });
        return c.json(out, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/close', tags, summary: 'Fechar o mês: os lançamentos em aberto até o fim do mês ficam travados nele', security: bearer,
        request: { body: { content: { 'application/json': { schema: z.strictObject({ month: Month }) } }, required: true } },
        responses: { 200: jsonResponse('Mês fechado', z.object({ month: z.string(), entries: z.number().int(), totalCents: z.number().int() })), ...errorResponses(400, 401, 403, 409) },
      }),
      async (c) => {
        const { month } = c.req.valid('json');
        const auth = c.get('auth');
        const out = await c.get('tenant')(async (tx) => {
          const [clinic] = await tx.select({ timezone: clinics.timezone }).from(clinics).where(eq(clinics.id, auth.clinicId)).for('update');
          const tz = clinic?.timezone ?? 'America/Sao_Paulo';
          const [already] = await tx.select({ n: sql<number>`count(*)::int` }).from(commissionEntries)
            .where(and(eq(commissionEntries.clinicId, auth.clinicId), eq(commissionEntries.closedPeriod, month)));
          if (already.n > 0) throw new ApiError(409, 'conflict', `As comissões de ${monthName(month)} já foram fechadas.`);
          const [later] = await tx.select({ n: sql<number>`count(*)::int` }).from(commissionEntries)
            .where(and(eq(commissionEntries.clinicId, auth.clinicId), sql`${commissionEntries.closedPeriod} > ${month}`));
          if (later.n > 0) throw new ApiError(409, 'conflict', 'Um mês posterior já foi fechado.');
          const { end } = monthRange(month, tz);
          const closed = await tx.update(commissionEntries).set({ closedPeriod: month })
            .where(and(eq(commissionEntries.clinicId, auth.clinicId), isNull(commissionEntries.closedPeriod), lt(commissionEntries.createdAt, end)))
            .returning({ id: commissionEntries.id, amountCents: commissionEntries.amountCents });
          if (closed.length === 0) throw new ApiError(409, 'conflict', `Não há comissões em aberto até o fim de ${monthName(month)}.`);
          const totalCents = closed.reduce((s, e) => s + e.amountCents, 0);
          await recordAudit(tx, c, { action: 'commission.close', entity: 'commission_period', entityId: undefined, after: { month, entries: closed.length, totalCents } });
          return { month, entries: closed.length, totalCents };
        });
        return c.json(out, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/payout', tags, summary: 'Repassar as comissões de um mês fechado: Stripe Connect para quem tem conta conectada; os demais ficam para repasse manual (ou são registrados com recordManual)', security: bearer,
        request: { body: { content: { 'application/json': { schema: z.strictObject({ month: Month, recordManual: z.boolean().optional() }) } }, required: true } },
        responses: { 200: jsonResponse('Repasses', z.object({ month: z.string(), payouts: z.array(Payout) })), ...errorResponses(400, 401, 403, 409, 503) },
      }),
      async (c) => {
        const { month, recordManual } = c.req.valid('json');
        const auth = c.get('auth');
        const out = await c.get('tenant')(async (tx) => {
          const [clinic] = await tx.select({ settings: clinics.settings }).from(clinics).where(eq(clinics.id, auth.clinicId)).for('update');
          const accounts = clinic?.settings.payments?.connectedAccounts ?? {};
          const totals = await tx.select({ professionalId: commissionEntries.professionalId, name: professionals.name, total: sql<number>`sum(${commissionEntries.amountCents})::int` })
            .from(commissionEntries).innerJoin(professionals, eq(professionals.id, commissionEntries.professionalId))
            .where(and(eq(commissionEntries.clinicId, auth.clinicId), eq(commissionEntries.closedPeriod, month)))
            .groupBy(commissionEntries.professionalId, professionals.name).orderBy(asc(professionals.name));
          if (totals.length === 0) throw new ApiError(409, 'conflict', `Feche as comissões de ${monthName(month)} antes de repassar.`);
          const done = new Map((await tx.select().from(commissionPayouts).where(and(eq(commissionPayouts.clinicId, auth.clinicId), eq(commissionPayouts.month, month)))).map((p) => [p.professionalId, p]));
          const payouts: z.infer<typeof Payout>[] = [];
          for (const t of totals) {
            if (t.total <= 0) continue;
            const prior = done.get(t.professionalId);
            if (prior) { payouts.push({ professionalId: t.professionalId, name: t.name, amountCents: prior.amountCents, method: prior.method as 'stripe' | 'manual', transferId: prior.transferId, status: 'ja_pago' }); continue; }
            const account = accounts[t.professionalId];
            if (account && provider.kind === 'stripe') {
              let transferId: string;
              try {
                ({ transferId } = await provider.transfer({
                  destination: account, amountCents: t.total, currency: 'brl', group: `commissions-${month}`,
                  metadata: { clinicId: auth.clinicId, professionalId: t.professionalId, month }, idempotencyKey: `payout:${auth.clinicId}:${month}:${t.professionalId}`,
                }));
              } catch (err) {
                c.get('log').error({ err }, 'commission transfer failed');
                throw new ApiError(503, 'unavailable', `O Stripe não concluiu o repasse para ${t.name}. Nada foi registrado; tente novamente.`);
              }
              await tx.insert(commissionPayouts).values({ clinicId: auth.clinicId, professionalId: t.professionalId, month, amountCents: t.total, method: 'stripe', transferId, createdBy: auth.userId });
              payouts.push({ professionalId: t.professionalId, name: t.name, amountCents: t.total, method: 'stripe', transferId, status: 'pago' });
            } else if (recordManual) {
              await tx.insert(commissionPayouts).values({ clinicId: auth.clinicId, professionalId: t.professionalId, month, amountCents: t.total, method: 'manual', createdBy: auth.userId });
              payouts.push({ professionalId: t.professionalId, name: t.name, amountCents: t.total, method: 'manual', transferId: null, status: 'pago' });
            } else {
              payouts.push({ professionalId: t.professionalId, name: t.name, amountCents: t.total, method: 'manual', transferId: null, status: 'pendente_manual' });
            }
          }
          await recordAudit(tx, c, { action: 'commission.payout', entity: 'commission_period', after: { month, payouts } });
          return { month, payouts };
        });
        return c.json(out, 200);
      },
    );
}
