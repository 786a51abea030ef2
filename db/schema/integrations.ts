// Per-clinic credentials for external providers, encrypted with the data key (db/crypto.ts).
import { index, jsonb, pgEnum, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { clinicId, createdAt, updatedAt } from './columns';

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
