// One error shape for every answer of the application layer and the API: { error: { code, message (pt-BR), fields? } }.
// Services throw ApiError with the HTTP status it maps to; the API's one error handler (api/app.ts) answers it.
import type { ZodError } from 'zod';

export type ErrorCode =
  | 'validation_failed' | 'malformed_json' | 'payload_too_large' | 'unsupported_media_type'
  | 'invalid_credentials' | 'too_many_attempts' | 'unauthenticated' | 'session_expired'
  | 'forbidden' | 'not_found' | 'conflict' | 'internal_error' | 'unavailable'
  // agenda
  | 'slot_taken' | 'invalid_transition' | 'outside_working_hours' | 'clinic_closed' | 'time_blocked' | 'calendar_busy'
  | 'min_notice' | 'beyond_horizon' | 'professional_unavailable' | 'procedure_not_performed' | 'patient_blocked' | 'not_editable'
  // inbox (Anna's conversations)
  | 'taken_over' | 'not_taken_over' | 'conversation_closed'
  // the patient's signed pages after the visit
  | 'link_invalid' | 'link_expired' | 'already_answered' | 'offer_closed'
  // coupons in Pagamentos (domain/coupons.ts)
  | 'coupon_not_found' | 'coupon_used' | 'coupon_expired' | 'coupon_revoked' | 'coupon_other_patient' | 'coupon_below_minimum' | 'coupon_covers_charge'
  // loyalty rewards (domain/loyalty.ts)
  | 'reward_inactive' | 'insufficient_points' | 'reward_max_uses'
  // before/after photos
  | 'heic_unsupported' | 'image_unreadable';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields?: Record<string, string[]> };
}

export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 503,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string[]>,
  ) {
    super(message);
  }
  body(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
  }
}

export function validationError(err: ZodError): ApiError {
  // No prototype: a body key such as "__proto__" or "constructor" is a field like any other.
  const fields: Record<string, string[]> = Object.create(null);
  for (const issue of err.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) (fields[key] ??= []).push('Campo não permitido.');
      continue;
    }
    const key = issue.path.length ? issue.path.join('.') : '_';
    (fields[key] ??= []).push(issue.message);
  }
  return new ApiError(400, 'validation_failed', 'Dados inválidos: verifique os campos destacados.', fields);
}

export const errors = {
  unauthenticated: () => new ApiError(401, 'unauthenticated', 'Faça login para continuar.'),
  sessionExpired: () => new ApiError(401, 'session_expired', 'Sua sessão expirou. Faça login novamente.'),
  forbidden: () => new ApiError(403, 'forbidden', 'Seu perfil não tem permissão para esta ação.'),
  notFound: (what = 'Recurso') => new ApiError(404, 'not_found', `${what} não encontrado.`),
};
