// The upsell's direct booking link (/p/agendar/{token}): no login. The API shows the offer (procedure,
// coupon, free slots in the clinic's zone) and books one through the same booking service as the dashboard
// and Anna; this page only relays it. One form, one submit button per slot: one tap books, without JS too.
import { fail } from '@sveltejs/kit';
import { publicCall } from '$lib/server/api';
import { actionStatus, linkFailure, type LinkFailure } from '$lib/server/patient-pages';
import type { Actions, PageServerLoad } from './$types';

const view = (token: string) => publicCall('booking page', (c) => c.api.public.booking[':token'].$get({ param: { token: encodeURIComponent(token) } }));

export const load = (async ({ params }) => {
  const r = await view(params.token);
  return r.ok ? { view: r.data, failure: null } : { view: null, failure: linkFailure(r) };
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ params, request }) => {
    const form = await request.formData();
    // "startsAt|professionalId", the value of the tapped slot's button.
    const [startsAt = '', professionalId = ''] = String(form.get('slot') ?? '').split('|');
    if (!startsAt || !professionalId) {
      const failure: LinkFailure = { status: 400, code: 'validation_failed', message: 'Escolha um horário.' };
      return fail(400, { failure, taken: null, fresh: null });
    }
    const token = encodeURIComponent(params.token);
    const r = await publicCall('booking', (c) => c.api.public.booking[':token'].$post({ param: { token }, json: { startsAt, professionalId } }));
    if (r.ok) return { booked: r.data };
    const failure = linkFailure(r);
    if (failure.code === 'validation_failed') failure.message = 'Este horário não está mais disponível. Escolha outro horário.';
    // Taken meanwhile (or refused): the fresh list comes with the message.
    const fresh = failure.status === 409 || failure.status === 422 || failure.status === 400 ? await view(params.token) : null;
    return fail(actionStatus(failure), { failure, taken: failure.code === 'slot_taken' ? startsAt : null, fresh: fresh?.ok ? fresh.data : null });
  },
} satisfies Actions;
