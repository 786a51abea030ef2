// The API with messaging configuration (Twilio/SendGrid webhook secrets) on the run's Temporal server.
import { Client, Connection } from '@temporalio/client';
import { inject } from 'vitest';
import pino from 'pino';
import { createApp } from '../../api/app';
import { loadEnv } from '../../config/env';
import type { Db } from '../../db/client';

export async function createMessagingApp(db: Db, envOverrides: Record<string, string>, opts: { now?: () => Date } = {}) {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  const temporal = new Client({ connection });
  const env = loadEnv({ NODE_ENV: 'test', ...envOverrides });
  const app = createApp({
    env, db, log: pino({ level: 'silent' }), temporal,
    temporalHealthy: async () => true,
    now: opts.now ?? (() => new Date()),
  });
  return { app, temporal, connection, env, close: () => connection.close() };
}
