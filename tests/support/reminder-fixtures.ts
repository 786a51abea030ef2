// Fixtures for the appointment reminders: a clinic with address and phone, a patient reachable on every
// channel, bookings (each on its own professional, so test times never collide), and a fake MessageSender
// that records messages and, like the real outbox, answers 'duplicate' for an idempotency key it has seen.
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { appointments, clinics, patients, professionals } from '../../db/schema';
import type { ClinicSettings } from '../../db/schema';
import type { MessageSender, OutboundMessage, SendResult } from '../../providers/messaging/types';
import type { AppointmentJourneyInput } from '../../workflows/definitions';
import { createBookingClinic } from './appointment-fixtures';

export const LINK_SECRET = 'reminder-test-link-secret';
export const WEB_BASE = 'https://clinica.test';

export async function createReminderClinic(db: Db, name: string, settings: ClinicSettings = {}) {
  const base = await createBookingClinic(db, name);
  await db.update(clinics).set({ address: 'Rua Augusta, 1500 - Consolação, São Paulo - SP', phone: '+551132345678', settings }).where(eq(clinics.id, base.clinic.id));
  const [carla] = await db.insert(patients).values({
    clinicId: base.clinic.id, name: 'Carla Mendes', whatsapp: '+5511987650001', phone: '+5511987650001', email: 'carla@example.com',
  }).returning();
  return { ...base, carla };
}

let professionalCount = 0;

export async function bookAppointment(db: Db, clinic: Awaited<ReturnType<typeof createReminderClinic>>, startsAt: Date, opts: { patientId?: string } = {}) {
  const [pro] = await db.insert(professionals).values({ clinicId: clinic.clinic.id, name: `Dra. Marina Alves ${++professionalCount}`, color: '#0ea5e9' }).returning();
  const [row] = await db.insert(appointments).values({
    clinicId: clinic.clinic.id, patientId: opts.patientId ?? clinic.carla.id, procedureId: clinic.limpeza.id, professionalId: pro.id,
    startsAt, durationMinutes: 60, priceCents: 25000,
  }).returning();
  const input: AppointmentJourneyInput = {
    clinicId: row.clinicId, patientId: row.patientId, appointmentId: row.id, professionalId: row.professionalId,
    startsAt: row.startsAt.toISOString(), durationMinutes: row.durationMinutes, status: row.status,
  };
  return { row, input, professional: pro };
}

export interface FakeSender extends MessageSender {
  messages: OutboundMessage[];
  /** Every call, duplicates included. */
  calls: OutboundMessage[];
  for(appointmentId: string): OutboundMessage[];
}

export function fakeSender(): FakeSender {
  const messages: OutboundMessage[] = [];
  const calls: OutboundMessage[] = [];
  const seen = new Map<string, string>();
  return {
    messages,
    calls,
    for: (appointmentId) => messages.filter((m) => m.appointmentId === appointmentId),
    async send(message): Promise<SendResult> {
      calls.push(message);
      const key = `${message.clinicId}:${message.idempotencyKey}`;
      const existing = seen.get(key);
      if (existing) return { status: 'duplicate', outboxId: existing };
      const outboxId = `outbox-${seen.size + 1}`;
      seen.set(key, outboxId);
      messages.push(message);
      return { status: 'sent', outboxId };
    },
  };
}
