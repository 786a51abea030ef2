// A list's export (Excel or CSV), relayed from the API as the signed-in member and streamed as it comes:
// /exportar/pacientes?format=xlsx&from=…&to=…&status=…
import { error } from '@sveltejs/kit';
import { apiFetch, failureOf } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import type { RequestHandler } from './$types';

const PASSED = ['format', 'from', 'to', 'status'];

export const GET: RequestHandler = async ({ locals, url, params }) => {
  const session = requireSession(locals, url);
  const query = new URLSearchParams();
  for (const k of PASSED) {
    const v = url.searchParams.get(k);
    if (v) query.set(k, v);
  }
  const res = await apiFetch(session.token, `/api/exports/${encodeURIComponent(params.lista)}?${query}`);
  if (!res.ok) {
    const failure = await failureOf(res);
    error(failure.status >= 400 && failure.status < 600 ? failure.status : 502, { message: failure.error.message, code: failure.error.code });
  }
  return new Response(res.body, {
    headers: {
      'content-type': res.headers.get('content-type') ?? 'application/octet-stream',
      'content-disposition': res.headers.get('content-disposition') ?? `attachment; filename="${params.lista}.${query.get('format') ?? 'xlsx'}"`,
      'cache-control': 'no-store',
    },
  });
};
