// The whole product for browser tests: a seeded test database, the daily rollup run through Temporal by
// a real worker, the API in-process and the built web app as a child process, all on 127.0.0.1.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import pino from 'pino';
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { loadEnv, secrets } from '../../config/env';
import { seedDemo, DEMO_USERS, DEMO_PASSWORD } from '../../db/seed';
import { addLocalDays, localDate } from '../../domain/timezone';
import { createWorker, workflowsPath } from '../../worker/worker';
import { dailyMetricsRollup } from '../../workflows/dailyMetrics';
import { freePort } from '../../scripts/temporal-dev';
import { startProcess, waitForHttp } from '../../scripts/processes';
import { webServerEntry } from '../../scripts/web-build';
import { createTestDatabase } from './db';
import { createAppointmentJourney } from '../../journeys/appointment';
import { createMessageSender } from '../../services/messaging/sender';
import { createLocalPaymentProvider } from '../../providers/payments';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export async function startStack() {
  if (!fs.existsSync(webServerEntry)) throw new Error('web/build is missing: run `npm test` (it builds the web app) or `npx tsx scripts/web-build.ts`');
  const tdb = await createTestDatabase();
  // Its own task queue on the shared dev server: another stack's worker never picks up this stack's journeys.
  const taskQueue = `stack-${tdb.name}`;
  // Photos (local storage) go to a temporary directory of this stack.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tigre-stack-data-'));
  const env = loadEnv({ NODE_ENV: 'test', TEMPORAL_TASK_QUEUE: taskQueue, DATA_DIR: dataDir });
  const now = new Date();
  await seedDemo(tdb.db, { now, ...secrets(env) });

  const address = inject('temporalAddress');
  const native = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const log = pino({ level: 'silent' });
  const webPort = await freePort();
  const webUrl = `http://127.0.0.1:${webPort}`;
  const journeys = createAppointmentJourney({ db: tdb.db, temporal: client, log }, { taskQueue });
  const worker = await createWorker({
    connection: native, namespace: 'default', taskQueue,
    // The local outbox (what the simulator shows) and the local checkout, as `npm start` without credentials.
    deps: {
      db: tdb.db,
      sender: createMessageSender({ db: tdb.db, env, log }),
      lead: { payments: createLocalPaymentProvider({ webUrl }), journeys, webBaseUrl: webUrl },
    },
    workflowBundle: await bundleWorkflowCode({ workflowsPath, logger: quiet }),
  });
  const running = worker.run();
  const today = localDate(now, 'America/Sao_Paulo');
  await client.workflow.execute(dailyMetricsRollup, {
    workflowId: `stack-backfill-${tdb.name}`, taskQueue, args: [{ from: addLocalDays(today, -200), to: addLocalDays(today, 30) }],
  });

  const app = createApp({
    env: { ...env, TRUST_PROXY: '1' }, db: tdb.db, log: pino({ level: 'silent' }), temporal: client, now: () => new Date(),
    temporalHealthy: () => connection.workflowService.getSystemInfo({}).then(() => true),
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const web = startProcess('web', process.execPath, [webServerEntry], {
    env: { PORT: String(webPort), HOST: '127.0.0.1', ORIGIN: `http://127.0.0.1:${webPort}`, BODY_SIZE_LIMIT: '16M', API_URL: apiUrl, NODE_ENV: 'production' }, output: 'ignore',
  });
  await waitForHttp(`${webUrl}/login`, web, 30_000);

  const admin = DEMO_USERS.find((u) => u.role === 'admin')!;
  return {
    webUrl, apiUrl, db: tdb.db, taskQueue,
    demo: { email: admin.email, password: DEMO_PASSWORD },
    async stop() {
      await web.stop();
      await new Promise((resolve) => server.close(resolve));
      journeys.dispose();
      worker.shutdown();
      await running;
      await connection.close();
      await native.close();
      await tdb.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
