// One conversation as JSON for the page's live refresh of the open thread.
import { json } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import type { RequestHandler } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const GET: RequestHandler = async ({ locals, params }) => {
  if (!locals.session) return json({ error: { code: 'unauthenticated', message: 'Faça login para continuar.' } }, { status: 401 });
  if (!UUID.test(params.id)) return json({ error: { code: 'not_found', message: 'Conversa não encontrada.' } }, { status: 404 });
  const res = await call(locals.session.token, 'conversation', (c) => c.api.conversations[':id'].$get({ param: { id: params.id } }));
  if (!res.ok) return json({ error: res.error }, { status: res.status });
  return json(res.data, { headers: { 'cache-control': 'private, no-store' } });
};
