// Column builders shared by the tenant tables (not re-exported from the schema index).
import { sql, type SQL } from 'drizzle-orm';
import { timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { clinics } from './identity';

/** The tenant key every clinic-owned row carries; row-level security filters on it. */
export const clinicId = () =>
  uuid()
    .notNull()
    .references(() => clinics.id, { onDelete: 'cascade' });

export const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp({ withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

/** Regex (without backslashes, so it survives SQL and JS quoting) for an E.164 phone number. */
export const E164 = '^[+][1-9][0-9]{7,14}$';
export const isE164 = (col: AnyPgColumn): SQL => sql`${col} ~ ${sql.raw(`'${E164}'`)}`;
