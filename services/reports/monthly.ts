// The monthly report (the brief's getMensal): a month's figures (domain/kpis.ts, from the daily rollup and
// the live days: services/reports/daily.ts) beside the previous month and the same month last year; the
// appointments by status, new vs returning patients, the NPS, Anna's leads and conversions, the
// reminders per channel and the top procedures. The month in progress is compared day for day: its
// first N days against the first N days of the other two months (`throughDay`).
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { conversionRate, noShowRate, share, sumFigures, type Figures } from '../../domain/kpis';
import { fillSeries, type DayFigures } from '../../domain/metrics';
import { npsScore } from '../../domain/nps';
import { addMonths } from '../../domain/reports';
import { localDate, localDayBounds } from '../../domain/timezone';
import { ApiError } from '../errors';
import { clinicScheduling } from '../catalog/settings';
import { dailyFigures } from './daily';
import { reminderReport, type ReminderChannelReport } from './reminders';

export interface MonthSpan {
  month: string;
  from: string;
  to: string;
}

export interface MonthFigures extends MonthSpan {
  figures: Figures;
  rates: { noShow: number | null; conversion: number | null };
  byStatus: { agendado: number; confirmado: number; realizado: number; cancelado: number; no_show: number };
  patients: { firstVisit: number; returning: number };
  nps: { sent: number; answered: number; promoters: number; neutrals: number; detractors: number; score: number | null; responseRate: number | null };
  reminders: ReminderChannelReport[];
  topProcedures: { id: string; name: string; visits: number; revenueCents: number }[];
}

export interface MonthlyReport {
  month: string;
  /** The last day counted in every month (the month in progress: today's day of the month). */
  throughDay: number;
  complete: boolean;
  timeZone: string;
  clinic: { name: string; cnpj: string | null };
  current: MonthFigures;
  previous: MonthFigures;
  lastYear: MonthFigures;
  /** The current month's days, for the chart. */
  series: DayFigures[];
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const pad = (n: number) => String(n).padStart(2, '0');
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Days 1…min(through, month length) of a month. */
export function monthSpan(month: string, through: number): MonthSpan {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { month, from: `${month}-01`, to: `${month}-${pad(Math.min(through, daysIn(y, m)))}` };
}

export function parseMonth(raw: string, today: string): string {
  if (!MONTH.test(raw)) throw new ApiError(400, 'validation_failed', 'Mês inválido: use AAAA-MM (ex.: 2026-11).', { month: ['Use AAAA-MM.'] });
  if (raw > today.slice(0, 7)) throw new ApiError(400, 'validation_failed', 'Esse mês ainda não começou.', { month: ['Mês futuro.'] });
  if (raw < '2000-01') throw new ApiError(400, 'validation_failed', 'Mês anterior a 2000: não há dados.', { month: ['Mês muito antigo.'] });
  return raw;
}

/** A span's figures, and its days (the current month's chart). */
async function monthFigures(tx: Tx, clinicId: string, span: MonthSpan, today: string, tz: string): Promise<MonthFigures & { days: DayFigures[] }> {
  const { rows } = await dailyFigures(tx, clinicId, span.from, span.to, today);
  const figures = sumFigures(rows);
  const start = localDayBounds(span.from, tz).start.toISOString();
  const end = localDayBounds(span.to, tz).end.toISOString();
  const [status] = (await tx.execute(sql`
    select count(*) filter (where status = 'agendado')::int as agendado, count(*) filter (where status = 'confirmado')::int as confirmado,
           count(*) filter (where status = 'realizado')::int as realizado, count(*) filter (where status = 'cancelado')::int as cancelado,
           count(*) filter (where status = 'no_show')::int as no_show
    from appointments where clinic_id = ${clinicId}::uuid and starts_at >= ${start}::timestamptz and starts_at < ${end}::timestamptz`)) as unknown as MonthFigures['byStatus'][];
  // First visit: the patient's first realised visit ever is in the span; returning: realised in the span after an earlier one.
  const [patients] = (await tx.execute(sql`
    with visited as (
      select distinct a.patient_id from appointments a
      where a.clinic_id = ${clinicId}::uuid and a.status = 'realizado' and a.starts_at >= ${start}::timestamptz and a.starts_at < ${end}::timestamptz
    ), seen as (
      select exists (select 1 from appointments b where b.clinic_id = ${clinicId}::uuid and b.patient_id = v.patient_id
                       and b.starts_at < ${start}::timestamptz and b.status = 'realizado') as before
      from visited v
    )
    select count(*) filter (where not before)::int as "firstVisit", count(*) filter (where before)::int as returning from seen`)) as unknown as MonthFigures['patients'][];
  const scores = (await tx.execute(sql`
    select score, late_answer as late from nps_surveys
    where clinic_id = ${clinicId}::uuid and sent_at >= ${start}::timestamptz and sent_at < ${end}::timestamptz`)) as unknown as { score: number | null; late: boolean }[];
  const answered = scores.filter((s) => s.score !== null && !s.late).map((s) => s.score!);
  const top = (await tx.execute(sql`
    with pay as (
      select a.procedure_id, p.amount_cents as cents from payments p join appointments a on a.id = p.appointment_id and a.clinic_id = p.clinic_id
      where p.clinic_id = ${clinicId}::uuid and p.status in ('aprovado', 'reembolsado') and coalesce(p.processed_at, p.created_at) >= ${start}::timestamptz and coalesce(p.processed_at, p.created_at) < ${end}::timestamptz
      union all
      select a.procedure_id, -r.amount_cents from payment_refunds r join payments p on p.id = r.payment_id join appointments a on a.id = p.appointment_id and a.clinic_id = p.clinic_id
      where r.clinic_id = ${clinicId}::uuid and r.created_at >= ${start}::timestamptz and r.created_at < ${end}::timestamptz
    ), visits as (
      select procedure_id, count(*)::int as visits from appointments
      where clinic_id = ${clinicId}::uuid and status = 'realizado' and starts_at >= ${start}::timestamptz and starts_at < ${end}::timestamptz
      group by procedure_id
    ), money as (select procedure_id, sum(cents)::bigint as cents from pay group by procedure_id)
    select pr.id, pr.name, coalesce(v.visits, 0)::int as visits, coalesce(m.cents, 0)::bigint as "revenueCents"
    from procedures pr left join visits v on v.procedure_id = pr.id left join money m on m.procedure_id = pr.id
    where pr.clinic_id = ${clinicId}::uuid and (v.visits is not null or m.cents is not null)
    order by coalesce(m.cents, 0) desc, coalesce(v.visits, 0) desc, pr.name limit 5`)) as unknown as { id: string; name: string; visits: number; revenueCents: string | number }[];
  const promoters = answered.filter((s) => s >= 9).length;
  const detractors = answered.filter((s) => s <= 6).length;
  return {
    ...span, figures, days: rows,
    rates: { noShow: noShowRate(figures), conversion: conversionRate(figures) },
    byStatus: status ?? { agendado: 0, confirmado: 0, realizado: 0, cancelado: 0, no_show: 0 },
    patients: patients ?? { firstVisit: 0, returning: 0 },
    nps: {
      sent: scores.length, answered: answered.length, promoters, neutrals: answered.length - promoters - detractors, detractors,
      score: npsScore(answered), responseRate: share(answered.length, scores.length),
    },
    reminders: await reminderReport(tx, clinicId, span.from, span.to, tz),
    topProcedures: top.map((t) => ({ id: t.id, name: t.name, visits: Number(t.visits), revenueCents: Number(t.revenueCents) })),
  };
}

export async function monthlyReport(tx: Tx, clinicId: string, monthParam: string | undefined, now: Date): Promise<MonthlyReport> {
  const s = await clinicScheduling(tx, clinicId);
  const tz = s?.timezone ?? 'America/Sao_Paulo';
  const today = localDate(now, tz);
  const month = monthParam ? parseMonth(monthParam, today) : today.slice(0, 7);
  const inProgress = month === today.slice(0, 7);
  const throughDay = inProgress ? Number(today.slice(8, 10)) : 31;
  const [clinic] = (await tx.execute(sql`select name, cnpj from clinics where id = ${clinicId}::uuid`)) as unknown as { name: string; cnpj: string | null }[];
  const [current, previous, lastYear] = [
    await monthFigures(tx, clinicId, monthSpan(month, throughDay), today, tz),
    await monthFigures(tx, clinicId, monthSpan(addMonths(month, -1), throughDay), today, tz),
    await monthFigures(tx, clinicId, monthSpan(addMonths(month, -12), throughDay), today, tz),
  ];
  const strip = ({ days: _d, ...m }: MonthFigures & { days: DayFigures[] }): MonthFigures => m;
  return {
    month, throughDay: Number(current.to.slice(8, 10)), complete: !inProgress, timeZone: tz, clinic: clinic ?? { name: '', cnpj: null },
    current: strip(current), previous: strip(previous), lastYear: strip(lastYear),
    series: fillSeries(current.days, current.from, current.to),
  };
}
