// Who performs procedures and when: professionals, weekly hours, time blocks, holidays.
import { sql } from 'drizzle-orm';
import {
  boolean, check, date, foreignKey, index, integer, jsonb, pgEnum, pgTable, primaryKey, smallint, text, timestamp, unique, uuid,
} from 'drizzle-orm/pg-core';
import { procedures } from './catalog';
import { clinicId, createdAt, isE164, updatedAt } from './columns';
import { users } from './identity';

export const professionals = pgTable(
  'professionals',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    /** The professional's own login, when they have one. */
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    name: text().notNull(),
    email: text(),
    phone: text(),
    specialty: text(),
    /** Commission on the procedures they perform, in basis points (1500 = 15%). */
    commissionBps: integer().notNull().default(0),
    /** Calendar colour, #rrggbb. */
    color: text().notNull().default('#6366f1'),
    active: boolean().notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('professionals_clinic_id_id_unique').on(t.clinicId, t.id),
    check('professionals_commission_range', sql`${t.commissionBps} between 0 and 10000`),
    check('professionals_color_hex', sql`${t.color} ~ '^#[0-9a-fA-F]{6}$'`),
    check('professionals_phone_e164', sql`${t.phone} is null or ${isE164(t.phone)}`),
  ],
);

/**
 * Weekly availability in the clinic's time zone: weekday 0 = Sunday … 6 = Saturday, minutes since
 * midnight. Several rows per day allow a lunch break; they may not overlap (exclusion constraint).
 */
export const professionalWorkingHours = pgTable(
  'professional_working_hours',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    professionalId: uuid().notNull(),
    weekday: smallint().notNull(),
    startMinute: integer().notNull(),
    endMinute: integer().notNull(),
  },
  (t) => [
    foreignKey({ name: 'professional_working_hours_professional_fk', columns: [t.clinicId, t.professionalId], foreignColumns: [professionals.clinicId, professionals.id] }).onDelete('cascade'),
    index('professional_working_hours_professional_idx').on(t.professionalId, t.weekday),
    check('professional_working_hours_weekday', sql`${t.weekday} between 0 and 6`),
    check('professional_working_hours_range', sql`${t.startMinute} >= 0 and ${t.endMinute} <= 1440 and ${t.startMinute} < ${t.endMinute}`),
  ],
);

export const timeBlockKind = pgEnum('time_block_kind', ['ferias', 'folga', 'almoco', 'reuniao', 'curso', 'pessoal', 'outro']);

/** One-off unavailability ("bloqueio de horário"). */
export const professionalTimeBlocks = pgTable(
  'professional_time_blocks',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    professionalId: uuid().notNull(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    kind: timeBlockKind().notNull().default('outro'),
    reason: text(),
    googleEventId: text(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'professional_time_blocks_professional_fk', columns: [t.clinicId, t.professionalId], foreignColumns: [professionals.clinicId, professionals.id] }).onDelete('cascade'),
    index('professional_time_blocks_professional_idx').on(t.professionalId, t.startsAt),
    check('professional_time_blocks_range', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

/** Which procedures each professional performs. */
export const professionalProcedures = pgTable(
  'professional_procedures',
  {
    clinicId: clinicId(),
    professionalId: uuid().notNull(),
    procedureId: uuid().notNull(),
  },
  (t) => [
    primaryKey({ name: 'professional_procedures_pk', columns: [t.professionalId, t.procedureId] }),
    foreignKey({ name: 'professional_procedures_professional_fk', columns: [t.clinicId, t.professionalId], foreignColumns: [professionals.clinicId, professionals.id] }).onDelete('cascade'),
    foreignKey({ name: 'professional_procedures_procedure_fk', columns: [t.clinicId, t.procedureId], foreignColumns: [procedures.clinicId, procedures.id] }).onDelete('cascade'),
    index('professional_procedures_procedure_idx').on(t.procedureId),
  ],
);

/** Days the whole clinic is closed. */
export const clinicHolidays = pgTable(
  'clinic_holidays',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    day: date({ mode: 'string' }).notNull(),
    name: text().notNull(),
  },
  (t) => [unique('clinic_holidays_clinic_day_unique').on(t.clinicId, t.day)],
);

/** Minutes since local midnight, [startMinute, endMinute). */
export interface OpeningInterval {
  startMinute: number;
  endMinute: number;
}

/**
 * A date that does not follow the weekly hours, for the whole clinic (professional_id null) or one
 * professional: either closed all day, or open only in `intervals` (which replace that weekday's hours).
 * A professional's own override wins over the clinic-wide one; holidays (clinic_holidays) close the clinic regardless.
 */
export const clinicDateOverrides = pgTable(
  'clinic_date_overrides',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    professionalId: uuid(),
    day: date({ mode: 'string' }).notNull(),
    closed: boolean().notNull().default(false),
    intervals: jsonb().$type<OpeningInterval[]>().notNull().default([]),
    reason: text(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'clinic_date_overrides_professional_fk', columns: [t.clinicId, t.professionalId], foreignColumns: [professionals.clinicId, professionals.id] }).onDelete('cascade'),
    unique('clinic_date_overrides_scope_day_unique').on(t.clinicId, t.professionalId, t.day).nullsNotDistinct(),
    index('clinic_date_overrides_day_idx').on(t.clinicId, t.day),
    check('clinic_date_overrides_shape', sql`jsonb_typeof(${t.intervals}) = 'array' and (${t.closed} = (jsonb_array_length(${t.intervals}) = 0))`),
  ],
);
