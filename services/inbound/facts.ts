// What the routing of one inbound message needs to know, loaded once inside its transaction: the
// patients behind the number, their soonest open appointment, Anna's open conversation, who wrote to
// the number last, the spam verdict, and the clinic's procedure names.
import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { appointments, conversations, messageOutbox, patientPhones, patients, procedures, reactivationTargets, upsellOffers } from '../../db/schema';
import type { InboundFacts } from '../../domain/inbound-routing';
import { COMMENT_WAIT_MS, recentSurveyOf } from '../feedback/surveys';

const SPAM_QUIET_DAYS = 30;

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

export interface LoadedFacts {
  facts: InboundFacts;
  /** The patient the message is from: the open appointment's, else the number's most recent. */
  patientId: string | null;
  appointment: { id: string; patientId: string } | null;
  conversation: { id: string } | null;
  /** The number's open conversation when it is the staff's (a detractor's), on either channel. */
  staffConversation: { id: string } | null;
  /** The open upsell offer whose message was the latest one to the number. */
  offer: { id: string; workflowId: string } | null;
  /** The open reactivation whose message was the latest one to the number. */
  reactivation: { id: string; workflowId: string } | null;
  /** The NPS survey the message may answer (see InboundFacts.survey). */
  survey: { id: string; appointmentId: string; stage: 'score' | 'comment' | 'closed' } | null;
}

export async function loadInboundFacts(tx: Tx, input: InboundMessageInput): Promise<LoadedFacts> {
  const candidates = await patientsByPhone(tx, input.clinicId, input.from);
  const appointment = await openAppointment(tx, input.clinicId, candidates, input.receivedAt);
  const whatsapp = input.channel === 'whatsapp';
  const open = await openConversation(tx, input.clinicId, input.from);
  const conversation = whatsapp && open ? { id: open.id } : null;
  const staffConversation = open?.subject === 'nps_detractor' ? { id: open.id } : null;
  const lastTemplate = candidates.length ? await lastTemplateTo(tx, input) : '';
  const survey = await surveyFacts(tx, input, candidates, lastTemplate);
  const offer = lastTemplate.startsWith('upsell') ? await openOffer(tx, input.clinicId, candidates) : null;
  const reactivation = lastTemplate.startsWith('reactivation') ? await openReactivation(tx, input.clinicId, candidates) : null;
  const [lastWhatsapp, quietAfterSpam, procs] = whatsapp
    ? await Promise.all([
      appointment && conversation ? lastWhatsappSpeaker(tx, input.clinicId, input.from) : null,
      conversation ? false : spamQuiet(tx, input.clinicId, input.from, input.receivedAt),
      (appointment && !conversation) || survey ? activeProcedures(tx, input.clinicId) : [],
    ])
    : [null, false, []];
  return {
    patientId: survey && !appointment ? survey.patientId : appointment?.patientId ?? candidates[0] ?? null,
    appointment,
    conversation,
    staffConversation,
    survey: survey ? { id: survey.id, appointmentId: survey.appointmentId, stage: survey.stage } : null,
    offer,
    reactivation,
    facts: {
      channel: input.channel, text: input.text, receivedAt: input.receivedAt.toISOString(),
      openAppointment: appointment !== null, openConversation: conversation !== null,
      lastWhatsapp, quietAfterSpam, procedures: procs,
      survey: survey ? { stage: survey.stage, last: survey.last } : null,
      offerLast: offer !== null,
      reactivationLast: reactivation !== null,
      knownPatient: candidates.length > 0,
      staffConversation: staffConversation !== null,
    },
  };
}

/**
 * The patient's recent survey and its stage: waiting for the score (enviada), for the comment (answered
 * in the chat and the comment question was the latest message), or closed (sem_resposta, within the
 * late-answer window). Null when the survey has nothing more to hear.
 */
async function surveyFacts(tx: Tx, input: InboundMessageInput, patientIds: string[], lastTemplate: string) {
  const s = await recentSurveyOf(tx, input.clinicId, patientIds, input.receivedAt);
  if (!s) return null;
  const stage = s.status === 'enviada' ? 'score'
    : s.status === 'sem_resposta' ? 'closed'
    // Answered in the chat, no comment yet, within the journey's wait for it (the question may still be on its way).
    : s.status === 'respondida' && !s.commentAt && (s.answeredVia === 'whatsapp' || s.answeredVia === 'sms') && s.answeredAt
      && input.receivedAt.getTime() - s.answeredAt.getTime() < COMMENT_WAIT_MS && lastTemplate.startsWith('nps') ? 'comment'
    : null;
  if (!stage) return null;
  return { ...s, stage, last: lastTemplate === 'nps' || lastTemplate.startsWith('nps_') } as const;
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

/** The number's open conversation (Anna's, or the staff's with a detractor), if any. */
export async function openConversation(tx: Tx, clinicId: string, phone: string) {
  const [row] = await tx.select({ id: conversations.id, subject: conversations.subject }).from(conversations)
    .where(and(eq(conversations.clinicId, clinicId), eq(conversations.patientWhatsapp, phone), eq(conversations.status, 'aberta'))).limit(1);
  return row ?? null;
}

/** Who wrote to this number last on WhatsApp: Anna ('anna' template) or a reminder, and whether Anna offered buttons. */
async function lastWhatsappSpeaker(tx: Tx, clinicId: string, phone: string): Promise<{ anna: boolean; buttons: boolean }> {
  const [last] = await tx.select({ template: messageOutbox.template, data: messageOutbox.templateData }).from(messageOutbox)
    .where(and(eq(messageOutbox.clinicId, clinicId), eq(messageOutbox.to, phone), eq(messageOutbox.channel, 'whatsapp')))
    .orderBy(desc(messageOutbox.createdAt)).limit(1);
  const buttons = ((last?.data as { quickReplies?: unknown[] } | null)?.quickReplies?.length ?? 0) > 0;
  return { anna: last?.template === 'anna', buttons };
}

/** A conversation of this number was marked spam in the last 30 days: Anna stays quiet. */
async function spamQuiet(tx: Tx, clinicId: string, phone: string, at: Date): Promise<boolean> {
  const [last] = await tx.select({ status: conversations.status, closedAt: conversations.closedAt }).from(conversations)
    .where(and(eq(conversations.clinicId, clinicId), eq(conversations.patientWhatsapp, phone)))
    .orderBy(desc(conversations.startedAt)).limit(1);
  return last?.status === 'spam' && (last.closedAt?.getTime() ?? 0) > at.getTime() - SPAM_QUIET_DAYS * 86_400_000;
}

async function activeProcedures(tx: Tx, clinicId: string) {
  return tx.select({ id: procedures.id, name: procedures.name, category: procedures.category, durationMinutes: procedures.durationMinutes })
    .from(procedures).where(and(eq(procedures.clinicId, clinicId), eq(procedures.active, true)));
}

/** Our template of the latest message sent to this number on this channel ('' when none). */
async function lastTemplateTo(tx: Tx, input: InboundMessageInput): Promise<string> {
  const [last] = await tx.select({ template: messageOutbox.template }).from(messageOutbox)
    .where(and(eq(messageOutbox.clinicId, input.clinicId), eq(messageOutbox.to, input.from), eq(messageOutbox.channel, input.channel)))
    .orderBy(desc(messageOutbox.createdAt)).limit(1);
  return last?.template ?? '';
}

/** These patients' open reactivation (message sent, no outcome yet), most recent first. */
export async function openReactivation(tx: Tx, clinicId: string, patientIds: string[]) {
  const [r] = await tx.select({ id: reactivationTargets.id, workflowId: reactivationTargets.workflowId }).from(reactivationTargets)
    .where(and(eq(reactivationTargets.clinicId, clinicId), inArray(reactivationTargets.patientId, patientIds), eq(reactivationTargets.status, 'enviada'), isNull(reactivationTargets.outcome)))
    .orderBy(desc(reactivationTargets.sentAt)).limit(1);
  return r?.workflowId ? { id: r.id, workflowId: r.workflowId } : null;
}

/** These patients' open upsell offer (status enviada), most recent first. */
export async function openOffer(tx: Tx, clinicId: string, patientIds: string[]) {
  const [o] = await tx.select({ id: upsellOffers.id, workflowId: upsellOffers.workflowId }).from(upsellOffers)
    .where(and(eq(upsellOffers.clinicId, clinicId), inArray(upsellOffers.patientId, patientIds), eq(upsellOffers.status, 'enviada')))
    .orderBy(desc(upsellOffers.sentAt)).limit(1);
  return o ?? null;
}
