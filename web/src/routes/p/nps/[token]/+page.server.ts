// The one-tap survey (the NPS journey's link, /p/nps/{token}): no login. The API checks the token, shows
// the visit and stores one score (after the survey's expiry, as a late answer); this page only relays it
// (a form action: works without JS).
import { fail } from '@sveltejs/kit';
import { publicCall } from '$lib/server/api';
import { actionStatus, linkFailure } from '$lib/server/patient-pages';
import { COMMENT_MAX } from '$lib/after-visit';
import type { Actions, PageServerLoad } from './$types';

/** Inline messages by field. */
type Invalid = { score?: string; comment?: string };

export const load = (async ({ params }) => {
  const token = encodeURIComponent(params.token);
  const r = await publicCall('nps page', (c) => c.api.public.nps[':token'].$get({ param: { token } }));
  return r.ok ? { view: r.data, failure: null } : { view: null, failure: linkFailure(r) };
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ params, request }) => {
    const form = await request.formData();
    const raw = String(form.get('score') ?? '');
    const comment = String(form.get('comment') ?? '').trim();
    const score = /^(?:10|[0-9])$/.test(raw) ? Number(raw) : null;
    if (score === null) return fail(400, { invalid: { score: 'Escolha uma nota de 0 a 10.' } as Invalid, score, comment });
    if (comment.length > COMMENT_MAX) {
      return fail(400, { invalid: { comment: `O comentário deve ter no máximo ${COMMENT_MAX} caracteres.` } as Invalid, score, comment });
    }
    const token = encodeURIComponent(params.token);
    const r = await publicCall('nps answer', (c) => c.api.public.nps[':token'].$post({ param: { token }, json: { score, ...(comment ? { comment } : {}) } }));
    if (r.ok) return { answered: r.data };
    const failure = linkFailure(r);
    const invalid: Invalid | undefined = failure.fields ? { score: failure.fields.score?.[0], comment: failure.fields.comment?.[0] } : undefined;
    return fail(actionStatus(failure), { failure, invalid, score, comment });
  },
} satisfies Actions;
