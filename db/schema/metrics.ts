// Daily rollups for the dashboard and the raw analytics event stream.
import { sql } from 'drizzle-orm';
import { check, date, foreignKey, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { clinicId, createdAt } from './columns';
import { patients } from './patients';

export const dailyMetrics = pgTable(
  'daily_metrics',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    /** The day in the clinic's time zone. */
    day: date({ mode: 'string' }).notNull(),
    /** Net: gross − refunds (domain/kpis.ts defines every figure). May be negative on a day of refunds. */
    revenueCents: integer().notNull().default(0),
    grossRevenueCents: integer().notNull().default(0),
    refundsCents: integer().notNull().default(0),
    /** Every appointment starting that day, cancelled ones included. */
    appointments: integer().notNull().default(0),
    noShows: integer().notNull().default(0),
    cancelled: integer().notNull().default(0),
    leads: integer().notNull().default(0),
    conversions: integer().notNull().default(0),
    newPatients: integer().notNull().default(0),
    completed: integer().notNull().default(0),
    paidVisits: integer().notNull().default(0),
    averageTicketCents: integer().notNull().default(0),
    computedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('daily_metrics_clinic_day_unique').on(t.clinicId, t.day),
    check(
      'daily_metrics_counts_nonnegative',
      sql`${t.grossRevenueCents} >= 0 and ${t.refundsCents} >= 0 and ${t.appointments} >= 0 and ${t.noShows} >= 0 and ${t.cancelled} >= 0 and ${t.leads} >= 0 and ${t.conversions} >= 0 and ${t.newPatients} >= 0 and ${t.completed} >= 0 and ${t.paidVisits} >= 0`,
    ),
    // The KPI invariants (domain/kpis.ts brokenInvariants), kept by the database too.
    check('daily_metrics_net_revenue', sql`${t.revenueCents} = ${t.grossRevenueCents} - ${t.refundsCents}`),
    check('daily_metrics_outcomes_within_booked', sql`${t.completed} + ${t.noShows} + ${t.cancelled} <= ${t.appointments} and ${t.paidVisits} <= ${t.completed}`),
    check('daily_metrics_conversions_within_leads', sql`${t.conversions} <= ${t.leads}`),
  ],
);

export const analyticsEvents = pgTable(
  'analytics_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    /** e.g. 'lead_qualified', 'appointment_booked', 'nps_answered', 'reactivation_sent'. */
    kind: text().notNull(),
    description: text(),
    patientId: uuid(),
    occurredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    data: jsonb().$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'analytics_events_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }).onDelete('cascade'),
    index('analytics_events_clinic_kind_occurred_idx').on(t.clinicId, t.kind, t.occurredAt),
    index('analytics_events_patient_idx').on(t.patientId),
  ],
);
