import { redirect } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { readProcedureForm } from '$lib/server/catalog-forms';
import { failWith, invalid, must } from '$lib/server/pages';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const r = await call(session.token, 'procedures', (c) => c.api.procedures.$get({ query: {} }));
  return { procedures: must(r, url).procedures, notice: url.searchParams.get('aviso') };
}) satisfies PageServerLoad;

export const actions = {
  create: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const { values, fields, procedure } = readProcedureForm(await request.formData());
    if (Object.keys(fields).length) return failWith(invalid('Confira os campos destacados.', fields), url, { values });
    const { costCents, description, ...required } = procedure;
    const r = await call(session.token, 'create procedure', (c) =>
      c.api.procedures.$post({
        json: { ...required, ...(costCents !== null ? { costCents } : {}), ...(description ? { description } : {}) },
      }),
    );
    if (!r.ok) return failWith(r, url, { values });
    redirect(303, `/admin/procedimentos/${r.data.id}?aviso=criado`);
  },
} satisfies Actions;
