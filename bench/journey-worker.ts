// The worker process of bench/journeys.ts and bench/nps.ts (a child, so its memory can be read on its own).
// It has a Temporal client so the NPS journey can hand a promoter over to the upsell journey.
import { NativeConnection, Worker, Runtime, DefaultLogger } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
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
const client = new Client({ connection: await Connection.connect({ address: env.TEMPORAL_ADDRESS! }) });
const taskQueue = process.env.BENCH_TASK_QUEUE!;
const worker = await Worker.create({
  connection,
  taskQueue,
  workflowsPath: createRequire(import.meta.url).resolve('./journey-workflows.ts'),
  activities: createActivities({ db: database.db, sender: createMessageSender({ db: database.db, env, log }), reminders: { temporal: client, taskQueue } }),
  maxCachedWorkflows: 20_000,
});
process.send?.('ready');
await worker.run();
await database.close();
