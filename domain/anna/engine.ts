// Anna's local pt-BR rule engine — the public entry. Pure and deterministic: no I/O, no clock (time comes
// in as ctx.now / now), no node: imports; safe inside the Temporal workflow sandbox.
//
// analyzeMessage(text, ctx): at most MAX_ANALYSED_CHARS (2,000) characters are analysed; never throws
// (any failure → an 'unknown' analysis). Intent: the FIRST rule that applies wins:
//   1. empty text / emoji without meaning          → 'unknown', empty: true
//   2. spam (spam words, unrelated link, keyboard mash, repeated text) → 'spam' (nothing extracted)
//   3. insult aimed at Anna (idiota, lixo, vai se f…), or an expletive aimed at Anna/the clinic ("porra de robô")
//      → 'insult'. A bare expletive ("porra que demora") is NOT an insult: negative sentiment, intent by the
//      rules below (the journey ends the conversation on 'insult', so impatience must not trigger it).
//   4. asks for a person ("quero falar com uma atendente") → 'human'
//   5. stop ("não quero mais", "para de mandar", "tchau") → 'stop'
//   6. stage 'choosing_slot': one offered slot picked ("2", "a primeira", "o das 10h", "quinta") → 'choose_slot';
//      "nenhum", "outro horário", or a day/time matching no single slot → 'other_slots'
//   7. stage 'confirming_slot' / 'awaiting_payment': yes → 'affirm', no → 'deny'
//   8. last question 'phone' (stage qualifying/asking_name): confirmed → 'affirm' + phoneConfirmed true;
//      "não" without a number → 'deny' (nothing extracted: phoneConfirmed false only comes with otherPhone)
//   9. something extracted → 'answer' (unless the only thing extracted is the procedure of a question → 'question')
//  10. a question (price, address, hours, …) → 'question'
//  11. greeting only ("oi", "bom dia, tudo bem?") → 'greeting'
//  12. bare yes / no → 'affirm' / 'deny'; otherwise 'unknown'.
// `questions` is filled whatever the intent: the journey should answer them (answerQuestions) in any case.
// Interest precedence: strong no ("não quero", "não tenho interesse") > maybe ("talvez", "não sei",
// "depende do preço") > soft no ("só pesquisando") > yes ("quero", "sim", "bora", 👍).
import type {
  AnalysisContext, ClinicKnowledge, Engagement, LeadScore, MessageAnalysis, Qualification, QuestionKey,
} from './types';
import { analyze } from './analyze';
import { whenIsSchedulable } from './dates';
import { normalizeText as normalize } from './normalize';
import { scoreLead as score } from './score';
import { answerQuestions as answer } from './knowledge';
import { replies as allReplies, type Reply } from './replies';

export type { Reply };
export { joinReplies } from './replies';
export { MAX_ANALYSED_CHARS } from './analyze';
export { formatMoney, formatSlotDate, formatOpeningHours, formatDuration, formatDeadline } from './knowledge';

/** Lower case, accents removed, punctuation/emoji → space, spaces collapsed. */
export function normalizeText(s: string): string {
  try { return normalize(s); } catch { return ''; }
}

export function analyzeMessage(text: string, ctx: AnalysisContext): MessageAnalysis {
  try {
    return analyze(text, ctx);
  } catch {
    return { extracted: {}, intent: 'unknown', slotChoice: null, questions: [], sentiment: 0, empty: !String(text ?? '').trim() };
  }
}

const QUAL_KEYS: (keyof Qualification)[] = ['procedure', 'interest', 'interestWhen', 'preferredDate', 'preferredPeriod', 'preferredTime', 'phoneConfirmed', 'otherPhone', 'name'];

/** Later answers win; null/undefined in `extracted` never erase what is known. */
export function mergeQualification(known: Qualification, extracted: Partial<Qualification>): Qualification {
  const out = { ...known } as Qualification;
  for (const key of QUAL_KEYS) {
    if (!(key in out)) (out as unknown as Record<string, unknown>)[key] = null;
    const v = extracted?.[key];
    if (v !== null && v !== undefined) (out as unknown as Record<string, unknown>)[key] = key === 'procedure' ? { ...(v as object) } : v;
  }
  // A preferred time makes an old, different period stale ("na verdade às 15h" after "de manhã").
  if (extracted?.preferredTime && !extracted.preferredPeriod) {
    const h = Number(extracted.preferredTime.slice(0, 2));
    if (Number.isFinite(h)) out.preferredPeriod = h < 12 ? 'manha' : h < 18 ? 'tarde' : 'noite';
  }
  // A new period without a time drops a time that contradicts it.
  if (extracted?.preferredPeriod && !extracted.preferredTime && out.preferredTime) {
    const h = Number(out.preferredTime.slice(0, 2));
    const p = h < 12 ? 'manha' : h < 18 ? 'tarde' : 'noite';
    if (p !== extracted.preferredPeriod) out.preferredTime = null;
  }
  // Confirming the WhatsApp number replaces another number given before.
  if (extracted?.phoneConfirmed === true && !extracted.otherPhone) out.otherPhone = null;
  return out;
}

/**
 * Of 'procedure', 'interest', 'date', 'time' (in that order) those still unanswered. interest 'nao' →
 * [] (nothing more to ask). date: preferredDate or a schedulable interestWhen ("semana que vem");
 * time: preferredPeriod or preferredTime.
 */
export function missingQuestions(q: Qualification): QuestionKey[] {
  if (q?.interest === 'nao') return [];
  const out: QuestionKey[] = [];
  if (!q?.procedure) out.push('procedure');
  if (!q?.interest) out.push('interest');
  if (!q?.preferredDate && !whenIsSchedulable(q?.interestWhen)) out.push('date');
  if (!q?.preferredPeriod && !q?.preferredTime) out.push('time');
  return out;
}

export function scoreLead(q: Qualification, e: Engagement, k: ClinicKnowledge, now: string): LeadScore {
  return score(q, e, k, now);
}

export function answerQuestions(questions: MessageAnalysis['questions'], k: ClinicKnowledge, q: Qualification): string | null {
  try { return answer(questions, k, q); } catch { return null; }
}

/** Every text Anna sends (pt-BR). Each returns { text, quickReplies? } (abandoned() returns null). */
export const replies = allReplies;
