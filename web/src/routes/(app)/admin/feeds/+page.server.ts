import { redirect } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { backWithNotice, failWith, must, text } from '$lib/server/pages';
import { isUuid } from '$lib/url';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const [feeds, professionals] = await Promise.all([
    call(session.token, 'feeds', (c) => c.api.admin['calendar-feeds'].$get()),
    call(session.token, 'professionals', (c) => c.api.professionals.$get({ query: {} })),
  ]);
  return { feeds: must(feeds, url).feeds, professionals: must(professionals, url).professionals, notice: url.searchParams.get('aviso') };
}) satisfies PageServerLoad;

export const actions = {
  create: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const professionalId = text(await request.formData(), 'professionalId');
    const r = await call(session.token, 'create feed', (c) =>
      c.api.admin['calendar-feeds'].$post({ json: { professionalId: isUuid(professionalId) ? professionalId : null } }),
    );
    if (!r.ok) return failWith(r, url, { created: null });
    // The secret URL is shown once, now: no redirect.
    return { created: r.data, message: null };
  },

  revoke: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const id = text(await request.formData(), 'id');
    const r = await call(session.token, 'revoke feed', (c) => c.api.admin['calendar-feeds'][':id'].$delete({ param: { id } }));
    if (!r.ok) return failWith(r, url, { created: null });
    redirect(303, backWithNotice(url, 'revogado'));
  },
} satisfies Actions;
