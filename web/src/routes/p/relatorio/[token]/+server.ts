// The monthly report's PDF from the e-mailed signed link (no session), relayed from the API.
import { error } from '@sveltejs/kit';
import { apiBaseUrl } from '$lib/server/api';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, fetch }) => {
  const res = await fetch(`${apiBaseUrl()}/api/public/reports/monthly/${encodeURIComponent(params.token)}`);
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string; code?: string } } | null;
    error(res.status === 410 || res.status === 403 ? res.status : 502, { message: body?.error?.message ?? 'Não foi possível abrir o relatório.', code: body?.error?.code ?? 'unavailable' });
  }
  return new Response(res.body, {
    headers: { 'content-type': 'application/pdf', 'content-disposition': res.headers.get('content-disposition') ?? 'inline; filename="relatorio-mensal.pdf"', 'cache-control': 'private, no-store' },
  });
};
