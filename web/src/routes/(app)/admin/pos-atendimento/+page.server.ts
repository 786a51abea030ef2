// Administração → Pós-atendimento: when the NPS survey goes and how long it waits, its legal basis, the
// detractors' coupon, the upsell's discount, window and contraindications, and the clinic's own texts.
// The API replaces the whole set on PUT, so each action starts from the saved settings and changes its part.
import { fail, redirect } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { backWithNotice, failWith, invalid, must, parseMoney, text } from '$lib/server/pages';
import type { Actions, PageServerLoad } from './$types';

type Api = Parameters<Parameters<typeof call>[2]>[0];
type Saved = Awaited<ReturnType<Awaited<ReturnType<Api['api']['admin']['after-visit-settings']['$get']>>['json']>>;
type Settings = Saved extends { settings: infer S } ? S : never;
type Rule = NonNullable<Settings['upsellContraindications']>[number];
type TextKind = 'question' | 'reminder' | 'thanks' | 'apology' | 'feedback' | 'review';
const TEXT_KINDS: readonly TextKind[] = ['question', 'reminder', 'thanks', 'apology', 'feedback', 'review'];
const CATEGORIES = ['facial', 'corporal', 'capilar', 'outra'] as const;

async function saved(token: string, url: URL): Promise<Saved> {
  return must(await call(token, 'after-visit settings', (c) => c.api.admin['after-visit-settings'].$get()), url) as Saved;
}

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const [s, procs] = await Promise.all([
    saved(session.token, url),
    call(session.token, 'procedures', (c) => c.api.procedures.$get({ query: {} })),
  ]);
  return { saved: s, procedures: must(procs, url).procedures.map((p) => ({ id: p.id, name: p.name, active: p.active })), notice: url.searchParams.get('aviso') };
}) satisfies PageServerLoad;

/** An optional whole number in [min, max]; '' = the default. */
function intField(form: FormData, name: string, min: number, max: number, fields: Record<string, string[]>): number | undefined {
  const v = text(form, name);
  if (v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) fields[name] = [`Informe um número inteiro entre ${min} e ${max}.`];
  return Number.isInteger(n) ? n : undefined;
}

async function put(token: string, json: Settings) {
  return call(token, 'update after-visit settings', (c) => c.api.admin['after-visit-settings'].$put({ json: json as never }));
}

export const actions = {
  configuracoes: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const values = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    const fields: Record<string, string[]> = {};
    const current = (await saved(session.token, url)).settings;
    const next: Settings = { ...(current.texts ? { texts: current.texts } : {}) };
    const set = <K extends keyof Settings>(k: K, v: Settings[K] | undefined) => { if (v !== undefined) next[k] = v; };
    set('npsDelayHours', intField(form, 'npsDelayHours', 0, 720, fields));
    set('npsReminderHours', intField(form, 'npsReminderHours', 1, 720, fields));
    set('npsExpiryDays', intField(form, 'npsExpiryDays', 1, 60, fields));
    const basis = text(form, 'npsBasis');
    if (basis === 'transactional' || basis === 'marketing') next.npsBasis = basis;
    set('upsellDiscountPercent', intField(form, 'upsellDiscountPercent', 0, 100, fields));
    set('upsellOfferDays', intField(form, 'upsellOfferDays', 1, 90, fields));

    const coupon: NonNullable<Settings['detractorCoupon']> = {};
    const kind = text(form, 'couponKind');
    const amount = text(form, 'couponAmount');
    if (amount !== '') {
      if (kind === 'cents') {
        const cents = parseMoney(amount);
        if (cents === null || cents < 1) fields.couponAmount = ['Informe o valor em reais, ex.: 50,00.'];
        else coupon.discount = { cents };
      } else {
        const n = Number(amount.replace('%', '').trim());
        if (!Number.isInteger(n) || n < 1 || n > 100) fields.couponAmount = ['Informe a porcentagem, um número inteiro de 1 a 100.'];
        else coupon.discount = { percent: n };
      }
    }
    const validity = intField(form, 'couponValidityDays', 1, 365, fields);
    if (validity !== undefined) coupon.validityDays = validity;
    const min = text(form, 'couponMinCharge');
    if (min !== '') {
      const cents = parseMoney(min);
      if (cents === null) fields.couponMinCharge = ['Informe o valor mínimo em reais, ex.: 200,00.'];
      else coupon.minChargeCents = cents;
    }
    if (Object.keys(coupon).length) next.detractorCoupon = coupon;

    // Contraindications: the saved ones not marked for removal, plus the new one when filled in.
    const remove = new Set(form.getAll('removeRule').map(String));
    const rules: Rule[] = (current.upsellContraindications ?? []).filter((_, i) => !remove.has(String(i)));
    const ruleKind = text(form, 'ruleKind');
    if (ruleKind === 'never_together') {
      const a = text(form, 'ruleA');
      const b = text(form, 'ruleB');
      const days = intField(form, 'ruleDays', 1, 3650, fields);
      if (!a || !b) fields.ruleA = ['Escolha os dois procedimentos.'];
      else rules.push({ kind: 'never_together', a, b, ...(days !== undefined ? { days } : {}) });
    } else if (ruleKind === 'min_gap_days') {
      const days = intField(form, 'ruleDays', 1, 3650, fields);
      const categories = form.getAll('ruleCategories').map(String).filter((c): c is (typeof CATEGORIES)[number] => (CATEGORIES as readonly string[]).includes(c));
      if (days === undefined) fields.ruleDays = ['Informe o intervalo mínimo em dias.'];
      else rules.push({ kind: 'min_gap_days', days, ...(categories.length ? { categories } : {}) });
    }
    if (rules.length) next.upsellContraindications = rules;

    if (Object.keys(fields).length) return failWith(invalid('Confira os campos destacados.', fields), url, { values, section: 'configuracoes' });
    const r = await put(session.token, next);
    if (!r.ok) return failWith(r, url, { values, section: 'configuracoes' });
    redirect(303, backWithNotice(url, 'salvo'));
  },

  texto: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const kind = text(form, 'kind') as TextKind;
    if (!TEXT_KINDS.includes(kind)) return fail(400, { message: 'Texto desconhecido.', section: 'texto', kind: null, body: '' });
    const body = String(form.get('body') ?? '').replace(/\r\n/g, '\n').trim();
    const restore = form.get('restore') === '1';
    const current = await saved(session.token, url);
    const texts = { ...(current.settings.texts ?? {}) };
    const fallback = current.texts.find((t) => t.kind === kind)?.default ?? '';
    // Saving the default's own words (or restoring it) keeps following the default.
    if (restore || body === fallback.trim()) delete texts[kind];
    else texts[kind] = body;
    const next: Settings = { ...current.settings, texts };
    if (!Object.keys(texts).length) delete next.texts;
    const r = await put(session.token, next);
    if (!r.ok) return failWith(r, url, { section: 'texto', kind, body });
    redirect(303, `${backWithNotice(url, restore ? 'texto-padrao' : 'texto-salvo')}&texto=${kind}`);
  },

  previa: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const kind = text(form, 'kind') as TextKind;
    if (!TEXT_KINDS.includes(kind)) return fail(400, { message: 'Texto desconhecido.' });
    const gender = text(form, 'gender');
    const r = await call(session.token, 'preview survey text', (c) => c.api.admin['after-visit-settings'].preview.$post({
      json: { kind, text: String(form.get('body') ?? ''), patientGender: gender === 'M' || gender === 'Outro' ? gender : 'F' },
    }));
    if (!r.ok) return fail(r.status, { message: r.error.message });
    return { preview: r.data };
  },
} satisfies Actions;
