// Benchmark (on demand: `npm run bench:anna`), issue #6: inbound Twilio webhook → Anna's reply in the
// outbox, local engine, on the Temporal dev server. N new WhatsApp numbers write at once (round 1: the
// first message of the conversation → Anna's greeting and question); then each answers her (round 2 →
// Anna's next reply, the offered slots). The path is the product's: the API process (api/main.ts, over
// HTTP, Twilio signature checked) → processTwilioInbound → recordLeadMessage + signalWithStart of
// `lead:{clinicId}:{phone}` → a worker with the real activities (local brain, local message sender) →
// message_outbox. Latency = webhook POST start → the outbox row of that reply turns 'sent' (a trigger
// on the bench's own database NOTIFYs the bench at commit; the database is not polled).
// Baselines in the same run, same concurrency: signalWithStart of a trivial workflow whose one activity
// writes one outbox row through the same sender (round 1 starts it, round 2 signals it), and the
// webhook POST alone (signature + receipt, a message to a number of no clinic).
// Env: ANNA_BENCH_CONVERSATIONS (500), ANNA_BENCH_WARMUP (5), ANNA_BENCH_TIMEOUT_S (300, per round).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { Client, Connection } from '@temporalio/client';
import { startEmbeddedPostgres, ensureDatabase, type EmbeddedPg } from '../db/embedded';
import { migrateDatabase } from '../db/migrate';
import { twilioSignature } from '../providers/messaging/twilio';
import { freePort, startTemporalDevServer, type TemporalDevServer } from '../scripts/temporal-dev';
import { pct, procMb } from './support';
import { TASK_QUEUE } from '../workflows/definitions';

const N = Number(process.env.ANNA_BENCH_CONVERSATIONS ?? 500);
const WARMUP = Number(process.env.ANNA_BENCH_WARMUP ?? 5);
const ROUND_TIMEOUT_MS = Number(process.env.ANNA_BENCH_TIMEOUT_S ?? 300) * 1000;
const TOKEN = 'bench-twilio-auth-token';
const CLINIC_NUMBER = '+5511900000000';
const here = path.dirname(fileURLToPath(import.meta.url));

const FIRST_MESSAGES = [
  'Oi, quero fazer botox semana que vem de manhã',
  'Olá! Queria marcar botox semana que vem, de manhã',
  'Boa tarde, quero fazer limpeza de pele semana que vem de manhã',
  'Oi! Tenho interesse em botox, semana que vem pela manhã',
  'Bom dia, quero agendar preenchimento labial semana que vem de manhã',
  'oi quero botox semana q vem de manha',
];
/** Anna's first reply greets and asks to confirm the number: these answer it. */
const SECOND_MESSAGES = ['sim', 'Sim, quero!', 'sim, pode ser esse número', 'quero sim'];

/** A distinct new Brazilian mobile per conversation; `group` keeps the bench's populations apart. */
const phone = (group: number, i: number) => `+55119${group}${String(i).padStart(7, '0')}`;
const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : '—').padStart(8);
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

interface RoundResult {
  label: string;
  n: number;
  latencies: number[];
  post: number[];
  missing: number;
  errors: string[];
  throughput: number;
  wallMs: number;
}

/** Outbox rows that reached a final status, per (to, template), in arrival order (LISTEN bench_outbox). */
class OutboxArrivals {
  private rows = new Map<string, { at: number; status: string }[]>();
  add(payload: string) {
    const at = performance.now();
    const [to, template, status] = payload.split('|');
    const key = `${to}|${template}`;
    const list = this.rows.get(key) ?? [];
    list.push({ at, status });
    this.rows.set(key, list);
  }
  nth(to: string, template: string, k: number) {
    return this.rows.get(`${to}|${template}`)?.[k - 1] ?? null;
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tigre-bench-anna-'));
  fs.chmodSync(dir, 0o755);
  const children: ChildProcess[] = [];
  let pg: EmbeddedPg | null = null;
  let temporal: TemporalDevServer | null = null;
  let cleaning: Promise<void> | null = null;
  const cleanup = () => (cleaning ??= (async () => {
    for (const child of [...children].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    }
    await temporal?.stop().catch(() => {});
    await pg?.stop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  })());
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => { console.error(`\n${sig}: stopping…`); void cleanup().finally(() => process.exit(130)); });
  }

  const spawnChild = (file: string, env: NodeJS.ProcessEnv) => {
    const child = fork(file, { env, execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    children.push(child);
    return child;
  };

  let failed: string[] = [];
  try {
    const load0 = os.loadavg();
    pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: await freePort(), persistent: false });
    temporal = await startTemporalDevServer({ port: await freePort(), logFile: path.join(dir, 'temporal.log') });
    await ensureDatabase(pg.adminUrl, 'bench');
    const url = pg.urlFor('bench');
    await migrateDatabase(url);
    const sql = postgres(url, { max: 4, onnotice: () => {} });

    // One clinic on CLINIC_NUMBER: two professionals (Mon–Fri 8–12/13–18, Sat 8–12), three procedures.
    const [clinic] = await sql`insert into clinics (name, phone, address, settings)
      values ('Clínica Benchmark', '+551130000000', 'Av. Paulista, 1000 - Bela Vista, São Paulo - SP', ${sql.json({ whatsappNumber: CLINIC_NUMBER })})
      returning id`;
    const clinicId = clinic.id as string;
    await sql`insert into procedures (clinic_id, name, category, duration_minutes, default_price_cents) values
      (${clinicId}, 'Toxina botulínica', 'facial', 30, 120000),
      (${clinicId}, 'Limpeza de pele', 'facial', 60, 25000),
      (${clinicId}, 'Preenchimento labial', 'facial', 60, 150000)`;
    const pros = await sql`insert into professionals (clinic_id, name) values (${clinicId}, 'Dra. Helena Prado'), (${clinicId}, 'Dr. Bruno Costa') returning id`;
    for (const p of pros) {
      await sql`insert into professional_working_hours (clinic_id, professional_id, weekday, start_minute, end_minute)
        select ${clinicId}::uuid, ${p.id}::uuid, d, s, e from generate_series(1, 5) d, (values (480, 720), (780, 1080)) h(s, e)
        union all select ${clinicId}::uuid, ${p.id}::uuid, 6, 480, 720`;
    }
    // The bench's own database only: a NOTIFY when an outbox row reaches a final status.
    await sql.unsafe(`
      create function bench_outbox_notify() returns trigger language plpgsql security definer as $$
      begin
        perform pg_notify('bench_outbox', new."to" || '|' || coalesce(new.template, '') || '|' || new.status);
        return null;
      end $$;
      create trigger bench_outbox_notify after update of status on message_outbox for each row
        when (new.status in ('sent', 'skipped', 'failed') and old.status is distinct from new.status)
        execute function bench_outbox_notify();`);
    const arrivals = new OutboxArrivals();
    await sql.listen('bench_outbox', (payload) => arrivals.add(payload));

    const baseEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, TEMPORAL_ADDRESS: temporal.address, NODE_ENV: 'production', LOG_LEVEL: 'silent',
      TIGRE_DATA_KEY: 'ab'.repeat(32), TIGRE_LINK_SECRET: 'bench-link-secret-0123456789' };
    for (const k of Object.keys(baseEnv)) if (k.startsWith('TWILIO_') || k.startsWith('OPENAI_') || k.startsWith('SENDGRID_') || k.startsWith('STRIPE_')) delete baseEnv[k];

    // The worker: product workflows + the baseline's, real activities (local brain, local outbox).
    const worker = spawnChild(path.join(here, 'anna-worker.ts'), { ...baseEnv, BENCH_TASK_QUEUE: TASK_QUEUE });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('exit', (c) => reject(new Error(`worker exited with ${c} before it was ready`)));
    });
    // The API: the product's process (api/main.ts). Only the webhook token of Twilio: its sender stays local.
    const apiPort = await freePort();
    const base = `http://127.0.0.1:${apiPort}`;
    const api = spawnChild(path.join(here, '../api/main.ts'), { ...baseEnv, API_PORT: String(apiPort), API_HOST: '127.0.0.1', PUBLIC_API_URL: base, TWILIO_AUTH_TOKEN: TOKEN });
    const apiExit = new Promise<never>((_, reject) => api.once('exit', (c) => reject(new Error(`API exited with ${c}`))));
    apiExit.catch(() => {});
    for (const deadline = Date.now() + 60_000; ;) {
      const ok = await fetch(`${base}/health`).then((r) => r.ok).catch(() => false);
      if (ok) break;
      if (api.exitCode !== null) await apiExit;
      if (Date.now() > deadline) throw new Error(`API not healthy on ${base} after 60 s`);
      await sleep(250);
    }

    const connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection });
    const webhookPath = '/webhooks/twilio/whatsapp';
    let sidSeq = 0;
    const twilioForm = (from: string, body: string, to = CLINIC_NUMBER) => {
      const sid = `SM${(++sidSeq).toString(16).padStart(32, '0')}`;
      const params = { MessageSid: sid, SmsMessageSid: sid, AccountSid: 'ACbench', From: `whatsapp:${from}`, To: `whatsapp:${to}`, Body: body, NumMedia: '0', ProfileName: 'Mariana' };
      return { body: new URLSearchParams(params).toString(), signature: twilioSignature(TOKEN, `${base}${webhookPath}`, params) };
    };
    const post = async (form: { body: string; signature: string }) => {
      const res = await fetch(`${base}${webhookPath}`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': form.signature }, body: form.body,
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    };

    /** Fires every request at once; waits for the k-th `template` outbox row of each phone (or the timeout). */
    async function round(label: string, phones: string[], k: number, template: string, fire: (phone: string, i: number) => Promise<void>): Promise<RoundResult> {
      const t0 = new Map<string, number>();
      const postMs: number[] = [];
      const errors: string[] = [];
      const start = performance.now();
      await Promise.all(phones.map(async (p, i) => {
        const t = performance.now();
        t0.set(p, t);
        try {
          await fire(p, i);
          postMs.push(performance.now() - t);
        } catch (err) {
          errors.push(`${p}: ${(err as Error).message}`);
        }
      }));
      const deadline = start + ROUND_TIMEOUT_MS;
      while (performance.now() < deadline && phones.some((p) => !arrivals.nth(p, template, k))) await sleep(20);
      const latencies: number[] = [];
      let last = start;
      let missing = 0;
      for (const p of phones) {
        const row = arrivals.nth(p, template, k);
        if (!row) { missing++; continue; }
        if (row.status !== 'sent') errors.push(`${p}: outbox row ${row.status}`);
        latencies.push(row.at - t0.get(p)!);
        last = Math.max(last, row.at);
      }
      latencies.sort((a, b) => a - b);
      postMs.sort((a, b) => a - b);
      return { label, n: phones.length, latencies, post: postMs, missing, errors, throughput: latencies.length / ((last - start) / 1000), wallMs: last - start };
    }

    const annaRound = (phones: string[], k: 1 | 2, label: string) => {
      const forms = phones.map((p, i) => twilioForm(p, k === 1 ? FIRST_MESSAGES[i % FIRST_MESSAGES.length] : SECOND_MESSAGES[i % SECOND_MESSAGES.length]));
      return round(label, phones, k, 'anna', (_, i) => post(forms[i]));
    };
    const echoRound = (phones: string[], k: 1 | 2, label: string) => round(label, phones, k, 'bench_echo', async (p) => {
      await client.workflow.signalWithStart('benchEchoWorkflow', {
        workflowId: `bench-echo:${p}`, taskQueue: TASK_QUEUE, args: [{ clinicId, phone: p, rounds: 2 }], signal: 'benchPing', signalArgs: [{ n: k }],
      });
    });
    const floorRound = async (phones: string[]) => {
      const forms = phones.map((p) => twilioForm(p, 'Oi', '+5511955550000')); // no clinic has this number: receipt only
      const times: number[] = [];
      const errors: string[] = [];
      await Promise.all(forms.map(async (f) => {
        const t = performance.now();
        try { await post(f); times.push(performance.now() - t); } catch (err) { errors.push((err as Error).message); }
      }));
      return { times: times.sort((a, b) => a - b), errors };
    };

    // Warm-up (not counted): the workflow bundle's first runs, JIT, connection pools.
    if (WARMUP > 0) {
      const wa = Array.from({ length: WARMUP }, (_, i) => phone(3, i));
      const we = Array.from({ length: WARMUP }, (_, i) => phone(4, i));
      for (const r of [await annaRound(wa, 1, 'w'), await annaRound(wa, 2, 'w'), await echoRound(we, 1, 'w'), await echoRound(we, 2, 'w')]) {
        if (r.missing || r.errors.length) throw new Error(`warm-up failed: ${r.missing} without reply, errors: ${r.errors.slice(0, 3).join('; ')}`);
      }
      await floorRound(Array.from({ length: WARMUP }, (_, i) => phone(6, i)));
    }
    const workerWarmMb = procMb(worker.pid!, 'VmRSS');

    const echoPhones = Array.from({ length: N }, (_, i) => phone(2, i));
    const annaPhones = Array.from({ length: N }, (_, i) => phone(1, i));
    const floor = await floorRound(Array.from({ length: N }, (_, i) => phone(5, i)));
    const e1 = await echoRound(echoPhones, 1, 'baseline round 1 (signalWithStart → 1 outbox row)');
    const e2 = await echoRound(echoPhones, 2, 'baseline round 2 (signal → 1 outbox row)');
    const a1 = await annaRound(annaPhones, 1, 'Anna round 1 (first message → greeting + question)');
    const a2 = await annaRound(annaPhones, 2, 'Anna round 2 (answer → next reply)');
    // What Anna answered: her second reply should offer three slots (as quick replies) to everyone.
    const [{ offers }] = await sql`select count(*)::int as offers from message_outbox
      where template = 'anna' and "to" like ${'+551191%'} and jsonb_array_length(coalesce(template_data->'quickReplies', '[]')) = 3`;
    // The journey saves its stage just after the reply: wait until the stages stop changing (≤ 30 s).
    const stagesNow = () => sql`select stage, count(*)::int as n from conversations where patient_whatsapp like ${'+551191%'} group by stage order by stage`;
    let stages = await stagesNow();
    for (const until = Date.now() + 30_000; Date.now() < until;) {
      await sleep(1000);
      const again = await stagesNow();
      if (JSON.stringify(again) === JSON.stringify(stages)) break;
      stages = again;
    }
    const outcomes = await sql`select outcome, count(*)::int as n from inbound_messages where "from" like ${'+551191%'} group by outcome order by outcome`;
    // The webhook gives signalWithStart 5 s; past that the message is 'signal_failed' and the API's minute loop re-delivers it.
    const [{ slow }] = await sql`select count(*)::int as slow from webhook_deliveries where clinic_id = ${clinicId} and error is not null`;
    const sample = await sql`select body from message_outbox where "to" = ${annaPhones[0]} and template = 'anna' order by created_at`;
    const workerMb = procMb(worker.pid!, 'VmRSS');
    const workerPeakMb = procMb(worker.pid!, 'VmHWM');
    const apiMb = procMb(api.pid!, 'VmRSS');
    const apiPeakMb = procMb(api.pid!, 'VmHWM');

    const oneLine = (s: string) => (s.length > 150 ? `${s.slice(0, 150)}…` : s).replace(/\s+/g, ' ');
    console.log(`\n${os.cpus().length} cores, load average ${load0.map((l) => l.toFixed(1)).join(' ')} at start, ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at end`);
    console.log(`Temporal dev server (in-memory SQLite), embedded PostgreSQL, API (api/main.ts) and worker as child processes`);
    console.log(`${N} conversations per round, all at once; warm-up ${WARMUP} (not counted)\n`);
    console.log(`sample conversation ${annaPhones[0]}:`);
    console.log(`  patient: ${FIRST_MESSAGES[0]}`);
    console.log(`  Anna:    ${oneLine(sample[0]?.body ?? '(none)')}`);
    console.log(`  patient: ${SECOND_MESSAGES[0]}`);
    console.log(`  Anna:    ${oneLine(sample[1]?.body ?? '(none)')}\n`);

    const row = (r: RoundResult) => `${r.label}\n    p50 ${ms(pct(r.latencies, 50))}  p90 ${ms(pct(r.latencies, 90))}  p99 ${ms(pct(r.latencies, 99))}  max ${ms(r.latencies.at(-1) ?? NaN)}` +
      `   ${r.throughput.toFixed(1)} replies/s (last after ${(r.wallMs / 1000).toFixed(1)} s)   no reply ${r.missing}, errors ${r.errors.length}`;
    const ratio = (a: RoundResult, b: RoundResult) =>
      `    ratio Anna/baseline   p50 ${(pct(a.latencies, 50) / pct(b.latencies, 50)).toFixed(2)}   p99 ${(pct(a.latencies, 99) / pct(b.latencies, 99)).toFixed(2)}   throughput ${(a.throughput / b.throughput).toFixed(2)}`;
    console.log('time until the reply is in message_outbox (sent), per conversation:');
    console.log(`  ${row(e1)}`);
    console.log(`  ${row(a1)}`);
    console.log(ratio(a1, e1));
    console.log(`  ${row(e2)}`);
    console.log(`  ${row(a2)}`);
    console.log(ratio(a2, e2));
    console.log('\nwebhook POST → 200 (Anna rounds: signature, inbound + conversation rows, signalWithStart):');
    const postRow = (label: string, t: number[]) => `  ${label.padEnd(44)} p50 ${ms(pct(t, 50))}  p99 ${ms(pct(t, 99))}  max ${ms(t.at(-1) ?? NaN)}`;
    console.log(postRow('baseline: number of no clinic (receipt only)', floor.times));
    console.log(postRow('Anna round 1', a1.post));
    console.log(postRow('Anna round 2', a2.post));
    console.log(`    ratio Anna round 1/baseline   p50 ${(pct(a1.post, 50) / pct(floor.times, 50)).toFixed(2)}   p99 ${(pct(a1.post, 99) / pct(floor.times, 99)).toFixed(2)}`);
    console.log(`\nAnna's second replies offering 3 slots: ${offers} of ${N}; conversation stages at the end: ${stages.map((s) => `${s.stage} ${s.n}`).join(', ')}`);
    console.log(`inbound outcomes: ${outcomes.map((o) => `${o.outcome} ${o.n}`).join(', ')}; webhook signals over the 5 s timeout (re-delivered later): ${slow}`);
    console.log(`worker RSS: ${workerWarmMb.toFixed(0)} MB after warm-up, ${workerMb.toFixed(0)} MB at the end (peak ${workerPeakMb.toFixed(0)} MB); API RSS ${apiMb.toFixed(0)} MB (peak ${apiPeakMb.toFixed(0)} MB)`);

    const all = [e1, e2, a1, a2];
    failed = [
      ...all.filter((r) => r.missing).map((r) => `${r.label}: ${r.missing} of ${r.n} without a reply within ${ROUND_TIMEOUT_MS / 1000} s`),
      ...all.filter((r) => r.errors.length).map((r) => `${r.label}: ${r.errors.length} errors, e.g. ${r.errors.slice(0, 3).join('; ')}`),
      ...(floor.errors.length ? [`webhook baseline: ${floor.errors.length} errors, e.g. ${floor.errors[0]}`] : []),
      ...outcomes.filter((o) => o.outcome !== 'lead').map((o) => `inbound outcome ${o.outcome}: ${o.n}`),
      ...(offers !== N ? [`only ${offers} of ${N} second replies offered 3 slots`] : []),
    ];

    await sql.end();
    await connection.close();
  } finally {
    await cleanup();
  }
  if (failed.length) {
    console.error(`\nFAILED:\n  ${failed.join('\n  ')}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error('bench:anna failed:', err);
  process.exit(1);
});
