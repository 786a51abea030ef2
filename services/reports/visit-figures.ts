// The SQL shared by the procedures and professionals reports: a period's figures of the appointments
// matching the filters, grouped by the appointment's procedure or professional. Every figure follows the
// dashboard's definitions (domain/kpis.ts, db/daily-figures.ts): appointments by the local day they start,
// money (payments, refunds, commission entries) on the day it moved, NPS by the day the survey was sent.
import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { appointmentSource } from '../../db/schema';
import type { NpsCounts } from '../../domain/reports';

export const CHANNELS = appointmentSource.enumValues;
export type Channel = (typeof CHANNELS)[number];

export interface ReportFilters {
  professionalId?: string;
  procedureId?: string;
  /** Where the booking came from (appointments.source). */
  channel?: Channel;
}

export interface ReportPeriod {
  from: Date;
  to: Date;
}

export type GroupBy = 'procedure' | 'professional';
const KEY: Record<GroupBy, SQL> = { procedure: sql.raw('a.procedure_id'), professional: sql.raw('a.professional_id') };

/** The appointment (alias a) is this clinic's and matches the filters. */
export function visitMatches(clinicId: string, f: ReportFilters): SQL {
  const parts: SQL[] = [sql`a.clinic_id = ${clinicId}::uuid`];
  if (f.professionalId) parts.push(sql`a.professional_id = ${f.professionalId}::uuid`);
  if (f.procedureId) parts.push(sql`a.procedure_id = ${f.procedureId}::uuid`);
  if (f.channel) parts.push(sql`a.source = ${f.channel}::appointment_source`);
  return sql.join(parts, sql` and `);
}

export const iso = (d: Date) => sql`${d.toISOString()}::timestamptz`;
export const within = (col: SQL, p: ReportPeriod) => sql`${col} >= ${iso(p.from)} and ${col} < ${iso(p.to)}`;
const n = (v: unknown) => Number(v ?? 0);

async function grouped<T>(tx: Tx, query: SQL, map: (r: Record<string, unknown>) => T): Promise<Map<string, T>> {
  const rows = await tx.execute<Record<string, unknown>>(query);
  return new Map([...rows].map((r) => [String(r.key), map(r)]));
}

export interface StatusFigures {
  /** Every appointment starting in the period, whatever became of it. */
  booked: number;
  agendado: number;
  confirmado: number;
  realizado: number;
  cancelado: number;
  no_show: number;
  /** Realised and paid (appointment payment status "pago"): the ticket's denominator. */
  paidVisits: number;
}

/** Appointments starting in the period, by status. */
export function statusFigures(tx: Tx, clinicId: string, p: ReportPeriod, f: ReportFilters, by: GroupBy) {
  return grouped<StatusFigures>(tx, sql`
    select ${KEY[by]} as key, count(*) as booked,
      count(*) filter (where a.status = 'agendado') as agendado, count(*) filter (where a.status = 'confirmado') as confirmado,
      count(*) filter (where a.status = 'realizado') as realizado, count(*) filter (where a.status = 'cancelado') as cancelado,
      count(*) filter (where a.status = 'no_show') as no_show,
      count(*) filter (where a.status = 'realizado' and a.payment_status = 'pago') as paid_visits
    from appointments a where ${visitMatches(clinicId, f)} and ${within(sql`a.starts_at`, p)}
    group by 1`, (r) => ({
    booked: n(r.booked), agendado: n(r.agendado), confirmado: n(r.confirmado), realizado: n(r.realizado), cancelado: n(r.cancelado),
    no_show: n(r.no_show), paidVisits: n(r.paid_visits),
  }));
}

export interface MoneyFigures {
  grossRevenueCents: number;
  refundsCents: number;
}

/**
 * Money of the matching appointments' payments on the day it moved, as db/daily-figures.ts: an approved
 * payment on the day it was processed; each refund on its own day; a refunded amount with no refund rows
 * behind it (imported history) on the payment's refunded_at. Whatever the appointment's own date.
 */
export function moneyFigures(tx: Tx, clinicId: string, p: ReportPeriod, f: ReportFilters, by: GroupBy) {
  const paid = sql`p.clinic_id = ${clinicId}::uuid and p.status in ('aprovado', 'reembolsado')`;
  const recorded = sql`coalesce((select sum(r2.amount_cents) from payment_refunds r2 where r2.payment_id = p.id), 0)`;
  return grouped<MoneyFigures>(tx, sql`
    select key, coalesce(sum(gross), 0) as gross, coalesce(sum(refunds), 0) as refunds from (
      select ${KEY[by]} as key, p.amount_cents as gross, 0 as refunds
        from payments p join appointments a on a.id = p.appointment_id
        where ${paid} and ${visitMatches(clinicId, f)} and ${within(sql`coalesce(p.processed_at, p.created_at)`, p)}
      union all
      select ${KEY[by]}, 0, r.amount_cents
        from payment_refunds r join payments p on p.id = r.payment_id join appointments a on a.id = p.appointment_id
        where ${paid} and ${visitMatches(clinicId, f)} and ${within(sql`r.created_at`, p)}
      union all
      select ${KEY[by]}, 0, p.refunded_cents - ${recorded}
        from payments p join appointments a on a.id = p.appointment_id
        where ${paid} and ${visitMatches(clinicId, f)} and p.refunded_cents > ${recorded}
          and ${within(sql`coalesce(p.refunded_at, p.processed_at, p.created_at)`, p)}
    ) m group by 1`, (r) => ({ grossRevenueCents: n(r.gross), refundsCents: n(r.refunds) }));
}

/** Commission entries of the matching appointments' payments created in the period: earned (+) and reversed by refunds (−). */
export function commissionFigures(tx: Tx, clinicId: string, p: ReportPeriod, f: ReportFilters, by: GroupBy) {
  return grouped<number>(tx, sql`
    select ${KEY[by]} as key, coalesce(sum(ce.amount_cents), 0) as cents
    from commission_entries ce join payments p on p.id = ce.payment_id join appointments a on a.id = p.appointment_id
    where ce.clinic_id = ${clinicId}::uuid and ${visitMatches(clinicId, f)} and ${within(sql`ce.created_at`, p)}
    group by 1`, (r) => n(r.cents));
}

export interface ChargedFigures {
  /** Realised visits of the period with at least one approved payment. */
  visits: number;
  /** What those visits were charged: their approved payments minus what was refunded of them (any day). */
  cents: number;
}

/** What the period's realised visits were actually charged (for the average price vs the list price). */
export function chargedFigures(tx: Tx, clinicId: string, p: ReportPeriod, f: ReportFilters, by: GroupBy) {
  return grouped<ChargedFigures>(tx, sql`
    select ${KEY[by]} as key, count(*) as visits, coalesce(sum(pp.net), 0) as cents
    from appointments a
    join lateral (
      select sum(p.amount_cents - p.refunded_cents) as net from payments p
      where p.appointment_id = a.id and p.status in ('aprovado', 'reembolsado')
    ) pp on pp.net is not null
    where ${visitMatches(clinicId, f)} and a.status = 'realizado' and ${within(sql`a.starts_at`, p)}
    group by 1`, (r) => ({ visits: n(r.visits), cents: n(r.cents) }));
}

export interface SurveyFigures extends NpsCounts {
  sent: number;
}

/** NPS surveys of the matching appointments sent in the period; answers in time only (late ones never count). */
export function surveyFigures(tx: Tx, clinicId: string, p: ReportPeriod, f: ReportFilters, by: GroupBy) {
  const inTime = sql`s.score is not null and not s.late_answer`;
  return grouped<SurveyFigures>(tx, sql`
    select ${KEY[by]} as key, count(*) as sent, count(*) filter (where ${inTime}) as answered,
      count(*) filter (where ${inTime} and s.score >= 9) as promoters, count(*) filter (where ${inTime} and s.score <= 6) as detractors
    from nps_surveys s join appointments a on a.id = s.appointment_id
    where s.clinic_id = ${clinicId}::uuid and s.sent_at is not null and ${visitMatches(clinicId, f)} and ${within(sql`s.sent_at`, p)}
    group by 1`, (r) => ({ sent: n(r.sent), answered: n(r.answered), promoters: n(r.promoters), detractors: n(r.detractors) }));
}

export interface RepeatFigures {
  /** (patient, procedure) pairs with a realised visit in the period. */
  patients: number;
  /** Of those, the ones with another realised visit of the same procedure before the period ends (earlier, or again within). */
  repeated: number;
}

/**
 * Repeat rate's counts, per procedure: the period's patients of a procedure (a realised visit matching the
 * filters) and those who did it at least twice up to the period's end. The other visit may be with any
 * professional and from any channel: the filters choose the cohort, not the history.
 */
export function repeatFigures(tx: Tx, clinicId: string, p: ReportPeriod, f: ReportFilters) {
  return grouped<RepeatFigures>(tx, sql`
    with cohort as (
      select distinct a.patient_id, a.procedure_id from appointments a
      where ${visitMatches(clinicId, f)} and a.status = 'realizado' and ${within(sql`a.starts_at`, p)}
    )
    select c.procedure_id as key, count(*) as patients,
      count(*) filter (where (
        select count(*) from appointments b
        where b.clinic_id = ${clinicId}::uuid and b.patient_id = c.patient_id and b.procedure_id = c.procedure_id
          and b.status = 'realizado' and b.starts_at < ${iso(p.to)}
      ) >= 2) as repeated
    from cohort c group by 1`, (r) => ({ patients: n(r.patients), repeated: n(r.repeated) }));
}
