// The payment's PDF receipt, relayed from the API as the signed-in member.
import { error } from '@sveltejs/kit';
import { apiFetch, failureOf } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { isUuid } from '$lib/url';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url, params }) => {
  const session = requireSession(locals, url);
  if (!isUuid(params.id)) error(404, { message: 'Pagamento não encontrado.', code: 'not_found' });
  const res = await apiFetch(session.token, `/api/payments/${params.id}/receipt.pdf`);
  if (!res.ok) {
    const f = await failureOf(res);
    error(f.status >= 400 && f.status < 600 ? f.status : 502, { message: f.error.message, code: f.error.code });
  }
  return new Response(res.body, { headers: { 'content-type': 'application/pdf', 'content-disposition': res.headers.get('content-disposition') ?? 'inline' } });
};
