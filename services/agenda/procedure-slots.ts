// Free slots for one procedure across the active professionals who perform it, soonest first, at most
// `perDay` a day so a patient choosing on a phone sees several days (the upsell's booking page).
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { professionals } from '../../db/schema';
import { nextFreeSlots } from '../../domain/slots';
import { addLocalDays, createZone, type Zone } from '../../domain/timezone';
import { loadAvailability, performers } from './availability';
import { clinicTimeZone } from './booking';

export interface ProcedureSlot {
  professionalId: string;
  professional: string;
  startsAt: string;
  /** dd/mm/aaaa and HH:MM in the clinic's zone. */
  date: string;
  time: string;
}

/** An instant as the patient reads it in the clinic's zone: dd/mm/aaaa and HH:MM. */
export function localClock(zone: Zone, at: number): { date: string; time: string } {
  const parts = zone.localParts(at);
  const hh = String(Math.floor(parts.minute / 60)).padStart(2, '0');
  const mm = String(parts.minute % 60).padStart(2, '0');
  return { date: parts.date.split('-').reverse().join('/'), time: `${hh}:${mm}` };
}

export async function freeSlotsForProcedure(tx: Tx, q: {
  clinicId: string; procedureId: string; durationMinutes: number; now: Date; days?: number; count?: number; perDay?: number;
}): Promise<ProcedureSlot[]> {
  const people = await tx.select({ id: professionals.id, name: professionals.name }).from(professionals)
    .where(and(eq(professionals.clinicId, q.clinicId), eq(professionals.active, true)));
  const able = await performers(tx, people.map((p) => p.id), q.procedureId);
  const ids = people.filter((p) => able.has(p.id)).map((p) => p.id);
  if (!ids.length) return [];
  const names = new Map(people.map((p) => [p.id, p.name]));
  const zone = createZone(await clinicTimeZone(tx, q.clinicId));
  const from = zone.localDate(q.now.getTime());
  const to = addLocalDays(from, q.days ?? 14);
  const ctx = await loadAvailability(tx, { clinicId: q.clinicId, now: q.now, from, to, professionalIds: ids });
  const candidates = nextFreeSlots({ ...ctx, from, to, durationMinutes: q.durationMinutes, after: q.now, count: 2000 });
  const perDay = new Map<string, number>();
  const seen = new Set<number>();
  const out: ProcedureSlot[] = [];
  for (const s of candidates) {
    const t = s.start.getTime();
    if (seen.has(t)) continue; // one start per time, whoever performs it
    const parts = zone.localParts(t);
    const n = perDay.get(parts.date) ?? 0;
    if (n >= (q.perDay ?? 4)) continue;
    // Spread the day: at least an hour between the starts shown.
    if (out.some((o) => Math.abs(Date.parse(o.startsAt) - t) < 3_600_000)) continue;
    seen.add(t);
    perDay.set(parts.date, n + 1);
    out.push({ professionalId: s.professionalId, professional: names.get(s.professionalId) ?? '', startsAt: s.start.toISOString(), ...localClock(zone, t) });
    if (out.length >= (q.count ?? 16)) break;
  }
  return out;
}
