// Appointment reminders: 24 h before on WhatsApp, 2 h before by SMS or WhatsApp; their delivery, reads and answers.
import type { ReminderChannel, ReminderTemplateKey } from '../../domain/reminder-templates';
import type * as s from '../schema';
import type { AppointmentDraft } from './agenda';
import { DAY, ddmm, hhmm, HOUR, later, maxDate, MINUTE, type Row, type SeedRun } from './support';

export interface ReminderRows {
  confirmations: Row<typeof s.appointmentConfirmations>[];
  outbox: Row<typeof s.messageOutbox>[];
}

interface ReminderStep {
  step: 'reminder_24h' | 'reminder_2h';
  kind: 'lembrete_24h' | 'lembrete_2h';
  template: ReminderTemplateKey;
  leadMs: number;
  channel: ReminderChannel;
}

/** The reminders sent for one appointment (none after now, before booking or after a cancellation), and its confirmation. */
export function remindAppointment(run: SeedRun, a: AppointmentDraft, out: ReminderRows) {
  const { random, newId, clinicId, nowMs } = run;
  const r = a.row;
  const status = r.status;
  const startMs = r.startsAt.getTime();
  const createdMs = r.createdAt.getTime();
  const cancelledBefore = (t: number) => r.cancelledAt != null && r.cancelledAt.getTime() <= t;
  const willConfirm = status === 'confirmado' || ((status === 'realizado' || status === 'no_show') && random.chance(status === 'realizado' ? 0.8 : 0.3));
  const phone = a.patient.row.whatsapp ?? a.patient.row.phone!;
  // The journey's own keys (activities/reminders.ts): step and template key in the outbox, the log's kind
  // in appointment_confirmations; at 2 h WhatsApp carries the location text.
  const sms2h = random.chance(0.5);
  const steps: readonly ReminderStep[] = [
    { step: 'reminder_24h', kind: 'lembrete_24h', template: 'reminder_24h', leadMs: DAY, channel: 'whatsapp' },
    sms2h
      ? { step: 'reminder_2h', kind: 'lembrete_2h', template: 'reminder_2h', leadMs: 2 * HOUR, channel: 'sms' }
      : { step: 'reminder_2h', kind: 'lembrete_2h', template: 'reminder_2h_location', leadMs: 2 * HOUR, channel: 'whatsapp' },
  ];
  for (const { step, kind, template, leadMs, channel } of steps) {
    const sentMs = startMs - leadMs;
    if (sentMs > nowMs || sentMs <= createdMs || cancelledBefore(sentMs)) continue;
    const sentAt = new Date(sentMs);
    const read = random.chance(0.85);
    const readAt = read ? new Date(Math.min(nowMs, sentMs + random.int(1, 180) * MINUTE)) : null;
    let response: 'confirmou' | 'cancelou' | null = null;
    let respondedAt: Date | null = null;
    if (kind === 'lembrete_24h' && readAt) {
      if (status === 'cancelado' && r.cancelledAt && r.cancelledAt.getTime() > readAt.getTime()) {
        response = 'cancelou';
        respondedAt = r.cancelledAt;
      } else if (willConfirm) {
        response = 'confirmou';
        respondedAt = new Date(Math.min(nowMs, readAt.getTime() + random.int(1, 30) * MINUTE));
        r.confirmedAt = respondedAt;
        r.updatedAt = maxDate(r.updatedAt as Date, respondedAt);
      }
    }
    if (kind === 'lembrete_24h') r.reminder24hSent = true;
    else r.reminder2hSent = true;
    const body =
      kind === 'lembrete_24h'
        ? `Olá, ${a.patient.first}! Lembrete: amanhã (${ddmm(a.day)}) às ${hhmm(a.startMinute)} você tem ${a.procedure.name} com ${a.professional.name} na Clínica Bella Pele. Responda 1 para confirmar ou 2 para cancelar.`
        : `${a.patient.first}, seu horário de ${a.procedure.name} é hoje às ${hhmm(a.startMinute)}. Rua Oscar Freire, 1234 – Jardins. Qualquer imprevisto: (11) 3042-1234.`;
    const providerMessageId = run.twilioSid();
    out.confirmations.push({
      id: newId(), clinicId, appointmentId: r.id, kind, channel, sentAt, deliveredAt: later(sentAt, random.int(2, 20) * 1000),
      read, readAt, response, respondedAt, createdAt: sentAt,
    });
    out.outbox.push({
      id: newId(), clinicId, channel, to: phone, body, template, templateData: { appointmentId: r.id },
      status: read ? 'read' : 'delivered', idempotencyKey: `appointment:${r.id}:${step}:${channel}:${startMs}`, providerMessageId,
      patientId: a.patient.row.id, appointmentId: r.id, attempts: 1, createdAt: sentAt, sentAt: later(sentAt, 1000),
      deliveredAt: later(sentAt, random.int(2, 20) * 1000), readAt,
    });
  }
  // Confirmed some other way (a call, the panel) when no reminder answer did it.
  if (status === 'confirmado' && !r.confirmedAt) {
    r.confirmedAt = new Date(Math.min(nowMs - MINUTE, createdMs + random.int(5, 120) * MINUTE));
    r.updatedAt = r.confirmedAt;
  }
}
