// Guards for server code of the (app) group: who is signed in, and may they do this.
import { error, redirect } from '@sveltejs/kit';
import type { Role, Session } from '$lib/types';

export function loginUrl(from: URL, expired: boolean): string {
  const params = new URLSearchParams();
  const next = from.pathname + from.search;
  if (next !== '/') params.set('next', next);
  if (expired) params.set('sessao', 'expirada');
  const query = params.toString();
  return query ? `/login?${query}` : '/login';
}

/** The signed-in session, or the login redirect / "API unavailable" error page. */
export function requireSession(locals: App.Locals, url: URL): Session {
  if (locals.session) return locals.session;
  if (locals.sessionError) error(503, { message: locals.sessionError.message, code: locals.sessionError.code });
  redirect(303, loginUrl(url, false));
}

export function requireRole(session: Session, ...roles: Role[]): void {
  if (!roles.includes(session.role)) {
    error(403, { message: 'Esta área é restrita a administradores da clínica.', code: 'forbidden' });
  }
}
