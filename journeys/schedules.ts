// The Temporal Schedules the product needs, created idempotently at worker start: the hourly metrics
// rollup, the Google Calendar pull every 10 minutes, the hourly reactivation sweep, the daily loyalty
// maintenance and the weekly churn-model refit.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import {
  CALENDAR_SYNC_SCHEDULE_ID, CHURN_MODEL_SCHEDULE_ID, DAILY_METRICS_SCHEDULE_ID, LOYALTY_SCHEDULE_ID, MONTHLY_REPORT_SCHEDULE_ID, REACTIVATION_SWEEP_SCHEDULE_ID, TASK_QUEUE, WORKFLOW_TYPES,
} from '../workflows/definitions';
import { journeyAttributes, type Client } from './temporal';

async function ensure(client: Client, options: ScheduleOptions) {
  try {
    await client.schedule.create(options);
    return { created: true };
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return { created: false };
    throw err;
  }
}

export function ensureSchedules(client: Client, taskQueue = TASK_QUEUE) {
  return ensure(client, {
    scheduleId: DAILY_METRICS_SCHEDULE_ID,
    // Hourly, so today's figures stay fresh; each run recomputes yesterday and today (idempotent upserts).
    spec: { cronExpressions: ['5 * * * *'] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    action: {
      type: 'startWorkflow', workflowType: WORKFLOW_TYPES.dailyMetrics, taskQueue, args: [{}],
      typedSearchAttributes: journeyAttributes('daily-metrics', {}),
    },
  });
}

/** Hourly: each clinic is swept once per local day, the first run after 10h there (workflows/reactivationSweep.ts). */
export function ensureReactivationSchedule(client: Client, taskQueue = TASK_QUEUE) {
  return ensure(client, {
    scheduleId: REACTIVATION_SWEEP_SCHEDULE_ID,
    spec: { cronExpressions: ['20 * * * *'] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    action: {
      type: 'startWorkflow', workflowType: WORKFLOW_TYPES.reactivationSweep, taskQueue, args: [{}],
      typedSearchAttributes: journeyAttributes('reactivation', {}),
    },
  });
}

/** Daily at 09:05 UTC (06:05 in São Paulo): points expire, notices and tier-ups go out in the morning. */
export function ensureLoyaltySchedule(client: Client, taskQueue = TASK_QUEUE) {
  return ensure(client, {
    scheduleId: LOYALTY_SCHEDULE_ID,
    spec: { cronExpressions: ['5 9 * * *'] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    action: { type: 'startWorkflow', workflowType: WORKFLOW_TYPES.loyaltyMaintenance, taskQueue, args: [{}], typedSearchAttributes: journeyAttributes('loyalty', {}) },
  });
}

export function ensureCalendarSyncSchedule(client: Client, taskQueue = TASK_QUEUE) {
  return ensure(client, {
    scheduleId: CALENDAR_SYNC_SCHEDULE_ID,
    spec: { intervals: [{ every: '10 minutes' }] },
    // A slow run (Google backing off) is not doubled; runs missed while the worker was down are not replayed.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' },
    action: {
      type: 'startWorkflow', workflowType: WORKFLOW_TYPES.calendarSync, taskQueue, args: [{ reason: 'schedule' }],
      typedSearchAttributes: journeyAttributes('calendar-sync', {}),
    },
  });
}

/**
 * Mondays at 06:00 UTC (03:00 in São Paulo, before the clinics open and the daily sweep reads the
 * scores): every clinic's churn learner refitted on its campaigns' outcomes, then its patients re-scored.
 */
export function ensureChurnTrainingSchedule(client: Client, taskQueue = TASK_QUEUE) {
  return ensure(client, {
    scheduleId: CHURN_MODEL_SCHEDULE_ID,
    spec: { cronExpressions: ['0 6 * * 1'] },
    // A run still going a week later is not doubled; a week missed while the worker was down runs once on its return.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
    action: {
      type: 'startWorkflow', workflowType: WORKFLOW_TYPES.churnTraining, taskQueue, args: [{}],
      typedSearchAttributes: journeyAttributes('churn-model', {}),
    },
  });
}

/** Hourly at :35; each clinic's report goes once per month and recipient (the 1st from 08:00 local, up to the 3rd). */
export function ensureMonthlyReportSchedule(client: Client, taskQueue = TASK_QUEUE) {
  return ensure(client, {
    scheduleId: MONTHLY_REPORT_SCHEDULE_ID,
    spec: { cronExpressions: ['35 * * * *'] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
    action: { type: 'startWorkflow', workflowType: WORKFLOW_TYPES.monthlyReport, taskQueue, args: [{}], typedSearchAttributes: journeyAttributes('report', {}) },
  });
}
