// Temporal Schedules the product needs; created idempotently at worker start.
import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { DAILY_METRICS_SCHEDULE_ID, JourneyKind, TASK_QUEUE } from '../workflows/definitions';
import type { dailyMetricsRollup } from '../workflows/dailyMetrics';

export async function ensureSchedules(client: Client, taskQueue = TASK_QUEUE) {
  try {
    await client.schedule.create({
      scheduleId: DAILY_METRICS_SCHEDULE_ID,
      // Hourly, so today's figures stay fresh; each run recomputes yesterday and today (idempotent upserts).
      spec: { cronExpressions: ['5 * * * *'] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      action: {
        type: 'startWorkflow',
        workflowType: 'dailyMetricsRollup' satisfies (typeof dailyMetricsRollup)['name'],
        taskQueue,
        args: [{}],
        typedSearchAttributes: [{ key: JourneyKind, value: 'daily-metrics' }],
      },
    });
    return { created: true };
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return { created: false };
    throw err;
  }
}
