import { redirect } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { failWith, invalid, must, parseMoney, text } from '$lib/server/pages';
import { CATEGORY_LABELS } from '$lib/agenda';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const r = await call(session.token, 'procedures', (c) => c.api.procedures.$get({ query: {} }));
  return { procedures: must(r, url).procedures, notice: url.searchParams.get('aviso') };
}) satisfies PageServerLoad;

type Category = 'facial' | 'corporal' | 'capilar' | 'outra';

export const actions = {
  create: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const values = {
      name: text(form, 'name'),
      category: text(form, 'category'),
      durationMinutes: text(form, 'durationMinutes'),
      price: text(form, 'price'),
      cost: text(form, 'cost'),
      description: text(form, 'description'),
    };
    const fields: Record<string, string[]> = {};
    const price = parseMoney(values.price);
    const cost = values.cost ? parseMoney(values.cost) : null;
    const duration = Number(values.durationMinutes);
    if (price === null) fields.defaultPriceCents = ['Informe o preço, ex. 350,00.'];
    if (values.cost && cost === null) fields.costCents = ['Informe o custo, ex. 80,00.'];
    if (!Number.isInteger(duration)) fields.durationMinutes = ['Informe a duração em minutos.'];
    if (!(values.category in CATEGORY_LABELS)) fields.category = ['Escolha a categoria.'];
    if (Object.keys(fields).length) return failWith(invalid('Confira os campos destacados.', fields), url, { values });
    const r = await call(session.token, 'create procedure', (c) =>
      c.api.procedures.$post({
        json: {
          name: values.name,
          category: values.category as Category,
          durationMinutes: duration,
          defaultPriceCents: price!,
          ...(cost !== null ? { costCents: cost } : {}),
          ...(values.description ? { description: values.description } : {}),
        },
      }),
    );
    if (!r.ok) return failWith(r, url, { values });
    redirect(303, `/admin/procedimentos/${r.data.id}?aviso=criado`);
  },
} satisfies Actions;
