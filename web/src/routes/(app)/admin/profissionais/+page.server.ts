import { redirect } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { failWith, invalid, must, parsePercent, text } from '$lib/server/pages';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const r = await call(session.token, 'professionals', (c) => c.api.professionals.$get({ query: {} }));
  return { professionals: must(r, url).professionals };
}) satisfies PageServerLoad;

export const actions = {
  create: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const values = {
      name: text(form, 'name'),
      specialty: text(form, 'specialty'),
      email: text(form, 'email'),
      phone: text(form, 'phone'),
      commission: text(form, 'commission'),
      color: text(form, 'color') || '#6366f1',
    };
    const commission = values.commission ? parsePercent(values.commission) : 0;
    if (commission === null) return failWith(invalid('Confira os campos destacados.', { commissionPercent: ['Informe a comissão em %, ex. 15,5.'] }), url, { values });
    const r = await call(session.token, 'create professional', (c) =>
      c.api.professionals.$post({
        json: {
          name: values.name,
          specialty: values.specialty || null,
          email: values.email || null,
          phone: values.phone || null,
          commissionPercent: commission,
          color: values.color,
        },
      }),
    );
    if (!r.ok) return failWith(r, url, { values });
    redirect(303, `/admin/profissionais/${r.data.id}?aviso=criado`);
  },
} satisfies Actions;
