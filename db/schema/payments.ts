// Money received: one-off payments (per appointment or not) and monthly plans. All in centavos.
import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { appointments } from './appointments';
import { clinicId, createdAt, updatedAt } from './columns';
import { patients } from './patients';

export const paymentMethod = pgEnum('payment_method', ['cartao', 'pix', 'boleto', 'dinheiro']);
export const paymentStatus = pgEnum('payment_status', ['pendente', 'processando', 'aprovado', 'recusado', 'reembolsado']);
export type PaymentMethod = (typeof paymentMethod.enumValues)[number];
export type PaymentStatus = (typeof paymentStatus.enumValues)[number];

export const payments = pgTable(
  'payments',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    appointmentId: uuid(),
    patientId: uuid().notNull(),
    amountCents: integer().notNull(),
    method: paymentMethod().notNull(),
    status: paymentStatus().notNull().default('pendente'),
    /** Stripe PaymentIntent/Checkout id (or the local checkout's id). */
    stripePaymentId: text(),
    description: text(),
    createdAt: createdAt(),
    processedAt: timestamp({ withTimezone: true }),
    refundedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    foreignKey({ name: 'payments_appointment_fk', columns: [t.clinicId, t.appointmentId], foreignColumns: [appointments.clinicId, appointments.id] }),
    foreignKey({ name: 'payments_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    uniqueIndex('payments_stripe_payment_id_unique').on(t.stripePaymentId).where(sql`${t.stripePaymentId} is not null`),
    index('payments_clinic_created_idx').on(t.clinicId, t.createdAt),
    index('payments_appointment_idx').on(t.appointmentId),
    index('payments_patient_idx').on(t.patientId),
    check('payments_amount_positive', sql`${t.amountCents} > 0`),
  ],
);

export const recurringPaymentStatus = pgEnum('recurring_payment_status', ['ativo', 'suspenso', 'cancelado']);

export const recurringPayments = pgTable(
  'recurring_payments',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    patientId: uuid().notNull(),
    amountCents: integer().notNull(),
    /** Day of the month the charge runs (1-28, so every month has it). */
    dayOfMonth: integer().notNull(),
    status: recurringPaymentStatus().notNull().default('ativo'),
    nextDate: date({ mode: 'string' }),
    stripeSubscriptionId: text(),
    description: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({ name: 'recurring_payments_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    index('recurring_payments_patient_idx').on(t.patientId),
    check('recurring_payments_amount_positive', sql`${t.amountCents} > 0`),
    check('recurring_payments_day_of_month', sql`${t.dayOfMonth} between 1 and 28`),
  ],
);
