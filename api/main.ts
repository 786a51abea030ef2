// The API process: Hono on Node, PostgreSQL and a lazy Temporal client; stops cleanly on SIGINT/SIGTERM.
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { loadEnv } from '../config/env';
import { createLogger } from '../config/logger';
import { temporalConnectionOptions } from '../config/temporal';
import { connect } from '../db/client';
import { createApp } from './app';
import { resignalFailedReplies } from '../services/inbound/inbound';

const env = loadEnv();
const log = createLogger(env, 'api');
if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required (npm start sets it for the embedded PostgreSQL)');

const database = connect(env.DATABASE_URL);
const connection = Connection.lazy(temporalConnectionOptions(env));
const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });

const app = createApp({
  env, log, db: database.db, temporal, now: () => new Date(),
  temporalHealthy: () =>
    connection.withDeadline(Date.now() + 2000, () => connection.workflowService.getSystemInfo({})).then(() => true),
});

const server = serve({ fetch: app.fetch, port: env.API_PORT, hostname: env.API_HOST }, (info) =>
  log.info({ url: `http://${info.address}:${info.port}`, docs: `http://${info.address}:${info.port}/docs` }, 'api listening'),
);

// Patient replies whose signal failed (Temporal briefly unreachable) are delivered again every minute.
const resignal = setInterval(() => {
  resignalFailedReplies({ db: database.db, env, log, temporal, now: () => new Date() })
    .catch((err) => log.warn({ err }, 'resignal of failed replies failed'));
}, 60_000);
resignal.unref();

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'api stopping');
  clearInterval(resignal);
  server.close();
  await Promise.allSettled([database.close(), connection.close()]);
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
