// The clinic's live changes (server-sent events) relayed from the API as the signed-in member: the
// dashboard and the agenda listen here (lib/live.ts) and reload their data when something changes.
import { error } from '@sveltejs/kit';
import { apiFetch } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url, request }) => {
  const session = requireSession(locals, url);
  const res = await apiFetch(session.token, '/api/events', { signal: request.signal });
  if (!res.ok || !res.body) error(res.status === 401 ? 401 : 502, { message: 'Atualização ao vivo indisponível.', code: 'unavailable' });
  return new Response(res.body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' } });
};
