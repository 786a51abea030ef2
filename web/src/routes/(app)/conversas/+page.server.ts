import crypto from 'node:crypto';
import { fail } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { denyReadOnly, failWith, soft } from '$lib/server/pages';
import { listQuery, parseFilter } from '$lib/components/inbox/inbox';
import { parsePeriod, periodRange } from '$lib/period';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const q = url.searchParams;
  const view = q.get('vista') === 'analise' ? 'analise' : 'conversas';
  const base = { view, role: session.role, canAct: session.role !== 'view', me: session.user.id, timeZone: session.clinic.timezone };

  if (view === 'analise') {
    const days = parsePeriod(q.get('periodo'));
    const range = periodRange(days, session.clinic.timezone);
    const canal = q.get('canal') === 'whatsapp' || q.get('canal') === 'sms' ? (q.get('canal') as 'whatsapp' | 'sms') : null;
    const res = soft(await call(session.token, 'chat analytics', (c) => c.api.conversations.analytics.$get({
      query: { ...range, ...(canal ? { channel: canal } : {}) },
    })), url);
    return { ...base, days, canal, analytics: res.data, loadError: res.message, filter: parseFilter(null), busca: '', list: null, selectedId: null, detail: null };
  }

  const filter = parseFilter(q.get('filtro'));
  const busca = (q.get('busca') ?? '').trim().slice(0, 100);
  const selectedId = UUID.test(q.get('c') ?? '') ? q.get('c')! : null;
  const [list, detail] = await Promise.all([
    call(session.token, 'conversations', (c) => c.api.conversations.$get({ query: listQuery(filter, busca) })),
    selectedId ? call(session.token, 'conversation', (c) => c.api.conversations[':id'].$get({ param: { id: selectedId } })) : null,
  ]);
  const l = soft(list, url);
  const d = detail ? soft(detail, url) : null;
  return {
    ...base, days: null, canal: null, analytics: null, filter, busca, selectedId,
    list: l.data, detail: d?.data ?? null,
    loadError: l.message ?? (d && !d.data ? d.message : null),
  };
}) satisfies PageServerLoad;

function conversationOf(form: FormData) {
  const id = String(form.get('id') ?? '');
  return UUID.test(id) ? id : null;
}

const noConversation = () => fail(400, { message: 'Escolha uma conversa.', code: 'validation_failed', fields: {}, text: '' });

export const actions = {
  assumir: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const denied = denyReadOnly(session, { text: '' });
    if (denied) return denied;
    const id = conversationOf(await request.formData());
    if (!id) return noConversation();
    const res = await call(session.token, 'conversation takeover', (c) => c.api.conversations[':id'].takeover.$post({ param: { id } }));
    if (!res.ok) return failWith(res, url, { text: '' });
    return { notice: 'Você assumiu a conversa: a Anna pausou até você devolver.', text: '' };
  },
  devolver: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const denied = denyReadOnly(session, { text: '' });
    if (denied) return denied;
    const id = conversationOf(await request.formData());
    if (!id) return noConversation();
    const res = await call(session.token, 'conversation hand-back', (c) => c.api.conversations[':id'].handback.$post({ param: { id } }));
    if (!res.ok) return failWith(res, url, { text: '' });
    return { notice: 'Conversa devolvida para a Anna.', text: '' };
  },
  enviar: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const text = String(form.get('text') ?? '');
    const denied = denyReadOnly(session, { text });
    if (denied) return denied;
    const id = conversationOf(form);
    if (!id) return noConversation();
    if (!text.trim()) return fail(400, { text, message: 'Escreva a mensagem.', code: 'validation_failed', fields: { text: ['Escreva a mensagem.'] } });
    // One key per submitted form: a double submit of the same form does not send twice.
    const key = UUID.test(String(form.get('key') ?? '')) ? String(form.get('key')) : crypto.randomUUID();
    const res = await call(session.token, 'staff message', (c) => c.api.conversations[':id'].messages.$post({
      param: { id }, json: { text }, header: { 'idempotency-key': key },
    }));
    if (!res.ok) return failWith(res, url, { text });
    return { notice: null, text: '' };
  },
  lida: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    if (session.role === 'view') return { notice: null, text: '' };
    const id = conversationOf(await request.formData());
    if (!id) return noConversation();
    const res = await call(session.token, 'conversation read', (c) => c.api.conversations[':id'].read.$post({ param: { id } }));
    if (!res.ok) return failWith(res, url, { text: '' });
    return { notice: null, text: '' };
  },
} satisfies Actions;
