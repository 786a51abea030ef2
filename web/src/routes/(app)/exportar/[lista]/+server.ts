// A list's export (Excel or CSV), relayed from the API as the signed-in member and streamed as it comes:
// /exportar/pacientes?format=xlsx&from=…&to=…&status=…
import { requireSession } from '$lib/server/auth';
import { relayDownload } from '$lib/server/relay';
import type { RequestHandler } from './$types';

const PASSED = ['format', 'from', 'to', 'status'];

export const GET: RequestHandler = async ({ locals, url, params }) => {
  const session = requireSession(locals, url);
  const query = new URLSearchParams();
  for (const k of PASSED) {
    const v = url.searchParams.get(k);
    if (v) query.set(k, v);
  }
  return relayDownload(session.token, `/api/exports/${encodeURIComponent(params.lista)}?${query}`, {
    type: 'application/octet-stream', fileName: `${params.lista}.${query.get('format') ?? 'xlsx'}`,
  });
};
