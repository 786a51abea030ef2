// What the agenda pages share: status and block labels, the status transitions the API accepts,
// and the layout of overlapping appointments side by side in a day column.

export type AppointmentStatus = 'agendado' | 'confirmado' | 'realizado' | 'cancelado' | 'no_show';

export const STATUS_LABELS: Record<AppointmentStatus, string> = {
  agendado: 'Agendado',
  confirmado: 'Confirmado',
  realizado: 'Realizado',
  cancelado: 'Cancelado',
  no_show: 'Não compareceu',
};

/** The same table as domain/appointment-status.ts (the API refuses anything else with 409). */
export const STATUS_TRANSITIONS: Record<AppointmentStatus, AppointmentStatus[]> = {
  agendado: ['confirmado', 'realizado', 'cancelado', 'no_show'],
  confirmado: ['realizado', 'cancelado', 'no_show'],
  realizado: [],
  cancelado: [],
  no_show: [],
};

/** The button that moves an appointment to a status. */
export const STATUS_ACTIONS: Partial<Record<AppointmentStatus, string>> = {
  confirmado: 'Confirmar',
  realizado: 'Marcar como realizado',
  no_show: 'Marcar falta (não compareceu)',
};

export function isOpen(status: AppointmentStatus): boolean {
  return status === 'agendado' || status === 'confirmado';
}

export const BLOCK_KINDS = {
  ferias: 'Férias',
  folga: 'Folga',
  almoco: 'Almoço',
  reuniao: 'Reunião',
  curso: 'Curso',
  pessoal: 'Compromisso pessoal',
  outro: 'Outro',
} as const;
export type BlockKind = keyof typeof BLOCK_KINDS;

export const CATEGORY_LABELS: Record<string, string> = {
  facial: 'Facial',
  corporal: 'Corporal',
  capilar: 'Capilar',
  outra: 'Outra',
};

export const PAYMENT_LABELS: Record<string, string> = {
  pendente: 'Pagamento pendente',
  pago: 'Pago',
  reembolsado: 'Reembolsado',
};

export const SOURCE_LABELS: Record<string, string> = {
  painel: 'Painel',
  whatsapp: 'WhatsApp',
  link: 'Link de agendamento',
  google: 'Google Agenda',
};

export type AgendaView = 'day' | 'week' | 'month';
export const VIEW_LABELS: Record<AgendaView, string> = { day: 'Dia', week: 'Semana', month: 'Mês' };

export function parseView(value: string | null): AgendaView {
  return value === 'day' || value === 'month' ? value : 'week';
}

/** Something with a start and end in minutes of its day. */
export interface Span {
  start: number;
  end: number;
}

/**
 * Side-by-side lanes for overlapping spans, like a calendar does: each span gets its lane and the number
 * of lanes of its cluster (spans that overlap one another transitively share the width).
 */
export function layoutLanes<T extends Span>(items: T[]): Array<{ item: T; lane: number; lanes: number }> {
  const sorted = [...items].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Array<{ item: T; lane: number; lanes: number }> = [];
  let cluster: Array<{ item: T; lane: number; lanes: number }> = [];
  let laneEnds: number[] = [];
  let clusterEnd = -Infinity;
  const close = () => {
    for (const placed of cluster) placed.lanes = laneEnds.length;
    out.push(...cluster);
    cluster = [];
    laneEnds = [];
  };
  for (const item of sorted) {
    if (item.start >= clusterEnd && cluster.length) close();
    let lane = laneEnds.findIndex((end) => end <= item.start);
    if (lane === -1) {
      lane = laneEnds.length;
      laneEnds.push(item.end);
    } else {
      laneEnds[lane] = item.end;
    }
    cluster.push({ item, lane, lanes: 0 });
    clusterEnd = Math.max(clusterEnd === -Infinity ? item.end : clusterEnd, item.end);
  }
  if (cluster.length) close();
  return out;
}

/** A light background for a professional's colour (#rrggbb → rgba). */
export function tint(hex: string, alpha = 0.14): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return `rgba(180, 83, 10, ${alpha})`;
  return `rgba(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)}, ${alpha})`;
}
