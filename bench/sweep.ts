// Benchmark (on demand: `npm run bench:sweep`), issue #12: the daily reactivation sweep over a clinic of
// BENCH_SWEEP_PATIENTS patients simulated from known BG/NBD parameters (tests/support/reactivation.ts),
// every one with WhatsApp and marketing consent, scored first (scoreClinic). Then the sweep activity itself
// (activities/reactivation.ts sweepReactivation: close ended windows, pick the eligible at-risk patients,
// draw the holdout, start the journeys of the contacted, up to the clinic's daily limit) beside
//  - the floor any sweep must read: a plain `select` of the at-risk scores, and
//  - the same number of empty workflows started on the same server in the same run, the same way
//    (BENCH_SWEEP_CONCURRENCY at a time, as the activity does): the ratio of journey starts to empty ones.
// Finally the time until every started journey's "saudade" message is in the outbox (the journeys ran).
// The baseline runs first, after a warm-up of the server.
// Env: BENCH_SWEEP_PATIENTS (100000), BENCH_SWEEP_LIMIT (1000, the clinic's daily limit; at most 1000).
import os from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { sql } from 'drizzle-orm';
import { Client, Connection } from '@temporalio/client';
import { connect } from '../db/client';
import { loadEnv } from '../config/env';
import { createReactivationActivities, SWEEP_START_CONCURRENCY } from '../activities/reactivation';
import { createMessageSender } from '../services/messaging/sender';
import { scoreClinic } from '../services/reactivation/scoring';
import { insertSimulatedClinic } from '../tests/support/reactivation';
import { TASK_QUEUE } from '../workflows/definitions';
import { benchStack, pool, procMb, until } from './support';

const N = Number(process.env.BENCH_SWEEP_PATIENTS ?? 100_000);
const LIMIT = Math.min(1000, Number(process.env.BENCH_SWEEP_LIMIT ?? 1000));
const TRUE = { r: 0.9, alpha: 70, a: 0.7, b: 2.2 };
const here = path.dirname(fileURLToPath(import.meta.url));

async function main() {
  const stack = await benchStack('sweep');
  const { url, temporal } = stack;
  let workerPid = 0;
  try {
    const database = connect(url, { max: 8 });
    const db = database.db;
    const now = new Date();

    let t = performance.now();
    const sim = await insertSimulatedClinic(db, { name: 'Clínica Benchmark', n: N, params: TRUE, maxDays: 730, seed: 'bench-sweep', now });
    await db.execute(sql`update patients set whatsapp = '+55119' || lpad((row_number)::text, 8, '0')
      from (select id as pid, row_number() over (order by id) from patients where clinic_id = ${sim.clinicId}::uuid) n where patients.id = n.pid`);
    await db.execute(sql`insert into consents (clinic_id, patient_id, channel, granted, source, granted_at)
      select clinic_id, id, 'whatsapp', true, 'painel', now() from patients where clinic_id = ${sim.clinicId}::uuid`);
    await db.execute(sql`update clinics set settings = settings || ${JSON.stringify({ reactivation: { dailyLimit: LIMIT, holdoutShare: 0.1 } })}::jsonb where id = ${sim.clinicId}::uuid`);
    await db.execute(sql`analyze`);
    console.log(`fixture: ${N} patients with WhatsApp and marketing consent in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    t = performance.now();
    const scored = await scoreClinic(db, sim.clinicId, now);
    const scoreMs = performance.now() - t;

    const secrets = { TIGRE_DATA_KEY: 'ab'.repeat(32), TIGRE_LINK_SECRET: 'bench-link-secret-0123456789' };
    const env = { ...process.env, ...secrets, DATABASE_URL: url, TEMPORAL_ADDRESS: temporal.address, BENCH_TASK_QUEUE: TASK_QUEUE, NODE_ENV: 'production', LOG_LEVEL: 'silent' };
    Object.assign(process.env, secrets, { DATABASE_URL: url, TEMPORAL_ADDRESS: temporal.address });
    const worker = fork(path.join(here, 'journey-worker.ts'), { env, execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    workerPid = worker.pid!;
    await new Promise<void>((resolve, reject) => { worker.once('message', () => resolve()); worker.once('exit', (c) => reject(new Error(`worker exited ${c}`))); });
    const connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection });

    // The floor: reading the at-risk scores the sweep starts from.
    t = performance.now();
    const [floor] = (await db.execute(sql`select count(*)::int as n from patient_scores where clinic_id = ${sim.clinicId}::uuid and risk > 70`)) as unknown as { n: number }[];
    const floorMs = performance.now() - t;

    const appEnv = loadEnv();
    const acts = createReactivationActivities({
      db, sender: createMessageSender({ db, env: appEnv, log: pino({ level: 'silent' }) }),
      links: { secret: secrets.TIGRE_LINK_SECRET, webBaseUrl: 'http://127.0.0.1:3000' }, temporal: client, taskQueue: TASK_QUEUE,
    });
    // Baseline first (after a warm-up): as many empty workflows as the daily limit, started the way the activity starts the journeys.
    await pool(Array.from({ length: 100 }, (_, i) => `warm-${i}`), SWEEP_START_CONCURRENCY, (id) => client.workflow.start('benchEmptyWorkflow', { taskQueue: TASK_QUEUE, workflowId: id }));
    const ids = Array.from({ length: LIMIT }, (_, i) => `empty-${i}`);
    t = performance.now();
    await pool(ids, SWEEP_START_CONCURRENCY, (id) => client.workflow.start('benchEmptyWorkflow', { taskQueue: TASK_QUEUE, workflowId: id }));
    const emptyMs = performance.now() - t;

    t = performance.now();
    const sweep = await acts.sweepReactivation({ clinicId: sim.clinicId, at: now.toISOString() });
    const sweepMs = performance.now() - t;
    const startMs = sweep.timings.startMs;

    t = performance.now();
    await until('saudade messages', async () => {
      const [r] = (await db.execute(sql`select count(*)::int as n from message_outbox where template = 'reactivation'`)) as unknown as { n: number }[];
      return r!.n;
    }, sweep.started);
    const ranMs = performance.now() - t;
    const rss = procMb(workerPid);

    const rate = (n: number, ms: number) => n / (ms / 1000);
    console.log(`\n${os.cpus().length} cores; Temporal dev server (in-memory SQLite), one worker process; ${N} patients\n`);
    console.log(`scoreClinic (BG/NBD + Gamma-Gamma fit, score, upsert)   ${scoreMs.toFixed(0).padStart(7)} ms   (${scored.scored} scored)`);
    console.log(`sweep activity, total                                   ${sweepMs.toFixed(0).padStart(7)} ms`);
    console.log(`  pick (close windows, eligibility, holdout, targets)   ${sweep.timings.pickMs.toFixed(0).padStart(7)} ms   at-risk scores alone ${floorMs.toFixed(0)} ms (× ${(sweep.timings.pickMs / Math.max(1, floorMs)).toFixed(1)}; ${floor!.n} at risk)`);
    console.log(`  eligible ${sweep.eligible}, control ${sweep.control}, to contact today ${sweep.started} (daily limit ${LIMIT})`);
    console.log(`journeys started/s by the sweep                         ${rate(sweep.started, startMs).toFixed(0).padStart(7)}`);
    console.log(`empty workflows started/s (baseline, ${SWEEP_START_CONCURRENCY} at a time)          ${rate(ids.length, emptyMs).toFixed(0).padStart(7)}   ratio sweep/empty ${(rate(sweep.started, startMs) / rate(ids.length, emptyMs)).toFixed(2)}`);
    console.log(`every started journey's message in the outbox          ${ranMs.toFixed(0).padStart(7)} ms after the sweep; worker RSS ${rss.toFixed(0)} MB`);

    await connection.close();
    await database.close();
    worker.kill('SIGTERM');
  } finally {
    if (workerPid) try { process.kill(workerPid, 'SIGKILL'); } catch { /* already gone */ }
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
