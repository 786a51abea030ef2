// Who signs in and which clinics they belong to: users, clinics, memberships, sessions.
import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgEnum, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

/** Per-clinic preferences kept as JSON (read with defaults; every key is optional). */
export interface ClinicSettings {
  /** The clinic's WhatsApp sender in E.164 (used to route inbound messages). */
  whatsappNumber?: string;
  /** The clinic's contact e-mail (reply-to of outbound e-mails). */
  email?: string;
  reminders?: { h24?: boolean; h2?: boolean; smsBackup?: boolean; emailBackup?: boolean };
  /** Minutes after an appointment ends before the journey marks it no_show if nobody marked the outcome (default 60). */
  noShowGraceMinutes?: number;
  /** Hours after a completed appointment before the NPS survey is sent (brief: 24). */
  npsDelayHours?: number;
  /** Discount offered to promoters (NPS 9-10), in percent. */
  upsellDiscountPercent?: number;
  /** Days without an appointment after which a patient counts as inactive (brief: 90). */
  reactivationAfterDays?: number;
  /** Loyalty points earned per real (R$ 1,00) paid. */
  loyaltyPointsPerReal?: number;
  /** Qualification score above which Anna suggests booking (brief: 70). */
  qualificationThreshold?: number;
  /** Anna, the WhatsApp assistant (issue #6); every key optional with a default (domain/anna/settings.ts). */
  anna?: AnnaSettings;
  brandColor?: string;
  /** How free slots are offered (defaults: DEFAULT_SLOT_SETTINGS in domain/slots.ts). */
  slotSettings?: SlotSettings;
  /** Charges, deposits and commissions (issue #5); every key optional with a safe default. */
  payments?: ClinicPaymentSettings;
}

export interface AnnaSettings {
  /** false: unknown numbers go straight to the staff queue (default true). */
  enabled?: boolean;
  /** Hours after the staff-queue hand-off before Anna sends a follow-up (default 24). */
  followUpDelayHours?: number;
  /** Hours of silence before one nudge (default 24) and before the conversation is abandoned (default 72). */
  nudgeAfterHours?: number;
  abandonAfterHours?: number;
  /** Minutes the lead has to pay the deposit before the slot is released (default 60). */
  paymentDeadlineMinutes?: number;
  /** OpenAI model (default gpt-4o-mini), per-clinic calls per minute (brief: 20) and monthly budget in millionths of a dollar. */
  model?: string;
  ratePerMinute?: number;
  monthlyBudgetMicroUsd?: number;
}

/** How the clinic charges: cap per charge, deposit (sinal) per procedure, card fees and commissions. */
export interface ClinicPaymentSettings {
  /** Largest single charge in centavos (default PAYMENT_MAX_CENTS, R$ 50.000,00). */
  maxChargeCents?: number;
  /** Deposit asked at booking per procedure id: a share in basis points or a fixed amount in centavos. */
  deposits?: Record<string, { bps?: number; cents?: number }>;
  /** Hours after booking by which the deposit must be paid (default 24). */
  depositDeadlineHours?: number;
  /** Card fee in basis points the clinic pays (used for commissions when Stripe's fee is unknown). */
  cardFeeBps?: number;
  /** Deduct card fees from the amount before computing a professional's commission (default false). */
  commissionAfterCardFees?: boolean;
  /** Fixed commission per procedure id in centavos, overriding the professional's percentage. */
  fixedCommissionCents?: Record<string, number>;
  /** Stripe Connect account (acct_…) per professional id: commissions paid out by transfer. */
  connectedAccounts?: Record<string, string>;
}

/** Slot finding: grid step, gaps around each appointment, how soon and how far ahead one can book. */
export interface SlotSettings {
  /** Step between offered start times (5–120). */
  slotIntervalMinutes: number;
  /** Free time kept before each appointment (0–120). */
  bufferBeforeMinutes: number;
  /** Free time kept after each appointment, e.g. cleaning the room (0–120). */
  bufferAfterMinutes: number;
  /** Earliest bookable start, from now (0–10080). */
  minNoticeMinutes: number;
  /** Latest bookable day, in days from today (1–365). */
  horizonDays: number;
}

export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    email: text().notNull().unique(),
    passwordHash: text().notNull(),
    name: text().notNull(),
    phone: text(),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastLoginAt: timestamp({ withTimezone: true }),
  },
  (t) => [check('users_email_lowercase', sql`${t.email} = lower(${t.email})`)],
);

export const clinics = pgTable('clinics', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  cnpj: text(),
  address: text(),
  phone: text(),
  logoUrl: text(),
  timezone: text().notNull().default('America/Sao_Paulo'),
  settings: jsonb().$type<ClinicSettings>().notNull().default({}),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const memberRole = pgEnum('member_role', ['admin', 'staff', 'view']);
export type MemberRole = (typeof memberRole.enumValues)[number];

export const clinicMemberships = pgTable(
  'clinic_memberships',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: uuid().notNull().references(() => clinics.id, { onDelete: 'cascade' }),
    userId: uuid().notNull().references(() => users.id, { onDelete: 'cascade' }),
    role: memberRole().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('clinic_memberships_clinic_user_unique').on(t.clinicId, t.userId), index('clinic_memberships_user_idx').on(t.userId)],
);

/** Signed-in sessions. Global (no row-level security): looked up by token before a clinic is known. */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid().primaryKey().defaultRandom(),
    tokenHash: text().notNull().unique('sessions_token_hash_unique'),
    userId: uuid().notNull().references(() => users.id, { onDelete: 'cascade' }),
    clinicId: uuid().notNull().references(() => clinics.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    ip: text(),
    userAgent: text(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);
