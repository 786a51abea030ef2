// Which status an appointment may move to next: agendado → confirmado → realizado | cancelado | no_show.

export const APPOINTMENT_STATUSES = ['agendado', 'confirmado', 'realizado', 'cancelado', 'no_show'] as const;
export type AppointmentStatusName = (typeof APPOINTMENT_STATUSES)[number];

/** Allowed next statuses; terminal statuses allow none. */
export const STATUS_TRANSITIONS: Readonly<Record<AppointmentStatusName, readonly AppointmentStatusName[]>> = {
  agendado: ['confirmado', 'realizado', 'cancelado', 'no_show'],
  confirmado: ['realizado', 'cancelado', 'no_show'],
  realizado: [],
  cancelado: [],
  no_show: [],
};

/** How each status reads in the dashboard and in messages (pt-BR). */
export const STATUS_LABELS: Readonly<Record<AppointmentStatusName, string>> = {
  agendado: 'agendado',
  confirmado: 'confirmado',
  realizado: 'realizado',
  cancelado: 'cancelado',
  no_show: 'não compareceu',
};

export function isTerminal(status: AppointmentStatusName): boolean {
  return STATUS_TRANSITIONS[status].length === 0;
}

/** Statuses whose appointment still holds the professional's time and can be edited or moved. */
export function isOpen(status: AppointmentStatusName): boolean {
  return status === 'agendado' || status === 'confirmado';
}

export type TransitionCheck = { ok: true } | { ok: false; message: string };

export function checkTransition(from: AppointmentStatusName, to: AppointmentStatusName): TransitionCheck {
  if (STATUS_TRANSITIONS[from].includes(to)) return { ok: true };
  if (from === to) return { ok: false, message: `O agendamento já está ${STATUS_LABELS[to]}.` };
  return { ok: false, message: `Não é possível passar de ${STATUS_LABELS[from]} para ${STATUS_LABELS[to]}.` };
}
