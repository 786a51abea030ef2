// The promoters' review of the professional (/p/avaliar/{token}, from the NPS journey after a 9 or 10):
// 1–5 stars and a comment, stored once by the API. No login; a form action, so it works without JS.
import { fail } from '@sveltejs/kit';
import { publicCall } from '$lib/server/api';
import { actionStatus, linkFailure } from '$lib/server/patient-pages';
import { COMMENT_MAX } from '$lib/after-visit';
import type { Actions, PageServerLoad } from './$types';

/** Inline messages by field. */
type Invalid = { rating?: string; comment?: string };

export const load = (async ({ params }) => {
  const token = encodeURIComponent(params.token);
  const r = await publicCall('review page', (c) => c.api.public.reviews[':token'].$get({ param: { token } }));
  return r.ok ? { view: r.data, failure: null } : { view: null, failure: linkFailure(r) };
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ params, request }) => {
    const form = await request.formData();
    const raw = String(form.get('rating') ?? '');
    const rating = /^[1-5]$/.test(raw) ? Number(raw) : null;
    const comment = String(form.get('comment') ?? '').trim();
    if (rating === null) return fail(400, { invalid: { rating: 'Escolha de 1 a 5 estrelas.' } as Invalid, rating, comment });
    if (comment.length > COMMENT_MAX) {
      return fail(400, { invalid: { comment: `O comentário deve ter no máximo ${COMMENT_MAX} caracteres.` } as Invalid, rating, comment });
    }
    const token = encodeURIComponent(params.token);
    const r = await publicCall('review answer', (c) => c.api.public.reviews[':token'].$post({ param: { token }, json: { rating, ...(comment ? { comment } : {}) } }));
    if (r.ok) return { done: r.data, rating };
    const failure = linkFailure(r);
    const invalid: Invalid | undefined = failure.fields ? { rating: failure.fields.rating?.[0], comment: failure.fields.comment?.[0] } : undefined;
    return fail(actionStatus(failure), { failure, invalid, rating, comment });
  },
} satisfies Actions;
