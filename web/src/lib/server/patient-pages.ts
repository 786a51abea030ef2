// What the patient's signed pages after the visit (/p/nps, /p/feedback, /p/avaliar, /p/agendar) make of
// an API failure: the API's pt-BR message and code, a bad token always as "link inválido", and the
// patient-facing wording when the API cannot be reached.
import type { ApiFailure } from './api';

export interface LinkFailure {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string[]>;
}

const INVALID = 'Este link é inválido. Confira se ele foi copiado por inteiro ou fale com a clínica.';

export function linkFailure(f: ApiFailure): LinkFailure {
  if (f.error.code === 'api_unavailable' || f.status >= 500) {
    return { status: 503, code: 'api_unavailable', message: 'Não foi possível conectar à clínica agora. Tente novamente em instantes.' };
  }
  // The token's own checks (length) come back as a validation error on `token`.
  if (f.error.code === 'validation_failed' && f.error.fields?.token) return { status: 400, code: 'link_invalid', message: INVALID };
  if (f.status === 404) return { status: 404, code: 'link_invalid', message: INVALID };
  return { status: f.status, code: f.error.code, message: f.error.message, ...(f.error.fields ? { fields: f.error.fields } : {}) };
}

/** The status a failed form action answers with: the API's 4xx, 502 when the API failed. */
export function actionStatus(f: LinkFailure): number {
  return f.status >= 500 ? 502 : f.status;
}
