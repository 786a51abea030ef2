// Google Calendar sync on the worker: the Temporal Schedule (every 10 minutes, all connected
// professionals) and the dependencies of the calendar activities built from the environment.
import { Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { apiUrl, secrets, type Env } from '../config/env';
import type { Db } from '../db/client';
import type { CalendarActivityDeps, JourneySignals } from '../activities/calendar';
import { createCalendarProvider, googleWebhookUrl, OAUTH_CALLBACK_PATH } from '../providers/calendar';
import { pgQuota } from '../providers/calendar/rate-limit';
import { JourneyKind, TASK_QUEUE } from '../workflows/definitions';
import { CALENDAR_SYNC_SCHEDULE_ID, type calendarSync } from '../workflows/calendarSync';

export async function ensureCalendarSyncSchedule(client: Client, taskQueue = TASK_QUEUE) {
  try {
    await client.schedule.create({
      scheduleId: CALENDAR_SYNC_SCHEDULE_ID,
      spec: { intervals: [{ every: '10 minutes' }] },
      // A slow run (Google backing off) is not doubled; runs missed while the worker was down are not replayed.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' },
      action: {
        type: 'startWorkflow',
        workflowType: 'calendarSync' satisfies (typeof calendarSync)['name'],
        taskQueue,
        args: [{ reason: 'schedule' }],
        typedSearchAttributes: [{ key: JourneyKind, value: 'calendar-sync' }],
      },
    });
    return { created: true };
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return { created: false };
    throw err;
  }
}

/**
 * What createCalendarActivities needs, from the environment: the Google adapter when
 * GOOGLE_CLIENT_ID/SECRET are set (else the local one: every calendar activity is then a no-op),
 * the clinic quota in PostgreSQL, and push channels when the public URL is https.
 */
export function calendarActivityDeps(env: Env, db: Db, journeys: JourneySignals, log?: CalendarActivityDeps['log']): CalendarActivityDeps {
  const redirectUrl = env.GOOGLE_REDIRECT_URL ?? `${apiUrl(env)}${OAUTH_CALLBACK_PATH}`;
  const quota = pgQuota(db);
  const { dataKey, linkSecret } = secrets(env);
  return {
    db, journeys, dataKey, linkSecret, quota, log,
    calendar: createCalendarProvider({ clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET, redirectUrl, quota }),
    webhookUrl: googleWebhookUrl(redirectUrl),
  };
}
