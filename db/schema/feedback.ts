// What patients think and what the clinic does with it (issue #11): NPS surveys after a visit, the
// neutrals' feedback form, star reviews of professionals, coupons (the detractors' apology, the
// promoters' upsell discount), upsell offers, and before/after photos with their publicity consent.
import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, jsonb, numeric, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { appointments } from './appointments';
import { procedures } from './catalog';
import { clinicId, createdAt, updatedAt } from './columns';
import { users } from './identity';
import { patients } from './patients';
import { payments } from './payments';
import { professionals } from './staff';

/**
 * One survey per appointment (`nps:{appointmentId}` writes it). status: aguardando (journey started,
 * not sent yet) → enviada → respondida | sem_resposta; nao_enviada when no channel may carry it.
 */
export const npsSurveys = pgTable(
  'nps_surveys',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    appointmentId: uuid().notNull(),
    patientId: uuid().notNull(),
    score: integer(),
    comment: text(),
    /** -1 … 1, from the sentiment analysis of the comment. */
    sentimentScore: numeric({ precision: 3, scale: 2, mode: 'number' }),
    sentAt: timestamp({ withTimezone: true }),
    answeredAt: timestamp({ withTimezone: true }),
    answered: boolean().notNull().default(false),
    createdAt: createdAt(),
    status: text().notNull().default('aguardando'),
    /** The journey that ran it (`nps:{appointmentId}`); null for surveys imported with the demo history. */
    workflowId: text(),
    /** detractor | neutral | promoter, from the score (domain/nps.ts npsClass). */
    npsClass: text(),
    /** The channel the question went out on (whatsapp | sms | email). */
    channel: text(),
    /** transactional | marketing: under which basis the survey was sent (the clinic's consent rule). */
    basis: text(),
    /** Why it was not sent (nao_enviada): no_channel, opted_out, no_consent… */
    skipReason: text(),
    reminderSentAt: timestamp({ withTimezone: true }),
    expiresAt: timestamp({ withTimezone: true }),
    /** whatsapp | sms | link: where the answer came from. */
    answeredVia: text(),
    /** Answered after the survey expired: recorded, starts nothing. */
    lateAnswer: boolean().notNull().default(false),
    commentAt: timestamp({ withTimezone: true }),
    sentimentLabel: text(),
    /** The words, expressions and emojis that drove the sentiment, strongest first. */
    sentimentWords: jsonb().$type<string[]>(),
    /** local | openai. */
    sentimentSource: text(),
    /** Detractors: the clinic's follow-up (aberto → contatado → resolvido). */
    followUpStatus: text(),
    followUpAt: timestamp({ withTimezone: true }),
    followUpBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    followUpNote: text(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('nps_surveys_appointment_unique').on(t.appointmentId),
    unique('nps_surveys_clinic_id_id_unique').on(t.clinicId, t.id),
    foreignKey({ name: 'nps_surveys_appointment_fk', columns: [t.clinicId, t.appointmentId], foreignColumns: [appointments.clinicId, appointments.id] }).onDelete('cascade'),
    foreignKey({ name: 'nps_surveys_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }).onDelete('cascade'),
    index('nps_surveys_clinic_answered_idx').on(t.clinicId, t.answeredAt),
    index('nps_surveys_patient_idx').on(t.patientId),
    index('nps_surveys_clinic_sent_idx').on(t.clinicId, t.sentAt),
    check('nps_surveys_score_range', sql`${t.score} is null or ${t.score} between 0 and 10`),
    check('nps_surveys_answered_has_score', sql`not ${t.answered} or ${t.score} is not null`),
    check('nps_surveys_sentiment_range', sql`${t.sentimentScore} is null or ${t.sentimentScore} between -1 and 1`),
    check('nps_surveys_status', sql`${t.status} in ('aguardando', 'enviada', 'respondida', 'sem_resposta', 'nao_enviada')`),
    check('nps_surveys_class', sql`${t.npsClass} is null or ${t.npsClass} in ('detractor', 'neutral', 'promoter')`),
    check('nps_surveys_follow_up', sql`${t.followUpStatus} is null or ${t.followUpStatus} in ('aberto', 'contatado', 'resolvido')`),
    check('nps_surveys_comment_length', sql`${t.comment} is null or char_length(${t.comment}) <= 2000`),
  ],
);

/** The neutrals' form (/p/feedback/{token}): what could be better, and free text. One per survey. */
export const feedbackResponses = pgTable(
  'feedback_responses',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    surveyId: uuid().notNull(),
    appointmentId: uuid().notNull(),
    patientId: uuid().notNull(),
    /** Subset of atendimento, pontualidade, resultado, preco, limpeza. */
    aspects: text().array().notNull().default(sql`'{}'::text[]`),
    comment: text(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('feedback_responses_survey_unique').on(t.surveyId),
    foreignKey({ name: 'feedback_responses_survey_fk', columns: [t.clinicId, t.surveyId], foreignColumns: [npsSurveys.clinicId, npsSurveys.id] }).onDelete('cascade'),
    foreignKey({ name: 'feedback_responses_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }).onDelete('cascade'),
    index('feedback_responses_clinic_created_idx').on(t.clinicId, t.createdAt),
    check('feedback_responses_aspects', sql`${t.aspects} <@ array['atendimento', 'pontualidade', 'resultado', 'preco', 'limpeza']::text[]`),
    check('feedback_responses_comment_length', sql`${t.comment} is null or char_length(${t.comment}) <= 2000`),
  ],
);

export const reviews = pgTable(
  'reviews',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    appointmentId: uuid().notNull(),
    patientId: uuid().notNull(),
    professionalId: uuid().notNull(),
    rating: integer().notNull(),
    comment: text(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('reviews_appointment_unique').on(t.appointmentId),
    foreignKey({ name: 'reviews_appointment_fk', columns: [t.clinicId, t.appointmentId], foreignColumns: [appointments.clinicId, appointments.id] }).onDelete('cascade'),
    foreignKey({ name: 'reviews_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }).onDelete('cascade'),
    foreignKey({ name: 'reviews_professional_fk', columns: [t.clinicId, t.professionalId], foreignColumns: [professionals.clinicId, professionals.id] }),
    index('reviews_professional_idx').on(t.professionalId),
    check('reviews_rating_range', sql`${t.rating} between 1 and 5`),
  ],
);

/**
 * A single-use discount: percent (1–100) or a value in centavos, valid until a time, above a minimum
 * charge. Redeemed once, when a charge in Pagamentos uses it (redeemedPaymentId). origin says why it
 * exists: nps_detractor (the apology), upsell (the promoter's offer), manual.
 */
export const coupons = pgTable(
  'coupons',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    /** What the patient types or staff read out: upper case, unique per clinic. */
    code: text().notNull(),
    /** The patient it was issued to (null: anyone at the clinic). */
    patientId: uuid(),
    percentOff: integer(),
    amountOffCents: integer(),
    minChargeCents: integer().notNull().default(0),
    validUntil: timestamp({ withTimezone: true }).notNull(),
    origin: text().notNull(),
    surveyId: uuid(),
    upsellOfferId: uuid(),
    redeemedAt: timestamp({ withTimezone: true }),
    redeemedPaymentId: uuid(),
    /** The discount given at redemption, in centavos. */
    redeemedDiscountCents: integer(),
    revokedAt: timestamp({ withTimezone: true }),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    unique('coupons_clinic_id_id_unique').on(t.clinicId, t.id),
    unique('coupons_clinic_code_unique').on(t.clinicId, t.code),
    uniqueIndex('coupons_redeemed_payment_unique').on(t.redeemedPaymentId).where(sql`${t.redeemedPaymentId} is not null`),
    foreignKey({ name: 'coupons_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }).onDelete('cascade'),
    foreignKey({ name: 'coupons_payment_fk', columns: [t.clinicId, t.redeemedPaymentId], foreignColumns: [payments.clinicId, payments.id] }),
    index('coupons_patient_idx').on(t.clinicId, t.patientId),
    check('coupons_one_discount', sql`(${t.percentOff} is null) <> (${t.amountOffCents} is null)`),
    check('coupons_percent_range', sql`${t.percentOff} is null or ${t.percentOff} between 1 and 100`),
    check('coupons_amount_positive', sql`${t.amountOffCents} is null or ${t.amountOffCents} > 0`),
    check('coupons_min_nonnegative', sql`${t.minChargeCents} >= 0`),
    check('coupons_code_format', sql`${t.code} ~ '^[A-Z0-9-]{4,32}$'`),
    check('coupons_origin', sql`${t.origin} in ('nps_detractor', 'upsell', 'manual', 'loyalty', 'reactivation')`),
    check('coupons_redeemed_whole', sql`(${t.redeemedAt} is null) = (${t.redeemedPaymentId} is null)`),
  ],
);

/**
 * One upsell offer (`upsell:{patientId}:{n}`): the recommended procedure and why, the discount coupon,
 * the photo shown, and what became of it: aguardando → enviada → agendou | ignorou | recusou; nao_enviada
 * when there was nothing to recommend or no marketing consent.
 */
export const upsellOffers = pgTable(
  'upsell_offers',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    patientId: uuid().notNull(),
    /** The patient's n-th offer (the workflow id's n). */
    seq: integer().notNull(),
    workflowId: text().notNull(),
    /** The survey that started it (a promoter's answer), if any. */
    surveyId: uuid(),
    procedureId: uuid(),
    /** The recommender's reason (domain/upsell.ts), for staff. */
    reason: jsonb().$type<Record<string, unknown>>(),
    reasonText: text(),
    couponId: uuid(),
    photoId: uuid(),
    status: text().notNull().default('aguardando'),
    skipReason: text(),
    sentAt: timestamp({ withTimezone: true }),
    reminderSentAt: timestamp({ withTimezone: true }),
    expiresAt: timestamp({ withTimezone: true }),
    outcomeAt: timestamp({ withTimezone: true }),
    /** The appointment booked for the offered procedure (through any path). */
    appointmentId: uuid(),
    /** The booked appointment's price, for the reports' revenue from upsell. */
    revenueCents: integer(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('upsell_offers_clinic_id_id_unique').on(t.clinicId, t.id),
    unique('upsell_offers_workflow_unique').on(t.clinicId, t.workflowId),
    unique('upsell_offers_patient_seq_unique').on(t.clinicId, t.patientId, t.seq),
    foreignKey({ name: 'upsell_offers_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }).onDelete('cascade'),
    foreignKey({ name: 'upsell_offers_procedure_fk', columns: [t.clinicId, t.procedureId], foreignColumns: [procedures.clinicId, procedures.id] }),
    foreignKey({ name: 'upsell_offers_appointment_fk', columns: [t.clinicId, t.appointmentId], foreignColumns: [appointments.clinicId, appointments.id] }).onDelete('set null'),
    index('upsell_offers_clinic_created_idx').on(t.clinicId, t.createdAt),
    check('upsell_offers_status', sql`${t.status} in ('aguardando', 'enviada', 'agendou', 'ignorou', 'recusou', 'nao_enviada')`),
  ],
);

/**
 * A before/after photo of a patient's appointment. The bytes live in the storage provider
 * (providers/storage: S3 or local files) under storageKey, resized and without EXIF. Publicity consent
 * (CFM Resolução 2.336/2023) is explicit, per photo and revocable: only a photo with it may appear in a
 * message, and only with identifiable=true may it show the patient's face or name.
 */
export const patientPhotos = pgTable(
  'patient_photos',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    patientId: uuid().notNull(),
    appointmentId: uuid(),
    procedureId: uuid(),
    /** antes | depois. */
    kind: text().notNull(),
    storageKey: text().notNull(),
    contentType: text().notNull(),
    bytes: integer().notNull(),
    width: integer().notNull(),
    height: integer().notNull(),
    publicityConsent: boolean().notNull().default(false),
    /** The patient agreed to be identifiable (face, name) in publicity. */
    identifiable: boolean().notNull().default(false),
    consentAt: timestamp({ withTimezone: true }),
    consentRevokedAt: timestamp({ withTimezone: true }),
    /** How consent was given: painel, link, termo assinado… */
    consentSource: text(),
    uploadedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    deletedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    unique('patient_photos_clinic_id_id_unique').on(t.clinicId, t.id),
    unique('patient_photos_storage_key_unique').on(t.storageKey),
    foreignKey({ name: 'patient_photos_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }).onDelete('cascade'),
    foreignKey({ name: 'patient_photos_appointment_fk', columns: [t.clinicId, t.appointmentId], foreignColumns: [appointments.clinicId, appointments.id] }).onDelete('set null'),
    foreignKey({ name: 'patient_photos_procedure_fk', columns: [t.clinicId, t.procedureId], foreignColumns: [procedures.clinicId, procedures.id] }),
    index('patient_photos_patient_idx').on(t.clinicId, t.patientId),
    index('patient_photos_procedure_consented_idx').on(t.clinicId, t.procedureId).where(sql`${t.publicityConsent} and ${t.deletedAt} is null`),
    check('patient_photos_kind', sql`${t.kind} in ('antes', 'depois')`),
    check('patient_photos_identifiable_needs_consent', sql`not ${t.identifiable} or ${t.publicityConsent}`),
  ],
);
