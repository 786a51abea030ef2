// Relatórios › Coortes (issue #13): patients by the month of their first realised visit, the share of each
// cohort with a realised visit in month +1…+12 and the cohort's cumulative net revenue per patient,
// optionally split by the first visit's procedure or by the acquisition channel. The arithmetic is
// domain/reports.ts (cohortFigures, pooledCohorts); the SQL is here, and firstVisits() is shared with the
// lifetime report (./lifetime.ts) so "first visit" and "channel" mean the same in both.
import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import {
  COHORT_OFFSETS, MAX_COHORTS, addMonths, cohortFigures, monthsOf, pooledCohorts, type CohortFigures,
} from '../../domain/reports';
import { localDate } from '../../domain/timezone';
import { resolvePeriod, type ResolvedPeriod } from '../catalog/period';
import { ApiError } from '../errors';
import { iso } from './visit-figures';

export const ACQUISITION_CHANNELS = ['anna', 'painel', 'link', 'importacao'] as const;
export type AcquisitionChannel = (typeof ACQUISITION_CHANNELS)[number];
export const CHANNEL_LABELS: Record<AcquisitionChannel, string> = {
  anna: 'Anna (WhatsApp)', painel: 'Painel', link: 'Link público / Google', importacao: 'Importação',
};

export const CHANNEL_DEFINITION =
  'Canal de aquisição, na primeira regra que se aplica: (1) importação — o cadastro veio da importação de pacientes sem coluna de origem (origem "importacao"); ' +
  '(2) Anna — uma conversa de lead no WhatsApp foi convertida em um agendamento da paciente que começa até o primeiro atendimento realizado (o próprio primeiro atendimento ou um anterior que não se realizou), ou o primeiro atendimento foi agendado pelo WhatsApp, ' +
  'ou a origem do cadastro é "whatsapp" ou "anna"; (3) link público / Google — o primeiro atendimento foi agendado pela página pública ou pelo Google; (4) painel — todos os demais (agendados pela equipe).';

export const FIRST_VISIT_DEFINITION =
  'Primeiro atendimento = o agendamento realizado mais antigo da paciente (pacientes excluídos ficam de fora); o mês é o do dia local da clínica.';

const n = (v: unknown) => Number(v ?? 0);

/**
 * Every non-deleted patient's first realised visit up to `now` (a CTE body): patient_id, first_at,
 * procedure_id, channel (ACQUISITION_CHANNELS, in the order of CHANNEL_DEFINITION).
 */
export function firstVisits(clinicId: string, now: Date): SQL {
  return sql`
    select f.patient_id, f.first_at, f.procedure_id,
      case
        when tigre_unaccent(lower(btrim(coalesce(f.patient_source, '')))) = 'importacao' then 'importacao'
        when f.appointment_source = 'whatsapp' or tigre_unaccent(lower(btrim(coalesce(f.patient_source, '')))) in ('whatsapp', 'anna') or exists (
          select 1 from conversations cv join appointments ca on ca.clinic_id = cv.clinic_id and ca.id = cv.converted_appointment_id
          where cv.clinic_id = ${clinicId}::uuid and ca.patient_id = f.patient_id and cv.subject = 'lead' and cv.status = 'convertida'
            and ca.starts_at <= f.first_at
        ) then 'anna'
        when f.appointment_source in ('link', 'google') then 'link'
        else 'painel'
      end as channel
    from (
      select distinct on (a.patient_id) a.patient_id, a.starts_at as first_at, a.procedure_id, a.source::text as appointment_source, pt.source as patient_source
      from appointments a join patients pt on pt.clinic_id = a.clinic_id and pt.id = a.patient_id
      where a.clinic_id = ${clinicId}::uuid and a.status = 'realizado' and a.starts_at <= ${iso(now)} and pt.deleted_at is null
      order by a.patient_id, a.starts_at, a.id
    ) f`;
}

/** Month number (year × 12 + month − 1) of an instant in the clinic's time zone, as domain/reports monthIndex. */
export const monthOf = (col: SQL, tz: string) =>
  sql`(extract(year from (${col} at time zone ${tz}))::int * 12 + extract(month from (${col} at time zone ${tz}))::int - 1)`;

/**
 * Net revenue of the clinic's patients, each movement on the instant it happened (a CTE body: patient_id,
 * at, cents), as domain/kpis.ts defines revenue: an approved payment on the day it was processed (+), each
 * refund on its own day (−), a refunded amount with no refund rows behind it (imported history) on the
 * payment's refunded_at (−). Up to `now`.
 */
export function moneyMovements(clinicId: string, now: Date): SQL {
  const paid = sql`p.clinic_id = ${clinicId}::uuid and p.status in ('aprovado', 'reembolsado')`;
  const recorded = sql`coalesce((select sum(r2.amount_cents) from payment_refunds r2 where r2.payment_id = p.id), 0)`;
  return sql`
    select p.patient_id, coalesce(p.processed_at, p.created_at) as at, p.amount_cents::bigint as cents
      from payments p where ${paid} and coalesce(p.processed_at, p.created_at) <= ${iso(now)}
    union all
    select p.patient_id, r.created_at, -r.amount_cents::bigint
      from payment_refunds r join payments p on p.id = r.payment_id where ${paid} and r.created_at <= ${iso(now)}
    union all
    select p.patient_id, coalesce(p.refunded_at, p.processed_at, p.created_at), -(p.refunded_cents - ${recorded})::bigint
      from payments p where ${paid} and p.refunded_cents > ${recorded} and coalesce(p.refunded_at, p.processed_at, p.created_at) <= ${iso(now)}`;
}

export const COHORT_BY = ['month', 'procedure', 'channel'] as const;
export type CohortBy = (typeof COHORT_BY)[number];

export const COHORT_REPORT_DEFINITIONS = {
  cohort: `Pacientes cujo primeiro atendimento realizado cai no período (from/to), agrupadas pelo mês desse atendimento. ${FIRST_VISIT_DEFINITION}`,
  retention: 'Mês +k: parcela da coorte com ao menos um atendimento realizado no k-ésimo mês de calendário depois do mês do primeiro atendimento (k = 1…12). Vazio (null) quando esse mês ainda não começou; os meses em andamento estão em incompleteOffsets (a parcela ainda pode crescer).',
  revenuePerPatientCents: 'Faturamento líquido acumulado por paciente da coorte até o fim do mês +k (k = 0…12): pagamentos aprovados das pacientes no dia em que o dinheiro entrou, menos os reembolsos no dia em que foram feitos (como o faturamento do painel); o que foi pago antes do mês do primeiro atendimento conta no mês 0.',
  procedure: 'by=procedure: cada coorte dividida pelo procedimento do primeiro atendimento.',
  channel: `by=channel: cada coorte dividida pelo canal de aquisição. ${CHANNEL_DEFINITION}`,
  pooled: 'Todas as coortes juntas: pacientes com atendimento no mês +k ÷ pacientes das coortes que já chegaram ao mês +k (o mesmo para a receita acumulada).',
} as const;

export interface CohortRow extends CohortFigures {
  /** The split (procedure id or channel); null with by=month. */
  segment: string | null;
  segmentLabel: string | null;
}

/** The cohorts' period: the given days, by default the 12 months up to today (from the 1st of the month 11 months ago). */
export async function resolveCohortPeriod(tx: Tx, clinicId: string, q: { from?: string; to?: string }, now: Date): Promise<ResolvedPeriod> {
  let from = q.from;
  if (!from) {
    const { toDay } = await resolvePeriod(tx, clinicId, { to: q.to, from: q.to }, now);
    from = `${addMonths(toDay.slice(0, 7), -(COHORT_OFFSETS - 1))}-01`;
  }
  const p = await resolvePeriod(tx, clinicId, { from, to: q.to }, now);
  if (monthsOf(p.fromDay, p.toDay).length > MAX_COHORTS) {
    const msg = `No máximo ${MAX_COHORTS} coortes: o período pode cobrir até ${MAX_COHORTS} meses.`;
    throw new ApiError(400, 'validation_failed', msg, { from: [msg] });
  }
  return p;
}

export async function cohortReport(tx: Tx, clinicId: string, p: ResolvedPeriod, by: CohortBy, now: Date) {
  const tz = p.timeZone;
  const currentMonth = localDate(now, tz).slice(0, 7);
  const key = by === 'procedure' ? sql`f.procedure_id::text` : by === 'channel' ? sql`f.channel` : sql`null::text`;
  const rows = [...await tx.execute<Record<string, unknown>>(sql`
    with firsts as (${firstVisits(clinicId, now)}),
    cohort as (
      select f.patient_id, f.first_at, ${monthOf(sql`f.first_at`, tz)} as m0, ${key} as segment
      from firsts f
      where f.first_at >= ${iso(p.from)} and f.first_at < ${iso(p.to)}
    ),
    visits as (
      select distinct c.patient_id, c.m0, c.segment, ${monthOf(sql`a.starts_at`, tz)} - c.m0 as k
      from cohort c join appointments a on a.clinic_id = ${clinicId}::uuid and a.patient_id = c.patient_id
      where a.status = 'realizado' and a.starts_at > c.first_at and a.starts_at <= ${iso(now)}
    ),
    money as (${moneyMovements(clinicId, now)})
    select 'size' as kind, c.m0, c.segment, 0 as k, count(*)::bigint as value from cohort c group by 1, 2, 3, 4
    union all
    select 'returned', v.m0, v.segment, v.k, count(*)::bigint from visits v where v.k between 1 and ${COHORT_OFFSETS} group by 1, 2, 3, 4
    union all
    select 'revenue', c.m0, c.segment, o.k, sum(m.cents)::bigint
      from cohort c join money m on m.patient_id = c.patient_id
      cross join lateral (select greatest(0, ${monthOf(sql`m.at`, tz)} - c.m0) as k) o
      where o.k <= ${COHORT_OFFSETS}
      group by 1, 2, 3, 4`)];

  const groups = new Map<string, { m0: number; segment: string | null; size: number; returned: number[]; revenueCents: number[] }>();
  const group = (m0: number, segment: string | null) => {
    const id = `${m0}|${segment ?? ''}`;
    let g = groups.get(id);
    if (!g) groups.set(id, g = { m0, segment, size: 0, returned: new Array<number>(COHORT_OFFSETS).fill(0), revenueCents: new Array<number>(COHORT_OFFSETS + 1).fill(0) });
    return g;
  };
  for (const r of rows) {
    const g = group(n(r.m0), r.segment == null ? null : String(r.segment));
    if (r.kind === 'size') g.size = n(r.value);
    else if (r.kind === 'returned') g.returned[n(r.k) - 1] = n(r.value);
    else g.revenueCents[n(r.k)] = n(r.value);
  }

  const labels = by === 'procedure' ? await procedureNames(tx, clinicId, [...groups.values()].map((g) => g.segment)) : null;
  const labelOf = (segment: string | null) => (segment === null ? null : by === 'channel' ? CHANNEL_LABELS[segment as AcquisitionChannel] ?? segment : labels?.get(segment) ?? segment);
  const out: CohortRow[] = [...groups.values()]
    .filter((g) => g.size > 0)
    .map((g) => ({ segment: g.segment, segmentLabel: labelOf(g.segment), ...cohortFigures({ month: addMonths('0000-01', g.m0), size: g.size, returned: g.returned, revenueCents: g.revenueCents }, currentMonth) }))
    .sort((a, b) => a.month.localeCompare(b.month) || b.size - a.size || (a.segmentLabel ?? '').localeCompare(b.segmentLabel ?? '', 'pt-BR'));

  const segments = by === 'month' ? [] : [...new Set(out.map((r) => r.segment))].map((segment) => ({
    segment, segmentLabel: labelOf(segment), ...pooledCohorts(out.filter((r) => r.segment === segment)),
  })).sort((a, b) => b.size - a.size || (a.segmentLabel ?? '').localeCompare(b.segmentLabel ?? '', 'pt-BR'));

  return { currentMonth, offsets: COHORT_OFFSETS, rows: out, segments, pooled: pooledCohorts(out) };
}

async function procedureNames(tx: Tx, clinicId: string, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => x !== null))];
  if (!wanted.length) return new Map();
  const rows = await tx.execute<{ id: string; name: string }>(sql`
    select id::text as id, name from procedures where clinic_id = ${clinicId}::uuid and id::text in (${sql.join(wanted.map((w) => sql`${w}`), sql`, `)})`);
  return new Map([...rows].map((r) => [r.id, r.name]));
}
