// Google Calendar sync on the worker: the dependencies of the calendar activities built from the
// environment (the Schedule itself is in journeys/schedules.ts).
import { apiUrl, secrets, type Env } from '../config/env';
import type { Db } from '../db/client';
import type { CalendarActivityDeps, JourneySignals } from '../activities/calendar';
import { createCalendarProvider, googleWebhookUrl, OAUTH_CALLBACK_PATH } from '../providers/calendar';
import { pgQuota } from '../services/calendar-quota';

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
