// What patients think: NPS surveys after a visit and star reviews of professionals.
import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, numeric, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { appointments } from './appointments';
import { clinicId, createdAt } from './columns';
import { patients } from './patients';
import { professionals } from './staff';

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
  },
  (t) => [
    unique('nps_surveys_appointment_unique').on(t.appointmentId),
    foreignKey({ name: 'nps_surveys_appointment_fk', columns: [t.clinicId, t.appointmentId], foreignColumns: [appointments.clinicId, appointments.id] }).onDelete('cascade'),
    foreignKey({ name: 'nps_surveys_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }).onDelete('cascade'),
    index('nps_surveys_clinic_answered_idx').on(t.clinicId, t.answeredAt),
    index('nps_surveys_patient_idx').on(t.patientId),
    check('nps_surveys_score_range', sql`${t.score} is null or ${t.score} between 0 and 10`),
    check('nps_surveys_answered_has_score', sql`not ${t.answered} or ${t.score} is not null`),
    check('nps_surveys_sentiment_range', sql`${t.sentimentScore} is null or ${t.sentimentScore} between -1 and 1`),
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
