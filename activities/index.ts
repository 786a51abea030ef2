// Every side effect a workflow needs, built from explicit dependencies so tests pass their own.
import type { Db } from '../db/client';
import { loadEnv, secrets } from '../config/env';
import type { MessageSender } from '../providers/messaging/types';
import { createMetricsActivities } from './metrics';
import { createCalendarActivities, localCalendarActivityDeps, type CalendarActivityDeps } from './calendar';
import { createAppointmentActivities, unconfiguredSender, type AppointmentActivityDeps, type ReminderLinks } from './appointment';
import { createLeadActivities, type LeadActivityDeps } from './lead';
import { createNpsActivities, type NpsActivityDeps } from './nps';
import { createUpsellActivities, type UpsellPhotos } from './upsell';
import { createReportActivities } from './reports';
import { createReactivationActivities, type ReactivationActivityDeps } from './reactivation';
import { createLoyaltyActivities } from './loyalty';
import { createChurnActivities } from './churn';

export interface ActivityDeps {
  db: Db;
  /** Google Calendar sync; without it the calendar activities work from the database alone. */
  calendar?: CalendarActivityDeps;
  /** WhatsApp / SMS / e-mail (providers/messaging createMessageSender); without it every send fails with MessagingNotConfigured. */
  sender?: MessageSender;
  /** Signed confirm/cancel links in reminders; default: secrets(env).linkSecret and WEB_URL (or 127.0.0.1:WEB_PORT) of this process. */
  links?: ReminderLinks;
  /** Slack webhook, the NPS hand-over client and the rest of the appointment journey's options. */
  reminders?: Omit<Partial<AppointmentActivityDeps>, 'db' | 'sender' | 'links'>;
  /** Anna's lead journey: the model (else the local engine), payments for deposits, the appointment journey driver. */
  lead?: Omit<Partial<LeadActivityDeps>, 'db' | 'sender'>;
  /** The NPS journey: Slack, the upsell hand-over client, the comment's sentiment model. */
  nps?: Omit<Partial<NpsActivityDeps>, 'db' | 'sender' | 'links'>;
  /** Consented before/after photos for the upsell's and the reactivation's messages. */
  photos?: UpsellPhotos;
  /** The reactivation sweep: the scorer run before it (services/reactivation/scoring.ts). */
  reactivation?: Pick<ReactivationActivityDeps, 'score'>;
}

/** Links signed with this process's secret, pointing at its web app (worker and API share the env). */
export function defaultReminderLinks(): ReminderLinks {
  const env = loadEnv();
  return { secret: secrets(env).linkSecret, webBaseUrl: env.WEB_URL ?? `http://127.0.0.1:${env.WEB_PORT}` };
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createMetricsActivities(deps),
    ...createCalendarActivities(deps.calendar ?? localCalendarActivityDeps(deps.db)),
    ...createAppointmentActivities({ ...deps.reminders, db: deps.db, sender: deps.sender ?? unconfiguredSender, links: deps.links ?? defaultReminderLinks() }),
    ...createLeadActivities({
      webBaseUrl: (deps.links ?? defaultReminderLinks()).webBaseUrl, ...deps.lead, db: deps.db, sender: deps.sender ?? unconfiguredSender,
    }),
    ...createNpsActivities({
      temporal: deps.reminders?.temporal, taskQueue: deps.reminders?.taskQueue, searchAttributes: deps.reminders?.searchAttributes,
      slackWebhookUrl: deps.reminders?.slackWebhookUrl, fetch: deps.reminders?.fetch, clock: deps.reminders?.clock,
      ...deps.nps, db: deps.db, sender: deps.sender ?? unconfiguredSender, links: deps.links ?? defaultReminderLinks(),
    }),
    ...createUpsellActivities({
      db: deps.db, sender: deps.sender ?? unconfiguredSender, links: deps.links ?? defaultReminderLinks(), photos: deps.photos, clock: deps.reminders?.clock,
    }),
    ...createReactivationActivities({
      db: deps.db, sender: deps.sender ?? unconfiguredSender, links: deps.links ?? defaultReminderLinks(), photos: deps.photos, clock: deps.reminders?.clock,
      temporal: deps.reminders?.temporal, taskQueue: deps.reminders?.taskQueue, searchAttributes: deps.reminders?.searchAttributes, ...deps.reactivation,
    }),
    ...createLoyaltyActivities({ db: deps.db, sender: deps.sender ?? unconfiguredSender, clock: deps.reminders?.clock }),
    ...createChurnActivities({ db: deps.db }),
    ...createReportActivities({ db: deps.db, sender: deps.sender ?? unconfiguredSender, links: deps.links ?? defaultReminderLinks(), clock: deps.reminders?.clock }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
