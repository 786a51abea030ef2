// The at-risk list as CSV (the Campanhas page's filters), relayed from the API as the signed-in member.
import { requireSession } from '$lib/server/auth';
import { relayDownload } from '$lib/server/relay';
import { atRiskQuery, readRiskFilters } from '$lib/campaigns';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const query = new URLSearchParams({ format: 'csv', ...atRiskQuery(readRiskFilters(url.searchParams)) });
  return relayDownload(session.token, `/api/reactivation/at-risk?${query}`, { type: 'text/csv; charset=utf-8', fileName: 'pacientes-em-risco.csv' });
};
