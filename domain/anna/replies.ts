// Every text Anna sends, in pt-BR: warm, short, WhatsApp-friendly. No medical promises; no price that
// is not a KnownProcedure.priceCents (or the deposit amount the journey passes in).
import type { ClinicKnowledge, DayPeriod, OfferedSlot, Qualification, QuestionKey } from './types';
import { formatContactPhone, formatLocalDate, formatMoney, formatOpeningHours, formatSlotDate, listNames } from './knowledge';

export interface Reply { text: string; quickReplies?: string[] }

/**
 * Several parts as one message, blank line between texts; the quick replies are the last part's that has
 * any (the question the message ends on is the one the buttons answer).
 */
export function joinReplies(...parts: (Reply | string | null | undefined)[]): Reply {
  const texts: string[] = [];
  let quickReplies: string[] | undefined;
  for (const p of parts) {
    if (!p) continue;
    if (typeof p === 'string') texts.push(p);
    else {
      texts.push(p.text);
      if (p.quickReplies?.length) quickReplies = p.quickReplies;
    }
  }
  return { text: texts.filter(Boolean).join('\n\n'), ...(quickReplies ? { quickReplies } : {}) };
}

const firstName = (name?: string | null) => (name ? String(name).trim().split(/\s+/)[0] : '');
const periodLabel = { manha: 'de manhã', tarde: 'à tarde', noite: 'à noite' } as const;

export interface AskOptions {
  /** The lead's WhatsApp number (E.164) for the phone question. */
  phone?: string | null;
}

/** The text of one question. */
export const questionTexts = {
  procedure: (k?: ClinicKnowledge | null): string => {
    const list = k && Array.isArray(k.procedures) ? listNames(k.procedures, 5) : '';
    return `Qual procedimento você tem interesse?${list ? ` Temos, por exemplo: ${list}.` : ''}`;
  },
  interest: (q?: Qualification | null): string =>
    q?.procedure?.name
      ? `Você tem interesse em agendar ${q.procedure.name}? (sim / não / talvez) E para quando?`
      : 'Você tem interesse em agendar? (sim / não / talvez) E para quando?',
  date: (): string => 'Qual dia fica melhor para você? (ex.: amanhã, sexta, dia 12)',
  time: (): string => 'Prefere manhã, tarde ou noite?',
  phone: (phone?: string | null): string =>
    phone ? `Posso enviar a confirmação e os lembretes para este número (${formatContactPhone(phone)})?` : 'Posso enviar a confirmação e os lembretes para este número do WhatsApp?',
  name: (): string => 'Qual é o seu nome completo?',
};

function quickRepliesFor(key: QuestionKey | undefined): string[] | undefined {
  if (key === 'interest') return ['Sim', 'Talvez', 'Não'];
  if (key === 'time') return ['Manhã', 'Tarde', 'Noite'];
  if (key === 'phone') return ['Sim, pode ser este', 'Outro número'];
  return undefined;
}

function questionText(key: QuestionKey, q: Qualification | null | undefined, k?: ClinicKnowledge | null, opts?: AskOptions): string {
  switch (key) {
    case 'procedure': return questionTexts.procedure(k);
    case 'interest': return questionTexts.interest(q);
    case 'date': return questionTexts.date();
    case 'time': return questionTexts.time();
    case 'phone': return questionTexts.phone(opts?.phone);
    case 'name': return questionTexts.name();
  }
}

/**
 * Asks ONLY what is missing: the first missing question, combined with the second when they read well
 * together (date + time → "Qual dia e período ficam melhores…"). Empty `missing` → a short thank-you.
 */
function ask(missing: QuestionKey[], q: Qualification, k?: ClinicKnowledge | null, opts?: AskOptions): Reply {
  const m = Array.isArray(missing) ? missing : [];
  if (m.length === 0) return { text: 'Perfeito, obrigada! 😊' };
  const [a, b] = m;
  if (a === 'date' && b === 'time') {
    return { text: 'Qual dia e qual período ficam melhores para você? (ex.: sexta de manhã, dia 12 à tarde)' };
  }
  if (a === 'interest' && b === 'date') return { text: questionTexts.interest(q), quickReplies: quickRepliesFor('interest') };
  return { text: questionText(a, q, k, opts), quickReplies: quickRepliesFor(a) };
}

export const replies = {
  questionTexts,
  ask,
  greeting(k: ClinicKnowledge, missing: QuestionKey[], name?: string | null, q?: Qualification | null, opts?: AskOptions): Reply {
    const n = firstName(name);
    const hello = `Olá${n ? `, ${n}` : ''}! 😊 Eu sou a Anna, assistente virtual da ${k?.clinicName ?? 'clínica'}.`;
    const next = ask(missing, q ?? ({} as Qualification), k, opts);
    // With nothing missing the journey follows the greeting with the slots, so no question here.
    return Array.isArray(missing) && missing.length > 0 ? { text: `${hello} ${next.text}`, quickReplies: next.quickReplies } : { text: hello };
  },
  offerSlots(slots: OfferedSlot[]): Reply {
    const s = Array.isArray(slots) ? slots : [];
    if (s.length === 0) return replies.noSlots();
    const lines = s.map((x, i) => `${i + 1}. ${x.label}`).join('\n');
    // WhatsApp buttons hold 20 characters: "seg 30/11 08:00" (the engine reads it back as that slot).
    const button = (label: string) => label.split(' com ')[0].replace(' às ', ' ').slice(0, 20);
    return { text: `Tenho estes horários disponíveis:\n${lines}\nQual fica melhor para você? (ou me diga se prefere outro dia)`, quickReplies: s.map((x) => button(x.label)) };
  },
  /** Said before the nearest slots when none is in the period the lead asked for. */
  noSlotsInPeriod(period: DayPeriod, k: ClinicKnowledge): Reply {
    const hours = formatOpeningHours(k.openingHours);
    return { text: `Não tenho horários ${periodLabel[period]}${hours ? ` (atendemos ${hours})` : ''}. Os mais próximos são estes:` };
  },
  /** A bare "não" to the proposed slot: new ones follow, and the lead is asked what would suit. */
  askPreferredTimes(): Reply {
    return { text: 'Sem problemas! Se nenhum destes servir, me diga o dia ou o período que fica melhor.' };
  },
  noSlots(): Reply {
    return { text: 'Não encontrei horários livres nesse período 😕 Quer tentar outro dia ou período? Se preferir, uma pessoa da nossa equipe te ajuda.' };
  },
  confirmSlot(slot: OfferedSlot, procedureName: string): Reply {
    return { text: `Posso confirmar ${procedureName} em ${slot.label}?`, quickReplies: ['Sim', 'Não'] };
  },
  askName(): Reply {
    return { text: 'Para finalizar o agendamento, qual é o seu nome completo?' };
  },
  /** The lead said the WhatsApp number is not the one for contact. */
  askOtherPhone(): Reply {
    return { text: 'Sem problemas! Qual número prefere para contato? (com DDD)' };
  },
  depositLink(amountCents: number, url: string, deadlineLabel: string): Reply {
    return {
      text: `Para garantir o seu horário, pedimos um sinal de ${formatMoney(amountCents)}. Você pode pagar com cartão ou Pix neste link: ${url}\nO link vale até ${deadlineLabel}.`,
    };
  },
  /** Anything but a yes/no/other-times while the deposit is awaited: the reservation and the link again. */
  paymentReminder(url: string, deadlineLabel: string): Reply {
    return {
      text: `Seu horário fica reservado até ${deadlineLabel} enquanto aguardo o sinal. O link para pagar com cartão ou Pix é este: ${url}\nSe preferir outro horário, é só me dizer.`,
    };
  },
  paymentReceived(): Reply {
    return { text: 'Pagamento recebido, obrigada! 💜 Seu horário está garantido.' };
  },
  paymentExpired(): Reply {
    return { text: 'O prazo do link de pagamento terminou e o horário foi liberado. Se ainda quiser agendar, é só me chamar que vejo novos horários 😊' };
  },
  booked(slot: OfferedSlot, procedureName: string, k: ClinicKnowledge): Reply {
    const when = formatSlotDate(slot.startsAt, k?.timeZone ?? 'America/Sao_Paulo') || slot.label;
    const pro = slot.professionalName ? ` com ${slot.professionalName}` : '';
    const where = k?.address ? `\nEndereço: ${k.address}${k.mapsUrl ? ` (${k.mapsUrl})` : ''}` : '';
    return { text: `Agendado! ✅ ${procedureName} para ${when}${pro}.${where}\nVocê recebe um lembrete na véspera. Se precisar remarcar, é só me avisar por aqui.` };
  },
  staffHandoff(): Reply {
    return { text: 'Obrigada pelas informações! Em breve uma pessoa da nossa equipe vai falar com você por aqui. 😊' };
  },
  humanRequested(): Reply {
    return { text: 'Claro! Vou chamar uma pessoa da nossa equipe para falar com você. Em breve alguém responde por aqui. 😊' };
  },
  followUp(name?: string | null): Reply {
    const n = firstName(name);
    return { text: `Oi${n ? `, ${n}` : ''}! Passando para saber se você ainda tem interesse em agendar. Posso te ajudar? 😊`, quickReplies: ['Sim', 'Talvez', 'Não'] };
  },
  nudge(): Reply {
    return { text: 'Oi! Ainda está por aí? Quando puder, me responde que eu continuo te ajudando 😊' };
  },
  /** No message when a conversation is abandoned (the clinic sees it in the dashboard). */
  abandoned(): Reply | null {
    return null;
  },
  spamStop(): Reply {
    return { text: 'Este canal é exclusivo para atendimento da clínica. Vou encerrar por aqui. Obrigada!' };
  },
  insult(): Reply {
    return { text: 'Sinto muito pela experiência. Vou pedir para uma pessoa da nossa equipe falar com você.' };
  },
  goodbye(name?: string | null): Reply {
    const n = firstName(name);
    return { text: `Tudo bem${n ? `, ${n}` : ''}! Obrigada pelo contato. Se mudar de ideia, é só chamar por aqui. 💜` };
  },
  notOffered(procedureName: string, k: ClinicKnowledge): Reply {
    const list = k && Array.isArray(k.procedures) ? listNames(k.procedures, 5) : '';
    return { text: `No momento não realizamos ${procedureName} aqui na ${k?.clinicName ?? 'clínica'}.${list ? ` Fazemos, por exemplo: ${list}. Algum desses te interessa?` : ' Uma pessoa da nossa equipe pode te orientar.'}` };
  },
  slotTaken(): Reply {
    return { text: 'Poxa, esse horário acabou de ser preenchido 😕 Vou te mostrar outras opções.' };
  },
  fallback(missing?: QuestionKey[], q?: Qualification | null, k?: ClinicKnowledge | null, opts?: AskOptions): Reply {
    const next = Array.isArray(missing) && missing.length > 0 ? ask(missing, q ?? ({} as Qualification), k, opts) : null;
    return { text: `Desculpe, não entendi muito bem. ${next ? next.text : 'Pode me explicar de outro jeito?'}`, quickReplies: next?.quickReplies };
  },
  preferredDateLabel(date: string, period?: keyof typeof periodLabel | null): string {
    return `${formatLocalDate(date)}${period ? ` ${periodLabel[period]}` : ''}`;
  },
  /** "Anotei: Toxina botulínica, semana que vem, de manhã." — what the first message already said, so Anna doesn't seem to ignore it. */
  acknowledge(q: Qualification): string | null {
    const parts: string[] = [];
    if (q.procedure) parts.push(q.procedure.name);
    if (q.interestWhen) parts.push(q.interestWhen);
    else if (q.preferredDate) parts.push(replies.preferredDateLabel(q.preferredDate));
    if (q.preferredTime) parts.push(`às ${q.preferredTime}`);
    else if (q.preferredPeriod) parts.push(periodLabel[q.preferredPeriod]);
    return parts.length >= 2 ? `Anotei: ${parts.join(', ')}.` : null;
  },
  /** A file, audio or picture without a word. */
  mediaReceived(): Reply {
    return { text: 'Recebi seu arquivo! 😊 Por aqui eu leio só mensagens de texto: pode me contar por escrito como posso ajudar?' };
  },
};

export type Replies = typeof replies;
