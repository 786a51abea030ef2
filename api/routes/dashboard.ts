// Dashboard KPIs: totals, the previous period of equal length, and the daily series. Past days come from
// the daily metrics rollup; today (and any day not rolled up yet) live, through the rollup's own query.
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { clinics } from '../../db/schema';
import { dailyFigures } from '../../services/reports/daily';
import { conversionRate, KPI_DEFINITIONS, noShowRate } from '../../domain/kpis';
import { summarize, fillSeries } from '../../domain/metrics';
import { addLocalDays, daysBetween, localDate } from '../../domain/timezone';
import type { ApiDeps } from '../context';
import { ApiError } from '../../services/errors';
import { recordAudit } from '../audit';
import { refreshDailyMetrics } from '../../journeys/handovers';
import { bearer, errorResponses, router } from '../openapi';

// A calendar day that exists (Date.parse takes 2026-02-30 for 2 March).
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use o formato AAAA-MM-DD.')
  .refine((d) => { const t = Date.parse(`${d}T00:00:00Z`); return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d; }, 'Data inválida: esse dia não existe.');

const int = z.number().int();
const Figures = z.object({
  revenueCents: int.openapi({ description: 'Faturamento líquido: bruto − reembolsos.' }), grossRevenueCents: int, refundsCents: int,
  appointments: int, completed: int, noShows: int, cancelled: int, paidVisits: int, leads: int, conversions: int,
  newPatients: int, averageTicketCents: int,
});
const Rates = z.object({ noShow: z.number().nullable(), conversion: z.number().nullable() });
const Definition = z.object({ label: z.string(), definition: z.string() });
const Kpis = z
  .object({
    from: z.string(), to: z.string(), totals: Figures, previous: Figures, rates: Rates, previousRates: Rates,
    series: z.array(Figures.extend({ day: z.string() })),
    computedAt: z.string().nullable().openapi({ description: 'Quando o último dia consolidado do período foi calculado.' }),
    live: z.array(z.string()).openapi({ description: 'Dias calculados agora, direto dos registros (hoje e os ainda não consolidados).' }),
    definitions: z.record(z.string(), Definition).openapi({ description: 'O que cada indicador conta (domain/kpis.ts).' }),
  })
  .openapi('DashboardKpis');

const Refresh = z
  .object({ workflowId: z.string(), status: z.enum(['completed', 'running']), rows: z.number().int().nullable() })
  .openapi('DashboardRefresh');

export function dashboardRoutes(deps: ApiDeps) {
  return router()
  .openapi(
    createRoute({
      method: 'post', path: '/refresh', tags: ['Dashboard'], summary: 'Recalcular agora os números de ontem e de hoje', security: bearer,
      responses: {
        200: { description: 'Recalculado', content: { 'application/json': { schema: Refresh } } },
        202: { description: 'Ainda calculando (o worker responde em seguida)', content: { 'application/json': { schema: Refresh } } },
        ...errorResponses(401, 403, 503),
      },
    }),
    async (c) => {
      const auth = c.get('auth');
      const rollup = await refreshDailyMetrics(deps.temporal, { clinicId: auth.clinicId, at: deps.now(), taskQueue: deps.env.TEMPORAL_TASK_QUEUE, waitMs: 10_000 })
        .catch((err) => {
          c.get('log').error({ err }, 'could not start rollup');
          throw new ApiError(503, 'unavailable', 'O serviço de automações está indisponível. Tente novamente em instantes.');
        });
      const { workflowId } = rollup;
      await c.get('tenant')((tx) => recordAudit(tx, c, { action: 'refresh', entity: 'daily_metrics', entityId: workflowId }));
      const done = await rollup.done();
      return done
        ? c.json({ workflowId, status: 'completed' as const, rows: done.rows }, 200)
        : c.json({ workflowId, status: 'running' as const, rows: null }, 202);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/kpis', tags: ['Dashboard'], summary: 'KPIs do período (padrão: últimos 30 dias)', security: bearer,
      request: { query: z.strictObject({ from: isoDate.optional(), to: isoDate.optional() }) },
      responses: { 200: { description: 'KPIs', content: { 'application/json': { schema: Kpis } } }, ...errorResponses(400, 401) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const auth = c.get('auth');
      const result = await c.get('tenant')(async (tx) => {
        const [clinic] = await tx.select({ timezone: clinics.timezone }).from(clinics).where(eq(clinics.id, auth.clinicId));
        const today = localDate(deps.now(), clinic!.timezone);
        const to = q.to ?? today;
        const from = q.from ?? addLocalDays(to, -29);
        const length = daysBetween(from, to) + 1;
        if (length < 1) throw new ApiError(400, 'validation_failed', 'O início do período deve ser anterior ao fim.', { from: ['Deve ser anterior ou igual a "to".'] });
        if (length > 366) throw new ApiError(400, 'validation_failed', 'O período pode ter no máximo 366 dias.', { from: ['Período longo demais.'] });
        const prevFrom = addLocalDays(from, -length);
        const { rows, live, computedAt } = await dailyFigures(tx, auth.clinicId, prevFrom, to, today);
        const current = rows.filter((r) => r.day >= from);
        const previous = rows.filter((r) => r.day < from);
        const totals = summarize(current);
        const prev = summarize(previous);
        return {
          from, to, totals, previous: prev,
          rates: { noShow: noShowRate(totals), conversion: conversionRate(totals) },
          previousRates: { noShow: noShowRate(prev), conversion: conversionRate(prev) },
          series: fillSeries(current, from, to),
          computedAt: computedAt ? computedAt.toISOString() : null,
          live: live.filter((d) => d >= from),
          definitions: KPI_DEFINITIONS,
        };
      });
      return c.json(result, 200);
    },
  );
}
