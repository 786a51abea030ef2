import { error, redirect } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { readProcedureForm } from '$lib/server/catalog-forms';
import { backWithNotice, failWith, invalid, must, parseMoney, text } from '$lib/server/pages';
import { isDay } from '$lib/time';
import { isUuid } from '$lib/url';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url, params }) => {
  const session = requireSession(locals, url);
  if (!isUuid(params.id)) error(404, { message: 'Procedimento não encontrado.' });
  const r = await call(session.token, 'procedure', (c) => c.api.procedures[':id'].$get({ param: { id: params.id } }));
  return { procedure: must(r, url), notice: url.searchParams.get('aviso') };
}) satisfies PageServerLoad;

export const actions = {
  update: async ({ request, locals, url, params }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const read = readProcedureForm(form);
    const values = { ...read.values, imageUrl: text(form, 'imageUrl'), active: form.get('active') === 'on' };
    if (Object.keys(read.fields).length) return failWith(invalid('Confira os campos destacados.', read.fields), url, { form: 'update', values });
    const r = await call(session.token, 'update procedure', (c) =>
      c.api.procedures[':id'].$patch({
        param: { id: params.id },
        json: { ...read.procedure, imageUrl: values.imageUrl || null, active: values.active },
      }),
    );
    if (!r.ok) return failWith(r, url, { form: 'update', values });
    redirect(303, backWithNotice(url, 'salvo'));
  },

  addPrice: async ({ request, locals, url, params }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const values = { price: text(form, 'price'), validFrom: text(form, 'validFrom'), validTo: text(form, 'validTo') };
    const fields: Record<string, string[]> = {};
    const price = parseMoney(values.price);
    if (price === null) fields.priceCents = ['Informe o preço, ex. 390,00.'];
    if (!isDay(values.validFrom)) fields.validFrom = ['Informe a data inicial.'];
    if (values.validTo && !isDay(values.validTo)) fields.validTo = ['Data final inválida.'];
    if (Object.keys(fields).length) return failWith(invalid('Confira os campos destacados.', fields), url, { form: 'price', values });
    const r = await call(session.token, 'add price', (c) =>
      c.api.procedures[':id'].prices.$post({
        param: { id: params.id },
        json: { priceCents: price!, validFrom: values.validFrom, validTo: values.validTo || null },
      }),
    );
    if (!r.ok) return failWith(r, url, { form: 'price', values });
    redirect(303, backWithNotice(url, 'preco'));
  },

  closePrice: async ({ request, locals, url, params }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const priceId = text(form, 'priceId');
    const validTo = text(form, 'validTo');
    if (!isDay(validTo)) return failWith(invalid('Informe a data final do preço.'), url, { form: 'prices' });
    const r = await call(session.token, 'close price', (c) =>
      c.api.procedures[':id'].prices[':priceId'].close.$post({ param: { id: params.id, priceId }, json: { validTo } }),
    );
    if (!r.ok) return failWith(r, url, { form: 'prices' });
    redirect(303, backWithNotice(url, 'preco-encerrado'));
  },

  deletePrice: async ({ request, locals, url, params }) => {
    const session = requireSession(locals, url);
    const priceId = text(await request.formData(), 'priceId');
    const r = await call(session.token, 'delete price', (c) => c.api.procedures[':id'].prices[':priceId'].$delete({ param: { id: params.id, priceId } }));
    if (!r.ok) return failWith(r, url, { form: 'prices' });
    redirect(303, backWithNotice(url, 'preco-apagado'));
  },

  deactivate: async ({ locals, url, params }) => {
    const session = requireSession(locals, url);
    const r = await call(session.token, 'deactivate procedure', (c) => c.api.procedures[':id'].deactivate.$post({ param: { id: params.id } }));
    if (!r.ok) return failWith(r, url, { form: 'danger' });
    redirect(303, backWithNotice(url, 'desativado'));
  },

  delete: async ({ locals, url, params }) => {
    const session = requireSession(locals, url);
    const r = await call(session.token, 'delete procedure', (c) => c.api.procedures[':id'].$delete({ param: { id: params.id } }));
    if (!r.ok) return failWith(r, url, { form: 'danger' });
    redirect(303, '/admin/procedimentos?aviso=excluido');
  },
} satisfies Actions;
