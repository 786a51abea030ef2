// The appointment journey with its real activities (database, fake message sender) on the time-skipping
// server: every branch of the reminders (confirm at 24h, cancel by reply and by the dashboard, no answer →
// 2h backup → automatic no-show, reschedule, booked inside 24h, completed → NPS hand-over), and a worker
// killed and restarted mid-journey still sends exactly one message per step and channel.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { workflowsPath } from '../../../worker/worker';
import { temporalTestServerPath } from '../../../scripts/tools';
import { historyRecorder } from '../../support/record-history';
import { appointmentJourney } from '../../../workflows/appointment';
import {
  appointmentWorkflowId, cancelSignal, journeyStateQuery, patientReplySignal, rescheduleSignal, statusChangedSignal,
  type AppointmentJourneyInput,
} from '../../../workflows/definitions';
import { createAppointmentActivities } from '../../../activities/appointment';
import { npsWorkflowId } from '../../../workflows/definitions';
import { analyticsEvents, appointmentConfirmations, appointments, auditLog, clinics, messageTemplates } from '../../../db/schema';
import { formatAppointmentTime } from '../../../domain/reminder-templates';
import { verifyAppointmentLink } from '../../../domain/signed-links';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { bookAppointment, createReminderClinic, fakeSender, LINK_SECRET, WEB_BASE, type FakeSender } from '../../support/reminder-fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const taskQueue = 'test-appointment-reminders';
const npsTaskQueue = 'test-nps-not-built-yet';
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const recorder = historyRecorder(); // RECORD_HISTORIES=1: the replay fixtures (tests/replay)

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let tdb: TestDatabase;
let clinic: Awaited<ReturnType<typeof createReminderClinic>>;
let sender: FakeSender;
const slack: { url: string; body: { text: string } }[] = [];
let worker: Worker;
let running: Promise<void>;
// A stand-in 'npsSurvey' worker: the time-skipping server does not skip time while a started workflow waits for a worker.
let npsWorker: Worker;
let npsRunning: Promise<void>;

function activitiesFor(s: FakeSender) {
  return createAppointmentActivities({
    db: tdb.db, sender: s, links: { secret: LINK_SECRET, webBaseUrl: WEB_BASE },
    temporal: env.client, taskQueue: npsTaskQueue, searchAttributes: false, slackWebhookUrl: 'https://hooks.slack.test/T000/B000/xyz',
    fetch: (async (url: string, init: RequestInit) => {
      slack.push({ url, body: JSON.parse(String(init.body)) });
      return new Response('ok', { status: 200 });
    }) as unknown as typeof fetch,
  });
}

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } }, client: recorder.client });
  bundle = await bundleWorkflowCode({ workflowsPath, logger: quiet });
  tdb = await createTestDatabase();
  clinic = await createReminderClinic(tdb.db, 'Clínica Lembretes');
  sender = fakeSender();
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities: activitiesFor(sender) });
  running = worker.run();
  npsWorker = await Worker.create({
    connection: env.nativeConnection, taskQueue: npsTaskQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./nps-stub.ts', import.meta.url)), logger: quiet }),
  });
  npsRunning = npsWorker.run();
});
afterAll(async () => {
  if (env) await recorder.save(env.client);
  worker?.shutdown();
  npsWorker?.shutdown();
  await running;
  await npsRunning;
  await env?.teardown();
  await tdb?.drop();
});

async function book(startsInMs: number) {
  const now = await env.currentTimeMs();
  return bookAppointment(tdb.db, clinic, new Date(now + startsInMs));
}

const started: string[] = [];

async function start(input: AppointmentJourneyInput, queue = taskQueue) {
  started.push(appointmentWorkflowId(input.appointmentId));
  return env.client.workflow.start(appointmentJourney, { workflowId: appointmentWorkflowId(input.appointmentId), taskQueue: queue, args: [input] });
}

async function row(id: string) {
  const [r] = await tdb.db.select().from(appointments).where(eq(appointments.id, id));
  return r;
}

/** What the API does: write the row, then signal (the DB is the truth). */
async function staffSetsStatus(handle: Awaited<ReturnType<typeof start>>, id: string, status: 'realizado' | 'no_show') {
  await tdb.db.update(appointments).set({ status, ...(status === 'realizado' ? { completedAt: new Date() } : {}) }).where(eq(appointments.id, id));
  await handle.signal(statusChangedSignal, { status });
}

/** Exactly one message per (template, channel): a retry or a restart never sends twice. */
function expectOnePerStep(id: string) {
  const keys = sender.for(id).map((m) => m.idempotencyKey);
  expect(new Set(keys).size).toBe(keys.length);
  const kinds = sender.for(id).map((m) => `${m.templateKey}:${m.channel}`);
  expect(new Set(kinds).size).toBe(kinds.length);
}

describe('appointment reminders', () => {
  it('24h: WhatsApp with name, procedure, professional, local time, address and two signed links; "1" confirms; 2h: SMS + e-mail only', async () => {
    const { row: appt, input, professional } = await book(3 * DAY);
    const handle = await start(input);
    await env.sleep(2 * DAY + HOUR); // past T-24h

    const [wa] = sender.for(appt.id);
    expect(sender.for(appt.id)).toHaveLength(1);
    const { data, hora } = formatAppointmentTime(appt.startsAt, 'America/Sao_Paulo');
    expect(wa).toMatchObject({ channel: 'whatsapp', to: '+5511987650001', templateKey: 'reminder_24h', purpose: 'transactional', clinicId: clinic.clinic.id });
    expect(wa.idempotencyKey).toBe(`appointment:${appt.id}:reminder_24h:whatsapp:${appt.startsAt.getTime()}`);
    for (const s of ['Carla', data, hora, 'Limpeza de pele', professional.name, 'Rua Augusta, 1500']) expect(wa.body).toContain(s);
    const links = [...wa.body.matchAll(/https:\/\/clinica\.test\/p\/c\/([A-Za-z0-9_.-]+)/g)].map((m) => m[1]!);
    expect(links).toHaveLength(2);
    const checked = links.map((t) => verifyAppointmentLink(LINK_SECRET, t, Date.now()));
    expect(checked.map((c) => c.ok && c.payload.action)).toEqual(['confirm', 'cancel']);
    expect(checked.every((c) => c.ok && c.payload.appointmentId === appt.id && c.payload.exp === appt.startsAt.getTime())).toBe(true);

    let r = await row(appt.id);
    expect(r).toMatchObject({ reminder24hSent: true, reminder2hSent: false, status: 'agendado' });
    const logged = await tdb.db.select().from(appointmentConfirmations).where(eq(appointmentConfirmations.appointmentId, appt.id));
    expect(logged).toMatchObject([{ kind: 'lembrete_24h', channel: 'whatsapp', read: false }]);

    await handle.signal(patientReplySignal, { text: 'Sim, confirmo 👍', channel: 'whatsapp', receivedAt: new Date().toISOString(), messageId: 'SM-1' });
    await handle.signal(patientReplySignal, { text: 'Sim, confirmo 👍', channel: 'whatsapp', receivedAt: new Date().toISOString(), messageId: 'SM-1' }); // redelivered
    let state = await handle.query(journeyStateQuery);
    for (let i = 0; i < 50 && state.status !== 'confirmado'; i++) state = await handle.query(journeyStateQuery);
    expect(state).toMatchObject({ status: 'confirmado', ended: null, nextStep: { step: 'reminder_2h' } });
    expect(state.answers).toEqual([{ text: 'Sim, confirmo 👍', at: expect.any(String), channel: 'whatsapp', interpreted: 'confirm', outcome: 'applied' }]);
    expect(state.sent).toEqual([{ step: 'reminder_24h', channel: 'whatsapp', template: 'reminder_24h', at: expect.any(String), status: 'sent' }]);
    r = await row(appt.id);
    expect(r.status).toBe('confirmado');
    expect(r.confirmedAt).not.toBeNull();
    expect(r.journeySyncPendingSince).toBeNull(); // a change from the journey does not loop back through the API
    const audit = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entityId, appt.id), eq(auditLog.action, 'confirm_by_patient')));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.userId).toBeNull();
    const [answered] = await tdb.db.select().from(appointmentConfirmations).where(eq(appointmentConfirmations.appointmentId, appt.id));
    expect(answered.response).toBe('confirmou');
    // The patient got one acknowledgement.
    expect(sender.for(appt.id).filter((m) => m.templateKey === 'reply_confirmed')).toHaveLength(1);

    await env.sleep(DAY - 2 * HOUR); // T-1h: past T-2h
    const at2h = sender.for(appt.id).filter((m) => m.templateKey?.startsWith('reminder_2h'));
    expect(at2h.map((m) => m.channel).sort()).toEqual(['email', 'sms']); // confirmed: no location WhatsApp
    const email = at2h.find((m) => m.channel === 'email')!;
    expect(email).toMatchObject({ to: 'carla@example.com', subject: `Lembrete: Limpeza de pele hoje às ${hora}` });
    expect(email.body).toContain('https://www.google.com/maps/search/?api=1&query=Rua%20Augusta');
    expect(await row(appt.id)).toMatchObject({ reminder24hSent: true, reminder2hSent: true });
    expectOnePerStep(appt.id);

    await env.sleep(90 * 60_000); // the visit happened
    await staffSetsStatus(handle, appt.id, 'realizado');
    expect(await handle.result()).toMatchObject({ ended: 'completed', status: 'realizado' });
  });

  it('"não vou poder" cancels: status cancelado, slot free, reminders end, clinic notified (dashboard + Slack)', async () => {
    const { row: appt, input } = await book(3 * DAY);
    const handle = await start(input);
    await env.sleep(2 * DAY + HOUR);
    await handle.signal(patientReplySignal, { text: 'Não vou poder', channel: 'whatsapp', receivedAt: new Date().toISOString(), messageId: 'SM-2' });
    const result = await handle.result();
    expect(result).toMatchObject({ ended: 'cancelled', status: 'cancelado' });
    expect(result.cancelReason).toContain('Não vou poder');
    const r = await row(appt.id);
    expect(r.status).toBe('cancelado');
    expect(r.cancelReason).toContain('Não vou poder');
    // The slot is free: another appointment of the same professional at the same time is accepted.
    await tdb.db.insert(appointments).values({ ...input, id: undefined, startsAt: appt.startsAt, priceCents: 100, procedureId: clinic.limpeza.id, status: 'agendado' } as never);
    const events = await tdb.db.select().from(analyticsEvents).where(eq(analyticsEvents.kind, 'appointment_cancelled'));
    const mine = events.filter((e) => (e.data as { appointmentId?: string }).appointmentId === appt.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.description).toContain('Carla Mendes cancelou pelo paciente');
    expect(slack.some((s) => s.body.text.includes('Carla Mendes cancelou'))).toBe(true);
    // Only the 24h reminder and the acknowledgement: nothing at T-2h.
    expect(sender.for(appt.id).map((m) => m.templateKey)).toEqual(['reminder_24h', 'reply_cancelled']);
    expect(await tdb.db.select().from(auditLog).where(and(eq(auditLog.entityId, appt.id), eq(auditLog.action, 'cancel_by_patient')))).toHaveLength(1);
  });

  it('a cancel from the dashboard (signal after the DB write) ends pending reminders and notifies the clinic', async () => {
    const { row: appt, input } = await book(3 * DAY);
    const handle = await start(input);
    await tdb.db.update(appointments).set({ status: 'cancelado', cancelReason: 'Paciente pediu por telefone', cancelledAt: new Date() }).where(eq(appointments.id, appt.id));
    await handle.signal(cancelSignal, { reason: 'Paciente pediu por telefone' });
    expect(await handle.result()).toMatchObject({ ended: 'cancelled', cancelReason: 'Paciente pediu por telefone' });
    expect(sender.for(appt.id)).toHaveLength(0);
    const events = (await tdb.db.select().from(analyticsEvents).where(eq(analyticsEvents.kind, 'appointment_cancelled')))
      .filter((e) => (e.data as { appointmentId?: string }).appointmentId === appt.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.description).toContain('Motivo: Paciente pediu por telefone');
  });

  it('no answer: T-2h SMS + e-mail + WhatsApp with map and clinic phone; nobody marks the visit → no_show after the grace period', async () => {
    await tdb.db.update(clinics).set({ settings: { noShowGraceMinutes: 30 } }).where(eq(clinics.id, clinic.clinic.id));
    const { row: appt, input } = await book(3 * DAY);
    const handle = await start(input);
    const result = await handle.result(); // the time-skipping server jumps over every timer
    expect(result).toMatchObject({ ended: 'no_show', status: 'no_show' });
    expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(appt.startsAt.getTime() + 60 * 60_000 + 30 * 60_000);

    const msgs = sender.for(appt.id);
    expect(msgs.map((m) => `${m.templateKey}:${m.channel}`).sort()).toEqual([
      'reminder_24h:whatsapp', 'reminder_2h:email', 'reminder_2h:sms', 'reminder_2h_location:whatsapp',
    ]);
    const location = msgs.find((m) => m.templateKey === 'reminder_2h_location')!;
    const { hora } = formatAppointmentTime(appt.startsAt, 'America/Sao_Paulo');
    for (const s of [hora, 'https://www.google.com/maps/search/?api=1&query=', '(11) 3234-5678']) expect(location.body).toContain(s);
    expect(msgs.find((m) => m.channel === 'sms')!.body).toContain(hora);
    expectOnePerStep(appt.id);

    const r = await row(appt.id);
    expect(r).toMatchObject({ status: 'no_show', reminder24hSent: true, reminder2hSent: true });
    const logged = await tdb.db.select().from(appointmentConfirmations).where(eq(appointmentConfirmations.appointmentId, appt.id));
    expect(logged.map((l) => `${l.kind}:${l.channel}`).sort()).toEqual(['lembrete_24h:whatsapp', 'lembrete_2h:email', 'lembrete_2h:sms', 'lembrete_2h:whatsapp']);
    expect(await tdb.db.select().from(auditLog).where(and(eq(auditLog.entityId, appt.id), eq(auditLog.action, 'no_show_auto')))).toHaveLength(1);
    const noShow = (await tdb.db.select().from(analyticsEvents).where(eq(analyticsEvents.kind, 'appointment_no_show')))
      .filter((e) => (e.data as { appointmentId?: string }).appointmentId === appt.id);
    expect(noShow).toHaveLength(1);
    await tdb.db.update(clinics).set({ settings: {} }).where(eq(clinics.id, clinic.clinic.id));
  });

  it('a reschedule moves both timers: reminders follow the new time, none for the old one', async () => {
    const { row: appt, input } = await book(3 * DAY);
    const handle = await start(input);
    const now = await env.currentTimeMs();
    const moved = new Date(now + 5 * DAY);
    await tdb.db.update(appointments).set({ startsAt: moved, reminder24hSent: false, reminder2hSent: false }).where(eq(appointments.id, appt.id));
    await handle.signal(rescheduleSignal, { startsAt: moved.toISOString() });

    await env.sleep(2 * DAY + HOUR); // past the OLD T-24h: nothing
    expect(sender.for(appt.id)).toHaveLength(0);
    await env.sleep(2 * DAY); // past the NEW T-24h
    expect(sender.for(appt.id).map((m) => m.templateKey)).toEqual(['reminder_24h']);
    expect(sender.for(appt.id)[0]!.body).toContain(formatAppointmentTime(moved, 'America/Sao_Paulo').hora);
    let state = await handle.query(journeyStateQuery);
    expect(state.nextStep).toEqual({ step: 'reminder_2h', at: new Date(moved.getTime() - 2 * HOUR).toISOString() });
    expect(Date.parse(state.sent[0]!.at)).toBeGreaterThanOrEqual(moved.getTime() - DAY);

    await env.sleep(DAY); // past the new T-2h
    state = await handle.query(journeyStateQuery);
    expect(state.sent.filter((s) => s.step === 'reminder_2h').every((s) => Date.parse(s.at) >= moved.getTime() - 2 * HOUR)).toBe(true);
    expect(state.sent.filter((s) => s.step === 'reminder_2h')).toHaveLength(3);
    expectOnePerStep(appt.id);
    await tdb.db.update(appointments).set({ status: 'cancelado', cancelReason: 'fim do teste' }).where(eq(appointments.id, appt.id));
    await handle.signal(cancelSignal, { reason: 'fim do teste' });
    await handle.result();
  });

  it('booked 5h ahead: no 24h reminder (already past), the 2h one is sent; realizado hands over to nps:{id} once', async () => {
    const { row: appt, input } = await book(5 * HOUR);
    const handle = await start(input);
    expect((await handle.query(journeyStateQuery)).nextStep).toEqual({ step: 'reminder_2h', at: new Date(appt.startsAt.getTime() - 2 * HOUR).toISOString() });
    await env.sleep(3 * HOUR + 30 * 60_000);
    expect(sender.for(appt.id).map((m) => m.templateKey).sort()).toEqual(['reminder_2h', 'reminder_2h', 'reminder_2h_location']);
    expect(await row(appt.id)).toMatchObject({ reminder24hSent: false, reminder2hSent: true });

    await env.sleep(2 * HOUR); // the visit
    await staffSetsStatus(handle, appt.id, 'realizado');
    expect(await handle.result()).toMatchObject({ ended: 'completed', status: 'realizado' });
    const npsHandle = env.client.workflow.getHandle(npsWorkflowId(appt.id));
    const nps = await npsHandle.describe();
    expect(nps.type).toBe('npsSurvey');
    expect(nps.taskQueue).toBe(npsTaskQueue);
    const handedOver = await env.currentTimeMs();
    expect(await npsHandle.result()).toEqual({ received: { clinicId: input.clinicId, patientId: input.patientId, appointmentId: appt.id } });
    expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(handedOver + 24 * HOUR - 60_000); // started 24h later (startDelay)
    // A second hand-over (a retried activity) is a no-op, not an error.
    const again = await activitiesFor(sender).startNpsJourney({ clinicId: input.clinicId, patientId: input.patientId, appointmentId: appt.id, delayHours: 24 });
    expect(again).toEqual({ started: false });
  });

  it('a journey of an already-passed appointment time goes straight to the outcome; staff no_show ends it without a notice', async () => {
    const { row: appt, input } = await book(HOUR);
    const handle = await start(input);
    expect((await handle.query(journeyStateQuery)).nextStep?.step).toBe('outcome_deadline');
    await env.sleep(2 * HOUR);
    await staffSetsStatus(handle, appt.id, 'no_show');
    expect(await handle.result()).toMatchObject({ ended: 'no_show' });
    expect(sender.for(appt.id)).toHaveLength(0);
    const noShow = (await tdb.db.select().from(analyticsEvents).where(eq(analyticsEvents.kind, 'appointment_no_show')))
      .filter((e) => (e.data as { appointmentId?: string }).appointmentId === appt.id);
    expect(noShow).toHaveLength(0);
  });

  it('a worker killed mid-journey and replaced finds exactly one message per step', async () => {
    const queue = 'test-appointment-reminders-restart';
    const shared = sender; // the outbox outlives the worker, like the real message_outbox table
    const { row: appt, input } = await book(3 * DAY);
    const first = await Worker.create({ connection: env.nativeConnection, taskQueue: queue, workflowBundle: bundle, activities: activitiesFor(shared), maxCachedWorkflows: 0 });
    const firstRun = first.run();
    const handle = await start(input, queue);
    await env.sleep(2 * DAY + HOUR);
    expect(shared.for(appt.id).map((m) => m.templateKey)).toEqual(['reminder_24h']);
    first.shutdown();
    await firstRun;

    const second = await Worker.create({ connection: env.nativeConnection, taskQueue: queue, workflowBundle: bundle, activities: activitiesFor(shared) });
    const secondRun = second.run();
    try {
      await env.sleep(DAY - HOUR); // past T-2h: the new worker replays the history and goes on
      expect(shared.for(appt.id).map((m) => `${m.templateKey}:${m.channel}`).sort()).toEqual([
        'reminder_24h:whatsapp', 'reminder_2h:email', 'reminder_2h:sms', 'reminder_2h_location:whatsapp',
      ]);
      expectOnePerStep(appt.id);
      const state = await handle.query(journeyStateQuery);
      expect(state.sent.map((s) => `${s.template}:${s.channel}`)).toEqual([
        'reminder_24h:whatsapp', 'reminder_2h:sms', 'reminder_2h:email', 'reminder_2h_location:whatsapp',
      ]);
      const logged = await tdb.db.select().from(appointmentConfirmations).where(eq(appointmentConfirmations.appointmentId, appt.id));
      expect(logged).toHaveLength(4);
      await tdb.db.update(appointments).set({ status: 'cancelado', cancelReason: 'fim do teste' }).where(eq(appointments.id, appt.id));
      await handle.signal(cancelSignal, { reason: 'fim do teste' });
      await handle.result();
    } finally {
      second.shutdown();
      await secondRun;
    }
  });

  it('a retried reminder activity (same appointment time) sends nothing twice and logs the attempt once', async () => {
    const { row: appt } = await book(3 * DAY);
    const acts = activitiesFor(sender);
    const args = { clinicId: clinic.clinic.id, appointmentId: appt.id, step: 'reminder_24h' as const, startsAt: appt.startsAt.toISOString() };
    const once = await acts.sendAppointmentReminder(args);
    const twice = await acts.sendAppointmentReminder(args);
    expect(once.messages.map((m) => m.status)).toEqual(['sent']);
    expect(twice.messages.map((m) => m.status)).toEqual(['duplicate']);
    expect(sender.for(appt.id)).toHaveLength(1);
    expect(await tdb.db.select().from(appointmentConfirmations).where(eq(appointmentConfirmations.appointmentId, appt.id))).toHaveLength(1);
    // A stale time (the appointment moved meanwhile) sends nothing.
    expect(await acts.sendAppointmentReminder({ ...args, startsAt: new Date(appt.startsAt.getTime() + HOUR).toISOString() })).toMatchObject({ skipped: 'stale', messages: [] });
  });

  it("uses the clinic's own text for a step when it wrote one (message_templates), with the same variables", async () => {
    const [own] = await tdb.db.insert(messageTemplates).values({
      clinicId: clinic.clinic.id, key: 'reminder_24h', channel: 'whatsapp', body: 'Oi {paciente}! {procedimento} {data} {hora}. Confirme: {link_confirmar}',
    }).returning();
    try {
      const { row: appt } = await book(3 * DAY);
      await activitiesFor(sender).sendAppointmentReminder({ clinicId: clinic.clinic.id, appointmentId: appt.id, step: 'reminder_24h', startsAt: appt.startsAt.toISOString() });
      const { data, hora } = formatAppointmentTime(appt.startsAt, 'America/Sao_Paulo');
      expect(sender.for(appt.id)[0]!.body).toMatch(new RegExp(`^Oi Carla! Limpeza de pele ${data} ${hora}\\. Confirme: https://clinica\\.test/p/c/\\S+$`));
    } finally {
      await tdb.db.delete(messageTemplates).where(eq(messageTemplates.id, own.id));
    }
  });

  it('every history recorded above replays on the current workflow code (determinism)', async () => {
    expect(started.length).toBeGreaterThanOrEqual(7);
    for (const workflowId of started) {
      const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
      await Worker.runReplayHistory({ workflowBundle: bundle, replayName: workflowId }, history);
    }
  });
});
