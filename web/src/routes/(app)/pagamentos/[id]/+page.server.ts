// One payment: its links (checkouts), sending the open link to the patient, refunds, receipt and the refund dialog.
import { error } from '@sveltejs/kit';
import { apiFetch, failureOf, unavailable } from '$lib/server/api';
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
  const detail = (await res.json()) as PaymentDetail;
  const paid = detail.payment.status === 'aprovado' || detail.payment.status === 'reembolsado';
  const now = Date.now();
  // The API sends the most recent open, unexpired link; the buttons only show when there is one.
  const openCheckout = paid ? null : detail.checkouts.find((c) => c.status === 'aberto' && Date.parse(c.expiresAt) > now) ?? null;
  return { detail, canEdit: session.role !== 'view', timeZone: session.clinic.timezone, openCheckoutId: openCheckout?.id ?? null };
}) satisfies PageServerLoad;

export interface LinkSent {
  status: 'sent' | 'queued' | 'duplicate';
  outboxId: string;
  channel: SendChannel;
  to: string;
}

const SEND_CHANNELS = ['whatsapp', 'sms', 'email'] as const;
type SendChannel = (typeof SEND_CHANNELS)[number];

export const actions = {
  send: async ({ locals, url, request, params }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const raw = text(form, 'channel') || 'whatsapp';
    const denied = denyReadOnly(session, { channel: raw });
    if (denied) return denied;
    if (!(SEND_CHANNELS as readonly string[]).includes(raw)) {
      return failWith({ ok: false, status: 400, error: { code: 'validation_failed', message: 'Canal inválido: use WhatsApp, SMS ou e-mail.' } }, url, { channel: raw });
    }
    const channel = raw as SendChannel;
    let res: Response;
    try {
      res = await apiFetch(session.token, `/api/payments/${params.id}/send`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channel }), signal: AbortSignal.timeout(15_000),
      });
    } catch {
      return failWith({ ok: false, status: 503, error: unavailable }, url, { channel });
    }
    if (!res.ok) return failWith(await failureOf(res), url, { channel });
    return { linkSent: (await res.json()) as LinkSent };
  },
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
