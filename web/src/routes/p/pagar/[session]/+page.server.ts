// The local checkout (embedded default, no Stripe): the patient pays a charge with card or Pix, or
// simulates a failure. No login: the checkout id in the link is the key. The API feeds the choice
// into the same payment event handler as Stripe's webhook; this page only relays it (works without JS).
import { fail } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import type { Actions, PageServerLoad } from './$types';

export interface CheckoutView {
  clinicName: string;
  description: string | null;
  amountCents: number;
  status: 'aberto' | 'pago' | 'expirado' | 'falhou';
  paymentStatus: string;
  pixCode: string | null;
  expiresAt: string;
  failureReason: string | null;
  provider: 'local' | 'stripe';
  payUrl: string;
}
export interface CheckoutFailure { status: number; code: string; message: string }

const TIMEOUT_MS = 15_000;
const apiBase = () => env.API_URL ?? `http://127.0.0.1:${env.API_PORT ?? 8787}`;

async function call(path: string, init?: RequestInit): Promise<{ ok: true; view: CheckoutView } | { ok: false; failure: CheckoutFailure }> {
  try {
    const res = await fetch(`${apiBase()}/api/public/checkout/${path}`, { ...init, headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    const body = (await res.json().catch(() => null)) as (CheckoutView & { error?: { code: string; message: string } }) | null;
    if (res.ok && body && !body.error) return { ok: true, view: body };
    return { ok: false, failure: { status: res.status, code: body?.error?.code ?? 'server_error', message: body?.error?.message ?? 'Não foi possível abrir este pagamento agora. Tente novamente em instantes.' } };
  } catch {
    return { ok: false, failure: { status: 503, code: 'api_unavailable', message: 'Não foi possível conectar à clínica agora. Tente novamente em instantes.' } };
  }
}

export const load = (async ({ params }) => {
  const r = await call(encodeURIComponent(params.session));
  return r.ok ? { view: r.view, failure: null } : { view: null, failure: r.failure };
}) satisfies PageServerLoad;

const pay = (outcome: 'cartao' | 'pix' | 'falhar') => (async ({ params }) => {
  const r = await call(`${encodeURIComponent(params.session)}/${outcome}`, { method: 'POST' });
  return r.ok ? { result: r.view, outcome } : fail(r.failure.status >= 500 ? 502 : r.failure.status, { failure: r.failure });
}) satisfies Actions[string];

export const actions = { cartao: pay('cartao'), pix: pay('pix'), falhar: pay('falhar') } satisfies Actions;
