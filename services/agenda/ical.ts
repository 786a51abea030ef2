// Appointments as iCalendar (RFC 5545) with ical-generator: one appointment's .ics, and the feeds.
import ical, { ICalCalendarMethod, ICalEventStatus, ICalEventBusyStatus } from 'ical-generator';
import type { AppointmentView } from './queries';

const STATUS: Record<AppointmentView['status'], ICalEventStatus> = {
  agendado: ICalEventStatus.TENTATIVE,
  confirmado: ICalEventStatus.CONFIRMED,
  realizado: ICalEventStatus.CONFIRMED,
  cancelado: ICalEventStatus.CANCELLED,
  no_show: ICalEventStatus.CANCELLED,
};

const STATUS_TEXT: Record<AppointmentView['status'], string> = {
  agendado: 'Agendado', confirmado: 'Confirmado', realizado: 'Realizado', cancelado: 'Cancelado', no_show: 'Não compareceu',
};

const SEQUENCE_EPOCH = 1_700_000_000; // seconds; keeps SEQUENCE small

/** Stable across exports, so a calendar app updates the event instead of adding a copy. */
export const eventUid = (appointmentId: string) => `appointment-${appointmentId}@tigre-crm`;

export interface CalendarOptions {
  name: string;
  timeZone: string;
  /** Put the professional's name in the title (the clinic-wide feed). */
  withProfessional: boolean;
  clinicName: string;
  /** Seconds a subscriber should wait before refreshing (feeds only). */
  refreshSeconds?: number;
}

/** Times are written in UTC (…Z), which every calendar app converts to its own zone. */
export function appointmentsCalendar(items: AppointmentView[], opts: CalendarOptions): string {
  const cal = ical({
    name: opts.name,
    prodId: { company: 'Tigre CRM', product: 'agenda', language: 'PT-BR' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: opts.refreshSeconds ?? null,
    x: { 'X-WR-TIMEZONE': opts.timeZone },
  });
  for (const a of items) {
    const title = `${a.procedure.name} · ${a.patient.name}${opts.withProfessional ? ` (${a.professional.name})` : ''}`;
    cal.createEvent({
      id: eventUid(a.id),
      // Grows with every change, so an app that imported an older copy takes the newer one.
      sequence: Math.max(0, Math.floor(Date.parse(a.updatedAt) / 1000) - SEQUENCE_EPOCH),
      start: new Date(a.startsAt),
      end: new Date(a.endsAt),
      stamp: new Date(a.updatedAt),
      lastModified: new Date(a.updatedAt),
      created: new Date(a.createdAt),
      summary: a.status === 'cancelado' ? `[Cancelado] ${title}` : title,
      description: [
        `Profissional: ${a.professional.name}`,
        `Status: ${STATUS_TEXT[a.status]}`,
        a.cancelReason ? `Motivo do cancelamento: ${a.cancelReason}` : null,
      ].filter(Boolean).join('\n'),
      location: opts.clinicName,
      status: STATUS[a.status],
      busystatus: STATUS[a.status] === ICalEventStatus.CANCELLED ? ICalEventBusyStatus.FREE : ICalEventBusyStatus.BUSY,
    });
  }
  return cal.toString();
}
