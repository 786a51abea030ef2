// Comissões: the month's ledger per professional, closing the month and paying it out (Stripe Connect
// for connected professionals, manual for the others).
import { apiFetch, failureOf } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { denyReadOnly, failWith, text } from '$lib/server/pages';
import { todayIn } from '$lib/time';
import type { Actions, PageServerLoad } from './$types';

export interface CommissionSummary { professionalId: string; name: string; totalCents: number; openCents: number; closedCents: number }
export interface PayoutRow { professionalId: string; name: string; amountCents: number; method: 'stripe' | 'manual'; transferId: string | null; status: 'pago' | 'pendente_manual' | 'ja_pago' }

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const asked = url.searchParams.get('mes') ?? '';
  const month = MONTH.test(asked) ? asked : todayIn(session.clinic.timezone).slice(0, 7);
  const res = await apiFetch(session.token, `/api/commissions?month=${month}`);
  if (!res.ok) return { month, closed: false, professionals: [] as CommissionSummary[], entries: 0, loadError: (await failureOf(res)).error.message, canEdit: session.role !== 'view' };
  const body = (await res.json()) as { closed: boolean; professionals: CommissionSummary[]; entries: unknown[] };
  return { month, closed: body.closed, professionals: body.professionals, entries: body.entries.length, loadError: null, canEdit: session.role !== 'view' };
}) satisfies PageServerLoad;

const post = (token: string, path: string, body: unknown) => apiFetch(token, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export const actions = {
  close: async ({ locals, url, request }) => {
    const session = requireSession(locals, url);
    const month = text(await request.formData(), 'month');
    const denied = denyReadOnly(session, { month });
    if (denied) return denied;
    const res = await post(session.token, '/api/commissions/close', { month });
    if (!res.ok) return failWith(await failureOf(res), url, { month });
    return { closedMonth: month };
  },
  payout: async ({ locals, url, request }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const month = text(form, 'month');
    const denied = denyReadOnly(session, { month });
    if (denied) return denied;
    const res = await post(session.token, '/api/commissions/payout', { month, recordManual: text(form, 'recordManual') === '1' });
    if (!res.ok) return failWith(await failureOf(res), url, { month });
    return { payouts: ((await res.json()) as { payouts: PayoutRow[] }).payouts };
  },
} satisfies Actions;
