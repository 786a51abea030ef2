// Per-clinic credentials for external providers, encrypted with the data key (db/crypto.ts), and the
// per-professional Google Calendar links with their sync state and the clinic's daily Google quota.
import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { clinicId, createdAt, updatedAt } from './columns';
import { users } from './identity';
import { professionals } from './staff';

export const integrationProvider = pgEnum('integration_provider', ['openai', 'twilio', 'stripe', 'google', 'sendgrid', 's3']);
export type IntegrationProvider = (typeof integrationProvider.enumValues)[number];

export const providerCredentials = pgTable(
  'provider_credentials',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    provider: integrationProvider().notNull(),
    /** AES-256-GCM of the secret JSON (API keys, OAuth tokens): `encrypt(dataKey, JSON.stringify(…))`. */
    encryptedSecret: text().notNull(),
    /** Non-secret settings shown in the dashboard (account id, sender number, calendar id…). */
    config: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    lastUsedAt: timestamp({ withTimezone: true }),
  },
  (t) => [unique('provider_credentials_clinic_provider_unique').on(t.clinicId, t.provider), index('provider_credentials_provider_idx').on(t.provider)],
);

export const calendarConnectionStatus = pgEnum('calendar_connection_status', ['connected', 'disconnected', 'error']);
export type CalendarConnectionStatus = (typeof calendarConnectionStatus.enumValues)[number];

/**
 * A professional's own Google Calendar, connected through OAuth (one Google account per professional,
 * so the tokens live here rather than in the one-per-clinic provider_credentials row). Holds the
 * incremental-sync state (sync token) and the optional push-notification channel.
 */
export const calendarConnections = pgTable(
  'calendar_connections',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    professionalId: uuid().notNull(),
    status: calendarConnectionStatus().notNull().default('connected'),
    /** Google calendar id; 'primary' = the account's main calendar. */
    calendarId: text().notNull().default('primary'),
    /** AES-256-GCM of the OAuth tokens JSON (`encrypt(dataKey, …)`); null once disconnected. */
    encryptedTokens: text(),
    /** events.list nextSyncToken of the last completed pull; null = the next pull is a full sync. */
    syncToken: text(),
    lastSyncedAt: timestamp({ withTimezone: true }),
    lastFullSyncAt: timestamp({ withTimezone: true }),
    /** Why the last sync or push failed (pt-BR, shown in the dashboard); null after a success. */
    lastError: text(),
    lastErrorAt: timestamp({ withTimezone: true }),
    /** Push notifications (events.watch): our channel id, Google's resource id, when it expires. */
    channelId: text(),
    channelResourceId: text(),
    channelExpiresAt: timestamp({ withTimezone: true }),
    connectedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    connectedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    disconnectedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('calendar_connections_professional_unique').on(t.professionalId),
    foreignKey({ name: 'calendar_connections_professional_fk', columns: [t.clinicId, t.professionalId], foreignColumns: [professionals.clinicId, professionals.id] }).onDelete('cascade'),
    uniqueIndex('calendar_connections_channel_unique').on(t.channelId).where(sql`channel_id is not null`),
    index('calendar_connections_status_idx').on(t.status),
    check('calendar_connections_tokens_when_connected', sql`${t.status} <> 'connected' or ${t.encryptedTokens} is not null`),
  ],
);

/**
 * Google Calendar API requests per clinic and Google day (Pacific time, when Google resets quotas):
 * incremented before every request, refused past the clinic's daily budget (providers/calendar/rate-limit.ts).
 */
export const googleQuota = pgTable(
  'google_quota',
  {
    clinicId: clinicId(),
    day: date({ mode: 'string' }).notNull(),
    requests: integer().notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ name: 'google_quota_pk', columns: [t.clinicId, t.day] }), check('google_quota_requests_nonnegative', sql`${t.requests} >= 0`)],
);
