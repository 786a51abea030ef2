// The patient's signed link (from the WhatsApp/SMS/e-mail reminder): no login. The API checks the token,
// shows the appointment and acts at most once; this page only relays it (form actions work without JS).
import { fail } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import type { Actions, PageServerLoad } from './$types';

export interface LinkView {
  action: 'confirm' | 'cancel';
  state: 'pending' | 'confirmed' | 'cancelled' | 'closed';
  canAct: boolean;
  message: string;
  outcome?: 'done' | 'already' | 'not_possible';
  appointment: {
    startsAt: string; date: string; time: string; timezone: string; status: string;
    patientFirstName: string; procedure: string; professional: string;
    clinic: { name: string; address: string | null; phone: string | null; mapUrl: string | null };
  };
}
export interface LinkFailure {
  status: number;
  code: string;
  message: string;
}

const TIMEOUT_MS = 15_000;
const apiBase = () => env.API_URL ?? `http://127.0.0.1:${env.API_PORT ?? 8787}`;

async function call(path: string, init?: RequestInit): Promise<{ ok: true; view: LinkView } | { ok: false; failure: LinkFailure }> {
  try {
    const res = await fetch(`${apiBase()}/api/public/appointments/${path}`, {
      ...init, headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}) }, signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const body = (await res.json().catch(() => null)) as (LinkView & { error?: { code: string; message: string } }) | null;
    if (res.ok && body && !body.error) return { ok: true, view: body };
    return {
      ok: false,
      failure: {
        status: res.status,
        code: body?.error?.code ?? 'server_error',
        message: body?.error?.message ?? 'Não foi possível abrir este link agora. Tente novamente em instantes.',
      },
    };
  } catch {
    return { ok: false, failure: { status: 503, code: 'api_unavailable', message: 'Não foi possível conectar à clínica agora. Tente novamente em instantes.' } };
  }
}

export const load = (async ({ params }) => {
  const r = await call(encodeURIComponent(params.token));
  return r.ok ? { view: r.view, failure: null } : { view: null, failure: r.failure };
}) satisfies PageServerLoad;

export const actions = {
  confirm: async ({ params }) => {
    const r = await call(`${encodeURIComponent(params.token)}/confirm`, { method: 'POST' });
    return r.ok ? { result: r.view } : fail(r.failure.status >= 500 ? 502 : r.failure.status, { failure: r.failure });
  },
  cancel: async ({ params, request }) => {
    const form = await request.formData();
    const reason = String(form.get('reason') ?? '').trim();
    if (reason.length > 500) {
      return fail(400, { failure: { status: 400, code: 'validation_failed', message: 'O motivo deve ter no máximo 500 caracteres.' }, reason });
    }
    const r = await call(`${encodeURIComponent(params.token)}/cancel`, { method: 'POST', body: JSON.stringify(reason ? { reason } : {}) });
    return r.ok ? { result: r.view } : fail(r.failure.status >= 500 ? 502 : r.failure.status, { failure: r.failure, reason });
  },
} satisfies Actions;
