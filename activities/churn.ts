// The weekly churn-model job's side effects (workflows/churnModelTraining.ts): which clinics to visit,
// and for one clinic, refit its churn learner on the campaigns' outcomes and re-score its patients.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { scoreClinic, trainChurnModel, type ScoreClinicResult, type TrainChurnModelResult } from '../services/reactivation/scoring';

export interface TrainAndScoreInput {
  clinicId: string;
  /** The job's instant (the workflow's start): the model's trainedAt and the scores' "today". */
  asOf: string;
}

export interface TrainAndScoreResult {
  clinicId: string;
  /** The model trained now, or why not; 'already_trained' when a retry finds this run's version in place. */
  training: TrainChurnModelResult | { trained: false; reason: 'already_trained'; version: number };
  scoring: Pick<ScoreClinicResult, 'scored' | 'method' | 'modelVersion' | 'fallbackReason' | 'ms'>;
}

export function createChurnActivities(deps: { db: Db }) {
  return {
    /** Every clinic with at least one patient, in a stable order. */
    async listChurnClinics(): Promise<string[]> {
      const rows = (await deps.db.execute(sql`
        select c.id from clinics c where exists (select 1 from patients p where p.clinic_id = c.id and p.deleted_at is null) order by c.id
      `)) as unknown as { id: string }[];
      return rows.map((r) => r.id);
    },

    /** Train, then score with what was trained. A retry does not train a second version for the same run. */
    async trainAndScoreClinic(input: TrainAndScoreInput): Promise<TrainAndScoreResult> {
      const asOf = new Date(input.asOf);
      const [done] = (await deps.db.execute(sql`
        select version from churn_models where clinic_id = ${input.clinicId}::uuid and trained_at = ${asOf.toISOString()}::timestamptz
        order by version desc limit 1
      `)) as unknown as { version: number }[];
      const training = done ? { trained: false as const, reason: 'already_trained' as const, version: done.version } : await trainChurnModel(deps.db, input.clinicId, asOf);
      const s = await scoreClinic(deps.db, input.clinicId, asOf);
      return { clinicId: input.clinicId, training, scoring: { scored: s.scored, method: s.method, modelVersion: s.modelVersion, fallbackReason: s.fallbackReason, ms: s.ms } };
    },
  };
}

export type ChurnActivities = ReturnType<typeof createChurnActivities>;
