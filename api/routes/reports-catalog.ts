// /api/reports/procedures and /api/reports/professionals (issue #13): the procedures table and the
// professionals' performance, with filters (period, professional, procedure, channel); /cohorts,
// /lifetime and /funnel: retention by first-visit month, lifetime value by segment and the lead → returned
// funnel. Aggregates only, so a view-only member may read them. Figures: services/reports/procedures.ts,
// professionals.ts, cohorts.ts, lifetime.ts and funnel.ts.
import { createRoute, z } from '@hono/zod-openapi';
import { resolvePeriod } from '../../services/catalog/period';
import { clinicScheduling } from '../../services/catalog/settings';
import { PROCEDURE_REPORT_DEFINITIONS, procedureReport } from '../../services/reports/procedures';
import { PROFESSIONAL_REPORT_DEFINITIONS, professionalReport } from '../../services/reports/professionals';
import { CHANNELS } from '../../services/reports/visit-figures';
import { ACQUISITION_CHANNELS, COHORT_BY, COHORT_REPORT_DEFINITIONS, cohortReport, resolveCohortPeriod } from '../../services/reports/cohorts';
import { FUNNEL_REPORT_DEFINITIONS, FUNNEL_STEPS, funnelReport } from '../../services/reports/funnel';
import { LIFETIME_REPORT_DEFINITIONS, LIFETIME_SEGMENTS, lifetimeReport } from '../../services/reports/lifetime';
import { COHORT_OFFSETS, MAX_COHORTS } from '../../domain/reports';
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

// ── Cohorts, lifetime value, funnel ──
const Cents = z.number().int();
const Offsets = <T extends z.ZodTypeAny>(t: T, length: number) => z.array(t).length(length);
const CohortQuery = z.strictObject({
  from: IsoDay.optional(), to: IsoDay.optional(),
  by: z.enum(COHORT_BY, { message: `Agrupamento inválido: use ${COHORT_BY.join(', ')}.` }).optional()
    .openapi({ description: 'month (padrão): só pelo mês do primeiro atendimento; procedure: também pelo procedimento do primeiro atendimento; channel: também pelo canal de aquisição.' }),
});
const CohortRow = z.object({
  month: z.string().openapi({ description: 'AAAA-MM do primeiro atendimento realizado.' }),
  segment: z.string().nullable().openapi({ description: `by=procedure: id do procedimento; by=channel: ${ACQUISITION_CHANNELS.join(', ')}; by=month: vazio.` }),
  segmentLabel: z.string().nullable(),
  size: z.number().int(),
  retention: Offsets(Rate, COHORT_OFFSETS).openapi({ description: 'Índice k − 1: parcela com atendimento no mês +k (k = 1…12); null quando o mês ainda não começou.' }),
  returned: Offsets(z.number().int().nullable(), COHORT_OFFSETS),
  incompleteOffsets: z.array(z.number().int().min(1).max(COHORT_OFFSETS)).openapi({ description: 'Meses +k em andamento: a parcela ainda pode crescer.' }),
  revenuePerPatientCents: Offsets(Cents.nullable(), COHORT_OFFSETS + 1).openapi({ description: 'Índice k: faturamento líquido acumulado por paciente até o fim do mês +k (k = 0…12).' }),
  cumulativeRevenueCents: Offsets(Cents.nullable(), COHORT_OFFSETS + 1),
}).openapi('CohortReportRow');
const Pooled = z.object({
  size: z.number().int(), retention: Offsets(Rate, COHORT_OFFSETS), revenuePerPatientCents: Offsets(Cents.nullable(), COHORT_OFFSETS + 1),
});
const CohortReport = z.object({
  from: z.string(), to: z.string(), by: z.enum(COHORT_BY), currentMonth: z.string(), offsets: z.number().int(),
  rows: z.array(CohortRow),
  segments: z.array(Pooled.extend({ segment: z.string().nullable(), segmentLabel: z.string().nullable() })).openapi({ description: 'by=procedure/channel: cada segmento com todas as coortes juntas.' }),
  pooled: Pooled.openapi({ description: 'Todas as coortes juntas, cada mês +k sobre as coortes que já chegaram a ele.' }),
  definitions: z.record(z.string(), z.string()),
}).openapi('CohortReport');

const LifetimeQuery = z.strictObject({
  segment: z.enum(LIFETIME_SEGMENTS, { message: `Segmento inválido: use ${LIFETIME_SEGMENTS.join(', ')}.` }).optional()
    .openapi({ description: 'classification (padrão), channel (canal de aquisição) ou first_procedure (procedimento do primeiro atendimento).' }),
});
const LifetimeFigures = z.object({
  patients: z.number().int(), netRevenueCents: Cents, observedClvCents: Cents.nullable(),
  averageVisits: z.number().nullable(), averageTenureDays: z.number().nullable(),
  predicted: z.object({ scored: z.number().int(), meanClvCents: Cents.nullable(), medianClvCents: Cents.nullable() }),
  pAlive: z.array(z.object({ from: z.number().min(0).max(1), to: z.number().min(0).max(1), count: z.number().int(), share: Rate })).length(10),
  acquisitionCostCents: z.null().openapi({ description: 'Sempre vazio: o sistema não registra custo de aquisição.' }),
  clvToAcquisitionCost: z.number().nullable(),
});
const LifetimeReport = z.object({
  segment: z.enum(LIFETIME_SEGMENTS),
  scoredAt: z.string().datetime({ offset: true }).nullable().openapi({ description: 'Quando as pontuações (patient_scores) foram calculadas por último.' }),
  rows: z.array(LifetimeFigures.extend({ segment: z.string(), segmentLabel: z.string() }).openapi('LifetimeReportRow')),
  totals: LifetimeFigures.openapi('LifetimeReportTotals'),
  definitions: z.record(z.string(), z.string()),
}).openapi('LifetimeReport');

const FunnelQuery = z.strictObject({ from: IsoDay.optional(), to: IsoDay.optional() });
const FunnelReport = z.object({
  from: z.string(), to: z.string(), qualificationThreshold: z.number().int(), returnDays: z.number().int(),
  steps: z.array(z.object({
    key: z.enum(FUNNEL_STEPS), count: z.number().int(), base: z.number().int().nullable(), conversion: Rate, ofFirst: Rate,
  })).openapi({ description: 'lead → qualified → booked → realised → returned; cada etapa está contida na anterior; conversion = count ÷ base (a anterior, ou em returned os realizados já avaliáveis).' }),
  returned: z.object({ judged: z.number().int(), pending: z.number().int(), returned: z.number().int() }),
  lost: z.object({ bookedWithoutQualification: z.number().int(), bookedNoShow: z.number().int(), bookedCancelled: z.number().int() }),
  reminders: z.object({
    sent: z.number().int(), reminded: z.number().int(), confirmed: z.number().int(), attended: z.number().int(), noShow: z.number().int(),
    confirmationRate: Rate, attendanceRate: Rate,
  }),
  noShows: z.object({ count: z.number().int(), appointments: z.number().int(), cancelled: z.number().int(), rate: Rate }),
  definitions: z.record(z.string(), z.string()),
}).openapi('FunnelReport');

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
    })
    .openapi(createRoute({
      method: 'get', path: '/cohorts', tags, security: bearer,
      summary: 'Coortes: pacientes pelo mês do primeiro atendimento, retorno nos meses +1…+12 e faturamento acumulado por paciente',
      description: `Coortes cujo primeiro atendimento realizado cai em from…to (dias locais, inclusivos; padrão: os últimos 12 meses; no máximo ${MAX_COHORTS} meses). Os meses +k que ainda não começaram vêm vazios; os em andamento estão em incompleteOffsets.`,
      request: { query: CohortQuery }, responses: { 200: jsonResponse('Coortes', CohortReport), ...errorResponses(400, 401) },
    }), async (c) => {
      const q = c.req.valid('query');
      const auth = c.get('auth');
      const by = q.by ?? 'month';
      const out = await c.get('tenant')(async (tx) => {
        const p = await resolveCohortPeriod(tx, auth.clinicId, q, deps.now());
        const report = await cohortReport(tx, auth.clinicId, p, by, deps.now());
        return { from: p.fromDay, to: p.toDay, by, ...report, definitions: COHORT_REPORT_DEFINITIONS };
      });
      return c.json(out, 200);
    })
    .openapi(createRoute({
      method: 'get', path: '/lifetime', tags, security: bearer,
      summary: 'Valor do paciente: CLV observado por segmento, CLV previsto em 12 meses e distribuição de P(ativa)',
      description: 'Pacientes com ao menos um atendimento realizado, por classificação, canal de aquisição ou procedimento do primeiro atendimento. O CLV ÷ custo de aquisição fica vazio: o sistema não registra custo de aquisição.',
      request: { query: LifetimeQuery }, responses: { 200: jsonResponse('Valor do paciente', LifetimeReport), ...errorResponses(400, 401) },
    }), async (c) => {
      const q = c.req.valid('query');
      const auth = c.get('auth');
      const segment = q.segment ?? 'classification';
      const out = await c.get('tenant')(async (tx) => {
        const timeZone = (await clinicScheduling(tx, auth.clinicId))?.timezone ?? 'America/Sao_Paulo';
        const report = await lifetimeReport(tx, auth.clinicId, { timeZone }, segment, deps.now());
        return { segment, ...report, definitions: LIFETIME_REPORT_DEFINITIONS };
      });
      return c.json(out, 200);
    })
    .openapi(createRoute({
      method: 'get', path: '/funnel', tags, security: bearer,
      summary: 'Funil: lead → qualificado → agendado → realizado → voltou, lembretes e faltas',
      description: `${PERIOD_TEXT} Os leads são as conversas iniciadas no período, acompanhadas até hoje em cada etapa.`,
      request: { query: FunnelQuery }, responses: { 200: jsonResponse('Funil', FunnelReport), ...errorResponses(400, 401) },
    }), async (c) => {
      const q = c.req.valid('query');
      const auth = c.get('auth');
      const out = await c.get('tenant')(async (tx) => {
        const p = await resolvePeriod(tx, auth.clinicId, q, deps.now());
        const report = await funnelReport(tx, auth.clinicId, p, deps.now());
        return { from: p.fromDay, to: p.toDay, ...report, definitions: FUNNEL_REPORT_DEFINITIONS };
      });
      return c.json(out, 200);
    });
}

const filtersOf = (q: z.infer<typeof Query>) => ({ professionalId: q.professionalId ?? null, procedureId: q.procedureId ?? null, channel: q.channel ?? null });
