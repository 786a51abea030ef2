// The inbox's vocabulary (pt-BR labels) and the URL filters shared by the page, its endpoints and tests.
import { tick } from 'svelte';

export const INBOX_FILTERS = ['abertas', 'fila', 'convertidas', 'abandonadas', 'spam', 'todas'] as const;
export type InboxFilter = (typeof INBOX_FILTERS)[number];

export const filterLabels: Record<InboxFilter, string> = {
  abertas: 'Abertas',
  fila: 'Fila da equipe',
  convertidas: 'Convertidas',
  abandonadas: 'Abandonadas',
  spam: 'Spam',
  todas: 'Todas',
};

export function parseFilter(value: string | null): InboxFilter {
  return (INBOX_FILTERS as readonly string[]).includes(value ?? '') ? (value as InboxFilter) : 'abertas';
}

/** The API query for a chip (plus the search). */
export function listQuery(filter: InboxFilter, busca: string): Record<string, string> {
  const q: Record<string, string> = { limit: '50' };
  if (busca) q.q = busca;
  switch (filter) {
    case 'abertas': q.status = 'aberta'; break;
    case 'fila': q.status = 'aberta'; q.needsStaff = 'true'; break;
    case 'convertidas': q.status = 'convertida'; break;
    case 'abandonadas': q.status = 'abandonada'; break;
    case 'spam': q.status = 'spam'; break;
  }
  return q;
}

export const stageLabels: Record<string, string> = {
  qualifying: 'Qualificando',
  choosing_slot: 'Escolhendo horário',
  confirming_slot: 'Confirmando horário',
  asking_name: 'Pedindo o nome',
  awaiting_payment: 'Aguardando pagamento do sinal',
  staff_queue: 'Fila da equipe',
  done: 'Encerrada',
};

export const statusLabels: Record<string, string> = {
  aberta: 'Aberta',
  convertida: 'Convertida',
  abandonada: 'Abandonada',
  spam: 'Spam',
};

export const interestLabels: Record<string, string> = { sim: 'Sim', nao: 'Não', talvez: 'Talvez' };

export const periodLabels: Record<string, string> = { manha: 'Manhã', tarde: 'Tarde', noite: 'Noite' };

export const waitingLabels: Record<string, string> = {
  reply: 'resposta do contato',
  nudge: 'lembrete de retomada',
  abandon: 'encerramento por falta de resposta',
  payment: 'pagamento do sinal',
  follow_up: 'mensagem de acompanhamento',
};

export const outcomeLabels: Record<string, string> = {
  convertida: 'Convertida em agendamento',
  abandonada: 'Abandonada',
  spam: 'Spam',
  staff_queue: 'Encaminhada à equipe',
  encerrada: 'Encerrada',
};

/** Delivery marks for outbound messages, WhatsApp-style. */
export interface DeliveryMarks {
  marks: string;
  label: string;
  read: boolean;
}

const DELIVERY_MARKS: Record<string, DeliveryMarks> = {
  read: { marks: '✓✓', label: 'Lida', read: true },
  delivered: { marks: '✓✓', label: 'Entregue', read: false },
  sent: { marks: '✓', label: 'Enviada', read: false },
  failed: { marks: '!', label: 'Falhou', read: false },
  skipped: { marks: '⊘', label: 'Não enviada', read: false },
  queued: { marks: '🕓', label: 'Na fila', read: false },
  sending: { marks: '🕓', label: 'Na fila', read: false },
};

/** WhatsApp-style ticks of an outgoing message's status (the inbox and the simulator's phone); none for an unknown one. */
export function deliveryMarks(status: string | null): DeliveryMarks {
  return (status && DELIVERY_MARKS[status]) || { marks: '', label: '', read: false };
}

/**
 * Keeps a message thread scrolled to its newest message whenever `key` changes (it grows, or another
 * conversation opens): `<div use:scrollsToLatest={`${id}:${messages.length}`}>`.
 */
export function scrollsToLatest(node: HTMLElement, key: unknown) {
  const scroll = () => tick().then(() => node.scrollTo({ top: node.scrollHeight }));
  scroll();
  return {
    update(next: unknown) {
      if (next !== key) {
        key = next;
        scroll();
      }
    },
  };
}

/** Micro-dollars → "US$ 0,0123" (AI costs are tiny). */
export function formatMicroUsd(micro: number): string {
  const usd = micro / 1_000_000;
  return `US$ ${usd.toLocaleString('pt-BR', { minimumFractionDigits: usd > 0 && usd < 0.01 ? 4 : 2, maximumFractionDigits: usd > 0 && usd < 0.01 ? 4 : 2 })}`;
}

/** Seconds → "45 s", "3 min", "1 h 05 min". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
