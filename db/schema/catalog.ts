// What the clinic sells: procedures and their price history.
import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, pgEnum, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { clinicId, createdAt, updatedAt } from './columns';

export const procedureCategory = pgEnum('procedure_category', ['facial', 'corporal', 'capilar', 'outra']);

export const procedures = pgTable(
  'procedures',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    name: text().notNull(),
    description: text(),
    durationMinutes: integer().notNull(),
    defaultPriceCents: integer().notNull(),
    /** What one session costs the clinic (product, supplies): margin for upsell ranking. */
    costCents: integer(),
    category: procedureCategory().notNull(),
    active: boolean().notNull().default(true),
    imageUrl: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('procedures_clinic_id_id_unique').on(t.clinicId, t.id),
    unique('procedures_clinic_name_unique').on(t.clinicId, t.name),
    check('procedures_duration_positive', sql`${t.durationMinutes} > 0`),
    check('procedures_default_price_nonnegative', sql`${t.defaultPriceCents} >= 0`),
    check('procedures_cost_nonnegative', sql`${t.costCents} is null or ${t.costCents} >= 0`),
  ],
);

/** Dynamic pricing: a price valid from a day until another (inclusive; open-ended when null). */
export const procedurePrices = pgTable(
  'procedure_prices',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    procedureId: uuid().notNull(),
    priceCents: integer().notNull(),
    validFrom: date({ mode: 'string' }).notNull(),
    validTo: date({ mode: 'string' }),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'procedure_prices_procedure_fk', columns: [t.clinicId, t.procedureId], foreignColumns: [procedures.clinicId, procedures.id] }).onDelete('cascade'),
    index('procedure_prices_procedure_idx').on(t.procedureId, t.validFrom),
    check('procedure_prices_price_nonnegative', sql`${t.priceCents} >= 0`),
    check('procedure_prices_valid_range', sql`${t.validTo} is null or ${t.validTo} >= ${t.validFrom}`),
  ],
);
