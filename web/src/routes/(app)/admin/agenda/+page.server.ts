import { redirect } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { backWithNotice, failWith, invalid, must, text } from '$lib/server/pages';
import type { Actions, PageServerLoad } from './$types';

const KEYS = ['slotIntervalMinutes', 'bufferBeforeMinutes', 'bufferAfterMinutes', 'minNoticeMinutes', 'horizonDays'] as const;

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const r = await call(session.token, 'clinic settings', (c) => c.api.clinic.settings.$get());
  return { settings: must(r, url), notice: url.searchParams.get('aviso') };
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const values = Object.fromEntries([['timezone', text(form, 'timezone')], ...KEYS.map((k) => [k, text(form, k)])]) as Record<string, string>;
    const fields: Record<string, string[]> = {};
    const slotSettings: Partial<Record<(typeof KEYS)[number], number>> = {};
    for (const k of KEYS) {
      const n = Number(values[k]);
      if (values[k] === '' || !Number.isInteger(n)) fields[`slotSettings.${k}`] = ['Informe um número inteiro.'];
      else slotSettings[k] = n;
    }
    if (Object.keys(fields).length) return failWith(invalid('Confira os campos destacados.', fields), url, { values });
    const r = await call(session.token, 'update settings', (c) =>
      c.api.admin.clinic.settings.$patch({ json: { timezone: values.timezone, slotSettings } }),
    );
    if (!r.ok) return failWith(r, url, { values });
    redirect(303, backWithNotice(url, 'salvo'));
  },
} satisfies Actions;
