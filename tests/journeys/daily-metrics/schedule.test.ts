// On the real Temporal dev server: the worker's schedule exists, a triggered run rolls up metrics,
// and operators find it by its search attributes.
import { afterAll, beforeAll, expect, it, inject } from 'vitest';
import { eq } from 'drizzle-orm';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, type Worker } from '@temporalio/worker';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createClinicFixture } from '../../support/fixtures';
import { createWorker, workflowsPath } from '../../../worker/worker';
import { ensureSchedules } from '../../../journeys/schedules';
import { DAILY_METRICS_SCHEDULE_ID } from '../../../workflows/definitions';
import { dailyMetrics } from '../../../db/schema';

let tdb: TestDatabase;
let connection: Connection;
let native: NativeConnection;
let client: Client;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `schedule-test-${process.pid}`;

beforeAll(async () => {
  tdb = await createTestDatabase();
  connection = await Connection.connect({ address: inject('temporalAddress') });
  native = await NativeConnection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
  const workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
  worker = await createWorker({ connection: native, namespace: 'default', deps: { db: tdb.db }, taskQueue, workflowBundle });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await client?.schedule.getHandle(DAILY_METRICS_SCHEDULE_ID).delete().catch(() => {});
  await connection?.close();
  await native?.close();
  await tdb?.drop();
});

it('creates the hourly schedule once, and a triggered run fills daily_metrics', async () => {
  const fixture = await createClinicFixture(tdb.db, { name: 'Clínica Agendada' });
  const patient = await fixture.patient('Luana Martins', new Date());
  await fixture.payment(patient.id, 45000, new Date());

  expect(await ensureSchedules(client, taskQueue)).toEqual({ created: true });
  expect(await ensureSchedules(client, taskQueue)).toEqual({ created: false });
  const schedule = client.schedule.getHandle(DAILY_METRICS_SCHEDULE_ID);
  const description = await schedule.describe();
  expect(description.spec.calendars?.length ?? 0).toBeGreaterThan(0);

  await schedule.trigger();
  const deadline = Date.now() + 30_000;
  let rows: (typeof dailyMetrics.$inferSelect)[] = [];
  while (Date.now() < deadline) {
    rows = await tdb.db.select().from(dailyMetrics).where(eq(dailyMetrics.clinicId, fixture.clinic.id));
    if (rows.some((r) => r.revenueCents === 45000)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(rows.map((r) => r.revenueCents)).toContain(45000);

  // Operators filter journeys by kind in the Web UI; the same query through the client:
  let found = 0;
  for (let i = 0; i < 40 && !found; i++) {
    found = (await client.workflow.count(`JourneyKind = "daily-metrics" AND TaskQueue = "${taskQueue}"`)).count;
    if (!found) await new Promise((r) => setTimeout(r, 250));
  }
  expect(found).toBeGreaterThan(0);
});
