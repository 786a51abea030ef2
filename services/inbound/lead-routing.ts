// Inbound WhatsApp messages that belong to Anna's lead journey (`lead:{clinicId}:{phone}`): the message
// is recorded in the number's open conversation (created on the first message) in the same transaction
// as the inbound row, then signalWithStart delivers it. A number marked spam stays quiet for 30 days.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import type { Tx } from '../../db/client';
import { conversationMessages, conversations, messageOutbox, procedures } from '../../db/schema';
import { analyzeMessage } from '../../domain/anna/engine';
import { emptyQualification, type ClinicKnowledge } from '../../domain/anna/types';
import { interpretReply } from '../../domain/reply-intent';
import {
  ClinicId, JourneyKind, PatientId, TASK_QUEUE, leadMessageSignal, leadWorkflowId, type LeadJourneyInput, type LeadMessage,
} from '../../workflows/definitions';
import type { leadJourney } from '../../workflows/lead';

/** A message longer than this is stored truncated (WhatsApp allows 4,096; a bigger body is not a patient typing). */
export const MAX_LEAD_MESSAGE_CHARS = 4096;
const SPAM_QUIET_DAYS = 30;

export interface LeadRecord {
  conversationId: string;
  messageRowId: string | null;
  workflowId: string;
  created: boolean;
}

/**
 * Who spoke to this number last on WhatsApp: Anna ('anna' template) or a reminder, and whether Anna's
 * message offered buttons (then even "1" / "2" answer her).
 */
export async function lastWhatsappSpeaker(tx: Tx, clinicId: string, phone: string): Promise<{ anna: boolean; buttons: boolean }> {
  const [last] = await tx.select({ template: messageOutbox.template, data: messageOutbox.templateData }).from(messageOutbox)
    .where(and(eq(messageOutbox.clinicId, clinicId), eq(messageOutbox.to, phone), eq(messageOutbox.channel, 'whatsapp')))
    .orderBy(desc(messageOutbox.createdAt)).limit(1);
  const buttons = ((last?.data as { quickReplies?: unknown[] } | null)?.quickReplies?.length ?? 0) > 0;
  return { anna: last?.template === 'anna', buttons };
}

/** The reminder's own buttons: "1" confirms, "2" cancels. */
export const isReminderButton = (text: string) => /^\s*[12]\s*$/.test(text);

/** The number's open conversation, if any. */
export async function openConversation(tx: Tx, clinicId: string, phone: string) {
  const [row] = await tx.select({ id: conversations.id }).from(conversations)
    .where(and(eq(conversations.clinicId, clinicId), eq(conversations.patientWhatsapp, phone), eq(conversations.status, 'aberta'))).limit(1);
  return row ?? null;
}

/** A conversation of this number was marked spam in the last 30 days: Anna stays quiet. */
export async function quietAfterSpam(tx: Tx, clinicId: string, phone: string, at: Date): Promise<boolean> {
  const [last] = await tx.select({ status: conversations.status, closedAt: conversations.closedAt }).from(conversations)
    .where(and(eq(conversations.clinicId, clinicId), eq(conversations.patientWhatsapp, phone)))
    .orderBy(desc(conversations.startedAt)).limit(1);
  return last?.status === 'spam' && (last.closedAt?.getTime() ?? 0) > at.getTime() - SPAM_QUIET_DAYS * 86_400_000;
}

/**
 * A patient with an open appointment writes: "1"/"sim"/"cancelar" belong to the appointment's journey;
 * a message that names a procedure, asks about prices/address/hours or asks for a person starts a new
 * subject for Anna.
 */
export async function startsNewSubject(tx: Tx, clinicId: string, text: string, now: Date): Promise<boolean> {
  if (interpretReply(text) !== 'unknown') return false;
  const procs = await tx.select({ id: procedures.id, name: procedures.name, category: procedures.category, durationMinutes: procedures.durationMinutes })
    .from(procedures).where(and(eq(procedures.clinicId, clinicId), eq(procedures.active, true)));
  const knowledge: ClinicKnowledge = {
    clinicId, clinicName: '', timeZone: 'America/Sao_Paulo', address: null, mapsUrl: null, openingHours: {}, phone: null,
    procedures: procs.map((p) => ({ ...p, priceCents: null, depositCents: 0, description: null })),
  };
  const a = analyzeMessage(text, {
    now: now.toISOString(), stage: 'qualifying', lastQuestion: null, knowledge, offeredSlots: [], known: emptyQualification(),
  });
  return Boolean(a.extracted.procedure) || a.questions.length > 0 || a.intent === 'human';
}

/** Records the message in the number's open conversation (creating it); a repeat of the same message id records nothing. */
export async function recordLeadMessage(tx: Tx, input: {
  clinicId: string; phone: string; patientId: string | null; text: string; messageId: string; receivedAt: Date;
  mediaUrls: string[]; profileName: string | null;
  /** The open conversation when the caller already looked it up (undefined: look it up here). */
  open?: { id: string } | null;
}): Promise<LeadRecord> {
  const workflowId = leadWorkflowId(input.clinicId, input.phone);
  const existing = input.open !== undefined ? input.open : await openConversation(tx, input.clinicId, input.phone);
  let conversationId = existing?.id;
  let created = false;
  if (!conversationId) {
    const [row] = await tx.insert(conversations).values({
      clinicId: input.clinicId, patientWhatsapp: input.phone, patientId: input.patientId, workflowId, channel: 'whatsapp',
      contactName: input.profileName?.slice(0, 120) || null, startedAt: input.receivedAt, lastMessageAt: input.receivedAt,
    }).onConflictDoNothing().returning({ id: conversations.id });
    if (row) {
      conversationId = row.id;
      created = true;
    } else {
      conversationId = (await openConversation(tx, input.clinicId, input.phone))!.id; // a concurrent first message created it
    }
  }
  const text = input.text.length > MAX_LEAD_MESSAGE_CHARS ? `${input.text.slice(0, MAX_LEAD_MESSAGE_CHARS)}…` : input.text;
  const media = input.mediaUrls[0] ?? null;
  const [msg] = await tx.insert(conversationMessages).values({
    clinicId: input.clinicId, conversationId, sender: 'paciente', body: text, kind: media && !text.trim() ? 'imagem' : 'texto', mediaUrl: media,
    sentAt: input.receivedAt, providerMessageId: input.messageId,
  }).onConflictDoNothing().returning({ id: conversationMessages.id });
  if (msg) {
    await tx.update(conversations).set({
      lastMessageAt: sql`greatest(${conversations.lastMessageAt}, ${input.receivedAt.toISOString()}::timestamptz)`,
      unreadCount: sql`${conversations.unreadCount} + 1`,
      ...(input.patientId ? { patientId: sql`coalesce(${conversations.patientId}, ${input.patientId}::uuid)` } : {}),
    }).where(eq(conversations.id, conversationId));
  }
  return { conversationId, messageRowId: msg?.id ?? null, workflowId, created };
}

/** signalWithStart: the first message starts the journey, later ones are signals to it. */
export async function deliverLeadMessage(temporal: Client, input: {
  clinicId: string; phone: string; patientId: string | null; profileName: string | null; conversationId: string;
  message: LeadMessage; taskQueue?: string;
  /** false where the server has no custom search attributes (the time-skipping test server). */
  searchAttributes?: boolean;
}) {
  const args: LeadJourneyInput = {
    clinicId: input.clinicId, phone: input.phone, conversationId: input.conversationId, patientId: input.patientId, profileName: input.profileName,
  };
  await temporal.workflow.signalWithStart<typeof leadJourney, [LeadMessage]>('leadJourney', {
    workflowId: leadWorkflowId(input.clinicId, input.phone),
    taskQueue: input.taskQueue ?? TASK_QUEUE,
    args: [args],
    signal: leadMessageSignal,
    signalArgs: [{ ...input.message, conversationId: input.conversationId }],
    ...(input.searchAttributes === false ? {} : {
      typedSearchAttributes: [
        { key: ClinicId, value: input.clinicId },
        { key: JourneyKind, value: 'lead' as string },
        ...(input.patientId ? [{ key: PatientId, value: input.patientId }] : []),
      ],
    }),
  });
}
