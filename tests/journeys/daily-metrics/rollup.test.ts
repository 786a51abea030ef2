// The daily metrics rollup: its figures per local day, idempotence, and the workflow on the time-skipping server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createClinicFixture } from '../../support/fixtures';
import { createMetricsActivities } from '../../../activities/metrics';
import { createActivities } from '../../../activities';
import { conversations, dailyMetrics } from '../../../db/schema';
import { dailyMetricsRollup } from '../../../workflows/dailyMetrics';
import { workflowsPath } from '../../../worker/worker';
import { temporalTestServerPath } from '../../../scripts/tools';
import { historyRecorder } from '../../support/record-history';

let tdb: TestDatabase;
let sp: Awaited<ReturnType<typeof createClinicFixture>>;
let lisbon: Awaited<ReturnType<typeof createClinicFixture>>;
const recorder = historyRecorder(); // RECORD_HISTORIES=1: the replay fixtures (tests/replay)

const at = (iso: string) => new Date(iso);
const day = async (clinicId: string, d: string) =>
  (await tdb.db.select().from(dailyMetrics).where(and(eq(dailyMetrics.clinicId, clinicId), eq(dailyMetrics.day, d))))[0];

beforeAll(async () => {
  tdb = await createTestDatabase();
  sp = await createClinicFixture(tdb.db, { name: 'Clínica Paulista' });
  lisbon = await createClinicFixture(tdb.db, { name: 'Clínica Lisboa', timezone: 'Europe/Lisbon' });
  // São Paulo is UTC-3: 2026-03-11T01:30Z is still 10 March there.
  const ana = await sp.patient('Ana Souza', at('2026-03-10T15:00:00Z'));
  const bia = await sp.patient('Beatriz Lima', at('2026-03-11T02:59:00Z')); // 23:59 on the 10th
  await sp.patient('Carla Dias', at('2026-03-11T03:00:00Z')); // 00:00 on the 11th
  await sp.appointment(ana.id, at('2026-03-10T13:00:00Z'), 'realizado', 120000, 'pago');
  const booked = await sp.appointment(bia.id, at('2026-03-11T01:30:00Z'), 'realizado', 80000, 'pago');
  await sp.appointment(ana.id, at('2026-03-10T17:00:00Z'), 'no_show');
  await sp.appointment(bia.id, at('2026-03-10T18:00:00Z'), 'cancelado');
  await sp.appointment(ana.id, at('2026-03-10T02:00:00Z'), 'realizado'); // 23:00 on the 9th
  await sp.payment(ana.id, 120000, at('2026-03-10T13:40:00Z'));
  await sp.payment(bia.id, 80000, at('2026-03-11T02:10:00Z'));
  await sp.payment(bia.id, 99900, at('2026-03-10T20:00:00Z'), 'recusado');
  await sp.conversation('convertida', at('2026-03-10T12:00:00Z'), booked.id);
  await sp.conversation('abandonada', at('2026-03-10T12:00:00Z'));
  await sp.conversation('spam', at('2026-03-10T12:30:00Z'));
  // The owner's case: R$ 1.234,56 charged on the 9th (São Paulo), R$ 234,56 of it refunded on the 11th.
  const charge = await sp.payment(ana.id, 123456, at('2026-03-09T14:00:00Z'));
  await sp.refund(charge.id, 23456, at('2026-03-11T15:00:00Z'));
  // Lisbon (UTC+0 in March): a payment at 2026-03-11T01:30Z is the 11th there.
  const duarte = await lisbon.patient('Duarte Silva', at('2026-03-01T10:00:00Z'));
  await lisbon.payment(duarte.id, 50000, at('2026-03-11T01:30:00Z'));
});
afterAll(async () => tdb?.drop());

describe('rollupDailyMetrics', () => {
  it('computes each figure per local day in each clinic’s time zone', async () => {
    const { rollupDailyMetrics } = createMetricsActivities({ db: tdb.db });
    await rollupDailyMetrics({ from: '2026-03-09', to: '2026-03-11', asOf: '2026-03-12T12:00:00Z' });
    // Booked counts every appointment of the day, cancelled included; the ticket is net revenue per paid visit.
    expect(await day(sp.clinic.id, '2026-03-10')).toMatchObject({
      revenueCents: 200000, grossRevenueCents: 200000, refundsCents: 0, appointments: 4, completed: 2, noShows: 1, cancelled: 1, paidVisits: 2,
      newPatients: 2, leads: 2, conversions: 1, averageTicketCents: 100000,
    });
    // The charge counts whole on its day, the refund on the refund's day.
    expect(await day(sp.clinic.id, '2026-03-09')).toMatchObject({ appointments: 1, completed: 1, paidVisits: 0, grossRevenueCents: 123456, refundsCents: 0, revenueCents: 123456, averageTicketCents: 0 });
    expect(await day(sp.clinic.id, '2026-03-11')).toMatchObject({ newPatients: 1, grossRevenueCents: 0, refundsCents: 23456, revenueCents: -23456 });
    expect(await day(lisbon.clinic.id, '2026-03-10')).toMatchObject({ revenueCents: 0 });
    expect(await day(lisbon.clinic.id, '2026-03-11')).toMatchObject({ revenueCents: 50000 });
  });

  it('is idempotent: a second run rewrites the same rows and picks up late changes', async () => {
    const { rollupDailyMetrics } = createMetricsActivities({ db: tdb.db });
    const before = await tdb.db.select().from(dailyMetrics);
    await rollupDailyMetrics({ from: '2026-03-09', to: '2026-03-11', asOf: '2026-03-12T12:00:00Z' });
    const after = await tdb.db.select().from(dailyMetrics);
    expect(after).toHaveLength(before.length);
    expect(after.map(({ computedAt: _c, ...r }) => r)).toEqual(expect.arrayContaining(before.map(({ computedAt: _c, ...r }) => r)));
    await sp.payment((await sp.patient('Eva Rocha', at('2026-03-01T12:00:00Z'))).id, 30000, at('2026-03-10T19:00:00Z'));
    await rollupDailyMetrics({ from: '2026-03-10', to: '2026-03-10', asOf: '2026-03-12T12:00:00Z', clinicId: sp.clinic.id });
    expect((await day(sp.clinic.id, '2026-03-10')).revenueCents).toBe(230000);
  });

  it('by default recomputes yesterday and today, and the recent days whose leads converted or whose appointments changed since', async () => {
    const { rollupDailyMetrics } = createMetricsActivities({ db: tdb.db });
    const lead = await sp.conversation('aberta', at('2026-03-15T13:00:00Z'));
    await rollupDailyMetrics({ from: '2026-03-15', to: '2026-03-15', asOf: '2026-03-15T20:00:00Z', clinicId: sp.clinic.id });
    expect(await day(sp.clinic.id, '2026-03-15')).toMatchObject({ leads: 1, conversions: 0 });
    // Five days later the lead books: its first day's conversions change, and the default run rewrites that day.
    const eva = await sp.patient('Eva Moura', at('2026-03-01T12:00:00Z'));
    const visit = await sp.appointment(eva.id, at('2026-03-25T13:00:00Z'), 'agendado');
    await tdb.db.update(conversations).set({ status: 'convertida', closedAt: at('2026-03-20T14:00:00Z'), convertedAppointmentId: visit.id }).where(eq(conversations.id, lead.id));
    const { rows } = await rollupDailyMetrics({ asOf: '2026-03-20T20:00:00Z', clinicId: sp.clinic.id });
    expect(rows).toBe(3); // the 19th, the 20th and the 15th
    expect(await day(sp.clinic.id, '2026-03-15')).toMatchObject({ leads: 1, conversions: 1 });
  });
});

describe('dailyMetricsRollup workflow (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } }, client: recorder.client });
    bundle = await bundleWorkflowCode({ workflowsPath, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
  });
  afterAll(async () => {
    if (env) await recorder.save(env.client);
    await env?.teardown();
  });

  it('rolls up yesterday and today as of its start, with retries around a failing activity', async () => {
    let calls = 0;
    const real = createActivities({ db: tdb.db });
    const worker = await Worker.create({
      connection: env.nativeConnection, taskQueue: 'test-metrics', workflowBundle: bundle,
      activities: {
        ...real,
        async rollupDailyMetrics(input: Parameters<typeof real.rollupDailyMetrics>[0]) {
          if (++calls === 1) throw new Error('database restarting'); // retried by the activity's policy
          return real.rollupDailyMetrics(input);
        },
      },
    });
    const result = await worker.runUntil(
      env.client.workflow.execute(dailyMetricsRollup, { workflowId: 'rollup-test', taskQueue: 'test-metrics', args: [{ clinicId: sp.clinic.id }] }),
    );
    expect(calls).toBe(2);
    // yesterday and today, in São Paulo, around the workflow's start
    expect(result.rows).toBe(2);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo' }).format(new Date(result.asOf));
    expect(await day(sp.clinic.id, today)).toBeDefined();
  });
});
