// Who changed what, per clinic (LGPD: kept 24 months).
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { clinics, users } from './identity';

export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: uuid().notNull().references(() => clinics.id, { onDelete: 'cascade' }),
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    /** e.g. 'create', 'update', 'delete', 'login', 'export'. */
    action: text().notNull(),
    /** The table/resource touched, e.g. 'patient', 'appointment'. */
    entity: text().notNull(),
    entityId: text(),
    before: jsonb(),
    after: jsonb(),
    requestId: text(),
    ip: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('audit_log_clinic_created_idx').on(t.clinicId, t.createdAt)],
);
