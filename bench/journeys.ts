// Benchmark (on demand: `npm run bench:journeys`), issue #4: start 10,000 appointment journeys on the
// Temporal dev server through the product's journey driver, beside the start rate of an empty workflow
// on the same server in the same run (ratio); the worker's memory at rest with every journey asleep;
// and patient reply → journey reacts (appointment confirmed in PostgreSQL) latency p50/p99 over 1,000 replies.
// Env: BENCH_JOURNEYS (10000), BENCH_REPLIES (1000), BENCH_CONCURRENCY (32).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import pino from 'pino';
import { Client, Connection } from '@temporalio/client';
import { createAppointmentJourney } from '../journeys/appointment';
import { connect } from '../db/client';
import { startEmbeddedPostgres, ensureDatabase } from '../db/embedded';
import { migrateDatabase } from '../db/migrate';
import { freePort, startTemporalDevServer } from '../scripts/temporal-dev';
import { pct, pool, procMb } from './support';
import { appointmentWorkflowId, patientReplySignal, TASK_QUEUE } from '../workflows/definitions';

const JOURNEYS = Number(process.env.BENCH_JOURNEYS ?? 10_000);
const REPLIES = Math.min(JOURNEYS, Number(process.env.BENCH_REPLIES ?? 1_000));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const here = path.dirname(fileURLToPath(import.meta.url));


async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tigre-bench-journeys-'));
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: await freePort(), persistent: false });
  const temporal = await startTemporalDevServer({ port: await freePort(), logFile: path.join(dir, 'temporal.log') });
  let workerPid = 0;
  try {
    await ensureDatabase(pg.adminUrl, 'bench');
    const url = pg.urlFor('bench');
    await migrateDatabase(url);
    const sql = postgres(url, { max: 4, onnotice: () => {} });

    // One clinic, 50 professionals, one patient and one appointment per journey, 3–12 days ahead
    // (all journeys go to sleep until their 24h reminder).
    const [clinic] = await sql`insert into clinics (name, phone, address) values ('Clínica Benchmark', '+551130000000', 'Av. Paulista, 1000') returning id`;
    const [proc] = await sql`insert into procedures (clinic_id, name, category, duration_minutes, default_price_cents) values (${clinic.id}, 'Peeling', 'facial', 30, 25000) returning id`;
    await sql`insert into professionals (clinic_id, name) select ${clinic.id}, 'Prof ' || n from generate_series(1, 50) n`;
    await sql`insert into patients (clinic_id, name, whatsapp) select ${clinic.id}, 'Paciente ' || n, '+55119' || lpad(n::text, 8, '0') from generate_series(1, ${JOURNEYS}) n`;
    await sql`
      insert into appointments (clinic_id, patient_id, procedure_id, professional_id, starts_at, duration_minutes, price_cents)
      select ${clinic.id}, p.id, ${proc.id}, pf.id,
             date_trunc('hour', now()) + interval '3 days' + make_interval(mins => 30 * ((p.n - 1) / 50)::int), 30, 25000
      from (select id, row_number() over (order by id) as n from patients) p
      join (select id, row_number() over (order by id) as n from professionals) pf on pf.n = 1 + (p.n - 1) % 50`;
    const ids = (await sql`select id from appointments order by starts_at, id`).map((r) => r.id as string);
    console.log(`seeded ${ids.length} appointments`);

    const env = { ...process.env, DATABASE_URL: url, TEMPORAL_ADDRESS: temporal.address, BENCH_TASK_QUEUE: TASK_QUEUE, NODE_ENV: 'production', LOG_LEVEL: 'silent', TIGRE_DATA_KEY: 'ab'.repeat(32), TIGRE_LINK_SECRET: 'bench-link-secret-0123456789' };
    const worker = fork(path.join(here, 'journey-worker.ts'), { env, execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    workerPid = worker.pid!;
    await new Promise<void>((resolve, reject) => { worker.once('message', () => resolve()); worker.once('exit', (c) => reject(new Error(`worker exited ${c}`))); });

    const connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection });
    const database = connect(url, { max: CONCURRENCY + 4 });
    const journeys = createAppointmentJourney({ db: database.db, temporal: client, log: pino({ level: 'silent' }) }, { startupSweepMs: null });

    // Baseline: the same number of empty workflows started on the same server, same concurrency.
    let t = performance.now();
    await pool(ids, CONCURRENCY, (_, i) => client.workflow.start('benchEmptyWorkflow', { taskQueue: TASK_QUEUE, workflowId: `empty-${i}` }));
    const emptyRate = ids.length / ((performance.now() - t) / 1000);

    t = performance.now();
    await pool(ids, CONCURRENCY, async (id) => {
      const r = await journeys.start({ id });
      if (!r.ok) throw new Error(`journey ${id} not started: ${JSON.stringify(r)}`);
    });
    const journeyRate = ids.length / ((performance.now() - t) / 1000);

    // At rest: every journey has run its first task and sleeps on its timer.
    for (;;) {
      const { count } = await client.workflow.count(`WorkflowType = "appointmentJourney" AND ExecutionStatus = "Running"`);
      const [{ pending }] = await sql`select count(*)::int as pending from appointments where journey_sync_pending_since is not null`;
      if (count >= ids.length && pending === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 5000));
    const restMb = procMb(workerPid);

    // Replies: "1" to the journey; it confirms the appointment in PostgreSQL through an activity.
    const latencies: number[] = [];
    await pool(ids.slice(0, REPLIES), 8, async (id, i) => {
      const started = performance.now();
      await client.workflow.getHandle(appointmentWorkflowId(id)).signal(patientReplySignal, {
        text: '1', channel: 'whatsapp', receivedAt: new Date().toISOString(), messageId: `bench-${i}`,
      });
      for (;;) {
        const [row] = await sql`select status from appointments where id = ${id}`;
        if (row.status === 'confirmado') break;
        await new Promise((r) => setTimeout(r, 2));
      }
      latencies.push(performance.now() - started);
    });
    latencies.sort((a, b) => a - b);

    console.log(`\n${os.cpus().length} cores; Temporal dev server (in-memory SQLite), one worker process\n`);
    console.log(`journeys started/s (via api/journeys.ts)   ${journeyRate.toFixed(0).padStart(7)}`);
    console.log(`empty workflows started/s (baseline)       ${emptyRate.toFixed(0).padStart(7)}   ratio journey/empty ${(journeyRate / emptyRate).toFixed(2)}`);
    console.log(`worker RSS at rest, ${ids.length} journeys asleep   ${restMb.toFixed(0).padStart(5)} MB`);
    console.log(`reply → appointment confirmed, ${REPLIES} replies   p50 ${pct(latencies, 50).toFixed(1)} ms   p99 ${pct(latencies, 99).toFixed(1)} ms`);

    journeys.dispose();
    await database.close();
    await connection.close();
    await sql.end();
    worker.kill('SIGTERM');
  } finally {
    if (workerPid) try { process.kill(workerPid, 'SIGKILL'); } catch {}
    await temporal.stop();
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
