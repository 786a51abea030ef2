// What the routing of one inbound message needs to know, loaded once inside its transaction: the
// patients behind the number, their soonest open appointment, Anna's open conversation, who wrote to
// the number last, the spam verdict, and the clinic's procedure names.
import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { appointments, conversations, messageOutbox, patientPhones, patients, procedures } from '../../db/schema';
import type { InboundFacts } from '../../domain/inbound-routing';

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
}

export async function loadInboundFacts(tx: Tx, input: InboundMessageInput): Promise<LoadedFacts> {
  const candidates = await patientsByPhone(tx, input.clinicId, input.from);
  const appointment = await openAppointment(tx, input.clinicId, candidates, input.receivedAt);
  const whatsapp = input.channel === 'whatsapp';
  const conversation = whatsapp ? await openConversation(tx, input.clinicId, input.from) : null;
  const [lastWhatsapp, quietAfterSpam, procs] = whatsapp
    ? await Promise.all([
      appointment && conversation ? lastWhatsappSpeaker(tx, input.clinicId, input.from) : null,
      conversation ? false : spamQuiet(tx, input.clinicId, input.from, input.receivedAt),
      appointment && !conversation ? activeProcedures(tx, input.clinicId) : [],
    ])
    : [null, false, []];
  return {
    patientId: appointment?.patientId ?? candidates[0] ?? null,
    appointment,
    conversation,
    facts: {
      channel: input.channel, text: input.text, receivedAt: input.receivedAt.toISOString(),
      openAppointment: appointment !== null, openConversation: conversation !== null,
      lastWhatsapp, quietAfterSpam, procedures: procs,
    },
  };
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

/** The number's open conversation with Anna, if any. */
export async function openConversation(tx: Tx, clinicId: string, phone: string) {
  const [row] = await tx.select({ id: conversations.id }).from(conversations)
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
