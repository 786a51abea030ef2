// One payment: its links (checkouts), refunds, receipt and the refund dialog.
import { error } from '@sveltejs/kit';
import { apiFetch, failureOf } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { denyReadOnly, failWith, parseMoney, text } from '$lib/server/pages';
import { isUuid } from '$lib/url';
import type { Actions, PageServerLoad } from './$types';

export interface PaymentDetail {
  payment: {
    id: string; appointmentId: string | null; amountCents: number; refundedCents: number; netCents: number; method: string; status: string; kind: string;
    description: string | null; stripePaymentIntentId: string | null; feeCents: number | null; receiptUrl: string | null; failureReason: string | null;
    createdAt: string; processedAt: string | null; refundedAt: string | null;
  };
  patient: { id: string; name: string };
  checkouts: { id: string; provider: string; url: string; status: string; pixCode: string | null; expiresAt: string }[];
  refunds: { id: string; amountCents: number; reason: string; providerRefundId: string | null; createdAt: string }[];
  refundableCents: number;
}

export const load = (async ({ locals, url, params }) => {
  const session = requireSession(locals, url);
  if (!isUuid(params.id)) error(404, { message: 'Pagamento não encontrado.', code: 'not_found' });
  const res = await apiFetch(session.token, `/api/payments/${params.id}`);
  if (!res.ok) {
    const f = await failureOf(res);
    error(f.status >= 400 && f.status < 600 ? f.status : 502, { message: f.error.message, code: f.error.code });
  }
  return { detail: (await res.json()) as PaymentDetail, canEdit: session.role !== 'view', timeZone: session.clinic.timezone };
}) satisfies PageServerLoad;

export const actions = {
  refund: async ({ locals, url, request, params }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const values = { amount: text(form, 'amount'), reason: text(form, 'reason') };
    const denied = denyReadOnly(session, values);
    if (denied) return denied;
    const amountCents = values.amount ? parseMoney(values.amount) : undefined;
    if (amountCents === null) return failWith({ ok: false, status: 400, error: { code: 'validation_failed', message: 'Valor do reembolso inválido.', fields: { amountCents: ['Valor inválido.'] } } }, url, values);
    const res = await apiFetch(session.token, `/api/payments/${params.id}/refund`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: values.reason, ...(amountCents !== undefined ? { amountCents } : {}) }),
    });
    if (!res.ok) return failWith(await failureOf(res), url, values);
    return { refunded: true };
  },
} satisfies Actions;
