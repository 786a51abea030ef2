// Booking: the one `bookAppointment` behind the dashboard's POST and Anna's booking, the checks every
// booking and reschedule goes through with their pt-BR answers, and the free slots offered when a time
// is taken. The database has the last word (exclusion constraint appointments_no_double_booking).
import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { isDoubleBooking } from '../../db/errors';
import { appointments, patients, procedures, professionals } from '../../db/schema';
import { journeySyncPending } from '../../journeys/appointment';
import { priceOn } from '../catalog/procedures';
import { fitsAvailability, nextFreeSlots, type FitResult } from '../../domain/slots';
import { addLocalDays, createZone } from '../../domain/timezone';
import { clinicScheduling } from '../catalog/settings';
import { ApiError, type ErrorBody, type ErrorCode } from '../errors';
import { loadAvailability, performers, type AvailabilityDeps, type LabelledBusy, type LoadedAvailability } from './availability';


export interface NextSlot {
  professionalId: string;
  startsAt: string;
  endsAt: string;
}

/** An ApiError whose body can carry more than { error } (e.g. nextSlots on a 409). */
export class AppointmentError extends ApiError {
  constructor(
    status: ApiError['status'],
    code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
    fields?: Record<string, string[]>,
  ) {
    super(status, code, message, fields);
  }
  override body(): ErrorBody {
    return { ...super.body(), ...this.extra } as ErrorBody;
  }
}

/** The time was taken (by the pre-check or by the exclusion constraint): 409 with the next free slots. */
export class SlotTaken extends Error {
  constructor(readonly message: string, public durationMinutes?: number) {
    super(message);
  }
}

export const SLOT_TAKEN_RACE = 'Este horário acabou de ser reservado. Escolha um dos próximos horários livres.';

const BLOCK_LABELS: Record<string, string> = {
  ferias: 'férias', folga: 'folga', almoco: 'almoço', reuniao: 'reunião', curso: 'curso', pessoal: 'compromisso pessoal', outro: 'outro compromisso',
};

/** 120 → "2 h", 90 → "1 h 30 min", 45 → "45 min". */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

function localLabel(instant: Date, timeZone: string): { day: string; time: string; weekday: string } {
  const fmt = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('pt-BR', { timeZone, ...o }).format(instant);
  return { day: fmt({ day: '2-digit', month: '2-digit', year: 'numeric' }), time: fmt({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }), weekday: fmt({ weekday: 'long' }) };
}

export interface Party {
  patient: { id: string; name: string };
  procedure: { id: string; name: string; durationMinutes: number };
  professional: { id: string; name: string };
}

/** The patient, procedure and professional of a booking, each checked to exist in this clinic and be usable. */
export async function loadParty(tx: Tx, ids: { patientId?: string; procedureId: string; professionalId: string }): Promise<Omit<Party, 'patient'> & { patient?: Party['patient'] }> {
  const [patient] = ids.patientId
    ? await tx.select({ id: patients.id, name: patients.name, status: patients.status, deletedAt: patients.deletedAt }).from(patients).where(eq(patients.id, ids.patientId))
    : [undefined];
  const [procedure] = await tx.select({ id: procedures.id, name: procedures.name, durationMinutes: procedures.durationMinutes, active: procedures.active })
    .from(procedures).where(eq(procedures.id, ids.procedureId));
  const [professional] = await tx.select({ id: professionals.id, name: professionals.name, active: professionals.active })
    .from(professionals).where(eq(professionals.id, ids.professionalId));

  const missing: Record<string, string[]> = {};
  if (ids.patientId && (!patient || patient.deletedAt)) missing.patientId = ['Paciente não encontrado nesta clínica.'];
  if (!procedure) missing.procedureId = ['Procedimento não encontrado nesta clínica.'];
  if (!professional) missing.professionalId = ['Profissional não encontrado nesta clínica.'];
  const keys = Object.keys(missing);
  if (keys.length) {
    const what = keys.length > 1 ? 'Alguns dados do agendamento não foram encontrados.' : missing[keys[0]][0];
    throw new AppointmentError(404, 'not_found', what, {}, missing);
  }
  if (patient?.status === 'bloqueado') {
    throw new AppointmentError(422, 'patient_blocked', `${patient.name} está bloqueado(a) e não pode ser agendado(a).`, {}, { patientId: ['Paciente bloqueado.'] });
  }
  if (!procedure!.active) {
    throw new AppointmentError(422, 'validation_failed', `O procedimento ${procedure!.name} está inativo.`, {}, { procedureId: ['Procedimento inativo.'] });
  }
  if (!professional!.active) {
    throw new AppointmentError(422, 'professional_unavailable', `${professional!.name} está inativo(a) e não recebe agendamentos.`, {}, { professionalId: ['Profissional inativo.'] });
  }
  if (!(await performers(tx, [professional!.id], procedure!.id)).has(professional!.id)) {
    throw new AppointmentError(422, 'procedure_not_performed', `${professional!.name} não realiza ${procedure!.name}.`, {}, { professionalId: ['Não realiza este procedimento.'] });
  }
  return {
    patient: patient ? { id: patient.id, name: patient.name } : undefined,
    procedure: { id: procedure!.id, name: procedure!.name, durationMinutes: procedure!.durationMinutes },
    professional: { id: professional!.id, name: professional!.name },
  };
}

/**
 * Refuses a time the professional cannot take (422 with a pt-BR reason), or throws SlotTaken when
 * another live appointment is in the way. Returns the loaded availability (for the local day).
 */
export async function checkAvailability(
  tx: Tx,
  deps: AvailabilityDeps,
  q: { clinicId: string; now: Date; professional: { id: string; name: string }; startsAt: Date; durationMinutes: number; excludeAppointmentId?: string },
): Promise<LoadedAvailability> {
  const day = createZone(await clinicTimeZone(tx, q.clinicId)).localDate(q.startsAt.getTime());
  const ctx = await loadAvailability(tx, {
    clinicId: q.clinicId, now: q.now, from: day, to: day, professionalIds: [q.professional.id], excludeAppointmentId: q.excludeAppointmentId,
  }, deps);
  const fit = fitsAvailability(ctx, q.professional.id, q.startsAt, q.durationMinutes);
  if (!fit.ok) throw explainUnfit(fit, ctx, q.professional.id, q.professional.name, q.startsAt);
  return ctx;
}

export function explainUnfit(fit: Extract<FitResult, { ok: false }>, ctx: LoadedAvailability, professionalId: string, name: string, start: Date): Error {
  const at = localLabel(start, ctx.timeZone);
  switch (fit.reason) {
    case 'holiday': {
      const dayKey = createZone(ctx.timeZone).localDate(start.getTime());
      const holiday = ctx.holidayNames.get(dayKey);
      return new AppointmentError(422, 'clinic_closed', `A clínica está fechada em ${at.day}${holiday ? ` (${holiday})` : ''}.`, { reason: 'holiday' });
    }
    case 'outside_hours': {
      const dayKey = createZone(ctx.timeZone).localDate(start.getTime());
      const holiday = ctx.holidayNames.get(dayKey);
      // A holiday reopened for others (date override) reaches here as outside_hours: say why.
      const own = ctx.professionals.find((p) => p.professionalId === professionalId);
      const reopened = own?.dateOverrides?.some((o) => o.date === dayKey && o.intervals.length > 0) ?? false;
      if (holiday && !reopened) return new AppointmentError(422, 'clinic_closed', `A clínica está fechada em ${at.day} (${holiday}).`, { reason: 'holiday' });
      return new AppointmentError(422, 'outside_working_hours', `Fora do horário de atendimento de ${name} (${at.weekday}, ${at.day} às ${at.time}).`, { reason: 'outside_hours' });
    }
    case 'busy': {
      const c = fit.conflict as LabelledBusy | undefined;
      if (c?.kind === 'block') {
        const label = BLOCK_LABELS[c.blockKind ?? 'outro'] ?? 'outro compromisso';
        return new AppointmentError(422, 'time_blocked', `Horário bloqueado: ${label}${c.blockReason ? ` (${c.blockReason})` : ''}.`, { reason: 'busy' });
      }
      if (c?.kind === 'external') {
        return new AppointmentError(422, 'calendar_busy', `Horário ocupado na agenda externa de ${name}.`, { reason: 'busy' });
      }
      const span = c ? ` (${localLabel(c.appointmentStart ?? c.start, ctx.timeZone).time}–${localLabel(c.appointmentEnd ?? c.end, ctx.timeZone).time})` : '';
      const gap = ctx.settings.bufferAfterMinutes || ctx.settings.bufferBeforeMinutes;
      return new SlotTaken(`Este horário conflita com outro atendimento de ${name}${span}${gap ? ', contando o intervalo entre atendimentos' : ''}.`);
    }
    case 'notice':
      if (start.getTime() < ctx.now.getTime()) return new AppointmentError(422, 'min_notice', 'Não é possível agendar no passado.', { reason: 'notice' });
      return new AppointmentError(422, 'min_notice', `Antecedência mínima de ${formatDuration(ctx.settings.minNoticeMinutes)} para agendar.`, { reason: 'notice' });
    case 'horizon':
      return new AppointmentError(422, 'beyond_horizon', `A agenda está aberta só até ${ctx.settings.horizonDays} dias à frente.`, { reason: 'horizon' });
  }
}

/** Up to `count` free starts for this professional at or after `after` (two weeks ahead at most). */
export async function nextSlotsFor(
  tx: Tx,
  deps: AvailabilityDeps,
  q: { clinicId: string; now: Date; professionalId: string; durationMinutes: number; after: Date; count?: number; excludeAppointmentId?: string },
): Promise<NextSlot[]> {
  const after = q.after.getTime() > q.now.getTime() ? q.after : q.now;
  const from = createZone(await clinicTimeZone(tx, q.clinicId)).localDate(after.getTime());
  const to = addLocalDays(from, 14);
  const ctx = await loadAvailability(tx, {
    clinicId: q.clinicId, now: q.now, from, to, professionalIds: [q.professionalId], excludeAppointmentId: q.excludeAppointmentId,
  }, deps);
  return nextFreeSlots({ ...ctx, from, to, durationMinutes: q.durationMinutes, after, count: q.count ?? 3 })
    .map((s) => ({ professionalId: s.professionalId, startsAt: s.start.toISOString(), endsAt: s.end.toISOString() }));
}

export async function clinicTimeZone(tx: Tx, clinicId: string): Promise<string> {
  const s = await clinicScheduling(tx, clinicId);
  if (!s) throw new Error(`clinic ${clinicId} not visible`);
  return s.timezone;
}

export interface BookingRequest {
  clinicId: string;
  patientId: string;
  procedureId: string;
  professionalId: string;
  startsAt: Date;
  now: Date;
  /** Staff may set the price; otherwise the procedure's price on the visit's local day. */
  priceCents?: number;
  notes: string | null;
  source: 'painel' | 'whatsapp' | 'link';
}

export type BookedAppointment = typeof appointments.$inferSelect;

/**
 * Books one appointment inside the caller's transaction: the patient, procedure and professional are
 * checked (404/422), the time against the clinic's rules (422) and other appointments (SlotTaken), the
 * price is the day's, and the row is inserted in a savepoint with the journey marker, so a race lost on
 * the exclusion constraint is SlotTaken too and the caller's transaction stays usable. The caller
 * starts the appointment's journey after the commit (journeys/appointment.ts).
 */
export async function bookAppointment(tx: Tx, availability: AvailabilityDeps, req: BookingRequest): Promise<{ appointment: BookedAppointment; party: Party }> {
  const party = (await loadParty(tx, req)) as Party;
  const durationMinutes = party.procedure.durationMinutes;
  try {
    const ctx = await checkAvailability(tx, availability, { clinicId: req.clinicId, now: req.now, professional: party.professional, startsAt: req.startsAt, durationMinutes });
    const priceCents = req.priceCents ?? (await priceOn(tx, party.procedure.id, createZone(ctx.timeZone).localDate(req.startsAt.getTime())));
    if (priceCents === null) throw new AppointmentError(404, 'not_found', 'Procedimento não encontrado.');
    const appointment = await tx.transaction(async (sp) => {
      const [row] = await sp.insert(appointments).values({
        clinicId: req.clinicId, patientId: party.patient.id, procedureId: party.procedure.id, professionalId: party.professional.id,
        startsAt: req.startsAt, durationMinutes, priceCents, notes: req.notes, source: req.source, ...journeySyncPending(),
      }).returning();
      return row;
    });
    return { appointment, party };
  } catch (err) {
    // The time was taken (pre-check or lost race): the caller offers the next slots of this duration.
    if (err instanceof SlotTaken) err.durationMinutes = durationMinutes;
    if (isDoubleBooking(err)) throw new SlotTaken(SLOT_TAKEN_RACE, durationMinutes);
    throw err;
  }
}
