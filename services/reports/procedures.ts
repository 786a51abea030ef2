// Relatórios › Procedimentos (issue #13): per procedure, the period's appointments by status, realised
// visits, net revenue, the average price actually charged against the list price, cost, commission,
// margin, repeat rate and NPS, with a totals row. Definitions: PROCEDURE_REPORT_DEFINITIONS below; the
// arithmetic is domain/reports.ts, the SQL ./visit-figures.ts.
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { procedures } from '../../db/schema';
import {
  averageCents, chargedToList, marginCents, marginShare, npsOf, type NpsCounts,
} from '../../domain/reports';
import { share } from '../../domain/kpis';
import {
  chargedFigures, commissionFigures, moneyFigures, repeatFigures, statusFigures, surveyFigures,
  type ReportFilters, type ReportPeriod, type StatusFigures,
} from './visit-figures';
import { assertFiltersExist } from './filters';

/** What each column means, in pt-BR (the table's tooltips). */
export const PROCEDURE_REPORT_DEFINITIONS = {
  appointments: 'Agendamentos que começam no período (dias locais da clínica), por situação, inclusive cancelados e faltas.',
  realisedVisits: 'Agendamentos do período marcados como realizados.',
  netRevenueCents: 'Pagamentos aprovados dos agendamentos do procedimento no dia em que o dinheiro entrou, menos os reembolsos no dia em que foram feitos (como o faturamento do painel).',
  averageChargedCents: 'Média do que os atendimentos realizados no período efetivamente pagaram (pagamentos aprovados menos o reembolsado), entre os que têm pagamento.',
  listPriceCents: 'Preço de tabela do procedimento (Administração).',
  totalCostCents: 'Custo por sessão (Administração) × atendimentos realizados no período; vazio quando o custo não foi informado.',
  commissionCents: 'Comissões lançadas no período sobre os pagamentos do procedimento, menos os estornos por reembolso.',
  marginCents: 'Faturamento líquido − custo × atendimentos realizados − comissão líquida; vazio quando o custo não foi informado.',
  repeatRate: 'Dos pacientes com o procedimento realizado no período, a parcela que já o tinha feito antes ou o fez de novo no período (com qualquer profissional e canal).',
  nps: '% de promotores − % de detratores das respostas no prazo às pesquisas enviadas no período sobre os atendimentos do procedimento.',
} as const;

interface Base {
  appointments: { total: number; agendado: number; confirmado: number; realizado: number; cancelado: number; no_show: number };
  realisedVisits: number;
  grossRevenueCents: number;
  refundsCents: number;
  netRevenueCents: number;
  /** Realised visits of the period with a payment, and what they paid net of refunds. */
  chargedVisits: number;
  chargedCents: number;
  averageChargedCents: number | null;
  totalCostCents: number | null;
  commissionCents: number;
  marginCents: number | null;
  marginShare: number | null;
  repeatPatients: number;
  repeatedPatients: number;
  repeatRate: number | null;
  nps: NpsCounts & { sent: number; score: number | null };
}

export interface ProcedureRow extends Base {
  procedureId: string;
  name: string;
  active: boolean;
  listPriceCents: number;
  costCents: number | null;
  chargedToList: number | null;
}

export interface ProcedureTotals extends Base {
  /** Procedures in the table without a cost: the total margin is unknown while any is. */
  withoutCost: number;
}

const NO_STATUS: StatusFigures = { booked: 0, agendado: 0, confirmado: 0, realizado: 0, cancelado: 0, no_show: 0, paidVisits: 0 };

export async function procedureReport(tx: Tx, clinicId: string, period: ReportPeriod, f: ReportFilters) {
  await assertFiltersExist(tx, clinicId, f);
  const [status, money, commission, charged, surveys, repeat] = await Promise.all([
    statusFigures(tx, clinicId, period, f, 'procedure'),
    moneyFigures(tx, clinicId, period, f, 'procedure'),
    commissionFigures(tx, clinicId, period, f, 'procedure'),
    chargedFigures(tx, clinicId, period, f, 'procedure'),
    surveyFigures(tx, clinicId, period, f, 'procedure'),
    repeatFigures(tx, clinicId, period, f),
  ]);
  // A procedure is in the table when something of it happened in the period (or it is the one asked for).
  const ids = new Set([...status.keys(), ...money.keys(), ...commission.keys(), ...charged.keys(), ...surveys.keys(), ...repeat.keys()]);
  if (f.procedureId) ids.add(f.procedureId);
  const catalog = ids.size
    ? await tx.select({ id: procedures.id, name: procedures.name, active: procedures.active, listPriceCents: procedures.defaultPriceCents, costCents: procedures.costCents })
      .from(procedures).where(and(eq(procedures.clinicId, clinicId), inArray(procedures.id, [...ids])))
    : [];

  const rows: ProcedureRow[] = catalog.map((proc) => {
    const s = status.get(proc.id) ?? NO_STATUS;
    const m = money.get(proc.id) ?? { grossRevenueCents: 0, refundsCents: 0 };
    const c = charged.get(proc.id) ?? { visits: 0, cents: 0 };
    const sv = surveys.get(proc.id) ?? { sent: 0, answered: 0, promoters: 0, detractors: 0 };
    const r = repeat.get(proc.id) ?? { patients: 0, repeated: 0 };
    const net = m.grossRevenueCents - m.refundsCents;
    const comm = commission.get(proc.id) ?? 0;
    const margin = marginCents({ netRevenueCents: net, costCents: proc.costCents, realisedVisits: s.realizado, commissionCents: comm });
    const avg = averageCents(c.cents, c.visits);
    return {
      procedureId: proc.id, name: proc.name, active: proc.active, listPriceCents: proc.listPriceCents, costCents: proc.costCents,
      appointments: { total: s.booked, agendado: s.agendado, confirmado: s.confirmado, realizado: s.realizado, cancelado: s.cancelado, no_show: s.no_show },
      realisedVisits: s.realizado,
      grossRevenueCents: m.grossRevenueCents, refundsCents: m.refundsCents, netRevenueCents: net,
      chargedVisits: c.visits, chargedCents: c.cents, averageChargedCents: avg, chargedToList: chargedToList(avg, proc.listPriceCents),
      totalCostCents: proc.costCents === null ? null : proc.costCents * s.realizado,
      commissionCents: comm, marginCents: margin, marginShare: marginShare(margin, net),
      repeatPatients: r.patients, repeatedPatients: r.repeated, repeatRate: share(r.repeated, r.patients),
      nps: { ...sv, score: npsOf(sv) },
    };
  }).sort((a, b) => b.netRevenueCents - a.netRevenueCents || a.name.localeCompare(b.name, 'pt-BR'));

  return { rows, totals: totalsOf(rows) };
}

function totalsOf(rows: ProcedureRow[]): ProcedureTotals {
  const sum = (pick: (r: ProcedureRow) => number) => rows.reduce((t, r) => t + pick(r), 0);
  const withoutCost = rows.filter((r) => r.costCents === null).length;
  const net = sum((r) => r.netRevenueCents);
  const nps = {
    sent: sum((r) => r.nps.sent), answered: sum((r) => r.nps.answered), promoters: sum((r) => r.nps.promoters), detractors: sum((r) => r.nps.detractors),
  };
  const margin = withoutCost > 0 ? null : sum((r) => r.marginCents ?? 0);
  const repeatPatients = sum((r) => r.repeatPatients);
  const repeatedPatients = sum((r) => r.repeatedPatients);
  return {
    appointments: {
      total: sum((r) => r.appointments.total), agendado: sum((r) => r.appointments.agendado), confirmado: sum((r) => r.appointments.confirmado),
      realizado: sum((r) => r.appointments.realizado), cancelado: sum((r) => r.appointments.cancelado), no_show: sum((r) => r.appointments.no_show),
    },
    realisedVisits: sum((r) => r.realisedVisits),
    grossRevenueCents: sum((r) => r.grossRevenueCents), refundsCents: sum((r) => r.refundsCents), netRevenueCents: net,
    chargedVisits: sum((r) => r.chargedVisits), chargedCents: sum((r) => r.chargedCents),
    averageChargedCents: averageCents(sum((r) => r.chargedCents), sum((r) => r.chargedVisits)),
    totalCostCents: withoutCost > 0 ? null : sum((r) => r.totalCostCents ?? 0),
    commissionCents: sum((r) => r.commissionCents),
    marginCents: margin, marginShare: marginShare(margin, net),
    repeatPatients, repeatedPatients, repeatRate: share(repeatedPatients, repeatPatients),
    nps: { ...nps, score: npsOf(nps) },
    withoutCost,
  };
}
