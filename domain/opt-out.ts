// Recognises a patient's request to stop messages on a channel ("SAIR", "PARAR", "STOP"…). Pure.
//
// Only a message that is nothing but the keyword counts: "quero sair mais cedo" is a conversation, and a
// bare "CANCELAR" means cancelling the appointment (domain/reply-intent.ts), never unsubscribing.
import { normalizeText } from './text';

const OPT_OUT_PHRASES = new Set([
  'sair', 'parar', 'pare', 'stop', 'stopall', 'unsubscribe', 'descadastrar', 'descadastre', 'descadastrar me', 'me descadastre',
  'cancelar inscricao', 'cancelar a inscricao', 'cancelar assinatura', 'cancelar mensagens', 'remover', 'remova', 'me remova',
  'nao quero mais receber', 'nao quero receber mensagens', 'nao quero mais receber mensagens', 'parar mensagens', 'parar de receber',
  'sair da lista', 'bloquear',
]);

/** True when the whole message asks to stop receiving messages on the channel it came from. */
export function isOptOut(text: string): boolean {
  const normalized = normalizeText(text);
  if (!normalized || normalized.length > 40) return false;
  return OPT_OUT_PHRASES.has(normalized);
}
