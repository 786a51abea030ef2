// The calendarSync workflow and its Temporal Schedule: the schedule exists once with a 10-minute
// interval, a triggered run syncs every connected professional through the real activities against
// the fake Google, and one professional's failure does not stop the others.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { eq } from 'drizzle-orm';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { calendarConnections } from '../../db/schema';
import { createCalendarActivities } from '../../activities/calendar';
import { createCalendarProvider } from '../../providers/calendar';
import { pgQuota } from '../../services/calendar-quota';
import { ensureCalendarSyncSchedule } from '../../journeys/schedules';
import { calendarSync } from '../../workflows/calendarSync';
import { CALENDAR_SYNC_SCHEDULE_ID } from '../../workflows/definitions';
import { temporalTestServerPath } from '../../scripts/tools';
import { historyRecorder } from '../support/record-history';
import { startFakeGoogle, type FakeGoogle } from './fake-google';
import { connectedClinic, inDays, journeySpy, testSecrets } from './support';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const recorder = historyRecorder(); // RECORD_HISTORIES=1: the replay fixtures (tests/replay)
let tdb: TestDatabase;
let google: FakeGoogle;
let bundle: WorkflowBundleWithSourceMap;

const activities = () => createCalendarActivities({
  db: tdb.db, journeys: journeySpy(), ...testSecrets,
  calendar: createCalendarProvider({
    clientId: google.client.id, clientSecret: google.client.secret, redirectUrl: 'http://127.0.0.1/cb',
    quota: pgQuota(tdb.db), endpoints: google.endpoints, sleep: async () => {},
  }),
});

beforeAll(async () => {
  tdb = await createTestDatabase();
  google = await startFakeGoogle();
  // Only this workflow's code: the test does not depend on the other journeys in workflows/index.ts.
  bundle = await bundleWorkflowCode({ workflowsPath: createRequire(import.meta.url).resolve('../../workflows/calendarSync.ts'), logger: quiet });
});
afterAll(async () => {
  await google?.close();
  await tdb?.drop();
});

describe('Temporal Schedule (dev server)', () => {
  let connection: Connection;
  let native: NativeConnection;
  let client: Client;
  const taskQueue = `calendar-sync-test-${process.pid}`;
  beforeAll(async () => {
    connection = await Connection.connect({ address: inject('temporalAddress') });
    native = await NativeConnection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection });
  });
  afterAll(async () => {
    await client?.schedule.getHandle(CALENDAR_SYNC_SCHEDULE_ID).delete().catch(() => {});
    await connection?.close();
    await native?.close();
  });

  it('is created once, every 10 minutes, and a triggered run syncs each connected professional', async () => {
    const a = await connectedClinic(tdb.db, google, 'Clínica Agendada A');
    const b = await connectedClinic(tdb.db, google, 'Clínica Agendada B');
    const patient = await a.patient('Ana Souza', new Date());
    await a.appointment(patient.id, inDays(3), 'agendado');

    expect(await ensureCalendarSyncSchedule(client, taskQueue)).toEqual({ created: true });
    expect(await ensureCalendarSyncSchedule(client, taskQueue)).toEqual({ created: false });
    const handle = client.schedule.getHandle(CALENDAR_SYNC_SCHEDULE_ID);
    const description = await handle.describe();
    expect(description.spec.intervals?.[0]?.every).toBe(10 * 60_000);

    const worker = await Worker.create({ connection: native, taskQueue, workflowBundle: bundle, activities: activities() });
    await worker.runUntil(async () => {
      await handle.trigger();
      const deadline = Date.now() + 30_000;
      let synced = 0;
      while (Date.now() < deadline && synced < 2) {
        const rows = await tdb.db.select().from(calendarConnections);
        synced = rows.filter((r) => (r.id === a.connection.id || r.id === b.connection.id) && r.lastSyncedAt).length;
        if (synced < 2) await new Promise((r) => setTimeout(r, 250));
      }
      expect(synced).toBe(2);
    });
    expect(google.calendars.get(a.calendarId)?.size).toBe(1); // the appointment was exported
  });
});

describe('calendarSync workflow (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } }, client: recorder.client });
  });
  afterAll(async () => {
    if (env) await recorder.save(env.client);
    await env?.teardown();
  });

  it('reports a professional whose sync keeps failing and still syncs the others', async () => {
    const ok = await connectedClinic(tdb.db, google, 'Clínica Saudável');
    const broken = await connectedClinic(tdb.db, google, 'Clínica Quebrada');
    await tdb.db.update(calendarConnections).set({ encryptedTokens: 'v1.corrompido' }).where(eq(calendarConnections.id, broken.connection.id));

    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'calendar-tsk', workflowBundle: bundle, activities: activities() });
    const summary = await worker.runUntil(env.client.workflow.execute(calendarSync, {
      workflowId: 'calendar-sync-test', taskQueue: 'calendar-tsk', args: [{ professionalIds: [broken.professional.id, ok.professional.id] }],
    }));
    expect(summary.failed).toBe(1);
    expect(summary.results).toEqual([
      expect.objectContaining({ professionalId: broken.professional.id, status: 'failed' }),
      expect.objectContaining({ professionalId: ok.professional.id, status: 'synced', full: true }),
    ]);
  });
});
