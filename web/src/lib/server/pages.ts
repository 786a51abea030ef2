// How pages turn API answers into SvelteKit answers: data or the error page for loads, fail(…) with the
// API's pt-BR message and field errors for form actions. A 401 always goes back to the login page.
import { error, fail, redirect } from '@sveltejs/kit';
import type { ApiFailure, ApiResult } from '$lib/server/api';
import { loginUrl } from '$lib/server/auth';
import type { Role, Session } from '$lib/types';

export type FieldErrors = Record<string, string[]>;

/** A load's data, or the error page (401 → login). */
export function must<T>(result: ApiResult<T>, url: URL): T {
  if (result.ok) return result.data;
  if (result.status === 401) redirect(303, loginUrl(url, result.error.code === 'session_expired'));
  error(result.status >= 400 && result.status < 600 ? result.status : 502, { message: result.error.message, code: result.error.code });
}

/** A load's data, or null with the message to show in the page (401 → login). */
export function soft<T>(result: ApiResult<T>, url: URL): { data: T | null; message: string | null } {
  if (result.ok) return { data: result.data, message: null };
  if (result.status === 401) redirect(303, loginUrl(url, result.error.code === 'session_expired'));
  return { data: null, message: result.error.message };
}

/** A failed action: the API's message and field errors, plus what the page needs to refill the form. */
export function failWith<E extends Record<string, unknown>>(result: ApiFailure, url: URL, extra: E) {
  if (result.status === 401) redirect(303, loginUrl(url, result.error.code === 'session_expired'));
  const status = result.status >= 400 && result.status < 600 ? result.status : 502;
  return fail(status, { ...extra, message: result.error.message, code: result.error.code, fields: (result.error.fields ?? {}) as FieldErrors });
}

/** Refuses writes from read-only members before asking the API (which would refuse them too). */
export function denyReadOnly<E extends Record<string, unknown>>(session: Session, extra: E) {
  if (session.role !== ('view' satisfies Role)) return null;
  return fail(403, {
    ...extra,
    message: 'Seu perfil é somente leitura: peça a alguém da equipe para fazer esta alteração.',
    code: 'forbidden',
    fields: {} as FieldErrors,
  });
}

/** One string field of a submitted form, trimmed. */
export function text(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
}

/** '1.234,56', '1234.56', 'R$ 80' → centavos; null when it is not an amount. */
export function parseMoney(value: string): number | null {
  const s = value.replace(/R\$|\s/g, '');
  if (!s) return null;
  const normalized = s.includes(',') ? s.replace(/\./g, '').replace(',', '.') : s;
  if (!/^\d+(\.\d{1,2})?$/.test(normalized)) return null;
  return Math.round(Number(normalized) * 100);
}

/** Field errors keyed by the API's dotted path ('phones.0.number') also reachable by their first segment. */
export function fieldsOf(result: ApiFailure): FieldErrors {
  return (result.error.fields ?? {}) as FieldErrors;
}

/** After a successful action: back to the page (GET, so a reload does not post again) with a notice code. */
export function backWithNotice(url: URL, notice: string, path: string = url.pathname): string {
  return `${path}?aviso=${encodeURIComponent(notice)}`;
}

/** A locally checked form error in the same shape the API's errors take. */
export function invalid(message: string, fields: FieldErrors = {}): ApiFailure {
  return { ok: false, status: 400, error: { code: 'validation_failed', message, fields } };
}

/** '15,5' or '15.5%' → 15.5; null when it is not a number. */
export function parsePercent(value: string): number | null {
  const s = value.replace('%', '').trim().replace(',', '.');
  if (!s || !/^\d+(\.\d+)?$/.test(s)) return null;
  return Number(s);
}
