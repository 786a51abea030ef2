// Outbound and inbound plumbing: LGPD consents per channel, the message outbox, webhook receipts.
import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, jsonb, pgEnum, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { appointments } from './appointments';
import { messageChannel } from './channels';
import { clinicId, createdAt, updatedAt } from './columns';
import { clinics, users } from './identity';
import { patients } from './patients';

/** The current consent of a patient for one channel (history lives in the audit log). */
export const consents = pgTable(
  'consents',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    patientId: uuid().notNull(),
    channel: messageChannel().notNull(),
    granted: boolean().notNull(),
    /** Where it was given or withdrawn: 'formulario', 'whatsapp', 'link', 'importacao', 'painel'… */
    source: text().notNull(),
    grantedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('consents_patient_channel_unique').on(t.clinicId, t.patientId, t.channel),
    foreignKey({ name: 'consents_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }).onDelete('cascade'),
  ],
);

/** 'skipped': never handed to a provider (opt-out, no consent, bounced address); `error` says why. */
export const outboxStatus = pgEnum('outbox_status', ['queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'skipped']);
/** Marketing is dropped after an opt-out; both stop on an LGPD opt-out of the channel (providers/messaging). */
export const messagePurpose = pgEnum('message_purpose', ['transactional', 'marketing']);

/**
 * Every outbound message. The idempotency key (workflow id + step) is unique per clinic, so a
 * retried activity finds the row instead of sending twice. The local adapters stop here and the
 * dashboard shows it; the real ones record the provider's message id.
 */
export const messageOutbox = pgTable(
  'message_outbox',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    channel: messageChannel().notNull(),
    /** E.164 phone for whatsapp/sms, address for email. */
    to: text().notNull(),
    subject: text(),
    body: text().notNull(),
    template: text(),
    templateData: jsonb().$type<Record<string, unknown>>(),
    status: outboxStatus().notNull().default('queued'),
    purpose: messagePurpose().notNull().default('transactional'),
    idempotencyKey: text().notNull(),
    providerMessageId: text(),
    patientId: uuid(),
    appointmentId: uuid(),
    error: text(),
    attempts: integer().notNull().default(0),
    createdAt: createdAt(),
    sentAt: timestamp({ withTimezone: true }),
    deliveredAt: timestamp({ withTimezone: true }),
    readAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    unique('message_outbox_idempotency_unique').on(t.clinicId, t.idempotencyKey),
    foreignKey({ name: 'message_outbox_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    foreignKey({ name: 'message_outbox_appointment_fk', columns: [t.clinicId, t.appointmentId], foreignColumns: [appointments.clinicId, appointments.id] }),
    index('message_outbox_clinic_created_idx').on(t.clinicId, t.createdAt),
    index('message_outbox_provider_message_idx').on(t.providerMessageId),
    index('message_outbox_pending_idx').on(t.status).where(sql`${t.status} in ('queued', 'sending')`),
    index('message_outbox_patient_created_idx').on(t.clinicId, t.patientId, t.createdAt),
  ],
);

/**
 * Every inbound WhatsApp/SMS message (Twilio webhook or the dashboard's simulator), with what was
 * done with it: the patient's journey signalled, an opt-out recorded, or left for the lead journey.
 * Its latest time per number also opens WhatsApp's 24-hour free-text window.
 */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    channel: messageChannel().notNull(),
    /** The sender, E.164. */
    from: text().notNull(),
    to: text(),
    body: text().notNull(),
    mediaUrls: text().array().notNull().default(sql`'{}'::text[]`),
    /** Twilio MessageSid (or the simulator's id). */
    providerMessageId: text().notNull(),
    patientId: uuid(),
    appointmentId: uuid(),
    /** 'signalled' | 'opt_out' | 'unrouted' | 'journey_not_running' | 'signal_failed' (null while being handled). */
    outcome: text(),
    /** The workflow the message was signalled to. */
    workflowId: text(),
    error: text(),
    receivedAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('inbound_messages_provider_unique').on(t.clinicId, t.channel, t.providerMessageId),
    foreignKey({ name: 'inbound_messages_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    foreignKey({ name: 'inbound_messages_appointment_fk', columns: [t.clinicId, t.appointmentId], foreignColumns: [appointments.clinicId, appointments.id] }),
    index('inbound_messages_from_idx').on(t.clinicId, t.channel, t.from, t.receivedAt),
    index('inbound_messages_patient_idx').on(t.clinicId, t.patientId, t.receivedAt),
  ],
);

/** E-mail addresses that bounced or reported spam (SendGrid event webhook): never mailed again. */
export const emailSuppressions = pgTable(
  'email_suppressions',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    /** Lower case. */
    email: text().notNull(),
    /** 'bounce' | 'spamreport' | 'dropped'. */
    reason: text().notNull(),
    detail: text(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('email_suppressions_clinic_email_unique').on(t.clinicId, t.email),
    check('email_suppressions_email_lowercase', sql`${t.email} = lower(${t.email})`),
  ],
);

export const webhookProvider = pgEnum('webhook_provider', ['twilio', 'stripe', 'sendgrid', 'google']);

/**
 * Webhook receipts, keyed by the provider's own event id so a redelivery is a no-op
 * (insert … on conflict do nothing). Global: stored before the clinic is resolved, so no RLS.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid().primaryKey().defaultRandom(),
    provider: webhookProvider().notNull(),
    providerEventId: text().notNull(),
    /** The clinic the event turned out to belong to, once known. */
    clinicId: uuid().references(() => clinics.id, { onDelete: 'cascade' }),
    payload: jsonb().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp({ withTimezone: true }),
    error: text(),
  },
  (t) => [unique('webhook_deliveries_provider_event_unique').on(t.provider, t.providerEventId)],
);

/**
 * The clinic's own text of a message (reminder_24h, reminder_2h, reminder_2h_location…) per channel.
 * No row = the default pt-BR text in domain/reminder-templates.ts (api/reminders/templates.ts resolves).
 */
export const messageTemplates = pgTable(
  'message_templates',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    key: text().notNull(),
    channel: messageChannel().notNull(),
    subject: text(),
    body: text().notNull(),
    updatedAt: updatedAt(),
    updatedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    unique('message_templates_clinic_key_channel_unique').on(t.clinicId, t.key, t.channel),
    check('message_templates_body_length', sql`char_length(${t.body}) between 1 and 4000`),
  ],
);
