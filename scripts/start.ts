// `npm start`: the whole product on one machine. Embedded PostgreSQL (unless DATABASE_URL), the Temporal
// dev server with its Web UI (unless TEMPORAL_ADDRESS), migrations, demo data, worker, API and web.
// Ctrl-C stops every child in reverse order; data stays under .data/ for the next start.
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadEnv, secrets } from '../config/env';
import { temporalConnectionOptions } from '../config/temporal';
import { connect } from '../db/client';
import { startEmbeddedPostgres, ensureDatabase, type EmbeddedPg } from '../db/embedded';
import { migrateDatabase } from '../db/migrate';
import { seedDemo, DEMO_USERS, DEMO_PASSWORD } from '../db/seed';
import { prepareDemoReactivation } from '../services/reactivation/demo';
import { addLocalDays, localDate } from '../domain/timezone';
import { dailyMetricsRollup } from '../workflows/dailyMetrics';
import { JourneyKind, TASK_QUEUE } from '../workflows/definitions';
import { startTemporalDevServer, type TemporalDevServer } from './temporal-dev';
import { portInUse, startProcess, waitForHttp, type Managed } from './processes';
import { buildWeb, webServerEntry } from './web-build';
import { projectRoot } from './tools';

const env = loadEnv();
const dataDir = path.resolve(projectRoot, env.DATA_DIR);
const logDir = path.join(dataDir, 'logs');
fs.mkdirSync(logDir, { recursive: true });
const say = (msg: string) => console.log(`[tigre] ${msg}`);

const children: Managed[] = [];
let pg: EmbeddedPg | null = null;
let temporalServer: TemporalDevServer | null = null;
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  for (const child of [...children].reverse()) await child.stop().catch(() => {});
  await temporalServer?.stop().catch(() => {});
  await pg?.stop().catch(() => {});
  say('stopped');
  process.exit(code);
}
let firstSignalAt = 0;
process.on('SIGINT', () => {
  // tsx relays the terminal's Ctrl-C a second time: only a later, deliberate second Ctrl-C forces the exit.
  if (stopping) {
    if (Date.now() - firstSignalAt > 2000) process.exit(130);
    return;
  }
  firstSignalAt = Date.now();
  void shutdown(0);
});
process.on('SIGTERM', () => void shutdown(0));

async function main() {
  const ports = [['web', env.WEB_PORT], ['API', env.API_PORT]] as Array<[string, number]>;
  if (!env.TEMPORAL_ADDRESS) ports.push(['Temporal', env.TEMPORAL_PORT], ['Temporal Web UI', env.TEMPORAL_UI_PORT]);
  if (!env.DATABASE_URL) ports.push(['PostgreSQL', env.PG_PORT]);
  for (const [name, port] of ports) {
    if (await portInUse(port)) throw new Error(`port ${port} (${name}) is already in use: stop what uses it or set its *_PORT variable`);
  }

  // PostgreSQL
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    say(`starting embedded PostgreSQL on 127.0.0.1:${env.PG_PORT} (data in ${path.relative(projectRoot, dataDir)}/pg)`);
    pg = await startEmbeddedPostgres({ dir: path.join(dataDir, 'pg'), port: env.PG_PORT, log: (l) => fs.appendFileSync(path.join(logDir, 'postgres.log'), l + '\n') });
    await ensureDatabase(pg.adminUrl, 'tigre');
    databaseUrl = pg.urlFor('tigre');
  }
  await migrateDatabase(databaseUrl);
  const database = connect(databaseUrl, { max: 2 });
  const { dataKey, linkSecret } = secrets(env);
  const { seeded, clinicId } = await seedDemo(database.db, { now: new Date(), dataKey, linkSecret });
  // Campanhas: past campaigns replayed on the demo history (first start only), the churn model and today's scores.
  const demo = await prepareDemoReactivation(database.db, clinicId, new Date());
  await database.close();
  say(seeded ? 'demo data created' : 'database ready (existing data kept)');
  say(`churn scores: ${demo.scoring.scored} patients (${demo.scoring.method})${demo.campaigns ? `, ${demo.campaigns} past campaigns replayed` : ''}`);

  // Temporal
  let temporalAddress = env.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    say(`starting Temporal dev server on 127.0.0.1:${env.TEMPORAL_PORT}`);
    temporalServer = await startTemporalDevServer({
      port: env.TEMPORAL_PORT, uiPort: env.TEMPORAL_UI_PORT, namespace: env.TEMPORAL_NAMESPACE,
      dbFilename: path.join(dataDir, 'temporal.db'), logFile: path.join(logDir, 'temporal.log'),
    });
    temporalAddress = temporalServer.address;
  }

  // The API listens on 127.0.0.1 behind the web server, which forwards the browser's address.
  const childEnv = { DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: temporalAddress, NODE_ENV: env.NODE_ENV, TRUST_PROXY: '1' };
  const tsx = [path.join(projectRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs')];
  const worker = startProcess('worker', process.execPath, [...tsx, 'worker/main.ts'], { cwd: projectRoot, env: childEnv, logFile: path.join(logDir, 'worker.log') });
  const api = startProcess('api', process.execPath, [...tsx, 'api/main.ts'], { cwd: projectRoot, env: childEnv, logFile: path.join(logDir, 'api.log') });
  children.push(worker, api);

  if (buildWeb()) say('web app built');
  const apiUrl = `http://127.0.0.1:${env.API_PORT}`;
  const web = startProcess('web', process.execPath, [webServerEntry], {
    cwd: projectRoot, logFile: path.join(logDir, 'web.log'),
    env: { PORT: String(env.WEB_PORT), HOST: '127.0.0.1', ORIGIN: env.WEB_URL ?? `http://127.0.0.1:${env.WEB_PORT}`, BODY_SIZE_LIMIT: '16M', API_URL: apiUrl, TEMPORAL_UI_URL: env.TEMPORAL_UI_URL ?? `http://127.0.0.1:${env.TEMPORAL_UI_PORT}` },
  });
  children.push(web);
  for (const child of children) {
    void child.exited.then((code) => {
      if (!stopping) {
        say(`${child.name} exited unexpectedly (code ${code}); stopping everything`);
        void shutdown(1);
      }
    });
  }
  await waitForHttp(`${apiUrl}/health`, api, 90_000);

  // Keep the dashboard's figures in step with the data: recompute every day that has data (idempotent).
  const connection = await Connection.connect(temporalConnectionOptions({ ...env, TEMPORAL_ADDRESS: temporalAddress }));
  const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
  const today = localDate(new Date(), 'America/Sao_Paulo');
  const backfill = await client.workflow.execute(dailyMetricsRollup, {
    workflowId: `daily-metrics-backfill:${today}`, taskQueue: TASK_QUEUE, args: [{ from: addLocalDays(today, -200), to: addLocalDays(today, 30) }],
    workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    typedSearchAttributes: [{ key: JourneyKind, value: 'daily-metrics' }],
  });
  await connection.close();
  say(`daily metrics backfilled (${backfill.rows} clinic-days)`);

  await waitForHttp(`http://127.0.0.1:${env.WEB_PORT}/login`, web, 60_000);
  const admin = DEMO_USERS.find((u) => u.role === 'admin')!;
  console.log(`
  🐯 Tigre CRM is up

  Dashboard        http://127.0.0.1:${env.WEB_PORT}
  API              ${apiUrl}   (docs: ${apiUrl}/docs)
  Temporal Web UI  ${env.TEMPORAL_ADDRESS ? '(your cluster)' : `http://127.0.0.1:${env.TEMPORAL_UI_PORT}`}
  Demo login       ${admin.email} / ${DEMO_PASSWORD}
                   (also ${DEMO_USERS.filter((u) => u.role !== 'admin').map((u) => `${u.email} [${u.role}]`).join(', ')})
  Logs             ${path.relative(projectRoot, logDir)}/

  Ctrl-C stops everything; data stays in ${path.relative(projectRoot, dataDir)}/.
`);
}

main().catch(async (err) => {
  console.error(`[tigre] could not start: ${err instanceof Error ? err.message : err}`);
  await shutdown(1);
});
