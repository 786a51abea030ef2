// The worker process of bench/journeys.ts (a child, so its memory can be read on its own).
import { NativeConnection, Worker, Runtime, DefaultLogger } from '@temporalio/worker';
import { createRequire } from 'node:module';
import pino from 'pino';
import { connect } from '../db/client';
import { loadEnv } from '../config/env';
import { createActivities } from '../activities';
import { createMessageSender } from '../services/messaging/sender';

Runtime.install({ logger: new DefaultLogger('WARN') });
const env = loadEnv();
const database = connect(env.DATABASE_URL!, { max: 20 });
const log = pino({ level: 'silent' });
const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS! });
const worker = await Worker.create({
  connection,
  taskQueue: process.env.BENCH_TASK_QUEUE!,
  workflowsPath: createRequire(import.meta.url).resolve('./journey-workflows.ts'),
  activities: createActivities({ db: database.db, sender: createMessageSender({ db: database.db, env, log }) }),
  maxCachedWorkflows: 20_000,
});
process.send?.('ready');
await worker.run();
await database.close();
