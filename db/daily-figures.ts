// The one query path of the clinic's daily figures (domain/kpis.ts): the rollup, the dashboard's live
// day and the demo seed all compute a (clinic, local day) with figuresOf, and store it with storeFigures.
import { sql, type SQL } from 'drizzle-orm';
import { derive } from '../domain/kpis';
import type { DayFigures } from '../domain/metrics';
import type { DbOrTx } from './client';
import { dailyMetrics } from './schema';

export interface ClinicDayFigures extends DayFigures {
  clinicId: string;
}

/** Which (clinic, local day) pairs to compute. */
export type DaySelection =
  /** Every day from `from` to `to` (inclusive, YYYY-MM-DD), for one clinic or all; a missing end is yesterday / today around `asOf`. */
  | { from?: string; to?: string; asOf?: string; clinicId?: string; range: true }
  /** These days of one clinic. */
  | { clinicId: string; days: string[] }
  /**
   * The rollup's default: yesterday and today around `asOf` in each clinic's zone, plus the recent days
   * (last 30) whose cohorts changed since yesterday began: a lead's conversation closed, an appointment
   * changed (status, payment).
   */
  | { asOf: string; clinicId?: string };

function selection(sel: DaySelection): SQL {
  if ('days' in sel) {
    return sql`select ${sel.clinicId}::uuid as clinic_id, d::date as day from unnest(${`{${sel.days.join(',')}}`}::date[]) d`;
  }
  const clinic = sel.clinicId ?? null;
  const clinicFilter = (col: SQL) => sql`(${clinic}::uuid is null or ${col} = ${clinic}::uuid)`;
  const asOf = sql`${sel.asOf ?? new Date(0).toISOString()}::timestamptz`;
  if ('range' in sel) {
    return sql`select c.id as clinic_id, d::date as day from clinics c,
      generate_series(coalesce(${sel.from ?? null}::date, (${asOf} at time zone c.timezone)::date - 1), coalesce(${sel.to ?? null}::date, (${asOf} at time zone c.timezone)::date), interval '1 day') d
      where ${clinicFilter(sql`c.id`)}`;
  }
  const today = sql`(${asOf} at time zone c.timezone)::date`;
  const since = sql`((${today} - 1)::timestamp at time zone c.timezone)`;
  const horizon = sql`((${today} - 30)::timestamp at time zone c.timezone)`;
  return sql`
    select c.id as clinic_id, d::date as day from clinics c, generate_series(${today} - 1, ${today}, interval '1 day') d where ${clinicFilter(sql`c.id`)}
    union
    select cv.clinic_id, (cv.started_at at time zone c.timezone)::date from conversations cv join clinics c on c.id = cv.clinic_id
      where ${clinicFilter(sql`cv.clinic_id`)} and cv.closed_at >= ${since} and cv.closed_at <= ${asOf} and cv.started_at >= ${horizon} and cv.started_at <= ${asOf}
    union
    select a.clinic_id, (a.starts_at at time zone c.timezone)::date from appointments a join clinics c on c.id = a.clinic_id
      where ${clinicFilter(sql`a.clinic_id`)} and a.updated_at >= ${since} and a.updated_at <= ${asOf} and a.starts_at >= ${horizon} and a.starts_at <= ${asOf}`;
}

/** The figures of the selected days, from the source rows. Definitions: domain/kpis.ts KPI_DEFINITIONS. */
export async function figuresOf(db: DbOrTx, sel: DaySelection): Promise<ClinicDayFigures[]> {
  const rows = await db.execute<Record<string, string | number>>(sql`
    with clinic_days as (${selection(sel)}),
    b as (
      select cd.clinic_id, cd.day,
             (cd.day::timestamp at time zone c.timezone) as day_start, ((cd.day + 1)::timestamp at time zone c.timezone) as day_end
      from clinic_days cd join clinics c on c.id = cd.clinic_id
    )
    select b.clinic_id, to_char(b.day, 'YYYY-MM-DD') as day,
      coalesce(pay.gross, 0)::int as gross, (coalesce(rf.recorded, 0) + coalesce(rf.unrecorded, 0))::int as refunds,
      ap.booked::int, ap.completed::int, ap.no_shows::int, ap.cancelled::int, ap.paid_visits::int,
      cv.leads::int, cv.conversions::int, np.new_patients::int
    from b
    -- Money in: an approved payment on the day it was processed (a later refund does not move it).
    left join lateral (
      select sum(p.amount_cents) as gross from payments p
      where p.clinic_id = b.clinic_id and p.status in ('aprovado', 'reembolsado')
        and coalesce(p.processed_at, p.created_at) >= b.day_start and coalesce(p.processed_at, p.created_at) < b.day_end
    ) pay on true
    -- Money out: each refund on its own day; a payment's refunded amount with no refund rows behind it
    -- (imported history) on the payment's refunded_at.
    left join lateral (
      select
        (select sum(r.amount_cents) from payment_refunds r join payments p on p.id = r.payment_id
          where r.clinic_id = b.clinic_id and p.status in ('aprovado', 'reembolsado') and r.created_at >= b.day_start and r.created_at < b.day_end) as recorded,
        (select sum(p.refunded_cents - coalesce((select sum(r.amount_cents) from payment_refunds r where r.payment_id = p.id), 0)) from payments p
          where p.clinic_id = b.clinic_id and p.status in ('aprovado', 'reembolsado') and p.refunded_cents > 0
            and coalesce(p.refunded_at, p.processed_at, p.created_at) >= b.day_start and coalesce(p.refunded_at, p.processed_at, p.created_at) < b.day_end
            and p.refunded_cents > coalesce((select sum(r.amount_cents) from payment_refunds r where r.payment_id = p.id), 0)) as unrecorded
    ) rf on true
    left join lateral (
      select count(*) as booked,
        count(*) filter (where a.status = 'realizado') as completed,
        count(*) filter (where a.status = 'no_show') as no_shows,
        count(*) filter (where a.status = 'cancelado') as cancelled,
        count(*) filter (where a.status = 'realizado' and a.payment_status = 'pago') as paid_visits
      from appointments a where a.clinic_id = b.clinic_id and a.starts_at >= b.day_start and a.starts_at < b.day_end
    ) ap on true
    left join lateral (
      select count(*) filter (where cv.status <> 'spam') as leads, count(*) filter (where cv.status = 'convertida') as conversions
      from conversations cv where cv.clinic_id = b.clinic_id and cv.started_at >= b.day_start and cv.started_at < b.day_end
        and cv.subject = 'lead' -- a conversation the staff opened for a detractor is not a lead
    ) cv on true
    left join lateral (
      select count(*) as new_patients from patients pt where pt.clinic_id = b.clinic_id and pt.created_at >= b.day_start and pt.created_at < b.day_end
    ) np on true
    order by b.clinic_id, b.day`);
  return [...rows].map((r) => ({
    clinicId: String(r.clinic_id),
    day: String(r.day),
    ...derive({
      grossRevenueCents: Number(r.gross), refundsCents: Number(r.refunds), appointments: Number(r.booked), completed: Number(r.completed),
      noShows: Number(r.no_shows), cancelled: Number(r.cancelled), paidVisits: Number(r.paid_visits), leads: Number(r.leads),
      conversions: Number(r.conversions), newPatients: Number(r.new_patients),
    }),
  }));
}

/** Upserts the rows into daily_metrics (idempotent: a day is rewritten whole). */
export async function storeFigures(db: DbOrTx, rows: ClinicDayFigures[], computedAt: Date): Promise<number> {
  for (let i = 0; i < rows.length; i += 500) {
    const batch = rows.slice(i, i + 500).map((r) => ({ ...r, computedAt }));
    await db.insert(dailyMetrics).values(batch).onConflictDoUpdate({
      target: [dailyMetrics.clinicId, dailyMetrics.day],
      set: Object.fromEntries(
        (['revenueCents', 'grossRevenueCents', 'refundsCents', 'appointments', 'noShows', 'cancelled', 'leads', 'conversions', 'newPatients', 'completed', 'paidVisits', 'averageTicketCents', 'computedAt'] as const)
          .map((k) => [k, sql.raw(`excluded.${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`)]),
      ),
    });
  }
  return rows.length;
}

/** Computes and stores the selected days: the daily-metrics rollup. */
export async function rollupFigures(db: DbOrTx, sel: DaySelection, computedAt: Date): Promise<number> {
  return storeFigures(db, await figuresOf(db, sel), computedAt);
}
