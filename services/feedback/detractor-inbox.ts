// A detractor's conversation in the inbox: when a patient gives 0–6, the staff must be able to talk to
// her from Conversas, with the survey's messages in view. The alert opens (or takes over) the number's
// open conversation as subject 'nps_detractor' and "na fila da equipe"; Anna stays out of it: what the
// patient writes there is recorded for the staff, not answered by Anna (services/inbound/route.ts), until
// the detractor's follow-up is marked resolved, which gives the conversation back to Anna.
import { and, asc, eq, inArray, like, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { conversationMessages, conversations, inboundMessages, messageOutbox, npsSurveys } from '../../db/schema';
import { leadWorkflowId, npsWorkflowId } from '../../workflows/definitions';
import { loadSurveyFacts, type SurveyFacts } from './surveys';

/** The number and channel the staff can write to: the survey's own chat channel, else her WhatsApp. */
export function detractorContact(f: Pick<SurveyFacts, 'channel' | 'patientWhatsapp' | 'patientPhone'>): { channel: 'whatsapp' | 'sms'; phone: string } | null {
  if (f.channel === 'sms' && (f.patientPhone ?? f.patientWhatsapp)) return { channel: 'sms', phone: (f.patientPhone ?? f.patientWhatsapp)! };
  if (f.patientWhatsapp) return { channel: 'whatsapp', phone: f.patientWhatsapp };
  if (f.patientPhone) return { channel: 'sms', phone: f.patientPhone };
  return null;
}

/**
 * Opens the detractor's conversation (or turns the number's open one into it) and copies the survey's
 * messages into its thread. Idempotent: called at the alert, at the comment and after each survey message.
 */
export async function openDetractorConversation(tx: Tx, f: SurveyFacts, at: Date): Promise<{ conversationId: string; created: boolean } | null> {
  const contact = detractorContact(f);
  if (!contact) return null;
  let created = false;
  let [conv] = await tx.select({ id: conversations.id, subject: conversations.subject, npsSurveyId: conversations.npsSurveyId }).from(conversations)
    .where(and(eq(conversations.clinicId, f.clinicId), eq(conversations.patientWhatsapp, contact.phone), eq(conversations.status, 'aberta')))
    .for('update').limit(1);
  if (!conv) {
    const [row] = await tx.insert(conversations).values({
      clinicId: f.clinicId, patientWhatsapp: contact.phone, patientId: f.patientId, channel: contact.channel, contactName: f.patientName.slice(0, 120),
      workflowId: null, startedAt: f.sentAt ?? at, lastMessageAt: at,
      stage: 'staff_queue', needsStaff: true, subject: 'nps_detractor', npsSurveyId: f.surveyId,
    }).onConflictDoNothing().returning({ id: conversations.id, subject: conversations.subject, npsSurveyId: conversations.npsSurveyId });
    if (row) {
      conv = row;
      created = true;
    } else {
      return openDetractorConversation(tx, f, at); // a concurrent first message opened it
    }
  } else if (conv.subject !== 'nps_detractor' || conv.npsSurveyId !== f.surveyId) {
    await tx.update(conversations).set({
      subject: 'nps_detractor', npsSurveyId: f.surveyId, needsStaff: true, patientId: sql`coalesce(${conversations.patientId}, ${f.patientId}::uuid)`,
    }).where(eq(conversations.id, conv.id));
  }
  await copySurveyThread(tx, f, conv.id);
  return { conversationId: conv.id, created };
}

/** After a survey message: the detractor's open conversation (if the alert opened one) gets it too. */
export async function syncDetractorThread(tx: Tx, surveyId: string): Promise<void> {
  const [conv] = await tx.select({ id: conversations.id }).from(conversations)
    .where(and(eq(conversations.npsSurveyId, surveyId), eq(conversations.subject, 'nps_detractor'), eq(conversations.status, 'aberta'))).limit(1);
  if (!conv) return;
  const f = await loadSurveyFacts(tx, { surveyId });
  if (f) await copySurveyThread(tx, f, conv.id);
}

/** The survey's outbound messages and the patient's replies to it, once each, in the conversation's thread. */
async function copySurveyThread(tx: Tx, f: SurveyFacts, conversationId: string): Promise<void> {
  const [sent, replies, present] = await Promise.all([
    tx.select({ id: messageOutbox.id, body: messageOutbox.body, at: sql<string>`coalesce(${messageOutbox.sentAt}, ${messageOutbox.createdAt})`, providerMessageId: messageOutbox.providerMessageId })
      .from(messageOutbox)
      .where(and(eq(messageOutbox.clinicId, f.clinicId), like(messageOutbox.idempotencyKey, `nps:${f.appointmentId}:%`), inArray(messageOutbox.channel, ['whatsapp', 'sms'])))
      .orderBy(asc(messageOutbox.createdAt)),
    tx.select({ body: inboundMessages.body, at: inboundMessages.receivedAt, providerMessageId: inboundMessages.providerMessageId })
      .from(inboundMessages)
      .where(and(eq(inboundMessages.clinicId, f.clinicId), eq(inboundMessages.workflowId, npsWorkflowId(f.appointmentId))))
      .orderBy(asc(inboundMessages.receivedAt)),
    tx.select({ outboxId: conversationMessages.outboxId }).from(conversationMessages).where(eq(conversationMessages.conversationId, conversationId)),
  ]);
  const have = new Set(present.map((p) => p.outboxId).filter(Boolean));
  const rows: (typeof conversationMessages.$inferInsert)[] = [
    ...sent.filter((m) => !have.has(m.id)).map((m) => ({
      clinicId: f.clinicId, conversationId, sender: 'anna' as const, body: m.body, sentAt: new Date(m.at), read: true, readAt: new Date(m.at),
      outboxId: m.id, providerMessageId: m.providerMessageId,
    })),
    ...replies.map((m) => ({
      clinicId: f.clinicId, conversationId, sender: 'paciente' as const, body: m.body, sentAt: m.at, providerMessageId: m.providerMessageId,
    })),
  ];
  if (!rows.length) return;
  const inserted = await tx.insert(conversationMessages).values(rows).onConflictDoNothing().returning({ sender: conversationMessages.sender, sentAt: conversationMessages.sentAt });
  if (!inserted.length) return;
  const unread = inserted.filter((m) => m.sender === 'paciente').length;
  const last = inserted.reduce((a, m) => (m.sentAt > a ? m.sentAt : a), inserted[0]!.sentAt);
  await tx.update(conversations).set({
    lastMessageAt: sql`greatest(${conversations.lastMessageAt}, ${last.toISOString()}::timestamptz)`,
    unreadCount: sql`${conversations.unreadCount} + ${unread}`,
  }).where(eq(conversations.id, conversationId));
}

/** The survey's follow-up is resolved: its conversation goes back to Anna (she answers the next message). */
export async function releaseDetractorConversation(tx: Tx, clinicId: string, surveyId: string): Promise<string | null> {
  const [conv] = await tx.select({ id: conversations.id, phone: conversations.patientWhatsapp, workflowId: conversations.workflowId }).from(conversations)
    .where(and(eq(conversations.clinicId, clinicId), eq(conversations.npsSurveyId, surveyId), eq(conversations.subject, 'nps_detractor'), eq(conversations.status, 'aberta')))
    .for('update');
  if (!conv) return null;
  await tx.update(conversations).set({
    subject: 'lead', needsStaff: false, takenOverBy: null, takenOverAt: null, workflowId: conv.workflowId ?? leadWorkflowId(clinicId, conv.phone),
  }).where(eq(conversations.id, conv.id));
  return conv.id;
}

/** The staff wrote to a detractor: an open follow-up becomes 'contatado'. */
export async function markDetractorContacted(tx: Tx, input: { clinicId: string; conversationId: string; userId: string; now: Date }): Promise<void> {
  const [conv] = await tx.select({ surveyId: conversations.npsSurveyId, subject: conversations.subject }).from(conversations)
    .where(and(eq(conversations.clinicId, input.clinicId), eq(conversations.id, input.conversationId)));
  if (!conv?.surveyId || conv.subject !== 'nps_detractor') return;
  await tx.update(npsSurveys).set({ followUpStatus: 'contatado', followUpAt: input.now, followUpBy: input.userId })
    .where(and(eq(npsSurveys.id, conv.surveyId), sql`coalesce(${npsSurveys.followUpStatus}, 'aberto') = 'aberto'`));
}
