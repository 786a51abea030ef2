// The at-risk list as CSV (the Campanhas page's filters), relayed from the API as the signed-in member.
import { error } from '@sveltejs/kit';
import { apiFetch, failureOf } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { atRiskQuery, readRiskFilters } from '$lib/campaigns';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const f = readRiskFilters(url.searchParams);
  const query = new URLSearchParams({ format: 'csv', ...atRiskQuery(f) });
  const res = await apiFetch(session.token, `/api/reactivation/at-risk?${query}`);
  if (!res.ok) {
    const failure = await failureOf(res);
    error(failure.status >= 400 && failure.status < 600 ? failure.status : 502, { message: failure.error.message, code: failure.error.code });
  }
  return new Response(res.body, {
    headers: {
      'content-type': res.headers.get('content-type') ?? 'text/csv; charset=utf-8',
      'content-disposition': res.headers.get('content-disposition') ?? 'attachment; filename="pacientes-em-risco.csv"',
      'cache-control': 'no-store',
    },
  });
};
