// The neutrals' form (/p/feedback/{token}, from the NPS journey after a 7 or 8): what could be better and
// a free text, stored once by the API. No login; a form action, so it works without JS.
import { fail } from '@sveltejs/kit';
import type { InferRequestType } from 'hono/client';
import { publicCall, type ApiClient } from '$lib/server/api';
import { actionStatus, linkFailure } from '$lib/server/patient-pages';
import { COMMENT_MAX } from '$lib/after-visit';
import type { Actions, PageServerLoad } from './$types';

/** Inline messages by field. */
type Invalid = { aspects?: string; comment?: string };
/** The API's values (the page lists the ones its view sends); anything else the API refuses. */
type Aspect = InferRequestType<ApiClient['api']['public']['feedback'][':token']['$post']>['json']['aspects'][number];

export const load = (async ({ params }) => {
  const token = encodeURIComponent(params.token);
  const r = await publicCall('feedback page', (c) => c.api.public.feedback[':token'].$get({ param: { token } }));
  return r.ok ? { view: r.data, failure: null } : { view: null, failure: linkFailure(r) };
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ params, request }) => {
    const form = await request.formData();
    const aspects = [...new Set(form.getAll('aspects').map(String))].filter(Boolean).slice(0, 10) as Aspect[];
    const comment = String(form.get('comment') ?? '').trim();
    if (!aspects.length && !comment) {
      return fail(400, { invalid: { aspects: 'Escolha ao menos uma opção ou escreva um comentário.' } as Invalid, aspects, comment });
    }
    if (comment.length > COMMENT_MAX) {
      return fail(400, { invalid: { comment: `O comentário deve ter no máximo ${COMMENT_MAX} caracteres.` } as Invalid, aspects, comment });
    }
    const token = encodeURIComponent(params.token);
    const r = await publicCall('feedback answer', (c) => c.api.public.feedback[':token'].$post({ param: { token }, json: { aspects, ...(comment ? { comment } : {}) } }));
    if (r.ok) return { done: r.data };
    const failure = linkFailure(r);
    const invalid: Invalid | undefined = failure.fields ? { aspects: failure.fields.aspects?.[0], comment: failure.fields.comment?.[0] } : undefined;
    return fail(actionStatus(failure), { failure, invalid, aspects, comment });
  },
} satisfies Actions;
