// /api/reports/procedures and /api/reports/professionals (issue #13): the procedures table and the
// professionals' performance, with filters (period, professional, procedure, channel). Aggregates only,
// so a view-only member may read them. Figures: services/reports/procedures.ts and professionals.ts.
import { createRoute, z } from '@hono/zod-openapi';
import { resolvePeriod } from '../../services/catalog/period';
import { PROCEDURE_REPORT_DEFINITIONS, procedureReport } from '../../services/reports/procedures';
import { PROFESSIONAL_REPORT_DEFINITIONS, professionalReport } from '../../services/reports/professionals';
import { CHANNELS } from '../../services/reports/visit-figures';
import { IsoDay } from '../catalog/common';
import type { ApiDeps } from '../context';
import { bearer, errorResponses, jsonResponse, router, Uuid } from '../openapi';

const tags = ['Relatórios'];
const Channel = z.enum(CHANNELS, { message: `Canal inválido: use ${CHANNELS.join(', ')}.` })
  .openapi({ description: 'Origem do agendamento (appointments.source): painel, whatsapp (Anna), link (página pública) ou google.' });
const Query = z.strictObject({
  from: IsoDay.optional(), to: IsoDay.optional(),
  professionalId: Uuid.optional(), procedureId: Uuid.optional(), channel: Channel.optional(),
});
const PERIOD_TEXT = 'Período em dias locais da clínica (from/to, AAAA-MM-DD, inclusivos; padrão: últimos 90 dias; no máximo 2 anos).';

const Rate = z.number().min(0).max(1).nullable();
const Nps = z.object({
  sent: z.number().int(), answered: z.number().int(), promoters: z.number().int(), detractors: z.number().int(),
  score: z.number().int().min(-100).max(100).nullable().openapi({ description: '% promotores − % detratores das respostas no prazo; vazio sem respostas.' }),
}).openapi('ReportNps');
const Filters = z.object({ professionalId: z.string().nullable(), procedureId: z.string().nullable(), channel: Channel.nullable() });

const ProcedureFigures = z.object({
  appointments: z.object({
    total: z.number().int(), agendado: z.number().int(), confirmado: z.number().int(), realizado: z.number().int(), cancelado: z.number().int(), no_show: z.number().int(),
  }),
  realisedVisits: z.number().int(),
  grossRevenueCents: z.number().int(), refundsCents: z.number().int(), netRevenueCents: z.number().int(),
  chargedVisits: z.number().int(), chargedCents: z.number().int(), averageChargedCents: z.number().int().nullable(),
  totalCostCents: z.number().int().nullable(), commissionCents: z.number().int(),
  marginCents: z.number().int().nullable(), marginShare: z.number().nullable(),
  repeatPatients: z.number().int(), repeatedPatients: z.number().int(), repeatRate: Rate,
  nps: Nps,
});
const ProcedureRow = ProcedureFigures.extend({
  procedureId: z.string(), name: z.string(), active: z.boolean(), listPriceCents: z.number().int(), costCents: z.number().int().nullable(),
  chargedToList: z.number().nullable().openapi({ description: 'Preço médio cobrado ÷ preço de tabela.' }),
}).openapi('ProcedureReportRow');
const ProcedureReport = z.object({
  from: z.string(), to: z.string(), filters: Filters,
  rows: z.array(ProcedureRow),
  totals: ProcedureFigures.extend({ withoutCost: z.number().int().openapi({ description: 'Procedimentos da tabela sem custo informado (a margem total fica vazia).' }) })
    .openapi('ProcedureReportTotals'),
  definitions: z.record(z.string(), z.string()),
}).openapi('ProcedureReport');

const ProfessionalFigures = z.object({
  appointments: z.object({ total: z.number().int(), realizado: z.number().int(), cancelado: z.number().int(), no_show: z.number().int() }),
  paidVisits: z.number().int(),
  availableMinutes: z.number().int(), bookedMinutes: z.number().int(), bookedInHoursMinutes: z.number().int(), occupancy: Rate,
  grossRevenueCents: z.number().int(), refundsCents: z.number().int(), netRevenueCents: z.number().int(), ticketCents: z.number().int().nullable(),
  noShowRate: Rate, cancellationRate: Rate,
  nps: Nps,
  reviews: z.object({ count: z.number().int(), stars: z.number().int(), average: z.number().min(1).max(5).nullable() }),
  commissionCents: z.number().int(),
  rebooking: z.object({ eligible: z.number().int(), rebooked: z.number().int(), pending: z.number().int(), rate: Rate }),
});
const ProfessionalRow = ProfessionalFigures.extend({ professionalId: z.string(), name: z.string(), active: z.boolean() }).openapi('ProfessionalReportRow');
const ProfessionalReport = z.object({
  from: z.string(), to: z.string(), filters: Filters,
  rows: z.array(ProfessionalRow), totals: ProfessionalFigures.openapi('ProfessionalReportTotals'),
  definitions: z.record(z.string(), z.string()),
}).openapi('ProfessionalReport');

export function reportsCatalogRoutes(deps: ApiDeps) {
  return router()
    .openapi(createRoute({
      method: 'get', path: '/procedures', tags, security: bearer,
      summary: 'Procedimentos: agendamentos, faturamento líquido, preço médio cobrado × tabela, custo, comissão, margem, recorrência e NPS',
      description: `${PERIOD_TEXT} Filtros: profissional, procedimento e canal do agendamento.`,
      request: { query: Query }, responses: { 200: jsonResponse('Tabela de procedimentos', ProcedureReport), ...errorResponses(400, 401, 404) },
    }), async (c) => {
      const q = c.req.valid('query');
      const auth = c.get('auth');
      const out = await c.get('tenant')(async (tx) => {
        const p = await resolvePeriod(tx, auth.clinicId, q, deps.now());
        const report = await procedureReport(tx, auth.clinicId, p, q);
        return { from: p.fromDay, to: p.toDay, filters: filtersOf(q), ...report, definitions: PROCEDURE_REPORT_DEFINITIONS };
      });
      return c.json(out, 200);
    })
    .openapi(createRoute({
      method: 'get', path: '/professionals', tags, security: bearer,
      summary: 'Desempenho por profissional: ocupação, faturamento, ticket, faltas, cancelamentos, NPS, avaliações, comissão e retorno em 60 dias',
      description: `${PERIOD_TEXT} Filtros: profissional, procedimento e canal do agendamento.`,
      request: { query: Query }, responses: { 200: jsonResponse('Desempenho por profissional', ProfessionalReport), ...errorResponses(400, 401, 404) },
    }), async (c) => {
      const q = c.req.valid('query');
      const auth = c.get('auth');
      const out = await c.get('tenant')(async (tx) => {
        const p = await resolvePeriod(tx, auth.clinicId, q, deps.now());
        const report = await professionalReport(tx, auth.clinicId, p, q, deps.now());
        return { from: p.fromDay, to: p.toDay, filters: filtersOf(q), ...report, definitions: PROFESSIONAL_REPORT_DEFINITIONS };
      });
      return c.json(out, 200);
    });
}

const filtersOf = (q: z.infer<typeof Query>) => ({ professionalId: q.professionalId ?? null, procedureId: q.procedureId ?? null, channel: q.channel ?? null });
