// The web's own session cookie: it carries the API token, never readable by page scripts.
import type { Cookies } from '@sveltejs/kit';

export const SESSION_COOKIE = 'tigre_session';

export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: string) {
  const seconds = Math.floor((Date.parse(expiresAt) - Date.now()) / 1000);
  cookies.set(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: url.protocol === 'https:',
    // A missing or unparsable expiry still gets a bounded cookie: the API's own 24h default.
    maxAge: Number.isFinite(seconds) && seconds > 0 ? seconds : 60 * 60 * 24,
  });
}

export function clearSessionCookie(cookies: Cookies, url: URL) {
  cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' });
}

/** Only same-site paths are accepted as a post-login destination (no open redirects). */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/login')) return '/';
  return next;
}
