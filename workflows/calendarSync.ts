// Google Calendar pull, run by a Temporal Schedule every 10 minutes for every connected professional,
// and on demand (push notification, "sincronizar agora", right after connecting) for some of them.
import { ActivityFailure, proxyActivities, log } from '@temporalio/workflow';
import type { CalendarActivities, SyncReason, SyncResult } from '../activities/calendar';


const { listCalendarConnections } = proxyActivities<CalendarActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3 },
});
// A sync may back off on Google's rate limits for a while; quota and revoked access come back as results.
const { syncCalendar } = proxyActivities<CalendarActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

export interface CalendarSyncInput {
  /** Only these professionals; every connected one when absent. */
  professionalIds?: string[];
  reason?: SyncReason;
}

export interface CalendarSyncSummary {
  results: Array<SyncResult | { professionalId: string; status: 'failed'; error: string }>;
  failed: number;
}

export async function calendarSync(input: CalendarSyncInput = {}): Promise<CalendarSyncSummary> {
  const reason = input.reason ?? (input.professionalIds ? 'manual' : 'schedule');
  const ids = input.professionalIds ?? (await listCalendarConnections()).map((c) => c.professionalId);
  const results: CalendarSyncSummary['results'] = [];
  // One at a time: the clinic shares one daily Google budget, and one professional's failure
  // (after its retries) must not stop the others.
  for (const professionalId of ids) {
    try {
      results.push(await syncCalendar({ professionalId, reason }));
    } catch (err) {
      const error = err instanceof ActivityFailure && err.cause ? err.cause.message : String(err);
      log.warn('calendar sync failed', { professionalId, error });
      results.push({ professionalId, status: 'failed', error });
    }
  }
  return { results, failed: results.filter((r) => r.status === 'failed').length };
}
