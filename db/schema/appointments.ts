// The calendar: appointments and the reminder/confirmation messages sent about them.
import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, pgEnum, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { procedures } from './catalog';
import { messageChannel } from './channels';
import { clinicId, createdAt, updatedAt } from './columns';
import { patients } from './patients';
import { professionals } from './staff';

export const appointmentStatus = pgEnum('appointment_status', ['agendado', 'confirmado', 'realizado', 'cancelado', 'no_show']);
export type AppointmentStatus = (typeof appointmentStatus.enumValues)[number];
/** Statuses that no longer hold the professional's time (the no-double-booking constraint ignores them). */
export const RELEASED_STATUSES = ['cancelado', 'no_show'] as const satisfies readonly AppointmentStatus[];

export const appointmentPaymentStatus = pgEnum('appointment_payment_status', ['pendente', 'pago', 'reembolsado']);
/** Where the booking came from. */
export const appointmentSource = pgEnum('appointment_source', ['painel', 'whatsapp', 'link', 'google']);

/**
 * No double booking: an exclusion constraint (migration 0002) refuses two appointments of the same
 * professional whose [starts_at, ends_at) ranges overlap, unless one is cancelado/no_show.
 */
export const appointments = pgTable(
  'appointments',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    patientId: uuid().notNull(),
    procedureId: uuid().notNull(),
    professionalId: uuid().notNull(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    durationMinutes: integer().notNull(),
    /** starts_at + duration_minutes, computed by PostgreSQL. */
    endsAt: timestamp({ withTimezone: true })
      .notNull()
      .generatedAlwaysAs(sql`tigre_add_minutes(starts_at, duration_minutes)`),
    status: appointmentStatus().notNull().default('agendado'),
    priceCents: integer().notNull(),
    paymentStatus: appointmentPaymentStatus().notNull().default('pendente'),
    source: appointmentSource().notNull().default('painel'),
    notes: text(),
    cancelReason: text(),
    confirmedAt: timestamp({ withTimezone: true }),
    cancelledAt: timestamp({ withTimezone: true }),
    completedAt: timestamp({ withTimezone: true }),
    googleEventId: text(),
    reminder24hSent: boolean('reminder_24h_sent').notNull().default(false),
    reminder2hSent: boolean('reminder_2h_sent').notNull().default(false),
    /**
     * Set when the appointment's Temporal journey could not be told about a change (Temporal
     * unreachable); api/journeys.ts re-syncs the journey from this row and clears it. Null = in sync.
     */
    journeySyncPendingSince: timestamp({ withTimezone: true }),
    journeySyncError: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('appointments_clinic_id_id_unique').on(t.clinicId, t.id),
    foreignKey({ name: 'appointments_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    foreignKey({ name: 'appointments_procedure_fk', columns: [t.clinicId, t.procedureId], foreignColumns: [procedures.clinicId, procedures.id] }),
    foreignKey({ name: 'appointments_professional_fk', columns: [t.clinicId, t.professionalId], foreignColumns: [professionals.clinicId, professionals.id] }),
    index('appointments_clinic_starts_idx').on(t.clinicId, t.startsAt),
    index('appointments_professional_starts_idx').on(t.professionalId, t.startsAt),
    index('appointments_patient_starts_idx').on(t.patientId, t.startsAt),
    index('appointments_journey_sync_pending_idx').on(t.journeySyncPendingSince).where(sql`journey_sync_pending_since is not null`),
    check('appointments_duration_positive', sql`${t.durationMinutes} > 0`),
    // At most a day: lets range queries bound starts_at from below and use the (clinic_id, starts_at) index.
    check('appointments_duration_max_day', sql`${t.durationMinutes} <= 1440`),
    check('appointments_price_nonnegative', sql`${t.priceCents} >= 0`),
  ],
);

export const appointmentMessageKind = pgEnum('appointment_message_kind', ['confirmacao', 'lembrete_24h', 'lembrete_2h']);
export const appointmentResponse = pgEnum('appointment_response', ['confirmou', 'cancelou', 'remarcou']);

/** Each confirmation/reminder sent about an appointment, and what came of it (success-rate tracking). */
export const appointmentConfirmations = pgTable(
  'appointment_confirmations',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    appointmentId: uuid().notNull(),
    kind: appointmentMessageKind().notNull(),
    channel: messageChannel().notNull(),
    sentAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp({ withTimezone: true }),
    read: boolean().notNull().default(false),
    readAt: timestamp({ withTimezone: true }),
    response: appointmentResponse(),
    respondedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'appointment_confirmations_appointment_fk', columns: [t.clinicId, t.appointmentId], foreignColumns: [appointments.clinicId, appointments.id] }).onDelete('cascade'),
    index('appointment_confirmations_appointment_idx').on(t.appointmentId),
    check('appointment_confirmations_read_at', sql`${t.readAt} is null or ${t.read}`),
  ],
);

/**
 * Subscribable iCalendar feeds (GET /feeds/{token}.ics): one per professional, or the whole clinic
 * when professional_id is null. Only the token's SHA-256 is stored; rotating revokes the old row.
 */
export const calendarFeeds = pgTable(
  'calendar_feeds',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    professionalId: uuid(),
    tokenHash: text().notNull().unique('calendar_feeds_token_hash_unique'),
    createdAt: createdAt(),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    foreignKey({ name: 'calendar_feeds_professional_fk', columns: [t.clinicId, t.professionalId], foreignColumns: [professionals.clinicId, professionals.id] }).onDelete('cascade'),
    // At most one live feed per scope (the clinic's own feed has professional_id null).
    uniqueIndex('calendar_feeds_live_scope_unique')
      .on(t.clinicId, sql`coalesce(${t.professionalId}, '00000000-0000-0000-0000-000000000000'::uuid)`)
      .where(sql`revoked_at is null`),
  ],
);
