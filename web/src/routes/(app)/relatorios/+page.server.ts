// Relatórios: one tab at a time (?aba=): the monthly report (?mes=AAAA-MM, default the month in
// progress), the procedures and the professionals (?dias=30|90|365), and the forecasts (?indicador=faturamento|agendamentos&dias=30|90).
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { soft } from '$lib/server/pages';
import { FORECAST_METRICS, readReportFilters } from '$lib/reports';
import { addDays, todayIn } from '$lib/period';
import { fail } from '@sveltejs/kit';
import { failWith, text, type FieldErrors } from '$lib/server/pages';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const f = readReportFilters(url.searchParams);
  const base = {
    filters: f, timeZone: session.clinic.timezone, monthly: null, forecast: null, procedures: null, professionals: null, cohorts: null, lifetime: null, funnel: null,
    loadError: null as string | null,
  };
  const to = todayIn(session.clinic.timezone);
  const period = { from: addDays(to, -(f.days - 1)), to };
  if (f.tab === 'procedimentos') {
    const r = soft(await call(session.token, 'procedures report', (c) => c.api.reports.procedures.$get({ query: period })), url);
    return { ...base, procedures: r.data, loadError: r.message };
  }
  if (f.tab === 'coortes') {
    const [c, l] = await Promise.all([
      call(session.token, 'cohorts report', (x) => x.api.reports.cohorts.$get({ query: {} })),
      call(session.token, 'lifetime report', (x) => x.api.reports.lifetime.$get({ query: { segment: 'channel' } })),
    ]);
    const rc = soft(c, url);
    const rl = soft(l, url);
    return { ...base, cohorts: rc.data, lifetime: rl.data, loadError: rc.message ?? rl.message };
  }
  if (f.tab === 'funil') {
    const r = soft(await call(session.token, 'funnel report', (x) => x.api.reports.funnel.$get({ query: period })), url);
    return { ...base, funnel: r.data, loadError: r.message };
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
  const [r, mail] = await Promise.all([
    call(session.token, 'monthly report', (c) => c.api.reports.monthly.$get({ query: f.month ? { month: f.month } : {} })),
    session.role === 'admin' ? call(session.token, 'report settings', (c) => c.api.admin['report-settings'].$get()) : null,
  ]);
  const rr = soft(r, url);
  const monthly = rr.data && typeof rr.data === 'object' && 'current' in rr.data ? rr.data : null;
  return { ...base, monthly, loadError: rr.message, reportEmail: mail?.ok ? mail.data.monthlyEmail : null };
}) satisfies PageServerLoad;

export const actions = {
  /** Administração of the monthly e-mail (admins only; the API refuses anyone else too). */
  envio: async ({ locals, url, request }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const values = { enabled: form.get('enabled') === 'on', recipients: text(form, 'recipients') };
    if (session.role !== 'admin') return fail(403, { ...values, message: 'Só administradores configuram o envio automático.', code: 'forbidden', fields: {} as FieldErrors });
    const recipients = values.recipients.split(/[\s,;]+/).map((r) => r.trim()).filter(Boolean);
    const res = await call(session.token, 'report settings', (c) => c.api.admin['report-settings'].$put({ json: { monthlyEmail: { enabled: values.enabled, recipients } } }));
    if (!res.ok) return failWith(res, url, values);
    return { ...values, saved: true, message: values.enabled ? 'Envio automático ligado: o relatório chega no dia 1º, a partir das 8h.' : 'Envio automático desligado.' };
  },
} satisfies Actions;
