// Relatórios › Valor do paciente (issue #13): observed lifetime value by segment (classification,
// acquisition channel or first procedure): net revenue per patient to date, patients, average visits and
// tenure; and, from patient_scores (services/reactivation/scoring.ts), the predicted 12-month CLV (mean
// and median) and the P(alive) distribution in ten bins. CLV ÷ acquisition cost stays null: the schema
// records no acquisition cost. "First visit" and "channel" are the cohorts' (./cohorts.ts firstVisits).
import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { ALIVE_BINS, averageCents, clvToCost, probabilityHistogram, type HistogramBin } from '../../domain/reports';
import type { ResolvedPeriod } from '../catalog/period';
import { CHANNEL_DEFINITION, CHANNEL_LABELS, FIRST_VISIT_DEFINITION, firstVisits, moneyMovements, type AcquisitionChannel } from './cohorts';
import { iso } from './visit-figures';

export const LIFETIME_SEGMENTS = ['classification', 'channel', 'first_procedure'] as const;
export type LifetimeSegment = (typeof LIFETIME_SEGMENTS)[number];

const CLASSIFICATION_LABELS: Record<string, string> = { ouro: 'Ouro', prata: 'Prata', bronze: 'Bronze', novo: 'Novo' };

export const LIFETIME_REPORT_DEFINITIONS = {
  patients: `Pacientes (não excluídas) com ao menos um atendimento realizado até hoje. ${FIRST_VISIT_DEFINITION}`,
  segment: `classification: a classificação atual da paciente (ouro, prata, bronze, novo); first_procedure: o procedimento do primeiro atendimento; channel: ${CHANNEL_DEFINITION}`,
  observedClvCents: 'CLV observado: faturamento líquido das pacientes do segmento até hoje (pagamentos aprovados menos reembolsos, como o faturamento do painel) ÷ pacientes.',
  averageVisits: 'Atendimentos realizados até hoje ÷ pacientes.',
  averageTenureDays: 'Dias desde o primeiro atendimento até hoje (dias locais da clínica), em média.',
  predicted: 'Do modelo de reativação (patient_scores, recalculado pela varredura diária): CLV previsto para os próximos 12 meses, média e mediana das pacientes do segmento que têm pontuação; "scored" diz quantas são.',
  pAlive: 'Distribuição da probabilidade de a paciente ainda estar ativa (P(alive), BG/NBD) em 10 faixas de 0,1: [0; 0,1), [0,1; 0,2) … [0,9; 1].',
  acquisitionCostCents: 'Custo de aquisição: o sistema não registra custo de aquisição por paciente ou canal (anúncios, campanhas, indicações); por isso o custo e a relação CLV ÷ custo ficam vazios (null).',
} as const;

export interface LifetimeFigures {
  patients: number;
  netRevenueCents: number;
  observedClvCents: number | null;
  averageVisits: number | null;
  averageTenureDays: number | null;
  predicted: { scored: number; meanClvCents: number | null; medianClvCents: number | null };
  pAlive: HistogramBin[];
  acquisitionCostCents: null;
  clvToAcquisitionCost: number | null;
}

export interface LifetimeRow extends LifetimeFigures {
  segment: string;
  segmentLabel: string;
}

const n = (v: unknown) => Number(v ?? 0);
const round = (v: number, places: number) => Math.round(v * 10 ** places) / 10 ** places;

export async function lifetimeReport(tx: Tx, clinicId: string, p: Pick<ResolvedPeriod, 'timeZone'>, segment: LifetimeSegment, now: Date) {
  const tz = p.timeZone;
  const key: SQL = segment === 'classification' ? sql`pt.classification::text` : segment === 'channel' ? sql`f.channel` : sql`f.procedure_id::text`;
  // Bin of P(alive) as domain/reports probabilityBin: floor(p × 10), 1 in the last bin.
  const bin = sql`least(floor(s.p_alive * ${ALIVE_BINS} + 1e-9)::int, ${ALIVE_BINS - 1})`;
  const bins = sql.join(Array.from({ length: ALIVE_BINS }, (_, i) => sql`count(s.patient_id) filter (where ${bin} = ${i})`), sql`, `);
  const rows = [...await tx.execute<Record<string, unknown>>(sql`
    with firsts as (${firstVisits(clinicId, now)}),
    money as (${moneyMovements(clinicId, now)}),
    net as (select patient_id, sum(cents)::bigint as cents from money group by 1),
    visits as (
      select a.patient_id, count(*)::bigint as visits from appointments a
      where a.clinic_id = ${clinicId}::uuid and a.status = 'realizado' and a.starts_at <= ${iso(now)} group by 1
    ),
    customers as (
      select f.patient_id, ${key} as segment, coalesce(m.cents, 0) as net, coalesce(v.visits, 0) as visits,
        ((${iso(now)} at time zone ${tz})::date - (f.first_at at time zone ${tz})::date) as tenure
      from firsts f join patients pt on pt.clinic_id = ${clinicId}::uuid and pt.id = f.patient_id
      left join net m on m.patient_id = f.patient_id
      left join visits v on v.patient_id = f.patient_id
    )
    select c.segment, grouping(c.segment) as total, count(*) as patients, sum(c.net) as net, sum(c.visits) as visits, sum(c.tenure) as tenure,
      count(s.patient_id) as scored, sum(s.clv_cents) as clv_sum,
      percentile_cont(0.5) within group (order by s.clv_cents) as clv_median,
      array[${bins}] as bins
    from customers c left join patient_scores s on s.clinic_id = ${clinicId}::uuid and s.patient_id = c.patient_id
    group by grouping sets ((c.segment), ())`)];

  const latest = await tx.execute<{ at: string | Date | null }>(sql`select max(scored_at) as at from patient_scores where clinic_id = ${clinicId}::uuid`);
  const scoredAt = [...latest][0]?.at ?? null;

  const figures = (r: Record<string, unknown> | undefined): LifetimeFigures => {
    const patients = n(r?.patients);
    const netCents = n(r?.net);
    const scored = n(r?.scored);
    const observed = averageCents(netCents, patients);
    return {
      patients, netRevenueCents: netCents, observedClvCents: observed,
      averageVisits: patients ? round(n(r?.visits) / patients, 2) : null,
      averageTenureDays: patients ? round(n(r?.tenure) / patients, 1) : null,
      predicted: {
        scored, meanClvCents: averageCents(n(r?.clv_sum), scored),
        medianClvCents: scored && r?.clv_median != null ? Math.round(n(r.clv_median)) : null,
      },
      pAlive: probabilityHistogram(((r?.bins as unknown[] | undefined) ?? []).map(n)),
      acquisitionCostCents: null,
      clvToAcquisitionCost: clvToCost(observed, null),
    };
  };

  const segmentRows = rows.filter((r) => !n(r.total));
  const names = segment === 'first_procedure' && segmentRows.length
    ? new Map([...await tx.execute<{ id: string; name: string }>(sql`
        select id::text as id, name from procedures where clinic_id = ${clinicId}::uuid and id::text in (${sql.join(segmentRows.map((r) => sql`${String(r.segment)}`), sql`, `)})`)]
      .map((x) => [x.id, x.name]))
    : new Map<string, string>();
  const labelOf = (s: string) => (segment === 'classification' ? CLASSIFICATION_LABELS[s] ?? s : segment === 'channel' ? CHANNEL_LABELS[s as AcquisitionChannel] ?? s : names.get(s) ?? s);
  const out: LifetimeRow[] = segmentRows
    .map((r) => ({ segment: String(r.segment), segmentLabel: labelOf(String(r.segment)), ...figures(r) }))
    .sort((a, b) => (b.observedClvCents ?? 0) - (a.observedClvCents ?? 0) || a.segmentLabel.localeCompare(b.segmentLabel, 'pt-BR'));
  return {
    scoredAt: scoredAt === null ? null : new Date(scoredAt).toISOString(),
    rows: out,
    totals: figures(rows.find((r) => n(r.total))),
  };
}
