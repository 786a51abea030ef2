// Daily metrics rollup: one idempotent upsert per clinic and local day into daily_metrics.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';

export interface RollupInput {
  /** Local calendar days (clinic time zone), inclusive, YYYY-MM-DD. When absent: yesterday and today around `asOf`. */
  from?: string;
  to?: string;
  /** Instant that defines "today" in each clinic's zone (ISO). */
  asOf: string;
  clinicId?: string;
}

export interface RollupResult {
  rows: number;
}

/**
 * Definitions, per clinic and local day (the clinic's time zone):
 * revenue = approved payments processed that day; average ticket = revenue / completed appointments
 * (domain/metrics averageTicket);
 * appointments = appointments starting that day that were not cancelled; completed = realizado;
 * no-shows = no_show; conversions = conversations converted (closed) that day;
 * new patients = patients created that day.
 */
export function createMetricsActivities(deps: { db: Db }) {
  return {
    async rollupDailyMetrics(input: RollupInput): Promise<RollupResult> {
      const result = await deps.db.execute(sql`
        with clinic_days as (
          select c.id as clinic_id, c.timezone as tz, d::date as day
          from clinics c,
          lateral generate_series(
            coalesce(${input.from ?? null}::date, (${input.asOf}::timestamptz at time zone c.timezone)::date - 1),
            coalesce(${input.to ?? null}::date, (${input.asOf}::timestamptz at time zone c.timezone)::date),
            interval '1 day') d
          where ${input.clinicId ?? null}::uuid is null or c.id = ${input.clinicId ?? null}::uuid
        ),
        bounds as (
          select clinic_id, day,
                 (day::timestamp at time zone tz) as day_start,
                 ((day + 1)::timestamp at time zone tz) as day_end
          from clinic_days
        ),
        figures as (
          select b.clinic_id, b.day,
            (select coalesce(sum(p.amount_cents), 0) from payments p
               where p.clinic_id = b.clinic_id and p.status = 'aprovado'
                 and coalesce(p.processed_at, p.created_at) >= b.day_start and coalesce(p.processed_at, p.created_at) < b.day_end) as revenue,
            (select count(*) filter (where a.status <> 'cancelado') from appointments a
               where a.clinic_id = b.clinic_id and a.starts_at >= b.day_start and a.starts_at < b.day_end) as appts,
            (select count(*) filter (where a.status = 'realizado') from appointments a
               where a.clinic_id = b.clinic_id and a.starts_at >= b.day_start and a.starts_at < b.day_end) as completed,
            (select count(*) filter (where a.status = 'no_show') from appointments a
               where a.clinic_id = b.clinic_id and a.starts_at >= b.day_start and a.starts_at < b.day_end) as no_shows,
            (select count(*) from conversations cv
               where cv.clinic_id = b.clinic_id and cv.status = 'convertida'
                 and coalesce(cv.closed_at, cv.last_message_at) >= b.day_start and coalesce(cv.closed_at, cv.last_message_at) < b.day_end) as conversions,
            (select count(*) from patients pt
               where pt.clinic_id = b.clinic_id and pt.created_at >= b.day_start and pt.created_at < b.day_end) as new_patients
          from bounds b
        )
        insert into daily_metrics as m (clinic_id, day, revenue_cents, appointments, no_shows, conversions, new_patients, completed, average_ticket_cents, computed_at)
        select clinic_id, day, revenue, appts, no_shows, conversions, new_patients, completed,
               case when completed > 0 then round(revenue::numeric / completed)::int else 0 end, now()
        from figures
        on conflict (clinic_id, day) do update set
          revenue_cents = excluded.revenue_cents, appointments = excluded.appointments, no_shows = excluded.no_shows,
          conversions = excluded.conversions, new_patients = excluded.new_patients, completed = excluded.completed,
          average_ticket_cents = excluded.average_ticket_cents, computed_at = excluded.computed_at
      `);
      return { rows: result.count ?? 0 };
    },
  };
}
