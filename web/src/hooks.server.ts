// One GET /api/me per request turns the session cookie into event.locals.session.
// Pages of the (app) group require it; a 401 clears the cookie and sends the person to /login.
import { redirect, type Handle } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { SESSION_COOKIE, clearSessionCookie } from '$lib/server/session';
import { loginUrl } from '$lib/server/auth';
import { building, dev } from '$app/environment';
import { env } from '$env/dynamic/private';

if (!building && !dev && !env.ORIGIN) {
  // adapter-node then assumes https: over plain http, every form post (the login!) is refused as cross-site.
  console.warn('[web] ORIGIN is not set: set it to the public URL (e.g. ORIGIN=http://127.0.0.1:3000) or form posts will fail over http.');
}

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.session = null;
  event.locals.sessionError = null;

  const requiresSession = event.route.id?.startsWith('/(app)') ?? false;
  const token = event.cookies.get(SESSION_COOKIE);

  if (token) {
    const me = await api.me(token);
    if (me.ok) {
      event.locals.session = { token, ...me.data };
    } else if (me.status === 401) {
      clearSessionCookie(event.cookies, event.url);
      if (requiresSession) redirect(303, loginUrl(event.url, me.error.code === 'session_expired'));
    } else {
      // The API is down or failing: keep the cookie, let the (app) layout show the error page.
      event.locals.sessionError = me.error;
    }
  } else if (requiresSession) {
    redirect(303, loginUrl(event.url, false));
  }

  const response = await resolve(event);
  response.headers.set('x-frame-options', 'DENY');
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'same-origin');
  return response;
};
