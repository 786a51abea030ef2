// Relatórios: one tab at a time (?aba=): the monthly report (?mes=AAAA-MM, default the month in
// progress), the procedures and the professionals (?dias=30|90|365), and the forecasts (?indicador=faturamento|agendamentos&dias=30|90).
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { soft } from '$lib/server/pages';
import { FORECAST_METRICS, readReportFilters } from '$lib/reports';
import { addDays, todayIn } from '$lib/period';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const f = readReportFilters(url.searchParams);
  const base = { filters: f, timeZone: session.clinic.timezone, monthly: null, forecast: null, procedures: null, professionals: null, loadError: null as string | null };
  const to = todayIn(session.clinic.timezone);
  const period = { from: addDays(to, -(f.days - 1)), to };
  if (f.tab === 'procedimentos') {
    const r = soft(await call(session.token, 'procedures report', (c) => c.api.reports.procedures.$get({ query: period })), url);
    return { ...base, procedures: r.data, loadError: r.message };
  }
  if (f.tab === 'profissionais') {
    const r = soft(await call(session.token, 'professionals report', (c) => c.api.reports.professionals.$get({ query: period })), url);
    return { ...base, professionals: r.data, loadError: r.message };
  }
  if (f.tab === 'previsoes') {
    const metric = FORECAST_METRICS.find((m) => m.key === f.metric)!.api;
    const r = soft(await call(session.token, 'forecast', (c) => c.api.reports.forecast.$get({ query: { metric, horizon: String(f.horizon) as '30' | '90' } })), url);
    return { ...base, forecast: r.data, loadError: r.message };
  }
  const r = soft(await call(session.token, 'monthly report', (c) => c.api.reports.monthly.$get({ query: f.month ? { month: f.month } : {} })), url);
  const monthly = r.data && typeof r.data === 'object' && 'current' in r.data ? r.data : null;
  return { ...base, monthly, loadError: r.message };
}) satisfies PageServerLoad;
