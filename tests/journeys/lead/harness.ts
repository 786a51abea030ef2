// Lead journeys on the time-skipping Temporal server with their real activities: the inbound routing
// (api/messaging/inbound.ts routeInbound, as the Twilio webhook and the simulator use it), the real
// local message sender (message_outbox), the local payment provider and a real PostgreSQL. Only the
// appointment journey's driver is a recorder (its own tests cover it; the test server has no custom
// search attributes).
import { randomBytes } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { loadEnv } from '../../../config/env';
import { createLogger } from '../../../config/logger';
import { createLeadActivities, type LeadBrain } from '../../../activities/lead';
import { routeInbound, type RouteResult } from '../../../services/inbound/route';
import { receivePaymentEvent } from '../../../services/payments/events';
import { clinics, conversationMessages, conversations, messageOutbox, payments, type ClinicSettings } from '../../../db/schema';
import { createMessageSender } from '../../../services/messaging/sender';
import { createLocalPaymentProvider } from '../../../providers/payments';
import { workflowsPath } from '../../../worker/worker';
import { temporalTestServerPath } from '../../../scripts/tools';
import { leadStateQuery, leadWorkflowId, staffHandBackSignal, staffTakeoverSignal, type LeadJourneyState } from '../../../workflows/definitions';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { createReminderClinic } from '../../support/reminder-fixtures';
import { historyRecorder } from '../../support/record-history';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export interface LeadHarness {
  env: TestWorkflowEnvironment;
  tdb: TestDatabase;
  clinic: Awaited<ReturnType<typeof createReminderClinic>>;
  taskQueue: string;
  /** Appointments the journey asked the appointment driver to start. */
  startedJourneys: string[];
  /** Appointments pushed to Google Calendar (the calendar activity's edge). */
  pushedToCalendar: string[];
  /** A fresh Brazilian mobile number in E.164 for one conversation. */
  newPhone(): string;
  /** One inbound WhatsApp message through the routing (same MessageSid = the webhook's retry). */
  send(phone: string, text: string, opts?: { messageSid?: string; profileName?: string; mediaUrls?: string[]; at?: Date }): Promise<RouteResult | null>;
  /** Sends and waits until the journey has handled the message (idle again, or ended). */
  say(phone: string, text: string, opts?: { messageSid?: string; profileName?: string; mediaUrls?: string[] }): Promise<LeadJourneyState | null>;
  state(phone: string): Promise<LeadJourneyState | null>;
  /** Waits until the journey has handled `patientMessages` messages and waits again (or ended). */
  settle(phone: string, patientMessages: number): Promise<LeadJourneyState | null>;
  /** Anna's messages to this number, oldest first (from message_outbox, what the patient received). */
  annaMessages(phone: string): Promise<{ body: string; quickReplies: string[] }[]>;
  conversation(phone: string): Promise<typeof conversations.$inferSelect | undefined>;
  /** Pays the conversation's open deposit through the payment event path (as the webhook would). */
  payDeposit(phone: string): Promise<void>;
  takeover(phone: string): Promise<void>;
  handBack(phone: string): Promise<void>;
  /** Lets (skipped) time pass on the server. */
  sleep(ms: number): Promise<void>;
  /** The journey's result (time skips until it ends). */
  result(phone: string): Promise<{ outcome: string; appointmentId: string | null }>;
  setSettings(settings: ClinicSettings): Promise<void>;
  close(): Promise<void>;
}

export async function startLeadHarness(opts: {
  settings?: ClinicSettings; name?: string;
  /** The brain (OpenAI adapter against a fake server, say), built on the harness's database. */
  brain?: (db: TestDatabase['db']) => LeadBrain;
  phraseReplies?: boolean;
} = {}): Promise<LeadHarness> {
  const recorder = historyRecorder(); // RECORD_HISTORIES=1: the replay fixtures (tests/replay)
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } }, client: recorder.client });
  const bundle: WorkflowBundleWithSourceMap = await bundleWorkflowCode({ workflowsPath, logger: quiet });
  const tdb = await createTestDatabase();
  const clinic = await createReminderClinic(tdb.db, opts.name ?? 'Clínica Bella Anna', opts.settings ?? {});
  const appEnv = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const log = createLogger(appEnv, 'test');
  const now = async () => new Date(await env.currentTimeMs());
  const sender = createMessageSender({ db: tdb.db, env: appEnv, log });
  const taskQueue = `test-lead-${randomBytes(4).toString('hex')}`;
  const startedJourneys: string[] = [];
  const pushedToCalendar: string[] = [];
  const activities = createLeadActivities({
    db: tdb.db, sender, brain: opts.brain?.(tdb.db), phraseReplies: opts.phraseReplies, payments: createLocalPaymentProvider({ webUrl: 'https://clinica.test' }), webBaseUrl: 'https://clinica.test',
    journeys: { async start(a) { startedJourneys.push(a.id); return { ok: true, sent: 'start' }; } },
    pushToCalendar: async (id) => { pushedToCalendar.push(id); },
    log,
  });
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
  const running = worker.run();
  let phoneSeq = 0;
  const prefix = String(10 + Math.floor(Math.random() * 80));

  const workflowId = (phone: string) => leadWorkflowId(clinic.clinic.id, phone);
  // Every call the harness makes to the server is tracked, and close() waits for them: a call still
  // retrying inside @temporalio/client when the connection closes throws from a timer ("Channel has
  // been shut down"), an uncaught error that fails the whole vitest run.
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: () => Promise<T>): Promise<T> => {
    const p = env.client.withDeadline(Date.now() + 5000, work);
    inFlight.add(p);
    void p.then(() => inFlight.delete(p), () => inFlight.delete(p));
    return p;
  };
  const state = async (phone: string) => {
    try {
      return await track(() => env.client.workflow.getHandle(workflowId(phone)).query(leadStateQuery));
    } catch {
      // The time-skipping server sometimes leaves a query unanswered right after continue-as-new: ask again.
      return null;
    }
  };
  const settle = async (phone: string, patientMessages: number) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const s = await state(phone);
      if (s && (s.outcome || (s.patientMessages >= patientMessages && (s.waitingUntil !== null || s.takenOverBy !== null)))) return s;
      if (!s) {
        const desc = await track(() => env.client.workflow.getHandle(workflowId(phone)).describe()).catch(() => null);
        if (desc && desc.status.name !== 'RUNNING') return null;
      }
      if (Date.now() > deadline) throw new Error(`lead journey for ${phone} did not settle: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const send: LeadHarness['send'] = async (phone, text, o = {}) => routeInbound(
    { db: tdb.db, env: appEnv, log, temporal: env.client, now: () => new Date(), leadTaskQueue: taskQueue, leadSearchAttributes: false },
    {
      clinicId: clinic.clinic.id, from: phone, to: null, channel: 'whatsapp', text, messageId: o.messageSid ?? `SM${randomBytes(16).toString('hex')}`,
      receivedAt: o.at ?? (await now()), mediaUrls: o.mediaUrls ?? [], profileName: o.profileName ?? null,
    },
  );
  const conversation = async (phone: string) => (await tdb.db.select().from(conversations)
    .where(and(eq(conversations.clinicId, clinic.clinic.id), eq(conversations.patientWhatsapp, phone))).orderBy(asc(conversations.startedAt))).at(-1);

  return {
    env, tdb, clinic, taskQueue, startedJourneys, pushedToCalendar,
    newPhone: () => `+55${prefix}9${String(7000_0000 + ++phoneSeq).padStart(8, '0')}`,
    send,
    async say(phone, text, o) {
      const before = (await state(phone))?.patientMessages ?? 0;
      const r = await send(phone, text, o);
      if (!r || r.outcome !== 'lead') return state(phone);
      return settle(phone, before + 1);
    },
    state,
    settle,
    async annaMessages(phone) {
      const rows = await tdb.db.select({ body: messageOutbox.body, templateData: messageOutbox.templateData, createdAt: messageOutbox.createdAt })
        .from(messageOutbox).where(and(eq(messageOutbox.clinicId, clinic.clinic.id), eq(messageOutbox.to, phone))).orderBy(asc(messageOutbox.createdAt));
      return rows.map((r) => ({ body: r.body, quickReplies: ((r.templateData as { quickReplies?: string[] } | null)?.quickReplies) ?? [] }));
    },
    conversation,
    async payDeposit(phone) {
      const conv = await conversation(phone);
      const [p] = await tdb.db.select().from(payments).where(eq(payments.conversationId, conv!.id)).orderBy(asc(payments.createdAt));
      await receivePaymentEvent({ db: tdb.db, temporal: env.client, log, now: () => new Date() }, {
        provider: 'stripe', eventId: `evt_${randomBytes(8).toString('hex')}`,
        event: { type: 'checkout_completed', sessionId: p.stripePaymentId!, paid: true, method: 'pix', paymentId: p.id } as never,
      });
    },
    async takeover(phone) {
      await env.client.workflow.getHandle(workflowId(phone)).signal(staffTakeoverSignal, { userId: clinic.members.admin.id, userName: 'Recepção', at: new Date().toISOString() });
    },
    async handBack(phone) {
      await env.client.workflow.getHandle(workflowId(phone)).signal(staffHandBackSignal, { userId: clinic.members.admin.id, userName: 'Recepção', at: new Date().toISOString() });
    },
    sleep: (ms) => env.sleep(ms),
    result: (phone) => env.client.workflow.getHandle(workflowId(phone)).result(),
    async setSettings(settings) {
      await tdb.db.update(clinics).set({ settings }).where(eq(clinics.id, clinic.clinic.id));
    },
    async close() {
      await Promise.allSettled([...inFlight]);
      await recorder.save(env.client);
      worker.shutdown();
      await running;
      await env.teardown();
      await tdb.drop();
    },
  };
}

export { conversationMessages };
