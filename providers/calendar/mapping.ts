// Pure mappings between our appointments and Google Calendar events, in both directions. No I/O.
import type { calendar_v3 } from 'googleapis/build/src/apis/calendar';
import type { AppointmentEvent, BusyInterval, ExternalEvent } from './types';

/** Private extended properties we put on every event we create (Google keeps them, other apps ignore them). */
export const APPOINTMENT_PROPERTY = 'tigreAppointmentId';
export const CLINIC_PROPERTY = 'tigreClinicId';
/** The start we pushed: lets a later read tell a move made in Google from one of ours not pushed yet. */
export const PUSHED_START_PROPERTY = 'tigreStartsAt';

const STATUS_LABEL: Record<AppointmentEvent['status'], string> = {
  agendado: 'agendado', confirmado: 'confirmado', realizado: 'realizado', cancelado: 'cancelado', no_show: 'não compareceu',
};

/**
 * The event id we ask Google to use for an appointment: deterministic, so a retried insert after a lost
 * answer finds its own event (409) instead of creating a second one. Google event ids are base32hex
 * (a–v, 0–9), 5–1024 characters: 'tigre' + the UUID's 32 hex digits qualifies.
 */
export function eventIdFor(appointmentId: string): string {
  const hex = appointmentId.toLowerCase().replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new RangeError(`not a UUID: ${appointmentId}`);
  return `tigre${hex}`;
}

/** "Botox — Ana Souza": what the professional sees in their calendar grid. */
export function eventSummary(e: Pick<AppointmentEvent, 'procedureName' | 'patientName'>): string {
  return `${e.procedureName.trim()} — ${e.patientName.trim()}`;
}

/**
 * The Google event for an appointment. Only what the professional needs to see goes to Google
 * (LGPD data minimisation): procedure, patient name, status; no phone, CPF or clinical notes.
 */
export function toGoogleEvent(e: AppointmentEvent): calendar_v3.Schema$Event {
  const end = new Date(e.startsAt.getTime() + e.durationMinutes * 60_000);
  const lines = [
    `Procedimento: ${e.procedureName.trim()} (${e.durationMinutes} min)`,
    `Paciente: ${e.patientName.trim()}`,
    ...(e.professionalName ? [`Profissional: ${e.professionalName.trim()}`] : []),
    `Status: ${STATUS_LABEL[e.status]}`,
    '',
    `Agendado pelo Tigre CRM${e.clinicName ? ` (${e.clinicName.trim()})` : ''}. Mover ou excluir este evento remarca ou cancela o agendamento na clínica.`,
  ];
  return {
    summary: eventSummary(e),
    description: lines.join('\n'),
    start: { dateTime: e.startsAt.toISOString(), timeZone: e.timeZone },
    end: { dateTime: end.toISOString(), timeZone: e.timeZone },
    status: 'confirmed',
    transparency: 'opaque',
    extendedProperties: {
      private: { [APPOINTMENT_PROPERTY]: e.appointmentId, [CLINIC_PROPERTY]: e.clinicId, [PUSHED_START_PROPERTY]: e.startsAt.toISOString() },
    },
  };
}

function instant(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** A Google event (from events.list) in our terms; null when it has no id (nothing to act on). */
export function fromGoogleEvent(ev: calendar_v3.Schema$Event): ExternalEvent | null {
  if (!ev.id) return null;
  const props = ev.extendedProperties?.private ?? {};
  const allDay = Boolean(ev.start?.date && !ev.start?.dateTime);
  const status = ev.status === 'cancelled' || ev.status === 'tentative' ? ev.status : 'confirmed';
  return {
    id: ev.id,
    status,
    start: allDay ? undefined : instant(ev.start?.dateTime),
    end: allDay ? undefined : instant(ev.end?.dateTime),
    allDay,
    updated: instant(ev.updated),
    appointmentId: props[APPOINTMENT_PROPERTY] || undefined,
    clinicId: props[CLINIC_PROPERTY] || undefined,
    pushedStartsAt: instant(props[PUSHED_START_PROPERTY]),
  };
}

/** Our appointment as it is now, to compare the Google event with. */
export interface CurrentAppointment {
  id: string;
  startsAt: Date;
  status: AppointmentEvent['status'];
  updatedAt: Date;
}

export type CalendarChange =
  /** Moved in Google: our appointment should start at `startsAt`. */
  | { kind: 'moved'; appointmentId: string; eventId: string; startsAt: Date; previousStartsAt: Date }
  /** Deleted in Google: our appointment should be cancelled. */
  | { kind: 'deleted'; appointmentId: string; eventId: string }
  /** Google already shows what we have (often the echo of our own push). */
  | { kind: 'unchanged'; appointmentId: string; eventId: string }
  /** Google shows an older start than ours (our move is not pushed yet, or ours is the later change): push ours. */
  | { kind: 'stale'; appointmentId: string; eventId: string }
  /** Ours is closed (realizado, não compareceu, cancelado): Google cannot reopen or move it. */
  | { kind: 'ignored'; appointmentId: string; eventId: string; reason: 'closed' }
  /** Not something we act on: another app's event, an appointment we do not have, an all-day event. */
  | { kind: 'unknown'; eventId: string; reason: 'not_ours' | 'not_found' | 'all_day' };

const OPEN = new Set<AppointmentEvent['status']>(['agendado', 'confirmado']);
/** Google keeps second precision. */
const sameInstant = (a: Date, b: Date) => Math.floor(a.getTime() / 1000) === Math.floor(b.getTime() / 1000);

/**
 * What a Google event means for us, given the appointment it points at (undefined when we have no such
 * appointment for this professional). Duration changes made in Google are not taken: the procedure
 * defines the duration, so only the start moves.
 */
export function changeFor(event: ExternalEvent, current: CurrentAppointment | undefined): CalendarChange {
  const eventId = event.id;
  if (!event.appointmentId) return { kind: 'unknown', eventId, reason: 'not_ours' };
  if (!current || current.id !== event.appointmentId) return { kind: 'unknown', eventId, reason: 'not_found' };
  const appointmentId = current.id;

  if (event.status === 'cancelled') {
    return OPEN.has(current.status) ? { kind: 'deleted', appointmentId, eventId } : { kind: 'unchanged', appointmentId, eventId };
  }
  if (!OPEN.has(current.status)) return { kind: 'ignored', appointmentId, eventId, reason: 'closed' };
  if (event.allDay || !event.start) return { kind: 'unknown', eventId, reason: 'all_day' };
  if (sameInstant(event.start, current.startsAt)) return { kind: 'unchanged', appointmentId, eventId };
  const pushed = event.pushedStartsAt;
  // Google still shows what we pushed: the move is ours and its push is pending or was lost.
  if (pushed && sameInstant(event.start, pushed)) return { kind: 'stale', appointmentId, eventId };
  // Both sides moved since the last push: the later change wins.
  if (pushed && !sameInstant(current.startsAt, pushed) && event.updated && current.updatedAt.getTime() > event.updated.getTime()) {
    return { kind: 'stale', appointmentId, eventId };
  }
  return { kind: 'moved', appointmentId, eventId, startsAt: event.start, previousStartsAt: current.startsAt };
}

/**
 * Busy blocks minus our own appointments' times. freeBusy also reports the events we pushed; those are
 * already busy from the database (and an appointment being moved must not block itself), so what is
 * left is what other commitments in Google take. Half-open intervals; the result is sorted.
 */
export function subtractIntervals(busy: BusyInterval[], ours: BusyInterval[]): BusyInterval[] {
  const cuts = [...ours].sort((a, b) => a.start.getTime() - b.start.getTime());
  const out: BusyInterval[] = [];
  for (const block of [...busy].sort((a, b) => a.start.getTime() - b.start.getTime())) {
    let start = block.start.getTime();
    const end = block.end.getTime();
    for (const cut of cuts) {
      const cs = cut.start.getTime();
      const ce = cut.end.getTime();
      if (ce <= start || cs >= end) continue;
      if (cs > start) out.push({ start: new Date(start), end: new Date(cs) });
      start = Math.max(start, ce);
      if (start >= end) break;
    }
    if (start < end) out.push({ start: new Date(start), end: new Date(end) });
  }
  return out;
}
