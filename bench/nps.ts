// Benchmark (on demand: `npm run bench:nps`), issue #11: 10,000 realised appointments hand over to
// their NPS journeys through the product's hand-over (journeys/handovers.ts startNpsJourney), beside the
// start rate of an empty workflow on the same server in the same run (ratio); the worker's memory once
// every survey has been asked and its journey sleeps waiting for the score; then 1,000 patients reply "9"
// through the product's inbound path (services/inbound/route.ts, as the Twilio webhook does): reply →
// score stored, p50/p99; and their comment → the upsell journey started (offer row + running workflow).
// Env: BENCH_SURVEYS (10000), BENCH_REPLIES (1000), BENCH_CONCURRENCY (32).
//
// The clinic's time zone is chosen so that "now" is mid-day there: surveys are only sent between 9h and
// 20h local (domain/nps.ts SURVEY_SEND_WINDOW), and a run at night would otherwise measure a sleep.
import os from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import pino from 'pino';
import { Client, Connection } from '@temporalio/client';
import { connect } from '../db/client';
import { loadEnv } from '../config/env';
import { startNpsJourney } from '../journeys/handovers';
import { routeInbound } from '../services/inbound/route';
import { benchStack, pct, pool, procMb, until } from './support';
import { TASK_QUEUE } from '../workflows/definitions';

const SURVEYS = Number(process.env.BENCH_SURVEYS ?? 10_000);
const REPLIES = Math.min(SURVEYS, Number(process.env.BENCH_REPLIES ?? 1_000));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const here = path.dirname(fileURLToPath(import.meta.url));

/** A fixed-offset zone where it is about 13h now (Etc/GMT-3 is UTC+3). */
function middayZone(now = new Date()): string {
  let offset = 13 - now.getUTCHours();
  if (offset > 12) offset -= 24;
  if (offset < -11) offset += 24;
  return offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}
async function main() {
  const stack = await benchStack('nps');
  const { url, temporal } = stack;
  let workerPid = 0;
  try {
    const sql = postgres(url, { max: 4, onnotice: () => {} });

    // One clinic, 50 professionals, two procedures; one patient (WhatsApp, marketing consent) and one
    // appointment realised in the last days per survey (26 h ago and earlier, 30 min apart per professional).
    const zone = middayZone();
    const [clinic] = await sql`insert into clinics (name, phone, address, timezone) values ('Clínica Benchmark', '+551130000000', 'Av. Paulista, 1000', ${zone}) returning id`;
    const [proc] = await sql`insert into procedures (clinic_id, name, category, duration_minutes, default_price_cents) values (${clinic!.id}, 'Peeling', 'facial', 30, 25000) returning id`;
    await sql`insert into procedures (clinic_id, name, category, duration_minutes, default_price_cents) values (${clinic!.id}, 'Limpeza de pele', 'facial', 60, 18000)`;
    await sql`insert into professionals (clinic_id, name) select ${clinic!.id}, 'Prof ' || n from generate_series(1, 50) n`;
    await sql`insert into patients (clinic_id, name, gender, whatsapp) select ${clinic!.id}, 'Paciente ' || n, 'F', '+55119' || lpad(n::text, 8, '0') from generate_series(1, ${SURVEYS}) n`;
    await sql`insert into consents (clinic_id, patient_id, channel, granted, source, granted_at) select clinic_id, id, 'whatsapp', true, 'painel', now() from patients`;
    await sql`
      insert into appointments (clinic_id, patient_id, procedure_id, professional_id, starts_at, duration_minutes, price_cents, status)
      select ${clinic!.id}, p.id, ${proc!.id}, pf.id, date_trunc('hour', now()) - interval '26 hours' - make_interval(mins => 30 * ((p.n - 1) / 50)::int), 30, 25000, 'realizado'
      from (select id, row_number() over (order by id) as n from patients) p
      join (select id, row_number() over (order by id) as n from professionals) pf on pf.n = 1 + (p.n - 1) % 50`;
    const visits = (await sql`select a.id, a.patient_id, p.whatsapp from appointments a join patients p on p.id = a.patient_id order by a.id`)
      .map((r) => ({ id: r.id as string, patientId: r.patient_id as string, whatsapp: r.whatsapp as string }));
    console.log(`seeded ${visits.length} realised appointments (clinic zone ${zone})`);

    const secrets = { TIGRE_DATA_KEY: 'ab'.repeat(32), TIGRE_LINK_SECRET: 'bench-link-secret-0123456789' };
    const env = { ...process.env, ...secrets, DATABASE_URL: url, TEMPORAL_ADDRESS: temporal.address, BENCH_TASK_QUEUE: TASK_QUEUE, NODE_ENV: 'production', LOG_LEVEL: 'silent' };
    Object.assign(process.env, secrets, { DATABASE_URL: url, TEMPORAL_ADDRESS: temporal.address });
    const worker = fork(path.join(here, 'journey-worker.ts'), { env, execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    workerPid = worker.pid!;
    await new Promise<void>((resolve, reject) => { worker.once('message', () => resolve()); worker.once('exit', (c) => reject(new Error(`worker exited ${c}`))); });

    const connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection });
    const database = connect(url, { max: CONCURRENCY + 4 });

    // Baseline: the same number of empty workflows started on the same server, same concurrency.
    let t = performance.now();
    await pool(visits, CONCURRENCY, (_, i) => client.workflow.start('benchEmptyWorkflow', { taskQueue: TASK_QUEUE, workflowId: `empty-${i}` }));
    const emptyRate = visits.length / ((performance.now() - t) / 1000);

    // The hand-over the appointment journey makes when a visit is realised (delay 0: ask at once).
    t = performance.now();
    await pool(visits, CONCURRENCY, async (v) => {
      const r = await startNpsJourney(client, { clinicId: clinic!.id, patientId: v.patientId, appointmentId: v.id, delayHours: 0, taskQueue: TASK_QUEUE });
      if (!r.started) throw new Error(`nps journey for ${v.id} not started`);
    });
    const npsRate = visits.length / ((performance.now() - t) / 1000);

    // Asleep: every survey asked (its question in the outbox), every journey waiting for the score.
    t = performance.now();
    await until('surveys asked', async () => (await sql`select count(*)::int as n from message_outbox where template = 'nps'`)[0]!.n as number, visits.length);
    const askSeconds = (performance.now() - t) / 1000;
    await new Promise((r) => setTimeout(r, 5000));
    const restMb = procMb(workerPid);

    // 1,000 replies "9" through the inbound path, 8 at a time: reply → score stored.
    const inbound = { db: database.db, env: loadEnv(), log: pino({ level: 'silent' }), temporal: client, now: () => new Date() };
    const stored: number[] = [];
    const replied = visits.slice(0, REPLIES);
    await pool(replied, 8, async (v, i) => {
      const started = performance.now();
      const r = await routeInbound(inbound, { clinicId: clinic!.id, from: v.whatsapp, channel: 'whatsapp', text: '9', messageId: `SMbench9-${i}`, receivedAt: new Date() });
      if (r?.outcome !== 'signalled') throw new Error(`reply of ${v.id}: ${JSON.stringify(r)}`);
      for (;;) {
        const [row] = await sql`select score from nps_surveys where appointment_id = ${v.id}`;
        if (row?.score === 9) break;
        await new Promise((r2) => setTimeout(r2, 2));
      }
      stored.push(performance.now() - started);
    });
    stored.sort((a, b) => a - b);

    // Their comment (once the journey has asked for it) → the upsell journey started.
    await until('comment questions sent', async () => (await sql`select count(*)::int as n from message_outbox where template = 'nps_comment'`)[0]!.n as number, replied.length);
    const upsell: number[] = [];
    await pool(replied, 8, async (v, i) => {
      const started = performance.now();
      const r = await routeInbound(inbound, { clinicId: clinic!.id, from: v.whatsapp, channel: 'whatsapp', text: 'Adorei o atendimento, muito atenciosa!', messageId: `SMbenchC-${i}`, receivedAt: new Date() });
      if (r?.outcome !== 'signalled') throw new Error(`comment of ${v.id}: ${JSON.stringify(r)}`);
      let workflowId: string | null = null;
      while (!workflowId) {
        const [offer] = await sql`select o.workflow_id from upsell_offers o join nps_surveys s on s.id = o.survey_id where s.appointment_id = ${v.id}`;
        workflowId = (offer?.workflow_id as string | undefined) ?? null;
        if (!workflowId) await new Promise((r2) => setTimeout(r2, 2));
      }
      for (;;) {
        try {
          await client.workflow.getHandle(workflowId).describe();
          break;
        } catch {
          await new Promise((r2) => setTimeout(r2, 2));
        }
      }
      upsell.push(performance.now() - started);
    });
    upsell.sort((a, b) => a - b);

    console.log(`\n${os.cpus().length} cores; Temporal dev server (in-memory SQLite), one worker process\n`);
    console.log(`NPS hand-overs started/s (journeys/handovers.ts)   ${npsRate.toFixed(0).padStart(7)}`);
    console.log(`empty workflows started/s (baseline)              ${emptyRate.toFixed(0).padStart(7)}   ratio nps/empty ${(npsRate / emptyRate).toFixed(2)}`);
    console.log(`${visits.length} surveys asked (question in the outbox) in ${askSeconds.toFixed(1)} s after the last start`);
    console.log(`worker RSS, ${visits.length} NPS journeys asleep waiting for the score   ${restMb.toFixed(0).padStart(5)} MB`);
    console.log(`reply "9" → score stored, ${REPLIES} replies       p50 ${pct(stored, 50).toFixed(1)} ms   p99 ${pct(stored, 99).toFixed(1)} ms`);
    console.log(`comment → upsell journey started, ${REPLIES} replies   p50 ${pct(upsell, 50).toFixed(1)} ms   p99 ${pct(upsell, 99).toFixed(1)} ms`);

    await database.close();
    await connection.close();
    await sql.end();
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
