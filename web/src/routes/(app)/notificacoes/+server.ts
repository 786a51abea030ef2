// The clinic's recent notifications as JSON for the header bell (the API token stays in the cookie).
import { json } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url }) => {
  if (!locals.session) return json({ error: { code: 'unauthenticated', message: 'Faça login para continuar.' } }, { status: 401 });
  const after = url.searchParams.get('after');
  const res = await call(locals.session.token, 'notifications', (c) => c.api.notifications.$get({ query: { ...(after ? { after } : {}), limit: '20' } }));
  if (!res.ok) return json({ error: res.error }, { status: res.status });
  return json(res.data, { headers: { 'cache-control': 'private, no-store' } });
};
