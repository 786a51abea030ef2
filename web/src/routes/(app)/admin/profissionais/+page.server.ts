import { redirect } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { readProfessionalForm } from '$lib/server/catalog-forms';
import { failWith, invalid, must } from '$lib/server/pages';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const r = await call(session.token, 'professionals', (c) => c.api.professionals.$get({ query: {} }));
  return { professionals: must(r, url).professionals };
}) satisfies PageServerLoad;

export const actions = {
  create: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const read = readProfessionalForm(await request.formData());
    const values = { ...read.values, color: read.values.color || '#6366f1' };
    if (Object.keys(read.fields).length) return failWith(invalid('Confira os campos destacados.', read.fields), url, { values });
    const r = await call(session.token, 'create professional', (c) =>
      c.api.professionals.$post({ json: { ...read.profile, color: values.color } }),
    );
    if (!r.ok) return failWith(r, url, { values });
    redirect(303, `/admin/profissionais/${r.data.id}?aviso=criado`);
  },
} satisfies Actions;
