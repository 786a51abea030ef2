// Money received: one-off payments (per appointment or not) and monthly plans. All in centavos.
import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, pgEnum, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { appointments } from './appointments';
import { clinicId, createdAt, updatedAt } from './columns';
import { users } from './identity';
import { patients } from './patients';
import { professionals } from './staff';
import { conversations } from './conversations';

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
    /** Stripe PaymentIntent id once known (checkout.session.completed / payment_intent.*). */
    stripePaymentIntentId: text(),
    /** Sum of the refunds recorded (payment_refunds), kept here so checks stay one-row. */
    refundedCents: integer().notNull().default(0),
    /** Processor fee in centavos (Stripe balance transaction), when known. */
    feeCents: integer(),
    /** Stripe's hosted receipt (charge.receipt_url). */
    receiptUrl: text(),
    /** deposit = the sinal of an appointment; full = everything else. */
    kind: text().notNull().default('full'),
    /** Why the last attempt failed (pt-BR or the processor's code). */
    failureReason: text(),
    /** A deposit Anna asked for before the appointment exists: the payment signals this conversation's lead journey. */
    conversationId: uuid(),
    /** The coupon applied to this charge (coupons.redeemedPaymentId points back). */
    couponId: uuid(),
    /** What the coupon took off, in centavos: amountCents is what was charged, amountCents + discountCents the price. */
    discountCents: integer().notNull().default(0),
  },
  (t) => [
    foreignKey({ name: 'payments_conversation_fk', columns: [t.clinicId, t.conversationId], foreignColumns: [conversations.clinicId, conversations.id] }),
    unique('payments_clinic_id_id_unique').on(t.clinicId, t.id),
    uniqueIndex('payments_stripe_payment_intent_unique').on(t.stripePaymentIntentId).where(sql`${t.stripePaymentIntentId} is not null`),
    check('payments_refunded_range', sql`${t.refundedCents} between 0 and ${t.amountCents}`),
    check('payments_kind', sql`${t.kind} in ('full', 'deposit')`),
    foreignKey({ name: 'payments_appointment_fk', columns: [t.clinicId, t.appointmentId], foreignColumns: [appointments.clinicId, appointments.id] }),
    foreignKey({ name: 'payments_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }),
    uniqueIndex('payments_stripe_payment_id_unique').on(t.stripePaymentId).where(sql`${t.stripePaymentId} is not null`),
    index('payments_clinic_created_idx').on(t.clinicId, t.createdAt),
    /** The day the money moved (db/daily-figures.ts and the reports filter on this very expression). */
    index('payments_clinic_money_day_idx').on(t.clinicId, sql`coalesce(${t.processedAt}, ${t.createdAt})`),
    /** Refunded amounts without refund rows (imported history), on the day of the refund. */
    index('payments_clinic_refund_day_idx').on(t.clinicId, sql`coalesce(${t.refundedAt}, ${t.processedAt}, ${t.createdAt})`).where(sql`${t.refundedCents} > 0`),
    index('payments_appointment_idx').on(t.appointmentId),
    index('payments_patient_idx').on(t.patientId),
    check('payments_discount_nonnegative', sql`${t.discountCents} >= 0`),
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

export const checkoutStatus = pgEnum('checkout_status', ['aberto', 'pago', 'expirado', 'falhou']);

/**
 * A way to pay one payment: a Stripe Checkout Session / payment link, or the local checkout page
 * (/p/pagar/{id}) when Stripe is not configured. The id is the public token of the local page.
 */
export const paymentCheckouts = pgTable(
  'payment_checkouts',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    paymentId: uuid().notNull(),
    provider: text().notNull(),
    /** cs_… for Stripe, local_… for the local page. */
    providerSessionId: text().notNull(),
    url: text().notNull(),
    status: checkoutStatus().notNull().default('aberto'),
    /** Pix copy-paste code (local checkout; Stripe shows its own). */
    pixCode: text(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('payment_checkouts_provider_session_unique').on(t.providerSessionId),
    foreignKey({ name: 'payment_checkouts_payment_fk', columns: [t.clinicId, t.paymentId], foreignColumns: [payments.clinicId, payments.id] }).onDelete('cascade'),
    index('payment_checkouts_payment_idx').on(t.paymentId),
    check('payment_checkouts_provider', sql`${t.provider} in ('stripe', 'local')`),
  ],
);

/** Refunds, full or partial; their sum never exceeds the payment (payments.refunded_cents check). */
export const paymentRefunds = pgTable(
  'payment_refunds',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    paymentId: uuid().notNull(),
    amountCents: integer().notNull(),
    reason: text().notNull(),
    /** re_… from Stripe; a repeat of the same refund (webhook + API answer) is recorded once. */
    providerRefundId: text(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'payment_refunds_payment_fk', columns: [t.clinicId, t.paymentId], foreignColumns: [payments.clinicId, payments.id] }).onDelete('cascade'),
    uniqueIndex('payment_refunds_provider_unique').on(t.providerRefundId).where(sql`${t.providerRefundId} is not null`),
    index('payment_refunds_payment_idx').on(t.paymentId),
    // The daily rollup counts refunds on the day they were made.
    index('payment_refunds_clinic_created_idx').on(t.clinicId, t.createdAt),
    check('payment_refunds_amount_positive', sql`${t.amountCents} > 0`),
  ],
);

/**
 * Commission ledger: one row per professional and payment event (a payment approved = +, a refund = −),
 * so a period's total is a sum and a closed period is never rewritten.
 */
export const commissionEntries = pgTable(
  'commission_entries',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    professionalId: uuid().notNull(),
    paymentId: uuid().notNull(),
    /** The refund this entry reverses (null for the commission itself). */
    refundId: uuid(),
    /** Positive on approval, negative on refund. */
    amountCents: integer().notNull(),
    baseCents: integer().notNull(),
    /** The period it was paid out in (YYYY-MM) once closed; null = open. */
    closedPeriod: text(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'commission_entries_payment_fk', columns: [t.clinicId, t.paymentId], foreignColumns: [payments.clinicId, payments.id] }).onDelete('cascade'),
    foreignKey({ name: 'commission_entries_professional_fk', columns: [t.clinicId, t.professionalId], foreignColumns: [professionals.clinicId, professionals.id] }),
    uniqueIndex('commission_entries_event_unique').on(t.paymentId, t.professionalId, sql`coalesce(${t.refundId}, '00000000-0000-0000-0000-000000000000'::uuid)`),
    index('commission_entries_professional_idx').on(t.clinicId, t.professionalId, t.createdAt),
  ],
);

/**
 * A professional's commission paid out for a closed month: by Stripe Connect transfer when the clinic
 * set the professional's connected account (settings.payments.connectedAccounts), otherwise by hand.
 * One row per (clinic, month, professional): a payout is never made twice.
 */
export const commissionPayouts = pgTable(
  'commission_payouts',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    professionalId: uuid().notNull(),
    month: text().notNull(),
    amountCents: integer().notNull(),
    method: text().notNull(),
    /** tr_… of the Stripe transfer. */
    transferId: text(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    unique('commission_payouts_month_unique').on(t.clinicId, t.month, t.professionalId),
    foreignKey({ name: 'commission_payouts_professional_fk', columns: [t.clinicId, t.professionalId], foreignColumns: [professionals.clinicId, professionals.id] }),
    check('commission_payouts_method', sql`${t.method} in ('stripe', 'manual')`),
    check('commission_payouts_amount_positive', sql`${t.amountCents} > 0`),
  ],
);
