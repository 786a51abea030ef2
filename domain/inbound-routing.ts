// Where an inbound WhatsApp/SMS message goes: Anna's lead journey, the appointment's journey, an
// opt-out, or nowhere. Pure: the caller loads the facts once (services/inbound/facts.ts) and acts on
// the answer. The language engine is asked only for one thing, explicitly: whether a patient with an
// open appointment starts a new subject (domain/anna/subject.ts).
import { isOptOut } from './opt-out';
import { interpretReply } from './reply-intent';
import { startsNewSubject, type SubjectProcedure } from './anna/subject';
import { parseNpsReply } from './nps';
import { isUpsellRefusal } from './upsell';
import { saysNotInterested } from './reactivation';
import { asksForBalance } from './loyalty';
import { normalizeText } from './text';

export interface InboundFacts {
  channel: 'whatsapp' | 'sms';
  text: string;
  /** When it arrived (ISO). */
  receivedAt: string;
  /** The soonest open appointment of the patients behind the number exists. */
  openAppointment: boolean;
  /** The number has an open conversation with Anna (WhatsApp only). */
  openConversation: boolean;
  /** Who wrote to the number last on WhatsApp: Anna (and whether with buttons) or a reminder; null if nobody. */
  lastWhatsapp: { anna: boolean; buttons: boolean } | null;
  /** A conversation of the number was marked spam in the last 30 days. */
  quietAfterSpam: boolean;
  /** The clinic's active procedures, for the new-subject check. */
  procedures: SubjectProcedure[];
  /**
   * The patient's most recent NPS survey, when a reply may be answering it: waiting for the score,
   * for the comment (just asked), or closed (expired: a score is recorded as a late answer).
   * `last`: the survey's message is the latest one sent to this number on this channel.
   */
  survey?: { stage: 'score' | 'comment' | 'closed'; last: boolean } | null;
  /** An open upsell offer's message is the latest one to this number: a "não, obrigada" answers it. */
  offerLast?: boolean;
  /** An open reactivation's message is the latest one: "não tenho interesse" answers it. */
  reactivationLast?: boolean;
  /** The number is a known patient's (her loyalty balance can be told). */
  knownPatient?: boolean;
  /** The number's open conversation is the staff's (a detractor's, services/feedback/detractor-inbox): Anna stays out. */
  staffConversation?: boolean;
}

export type InboundRoute =
  /** Opt-out keyword: the channel's consent is revoked; `toLead` when Anna's conversation must hear it too. */
  | { to: 'opt_out'; toLead: boolean }
  | { to: 'lead' }
  /** Would go to Anna, but the number is quiet after spam. */
  | { to: 'spam_quiet' }
  | { to: 'appointment' }
  /** An answer to the NPS survey (a score, a reply the survey asked for, or a late score). */
  | { to: 'nps' }
  /** A patient turning down the upsell offer ("não, obrigada"); anything else about it goes on to Anna. */
  | { to: 'upsell' }
  /** "Não tenho interesse" to the reactivation message; anything else about it goes on to Anna and the inbox. */
  | { to: 'reactivation' }
  /** "saldo" / "meus pontos" from a known patient: her balance, tier and rewards. */
  | { to: 'loyalty' }
  /** Recorded in the staff's conversation (a detractor's) for a person to answer; no journey takes it. */
  | { to: 'staff' }
  /** No journey takes it (an SMS without an open appointment). */
  | { to: 'unrouted' };

/** The reminder's own buttons: "1" confirms, "2" cancels. */
export const isReminderButton = (text: string) => /^\s*[12]\s*$/.test(text);

/**
 * WhatsApp goes to Anna from a number without an open appointment, from one already talking to her,
 * or from a patient who starts a new subject ("quanto custa o botox?") instead of answering a reminder.
 * With both an open appointment and an open conversation: when Anna spoke last, everything answers her
 * except the reminder's own "1" / "2" (unless her message had buttons of its own); when the reminder
 * spoke last, its answers ("1", "sim", "cancelar") go to the appointment and the rest to Anna.
 * SMS never reaches Anna. An open conversation is not a quiet one: only a new one checks the spam verdict.
 * A number whose open conversation is the staff's (a detractor's) reaches the staff instead of Anna or nowhere.
 */
export function classifyInbound(f: InboundFacts): InboundRoute {
  if (isOptOut(f.text)) return { to: 'opt_out', toLead: f.openConversation };
  if (f.survey && surveyTakes(f, f.survey)) return { to: 'nps' };
  if (f.offerLast && isUpsellRefusal(f.text)) return { to: 'upsell' };
  if (f.reactivationLast && saysNotInterested(normalizeText(f.text))) return { to: 'reactivation' };
  if (f.knownPatient && asksForBalance(normalizeText(f.text))) return { to: 'loyalty' };
  let toLead = false;
  if (f.channel === 'whatsapp') {
    if (!f.openAppointment) toLead = true;
    else if (f.openConversation) {
      const last = f.lastWhatsapp ?? { anna: false, buttons: false };
      toLead = last.anna ? !isReminderButton(f.text) || last.buttons : interpretReply(f.text) === 'unknown';
    } else {
      toLead = startsNewSubject(f.text, f.procedures, f.receivedAt);
    }
  }
  // The staff are talking to this patient (a detractor): what would go to Anna, or nowhere, is theirs.
  if (f.staffConversation && (toLead || !f.openAppointment)) return { to: 'staff' };
  if (toLead) return !f.openConversation && f.quietAfterSpam ? { to: 'spam_quiet' } : { to: 'lead' };
  return f.openAppointment ? { to: 'appointment' } : { to: 'unrouted' };
}

/**
 * The NPS survey takes a reply when its message is the latest one on the channel: a score always
 * (also a late one), and while it waits for the score or the comment anything that does not start a new
 * subject ("quanto custa o botox?" goes to Anna). When something else wrote last (a reminder, Anna),
 * only a clean score for a survey waiting for one, from a number with no open appointment or
 * conversation, still reaches it.
 */
function surveyTakes(f: InboundFacts, survey: NonNullable<InboundFacts['survey']>): boolean {
  const score = parseNpsReply(f.text).score !== null;
  if (survey.last) {
    if (score) return true;
    if (survey.stage === 'closed') return false;
    return f.channel === 'sms' || !startsNewSubject(f.text, f.procedures, f.receivedAt);
  }
  return survey.stage === 'score' && score && !f.openAppointment && !f.openConversation;
}
