// Labels of the reminder steps, channels and message states, shared by /lembretes, /simulador and the journey panel.
export const REMINDER_KEYS = ['reminder_24h', 'reminder_2h', 'reminder_2h_location'] as const;
export const REMINDER_CHANNELS = ['whatsapp', 'sms', 'email'] as const;
export type ReminderKey = (typeof REMINDER_KEYS)[number];
export type ReminderChannel = (typeof REMINDER_CHANNELS)[number];

export const stepLabels: Record<string, string> = {
  reminder_24h: 'Lembrete 24 h antes',
  reminder_2h: 'Lembrete 2 h antes (reserva)',
  reminder_2h_location: '2 h antes: como chegar',
  outcome_deadline: 'Prazo para marcar o atendimento',
};

export const channelLabels: Record<string, string> = { whatsapp: 'WhatsApp', sms: 'SMS', email: 'E-mail', total: 'Total' };

export const messageStatusLabels: Record<string, string> = {
  queued: 'Na fila', sending: 'Enviando', sent: 'Enviada', delivered: 'Entregue', read: 'Lida', failed: 'Falhou', skipped: 'Não enviada',
  duplicate: 'Já enviada', skipped_opt_out: 'Paciente descadastrado', skipped_no_consent: 'Sem consentimento', skipped_bounced: 'E-mail inválido',
  skipped_no_contact: 'Sem contato', skipped_disabled: 'Desativado',
  signalled: 'Entregue à jornada', opt_out: 'Descadastro', unrouted: 'Sem agendamento aberto', journey_not_running: 'Jornada não iniciada', signal_failed: 'Falha ao entregar',
};

export const percent = (v: number | null | undefined) => (v == null ? '—' : `${(v * 100).toLocaleString('pt-BR', { maximumFractionDigits: 1 })}%`);
