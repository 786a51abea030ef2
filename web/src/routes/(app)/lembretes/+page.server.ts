import { fail } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { denyReadOnly, failWith, soft } from '$lib/server/pages';
import { isDay } from '$lib/time';
import { REMINDER_CHANNELS, REMINDER_KEYS, type ReminderChannel, type ReminderKey } from '$lib/reminders';
import type { Actions, PageServerLoad } from './$types';

const pick = <T extends string>(v: string | null, all: readonly T[], fallback: T): T => ((all as readonly string[]).includes(v ?? '') ? (v as T) : fallback);

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const q = url.searchParams;
  const tab = q.get('aba') === 'relatorio' ? 'relatorio' : 'modelos';
  const key = pick(q.get('etapa'), REMINDER_KEYS, 'reminder_24h');
  const channel = pick(q.get('canal'), REMINDER_CHANNELS, 'whatsapp');
  const base = { tab, key, channel, canEdit: session.role !== 'view', timeZone: session.clinic.timezone };
  if (tab === 'relatorio') {
    const from = isDay(q.get('de')) ? q.get('de')! : undefined;
    const to = isDay(q.get('ate')) ? q.get('ate')! : undefined;
    const report = soft(await call(session.token, 'reminders report', (c) => c.api.reminders.report.$get({ query: { ...(from ? { from } : {}), ...(to ? { to } : {}) } })), url);
    return { ...base, report: report.data, loadError: report.message, templates: null, variables: [], preview: null };
  }
  const list = soft(await call(session.token, 'reminder templates', (c) => c.api.reminders.templates.$get()), url);
  // The server-rendered preview of the saved text (JS replaces it live while typing).
  const preview = list.data && session.role !== 'view'
    ? await call(session.token, 'reminder preview', (c) => c.api.reminders.templates.preview.$post({ json: { key, channel } }))
    : null;
  return {
    ...base, report: null, loadError: list.message,
    templates: list.data?.templates ?? null, variables: list.data?.variables ?? [],
    preview: preview?.ok ? preview.data : null,
  };
}) satisfies PageServerLoad;

function readForm(form: FormData) {
  const key = pick(String(form.get('key') ?? ''), REMINDER_KEYS, 'reminder_24h') as ReminderKey;
  const channel = pick(String(form.get('channel') ?? ''), REMINDER_CHANNELS, 'whatsapp') as ReminderChannel;
  const body = String(form.get('body') ?? '');
  const subject = channel === 'email' ? String(form.get('subject') ?? '').trim() : '';
  return { key, channel, body, subject };
}

export const actions = {
  salvar: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const f = readForm(await request.formData());
    const denied = denyReadOnly(session, { action: 'salvar', ...f });
    if (denied) return denied;
    if (!f.body.trim()) return fail(400, { action: 'salvar', ...f, message: 'Informe o texto.', code: 'validation_failed', fields: { body: ['Informe o texto.'] } });
    const res = await call(session.token, 'save template', (c) => c.api.reminders.templates[':key'][':channel'].$put({
      param: { key: f.key, channel: f.channel }, json: { body: f.body, ...(f.channel === 'email' ? { subject: f.subject || null } : {}) },
    }));
    if (!res.ok) return failWith(res, url, { action: 'salvar', ...f });
    return { action: 'salvar', ...f, saved: true, warnings: res.data.warnings, message: 'Texto salvo. Os próximos lembretes já usam este texto.' };
  },
  restaurar: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const f = readForm(await request.formData());
    const denied = denyReadOnly(session, { action: 'restaurar', ...f });
    if (denied) return denied;
    const res = await call(session.token, 'restore template', (c) => c.api.reminders.templates[':key'][':channel'].$delete({ param: { key: f.key, channel: f.channel } }));
    if (!res.ok) return failWith(res, url, { action: 'restaurar', ...f });
    return { action: 'restaurar', ...f, body: res.data.body, subject: res.data.subject ?? '', restored: true, message: 'Texto padrão restaurado.' };
  },
  previa: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const f = readForm(await request.formData());
    const res = await call(session.token, 'preview template', (c) => c.api.reminders.templates.preview.$post({
      json: { key: f.key, channel: f.channel, body: f.body || ' ', ...(f.channel === 'email' ? { subject: f.subject || null } : {}) },
    }));
    if (!res.ok) return failWith(res, url, { action: 'previa', ...f });
    return { action: 'previa', ...f, preview: res.data };
  },
  teste: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const f = readForm(await request.formData());
    const denied = denyReadOnly(session, { action: 'teste', ...f });
    if (denied) return denied;
    const res = await call(session.token, 'test template', (c) => c.api.reminders.templates.test.$post({
      json: { key: f.key, channel: f.channel, body: f.body, ...(f.channel === 'email' ? { subject: f.subject || null } : {}) },
    }));
    if (!res.ok) return failWith(res, url, { action: 'teste', ...f });
    const where = f.channel === 'email' ? 'seu e-mail' : 'seu telefone';
    return { action: 'teste', ...f, tested: res.data, message: `Teste enviado para ${where} (${res.data.to}): situação "${res.data.status}".` };
  },
} satisfies Actions;
