// Planos mensais: list with the last renewal (failed renewals and their retry state), new plan, cancel.
import { fail } from '@sveltejs/kit';
import { apiFetch, failureOf } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { denyReadOnly, failWith, parseMoney, text } from '$lib/server/pages';
import { isUuid } from '$lib/url';
import type { Actions, PageServerLoad } from './$types';

export interface PlanRow {
  id: string; patientName: string; amountCents: number; dayOfMonth: number; status: 'ativo' | 'suspenso' | 'cancelado'; nextDate: string | null; description: string | null;
  lastRenewal: { status: string; failureReason: string | null; createdAt: string } | null;
}

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const [plans, pats] = await Promise.all([
    apiFetch(session.token, '/api/recurring-payments'),
    apiFetch(session.token, '/api/patients?limit=100&sort=name'),
  ]);
  return {
    plans: plans.ok ? ((await plans.json()) as { plans: PlanRow[] }).plans : [],
    loadError: plans.ok ? null : (await failureOf(plans)).error.message,
    patients: pats.ok ? ((await pats.json()) as { items: { id: string; name: string }[] }).items.map((p) => ({ id: p.id, name: p.name })) : [],
    canEdit: session.role !== 'view',
  };
}) satisfies PageServerLoad;

export const actions = {
  create: async ({ locals, url, request }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const values = { patientId: text(form, 'patientId'), amount: text(form, 'amount'), dayOfMonth: text(form, 'dayOfMonth'), description: text(form, 'description') };
    const denied = denyReadOnly(session, values);
    if (denied) return denied;
    const amountCents = parseMoney(values.amount);
    if (!isUuid(values.patientId) || amountCents === null) return fail(400, { ...values, message: 'Escolha o paciente e informe o valor.', code: 'validation_failed', fields: {} });
    const res = await apiFetch(session.token, '/api/recurring-payments', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ patientId: values.patientId, amountCents, dayOfMonth: Number(values.dayOfMonth), description: values.description }),
    });
    if (!res.ok) return failWith(await failureOf(res), url, values);
    return { created: true };
  },
  cancel: async ({ locals, url, request }) => {
    const session = requireSession(locals, url);
    const id = text(await request.formData(), 'id');
    const denied = denyReadOnly(session, { id });
    if (denied) return denied;
    const res = await apiFetch(session.token, `/api/recurring-payments/${encodeURIComponent(id)}/cancel`, { method: 'POST' });
    if (!res.ok) return failWith(await failureOf(res), url, { id });
    return { cancelled: true };
  },
} satisfies Actions;
