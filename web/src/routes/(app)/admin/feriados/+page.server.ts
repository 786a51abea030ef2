import { redirect } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { backWithNotice, failWith, invalid, must, text } from '$lib/server/pages';
import { addDays, isDay, parseTime, todayIn } from '$lib/time';
import { isUuid } from '$lib/url';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const today = todayIn(session.clinic.timezone);
  const showPast = url.searchParams.get('passados') === '1';
  const from = showPast ? addDays(today, -365) : today;
  const [holidays, overrides, professionals] = await Promise.all([
    call(session.token, 'holidays', (c) => c.api.clinic.holidays.$get({ query: { from, to: addDays(today, 730) } })),
    call(session.token, 'overrides', (c) => c.api.clinic.overrides.$get({ query: { from, to: addDays(today, 730) } })),
    call(session.token, 'professionals', (c) => c.api.professionals.$get({ query: {} })),
  ]);
  return {
    today,
    showPast,
    holidays: must(holidays, url).holidays,
    overrides: must(overrides, url).overrides,
    professionals: must(professionals, url).professionals,
    notice: url.searchParams.get('aviso'),
  };
}) satisfies PageServerLoad;

export const actions = {
  addHoliday: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const values = { day: text(form, 'day'), name: text(form, 'name') };
    if (!isDay(values.day)) return failWith(invalid('Informe a data do feriado.', { day: ['Informe a data.'] }), url, { form: 'holiday', values });
    const r = await call(session.token, 'add holiday', (c) => c.api.clinic.holidays.$post({ json: values }));
    if (!r.ok) return failWith(r, url, { form: 'holiday', values });
    redirect(303, backWithNotice(url, 'feriado'));
  },

  deleteHoliday: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const id = text(await request.formData(), 'id');
    const r = await call(session.token, 'delete holiday', (c) => c.api.clinic.holidays[':id'].$delete({ param: { id } }));
    if (!r.ok) return failWith(r, url, { form: 'list' });
    redirect(303, backWithNotice(url, 'removido'));
  },

  addOverride: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const values = {
      day: text(form, 'day'),
      professionalId: text(form, 'professionalId'),
      mode: text(form, 'mode') === 'special' ? 'special' : 'closed',
      start1: text(form, 'start1'),
      end1: text(form, 'end1'),
      start2: text(form, 'start2'),
      end2: text(form, 'end2'),
      reason: text(form, 'reason'),
    };
    const fields: Record<string, string[]> = {};
    if (!isDay(values.day)) fields.day = ['Informe a data.'];
    const intervals: Array<{ startMinute: number; endMinute: number }> = [];
    if (values.mode === 'special') {
      for (const [s, e] of [[values.start1, values.end1], [values.start2, values.end2]] as const) {
        if (!s && !e) continue;
        const a = parseTime(s);
        const b = parseTime(e);
        if (a === null || b === null || b <= a) fields.intervals = ['Cada intervalo precisa de início e fim, com o fim depois do início.'];
        else intervals.push({ startMinute: a, endMinute: b });
      }
      if (!intervals.length && !fields.intervals) fields.intervals = ['Informe ao menos um intervalo de atendimento.'];
    }
    if (Object.keys(fields).length) return failWith(invalid('Confira os campos destacados.', fields), url, { form: 'override', values });
    const r = await call(session.token, 'add override', (c) =>
      c.api.clinic.overrides.$post({
        json: {
          day: values.day,
          professionalId: isUuid(values.professionalId) ? values.professionalId : null,
          closed: values.mode === 'closed',
          ...(values.mode === 'special' ? { intervals } : {}),
          reason: values.reason || null,
        },
      }),
    );
    if (!r.ok) return failWith(r, url, { form: 'override', values });
    redirect(303, backWithNotice(url, 'excecao'));
  },

  deleteOverride: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const id = text(await request.formData(), 'id');
    const r = await call(session.token, 'delete override', (c) => c.api.clinic.overrides[':id'].$delete({ param: { id } }));
    if (!r.ok) return failWith(r, url, { form: 'list' });
    redirect(303, backWithNotice(url, 'removido'));
  },
} satisfies Actions;
