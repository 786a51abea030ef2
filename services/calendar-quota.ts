// The Google Calendar request budget of each clinic (providers/calendar's QuotaCounter), kept in google_quota.
import { sql, type SQL } from 'drizzle-orm';
import { CalendarQuotaExceeded } from '../providers/calendar/types';
import { DEFAULT_DAILY_LIMIT, quotaDay, type QuotaCounter } from '../providers/calendar/rate-limit';

/** Anything that runs a drizzle `sql` query and returns rows (the Db or a transaction). */
export interface SqlRunner {
  execute(query: SQL): Promise<unknown>;
}

/**
 * The budget in google_quota, one row per clinic and day, incremented atomically: two workers racing
 * for the last unit cannot both get it. Run on the owner connection (not inside a clinic transaction),
 * so the count survives a rolled-back caller.
 */
export function pgQuota(db: SqlRunner, opts: { limit?: number; now?: () => Date } = {}): QuotaCounter {
  const limit = opts.limit ?? DEFAULT_DAILY_LIMIT;
  const now = opts.now ?? (() => new Date());
  return {
    async take(clinicId) {
      const day = quotaDay(now());
      if (limit < 1) throw new CalendarQuotaExceeded(clinicId, day, limit);
      const rows = (await db.execute(sql`
        insert into google_quota as q (clinic_id, day, requests) values (${clinicId}::uuid, ${day}::date, 1)
        on conflict (clinic_id, day) do update set requests = q.requests + 1, updated_at = now()
          where q.requests < ${limit}
        returning q.requests`)) as unknown as Array<{ requests: number }>;
      if (rows.length === 0) throw new CalendarQuotaExceeded(clinicId, day, limit);
    },
    async usage(clinicId) {
      const day = quotaDay(now());
      const rows = (await db.execute(sql`select requests from google_quota where clinic_id = ${clinicId}::uuid and day = ${day}::date`)) as unknown as Array<{ requests: number }>;
      return { day, used: rows[0]?.requests ?? 0, limit };
    },
  };
}
