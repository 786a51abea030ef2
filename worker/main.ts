// The worker process: runs every journey and activity on the one task queue until SIGINT/SIGTERM.
import { NativeConnection, Runtime, type LogLevel, type LogMetadata } from '@temporalio/worker';
import { connect } from '../db/client';
import { loadEnv, secrets } from '../config/env';
import { createMessageSender } from '../services/messaging/sender';
import { createLogger } from '../config/logger';
import { temporalConnectionOptions } from '../config/temporal';
import { createWorker } from './worker';
import { calendarActivityDeps } from './calendar-schedule';
import { scoreClinic } from '../services/reactivation/scoring';
import { ensureCalendarSyncSchedule, ensureChurnTrainingSchedule, ensureLoyaltySchedule, ensureMonthlyReportSchedule, ensureReactivationSchedule, ensureSchedules } from '../journeys/schedules';
import { connectTemporal } from '../journeys/temporal';
import { createAppointmentJourney } from '../journeys/appointment';
import { createCalendarActivities } from '../activities/calendar';
import { defaultPaymentProvider } from '../providers/payments';
import { annaBrainFromEnv } from '../services/ai-ledger';
import { storageFromEnv } from '../providers/storage';
import { upsellPhotoSource } from '../services/photos';

const env = loadEnv();
const log = createLogger(env, 'worker');
if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required (npm start sets it for the embedded PostgreSQL)');

// Route the SDK's logs (activity logs carry workflowId/activityId) through pino.
Runtime.install({
  logger: {
    log: (level: LogLevel, message: string, meta?: LogMetadata) =>
      log[level === 'TRACE' ? 'trace' : (level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error')](meta ?? {}, message),
    trace: (m: string, meta?: LogMetadata) => log.trace(meta ?? {}, m),
    debug: (m: string, meta?: LogMetadata) => log.debug(meta ?? {}, m),
    // The workflow bundler reports webpack's stats at info: keep them for debugging only.
    info: (m: string, meta?: LogMetadata) => (m.startsWith('asset workflow-bundle') ? log.debug(meta ?? {}, m) : log.info(meta ?? {}, m)),
    warn: (m: string, meta?: LogMetadata) => log.warn(meta ?? {}, m),
    error: (m: string, meta?: LogMetadata) => log.error(meta ?? {}, m),
  },
});

const database = connect(env.DATABASE_URL);
const connectionOptions = temporalConnectionOptions(env);
const connection = await NativeConnection.connect(connectionOptions);
const temporal = connectTemporal(env);
const client = temporal.client;
// Calendar sync moves or cancels appointments: their journeys hear it through the one journey driver.
const journeys = createAppointmentJourney({ db: database.db, temporal: client, log }, { taskQueue: env.TEMPORAL_TASK_QUEUE });
const calendarDeps = calendarActivityDeps(env, database.db, journeys, log.child({ module: 'calendar' }));
const calendarActivities = createCalendarActivities(calendarDeps);
// One brain for Anna and the survey comments: OpenAI when OPENAI_API_KEY is set, the local pt-BR engine otherwise.
const brain = annaBrainFromEnv(env, database.db, log.child({ module: 'ai' }));
// The upsell's before/after photo: S3 when S3_BUCKET is set, else the local files the API serves.
const photos = upsellPhotoSource({ db: database.db, storage: storageFromEnv(env) });
const worker = await createWorker({
  connection, namespace: env.TEMPORAL_NAMESPACE, taskQueue: env.TEMPORAL_TASK_QUEUE,
  deps: {
    db: database.db,
    calendar: calendarDeps,
    // WhatsApp/SMS via Twilio and e-mail via SendGrid when configured, else the local outbox (simulator).
    sender: createMessageSender({ db: database.db, env, log: log.child({ module: 'messaging' }) }),
    links: { secret: secrets(env).linkSecret, webBaseUrl: env.WEB_URL ?? `http://127.0.0.1:${env.WEB_PORT}` },
    reminders: { temporal: client, taskQueue: env.TEMPORAL_TASK_QUEUE, slackWebhookUrl: env.SLACK_WEBHOOK_URL, log: log.child({ module: 'reminders' }) },
    // Survey comments: OpenAI's sentiment when configured (same limits and fallbacks as Anna), else the local lexicon.
    nps: env.OPENAI_API_KEY ? { sentiment: (input) => brain.sentiment(input) } : {},
    lead: {
      // OpenAI when OPENAI_API_KEY is set (with the clinic's rate limit and budget), else the local pt-BR engine.
      brain,
      phraseReplies: Boolean(env.OPENAI_API_KEY),
      payments: defaultPaymentProvider(env),
      journeys,
      pushToCalendar: (appointmentId) => calendarActivities.pushAppointment({ appointmentId }),
      slackWebhookUrl: env.SLACK_WEBHOOK_URL,
      log: log.child({ module: 'lead' }),
    },
    photos: { pick: photos.pickForUpsell, url: photos.urlForMessage },
    // The daily reactivation sweep scores the clinic's patients first (BG/NBD + Gamma–Gamma + the learned model).
    reactivation: { score: scoreClinic },
  },
});

const { created } = await ensureSchedules(client, env.TEMPORAL_TASK_QUEUE);
await ensureCalendarSyncSchedule(client, env.TEMPORAL_TASK_QUEUE);
await ensureReactivationSchedule(client, env.TEMPORAL_TASK_QUEUE);
await ensureLoyaltySchedule(client, env.TEMPORAL_TASK_QUEUE);
await ensureChurnTrainingSchedule(client, env.TEMPORAL_TASK_QUEUE);
await ensureMonthlyReportSchedule(client, env.TEMPORAL_TASK_QUEUE);
log.info({ created }, 'schedules ready (daily metrics, calendar sync, reactivation sweep, loyalty, churn model, monthly report e-mail)');

log.info({ taskQueue: worker.options.taskQueue, namespace: env.TEMPORAL_NAMESPACE }, 'worker started');
try {
  await worker.run(); // returns after SIGINT/SIGTERM once in-flight tasks finish
} finally {
  journeys.dispose();
  await temporal.close();
  await connection.close();
  await database.close();
  log.info('worker stopped');
}
