// WhatsApp conversations with Anna (the AI receptionist): messages and lead qualification.
import { sql } from 'drizzle-orm';
import {
  boolean, check, date, foreignKey, index, integer, numeric, pgEnum, pgTable, text, timestamp, unique, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';
import { appointments } from './appointments';
import { procedures } from './catalog';
import { clinicId, createdAt, isE164, updatedAt } from './columns';
import { patients } from './patients';

export const conversationStatus = pgEnum('conversation_status', ['aberta', 'convertida', 'abandonada', 'spam']);

export const conversations = pgTable(
  'conversations',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    patientWhatsapp: text().notNull(),
    /** Set once the lead is (or becomes) a known patient. */
    patientId: uuid(),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastMessageAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    status: conversationStatus().notNull().default('aberta'),
    convertedAppointmentId: uuid(),
    closedAt: timestamp({ withTimezone: true }),
    /** The Temporal workflow driving this conversation (lead:{clinicId}:{phone}). */
    workflowId: text(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('conversations_clinic_id_id_unique').on(t.clinicId, t.id),
    foreignKey({ name: 'conversations_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    foreignKey({ name: 'conversations_appointment_fk', columns: [t.clinicId, t.convertedAppointmentId], foreignColumns: [appointments.clinicId, appointments.id] }),
    /** One open conversation per number: a new message joins it rather than starting another. */
    uniqueIndex('conversations_one_open_per_number').on(t.clinicId, t.patientWhatsapp).where(sql`${t.status} = 'aberta'`),
    index('conversations_clinic_last_message_idx').on(t.clinicId, t.lastMessageAt),
    index('conversations_patient_idx').on(t.patientId),
    check('conversations_whatsapp_e164', isE164(t.patientWhatsapp)),
    check('conversations_converted_has_appointment', sql`${t.status} <> 'convertida' or ${t.convertedAppointmentId} is not null`),
  ],
);

export const messageSender = pgEnum('message_sender', ['anna', 'paciente', 'staff']);
export const messageKind = pgEnum('message_kind', ['texto', 'imagem', 'documento']);

export const conversationMessages = pgTable(
  'conversation_messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    conversationId: uuid().notNull(),
    sender: messageSender().notNull(),
    body: text().notNull(),
    kind: messageKind().notNull().default('texto'),
    mediaUrl: text(),
    sentAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    read: boolean().notNull().default(false),
    readAt: timestamp({ withTimezone: true }),
    /** -1 (negative) … 1 (positive), from the sentiment analysis of patient messages. */
    sentimentScore: numeric({ precision: 3, scale: 2, mode: 'number' }),
    providerMessageId: text(),
  },
  (t) => [
    foreignKey({ name: 'conversation_messages_conversation_fk', columns: [t.clinicId, t.conversationId], foreignColumns: [conversations.clinicId, conversations.id] }).onDelete('cascade'),
    index('conversation_messages_conversation_sent_idx').on(t.conversationId, t.sentAt),
    index('conversation_messages_provider_id_idx').on(t.providerMessageId),
    check('conversation_messages_sentiment_range', sql`${t.sentimentScore} is null or ${t.sentimentScore} between -1 and 1`),
  ],
);

export const qualificationInterest = pgEnum('qualification_interest', ['sim', 'nao', 'talvez']);

/** Anna's four qualification answers and the resulting interest score (0-100); one per conversation. */
export const conversationQualifications = pgTable(
  'conversation_qualifications',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    conversationId: uuid().notNull(),
    score: integer(),
    interested: qualificationInterest(),
    procedureInterest: text(),
    procedureId: uuid(),
    preferredDate: date({ mode: 'string' }),
    /** 'HH:MM', or a period such as 'manha' / 'tarde' / 'noite'. */
    preferredTime: text(),
    confirmedPhone: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('conversation_qualifications_conversation_unique').on(t.conversationId),
    foreignKey({ name: 'conversation_qualifications_conversation_fk', columns: [t.clinicId, t.conversationId], foreignColumns: [conversations.clinicId, conversations.id] }).onDelete('cascade'),
    foreignKey({ name: 'conversation_qualifications_procedure_fk', columns: [t.clinicId, t.procedureId], foreignColumns: [procedures.clinicId, procedures.id] }),
    check('conversation_qualifications_score_range', sql`${t.score} is null or ${t.score} between 0 and 100`),
    check('conversation_qualifications_phone_e164', sql`${t.confirmedPhone} is null or ${isE164(t.confirmedPhone)}`),
  ],
);
