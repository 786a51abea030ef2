// Labels and form helpers of the patient pages (pt-BR).

export const CLASSIFICATIONS = ['ouro', 'prata', 'bronze', 'novo'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];
export const CLASSIFICATION_LABELS: Record<Classification, string> = { ouro: 'Ouro', prata: 'Prata', bronze: 'Bronze', novo: 'Novo' };

export const PATIENT_STATUSES = ['ativo', 'inativo', 'bloqueado'] as const;
export type PatientStatus = (typeof PATIENT_STATUSES)[number];
export const PATIENT_STATUS_LABELS: Record<PatientStatus, string> = { ativo: 'Ativo', inativo: 'Inativo', bloqueado: 'Bloqueado' };

export const PHONE_KINDS = ['celular', 'comercial', 'residencial'] as const;
export type PhoneKind = (typeof PHONE_KINDS)[number];
export const PHONE_KIND_LABELS: Record<PhoneKind, string> = { celular: 'Celular', comercial: 'Comercial', residencial: 'Residencial' };

export const ADDRESS_KINDS = ['residencial', 'comercial'] as const;
export type AddressKind = (typeof ADDRESS_KINDS)[number];
export const ADDRESS_KIND_LABELS: Record<AddressKind, string> = { residencial: 'Residencial', comercial: 'Comercial' };

export const GENDERS = ['F', 'M', 'Outro'] as const;
export type Gender = (typeof GENDERS)[number];
export const GENDER_LABELS: Record<Gender, string> = { F: 'Feminino', M: 'Masculino', Outro: 'Outro' };

export const UFS = [
  'AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG', 'PA',
  'PB', 'PR', 'PE', 'PI', 'RJ', 'RN', 'RS', 'RO', 'RR', 'SC', 'SP', 'SE', 'TO',
] as const;

export const TIMELINE_LABELS: Record<string, string> = {
  appointment: 'Agendamento',
  payment: 'Pagamento',
  nps: 'Pesquisa NPS',
  conversation: 'Conversa',
};

export const PAYMENT_STATUS_LABELS: Record<string, string> = {
  pendente: 'pendente',
  processando: 'processando',
  aprovado: 'aprovado',
  recusado: 'recusado',
  reembolsado: 'reembolsado',
};

export const PAYMENT_METHOD_LABELS: Record<string, string> = {
  pix: 'Pix',
  cartao: 'cartão',
  dinheiro: 'dinheiro',
  boleto: 'boleto',
};

export const CONVERSATION_STATUS_LABELS: Record<string, string> = {
  aberta: 'aberta',
  convertida: 'virou agendamento',
  abandonada: 'abandonada',
  spam: 'spam',
};

/** '01310100' → '01310-100'. */
export function formatCep(cep: string | null | undefined): string {
  if (!cep) return '';
  return /^\d{8}$/.test(cep) ? `${cep.slice(0, 5)}-${cep.slice(5)}` : cep;
}

/** NPS score → promotor (9–10), neutro (7–8), detrator (0–6). */
export function npsClass(score: number | null): 'promotor' | 'neutro' | 'detrator' | null {
  if (score === null) return null;
  return score >= 9 ? 'promotor' : score >= 7 ? 'neutro' : 'detrator';
}
