// The monthly report as PDF or Excel (/relatorios/exportar?mes=2026-11&formato=pdf), relayed from the API.
import { error } from '@sveltejs/kit';
import { requireSession } from '$lib/server/auth';
import { relayDownload } from '$lib/server/relay';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const format = url.searchParams.get('formato') === 'xlsx' ? 'xlsx' : url.searchParams.get('formato') === 'pdf' ? 'pdf' : null;
  if (!format) error(400, { message: 'Formato: pdf ou xlsx.', code: 'validation_failed' });
  const query = new URLSearchParams({ format });
  const month = url.searchParams.get('mes');
  if (month) query.set('month', month);
  return relayDownload(session.token, `/api/reports/monthly?${query}`, {
    type: format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName: `relatorio-mensal.${format}`,
  });
};
