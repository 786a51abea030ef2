// Reconciliation (pure): Stripe balance transactions vs our payments and refunds. Matched charges,
// fee differences, what Stripe has that we do not, and what we have that Stripe does not.
import type { BalanceTransaction } from '../../providers/payments/types';

export interface InternalPayment { id: string; paymentIntentId: string; amountCents: number; feeCents: number | null }
export interface InternalRefund { id: string; paymentId: string; providerRefundId: string; amountCents: number }

export interface Reconciliation {
  matched: { paymentId: string; transactionId: string; amountCents: number; feeCents: number }[];
  feeDifferences: { paymentId: string; transactionId: string; recordedFeeCents: number | null; stripeFeeCents: number }[];
  amountDifferences: { paymentId: string; transactionId: string; recordedCents: number; stripeCents: number }[];
  missingInternally: { transactionId: string; type: string; sourceId: string | null; amountCents: number }[];
  missingInStripe: { paymentId?: string; refundId?: string; reference: string; amountCents: number }[];
  totals: { grossCents: number; feeCents: number; netCents: number };
}

const CHARGE_TYPES = new Set(['charge', 'payment']);
const REFUND_TYPES = new Set(['refund', 'payment_refund']);

export function reconcile(txns: BalanceTransaction[], payments: InternalPayment[], refunds: InternalRefund[]): Reconciliation {
  const byIntent = new Map(payments.map((p) => [p.paymentIntentId, p]));
  const byRefund = new Map(refunds.map((r) => [r.providerRefundId, r]));
  const seenPayments = new Set<string>();
  const seenRefunds = new Set<string>();
  const out: Reconciliation = { matched: [], feeDifferences: [], amountDifferences: [], missingInternally: [], missingInStripe: [], totals: { grossCents: 0, feeCents: 0, netCents: 0 } };
  for (const t of txns) {
    out.totals.grossCents += t.amountCents; out.totals.feeCents += t.feeCents; out.totals.netCents += t.netCents;
    if (CHARGE_TYPES.has(t.type)) {
      const p = t.sourceId ? byIntent.get(t.sourceId) : undefined;
      if (!p) { out.missingInternally.push({ transactionId: t.id, type: t.type, sourceId: t.sourceId, amountCents: t.amountCents }); continue; }
      seenPayments.add(p.id);
      out.matched.push({ paymentId: p.id, transactionId: t.id, amountCents: t.amountCents, feeCents: t.feeCents });
      if (p.feeCents !== t.feeCents) out.feeDifferences.push({ paymentId: p.id, transactionId: t.id, recordedFeeCents: p.feeCents, stripeFeeCents: t.feeCents });
      if (p.amountCents !== t.amountCents) out.amountDifferences.push({ paymentId: p.id, transactionId: t.id, recordedCents: p.amountCents, stripeCents: t.amountCents });
    } else if (REFUND_TYPES.has(t.type)) {
      const r = t.sourceId ? byRefund.get(t.sourceId) : undefined;
      if (!r) { out.missingInternally.push({ transactionId: t.id, type: t.type, sourceId: t.sourceId, amountCents: t.amountCents }); continue; }
      seenRefunds.add(r.id);
    }
  }
  for (const p of payments) if (!seenPayments.has(p.id)) out.missingInStripe.push({ paymentId: p.id, reference: p.paymentIntentId, amountCents: p.amountCents });
  for (const r of refunds) if (!seenRefunds.has(r.id)) out.missingInStripe.push({ refundId: r.id, paymentId: r.paymentId, reference: r.providerRefundId, amountCents: -r.amountCents });
  return out;
}
