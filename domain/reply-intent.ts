// What a patient's free-text answer to a reminder means: confirm, cancel, or something else.
// Pure: the appointment journey interprets replies with it (WhatsApp/SMS "1", "sim", "2", "não"…).
import { normalizeText } from './text';

export type ReplyIntent = 'confirm' | 'cancel' | 'unknown';

const CONFIRM_WORDS = [
  '1', 'sim', 's', 'confirmo', 'confirmado', 'confirmada', 'confirmar', 'confirma', 'confirmei', 'confirmando', 'ok', 'okay', 'okk',
  'certo', 'claro', 'combinado', 'beleza', 'blz', 'pode', 'positivo', 'yes', 'vou', 'irei', 'estarei', 'presente', 'com certeza',
  'pode confirmar', 'sim confirmo', 'sim vou', 'vou sim', 'estarei la', 'estarei presente', 'confirmo presenca', 'confirmo sim', 'tudo certo',
];
const CANCEL_WORDS = [
  '2', 'nao', 'n', 'cancelar', 'cancela', 'cancelo', 'cancelado', 'cancelada', 'cancele', 'desmarcar', 'desmarca', 'desmarco', 'no',
  'nao vou', 'nao vou poder', 'nao posso', 'nao poderei', 'nao irei', 'nao consigo', 'nao vou conseguir', 'nao da', 'nao vai dar',
  'quero cancelar', 'preciso cancelar', 'pode cancelar', 'vou cancelar', 'vou faltar', 'nao comparecerei', 'infelizmente nao',
];

const EMOJI_CONFIRM = /(👍|👌|✅|✔️|✔|🙏|😊|🙂|❤️)/u;
const EMOJI_CANCEL = /(👎|❌|✖️)/u;

/** Lower case, accents and punctuation removed, spaces collapsed: "Não, vou poder!" → "nao vou poder". */
export const normalizeReply = normalizeText;

const confirmSet = new Set(CONFIRM_WORDS);
const cancelSet = new Set(CANCEL_WORDS);

/**
 * Short, unambiguous answers only: a long message that merely contains "sim" is a conversation for a
 * person (or Anna), not a confirmation. A reply that mentions both (e.g. "sim, quero cancelar") cancels
 * only when the cancel phrase is explicit.
 */
export function interpretReply(text: string): ReplyIntent {
  const raw = text.trim();
  if (!raw) return 'unknown';
  const norm = normalizeReply(raw);
  if (!norm) {
    if (EMOJI_CANCEL.test(raw)) return 'cancel';
    if (EMOJI_CONFIRM.test(raw)) return 'confirm';
    return 'unknown';
  }
  if (confirmSet.has(norm)) return 'confirm';
  if (cancelSet.has(norm)) return 'cancel';
  const words = norm.split(' ');
  if (words.length > 8) return 'unknown';
  // Explicit cancel phrases win over a polite "sim"/"ok" around them.
  if (/\b(cancelar|cancela|cancelo|cancele|desmarcar|desmarca|desmarco)\b/.test(norm)) return 'cancel';
  if (/^nao\b/.test(norm) && !/\bnao (tenho|sei|entendi)\b/.test(norm)) {
    // "não vou poder ir", "não, obrigado" — but not "não tem problema, vou sim".
    if (/\b(vou sim|confirmo|tem problema|tem problemas)\b/.test(norm)) return /\bconfirmo|vou sim\b/.test(norm) ? 'confirm' : 'unknown';
    return 'cancel';
  }
  const first = words[0]!;
  const firstTwo = words.slice(0, 2).join(' ');
  if (confirmSet.has(firstTwo) || confirmSet.has(first) || /\bconfirm(o|ado|ada|ar|ando|ei)\b/.test(norm)) {
    return /\b(nao|cancel)/.test(norm) ? 'unknown' : 'confirm';
  }
  if (EMOJI_CONFIRM.test(raw) && !EMOJI_CANCEL.test(raw)) return 'confirm';
  return 'unknown';
}
