// The appointment journey's timeline on the time-skipping server (activities stubbed): the query reports the
// next step and when, a reschedule moves the deadline, cancel / realizado / no_show end it, and an unsettled outcome ends it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { workflowsPath } from '../../../worker/worker';
import { temporalTestServerPath } from '../../../scripts/tools';
import { historyRecorder } from '../../support/record-history';
import { appointmentJourney } from '../../../workflows/appointment';
import {
  appointmentWorkflowId, cancelSignal, journeyStateQuery, rescheduleSignal, statusChangedSignal, type AppointmentJourneyInput,
} from '../../../workflows/definitions';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const taskQueue = 'test-appointment-journey';
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const recorder = historyRecorder(); // RECORD_HISTORIES=1: the replay fixtures (tests/replay)

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let worker: Worker;
let running: Promise<void>;
let n = 0;

// The timeline alone: messages, answers and the outcome are tested with the real activities in appointment-reminders.test.ts.
const stubActivities = {
  async sendAppointmentReminder({ step }: { step: string }) { return { step, messages: [] }; },
  async applyPatientAnswer() { return { applied: false, status: 'agendado' }; },
  async markNoShowIfUnmarked() { return { applied: false, status: 'agendado' }; },
  async loadAppointmentJourneySettings() { return { noShowGraceMinutes: 60, npsDelayHours: 24 }; },
  async notifyClinic() { return { recorded: true }; },
  async startNpsJourney() { return { started: true }; },
};

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } }, client: recorder.client });
  bundle = await bundleWorkflowCode({ workflowsPath, logger: quiet });
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities: stubActivities });
  running = worker.run();
});
afterAll(async () => {
  if (env) await recorder.save(env.client);
  worker?.shutdown();
  await running;
  await env?.teardown();
});

async function startJourney(startsInMs: number, extra: Partial<AppointmentJourneyInput> = {}) {
  const now = await env.currentTimeMs();
  const appointmentId = `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  const input: AppointmentJourneyInput = {
    clinicId: '11111111-1111-4111-8111-111111111111', patientId: '22222222-2222-4222-8222-222222222222', appointmentId,
    professionalId: '33333333-3333-4333-8333-333333333333', startsAt: new Date(now + startsInMs).toISOString(), durationMinutes: 60, status: 'agendado',
    ...extra,
  };
  const handle = await env.client.workflow.start(appointmentJourney, { workflowId: appointmentWorkflowId(appointmentId), taskQueue, args: [input] });
  return { handle, input, now };
}

describe('appointment journey', () => {
  it('reports its next step; a reschedule moves the deadline; cancel ends it', async () => {
    const { handle, input, now } = await startJourney(3 * DAY);
    const start = Date.parse(input.startsAt);
    expect(await handle.query(journeyStateQuery)).toMatchObject({
      appointmentId: input.appointmentId, status: 'agendado', ended: null,
      nextStep: { step: 'reminder_24h', at: new Date(start - DAY).toISOString() },
    });

    const moved = new Date(now + 5 * DAY).toISOString();
    await handle.signal(rescheduleSignal, { startsAt: moved });
    expect((await handle.query(journeyStateQuery)).nextStep).toEqual({ step: 'reminder_24h', at: new Date(Date.parse(moved) - DAY).toISOString() });

    // Past the OLD 24 h mark (2 days) nothing is reached yet; past the new one (4 days) the 2 h step is next.
    await env.sleep(2 * DAY + HOUR);
    expect((await handle.query(journeyStateQuery)).nextStep?.step).toBe('reminder_24h');
    await env.sleep(2 * DAY);
    expect((await handle.query(journeyStateQuery)).nextStep).toEqual({ step: 'reminder_2h', at: new Date(Date.parse(moved) - 2 * HOUR).toISOString() });

    await handle.signal(cancelSignal, { reason: 'Paciente viajou' });
    expect(await handle.result()).toEqual({
      appointmentId: input.appointmentId, ended: 'cancelled', status: 'cancelado', startsAt: moved, cancelReason: 'Paciente viajou',
    });
  });

  it('a moved, confirmed appointment is agendado again (the confirmation was for the old time)', async () => {
    const { handle, now } = await startJourney(3 * DAY);
    await handle.signal(statusChangedSignal, { status: 'confirmado' });
    expect((await handle.query(journeyStateQuery)).status).toBe('confirmado');
    await handle.signal(rescheduleSignal, { startsAt: new Date(now + 4 * DAY).toISOString() });
    expect((await handle.query(journeyStateQuery)).status).toBe('agendado');
    // The same time again changes nothing.
    await handle.signal(statusChangedSignal, { status: 'confirmado' });
    await handle.signal(rescheduleSignal, { startsAt: new Date(now + 4 * DAY).toISOString() });
    expect((await handle.query(journeyStateQuery)).status).toBe('confirmado');
    await handle.signal(cancelSignal, { reason: 'teste' });
    await handle.result();
  });

  it('skips reminders whose time had already passed when booked', async () => {
    const { handle, input } = await startJourney(HOUR);
    const end = Date.parse(input.startsAt) + 60 * 60_000 + 60 * 60_000; // the visit, then the clinic's no-show grace (60 min)
    expect((await handle.query(journeyStateQuery)).nextStep).toEqual({ step: 'outcome_deadline', at: new Date(end).toISOString() });
    await handle.signal(cancelSignal, { reason: 'teste' });
    await handle.result();
  });

  it('ends when the appointment is realizado or no_show, not when confirmado', async () => {
    const done = await startJourney(2 * DAY);
    await done.handle.signal(statusChangedSignal, { status: 'confirmado' });
    expect(await done.handle.query(journeyStateQuery)).toMatchObject({ status: 'confirmado', ended: null });
    await env.sleep(2 * DAY + HOUR); // the visit happened
    await done.handle.signal(statusChangedSignal, { status: 'realizado' });
    expect(await done.handle.result()).toMatchObject({ ended: 'completed', status: 'realizado' });

    const missed = await startJourney(2 * DAY);
    await missed.handle.signal(statusChangedSignal, { status: 'no_show' });
    expect(await missed.handle.result()).toMatchObject({ ended: 'no_show', status: 'no_show' });
  });

  it('gives up after the visit and the grace period when the outcome cannot be settled', async () => {
    const { handle, input } = await startJourney(2 * DAY);
    const result = await handle.result(); // the time-skipping server jumps over the timers
    expect(result).toMatchObject({ ended: 'outcome_missing', status: 'agendado', startsAt: input.startsAt });
    expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(Date.parse(input.startsAt) + 60 * 60_000 + 60 * 60_000);
  });

  it('a journey started for an appointment that is already over ends at once', async () => {
    const { handle } = await startJourney(-DAY, { status: 'cancelado' });
    expect(await handle.result()).toMatchObject({ ended: 'cancelled' });
  });
});
