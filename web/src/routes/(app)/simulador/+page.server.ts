import { fail, redirect } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { denyReadOnly, failWith, soft } from '$lib/server/pages';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load = (async ({ locals, url, depends }) => {
  depends('app:simulator-thread');
  const session = requireSession(locals, url);
  const busca = (url.searchParams.get('busca') ?? '').trim().slice(0, 120);
  const patientId = UUID.test(url.searchParams.get('paciente') ?? '') ? url.searchParams.get('paciente')! : null;
  // A number without a patient record (a new lead for Anna), E.164.
  const numero = !patientId && /^\+\d{10,15}$/.test(url.searchParams.get('numero') ?? '') ? url.searchParams.get('numero')! : null;
  const [search, thread] = await Promise.all([
    busca ? call(session.token, 'simulator patient search', (c) => c.api.patients.$get({ query: { q: busca, limit: '10' } })) : null,
    patientId ? call(session.token, 'simulator thread', (c) => c.api.simulator.outbox.$get({ query: { patientId, limit: '200' } }))
      : numero ? call(session.token, 'simulator thread', (c) => c.api.simulator.outbox.$get({ query: { phone: numero, limit: '200' } })) : null,
  ]);
  const found = search ? soft(search, url) : null;
  const conv = thread ? soft(thread, url) : null;
  // The journey of the appointment the latest messages are about (shown beside the phone).
  const appointmentId = [...(conv?.data?.messages ?? [])].reverse().find((m) => m.appointmentId)?.appointmentId ?? null;
  const journey = appointmentId ? await call(session.token, 'simulator journey', (c) => c.api.journeys.appointments[':id'].$get({ param: { id: appointmentId } })) : null;
  return {
    busca,
    patientId,
    numero,
    results: found?.data?.items.map((p) => ({ id: p.id, name: p.name, phone: p.phoneFormatted ?? p.whatsapp ?? p.phone, email: p.email })) ?? null,
    thread: conv?.data ?? null,
    journey: journey?.ok ? journey.data : null,
    loadError: found?.message ?? conv?.message ?? null,
    canReply: session.role !== 'view',
    timeZone: session.clinic.timezone,
  };
}) satisfies PageServerLoad;

export const actions = {
  responder: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const text = String(form.get('text') ?? '').trim();
    const channel: 'sms' | 'whatsapp' = form.get('channel') === 'sms' ? 'sms' : 'whatsapp';
    const patientId = String(form.get('patientId') ?? '');
    const from = String(form.get('from') ?? '').trim();
    const profileName = String(form.get('profileName') ?? '').trim();
    const denied = denyReadOnly(session, { text });
    if (denied) return denied;
    if (!UUID.test(patientId) && !from) return fail(400, { text, message: 'Escolha um paciente ou informe um número.', code: 'validation_failed', fields: {} });
    if (!text) return fail(400, { text, message: 'Escreva a mensagem do paciente.', code: 'validation_failed', fields: { text: ['Escreva a mensagem.'] } });
    const json = UUID.test(patientId)
      ? { patientId, channel, text }
      : { from, channel, text, ...(profileName ? { profileName } : {}) };
    const res = await call(session.token, 'simulate inbound', (c) => c.api.simulator.inbound.$post({ json }));
    if (!res.ok) return failWith(res, url, { text, from });
    // Without JS: back to the thread (POST → redirect → GET); with JS, enhance follows the redirect and reloads the data.
    const who = UUID.test(patientId) ? `paciente=${patientId}` : `numero=${encodeURIComponent(res.data.from)}`;
    redirect(303, `/simulador?${who}&canal=${channel}&resultado=${res.data.outcome ?? ''}`);
  },
} satisfies Actions;
