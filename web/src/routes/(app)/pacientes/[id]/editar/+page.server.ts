import { redirect } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { denyReadOnly, failWith, must } from '$lib/server/pages';
import { mapFieldErrors, readForm, toBody } from '$lib/patient-form';
import { isUuid } from '$lib/url';
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url, params }) => {
  const session = requireSession(locals, url);
  if (!isUuid(params.id)) error(404, { message: 'Paciente não encontrado.' });
  const patient = must(await call(session.token, 'patient', (c) => c.api.patients[':id'].$get({ param: { id: params.id }, query: {} })), url);
  return { patient, readOnly: session.role === 'view' };
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ request, locals, url, params }) => {
    const session = requireSession(locals, url);
    const values = readForm(await request.formData());
    const denied = denyReadOnly(session, { values });
    if (denied) return denied;
    const { body, fields, phoneIndex, addressIndex } = toBody(values, 'edit');
    if (Object.keys(fields).length) {
      return failWith({ ok: false, status: 400, error: { code: 'validation_failed', message: 'Confira os campos destacados.', fields } }, url, { values });
    }
    const r = await call(session.token, 'update patient', (c) => c.api.patients[':id'].$patch({ param: { id: params.id }, json: body }));
    if (!r.ok) {
      return failWith({ ...r, error: { ...r.error, fields: mapFieldErrors(r.error.fields ?? {}, phoneIndex, addressIndex) } }, url, { values });
    }
    redirect(303, `/pacientes/${params.id}?aviso=salvo`);
  },
} satisfies Actions;
