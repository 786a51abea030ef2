// The API process: Hono on Node, PostgreSQL and a lazy Temporal client; stops cleanly on SIGINT/SIGTERM.
import { serve } from '@hono/node-server';
import { loadEnv } from '../config/env';
import { createLogger } from '../config/logger';
import { connect } from '../db/client';
import { appointmentJourney } from '../journeys/appointment';
import { connectTemporal } from '../journeys/temporal';
import { createApp } from './app';

const env = loadEnv();
const log = createLogger(env, 'api');
if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required (npm start sets it for the embedded PostgreSQL)');

const database = connect(env.DATABASE_URL);
const temporal = connectTemporal(env);
// The journey client of this process: its redelivery sweep runs shortly after start-up (marks left by a
// crash) and whenever a signal to a journey fails.
const journeys = appointmentJourney({ db: database.db, temporal: temporal.client, log }, { taskQueue: env.TEMPORAL_TASK_QUEUE });

const app = createApp({
  env, log, db: database.db, temporal: temporal.client, now: () => new Date(),
  temporalHealthy: () => temporal.healthy(2000),
});

const server = serve({ fetch: app.fetch, port: env.API_PORT, hostname: env.API_HOST }, (info) =>
  log.info({ url: `http://${info.address}:${info.port}`, docs: `http://${info.address}:${info.port}/docs` }, 'api listening'),
);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'api stopping');
  journeys.dispose();
  server.close();
  await Promise.allSettled([database.close(), temporal.close()]);
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
