// Benchmark (run on demand: `npm run bench`): patient search, free slots and the week view with
// 100k patients and 1M appointments, each through the API over HTTP and as the same query run
// directly in SQL, so the API's overhead shows as a ratio. Targets (issue #3): search p95 < 20 ms,
// slots (1 week × 10 professionals) p95 < 20 ms, week view p95 < 30 ms. And the reports (issue #13,
// p95 < 50 ms each): the monthly report, the procedures and professionals tables of 90 days and the
// 30-day forecast, on the same data with a payment per realised visit and the daily rollup filled in
// (as the daily-metrics Schedule keeps it), each beside the base query it stands on.
// Env: BENCH_PATIENTS (100000), BENCH_APPOINTMENTS (1000000), BENCH_ITERATIONS (300), DATABASE_URL (else embedded).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import postgres from 'postgres';
import pino from 'pino';
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../api/app';
import { findPatientIds, interpretQuery, type PatientSearch } from '../services/patients/search';
import { hashPassword } from '../api/auth/password';
import { loadEnv, secrets } from '../config/env';
import { connect } from '../db/client';
import { rollupFigures } from '../db/daily-figures';
import { startEmbeddedPostgres, ensureDatabase, dropDatabase } from '../db/embedded';
import { migrateDatabase } from '../db/migrate';
import { freePort } from '../scripts/temporal-dev';

const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 100_000);
const APPOINTMENTS = Number(process.env.BENCH_APPOINTMENTS ?? 1_000_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 300);
/** The reports are heavier: fewer timed requests each. */
const REPORT_ITERATIONS = Number(process.env.BENCH_REPORT_ITERATIONS ?? 60);
const PROFESSIONALS = 10;
const TZ = 'America/Sao_Paulo';
const EMAIL = 'bench@tigre.test';
const PASSWORD = 'bench-password-123';

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
async function measure(label: string, fn: (i: number) => Promise<unknown>, iterations = ITERATIONS) {
  for (let i = 0; i < Math.min(30, iterations); i++) await fn(i); // warm-up: plans, caches, JIT
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { label, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) };
}

async function seed(sql: postgres.Sql) {
  const t = performance.now();
  const [clinic] = await sql`insert into clinics (name, timezone) values ('Clínica Benchmark', ${TZ}) returning id`;
  const clinicId = clinic.id as string;
  const [user] = await sql`insert into users (email, name, password_hash) values (${EMAIL}, 'Bench Admin', ${await hashPassword(PASSWORD)}) returning id`;
  await sql`insert into clinic_memberships (clinic_id, user_id, role) values (${clinicId}, ${user.id}, 'admin')`;
  const [procedure] = await sql`insert into procedures (clinic_id, name, category, duration_minutes, default_price_cents)
    values (${clinicId}, 'Limpeza de pele', 'facial', 30, 18000) returning id`;
  const pros = await sql`insert into professionals (clinic_id, name) select ${clinicId}, 'Profissional ' || n from generate_series(1, ${PROFESSIONALS}) n returning id`;
  // Mon–Fri 07:00–21:00: 28 half-hour slots a day.
  await sql`insert into professional_working_hours (clinic_id, professional_id, weekday, start_minute, end_minute)
    select ${clinicId}, p.id, d, 420, 1260 from professionals p, generate_series(1, 5) d where p.clinic_id = ${clinicId}`;

  await sql`
    insert into patients (clinic_id, name, email, created_at)
    select ${clinicId},
      (array['João','José','Maria','Ana','Luíza','Conceição','Antônio','Márcia','Sebastião','Fátima','Lúcia','Beatriz','Cecília','Otávio','Irene','Thaís'])[1 + (n::bigint * 7919) % 16]
        || ' ' || (array['da Silva','Souza','Conceição','Araújo','Gonçalves','Brandão','Simões','Magalhães','Lima','Assunção','Leão','Peçanha'])[1 + (n::bigint * 104729) % 12]
        || ' ' || (array['Ribeiro','Pereira','Oliveira','Mendonça','Gusmão','Barbosa','Rocha','Teixeira'])[1 + (n::bigint * 31) % 8],
      'paciente' || n || '@exemplo.com.br',
      now() - make_interval(days => n % 2000)
    from generate_series(1, ${PATIENTS}) n`;
  await sql`
    insert into patient_phones (clinic_id, patient_id, number, kind, is_primary)
    select ${clinicId}, id, '+55119' || lpad((row_number() over (order by id))::text, 8, '0'), 'celular', true
    from patients where clinic_id = ${clinicId}`;
  console.log(`  ${PATIENTS} patients in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // Appointments: every professional's weekday slots going back in time until APPOINTMENTS rows;
  // the coming weeks half full, so free-slot finding has work to do.
  const t2 = performance.now();
  const perPro = Math.ceil(APPOINTMENTS / PROFESSIONALS);
  const weekdaysBack = Math.ceil(perPro / 28) + 20;
  const daysBack = Math.ceil((weekdaysBack * 7) / 5);
  await sql`create temporary table bench_patients as select row_number() over (order by id) as n, id from patients where clinic_id = ${clinicId}`;
  await sql`create index on bench_patients (n)`;
  for (const [i, pro] of pros.entries()) {
    await sql`
      insert into appointments (clinic_id, patient_id, procedure_id, professional_id, starts_at, duration_minutes, status, price_cents, created_at)
      select ${clinicId}, bp.id, ${procedure.id}, ${pro.id}, s.starts_at, 30,
             (case when s.starts_at < now() then (case when s.rn % 17 = 0 then 'no_show' else 'realizado' end) else 'agendado' end)::appointment_status,
             18000, s.starts_at - interval '7 days'
      from (
        select ((d::date)::timestamp + make_interval(mins => 420 + 30 * k)) at time zone ${TZ} as starts_at,
               k, row_number() over () as rn
        from generate_series(current_date - ${daysBack}::int, current_date + 14, interval '1 day') d,
             generate_series(0, 27) k
        where extract(isodow from d) <= 5
      ) s
      join bench_patients bp on bp.n = 1 + ((s.rn * 7 + ${i}) % ${PATIENTS})
      where (s.starts_at < now() or s.k % 4 < 2) -- ahead: two booked, two free, in turn
      order by s.starts_at desc
      limit ${perPro}`;
  }
  await sql`analyze`;
  const [{ count }] = await sql`select count(*)::int as count from appointments`;
  console.log(`  ${count} appointments in ${((performance.now() - t2) / 1000).toFixed(1)} s`);
  return { clinicId, procedureId: procedure.id as string };
}

async function main() {
  const env = loadEnv({ ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'silent', TIGRE_DATA_KEY: 'ab'.repeat(32), TIGRE_LINK_SECRET: 'bench-link-secret-0123456789' });
  let adminUrl = process.env.DATABASE_URL;
  let stopPg: (() => Promise<void>) | null = null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tigre-bench-'));
  if (!adminUrl) {
    fs.chmodSync(dir, 0o755);
    const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: await freePort(), persistent: false });
    adminUrl = pg.adminUrl;
    stopPg = () => pg.stop();
  }
  const dbName = `tigre_bench_${process.pid}`;
  await ensureDatabase(adminUrl, dbName);
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const url = u.toString();
  try {
    await migrateDatabase(url);
    const sql = postgres(url, { max: 4, onnotice: () => {} });
    console.log(`seeding ${PATIENTS} patients and ${APPOINTMENTS} appointments…`);
    const { clinicId, procedureId } = await seed(sql);

    const database = connect(url, { max: 10 });
    const connection = Connection.lazy({ address: '127.0.0.1:1' }); // GET routes never reach Temporal
    const app = createApp({
      env, db: database.db, log: pino({ level: 'silent' }), temporal: new Client({ connection }),
      temporalHealthy: async () => false, now: () => new Date(),
    });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((r) => server.once('listening', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const get = async (p: string) => {
      const res = await fetch(base + p, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`${p}: ${res.status} ${await res.text()}`);
      return res.json();
    };

    const [{ monday }] = await sql`select (date_trunc('week', (now() at time zone ${TZ})::date + 7))::date::text as monday`;
    const sunday = new Date(Date.parse(`${monday}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
    const weekStart = `${monday}T00:00:00-03:00`;
    const weekEnd = `${sunday}T23:59:59-03:00`;
    const searches = ['joao', 'maria silva', 'conceicao', 'ANTÔNIO', 'luiza ara', '11900001234', 'paciente4242@exemplo.com.br'];

    // Sanity: the API answers with data before it is timed.
    const firstSearch = (await get(`/api/patients?q=joao&limit=20`)) as { items: unknown[] };
    const slots = (await get(`/api/appointments/slots?procedureId=${procedureId}&professionalId=any&from=${monday}&to=${sunday}&limit=500`)) as { slots: unknown[] };
    const week = (await get(`/api/appointments?view=week&from=${monday}`)) as { items: unknown[] };
    console.log(`  sanity: search "joao" → ${firstSearch.items.length} rows; slots next week → ${slots.slots.length}; week view → ${week.items.length} appointments`);

    const results = [];
    results.push([
      await measure('patient search (API)', (i) => get(`/api/patients?q=${encodeURIComponent(searches[i % searches.length])}&limit=20`)),
      // The same statement the API runs for the ids (api/patients/search.ts findPatientIds), straight on the
      // owner connection: the API adds the tenant transaction, loading the 20 rows and HTTP.
      await measure('patient search (SQL: the same id query)', (i) => {
        const reading = interpretQuery(searches[i % searches.length], secrets(env).dataKey);
        const spec: PatientSearch = {
          clinicId, nameTerms: reading.nameTerms, qMatch: reading.digits, phone: null, cpfHash: null, email: reading.email,
          tags: [], classifications: [], statuses: [], lastVisitFrom: null, lastVisitTo: null,
          sort: reading.nameTerms.length ? 'name' : 'createdAt', order: reading.nameTerms.length ? 'asc' : 'desc', limit: 20, cursor: null,
        };
        return findPatientIds(database.db, spec);
      }),
      20,
    ]);
    results.push([
      await measure('free slots, 1 week × 10 professionals (API)', () => get(`/api/appointments/slots?procedureId=${procedureId}&professionalId=any&from=${monday}&to=${sunday}&limit=500`)),
      await measure('free slots, 1 week × 10 professionals (SQL: busy + hours)', () => Promise.all([
        sql`select professional_id, starts_at, ends_at from appointments where clinic_id = ${clinicId}
            and starts_at < ${weekEnd}::timestamptz and ends_at > ${weekStart}::timestamptz
            and starts_at > ${weekStart}::timestamptz - interval '1 day' and status not in ('cancelado', 'no_show')`,
        sql`select professional_id, weekday, start_minute, end_minute from professional_working_hours where clinic_id = ${clinicId}`,
      ])),
      20,
    ]);
    results.push([
      await measure('week view (API)', () => get(`/api/appointments?view=week&from=${monday}`)),
      await measure('week view (SQL)', () => sql`
        select a.id, a.starts_at, a.ends_at, a.status, p.name as patient, pr.name as procedure, pf.name as professional, pf.color
        from appointments a join patients p on p.id = a.patient_id join procedures pr on pr.id = a.procedure_id join professionals pf on pf.id = a.professional_id
        where a.clinic_id = ${clinicId} and a.starts_at >= ${weekStart}::timestamptz and a.starts_at < ${weekEnd}::timestamptz order by a.starts_at`),
      30,
    ]);

    // Reports: a payment per realised visit (processed at its start), the daily rollup over the whole history.
    let t3 = performance.now();
    await sql`insert into payments (clinic_id, patient_id, appointment_id, amount_cents, method, status, processed_at, created_at)
      select clinic_id, patient_id, id, price_cents, 'pix', 'aprovado', starts_at + interval '40 minutes', starts_at from appointments where status = 'realizado'`;
    await sql`update appointments set payment_status = 'pago' where status = 'realizado'`;
    const [{ first }] = await sql`select (min(starts_at) at time zone ${TZ})::date::text as first from appointments`;
    const rolled = await rollupFigures(database.db, { clinicId, range: true, from: first as string, to: new Date().toISOString().slice(0, 10) }, new Date());
    await sql`analyze`;
    console.log(`  payments and ${rolled} rolled-up days in ${((performance.now() - t3) / 1000).toFixed(1)} s`);
    t3 = performance.now();
    const [{ month }] = await sql`select to_char(date_trunc('month', now() at time zone ${TZ}) - interval '1 month', 'YYYY-MM') as month`;
    const monthStart = `${month}-01T00:00:00-03:00`;
    const ninety = new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10);
    const today = new Date().toISOString().slice(0, 10);
    const sanity = (await get(`/api/reports/monthly?month=${month}`)) as { current: { figures: { completed: number; revenueCents: number } } };
    console.log(`  sanity: ${month} → ${sanity.current.figures.completed} visits, R$ ${(sanity.current.figures.revenueCents / 100).toFixed(0)}`);
    results.push([
      await measure(`monthly report ${month} (API)`, () => get(`/api/reports/monthly?month=${month}`), REPORT_ITERATIONS),
      await measure('monthly report (SQL: the month by status, and its payments)', () => Promise.all([
        sql`select status, count(*) from appointments where clinic_id = ${clinicId} and starts_at >= ${monthStart}::timestamptz and starts_at < ${monthStart}::timestamptz + interval '1 month' group by status`,
        sql`select sum(amount_cents) from payments where clinic_id = ${clinicId} and processed_at >= ${monthStart}::timestamptz and processed_at < ${monthStart}::timestamptz + interval '1 month'`,
      ]), REPORT_ITERATIONS),
      50,
    ]);
    results.push([
      await measure('procedures report, 90 days (API)', () => get(`/api/reports/procedures?from=${ninety}&to=${today}`), REPORT_ITERATIONS),
      await measure('procedures report (SQL: 90 days grouped by procedure)', () => sql`
        select procedure_id, status, count(*), sum(price_cents) from appointments
        where clinic_id = ${clinicId} and starts_at >= ${ninety}::date and starts_at < ${today}::date + 1 group by 1, 2`, REPORT_ITERATIONS),
      50,
    ]);
    results.push([
      await measure('professionals report, 90 days (API)', () => get(`/api/reports/professionals?from=${ninety}&to=${today}`), REPORT_ITERATIONS),
      await measure('professionals report (SQL: 90 days grouped by professional)', () => sql`
        select professional_id, status, count(*), sum(duration_minutes) from appointments
        where clinic_id = ${clinicId} and starts_at >= ${ninety}::date and starts_at < ${today}::date + 1 group by 1, 2`, REPORT_ITERATIONS),
      50,
    ]);
    results.push([
      await measure('forecast, revenue 30 days (API)', () => get('/api/reports/forecast?metric=revenue&horizon=30'), REPORT_ITERATIONS),
      await measure('forecast (SQL: 730 rolled-up days)', () => sql`
        select day, revenue_cents from daily_metrics where clinic_id = ${clinicId} and day >= current_date - 730 order by day`, REPORT_ITERATIONS),
      50,
    ]);
    console.log(`  reports measured in ${((performance.now() - t3) / 1000).toFixed(1)} s`);

    console.log(`\n${ITERATIONS} timed requests each (${REPORT_ITERATIONS} for the reports) after warm-up, 127.0.0.1, ${os.cpus().length} cores\n`);
    console.log('scenario'.padEnd(62) + 'p50 ms'.padStart(9) + 'p95 ms'.padStart(9) + 'p99 ms'.padStart(9) + '   target p95   API/SQL p95');
    for (const [api, direct, target] of results as Array<[Awaited<ReturnType<typeof measure>>, Awaited<ReturnType<typeof measure>>, number]>) {
      for (const r of [api, direct]) {
        const isApi = r === api;
        console.log(r.label.padEnd(62) + r.p50.toFixed(2).padStart(9) + r.p95.toFixed(2).padStart(9) + r.p99.toFixed(2).padStart(9)
          + (isApi ? `   ${(`< ${target}`).padEnd(9)} ${r.p95 < target ? 'ok  ' : 'MISS'}  ${(api.p95 / direct.p95).toFixed(1)}×` : ''));
      }
    }
    server.close();
    await database.close();
    await connection.close().catch(() => {});
    await sql.end();
  } finally {
    await dropDatabase(adminUrl, dbName).catch(() => {});
    await stopPg?.();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
