// Inbound WhatsApp/SMS: the one path shared by the Twilio webhooks and the dashboard's simulator.
// A message is recorded once (MessageSid), an opt-out keyword revokes the channel's consent, and
// anything else goes as a `patientReply` signal to the journey of the patient's next open appointment.
// A number without a patient or without an open appointment is recorded as 'unrouted' for the lead
// journey (a later issue) to take.
import crypto from 'node:crypto';
import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Env } from '../../config/env';
import type { Logger } from '../../config/logger';
import type { Db, Tx } from '../../db/client';
import { withClinic } from '../../db/tenancy';
import { appointments, auditLog, clinics, consents, conversationMessages, conversations, inboundMessages, messageOutbox, patientPhones, patients, webhookDeliveries } from '../../db/schema';
import { normalizePhone } from '../../domain/phone';
import { interpretReply } from '../../domain/reply-intent';
import { isOptOut } from '../../providers/messaging/optout';
import { appointmentWorkflowId, patientReplySignal, type PatientReply } from '../../workflows/definitions';
import { deliverLeadMessage, isReminderButton, lastWhatsappSpeaker, openConversation, quietAfterSpam, recordLeadMessage, startsNewSubject } from './lead-routing';

export interface InboundDeps {
  db: Db;
  env: Env;
  log: Logger;
  temporal: Client;
  now(): Date;
  /** How long a signal may take before the message is recorded as 'signal_failed' (default 5 s). */
  signalTimeoutMs?: number;
  /** Task queue of the lead journeys (tests use their own). */
  leadTaskQueue?: string;
  /** false on the time-skipping test server (no custom search attributes). */
  leadSearchAttributes?: boolean;
}

export type InboundOutcome = 'signalled' | 'opt_out' | 'unrouted' | 'journey_not_running' | 'signal_failed' | 'lead' | 'spam_quiet';

export interface InboundMessageInput {
  clinicId: string;
  /** E.164. */
  from: string;
  to?: string | null;
  channel: 'whatsapp' | 'sms';
  text: string;
  messageId: string;
  receivedAt: Date;
  mediaUrls?: string[];
  /** WhatsApp profile name (Twilio ProfileName). */
  profileName?: string | null;
}

export interface RouteResult {
  outcome: InboundOutcome;
  inboundId: string;
  patientId: string | null;
  appointmentId: string | null;
  workflowId: string | null;
  /** Opt-out only: marketing messages still queued on the channel that were dropped. */
  droppedMarketing?: number;
  /** Lead only: the conversation the message joined. */
  conversationId?: string;
  error?: string;
}

/** The patients who use this number (WhatsApp, main phone or any listed phone), most recent first. */
async function patientsByPhone(tx: Tx, clinicId: string, phone: string): Promise<string[]> {
  const rows = await tx.select({ id: patients.id }).from(patients)
    .where(and(eq(patients.clinicId, clinicId), isNull(patients.deletedAt), or(
      eq(patients.whatsapp, phone), eq(patients.phone, phone),
      sql`exists (select 1 from ${patientPhones} where ${patientPhones.patientId} = ${patients.id} and ${patientPhones.number} = ${phone})`,
    )))
    .orderBy(sql`${patients.whatsapp} = ${phone} desc nulls last`, sql`${patients.createdAt} desc`)
    .limit(20);
  return rows.map((r) => r.id);
}

/** The soonest open (agendado/confirmado) appointment of these patients that has not ended yet. */
async function openAppointment(tx: Tx, clinicId: string, patientIds: string[], at: Date) {
  if (!patientIds.length) return null;
  const [row] = await tx.select({ id: appointments.id, patientId: appointments.patientId }).from(appointments)
    .where(and(
      eq(appointments.clinicId, clinicId), inArray(appointments.patientId, patientIds),
      inArray(appointments.status, ['agendado', 'confirmado']),
      sql`${appointments.startsAt} + make_interval(mins => ${appointments.durationMinutes}) > ${at.toISOString()}::timestamptz`,
    ))
    .orderBy(asc(appointments.startsAt)).limit(1);
  return row ?? null;
}

/** Stores the message once; null when it was already there (a repeat). */
async function recordInbound(tx: Tx, input: InboundMessageInput, patientId: string | null) {
  const [row] = await tx.insert(inboundMessages).values({
    clinicId: input.clinicId, channel: input.channel, from: input.from, to: input.to ?? null, body: input.text,
    mediaUrls: input.mediaUrls ?? [], providerMessageId: input.messageId, patientId, receivedAt: input.receivedAt,
  }).onConflictDoNothing({ target: [inboundMessages.clinicId, inboundMessages.channel, inboundMessages.providerMessageId] }).returning({ id: inboundMessages.id });
  return row?.id ?? null;
}

/**
 * LGPD opt-out of one channel: the consent is revoked (and audited), marketing still queued on the
 * channel is dropped, and the sender skips every later message on it (providers/messaging/index.ts).
 */
export async function applyOptOut(tx: Tx, opts: { clinicId: string; patientId: string; channel: 'whatsapp' | 'sms' | 'email'; at: Date; source: string }) {
  const [before] = await tx.select().from(consents)
    .where(and(eq(consents.clinicId, opts.clinicId), eq(consents.patientId, opts.patientId), eq(consents.channel, opts.channel)));
  const [after] = await tx.insert(consents).values({
    clinicId: opts.clinicId, patientId: opts.patientId, channel: opts.channel, granted: false, source: opts.source, revokedAt: opts.at,
  }).onConflictDoUpdate({
    target: [consents.clinicId, consents.patientId, consents.channel],
    set: { granted: false, source: opts.source, revokedAt: opts.at },
  }).returning();
  await tx.insert(auditLog).values({
    clinicId: opts.clinicId, userId: null, action: 'opt_out', entity: 'consent', entityId: after.id,
    before: before ?? null, after,
  });
  const dropped = await tx.update(messageOutbox).set({ status: 'skipped', error: 'opt_out' })
    .where(and(
      eq(messageOutbox.clinicId, opts.clinicId), eq(messageOutbox.patientId, opts.patientId), eq(messageOutbox.channel, opts.channel),
      eq(messageOutbox.purpose, 'marketing'), eq(messageOutbox.status, 'queued'),
    )).returning({ id: messageOutbox.id });
  return { consentId: after.id, droppedMarketing: dropped.length };
}

/**
 * Records an inbound message and acts on it: opt-out keyword, or a `patientReply` signal to the
 * journey of the patient's next open appointment, or 'unrouted'. A repeat (same message id) does nothing
 * and returns null.
 */
export async function routeInbound(deps: InboundDeps, input: InboundMessageInput): Promise<RouteResult | null> {
  const { db } = deps;
  type Lead = { inboundId: string; patientId: string | null; conversationId: string; messageRowId: string | null; workflowId: string; outcome?: 'opt_out'; droppedMarketing?: number };
  type Prepared = null | { done: RouteResult } | { signal: { inboundId: string; patientId: string; appointmentId: string; workflowId: string } } | { lead: Lead };
  const prepared = await withClinic(db, input.clinicId, async (tx): Promise<Prepared> => {
    const candidates = await patientsByPhone(tx, input.clinicId, input.from);
    const appointment = await openAppointment(tx, input.clinicId, candidates, input.receivedAt);
    const patientId = appointment?.patientId ?? candidates[0] ?? null;
    const inboundId = await recordInbound(tx, input, patientId);
    if (!inboundId) return null;
    // The number's open conversation with Anna, looked up once for every branch below.
    const open = input.channel === 'whatsapp' ? await openConversation(tx, input.clinicId, input.from) : null;
    const recordForLead = async () => {
      const rec = await recordLeadMessage(tx, {
        clinicId: input.clinicId, phone: input.from, patientId, text: input.text, messageId: input.messageId, receivedAt: input.receivedAt,
        mediaUrls: input.mediaUrls ?? [], profileName: input.profileName ?? null, open,
      });
      await tx.update(inboundMessages).set({ workflowId: rec.workflowId }).where(eq(inboundMessages.id, inboundId));
      return { inboundId, patientId, conversationId: rec.conversationId, messageRowId: rec.messageRowId, workflowId: rec.workflowId };
    };
    if (isOptOut(input.text)) {
      let droppedMarketing = 0;
      if (patientId) {
        ({ droppedMarketing } = await applyOptOut(tx, { clinicId: input.clinicId, patientId, channel: input.channel, at: input.receivedAt, source: input.channel }));
      }
      await tx.update(inboundMessages).set({ outcome: 'opt_out', error: patientId ? null : 'unknown_patient' }).where(eq(inboundMessages.id, inboundId));
      // Talking to Anna: her journey hears it too, and ends the conversation (she stops writing).
      if (open) return { lead: { ...(await recordForLead()), outcome: 'opt_out' as const, droppedMarketing } };
      return { done: { outcome: 'opt_out' as const, inboundId, patientId, appointmentId: null, workflowId: null, droppedMarketing } };
    }
    // WhatsApp to Anna: a number without an open appointment, one already talking to her about something
    // else, or a patient who starts a new subject ("quanto custa o botox?") instead of answering a reminder.
    // With both an open appointment and an open conversation: when Anna spoke last, everything answers her
    // except the reminder's own "1" / "2" (unless her message had buttons of its own); when the reminder
    // spoke last, its answers ("1", "sim", "cancelar") go to the appointment and the rest to Anna.
    let toLead = false;
    if (input.channel === 'whatsapp') {
      if (!appointment) toLead = true;
      else if (open) {
        const last = await lastWhatsappSpeaker(tx, input.clinicId, input.from);
        toLead = last.anna ? !isReminderButton(input.text) || last.buttons : interpretReply(input.text) === 'unknown';
      } else {
        toLead = interpretReply(input.text) === 'unknown' && (await startsNewSubject(tx, input.clinicId, input.text, input.receivedAt));
      }
    }
    if (toLead) {
      // An open conversation is not a quiet one; only a new one checks the number's last spam verdict.
      if (!open && (await quietAfterSpam(tx, input.clinicId, input.from, input.receivedAt))) {
        await tx.update(inboundMessages).set({ outcome: 'spam_quiet' }).where(eq(inboundMessages.id, inboundId));
        return { done: { outcome: 'spam_quiet' as const, inboundId, patientId, appointmentId: null, workflowId: null } };
      }
      return { lead: await recordForLead() };
    }
    if (!appointment) {
      await tx.update(inboundMessages).set({ outcome: 'unrouted' }).where(eq(inboundMessages.id, inboundId));
      return { done: { outcome: 'unrouted' as const, inboundId, patientId, appointmentId: null, workflowId: null } };
    }
    const workflowId = appointmentWorkflowId(appointment.id);
    await tx.update(inboundMessages).set({ appointmentId: appointment.id, workflowId }).where(eq(inboundMessages.id, inboundId));
    return { signal: { inboundId, patientId, appointmentId: appointment.id, workflowId } };
  });
  if (!prepared) return null;
  if ('done' in prepared) return prepared.done;
  if ('lead' in prepared) return deliverLead(deps, input, prepared.lead);

  // The signal goes after the commit: the journey may read the recorded message.
  const { inboundId, patientId, appointmentId, workflowId } = prepared.signal;
  const reply: PatientReply = { text: input.text, channel: input.channel, receivedAt: input.receivedAt.toISOString(), messageId: input.messageId };
  let outcome: InboundOutcome = 'signalled';
  let error: string | undefined;
  try {
    await withTimeout(deps.temporal.workflow.getHandle(workflowId).signal(patientReplySignal, reply), deps.signalTimeoutMs ?? 5000);
  } catch (err) {
    outcome = err instanceof WorkflowNotFoundError ? 'journey_not_running' : 'signal_failed';
    error = (err as Error)?.message?.slice(0, 500) ?? String(err);
    deps.log.warn({ err, workflowId, inboundId }, 'patient reply not signalled');
  }
  await withClinic(db, input.clinicId, (tx) => tx.update(inboundMessages).set({ outcome, error: error ?? null }).where(eq(inboundMessages.id, inboundId)));
  return { outcome, inboundId, patientId, appointmentId, workflowId, ...(error ? { error } : {}) };
}

/** After the commit: signalWithStart the lead journey; a failure leaves 'signal_failed' for the re-delivery loop. */
async function deliverLead(deps: InboundDeps, input: InboundMessageInput, lead: { inboundId: string; patientId: string | null; conversationId: string; messageRowId: string | null; workflowId: string; outcome?: 'opt_out'; droppedMarketing?: number }): Promise<RouteResult> {
  let outcome: InboundOutcome = lead.outcome ?? 'lead';
  let error: string | undefined;
  try {
    await withTimeout(deliverLeadMessage(deps.temporal, {
      clinicId: input.clinicId, phone: input.from, patientId: lead.patientId, profileName: input.profileName ?? null, conversationId: lead.conversationId,
      taskQueue: deps.leadTaskQueue ?? deps.env.TEMPORAL_TASK_QUEUE, searchAttributes: deps.leadSearchAttributes,
      message: {
        messageRowId: lead.messageRowId ?? '', messageId: input.messageId, text: input.text.slice(0, 4096), receivedAt: input.receivedAt.toISOString(),
        mediaCount: input.mediaUrls?.length ?? 0,
      },
    }), deps.signalTimeoutMs ?? 5000);
  } catch (err) {
    outcome = 'signal_failed';
    error = (err as Error)?.message?.slice(0, 500) ?? String(err);
    deps.log.warn({ err, workflowId: lead.workflowId, inboundId: lead.inboundId }, 'lead message not delivered');
  }
  await withClinic(deps.db, input.clinicId, (tx) => tx.update(inboundMessages).set({ outcome, error: error ?? null }).where(eq(inboundMessages.id, lead.inboundId)));
  return {
    outcome, inboundId: lead.inboundId, patientId: lead.patientId, appointmentId: null, workflowId: lead.workflowId, conversationId: lead.conversationId,
    ...(lead.droppedMarketing !== undefined ? { droppedMarketing: lead.droppedMarketing } : {}),
    ...(error ? { error } : {}),
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`Temporal não respondeu em ${ms} ms`)), ms); }),
  ]);
}

// ── The Twilio inbound webhook's work, after the signature check (also the simulator's entry) ──────

export type TwilioParams = Record<string, string>;

export interface TwilioInboundResult {
  duplicate: boolean;
  clinicId: string | null;
  result: RouteResult | null;
  /** Why nothing was done ('clinic_not_found', 'sender_invalid', 'message_sid_missing'). */
  ignored?: string;
}

/** The clinic a message was sent to: its `settings.whatsappNumber`, or the only clinic behind the env sender. */
async function clinicForNumber(db: Db, env: Env, to: string | null): Promise<string | null> {
  if (to) {
    const [byNumber] = await db.select({ id: clinics.id }).from(clinics).where(sql`${clinics.settings}->>'whatsappNumber' = ${to}`).limit(2);
    if (byNumber) return byNumber.id;
  }
  const shared = [env.TWILIO_WHATSAPP_FROM, env.TWILIO_SMS_FROM].filter(Boolean);
  if (!to || shared.includes(to)) {
    const only = await db.select({ id: clinics.id }).from(clinics).limit(2);
    if (only.length === 1) return only[0].id;
  }
  return null;
}

/** A Twilio-style message id for the simulator ('SM' + 32 hex). */
export const simulatedMessageSid = () => `SM${crypto.randomBytes(16).toString('hex')}`;

export async function processTwilioInbound(
  deps: InboundDeps,
  input: { channel: 'whatsapp' | 'sms'; params: TwilioParams; clinicId?: string },
): Promise<TwilioInboundResult> {
  const { params } = input;
  const sid = params.MessageSid ?? params.SmsMessageSid;
  if (!sid) return { duplicate: false, clinicId: null, result: null, ignored: 'message_sid_missing' };
  const [fresh] = await deps.db.insert(webhookDeliveries).values({ provider: 'twilio', providerEventId: `inbound:${sid}`, payload: params })
    .onConflictDoNothing({ target: [webhookDeliveries.provider, webhookDeliveries.providerEventId] }).returning({ id: webhookDeliveries.id });
  if (!fresh) return { duplicate: true, clinicId: null, result: null };

  const finish = async (clinicId: string | null, error: string | null) => {
    await deps.db.update(webhookDeliveries).set({ clinicId, processedAt: deps.now(), error }).where(eq(webhookDeliveries.id, fresh.id));
  };
  const from = normalizePhone(params.From ?? '', { international: true });
  const to = params.To ? normalizePhone(params.To, { international: true }) : null;
  if (!from) {
    await finish(null, 'sender_invalid');
    return { duplicate: false, clinicId: null, result: null, ignored: 'sender_invalid' };
  }
  const clinicId = input.clinicId ?? (await clinicForNumber(deps.db, deps.env, to));
  if (!clinicId) {
    await finish(null, 'clinic_not_found');
    return { duplicate: false, clinicId: null, result: null, ignored: 'clinic_not_found' };
  }
  const numMedia = Math.min(Number.parseInt(params.NumMedia ?? '0', 10) || 0, 10);
  const mediaUrls = Array.from({ length: numMedia }, (_, i) => params[`MediaUrl${i}`]).filter((u): u is string => Boolean(u));
  try {
    const result = await routeInbound(deps, {
      clinicId, from, to, channel: input.channel, text: params.Body ?? '', messageId: sid, receivedAt: deps.now(), mediaUrls,
      profileName: params.ProfileName?.trim() || null,
    });
    await finish(clinicId, result?.error ?? null);
    return { duplicate: result === null, clinicId, result };
  } catch (err) {
    // Forget the receipt so Twilio's retry (or a replay by an operator) can process the message.
    await deps.db.delete(webhookDeliveries).where(eq(webhookDeliveries.id, fresh.id)).catch(() => {});
    throw err;
  }
}

/**
 * Re-sends the replies whose signal failed (Temporal unreachable) within the last `maxAgeMs`, oldest
 * first; the journeys ignore a repeated messageId. Meant for a periodic loop in the API process.
 */
export async function resignalFailedReplies(deps: InboundDeps, opts: { limit?: number; maxAgeMs?: number } = {}) {
  const since = new Date(deps.now().getTime() - (opts.maxAgeMs ?? 24 * 3600_000));
  // Owner connection (no RLS): the loop serves every clinic.
  const rows = await deps.db.select().from(inboundMessages)
    .where(and(eq(inboundMessages.outcome, 'signal_failed'), sql`${inboundMessages.receivedAt} >= ${since.toISOString()}::timestamptz`, sql`${inboundMessages.workflowId} is not null`))
    .orderBy(asc(inboundMessages.receivedAt)).limit(opts.limit ?? 100);
  let signalled = 0;
  let failed = 0;
  for (const row of rows) {
    if (row.workflowId!.startsWith('lead:')) {
      // A lead message: re-delivered from its conversation row (signalWithStart; the journey ignores a repeated id).
      const [msg] = await deps.db.select({ id: conversationMessages.id, conversationId: conversationMessages.conversationId, patientId: conversations.patientId, contactName: conversations.contactName })
        .from(conversationMessages).innerJoin(conversations, eq(conversations.id, conversationMessages.conversationId))
        .where(and(eq(conversationMessages.clinicId, row.clinicId), eq(conversationMessages.providerMessageId, row.providerMessageId), eq(conversationMessages.sender, 'paciente')))
        .limit(1);
      try {
        if (!msg) throw new Error('conversation message not found');
        await withTimeout(deliverLeadMessage(deps.temporal, {
          clinicId: row.clinicId, phone: row.from, patientId: msg.patientId, profileName: msg.contactName, conversationId: msg.conversationId,
          taskQueue: deps.leadTaskQueue ?? deps.env.TEMPORAL_TASK_QUEUE, searchAttributes: deps.leadSearchAttributes,
          message: { messageRowId: msg.id, messageId: row.providerMessageId, text: row.body, receivedAt: row.receivedAt.toISOString(), mediaCount: row.mediaUrls.length },
        }), deps.signalTimeoutMs ?? 5000);
        await deps.db.update(inboundMessages).set({ outcome: 'lead', error: null }).where(eq(inboundMessages.id, row.id));
        signalled++;
      } catch (err) {
        await deps.db.update(inboundMessages).set({ outcome: 'signal_failed', error: (err as Error)?.message?.slice(0, 500) ?? String(err) }).where(eq(inboundMessages.id, row.id));
        failed++;
      }
      continue;
    }
    const reply: PatientReply = { text: row.body, channel: row.channel as 'whatsapp' | 'sms', receivedAt: row.receivedAt.toISOString(), messageId: row.providerMessageId };
    try {
      await withTimeout(deps.temporal.workflow.getHandle(row.workflowId!).signal(patientReplySignal, reply), deps.signalTimeoutMs ?? 5000);
      await deps.db.update(inboundMessages).set({ outcome: 'signalled', error: null }).where(eq(inboundMessages.id, row.id));
      signalled++;
    } catch (err) {
      const notRunning = err instanceof WorkflowNotFoundError;
      await deps.db.update(inboundMessages).set({ outcome: notRunning ? 'journey_not_running' : 'signal_failed', error: (err as Error)?.message?.slice(0, 500) ?? String(err) })
        .where(eq(inboundMessages.id, row.id));
      failed++;
    }
  }
  return { signalled, failed };
}
