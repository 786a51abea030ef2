// Pagamentos: the list with filters and totals, a new charge (checkout / payment link), a payment
// received at the desk, and refunds. All through /api/payments; the API validates and audits.
import { fail } from '@sveltejs/kit';
import { apiFetch, failureOf } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { denyReadOnly, failWith, parseMoney, text } from '$lib/server/pages';
import { isDay } from '$lib/time';
import { isUuid } from '$lib/url';
import type { Actions, PageServerLoad } from './$types';

export interface PaymentItem {
  id: string; patientName: string; patientId: string; appointmentId: string | null; amountCents: number; refundedCents: number; netCents: number; discountCents?: number;
  method: 'cartao' | 'pix' | 'boleto' | 'dinheiro'; status: 'pendente' | 'processando' | 'aprovado' | 'recusado' | 'reembolsado';
  kind: 'full' | 'deposit'; description: string | null; failureReason: string | null; createdAt: string; processedAt: string | null; receiptUrl: string | null;
}
export interface Totals { count: number; amountCents: number; approvedCents: number; refundedCents: number; netCents: number; pendingCents: number }

const STATUSES = ['pendente', 'processando', 'aprovado', 'recusado', 'reembolsado'];
const METHODS = ['cartao', 'pix', 'boleto', 'dinheiro'];

async function json<T>(res: Response): Promise<{ ok: true; data: T } | { ok: false; failure: Awaited<ReturnType<typeof failureOf>> }> {
  if (!res.ok) return { ok: false, failure: await failureOf(res) };
  return { ok: true, data: (await res.json()) as T };
}

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const q = url.searchParams;
  const filters = {
    status: STATUSES.includes(q.get('status') ?? '') ? q.get('status')! : '',
    method: METHODS.includes(q.get('forma') ?? '') ? q.get('forma')! : '',
    de: isDay(q.get('de')) ? q.get('de')! : '',
    ate: isDay(q.get('ate')) ? q.get('ate')! : '',
  };
  const query = new URLSearchParams();
  if (filters.status) query.set('status', filters.status);
  if (filters.method) query.set('method', filters.method);
  if (filters.de) query.set('from', filters.de);
  if (filters.ate) query.set('to', filters.ate);
  query.set('limit', '200');
  const [list, pats] = await Promise.all([
    apiFetch(session.token, `/api/payments?${query}`).then((r) => json<{ payments: PaymentItem[]; totals: Totals }>(r)).catch(() => null),
    apiFetch(session.token, '/api/patients?limit=100&sort=name').then((r) => json<{ items: { id: string; name: string }[] }>(r)).catch(() => null),
  ]);
  return {
    filters,
    payments: list?.ok ? list.data.payments : [],
    totals: list?.ok ? list.data.totals : null,
    loadError: list?.ok ? null : list?.failure.error.message ?? 'Não foi possível carregar os pagamentos.',
    patients: pats?.ok ? pats.data.items.map((p) => ({ id: p.id, name: p.name })) : [],
    canEdit: session.role !== 'view',
    timeZone: session.clinic.timezone,
  };
}) satisfies PageServerLoad;

async function send(token: string, path: string, body: unknown) {
  return apiFetch(token, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

export const actions = {
  charge: async ({ locals, url, request }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const values = { form: 'charge', patientId: text(form, 'patientId'), amount: text(form, 'amount'), description: text(form, 'description'), couponCode: text(form, 'couponCode') };
    const denied = denyReadOnly(session, values);
    if (denied) return denied;
    const amountCents = parseMoney(values.amount);
    if (!isUuid(values.patientId)) return fail(400, { ...values, message: 'Escolha o paciente.', code: 'validation_failed', fields: { patientId: ['Escolha o paciente.'] } });
    if (amountCents === null) return fail(400, { ...values, message: 'Informe o valor, ex.: 150,00.', code: 'validation_failed', fields: { amountCents: ['Valor inválido.'] } });
    const methods = form.getAll('methods').filter((m): m is string => m === 'card' || m === 'pix');
    const res = await send(session.token, '/api/payments', {
      patientId: values.patientId, amountCents, ...(values.description ? { description: values.description } : {}), ...(methods.length ? { methods } : {}),
      ...(text(form, 'kind') === 'link' ? { kind: 'link' } : {}), ...(values.couponCode ? { couponCode: values.couponCode } : {}),
    });
    if (!res.ok) return failWith(await failureOf(res), url, values);
    const body = (await res.json()) as { checkout: { url: string } };
    return { form: 'charge', created: body.checkout.url };
  },
  manual: async ({ locals, url, request }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const values = { form: 'manual', patientId: text(form, 'patientId'), amount: text(form, 'amount'), method: text(form, 'method'), description: text(form, 'description'), couponCode: text(form, 'couponCode') };
    const denied = denyReadOnly(session, values);
    if (denied) return denied;
    const amountCents = parseMoney(values.amount);
    if (!isUuid(values.patientId)) return fail(400, { ...values, message: 'Escolha o paciente.', code: 'validation_failed', fields: { patientId: ['Escolha o paciente.'] } });
    if (amountCents === null) return fail(400, { ...values, message: 'Informe o valor, ex.: 150,00.', code: 'validation_failed', fields: { amountCents: ['Valor inválido.'] } });
    const res = await send(session.token, '/api/payments/manual', { patientId: values.patientId, amountCents, method: values.method, ...(values.description ? { description: values.description } : {}), ...(values.couponCode ? { couponCode: values.couponCode } : {}) });
    if (!res.ok) return failWith(await failureOf(res), url, values);
    return { form: 'manual', recorded: true };
  },
  refund: async ({ locals, url, request }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const values = { form: 'refund', paymentId: text(form, 'paymentId'), amount: text(form, 'amount'), reason: text(form, 'reason') };
    const denied = denyReadOnly(session, values);
    if (denied) return denied;
    if (!isUuid(values.paymentId)) return fail(400, { ...values, message: 'Pagamento inválido.', code: 'validation_failed', fields: {} });
    const amountCents = values.amount ? parseMoney(values.amount) : undefined;
    if (amountCents === null) return fail(400, { ...values, message: 'Valor do reembolso inválido.', code: 'validation_failed', fields: { amountCents: ['Valor inválido.'] } });
    const res = await send(session.token, `/api/payments/${values.paymentId}/refund`, { reason: values.reason, ...(amountCents !== undefined ? { amountCents } : {}) });
    if (!res.ok) return failWith(await failureOf(res), url, values);
    return { form: 'refund', refunded: values.paymentId };
  },
} satisfies Actions;
