// Where an inbound WhatsApp/SMS message goes: Anna's lead journey, the appointment's journey, an
// opt-out, or nowhere. Pure: the caller loads the facts once (services/inbound/facts.ts) and acts on
// the answer. The language engine is asked only for one thing, explicitly: whether a patient with an
// open appointment starts a new subject (domain/anna/subject.ts).
import { isOptOut } from './opt-out';
import { interpretReply } from './reply-intent';
import { startsNewSubject, type SubjectProcedure } from './anna/subject';

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
}

export type InboundRoute =
  /** Opt-out keyword: the channel's consent is revoked; `toLead` when Anna's conversation must hear it too. */
  | { to: 'opt_out'; toLead: boolean }
  | { to: 'lead' }
  /** Would go to Anna, but the number is quiet after spam. */
  | { to: 'spam_quiet' }
  | { to: 'appointment' }
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
 */
export function classifyInbound(f: InboundFacts): InboundRoute {
  if (isOptOut(f.text)) return { to: 'opt_out', toLead: f.openConversation };
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
  if (toLead) return !f.openConversation && f.quietAfterSpam ? { to: 'spam_quiet' } : { to: 'lead' };
  return f.openAppointment ? { to: 'appointment' } : { to: 'unrouted' };
}
