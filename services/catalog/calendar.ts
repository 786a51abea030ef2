// Clinic calendar exceptions: holidays (clinic closed) and date overrides (closed, or special hours, for the clinic or one professional).
import { and, asc, eq, gte, isNull, lte, or } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { clinicDateOverrides, clinicHolidays, type OpeningInterval } from '../../db/schema';

export interface HolidayView {
  id: string;
  day: string;
  name: string;
}

export interface DateOverrideView {
  id: string;
  /** null: the whole clinic. */
  professionalId: string | null;
  day: string;
  /** true: nobody (clinic) / this professional works that day; false: only `intervals` that day. */
  closed: boolean;
  /** Minutes since local midnight; replace the weekday's hours on that day. Empty when closed. */
  intervals: OpeningInterval[];
  reason: string | null;
  createdAt: string;
}

/** Holidays with from ≤ day ≤ to (bounds optional), by day. */
export async function listHolidays(tx: DbOrTx, range: { from?: string; to?: string } = {}): Promise<HolidayView[]> {
  return tx
    .select({ id: clinicHolidays.id, day: clinicHolidays.day, name: clinicHolidays.name })
    .from(clinicHolidays)
    .where(and(range.from ? gte(clinicHolidays.day, range.from) : undefined, range.to ? lte(clinicHolidays.day, range.to) : undefined))
    .orderBy(asc(clinicHolidays.day));
}

/**
 * Precedence for one professional on one day: their own override, else the clinic-wide one, else the
 * weekly hours (domain/slots.ts DateOverride: { date: day, intervals }, empty intervals = closed).
 * Overrides with from ≤ day ≤ to. With `professionalId`, that professional's overrides plus the
 * clinic-wide ones (what applies to them); with `clinicWideOnly`, the clinic-wide ones only.
 */
export async function listDateOverrides(
  tx: DbOrTx,
  opts: { from?: string; to?: string; professionalId?: string; clinicWideOnly?: boolean } = {},
): Promise<DateOverrideView[]> {
  const rows = await tx
    .select()
    .from(clinicDateOverrides)
    .where(and(
      opts.from ? gte(clinicDateOverrides.day, opts.from) : undefined,
      opts.to ? lte(clinicDateOverrides.day, opts.to) : undefined,
      opts.clinicWideOnly
        ? isNull(clinicDateOverrides.professionalId)
        : opts.professionalId ? or(isNull(clinicDateOverrides.professionalId), eq(clinicDateOverrides.professionalId, opts.professionalId)) : undefined,
    ))
    .orderBy(asc(clinicDateOverrides.day), asc(clinicDateOverrides.createdAt));
  return rows.map(toDateOverrideView);
}

export function toDateOverrideView(r: typeof clinicDateOverrides.$inferSelect): DateOverrideView {
  return {
    id: r.id, professionalId: r.professionalId, day: r.day, closed: r.closed,
    intervals: r.intervals.map(({ startMinute, endMinute }) => ({ startMinute, endMinute })), reason: r.reason, createdAt: r.createdAt.toISOString(),
  };
}
