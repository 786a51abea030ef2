// Relatórios (issue #13): the monthly report (getMensal) as JSON, PDF or Excel, and the forecasts with
// their backtest. Aggregates only: any member may read them (view-only included). The figures are
// defined once in domain/kpis.ts; services/reports computes them.
import { createRoute, z } from '@hono/zod-openapi';
import { forecastReport } from '../../services/reports/forecast';
import { monthlyReport } from '../../services/reports/monthly';
import { monthlyPdf, monthlyXlsx } from '../../services/reports/monthly-files';
import { secrets } from '../../config/env';
import { withClinic } from '../../db/tenancy';
import { verifyReportLink } from '../../domain/signed-links';
import { ApiError } from '../../services/errors';
import { recordAudit } from '../audit';
import type { ApiDeps } from '../context';
import { bearer, errorResponses, jsonResponse, router } from '../openapi';

const tags = ['Relatórios'];
const int = z.number().int();
const Figures = z.object({
  grossRevenueCents: int, refundsCents: int, revenueCents: int, appointments: int, completed: int, noShows: int, cancelled: int,
  paidVisits: int, leads: int, conversions: int, newPatients: int, averageTicketCents: int,
});
const Reminder = z.object({
  channel: z.enum(['whatsapp', 'sms', 'email', 'total']), sent: int, delivered: int, read: int, failed: int, skipped: int, reminded: int,
  confirmed: int, attended: int, cancelled: int, noShow: int, answered: int, answerRate: z.number().nullable(), successRate: z.number().nullable(),
});
const Month = z.object({
  month: z.string(), from: z.string(), to: z.string(), figures: Figures,
  rates: z.object({ noShow: z.number().nullable(), conversion: z.number().nullable() }),
  byStatus: z.object({ agendado: int, confirmado: int, realizado: int, cancelado: int, no_show: int }),
  patients: z.object({ firstVisit: int.openapi({ description: 'Pacientes cuja primeira visita realizada foi no mês.' }), returning: int.openapi({ description: 'Pacientes com visita realizada no mês e outra antes.' }) }),
  nps: z.object({ sent: int, answered: int, promoters: int, neutrals: int, detractors: int, score: z.number().nullable(), responseRate: z.number().nullable() }),
  reminders: z.array(Reminder),
  topProcedures: z.array(z.object({ id: z.string(), name: z.string(), visits: int, revenueCents: int })),
});
const Monthly = z.object({
  month: z.string(), throughDay: int, complete: z.boolean(), timeZone: z.string(), clinic: z.object({ name: z.string(), cnpj: z.string().nullable() }),
  current: Month, previous: Month, lastYear: Month,
  series: z.array(Figures.extend({ day: z.string() })),
}).openapi('MonthlyReport');
const Band = z.object({ day: z.string(), mean: z.number(), lo80: z.number(), hi80: z.number(), lo95: z.number(), hi95: z.number(), booked: z.number(), modelMean: z.number(), holiday: z.string().optional(), closed: z.boolean().optional() });
const Forecast = z.object({
  metric: z.enum(['revenue', 'appointments']), horizon: int, asOf: z.string(), historyDays: int,
  history: z.array(z.object({ day: z.string(), value: z.number() })),
  days: z.array(Band),
  totals: z.object({ mean: z.number(), booked: z.number() }),
  realisation: z.number().nullable().openapi({ description: 'Faturamento: parte do valor agendado que vira receita (últimos 90 dias).' }),
  model: z.record(z.string(), z.unknown()).nullable(),
  backtest: z.object({
    horizon: int, step: int, mase: z.number(), maseSeasonalNaive: z.number(), beatsSeasonalNaive: z.boolean(), coverage80: z.number(), coverage95: z.number(),
    origins: z.array(z.record(z.string(), z.unknown())),
  }).nullable(),
  note: z.string().nullable(),
}).openapi('ForecastReport');

/** The monthly report's PDF behind the e-mailed signed link (no session): 403 tampered, 410 expired. */
export function publicReportRoutes(deps: ApiDeps) {
  return router().openapi(createRoute({
    method: 'get', path: '/monthly/{token}', tags,
    summary: 'O PDF do relatório mensal pelo link assinado do e-mail (válido por 30 dias)',
    request: { params: z.object({ token: z.string().max(400).openapi({ param: { name: 'token', in: 'path' } }) }) },
    responses: {
      200: { description: 'O PDF', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } },
      ...errorResponses(403, 410),
    },
  }), async (c) => {
    const check = verifyReportLink(secrets(deps.env).linkSecret, c.req.valid('param').token, deps.now().getTime());
    if (!check.ok) {
      throw check.reason === 'expired'
        ? new ApiError(410, 'link_expired', 'Este link expirou. O relatório continua disponível no painel, em Relatórios.')
        : new ApiError(403, 'link_invalid', 'Link inválido.');
    }
    const report = await withClinic(deps.db, check.clinicId, (tx) => monthlyReport(tx, check.clinicId, check.month, deps.now()));
    const pdf = await monthlyPdf(report);
    return new Response(new Uint8Array(pdf), {
      status: 200,
      headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="relatorio-mensal-${report.month}.pdf"`, 'cache-control': 'private, no-store' },
    }) as never;
  });
}

export function reportRoutes(deps: ApiDeps) {
  return router()
    .openapi(createRoute({
      method: 'get', path: '/monthly', tags, security: bearer,
      summary: 'Relatório mensal: faturamento (bruto, reembolsos, líquido), agendamentos por situação, faltas, pacientes novos e que voltaram, ticket, NPS, Anna, lembretes e procedimentos; contra o mês anterior e o mesmo mês do ano passado',
      description: 'month=AAAA-MM (padrão: o mês atual, comparado dia a dia até hoje). format=pdf ou xlsx baixa o arquivo.',
      request: {
        query: z.strictObject({
          month: z.string().max(7).optional().openapi({ example: '2026-11' }),
          format: z.enum(['json', 'pdf', 'xlsx'], { message: 'Formato: json, pdf ou xlsx.' }).default('json'),
        }),
      },
      responses: {
        200: {
          description: 'O relatório',
          content: {
            'application/json': { schema: Monthly },
            'application/pdf': { schema: z.string().openapi({ format: 'binary' }) },
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) },
          },
        },
        ...errorResponses(400, 401),
      },
    }), async (c) => {
      const q = c.req.valid('query');
      const auth = c.get('auth');
      const report = await c.get('tenant')((tx) => monthlyReport(tx, auth.clinicId, q.month, deps.now()));
      if (q.format === 'json') return c.json(report, 200);
      await c.get('tenant')((tx) => recordAudit(tx, c, { action: 'export', entity: 'report', entityId: `monthly:${report.month}`, after: { format: q.format } }));
      const file = q.format === 'pdf' ? await monthlyPdf(report) : await monthlyXlsx(report);
      return new Response(new Uint8Array(file), {
        status: 200,
        headers: {
          'content-type': q.format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'content-disposition': `attachment; filename="relatorio-mensal-${report.month}.${q.format}"`,
          'cache-control': 'no-store',
        },
      }) as never;
    })
    .openapi(createRoute({
      method: 'get', path: '/forecast', tags, security: bearer,
      summary: 'Previsão de faturamento ou de agendamentos para os próximos 30 ou 90 dias, com intervalos de 80% e 95%, a agenda já marcada e o backtest (MASE contra a sazonal ingênua)',
      request: {
        query: z.strictObject({
          metric: z.enum(['revenue', 'appointments'], { message: 'Use revenue ou appointments.' }).default('revenue'),
          horizon: z.enum(['30', '90'], { message: 'Horizonte: 30 ou 90 dias.' }).default('30'),
        }),
      },
      responses: { 200: jsonResponse('A previsão', Forecast), ...errorResponses(400, 401) },
    }), async (c) => {
      const q = c.req.valid('query');
      const auth = c.get('auth');
      const out = await c.get('tenant')((tx) => forecastReport(tx, auth.clinicId, q.metric, Number(q.horizon), deps.now()));
      return c.json(out as z.infer<typeof Forecast>, 200);
    });
}
