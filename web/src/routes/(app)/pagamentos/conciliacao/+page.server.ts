// Conciliação: Stripe balance transactions and payouts of a period against our payments and refunds.
import { apiFetch, failureOf } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { addDays, isDay, todayIn } from '$lib/time';
import type { PageServerLoad } from './$types';

export interface ReconciliationReport {
  provider: 'local' | 'stripe';
  message?: string;
  matched: { paymentId: string; transactionId: string; amountCents: number; feeCents: number }[];
  feeDifferences: { paymentId: string; transactionId: string; recordedFeeCents: number | null; stripeFeeCents: number }[];
  amountDifferences: { paymentId: string; transactionId: string; recordedCents: number; stripeCents: number }[];
  missingInternally: { transactionId: string; type: string; sourceId: string | null; amountCents: number }[];
  missingInStripe: { paymentId?: string; refundId?: string; reference: string; amountCents: number }[];
  payouts: { id: string; amountCents: number; status: string; arrivalDate: string }[];
  totals: { grossCents: number; feeCents: number; netCents: number };
}

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const today = todayIn(session.clinic.timezone);
  const from = isDay(url.searchParams.get('de')) ? url.searchParams.get('de')! : addDays(today, -30);
  const to = isDay(url.searchParams.get('ate')) ? url.searchParams.get('ate')! : today;
  const res = await apiFetch(session.token, `/api/reconciliation?from=${from}&to=${to}`);
  if (!res.ok) return { from, to, report: null, loadError: (await failureOf(res)).error.message };
  return { from, to, report: (await res.json()) as ReconciliationReport, loadError: null };
}) satisfies PageServerLoad;
