// The loyalty programme: point balances per patient, their movements, and the rewards on offer.
import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, numeric, pgEnum, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { appointments } from './appointments';
import { clinicId, createdAt, updatedAt } from './columns';
import { patients } from './patients';

export const loyaltyTier = pgEnum('loyalty_tier', ['bronze', 'prata', 'ouro', 'platina']);

export const loyaltyAccounts = pgTable(
  'loyalty_accounts',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    patientId: uuid().notNull(),
    balance: integer().notNull().default(0),
    lifetimePoints: integer().notNull().default(0),
    tier: loyaltyTier().notNull().default('bronze'),
    nextTierDate: date({ mode: 'string' }),
    /** The highest tier the patient was told about (the tier-up message goes once per tier reached). */
    tierAnnounced: loyaltyTier(),
    /** The expiry date (clinic's calendar) of the points the patient was last warned about, 30 days before. */
    expiryNoticeFor: date({ mode: 'string' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('loyalty_accounts_clinic_id_id_unique').on(t.clinicId, t.id),
    unique('loyalty_accounts_patient_unique').on(t.clinicId, t.patientId),
    foreignKey({ name: 'loyalty_accounts_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }).onDelete('cascade'),
    check('loyalty_accounts_balance_nonnegative', sql`${t.balance} >= 0`),
    check('loyalty_accounts_balance_within_lifetime', sql`${t.lifetimePoints} >= ${t.balance}`),
  ],
);

/** Rewards a patient can redeem points for: a fixed discount in centavos or a percentage. */
export const rewards = pgTable(
  'rewards',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    name: text().notNull(),
    description: text(),
    pointsRequired: integer().notNull(),
    discountCents: integer(),
    discountPercent: numeric({ precision: 5, scale: 2, mode: 'number' }),
    validityDays: integer(),
    maxUses: integer(),
    active: boolean().notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    unique('rewards_clinic_id_id_unique').on(t.clinicId, t.id),
    check('rewards_points_positive', sql`${t.pointsRequired} > 0`),
    check('rewards_one_discount', sql`(${t.discountCents} is null) <> (${t.discountPercent} is null)`),
    check('rewards_discount_cents_positive', sql`${t.discountCents} is null or ${t.discountCents} > 0`),
    check('rewards_discount_percent_range', sql`${t.discountPercent} is null or (${t.discountPercent} > 0 and ${t.discountPercent} <= 100)`),
    check('rewards_validity_positive', sql`${t.validityDays} is null or ${t.validityDays} > 0`),
    check('rewards_max_uses_positive', sql`${t.maxUses} is null or ${t.maxUses} > 0`),
  ],
);

/** creditados: earned on a paid, realised visit; resgatados: a reward; expirados: past the clinic's period; estornados: a refund took them back. */
export const loyaltyTransactionKind = pgEnum('loyalty_transaction_kind', ['creditados', 'resgatados', 'expirados', 'estornados']);

export const loyaltyTransactions = pgTable(
  'loyalty_transactions',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    accountId: uuid().notNull(),
    kind: loyaltyTransactionKind().notNull(),
    /** Always positive; the kind says which way it moves the balance. */
    points: integer().notNull(),
    reason: text(),
    appointmentId: uuid(),
    rewardId: uuid(),
    /** The payment a credit came from (one credit per payment) and the refund a reversal answers (one per refund). */
    paymentId: uuid(),
    refundId: uuid(),
    /** The coupon a redemption created (usable in Pagamentos). */
    couponId: uuid(),
    /** Credits: when these points expire (null: the clinic's points do not expire). */
    expiresAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('loyalty_transactions_payment_credit_unique').on(t.paymentId).where(sql`${t.kind} = 'creditados' and ${t.paymentId} is not null`),
    uniqueIndex('loyalty_transactions_refund_unique').on(t.refundId).where(sql`${t.refundId} is not null`),
    foreignKey({ name: 'loyalty_transactions_account_fk', columns: [t.clinicId, t.accountId], foreignColumns: [loyaltyAccounts.clinicId, loyaltyAccounts.id] }).onDelete('cascade'),
    foreignKey({ name: 'loyalty_transactions_appointment_fk', columns: [t.clinicId, t.appointmentId], foreignColumns: [appointments.clinicId, appointments.id] }),
    foreignKey({ name: 'loyalty_transactions_reward_fk', columns: [t.clinicId, t.rewardId], foreignColumns: [rewards.clinicId, rewards.id] }),
    index('loyalty_transactions_account_idx').on(t.accountId, t.createdAt),
    check('loyalty_transactions_points_positive', sql`${t.points} > 0`),
  ],
);
