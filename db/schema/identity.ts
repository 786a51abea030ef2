// Who signs in and which clinics they belong to: users, clinics, memberships, sessions.
import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgEnum, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

import type { ClinicSettings } from '../../domain/clinic-settings';
export type { AnnaSettings, ClinicPaymentSettings, ClinicSettings, SlotSettings } from '../../domain/clinic-settings';

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
