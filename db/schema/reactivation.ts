// Bringing patients back (issue #12): the churn model's versions, each patient's latest score (risk,
// P(alive), lifetime value and why), the daily reactivation campaigns with their randomised holdout,
// and each targeted patient's journey and outcome (the training examples of the next model).
import { sql } from 'drizzle-orm';
import { check, date, doublePrecision, foreignKey, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { appointments } from './appointments';
import { clinicId, createdAt, updatedAt } from './columns';
import { coupons } from './feedback';
import { patients } from './patients';

export interface ScoreFactor { name: string; label: string; contribution: number; sign: 1 | -1 }

/** A trained churn learner (domain/lifetime fitLogistic): refitted weekly on the campaigns' outcomes. */
export const churnModels = pgTable(
  'churn_models',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    version: integer().notNull(),
    trainedAt: timestamp({ withTimezone: true }).notNull(),
    examples: integer().notNull(),
    positives: integer().notNull(),
    /** On the held-out fold; null when the fold had one class only. */
    auc: doublePrecision(),
    brier: doublePrecision(),
    /** Reliability table: per bin, mean predicted vs observed return rate. */
    calibration: jsonb().$type<{ bins: { low: number; high: number; count: number; meanPredicted: number; observed: number }[]; ece: number } | null>(),
    /** The model itself: feature names, weights, bias and the standardisation. */
    model: jsonb().$type<{ names: string[]; weights: number[]; bias: number; featureMeans: number[]; featureScales: number[] }>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique('churn_models_clinic_id_id_unique').on(t.clinicId, t.id),
    unique('churn_models_clinic_version_unique').on(t.clinicId, t.version),
  ],
);

/** The patient's latest score: what the at-risk list and the sweep read. */
export const patientScores = pgTable(
  'patient_scores',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    patientId: uuid().notNull(),
    risk: integer().notNull(),
    pAlive: doublePrecision().notNull(),
    /** Expected visits in the next 12 months (BG/NBD) and the 12-month lifetime value in centavos. */
    expectedVisits: doublePrecision().notNull(),
    clvCents: integer().notNull(),
    /** What the patient paid on average per visit, in centavos (observed). */
    averageTicketCents: integer().notNull(),
    lastVisitAt: timestamp({ withTimezone: true }),
    daysSinceLastVisit: integer(),
    /** The churn model version that scored her (null: BG/NBD alone). */
    modelVersion: integer(),
    factors: jsonb().$type<ScoreFactor[]>().notNull(),
    /** The learner's feature vector at scoring time (domain/lifetime CHURN_FEATURE_NAMES order). */
    features: jsonb().$type<number[]>().notNull(),
    scoredAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    unique('patient_scores_patient_unique').on(t.clinicId, t.patientId),
    foreignKey({ name: 'patient_scores_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }).onDelete('cascade'),
    index('patient_scores_risk_idx').on(t.clinicId, t.risk),
    check('patient_scores_risk_range', sql`${t.risk} between 0 and 100`),
  ],
);

/** One clinic's daily sweep: who was eligible, who was contacted and who was held out. */
export const reactivationCampaigns = pgTable(
  'reactivation_campaigns',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    /** The clinic's local day of the sweep (idempotent per day). */
    day: date({ mode: 'string' }).notNull(),
    /** The holdout's seed (domain/lifetime assignHoldout): the assignment can be re-derived. */
    seed: text().notNull(),
    holdoutShare: doublePrecision().notNull(),
    eligible: integer().notNull(),
    contacted: integer().notNull(),
    control: integer().notNull(),
    /** Eligible but over the clinic's daily limit: left for the next days. */
    deferred: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    unique('reactivation_campaigns_clinic_id_id_unique').on(t.clinicId, t.id),
    unique('reactivation_campaigns_clinic_day_unique').on(t.clinicId, t.day),
  ],
);

/**
 * A patient in a campaign: contacted (with her journey `reactivation:{patientId}:{n}`) or control (never
 * contacted, only observed). Either way the outcome is recorded when the window closes: voltou (a visit
 * booked by any path within the window, with its revenue once realised) or nao_voltou.
 */
export const reactivationTargets = pgTable(
  'reactivation_targets',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    campaignId: uuid().notNull(),
    patientId: uuid().notNull(),
    arm: text().notNull(),
    /** Contacted: the patient's n-th reactivation and its workflow id. */
    seq: integer(),
    workflowId: text(),
    risk: integer().notNull(),
    pAlive: doublePrecision().notNull(),
    clvCents: integer().notNull(),
    modelVersion: integer(),
    factors: jsonb().$type<ScoreFactor[]>().notNull(),
    /** The features the learner will train on (as scored at the time). */
    features: jsonb().$type<number[]>().notNull(),
    /** aguardando → enviada → (respondeu) → encerrada; sem_interesse; nao_enviada (why in skipReason); controle. */
    status: text().notNull(),
    skipReason: text(),
    couponId: uuid(),
    photoId: uuid(),
    sentAt: timestamp({ withTimezone: true }),
    followUpAt: timestamp({ withTimezone: true }),
    windowEndsAt: timestamp({ withTimezone: true }).notNull(),
    outcome: text(),
    returnedAppointmentId: uuid(),
    revenueCents: integer(),
    outcomeAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('reactivation_targets_clinic_id_id_unique').on(t.clinicId, t.id),
    unique('reactivation_targets_campaign_patient_unique').on(t.campaignId, t.patientId),
    unique('reactivation_targets_workflow_unique').on(t.clinicId, t.workflowId),
    unique('reactivation_targets_patient_seq_unique').on(t.clinicId, t.patientId, t.seq),
    foreignKey({ name: 'reactivation_targets_campaign_fk', columns: [t.clinicId, t.campaignId], foreignColumns: [reactivationCampaigns.clinicId, reactivationCampaigns.id] }).onDelete('cascade'),
    foreignKey({ name: 'reactivation_targets_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }).onDelete('cascade'),
    foreignKey({ name: 'reactivation_targets_coupon_fk', columns: [t.clinicId, t.couponId], foreignColumns: [coupons.clinicId, coupons.id] }),
    foreignKey({ name: 'reactivation_targets_appointment_fk', columns: [t.clinicId, t.returnedAppointmentId], foreignColumns: [appointments.clinicId, appointments.id] }).onDelete('set null'),
    index('reactivation_targets_patient_idx').on(t.clinicId, t.patientId, t.createdAt),
    index('reactivation_targets_open_idx').on(t.clinicId, t.windowEndsAt).where(sql`${t.outcome} is null`),
    check('reactivation_targets_arm', sql`${t.arm} in ('contacted', 'control')`),
    check('reactivation_targets_outcome', sql`${t.outcome} is null or ${t.outcome} in ('voltou', 'nao_voltou')`),
    check('reactivation_targets_contacted_has_workflow', sql`(${t.arm} = 'contacted') = (${t.workflowId} is not null)`),
  ],
);
