// The inbox list as JSON for the page's 3-second live poll (the API token stays in the cookie).
import { json } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { listQuery, parseFilter } from '$lib/components/inbox/inbox';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url }) => {
  if (!locals.session) return json({ error: { code: 'unauthenticated', message: 'Faça login para continuar.' } }, { status: 401 });
  const filter = parseFilter(url.searchParams.get('filtro'));
  const busca = (url.searchParams.get('busca') ?? '').trim().slice(0, 100);
  const res = await call(locals.session.token, 'conversations feed', (c) => c.api.conversations.$get({ query: listQuery(filter, busca) }));
  if (!res.ok) return json({ error: res.error }, { status: res.status });
  return json(res.data, { headers: { 'cache-control': 'private, no-store' } });
};
