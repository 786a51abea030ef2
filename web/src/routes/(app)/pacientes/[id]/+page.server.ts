import { error, fail, redirect } from '@sveltejs/kit';
import { call, temporalUiUrl } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { denyReadOnly, failWith, must, soft, text } from '$lib/server/pages';
import { MAX_PHOTO_BYTES, photoUrlForBrowser } from '$lib/photos';
import { isUuid } from '$lib/url';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url, params }) => {
  const session = requireSession(locals, url);
  if (!isUuid(params.id)) error(404, { message: 'Paciente não encontrado.' });
  const cursor = url.searchParams.get('antes') ?? '';
  const canEdit = session.role !== 'view';
  const [patientResult, timelineResult, ruleResult, photosResult, proceduresResult, loyaltyResult, scoreResult] = await Promise.all([
    call(session.token, 'patient', (c) => c.api.patients[':id'].$get({ param: { id: params.id }, query: {} })),
    call(session.token, 'timeline', (c) =>
      c.api.patients[':id'].timeline.$get({ param: { id: params.id }, query: { limit: '30', ...(cursor ? { cursor } : {}) } }),
    ),
    call(session.token, 'classification rule', (c) => c.api.patients['classification-rule'].$get()),
    call(session.token, 'photos', (c) => c.api.patients[':id'].photos.$get({ param: { id: params.id } })),
    canEdit ? call(session.token, 'procedures', (c) => c.api.procedures.$get({ query: { active: 'true' } })) : null,
    call(session.token, 'loyalty', (c) => c.api.patients[':id'].loyalty.$get({ param: { id: params.id } })),
    call(session.token, 'score', (c) => c.api.patients[':id'].score.$get({ param: { id: params.id } })),
  ]);
  const loyalty = soft(loyaltyResult, url);
  const score = soft(scoreResult, url);
  const patient = must(patientResult, url);
  const timeline = soft(timelineResult, url);
  const photos = soft(photosResult, url);
  // The upload form offers this page's visits (newest first) that were not cancelled.
  const visits = (timeline.data?.items ?? [])
    .filter((i) => i.type === 'appointment' && i.appointment && i.appointment.status !== 'cancelado')
    .map((i) => ({ id: i.id, at: i.at, procedure: i.appointment!.procedure, status: i.appointment!.status }));
  return {
    patient,
    timeline: timeline.data?.items ?? [],
    nextCursor: timeline.data?.nextCursor ?? null,
    olderPage: !!cursor,
    timelineError: timeline.message,
    rule: ruleResult.ok ? ruleResult.data : null,
    confirmDelete: url.searchParams.get('excluir') === '1',
    notice: url.searchParams.get('aviso'),
    canEdit,
    photos: (photos.data?.photos ?? []).map((ph) => ({ ...ph, url: photoUrlForBrowser(ph.url) })),
    photosError: photos.message,
    visits,
    procedures: proceduresResult?.ok ? proceduresResult.data.procedures.map((p) => ({ id: p.id, name: p.name })) : [],
    confirmPhotoDelete: isUuid(url.searchParams.get('excluirFoto')) ? url.searchParams.get('excluirFoto') : null,
    temporalUiUrl: session.role === 'admin' ? temporalUiUrl() : null,
    timeZone: session.clinic.timezone,
    loyalty: loyalty.data,
    loyaltyError: loyalty.message,
    risk: score.data?.score ?? null,
    riskError: score.message,
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

  uploadPhoto: async ({ request, locals, url, params }) => {
    const session = requireSession(locals, url);
    const denied = denyReadOnly(session, { photoAction: 'upload' as const });
    if (denied) return denied;
    const form = await request.formData();
    const file = form.get('file');
    const kind = text(form, 'kind');
    const fields: Record<string, string[]> = {};
    if (!(file instanceof File) || file.size === 0) fields.file = ['Escolha a foto (JPEG, PNG ou WebP).'];
    else if (file.size > MAX_PHOTO_BYTES) fields.file = ['A foto excede o limite de 15 MB. Envie uma versão menor.'];
    if (kind !== 'antes' && kind !== 'depois') fields.kind = ['Informe se a foto é de antes ou depois.'];
    const consent = form.get('publicityConsent') === 'on';
    const identifiable = form.get('identifiable') === 'on';
    if (identifiable && !consent) fields.identifiable = ['A foto só pode identificar o paciente com o consentimento de divulgação.'];
    if (Object.keys(fields).length) {
      return fail(400, { photoAction: 'upload' as const, message: Object.values(fields)[0][0], code: 'validation_failed', fields });
    }
    const appointmentId = text(form, 'appointmentId');
    const procedureId = text(form, 'procedureId');
    const r = await call(session.token, 'upload photo', (c) => c.api.patients[':id'].photos.$post({
      param: { id: params.id },
      form: {
        file: file as File, kind: kind as 'antes' | 'depois',
        ...(isUuid(appointmentId) ? { appointmentId } : {}),
        ...(isUuid(procedureId) ? { procedureId } : {}),
        publicityConsent: consent ? 'true' : 'false',
        identifiable: identifiable ? 'true' : 'false',
        ...(consent ? { consentSource: text(form, 'consentSource') || 'painel' } : {}),
      },
    }));
    if (!r.ok) return failWith(r, url, { photoAction: 'upload' as const });
    redirect(303, `${url.pathname}?aviso=foto-enviada#fotos`);
  },

  photoConsent: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const denied = denyReadOnly(session, { photoAction: 'consent' as const });
    if (denied) return denied;
    const form = await request.formData();
    const photoId = text(form, 'photoId');
    if (!isUuid(photoId)) return fail(400, { photoAction: 'consent' as const, message: 'Foto não encontrada.', code: 'not_found', fields: {} });
    const grant = text(form, 'publicityConsent') === 'true';
    const r = await call(session.token, 'photo consent', (c) => c.api.photos[':id'].consent.$patch({
      param: { id: photoId },
      json: grant ? { publicityConsent: true, identifiable: form.get('identifiable') === 'on', source: text(form, 'consentSource') || 'painel' } : { publicityConsent: false },
    }));
    if (!r.ok) return failWith(r, url, { photoAction: 'consent' as const });
    redirect(303, `${url.pathname}?aviso=${grant ? 'consentimento-registrado' : 'consentimento-revogado'}#fotos`);
  },

  redeem: async ({ request, locals, url, params }) => {
    const session = requireSession(locals, url);
    const denied = denyReadOnly(session, { loyaltyAction: 'redeem' as const });
    if (denied) return denied;
    const rewardId = text(await request.formData(), 'rewardId');
    if (!isUuid(rewardId)) return fail(400, { loyaltyAction: 'redeem' as const, message: 'Escolha uma recompensa.', code: 'validation_failed', fields: {} });
    const r = await call(session.token, 'redeem reward', (c) => c.api.patients[':id'].loyalty.redeem.$post({ param: { id: params.id }, json: { rewardId } }));
    if (!r.ok) return failWith(r, url, { loyaltyAction: 'redeem' as const });
    redirect(303, `${url.pathname}?aviso=resgatado&cupom=${encodeURIComponent(r.data.couponCode)}#fidelidade`);
  },

  deletePhoto: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const denied = denyReadOnly(session, { photoAction: 'delete' as const });
    if (denied) return denied;
    const photoId = text(await request.formData(), 'photoId');
    if (!isUuid(photoId)) return fail(400, { photoAction: 'delete' as const, message: 'Foto não encontrada.', code: 'not_found', fields: {} });
    const r = await call(session.token, 'delete photo', (c) => c.api.photos[':id'].$delete({ param: { id: photoId } }));
    if (!r.ok) return failWith(r, url, { photoAction: 'delete' as const });
    redirect(303, `${url.pathname}?aviso=foto-excluida#fotos`);
  },
} satisfies Actions;
