import { error, redirect } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { readProfessionalForm } from '$lib/server/catalog-forms';
import { backWithNotice, failWith, invalid, must } from '$lib/server/pages';
import { parseTime } from '$lib/time';
import { isUuid } from '$lib/url';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url, params }) => {
  const session = requireSession(locals, url);
  if (!isUuid(params.id)) error(404, { message: 'Profissional não encontrado.' });
  const [professional, procedures, reviews] = await Promise.all([
    call(session.token, 'professional', (c) => c.api.professionals[':id'].$get({ param: { id: params.id } })),
    call(session.token, 'procedures', (c) => c.api.procedures.$get({ query: {} })),
    call(session.token, 'reviews', (c) => c.api.feedback.reviews.$get({ query: { professionalId: params.id } })),
  ]);
  // The professional's reviews (promoters' 1–5 stars, /p/avaliar): shown when they load; the page works without them.
  const r = reviews.ok ? reviews.data : null;
  return {
    professional: must(professional, url), procedures: must(procedures, url).procedures, notice: url.searchParams.get('aviso'),
    reviews: r ? { count: r.summary[0]?.count ?? 0, average: r.summary[0]?.average ?? null, latest: r.latest.slice(0, 10) } : null,
  };
}) satisfies PageServerLoad;

const DAY_NAMES = ['domingo', 'segunda', 'terça', 'quarta', 'quinta', 'sexta', 'sábado'];

export const actions = {
  profile: async ({ request, locals, url, params }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const read = readProfessionalForm(form);
    const values = { ...read.values, active: form.get('active') === 'on' };
    if (Object.keys(read.fields).length) return failWith(invalid('Confira os campos destacados.', read.fields), url, { form: 'profile', values });
    const r = await call(session.token, 'update professional', (c) =>
      c.api.professionals[':id'].$patch({ param: { id: params.id }, json: { ...read.profile, active: values.active } }),
    );
    if (!r.ok) return failWith(r, url, { form: 'profile', values });
    redirect(303, backWithNotice(url, 'salvo'));
  },

  hours: async ({ request, locals, url, params }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const submitted: Array<Array<{ start: string; end: string }>> = [];
    const hours: Array<{ weekday: number; startMinute: number; endMinute: number }> = [];
    const problems: string[] = [];
    for (let d = 0; d < 7; d++) {
      const starts = form.getAll(`start_${d}`).map(String);
      const ends = form.getAll(`end_${d}`).map(String);
      submitted[d] = starts.map((start, i) => ({ start, end: ends[i] ?? '' }));
      for (const { start, end } of submitted[d]) {
        if (!start && !end) continue;
        const s = parseTime(start);
        const e = end === '00:00' ? 1440 : parseTime(end);
        if (s === null || e === null) problems.push(`${DAY_NAMES[d]}: preencha início e fim.`);
        else if (e <= s) problems.push(`${DAY_NAMES[d]}: o fim (${end}) deve ser depois do início (${start}).`);
        else hours.push({ weekday: d, startMinute: s, endMinute: e });
      }
    }
    if (problems.length) return failWith(invalid(problems.join(' ')), url, { form: 'hours', submitted });
    const r = await call(session.token, 'hours', (c) => c.api.professionals[':id'].hours.$put({ param: { id: params.id }, json: { hours } }));
    if (!r.ok) return failWith(r, url, { form: 'hours', submitted });
    redirect(303, backWithNotice(url, 'horarios'));
  },

  procedures: async ({ request, locals, url, params }) => {
    const session = requireSession(locals, url);
    const procedureIds = (await request.formData()).getAll('procedureId').map(String).filter(isUuid);
    const r = await call(session.token, 'procedures', (c) =>
      c.api.professionals[':id'].procedures.$put({ param: { id: params.id }, json: { procedureIds } }),
    );
    if (!r.ok) return failWith(r, url, { form: 'procedures' });
    redirect(303, backWithNotice(url, 'procedimentos'));
  },
} satisfies Actions;
