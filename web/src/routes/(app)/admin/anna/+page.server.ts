import { redirect } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { backWithNotice, failWith, invalid, must, text } from '$lib/server/pages';
import type { Actions, PageServerLoad } from './$types';

const NUMBERS = ['qualificationThreshold', 'followUpDelayHours', 'nudgeAfterHours', 'abandonAfterHours', 'paymentDeadlineMinutes', 'ratePerMinute'] as const;

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const r = await call(session.token, 'anna settings', (c) => c.api.admin['anna-settings'].$get());
  return { anna: must(r, url), notice: url.searchParams.get('aviso') };
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const values: Record<string, string> = Object.fromEntries([...NUMBERS, 'model', 'budgetUsd'].map((k) => [k, text(form, k)]));
    values.enabled = form.get('enabled') ? 'on' : '';
    const fields: Record<string, string[]> = {};
    const json: Record<string, unknown> = { enabled: values.enabled === 'on' };
    for (const k of NUMBERS) {
      if (values[k] === '') continue; // empty = the default
      const n = Number(values[k]);
      if (!Number.isInteger(n)) fields[k] = ['Informe um número inteiro.'];
      else json[k] = n;
    }
    if (values.model) json.model = values.model;
    if (values.budgetUsd !== '') {
      const usd = Number(values.budgetUsd.replace(',', '.'));
      if (!Number.isFinite(usd) || usd < 0) fields.budgetUsd = ['Informe o orçamento em dólares, ex.: 20 ou 12,50.'];
      else json.monthlyBudgetMicroUsd = Math.round(usd * 1_000_000);
    }
    if (Object.keys(fields).length) return failWith(invalid('Confira os campos destacados.', fields), url, { values });
    const r = await call(session.token, 'update anna settings', (c) => c.api.admin['anna-settings'].$put({ json: json as never }));
    if (!r.ok) return failWith(r, url, { values });
    redirect(303, backWithNotice(url, 'salvo'));
  },
} satisfies Actions;
