// The worker process of bench/anna.ts (a child, so its memory is read on its own): the product's
// activities as worker/main.ts builds them (local message sender without Twilio, the local pt-BR brain
// without OPENAI_API_KEY), plus the baseline's one activity.
import { createRequire } from 'node:module';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import pino from 'pino';
import { createActivities } from '../activities';
import { loadEnv, secrets } from '../config/env';
import { connect } from '../db/client';
import { annaBrainFromEnv } from '../services/ai-ledger';
import { createMessageSender } from '../services/messaging/sender';
import { defaultPaymentProvider } from '../providers/payments';

export interface BenchEchoActivities {
  benchEchoSend(input: { clinicId: string; phone: string; n: number }): Promise<void>;
}

Runtime.install({ logger: new DefaultLogger('WARN') });
const env = loadEnv();
if (env.OPENAI_API_KEY || env.TWILIO_ACCOUNT_SID) throw new Error('the Anna bench worker runs on the local engine and the local outbox only');
const database = connect(env.DATABASE_URL!); // the production pool size (10)
const log = pino({ level: 'silent' });
const sender = createMessageSender({ db: database.db, env, log });
const echo: BenchEchoActivities = {
  async benchEchoSend({ clinicId, phone, n }) {
    await sender.send({
      clinicId, channel: 'whatsapp', to: phone, body: 'Olá! Recebemos sua mensagem.', templateKey: 'bench_echo',
      purpose: 'transactional', idempotencyKey: `bench_echo:${phone}:${n}`,
    });
  },
};
const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS! });
const worker = await Worker.create({
  connection,
  taskQueue: process.env.BENCH_TASK_QUEUE!,
  workflowsPath: createRequire(import.meta.url).resolve('./anna-workflows.ts'),
  activities: {
    ...createActivities({
      db: database.db,
      sender,
      links: { secret: secrets(env).linkSecret, webBaseUrl: 'http://127.0.0.1:3000' },
      lead: { brain: annaBrainFromEnv(env, database.db, log), payments: defaultPaymentProvider(env), log },
    }),
    ...echo,
  },
});
process.send?.('ready');
await worker.run();
await connection.close();
await database.close();
