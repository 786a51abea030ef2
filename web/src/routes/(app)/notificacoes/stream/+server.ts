// The API's live notification stream (server-sent events), passed through to the browser, which only talks to the web.
import { json } from '@sveltejs/kit';
import { apiFetch, failureOf } from '$lib/server/api';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url, request }) => {
  if (!locals.session) return json({ error: { code: 'unauthenticated', message: 'Faça login para continuar.' } }, { status: 401 });
  const after = url.searchParams.get('after') ?? request.headers.get('last-event-id');
  let res: Response;
  try {
    res = await apiFetch(locals.session.token, `/api/notifications/stream${after ? `?after=${encodeURIComponent(after)}` : ''}`, {
      signal: request.signal,
      headers: { accept: 'text/event-stream' },
    });
  } catch {
    return json({ error: { code: 'api_unavailable', message: 'Não foi possível conectar ao servidor da Tigre.' } }, { status: 503 });
  }
  if (!res.ok || !res.body) {
    const f = await failureOf(res);
    return json({ error: f.error }, { status: f.status });
  }
  return new Response(res.body, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' },
  });
};
