// The NPS, upsell, reactivation and loyalty journeys with their real activities on the time-skipping server: a real PostgreSQL,
// the real message sender on its local adapters (the outbox rows the inbound routing reads), replies through
// the one inbound path (services/inbound/route.ts), and Slack captured by a fake fetch.
import { randomBytes } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { workflowsPath } from '../../../worker/worker';
import { temporalTestServerPath } from '../../../scripts/tools';
import { historyRecorder } from '../../support/record-history';
import { createTestDatabase } from '../../support/db';
import { createReminderClinic, LINK_SECRET, WEB_BASE } from '../../support/reminder-fixtures';
import { loadEnv } from '../../../config/env';
import { createLogger } from '../../../config/logger';
import { createMessageSender } from '../../../services/messaging/sender';
import { routeInbound } from '../../../services/inbound/route';
import { createNpsActivities } from '../../../activities/nps';
import { createUpsellActivities } from '../../../activities/upsell';
import { createReactivationActivities } from '../../../activities/reactivation';
import { createLoyaltyActivities } from '../../../activities/loyalty';
import { appointments, consents, messageOutbox, npsSurveys, patients, professionalProcedures, professionals } from '../../../db/schema';
import type { ClinicSettings } from '../../../db/schema';
import {
  WORKFLOW_TYPES, npsStateQuery, npsWorkflowId, upsellStateQuery, type NpsJourneyResult, type NpsJourneyState, type UpsellJourneyState,
} from '../../../workflows/definitions';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export async function startNpsHarness(opts: { settings?: ClinicSettings } = {}) {
  const recorder = historyRecorder();
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } }, client: recorder.client });
  const bundle = await bundleWorkflowCode({ workflowsPath, logger: quiet });
  const tdb = await createTestDatabase();
  const clinic = await createReminderClinic(tdb.db, 'Clínica Bella Pele', opts.settings ?? {});
  const appEnv = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const log = createLogger(appEnv, 'test');
  const sender = createMessageSender({ db: tdb.db, env: appEnv, log });
  const taskQueue = `test-nps-${randomBytes(4).toString('hex')}`;
  const slack: string[] = [];
  const fetchSlack = (async (_url: string, init: RequestInit) => { slack.push(JSON.parse(String(init.body)).text); return new Response('ok'); }) as unknown as typeof fetch;
  const links = { secret: LINK_SECRET, webBaseUrl: WEB_BASE };
  const activities = {
    ...createNpsActivities({ db: tdb.db, sender, links, temporal: env.client, taskQueue, searchAttributes: false, slackWebhookUrl: 'https://hooks.slack.test/x', fetch: fetchSlack }),
    ...createUpsellActivities({ db: tdb.db, sender, links }),
    ...createReactivationActivities({ db: tdb.db, sender, links, temporal: env.client, taskQueue, searchAttributes: false }),
    ...createLoyaltyActivities({ db: tdb.db, sender }),
  };
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities });
  const running = worker.run();
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: () => Promise<T>): Promise<T> => {
    const p = env.client.withDeadline(Date.now() + 5000, work);
    inFlight.add(p);
    void p.then(() => inFlight.delete(p), () => inFlight.delete(p));
    return p;
  };
  const now = async () => new Date(await env.currentTimeMs());
  let seq = 0;

  /** The comment question ("Quer contar o que motivou sua nota?") of this appointment's survey is in the outbox. */
  const commentAsked = async (appointmentId: string) => {
    const [sv] = await tdb.db.select({ patientId: npsSurveys.patientId }).from(npsSurveys).where(eq(npsSurveys.appointmentId, appointmentId));
    if (!sv) return false;
    const rows = await tdb.db.select({ template: messageOutbox.template }).from(messageOutbox)
      .where(and(eq(messageOutbox.clinicId, clinic.clinic.id), eq(messageOutbox.patientId, sv.patientId), eq(messageOutbox.template, 'nps_comment')));
    return rows.length > 0;
  };
  const h = {
    env, tdb, clinic, taskQueue, slack, links, now, activities,
    /** A new patient reachable on WhatsApp (and by e-mail), optionally with marketing consent on WhatsApp. */
    async patient(o: { marketing?: boolean; gender?: 'F' | 'M' | 'Outro'; name?: string; whatsapp?: string | null; email?: string | null } = {}) {
      const n = ++seq;
      const phone = `+55119${String(81000000 + n * 97 + Math.floor(Math.random() * 90)).padStart(8, '0')}`;
      const [p] = await tdb.db.insert(patients).values({
        clinicId: clinic.clinic.id, name: o.name ?? `Mariana Teste ${n}`, gender: o.gender ?? 'F',
        whatsapp: o.whatsapp === undefined ? phone : o.whatsapp, phone: o.whatsapp === undefined ? phone : o.whatsapp, email: o.email === undefined ? `paciente${n}@example.com` : o.email,
      }).returning();
      if (o.marketing) await h.consent(p.id, 'whatsapp', true);
      return p;
    },
    async consent(patientId: string, channel: 'whatsapp' | 'sms' | 'email', granted: boolean, revoked = false) {
      await tdb.db.insert(consents).values({
        clinicId: clinic.clinic.id, patientId, channel, granted, source: 'painel', grantedAt: granted ? new Date() : null, revokedAt: revoked ? new Date() : null,
      }).onConflictDoUpdate({ target: [consents.clinicId, consents.patientId, consents.channel], set: { granted, revokedAt: revoked ? new Date() : null } });
    },
    /** A realised visit `agoMs` before the server's now, on its own professional. */
    async visit(patientId: string, o: { agoMs?: number; procedureId?: string } = {}) {
      const at = new Date((await env.currentTimeMs()) - (o.agoMs ?? 26 * HOUR));
      const [pro] = await tdb.db.insert(professionals).values({ clinicId: clinic.clinic.id, name: `Dra. Helena Prado ${++seq}`, color: '#0ea5e9' }).returning();
      const procedureId = o.procedureId ?? clinic.limpeza.id;
      await tdb.db.insert(professionalProcedures).values({ clinicId: clinic.clinic.id, professionalId: pro.id, procedureId }).onConflictDoNothing();
      const [row] = await tdb.db.insert(appointments).values({
        clinicId: clinic.clinic.id, patientId, procedureId, professionalId: pro.id, startsAt: at, durationMinutes: 60, priceCents: 25000, status: 'realizado',
      }).returning();
      return row;
    },
    async start(appointment: { id: string; patientId: string }) {
      return env.client.workflow.start(WORKFLOW_TYPES.nps, {
        workflowId: npsWorkflowId(appointment.id), taskQueue, args: [{ clinicId: clinic.clinic.id, patientId: appointment.patientId, appointmentId: appointment.id }],
      });
    },
    async state(appointmentId: string): Promise<NpsJourneyState | null> {
      try { return await track(() => env.client.workflow.getHandle(npsWorkflowId(appointmentId)).query(npsStateQuery)); } catch { return null; }
    },
    /** Polls the query until `ok`; a survey waiting for its send time gets the server's clock moved there. */
    async until(appointmentId: string, ok: (s: NpsJourneyState) => boolean, label = 'state'): Promise<NpsJourneyState> {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const s = await h.state(appointmentId);
        // The journey says waiting_comment just before its activity sends the question: wait for the message too,
        // or a reply could arrive before the question exists (and be routed as if it had not been asked).
        if (s && ok(s) && (s.stage !== 'waiting_comment' || (await commentAsked(appointmentId)))) return s;
        if (s?.stage === 'scheduled' && s.sendAt) {
          const wait = Date.parse(s.sendAt) - (await env.currentTimeMs());
          if (wait > 0) await env.sleep(wait + 1000);
        }
        if (Date.now() > deadline) throw new Error(`nps journey ${appointmentId}: ${label} not reached: ${JSON.stringify(s)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    asked: (appointmentId: string) => h.until(appointmentId, (s) => s.stage === 'waiting_score' && s.actions.includes('sent'), 'asked'),
    result: (appointmentId: string) => env.client.workflow.getHandle(npsWorkflowId(appointmentId)).result() as Promise<NpsJourneyResult>,
    /** A WhatsApp (or SMS) message from the patient's number, through the one inbound path. */
    async reply(from: string, text: string, channel: 'whatsapp' | 'sms' = 'whatsapp', at?: Date) {
      return routeInbound(
        { db: tdb.db, env: appEnv, log, temporal: env.client, now: () => new Date(), leadTaskQueue: taskQueue, leadSearchAttributes: false },
        { clinicId: clinic.clinic.id, from, to: null, channel, text, messageId: `SM${randomBytes(16).toString('hex')}`, receivedAt: at ?? (await now()), mediaUrls: [], profileName: null },
      );
    },
    async outbox(patientId: string) {
      return tdb.db.select({ template: messageOutbox.template, body: messageOutbox.body, channel: messageOutbox.channel, status: messageOutbox.status, purpose: messageOutbox.purpose, error: messageOutbox.error })
        .from(messageOutbox).where(and(eq(messageOutbox.clinicId, clinic.clinic.id), eq(messageOutbox.patientId, patientId))).orderBy(asc(messageOutbox.createdAt));
    },
    async survey(appointmentId: string) {
      const [s] = await tdb.db.select().from(npsSurveys).where(eq(npsSurveys.appointmentId, appointmentId));
      return s;
    },
    async upsellState(workflowId: string): Promise<UpsellJourneyState | null> {
      try { return await track(() => env.client.workflow.getHandle(workflowId).query(upsellStateQuery)); } catch { return null; }
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
  return h;
}

export type NpsHarness = Awaited<ReturnType<typeof startNpsHarness>>;
