// The hourly reactivation sweep (a Temporal Schedule): every clinic whose local time is between 10h and
// 20h and that was not swept today is scored, its closed windows settled, and its eligible patients
// picked (holdout, daily limit); the contacted ones' journeys start from the activity. One activity per
// clinic, so one clinic's failure does not stop the others (it retries at the next hour).
import { log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ReactivationActivities } from '../activities/reactivation';
import type { ReactivationSweepResult } from './definitions';

const { reactivationClinicsDue } = proxyActivities<Pick<ReactivationActivities, 'reactivationClinicsDue'>>({
  startToCloseTimeout: '1 minute', retry: { maximumAttempts: 5 },
});
const { sweepReactivation } = proxyActivities<Pick<ReactivationActivities, 'sweepReactivation'>>({
  startToCloseTimeout: '20 minutes', retry: { maximumAttempts: 3, initialInterval: '30 seconds' },
});

export async function reactivationSweep(input: { clinicId?: string; at?: string } = {}): Promise<ReactivationSweepResult> {
  const at = input.at ?? workflowInfo().runStartTime.toISOString();
  const due = input.clinicId ? [input.clinicId] : await reactivationClinicsDue({ at });
  const swept: ReactivationSweepResult['swept'] = [];
  for (const clinicId of due) {
    try {
      const r = await sweepReactivation({ clinicId, at });
      swept.push({ clinicId, day: r.day, eligible: r.eligible, contacted: r.contacted, control: r.control, deferred: r.deferred, started: r.started, corrected: r.corrected });
    } catch (err) {
      // The next run of the schedule tries this clinic again (it is still due).
      log.warn('reactivation sweep failed for a clinic', { clinicId, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return { clinics: due.length, swept };
}
