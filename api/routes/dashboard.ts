// Dashboard KPIs from the daily metrics rollup: totals, the previous period of equal length, and the daily series.
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, between, eq, max } from 'drizzle-orm';
import { clinics, dailyMetrics } from '../../db/schema';
import { summarize, fillSeries, type DayFigures } from '../../domain/metrics';
import { addLocalDays, daysBetween, localDate } from '../../domain/timezone';
import type { ApiDeps } from '../context';
import { ApiError } from '../../services/errors';
import { recordAudit } from '../audit';
import { refreshDailyMetrics } from '../../journeys/handovers';
import { bearer, errorResponses, router } from '../openapi';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use o formato AAAA-MM-DD.').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'Data inválida.');

const Figures = z.object({
  revenueCents: z.number().int(), appointments: z.number().int(), noShows: z.number().int(), conversions: z.number().int(),
  newPatients: z.number().int(), completed: z.number().int(), averageTicketCents: z.number().int(),
});
const Kpis = z
  .object({
    from: z.string(), to: z.string(), totals: Figures, previous: Figures,
    series: z.array(Figures.extend({ day: z.string() })), computedAt: z.string().nullable(),
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
        const to = q.to ?? localDate(deps.now(), clinic!.timezone);
        const from = q.from ?? addLocalDays(to, -29);
        const length = daysBetween(from, to) + 1;
        if (length < 1) throw new ApiError(400, 'validation_failed', 'O início do período deve ser anterior ao fim.', { from: ['Deve ser anterior ou igual a "to".'] });
        if (length > 366) throw new ApiError(400, 'validation_failed', 'O período pode ter no máximo 366 dias.', { from: ['Período longo demais.'] });
        const prevFrom = addLocalDays(from, -length);
        const rows = await tx
          .select({
            day: dailyMetrics.day, revenueCents: dailyMetrics.revenueCents, appointments: dailyMetrics.appointments, noShows: dailyMetrics.noShows,
            conversions: dailyMetrics.conversions, newPatients: dailyMetrics.newPatients, completed: dailyMetrics.completed, averageTicketCents: dailyMetrics.averageTicketCents,
          })
          .from(dailyMetrics)
          .where(between(dailyMetrics.day, prevFrom, to))
          .orderBy(asc(dailyMetrics.day));
        const [{ computedAt }] = await tx.select({ computedAt: max(dailyMetrics.computedAt) }).from(dailyMetrics).where(and(between(dailyMetrics.day, from, to)));
        const current = rows.filter((r) => r.day >= from) as DayFigures[];
        const previous = rows.filter((r) => r.day < from) as DayFigures[];
        return {
          from, to,
          totals: summarize(current),
          previous: summarize(previous),
          series: fillSeries(current, from, to),
          computedAt: computedAt ? new Date(computedAt).toISOString() : null,
        };
      });
      return c.json(result, 200);
    },
  );
}
