// Professional queries: each with the procedures they perform and their weekly hours; commission conversions.
import { and, asc, eq, gt, inArray, lt } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { professionalProcedures, professionalTimeBlocks, professionalWorkingHours, professionals, procedures } from '../../db/schema';

export interface WeeklyInterval {
  /** 0 = domingo … 6 = sábado. */
  weekday: number;
  startMinute: number;
  endMinute: number;
}

export interface ProfessionalView {
  id: string;
  userId: string | null;
  name: string;
  email: string | null;
  phone: string | null;
  specialty: string | null;
  /** Percent with up to 2 decimals (stored as basis points: 15.5 % = 1550). */
  commissionPercent: number;
  color: string;
  active: boolean;
  procedures: Array<{ id: string; name: string; active: boolean }>;
  hours: WeeklyInterval[];
  createdAt: string;
  updatedAt: string;
}

export interface TimeBlockView {
  id: string;
  professionalId: string;
  startsAt: string;
  endsAt: string;
  kind: (typeof professionalTimeBlocks.$inferSelect)['kind'];
  reason: string | null;
  createdAt: string;
}

/** 15.5 → 1550; null when not a number in 0–100 with at most 2 decimals. */
export function percentToBps(percent: number): number | null {
  if (!Number.isFinite(percent) || percent < 0 || percent > 100) return null;
  const bps = Math.round(percent * 100);
  return Math.abs(percent * 100 - bps) < 1e-6 ? bps : null;
}

/** 1550 → 15.5 */
export const bpsToPercent = (bps: number): number => bps / 100;

/** Professionals (all, or `ids`), by name, with procedures and weekly hours. */
export async function listProfessionals(tx: DbOrTx, opts: { active?: boolean; ids?: string[] } = {}): Promise<ProfessionalView[]> {
  if (opts.ids && opts.ids.length === 0) return [];
  const rows = await tx
    .select()
    .from(professionals)
    .where(and(
      opts.active === undefined ? undefined : eq(professionals.active, opts.active),
      opts.ids ? inArray(professionals.id, opts.ids) : undefined,
    ))
    .orderBy(asc(professionals.name), asc(professionals.id));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [performs, hours] = await Promise.all([
    tx.select({ professionalId: professionalProcedures.professionalId, id: procedures.id, name: procedures.name, active: procedures.active })
      .from(professionalProcedures)
      .innerJoin(procedures, and(eq(procedures.id, professionalProcedures.procedureId), eq(procedures.clinicId, professionalProcedures.clinicId)))
      .where(inArray(professionalProcedures.professionalId, ids))
      .orderBy(asc(procedures.name)),
    tx.select().from(professionalWorkingHours)
      .where(inArray(professionalWorkingHours.professionalId, ids))
      .orderBy(asc(professionalWorkingHours.weekday), asc(professionalWorkingHours.startMinute)),
  ]);
  return rows.map((p) => ({
    id: p.id, userId: p.userId, name: p.name, email: p.email, phone: p.phone, specialty: p.specialty,
    commissionPercent: bpsToPercent(p.commissionBps), color: p.color, active: p.active,
    procedures: performs.filter((x) => x.professionalId === p.id).map(({ id, name, active }) => ({ id, name, active })),
    hours: hours.filter((h) => h.professionalId === p.id).map(({ weekday, startMinute, endMinute }) => ({ weekday, startMinute, endMinute })),
    createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString(),
  }));
}

export async function getProfessional(tx: DbOrTx, id: string): Promise<ProfessionalView | null> {
  const [p] = await listProfessionals(tx, { ids: [id] });
  return p ?? null;
}

/** A professional's time blocks that meet [from, to) (either bound optional), by start. */
export async function listTimeBlocks(tx: DbOrTx, professionalId: string, range: { from?: Date; to?: Date } = {}): Promise<TimeBlockView[]> {
  const rows = await tx
    .select()
    .from(professionalTimeBlocks)
    .where(and(
      eq(professionalTimeBlocks.professionalId, professionalId),
      range.from ? gt(professionalTimeBlocks.endsAt, range.from) : undefined,
      range.to ? lt(professionalTimeBlocks.startsAt, range.to) : undefined,
    ))
    .orderBy(asc(professionalTimeBlocks.startsAt));
  return rows.map(toTimeBlockView);
}

export function toTimeBlockView(b: typeof professionalTimeBlocks.$inferSelect): TimeBlockView {
  return {
    id: b.id, professionalId: b.professionalId, startsAt: b.startsAt.toISOString(), endsAt: b.endsAt.toISOString(),
    kind: b.kind, reason: b.reason, createdAt: b.createdAt.toISOString(),
  };
}
