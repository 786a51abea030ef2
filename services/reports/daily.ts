// A clinic's daily figures (domain/kpis.ts) over local days: the rolled-up rows of the past days
// (daily_metrics, kept by the daily-metrics Schedule) and, for today and any day not rolled up yet, the
// rollup's own query live (db/daily-figures.ts figuresOf). The dashboard and every report read this.
import { and, asc, between, eq, lt, max, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { figuresOf } from '../../db/daily-figures';
import { dailyMetrics } from '../../db/schema';
import type { DayFigures } from '../../domain/metrics';
import { addLocalDays } from '../../domain/timezone';

const FIGURE_COLUMNS = {
  day: dailyMetrics.day, revenueCents: dailyMetrics.revenueCents, grossRevenueCents: dailyMetrics.grossRevenueCents, refundsCents: dailyMetrics.refundsCents,
  appointments: dailyMetrics.appointments, completed: dailyMetrics.completed, noShows: dailyMetrics.noShows, cancelled: dailyMetrics.cancelled,
  paidVisits: dailyMetrics.paidVisits, leads: dailyMetrics.leads, conversions: dailyMetrics.conversions, newPatients: dailyMetrics.newPatients,
  averageTicketCents: dailyMetrics.averageTicketCents,
};

export interface DailyFigures {
  /** One row per day that has begun (days after `today` have no figures yet), ascending. */
  rows: DayFigures[];
  /** The days computed live (today and those not rolled up yet). */
  live: string[];
  /** When the last rolled-up day of the range was computed. */
  computedAt: Date | null;
}

/** The local day of the clinic's first appointment, payment, conversation or patient (null: none yet); from indexed minima. */
async function firstActivityDay(tx: Tx, clinicId: string): Promise<string | null> {
  const [r] = (await tx.execute(sql`
    select to_char(least(
      (select min(starts_at) from appointments where clinic_id = ${clinicId}::uuid),
      (select min(created_at) from payments where clinic_id = ${clinicId}::uuid),
      (select min(started_at) from conversations where clinic_id = ${clinicId}::uuid),
      (select min(created_at) from patients where clinic_id = ${clinicId}::uuid)
    ) at time zone (select timezone from clinics where id = ${clinicId}::uuid), 'YYYY-MM-DD') as day`)) as unknown as { day: string | null }[];
  return r?.day ?? null;
}

export async function dailyFigures(tx: Tx, clinicId: string, from: string, to: string, today: string): Promise<DailyFigures> {
  const rolled = await tx.select(FIGURE_COLUMNS).from(dailyMetrics)
    .where(and(eq(dailyMetrics.clinicId, clinicId), between(dailyMetrics.day, from, to), lt(dailyMetrics.day, today)))
    .orderBy(asc(dailyMetrics.day));
  // Today moves until it ends; a past day without a row has not been rolled up yet: both live. Days
  // before the clinic's first activity have nothing to count: zero, without asking (a year-ago comparison
  // of a clinic that is months old would otherwise compute every empty day).
  const have = new Set(rolled.map((r) => r.day));
  const first = have.size === 0 || rolled[0]!.day > from ? await firstActivityDay(tx, clinicId) : from;
  const live: string[] = [];
  for (let d = from; d <= to && d <= today; d = addLocalDays(d, 1)) if (d === today || (!have.has(d) && first !== null && d >= first)) live.push(d);
  const fresh = live.length ? await figuresOf(tx, { clinicId, days: live }) : [];
  const rows: DayFigures[] = [...rolled, ...fresh.map(({ clinicId: _c, ...f }) => f)].sort((a, b) => a.day.localeCompare(b.day));
  const [{ computedAt }] = await tx.select({ computedAt: max(dailyMetrics.computedAt) }).from(dailyMetrics)
    .where(and(eq(dailyMetrics.clinicId, clinicId), between(dailyMetrics.day, from, to), lt(dailyMetrics.day, today)));
  return { rows, live, computedAt: computedAt ? new Date(computedAt) : null };
}
