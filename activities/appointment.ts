// The appointment journey's side effects: the 24h / 2h reminders (through the injected MessageSender,
// one idempotency key per appointment time, step and channel), the patient's answers applied to the
// appointment, the automatic no-show, the clinic's notifications and the hand-over to the NPS journey.
//
// The database is the truth and the API tells the journey about the changes it makes; a change made here
// comes FROM the journey, so it does not set journey_sync_pending_since (the journey already knows: no loop).
import { and, desc, eq, gte } from 'drizzle-orm';
import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowClient } from '@temporalio/client';
import { startNpsJourney } from '../journeys/handovers';
import { createClinicNotifier } from '../services/notifications';
import type { Db, Tx } from '../db/client';
import { withClinic } from '../db/tenancy';
import { appointmentConfirmations, appointments, auditLog, clinics, patients, procedures, professionals } from '../db/schema';
import { resolveTemplate } from '../services/templates';
import type { ClinicSettings } from '../db/schema';
import { checkTransition, isOpen, type AppointmentStatusName } from '../domain/appointment-status';
import { appointmentJourneySettingsOf, type AppointmentJourneySettings } from '../domain/clinic-settings';
import {
  DEFAULT_REMINDER_TEMPLATES, fillTemplate, formatAppointmentTime, renderReminder, type ReminderChannel, type ReminderFacts, type ReminderTemplateKey,
} from '../domain/reminder-templates';
import { appointmentLinkUrl, signAppointmentLink } from '../domain/signed-links';
import type { MessageSender, OutboundMessage, SendStatus } from '../providers/messaging/types';

/** The NPS journey is started by name: it is built in a later issue and needs no change here. */

interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
const silent: Log = { info() {}, warn() {}, error() {} };

export interface ReminderLinks {
  /** secrets(env).linkSecret (the API verifies with the same secret). */
  secret: string;
  /** Public URL of the web app: links point to {webBaseUrl}/p/c/{token}. */
  webBaseUrl: string;
}

export interface AppointmentActivityDeps {
  db: Db;
  sender: MessageSender;
  links: ReminderLinks;
  clock?: () => Date;
  /** Slack incoming webhook for the clinic team (env SLACK_WEBHOOK_URL); none = dashboard only. */
  slackWebhookUrl?: string;
  fetch?: typeof fetch;
  /** Starts the NPS journey by name; without it the hand-over fails (non-retryable) and the journey records it. */
  temporal?: { workflow: Pick<WorkflowClient, 'start'> };
  /** Task queue of the NPS journey (default TASK_QUEUE). */
  taskQueue?: string;
  /** Tag the NPS journey with the search attributes (default true; the time-skipping test server has none registered). */
  searchAttributes?: boolean;
  log?: Log;
}

export type ReminderStep = 'reminder_24h' | 'reminder_2h';

export interface ReminderInput {
  clinicId: string;
  appointmentId: string;
  step: ReminderStep;
  /** The appointment time the journey is reminding about (ISO): a stale one sends nothing. */
  startsAt: string;
}

export interface SentMessage {
  templateKey: ReminderTemplateKey;
  channel: ReminderChannel;
  status: SendStatus | 'skipped_no_contact' | 'skipped_disabled';
  outboxId?: string;
}

export interface ReminderOutcome {
  step: ReminderStep;
  /** Why nothing was attempted (the appointment is closed, moved, gone or the clinic turned the step off). */
  skipped?: 'not_open' | 'stale' | 'not_found' | 'disabled';
  messages: SentMessage[];
  /** The appointment's status as read when sending. */
  status?: AppointmentStatusName;
}

export interface PatientAnswerInput {
  clinicId: string;
  appointmentId: string;
  intent: 'confirm' | 'cancel';
  text: string;
  channel: 'whatsapp' | 'sms';
  messageId: string;
  startsAt: string;
}

export interface PatientAnswerResult {
  /** True when this answer changed the appointment (false: it already was in that state, or cannot move). */
  applied: boolean;
  status: AppointmentStatusName;
  message?: string;
}

export type ClinicNoticeKind = 'appointment_cancelled' | 'appointment_no_show';

export interface ClinicNoticeInput {
  clinicId: string;
  appointmentId: string;
  kind: ClinicNoticeKind;
  /** Who did it: the patient by reply, by signed link or staff in the dashboard (the journey cannot tell those two apart), or the journey itself. */
  by: 'patient_reply' | 'api' | 'journey';
  reason?: string;
}

const SENT: ReadonlySet<string> = new Set(['sent', 'queued', 'duplicate']);
const KIND: Record<ReminderStep, 'lembrete_24h' | 'lembrete_2h'> = { reminder_24h: 'lembrete_24h', reminder_2h: 'lembrete_2h' };

/** `appointment:{id}:{step}:{channel}` plus the appointment time, so a rescheduled appointment gets fresh reminders. */
export function reminderIdempotencyKey(appointmentId: string, step: ReminderStep, channel: ReminderChannel, startsAt: string): string {
  return `appointment:${appointmentId}:${step}:${channel}:${Date.parse(startsAt)}`;
}

/** Until the messaging provider is wired, every send fails with this (non-retryable: the journey records it and goes on). */
export const unconfiguredSender: MessageSender = {
  async send() {
    throw ApplicationFailure.nonRetryable('messaging not configured', 'MessagingNotConfigured');
  },
};

async function loadFacts(tx: Tx, appointmentId: string) {
  const [row] = await tx
    .select({
      id: appointments.id, clinicId: appointments.clinicId, patientId: appointments.patientId, status: appointments.status,
      startsAt: appointments.startsAt, durationMinutes: appointments.durationMinutes,
      patientName: patients.name, patientWhatsapp: patients.whatsapp, patientPhone: patients.phone, patientEmail: patients.email,
      procedureName: procedures.name, professionalName: professionals.name,
      clinicName: clinics.name, clinicAddress: clinics.address, clinicPhone: clinics.phone, timeZone: clinics.timezone, settings: clinics.settings,
    })
    .from(appointments)
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .innerJoin(procedures, eq(procedures.id, appointments.procedureId))
    .innerJoin(professionals, eq(professionals.id, appointments.professionalId))
    .innerJoin(clinics, eq(clinics.id, appointments.clinicId))
    .where(eq(appointments.id, appointmentId));
  return row ?? null;
}

type Facts = NonNullable<Awaited<ReturnType<typeof loadFacts>>>;

export function createAppointmentActivities(deps: AppointmentActivityDeps) {
  const clock = deps.clock ?? (() => new Date());
  const log = deps.log ?? silent;
  const notifier = createClinicNotifier({ db: deps.db, log, slackWebhookUrl: deps.slackWebhookUrl, fetch: deps.fetch, now: clock });

  function linksFor(f: { id: string; startsAt: Date }) {
    const exp = f.startsAt.getTime();
    const url = (action: 'confirm' | 'cancel') =>
      appointmentLinkUrl(deps.links.webBaseUrl, signAppointmentLink(deps.links.secret, { appointmentId: f.id, action, exp }));
    return { confirmUrl: url('confirm'), cancelUrl: url('cancel') };
  }

  function factsFor(f: Facts): ReminderFacts {
    return {
      patientName: f.patientName, procedureName: f.procedureName, professionalName: f.professionalName, clinicName: f.clinicName,
      clinicAddress: f.clinicAddress, clinicPhone: f.clinicPhone, startsAt: f.startsAt, timeZone: f.timeZone, ...linksFor(f),
    };
  }

  /** The clinic's own text for this step and channel (message_templates) when it wrote one, else the default. */
  async function renderFor(f: Facts, key: ReminderTemplateKey, channel: ReminderChannel) {
    const fallback = renderReminder(key, channel, factsFor(f));
    if (!fallback) return null; // the journey sends only the (step, channel) pairs that have a default
    const own = await withClinic(deps.db, f.clinicId, (tx) => resolveTemplate(tx, f.clinicId, key, channel));
    if (!own || own.isDefault) return fallback;
    const vars = fallback.variables;
    return {
      ...(channel === 'email' ? { subject: fillTemplate(own.subject?.trim() || DEFAULT_REMINDER_TEMPLATES[key][channel]?.subject || '', vars) } : {}),
      body: fillTemplate(own.body, vars),
      variables: vars,
    };
  }

  /** Records one message in appointment_confirmations (once: a retried send that the sender found already sent is not logged twice). */
  async function logAttempt(f: Facts, step: ReminderStep, channel: ReminderChannel, status: string, stepAt: Date) {
    await withClinic(deps.db, f.clinicId, async (tx) => {
      if (status === 'duplicate') {
        const [seen] = await tx.select({ id: appointmentConfirmations.id }).from(appointmentConfirmations).where(and(
          eq(appointmentConfirmations.appointmentId, f.id), eq(appointmentConfirmations.kind, KIND[step]),
          eq(appointmentConfirmations.channel, channel),
          // This step's attempts are logged from its time on (an earlier time's reminders are older); an hour of slack for clocks.
          gte(appointmentConfirmations.sentAt, new Date(Math.min(stepAt.getTime(), clock().getTime()) - 3_600_000)),
        )).limit(1);
        if (seen) return;
      }
      await tx.insert(appointmentConfirmations).values({ clinicId: f.clinicId, appointmentId: f.id, kind: KIND[step], channel, sentAt: clock() });
      await tx.update(appointments)
        .set(step === 'reminder_24h' ? { reminder24hSent: true } : { reminder2hSent: true })
        .where(and(eq(appointments.id, f.id), eq(appointments.startsAt, f.startsAt)));
    });
  }

  async function sendOne(f: Facts, step: ReminderStep, key: ReminderTemplateKey, channel: ReminderChannel, to: string | null, startsAt: string): Promise<SentMessage> {
    if (!to) return { templateKey: key, channel, status: 'skipped_no_contact' };
    const rendered = await renderFor(f, key, channel);
    if (!rendered) return { templateKey: key, channel, status: 'skipped_disabled' };
    const message: OutboundMessage = {
      clinicId: f.clinicId, patientId: f.patientId, appointmentId: f.id, channel, to,
      body: rendered.body, ...(rendered.subject ? { subject: rendered.subject } : {}),
      templateKey: key, variables: rendered.variables, purpose: 'transactional',
      ...(key === 'reminder_24h' && channel === 'whatsapp' ? { quickReplies: ['1', '2'] } : {}),
      idempotencyKey: reminderIdempotencyKey(f.id, step, channel, startsAt),
    };
    const result = await deps.sender.send(message);
    if (SENT.has(result.status)) {
      const stepAt = new Date(Date.parse(startsAt) - (step === 'reminder_24h' ? 24 : 2) * 3_600_000);
      await logAttempt(f, step, channel, result.status, stepAt);
    }
    return { templateKey: key, channel, status: result.status, outboxId: result.outboxId };
  }

  return {
    /** One reminder step: 24h → WhatsApp with the links; 2h → SMS + e-mail, and WhatsApp with the map if not confirmed yet. */
    async sendAppointmentReminder(input: ReminderInput): Promise<ReminderOutcome> {
      const f = await withClinic(deps.db, input.clinicId, (tx) => loadFacts(tx, input.appointmentId));
      if (!f) return { step: input.step, skipped: 'not_found', messages: [] };
      if (!isOpen(f.status)) return { step: input.step, skipped: 'not_open', messages: [], status: f.status };
      if (f.startsAt.getTime() !== Date.parse(input.startsAt)) return { step: input.step, skipped: 'stale', messages: [], status: f.status };
      const r = (f.settings as ClinicSettings).reminders ?? {};
      const whatsapp = f.patientWhatsapp ?? f.patientPhone;
      const messages: SentMessage[] = [];
      if (input.step === 'reminder_24h') {
        if (r.h24 === false) return { step: input.step, skipped: 'disabled', messages, status: f.status };
        messages.push(await sendOne(f, input.step, 'reminder_24h', 'whatsapp', whatsapp, input.startsAt));
      } else {
        if (r.h2 === false) return { step: input.step, skipped: 'disabled', messages, status: f.status };
        messages.push(r.smsBackup === false
          ? { templateKey: 'reminder_2h', channel: 'sms', status: 'skipped_disabled' }
          : await sendOne(f, input.step, 'reminder_2h', 'sms', f.patientPhone ?? f.patientWhatsapp, input.startsAt));
        messages.push(r.emailBackup === false
          ? { templateKey: 'reminder_2h', channel: 'email', status: 'skipped_disabled' }
          : await sendOne(f, input.step, 'reminder_2h', 'email', f.patientEmail, input.startsAt));
        if (f.status !== 'confirmado') messages.push(await sendOne(f, input.step, 'reminder_2h_location', 'whatsapp', whatsapp, input.startsAt));
      }
      log.info({ appointmentId: f.id, step: input.step, messages: messages.map((m) => `${m.channel}:${m.status}`) }, 'reminder step');
      return { step: input.step, messages, status: f.status };
    },

    /** A patient's "1"/"sim" or "2"/"não": the same transition as the dashboard, audited with no user. */
    async applyPatientAnswer(input: PatientAnswerInput): Promise<PatientAnswerResult> {
      const now = clock();
      const to: AppointmentStatusName = input.intent === 'confirm' ? 'confirmado' : 'cancelado';
      const result = await withClinic(deps.db, input.clinicId, async (tx): Promise<PatientAnswerResult & { facts?: Facts }> => {
        const [row] = await tx.select({ status: appointments.status, startsAt: appointments.startsAt }).from(appointments)
          .where(eq(appointments.id, input.appointmentId)).for('update');
        if (!row) throw ApplicationFailure.nonRetryable('appointment not found', 'AppointmentNotFound');
        if (row.startsAt.getTime() !== Date.parse(input.startsAt)) return { applied: false, status: row.status, message: 'stale' };
        const check = checkTransition(row.status, to);
        if (!check.ok) return { applied: false, status: row.status, message: check.message };
        const reason = `Cancelado pelo paciente (${input.channel}): "${input.text.slice(0, 200)}"`;
        await tx.update(appointments)
          .set(to === 'confirmado' ? { status: to, confirmedAt: now } : { status: to, cancelledAt: now, cancelReason: reason })
          .where(eq(appointments.id, input.appointmentId));
        await tx.insert(auditLog).values({
          clinicId: input.clinicId, userId: null, action: to === 'confirmado' ? 'confirm_by_patient' : 'cancel_by_patient',
          entity: 'appointment', entityId: input.appointmentId,
          before: { status: row.status }, after: { status: to, channel: input.channel, text: input.text.slice(0, 500), messageId: input.messageId },
        });
        await recordResponse(tx, input.appointmentId, to === 'confirmado' ? 'confirmou' : 'cancelou', now);
        return { applied: true, status: to, facts: (await loadFacts(tx, input.appointmentId)) ?? undefined };
      });
      if (result.applied && result.facts) await acknowledge(result.facts, input, to);
      return { applied: result.applied, status: result.status, ...(result.message ? { message: result.message } : {}) };
    },

    /** Nobody marked the visit: it becomes no_show (only if still agendado/confirmado at the same time). */
    async markNoShowIfUnmarked(input: { clinicId: string; appointmentId: string; startsAt: string }): Promise<{ applied: boolean; status: AppointmentStatusName }> {
      return withClinic(deps.db, input.clinicId, async (tx) => {
        const [row] = await tx.select({ status: appointments.status, startsAt: appointments.startsAt }).from(appointments)
          .where(eq(appointments.id, input.appointmentId)).for('update');
        if (!row) return { applied: false, status: 'cancelado' as const };
        if (!isOpen(row.status) || row.startsAt.getTime() !== Date.parse(input.startsAt)) return { applied: false, status: row.status };
        await tx.update(appointments).set({ status: 'no_show' }).where(eq(appointments.id, input.appointmentId));
        await tx.insert(auditLog).values({
          clinicId: input.clinicId, userId: null, action: 'no_show_auto', entity: 'appointment', entityId: input.appointmentId,
          before: { status: row.status }, after: { status: 'no_show' },
        });
        return { applied: true, status: 'no_show' as const };
      });
    },

    /** The clinic's journey settings the workflow needs (read once, when it gets there). */
    async loadAppointmentJourneySettings(input: { clinicId: string }): Promise<AppointmentJourneySettings> {
      const [row] = await withClinic(deps.db, input.clinicId, (tx) => tx.select({ settings: clinics.settings }).from(clinics).where(eq(clinics.id, input.clinicId)));
      return appointmentJourneySettingsOf(row?.settings);
    },

    /** Tells the clinic (a row the dashboard shows, and Slack when configured). Once per appointment and kind. */
    async notifyClinic(input: ClinicNoticeInput): Promise<{ recorded: boolean }> {
      const facts = await withClinic(deps.db, input.clinicId, (tx) => loadFacts(tx, input.appointmentId));
      if (!facts) return { recorded: false };
      const { data, hora } = formatAppointmentTime(facts.startsAt, facts.timeZone);
      const who = input.by === 'patient_reply' ? ' pelo paciente (WhatsApp/SMS)' : input.by === 'journey' ? ' automaticamente' : '';
      const description = input.kind === 'appointment_cancelled'
        ? `${facts.patientName} cancelou${who}: ${facts.procedureName} com ${facts.professionalName}, ${data} às ${hora}.${input.reason ? ` Motivo: ${input.reason}` : ''} O horário está livre.`
        : `${facts.patientName} não compareceu: ${facts.procedureName} com ${facts.professionalName}, ${data} às ${hora}.`;
      const recorded = await notifier.notify({
        clinicId: input.clinicId, kind: input.kind, key: `${input.kind}:${input.appointmentId}:${facts.startsAt.getTime()}`,
        description, slackText: `${facts.clinicName}: ${description}`, patientId: facts.patientId,
        data: { appointmentId: input.appointmentId, by: input.by, reason: input.reason ?? null, startsAt: facts.startsAt.toISOString() },
      });
      return { recorded };
    },

    /** Realizado: starts `nps:{appointmentId}` by name after the clinic's delay; once only (a second start is a no-op). */
    async startNpsJourney(input: { clinicId: string; patientId: string; appointmentId: string; delayHours: number }): Promise<{ started: boolean }> {
      if (!deps.temporal) throw ApplicationFailure.nonRetryable('temporal client not configured for the NPS hand-over', 'TemporalNotConfigured');
      return startNpsJourney(deps.temporal, { ...input, taskQueue: deps.taskQueue, searchAttributes: deps.searchAttributes });
    },
  };

  /** The most recent reminder of this appointment gets the patient's answer (confirmation success rate). */
  async function recordResponse(tx: Tx, appointmentId: string, response: 'confirmou' | 'cancelou', at: Date) {
    const [last] = await tx.select({ id: appointmentConfirmations.id }).from(appointmentConfirmations)
      .where(eq(appointmentConfirmations.appointmentId, appointmentId)).orderBy(desc(appointmentConfirmations.sentAt)).limit(1);
    if (last) await tx.update(appointmentConfirmations).set({ response, respondedAt: at }).where(eq(appointmentConfirmations.id, last.id));
  }

  /** A short "got it" to the patient; a failure here never undoes the answer. */
  async function acknowledge(f: Facts, input: PatientAnswerInput, to: AppointmentStatusName) {
    const { data, hora } = formatAppointmentTime(f.startsAt, f.timeZone);
    const first = f.patientName.trim().split(/\s+/)[0];
    const body = to === 'confirmado'
      ? `Obrigado, ${first}! Presença confirmada: ${f.procedureName} com ${f.professionalName}, ${data} às ${hora}. Até lá! 😊`
      : `Tudo bem, ${first}. Seu horário de ${data} às ${hora} foi cancelado. Quando quiser remarcar, é só responder aqui.`;
    const phone = input.channel === 'whatsapp' ? (f.patientWhatsapp ?? f.patientPhone) : (f.patientPhone ?? f.patientWhatsapp);
    if (!phone) return;
    try {
      await deps.sender.send({
        clinicId: f.clinicId, patientId: f.patientId, appointmentId: f.id, channel: input.channel, to: phone, body,
        templateKey: to === 'confirmado' ? 'reply_confirmed' : 'reply_cancelled', purpose: 'transactional',
        idempotencyKey: `appointment:${f.id}:reply:${input.messageId}`,
      });
    } catch (err) {
      log.warn({ err, appointmentId: f.id }, 'acknowledgement not sent');
    }
  }
}

export type AppointmentActivities = ReturnType<typeof createAppointmentActivities>;
