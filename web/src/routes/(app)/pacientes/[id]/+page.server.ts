import { error, redirect } from '@sveltejs/kit';
import { call, temporalUiUrl } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { denyReadOnly, failWith, must, soft } from '$lib/server/pages';
import { isUuid } from '$lib/url';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url, params }) => {
  const session = requireSession(locals, url);
  if (!isUuid(params.id)) error(404, { message: 'Paciente não encontrado.' });
  const cursor = url.searchParams.get('antes') ?? '';
  const [patientResult, timelineResult, ruleResult] = await Promise.all([
    call(session.token, 'patient', (c) => c.api.patients[':id'].$get({ param: { id: params.id }, query: {} })),
    call(session.token, 'timeline', (c) =>
      c.api.patients[':id'].timeline.$get({ param: { id: params.id }, query: { limit: '30', ...(cursor ? { cursor } : {}) } }),
    ),
    call(session.token, 'classification rule', (c) => c.api.patients['classification-rule'].$get()),
  ]);
  const patient = must(patientResult, url);
  const timeline = soft(timelineResult, url);
  return {
    patient,
    timeline: timeline.data?.items ?? [],
    nextCursor: timeline.data?.nextCursor ?? null,
    olderPage: !!cursor,
    timelineError: timeline.message,
    rule: ruleResult.ok ? ruleResult.data : null,
    confirmDelete: url.searchParams.get('excluir') === '1',
    notice: url.searchParams.get('aviso'),
    canEdit: session.role !== 'view',
    temporalUiUrl: session.role === 'admin' ? temporalUiUrl() : null,
    timeZone: session.clinic.timezone,
  };
}) satisfies PageServerLoad;

export const actions = {
  delete: async ({ locals, url, params }) => {
    const session = requireSession(locals, url);
    const denied = denyReadOnly(session, {});
    if (denied) return denied;
    const r = await call(session.token, 'delete patient', (c) => c.api.patients[':id'].$delete({ param: { id: params.id } }));
    if (!r.ok) return failWith(r, url, {});
    redirect(303, '/pacientes?aviso=excluido');
  },
} satisfies Actions;
