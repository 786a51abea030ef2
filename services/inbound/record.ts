// Recording an inbound message: once in inbound_messages (a repeated MessageSid records nothing), and,
// for Anna, in the number's open conversation (created on the first message), in the same transaction.
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { conversationMessages, conversations, inboundMessages } from '../../db/schema';
import { leadWorkflowId } from '../../workflows/definitions';
import { openConversation, type InboundMessageInput } from './facts';

/** A message longer than this is stored truncated (WhatsApp allows 4,096; a bigger body is not a patient typing). */
export const MAX_LEAD_MESSAGE_CHARS = 4096;

/** Stores the message once; null when it was already there (a repeat). */
export async function recordInbound(tx: Tx, input: InboundMessageInput, patientId: string | null) {
  const [row] = await tx.insert(inboundMessages).values({
    clinicId: input.clinicId, channel: input.channel, from: input.from, to: input.to ?? null, body: input.text,
    mediaUrls: input.mediaUrls ?? [], providerMessageId: input.messageId, patientId, receivedAt: input.receivedAt,
  }).onConflictDoNothing({ target: [inboundMessages.clinicId, inboundMessages.channel, inboundMessages.providerMessageId] }).returning({ id: inboundMessages.id });
  return row?.id ?? null;
}

export interface LeadRecord {
  conversationId: string;
  messageRowId: string | null;
  workflowId: string;
  created: boolean;
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
