// Campanhas: one tab at a time (?aba=): the patients at risk (filters in the query string, 50 a page),
// the reactivation campaigns with their measured lift, the churn model's versions, and the loyalty programme.
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { soft } from '$lib/server/pages';
import { RISK_PAGE_SIZE, atRiskQuery, loyaltyPeriodOf, readRiskFilters } from '$lib/campaigns';
import { addDays, todayIn } from '$lib/period';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const token = session.token;
  const f = readRiskFilters(url.searchParams);
  const base = {
    filters: f, timeZone: session.clinic.timezone, atRisk: null, campaigns: null, models: null, loyalty: null, loyaltyDays: 365, loadError: null as string | null,
  };

  if (f.tab === 'campanhas') {
    const r = soft(await call(token, 'reactivation campaigns', (c) => c.api.reactivation.campaigns.$get({ query: {} })), url);
    return { ...base, campaigns: r.data, loadError: r.message };
  }
  if (f.tab === 'modelo') {
    const r = soft(await call(token, 'churn models', (c) => c.api.reactivation.models.$get()), url);
    return { ...base, models: r.data?.models ?? null, loadError: r.message };
  }
  if (f.tab === 'fidelidade') {
    const days = loyaltyPeriodOf(url.searchParams.get('periodo'));
    const to = todayIn(session.clinic.timezone);
    const r = soft(await call(token, 'loyalty overview', (c) => c.api.loyalty.overview.$get({ query: { from: addDays(to, -(days - 1)), to } })), url);
    return { ...base, loyalty: r.data, loyaltyDays: days, loadError: r.message };
  }
  const query = { ...atRiskQuery(f), limit: String(RISK_PAGE_SIZE), offset: String((f.page - 1) * RISK_PAGE_SIZE) };
  const r = soft(await call(token, 'patients at risk', (c) => c.api.reactivation['at-risk'].$get({ query })), url);
  // The route also answers CSV (format=csv): here it is always the JSON list.
  const atRisk = r.data && typeof r.data === 'object' && 'patients' in r.data ? r.data : null;
  return { ...base, atRisk, loadError: r.message };
}) satisfies PageServerLoad;
