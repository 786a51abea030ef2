// The weekly refit of every clinic's churn learner (issue #12), run by a Temporal Schedule
// (journeys/schedules.ts): per clinic, one activity trains the next churn_models version on the
// campaigns' outcomes and re-scores the patients with it. One clinic at a time (the scoring is heavy
// and the machine shared); a clinic that keeps failing is reported and the others go on. Long lists
// continue as new every 100 clinics, carrying the remaining ones and the run's instant.
import { ActivityFailure, continueAsNew, log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ChurnActivities, TrainAndScoreResult } from '../activities/churn';

const { listChurnClinics } = proxyActivities<ChurnActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 5 } });
const { trainAndScoreClinic } = proxyActivities<ChurnActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

export const CLINICS_PER_RUN = 100;

export interface ChurnModelTrainingInput {
  /** Only this clinic (on demand); every clinic with patients when absent. */
  clinicId?: string;
  /** Carried by continue-as-new: the clinics still to do, the job's instant and the totals so far. */
  remaining?: string[];
  asOf?: string;
  totals?: ChurnModelTrainingSummary;
}

export interface ChurnModelTrainingSummary {
  asOf: string;
  clinics: number;
  trained: number;
  scored: number;
  failed: { clinicId: string; error: string }[];
}

export async function churnModelTraining(input: ChurnModelTrainingInput = {}): Promise<ChurnModelTrainingSummary> {
  // The run's start is deterministic on replay; continued runs keep the first one's.
  const asOf = input.asOf ?? workflowInfo().runStartTime.toISOString();
  const todo = input.remaining ?? (input.clinicId ? [input.clinicId] : await listChurnClinics());
  const totals: ChurnModelTrainingSummary = input.totals ?? { asOf, clinics: 0, trained: 0, scored: 0, failed: [] };
  const now = todo.slice(0, CLINICS_PER_RUN);
  for (const clinicId of now) {
    try {
      const r: TrainAndScoreResult = await trainAndScoreClinic({ clinicId, asOf });
      totals.clinics++;
      if (r.training.trained) totals.trained++;
      totals.scored += r.scoring.scored;
    } catch (err) {
      const error = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
      log.warn('churn model training failed', { clinicId, error });
      totals.clinics++;
      totals.failed.push({ clinicId, error });
    }
  }
  const rest = todo.slice(CLINICS_PER_RUN);
  if (rest.length) await continueAsNew<typeof churnModelTraining>({ remaining: rest, asOf, totals });
  return totals;
}
