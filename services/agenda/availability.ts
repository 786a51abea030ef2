// Reads a clinic's availability from the database into the pure slot finder's input (domain/slots.ts):
// weekly hours, date overrides, holidays, time blocks, live appointments and external busy times.
import { and, asc, eq, gt, inArray, isNull, lt, notInArray, or, gte, lte, ne } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import {
  appointments, clinicDateOverrides, clinicHolidays, professionalProcedures, professionalTimeBlocks, professionalWorkingHours,
  professionals, RELEASED_STATUSES,
} from '../../db/schema';
import type { AvailabilityContext, Busy, DateOverride, ProfessionalAvailability, SlotSettings } from '../../domain/slots';
import { addLocalDays, localDayBounds, type Weekday } from '../../domain/timezone';
import { clinicScheduling } from '../catalog/settings';

/** Busy times from outside the clinic's database (Google Calendar), per professional. */
export type ExternalBusy = (professionalIds: string[], from: Date, to: Date) => Promise<Array<{ professionalId: string; start: Date; end: Date }>>;

export interface AvailabilityDeps {
  externalBusy?: ExternalBusy;
}

/** A busy interval with what the API needs to explain it in pt-BR. */
export interface LabelledBusy extends Busy {
  /** Time block kind (ferias, almoco…) or the appointment id. */
  blockKind?: string;
  blockReason?: string | null;
  appointmentId?: string;
  /** The appointment's own times (busy start/end include the clinic's buffers). */
  appointmentStart?: Date;
  appointmentEnd?: Date;
}

export interface LoadedAvailability extends AvailabilityContext {
  /** The local-date window that was loaded (both inclusive). */
  from: string;
  to: string;
  professionals: Array<ProfessionalAvailability & { busy: LabelledBusy[] }>;
  /** Local date → holiday name, for every clinic holiday in the window (also the reopened ones). */
  holidayNames: Map<string, string>;
  /** Names and colours of the professionals that were loaded. */
  people: Map<string, { name: string; color: string; active: boolean }>;
}

export interface AvailabilityRequest {
  clinicId: string;
  now: Date;
  /** Local dates (YYYY-MM-DD), both inclusive. */
  from: string;
  to: string;
  /** Which professionals; 'all' = every active professional (optionally only those performing `procedureId`). */
  professionalIds: string[] | 'all';
  procedureId?: string;
  /** Leave this appointment out of the busy times (it is the one being moved). */
  excludeAppointmentId?: string;
}

/**
 * Everything fitsAvailability / getSlots / nextFreeSlots need for [from, to], inside the caller's
 * transaction (under withClinic: only this clinic's rows). Busy times are loaded a day beyond each end
 * so buffers around midnight and appointments crossing it still count.
 */
export async function loadAvailability(tx: Tx, req: AvailabilityRequest, deps: AvailabilityDeps = {}): Promise<LoadedAvailability> {
  const scheduling = await clinicScheduling(tx, req.clinicId);
  if (!scheduling) throw new Error(`clinic ${req.clinicId} not visible`);
  const timeZone = scheduling.timezone;
  const settings: SlotSettings = scheduling.slotSettings;

  const people = await tx
    .select({ id: professionals.id, name: professionals.name, color: professionals.color, active: professionals.active })
    .from(professionals)
    .where(req.professionalIds === 'all' ? eq(professionals.active, true) : inArray(professionals.id, req.professionalIds.length ? req.professionalIds : [NIL]))
    .orderBy(asc(professionals.id));
  let ids = people.map((p) => p.id);
  if (req.procedureId && req.professionalIds === 'all') {
    const able = await performers(tx, ids, req.procedureId);
    ids = ids.filter((id) => able.has(id));
  }

  const windowStart = localDayBounds(addLocalDays(req.from, -1), timeZone).start;
  const windowEnd = localDayBounds(addLocalDays(req.to, 1), timeZone).end;
  const none = ids.length === 0 ? [NIL] : ids;

  const [hours, overrides, holidays, blocks, booked, external] = await Promise.all([
    tx.select().from(professionalWorkingHours).where(inArray(professionalWorkingHours.professionalId, none)),
    tx.select().from(clinicDateOverrides).where(and(
      gte(clinicDateOverrides.day, req.from), lte(clinicDateOverrides.day, req.to),
      or(isNull(clinicDateOverrides.professionalId), inArray(clinicDateOverrides.professionalId, none)),
    )),
    tx.select({ day: clinicHolidays.day, name: clinicHolidays.name }).from(clinicHolidays)
      .where(and(gte(clinicHolidays.day, req.from), lte(clinicHolidays.day, req.to))),
    tx.select().from(professionalTimeBlocks).where(and(
      inArray(professionalTimeBlocks.professionalId, none), lt(professionalTimeBlocks.startsAt, windowEnd), gt(professionalTimeBlocks.endsAt, windowStart),
    )),
    tx.select({ id: appointments.id, professionalId: appointments.professionalId, startsAt: appointments.startsAt, endsAt: appointments.endsAt })
      .from(appointments)
      .where(and(
        eq(appointments.clinicId, req.clinicId),
        inArray(appointments.professionalId, none),
        lt(appointments.startsAt, windowEnd),
        gt(appointments.endsAt, windowStart),
        // No appointment lasts over a day (check constraint): without this lower bound the index range
        // would start at the clinic's first appointment ever (~100 ms at 1M rows instead of ~1 ms).
        gt(appointments.startsAt, new Date(windowStart.getTime() - 86_400_000)),
        notInArray(appointments.status, [...RELEASED_STATUSES]),
        req.excludeAppointmentId ? ne(appointments.id, req.excludeAppointmentId) : undefined,
      )),
    ids.length && deps.externalBusy ? deps.externalBusy(ids, windowStart, windowEnd) : Promise.resolve([]),
  ]);

  const holidayNames = new Map(holidays.map((h) => [h.day, h.name]));
  const clinicWide = new Map<string, DateOverride>();
  const own = new Map<string, Map<string, DateOverride>>();
  for (const o of overrides) {
    const entry: DateOverride = { date: o.day, intervals: o.closed ? [] : o.intervals.map(({ startMinute, endMinute }) => ({ startMinute, endMinute })) };
    if (o.professionalId === null) clinicWide.set(o.day, entry);
    else {
      if (!own.has(o.professionalId)) own.set(o.professionalId, new Map());
      own.get(o.professionalId)!.set(o.day, entry);
    }
  }

  // The most specific override of a day wins: the professional's own, else the clinic-wide one.
  const byId = new Map<string, ProfessionalAvailability & { busy: LabelledBusy[] }>();
  for (const id of ids) {
    const days = new Map(clinicWide);
    for (const [day, o] of own.get(id) ?? []) days.set(day, o);
    byId.set(id, {
      professionalId: id,
      workingHours: hours.filter((h) => h.professionalId === id).map((h) => ({ weekday: h.weekday as Weekday, startMinute: h.startMinute, endMinute: h.endMinute })),
      busy: [],
      dateOverrides: [...days.values()],
    });
  }

  // A holiday closes the clinic, unless an override opens that day (for everyone, or for one
  // professional): then the day leaves the holiday list and everyone without an opening override on
  // it gets a closed one, which keeps the day closed for them.
  const holidayList: string[] = [];
  for (const day of holidayNames.keys()) {
    const reopened = [...byId.values()].some((p) => p.dateOverrides!.some((o) => o.date === day && o.intervals.length > 0));
    if (!reopened) {
      holidayList.push(day);
      continue;
    }
    for (const p of byId.values()) {
      if (!p.dateOverrides!.some((o) => o.date === day && o.intervals.length > 0)) {
        p.dateOverrides = [...p.dateOverrides!.filter((o) => o.date !== day), { date: day, intervals: [] }];
      }
    }
  }

  for (const b of blocks) {
    byId.get(b.professionalId)?.busy.push({ start: b.startsAt, end: b.endsAt, kind: 'block', blockKind: b.kind, blockReason: b.reason });
  }
  // An appointment holds its buffers too (preparation before, cleaning after): with the candidate's own
  // buffers that the slot finder adds, two appointments end up bufferAfter + bufferBefore apart on
  // either side, not just on the side the new one happens to be.
  const before = settings.bufferBeforeMinutes * 60_000;
  const after = settings.bufferAfterMinutes * 60_000;
  for (const a of booked) {
    byId.get(a.professionalId)?.busy.push({
      start: new Date(a.startsAt.getTime() - before), end: new Date(a.endsAt.getTime() + after), kind: 'appointment',
      appointmentId: a.id, appointmentStart: a.startsAt, appointmentEnd: a.endsAt,
    });
  }
  for (const e of external) {
    byId.get(e.professionalId)?.busy.push({ start: e.start, end: e.end, kind: 'external' });
  }

  return {
    timeZone,
    now: req.now,
    settings,
    holidays: holidayList,
    professionals: [...byId.values()],
    from: req.from,
    to: req.to,
    holidayNames,
    people: new Map(people.map((p) => [p.id, { name: p.name, color: p.color, active: p.active }])),
  };
}

/**
 * Which of `professionalIds` perform `procedureId`: a professional with no rows in
 * professional_procedures performs every procedure; one with rows performs only those.
 */
export async function performers(tx: Tx, professionalIds: string[], procedureId: string): Promise<Set<string>> {
  if (professionalIds.length === 0) return new Set();
  const rows = await tx
    .select({ professionalId: professionalProcedures.professionalId, procedureId: professionalProcedures.procedureId })
    .from(professionalProcedures)
    .where(inArray(professionalProcedures.professionalId, professionalIds));
  const restricted = new Set(rows.map((r) => r.professionalId));
  const able = new Set(rows.filter((r) => r.procedureId === procedureId).map((r) => r.professionalId));
  return new Set(professionalIds.filter((id) => !restricted.has(id) || able.has(id)));
}

const NIL = '00000000-0000-0000-0000-000000000000';
