// WhatsApp conversations with Anna (the AI receptionist): messages and lead qualification.
import { sql } from 'drizzle-orm';
import {
  boolean, check, date, foreignKey, index, integer, jsonb, numeric, pgEnum, pgTable, text, timestamp, unique, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';
import { appointments } from './appointments';
import { npsSurveys } from './feedback';
import { procedures } from './catalog';
import { clinicId, createdAt, isE164, updatedAt } from './columns';
import { users } from './identity';
import { patients } from './patients';
import type { AnnaStage, ScoreFactor } from '../../domain/anna/types';

export type ConversationSubject = 'lead' | 'nps_detractor';

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
    channel: text().notNull().default('whatsapp'),
    /** WhatsApp profile name (Twilio ProfileName) or the name the lead gave. */
    contactName: text(),
    /** Where Anna is in the journey (domain/anna/types AnnaStage), mirrored from the workflow for the inbox. */
    stage: text().$type<AnnaStage>().notNull().default('qualifying'),
    /** In the staff queue (score ≤ threshold, a question for a person, or a failed booking). */
    needsStaff: boolean().notNull().default(false),
    /** Staff member who took the conversation over (Anna pauses until hand-back). */
    takenOverBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    takenOverAt: timestamp({ withTimezone: true }),
    /** First message Anna (or staff) sent: the inbox's time-to-first-reply. */
    firstReplyAt: timestamp({ withTimezone: true }),
    /** Patient messages not yet read by staff. */
    unreadCount: integer().notNull().default(0),
    /**
     * 'lead': Anna's. 'nps_detractor': opened for the staff when a patient gave 0–6 in the survey; Anna stays
     * out of it (messages are recorded for the staff) until the detractor's follow-up is resolved.
     */
    subject: text().$type<ConversationSubject>().notNull().default('lead'),
    /** The survey a detractor conversation was opened for. */
    npsSurveyId: uuid(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('conversations_clinic_id_id_unique').on(t.clinicId, t.id),
    foreignKey({ name: 'conversations_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    foreignKey({ name: 'conversations_appointment_fk', columns: [t.clinicId, t.convertedAppointmentId], foreignColumns: [appointments.clinicId, appointments.id] }),
    /** One open conversation per number: a new message joins it rather than starting another. */
    uniqueIndex('conversations_one_open_per_number').on(t.clinicId, t.patientWhatsapp).where(sql`${t.status} = 'aberta'`),
    index('conversations_clinic_last_message_idx').on(t.clinicId, t.lastMessageAt),
    // Leads and conversions are counted on the day the conversation started (domain/kpis.ts).
    index('conversations_clinic_started_idx').on(t.clinicId, t.startedAt),
    index('conversations_patient_idx').on(t.patientId),
    check('conversations_whatsapp_e164', isE164(t.patientWhatsapp)),
    foreignKey({ name: 'conversations_nps_survey_fk', columns: [t.clinicId, t.npsSurveyId], foreignColumns: [npsSurveys.clinicId, npsSurveys.id] }),
    check('conversations_subject', sql`${t.subject} in ('lead', 'nps_detractor')`),
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
    /** The outbound message's outbox row (delivery/read status from the provider's callbacks). */
    outboxId: uuid(),
    /** Staff member who wrote it (sender = 'staff'). */
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    /** Quick-reply buttons sent with it. */
    quickReplies: jsonb().$type<string[]>(),
  },
  (t) => [
    foreignKey({ name: 'conversation_messages_conversation_fk', columns: [t.clinicId, t.conversationId], foreignColumns: [conversations.clinicId, conversations.id] }).onDelete('cascade'),
    index('conversation_messages_conversation_sent_idx').on(t.conversationId, t.sentAt),
    index('conversation_messages_provider_id_idx').on(t.providerMessageId),
    /** One row per inbound provider message in a conversation: a webhook retry never records it twice. */
    uniqueIndex('conversation_messages_inbound_once').on(t.conversationId, t.providerMessageId).where(sql`${t.sender} = 'paciente' and ${t.providerMessageId} is not null`),
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
    /** "Quando": free-form timing of the interest ("semana que vem"). */
    interestWhen: text(),
    /** The score's factors (domain/anna/score), shown to staff. */
    scoreFactors: jsonb().$type<ScoreFactor[]>(),
    /** Slots Anna offered (ISO starts + labels). */
    suggestedSlots: jsonb().$type<{ professionalId: string; startsAt: string; label: string }[]>(),
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

export const aiCallOutcome = pgEnum('ai_call_outcome', ['ok', 'rate_limited', 'local_rate_limit', 'budget_exceeded', 'timeout', 'error', 'malformed', 'guardrail']);

/** Every call Anna made to a language model (or the local engine in its place), with tokens and cost. */
export const aiCalls = pgTable(
  'ai_calls',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    conversationId: uuid(),
    /** 'openai' or 'local'. */
    engine: text().notNull(),
    model: text(),
    /** 'analyze' (extract answers, intent, sentiment) or 'phrase' (word a reply). */
    purpose: text().notNull(),
    outcome: aiCallOutcome().notNull(),
    promptTokens: integer().notNull().default(0),
    completionTokens: integer().notNull().default(0),
    /** Cost in millionths of a US dollar (OpenAI bills in USD). */
    costMicroUsd: integer().notNull().default(0),
    latencyMs: integer(),
    error: text(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'ai_calls_conversation_fk', columns: [t.clinicId, t.conversationId], foreignColumns: [conversations.clinicId, conversations.id] }).onDelete('cascade'),
    index('ai_calls_clinic_created_idx').on(t.clinicId, t.createdAt),
    index('ai_calls_conversation_idx').on(t.conversationId),
    check('ai_calls_tokens_nonnegative', sql`${t.promptTokens} >= 0 and ${t.completionTokens} >= 0 and ${t.costMicroUsd} >= 0`),
  ],
);
