import { redirect } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { denyReadOnly, failWith } from '$lib/server/pages';
import { mapFieldErrors, readForm, toBody } from '$lib/patient-form';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  return { readOnly: session.role === 'view' };
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const values = readForm(await request.formData());
    const denied = denyReadOnly(session, { values });
    if (denied) return denied;
    const { body, fields, phoneIndex, addressIndex } = toBody(values, 'create');
    if (Object.keys(fields).length) {
      return failWith({ ok: false, status: 400, error: { code: 'validation_failed', message: 'Confira os campos destacados.', fields } }, url, { values });
    }
    const r = await call(session.token, 'create patient', (c) => c.api.patients.$post({ json: body }));
    if (!r.ok) {
      return failWith({ ...r, error: { ...r.error, fields: mapFieldErrors(r.error.fields ?? {}, phoneIndex, addressIndex) } }, url, { values });
    }
    redirect(303, `/pacientes/${r.data.id}?aviso=criado`);
  },
} satisfies Actions;
