// Administração → Fidelidade e reativação: the points programme, the rewards catalog and the rules of
// the daily reactivation sweep (API /api/admin/loyalty).
import { fail, redirect } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { backWithNotice, failWith, invalid, must, parseMoney, text } from '$lib/server/pages';
import { isUuid } from '$lib/url';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const r = await call(session.token, 'loyalty admin', (c) => c.api.admin.loyalty.$get());
  return { admin: must(r, url), notice: url.searchParams.get('aviso') };
}) satisfies PageServerLoad;

const num = (form: FormData, name: string) => {
  const v = text(form, name).replace(',', '.');
  return v === '' ? Number.NaN : Number(v);
};
const values = (form: FormData) => Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')) as Record<string, string>;

export const actions = {
  pontos: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const json = {
      pointsPerReal: num(form, 'pointsPerReal'), expiryMonths: num(form, 'expiryMonths'),
      tiers: { prata: num(form, 'prata'), ouro: num(form, 'ouro'), platina: num(form, 'platina') },
    };
    const r = await call(session.token, 'loyalty settings', (c) => c.api.admin.loyalty.loyalty.$put({ json }));
    if (!r.ok) return failWith(r, url, { section: 'pontos', values: values(form) });
    redirect(303, backWithNotice(url, 'pontos'));
  },
  reativacao: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const share = num(form, 'holdoutPercent');
    const json = {
      afterDays: num(form, 'afterDays'), minRisk: num(form, 'minRisk'), cooldownDays: num(form, 'cooldownDays'), dailyLimit: num(form, 'dailyLimit'),
      holdoutShare: Number.isNaN(share) ? share : share / 100, followUpDays: num(form, 'followUpDays'), windowDays: num(form, 'windowDays'),
      discountPercent: num(form, 'discountPercent'), couponValidityDays: num(form, 'couponValidityDays'),
    };
    const r = await call(session.token, 'reactivation settings', (c) => c.api.admin.loyalty.reactivation.$put({ json }));
    if (!r.ok) {
      // The API names the holdout holdoutShare; the form asks for a percentage.
      const fields = { ...(r.error.fields ?? {}) } as Record<string, string[]>;
      if (fields.holdoutShare) fields.holdoutPercent = fields.holdoutShare;
      return failWith({ ...r, error: { ...r.error, fields } }, url, { section: 'reativacao', values: values(form) });
    }
    redirect(303, backWithNotice(url, 'reativacao'));
  },
  recompensa: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const kind = text(form, 'kind');
    const amount = text(form, 'amount');
    const cents = kind === 'cents' ? parseMoney(amount) : null;
    if (kind === 'cents' && cents === null) return failWith(invalid('Confira os campos destacados.', { amount: ['Informe o valor em reais, ex.: 50,00.'] }), url, { section: 'recompensa', values: values(form) });
    const opt = (name: string) => (text(form, name) === '' ? null : num(form, name));
    const json = {
      name: text(form, 'name'), description: text(form, 'description') || null, pointsRequired: num(form, 'pointsRequired'),
      discountCents: kind === 'cents' ? cents : null, discountPercent: kind === 'cents' ? null : num(form, 'amount'),
      validityDays: opt('validityDays'), maxUses: opt('maxUses'),
    };
    const r = await call(session.token, 'create reward', (c) => c.api.admin.loyalty.rewards.$post({ json }));
    if (!r.ok) {
      const fields = { ...(r.error.fields ?? {}) } as Record<string, string[]>;
      if (fields.discountCents || fields.discountPercent) fields.amount = [...(fields.discountCents ?? []), ...(fields.discountPercent ?? [])];
      return failWith({ ...r, error: { ...r.error, fields } }, url, { section: 'recompensa', values: values(form) });
    }
    redirect(303, backWithNotice(url, 'recompensa'));
  },
  ativar: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const id = text(form, 'id');
    if (!isUuid(id)) return fail(400, { section: 'lista', message: 'Recompensa não encontrada.' });
    const r = await call(session.token, 'toggle reward', (c) => c.api.admin.loyalty.rewards[':id'].active.$patch({ param: { id }, json: { active: text(form, 'active') === 'true' } }));
    if (!r.ok) return failWith(r, url, { section: 'lista' });
    redirect(303, backWithNotice(url, 'lista'));
  },
} satisfies Actions;
