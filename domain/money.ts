// Money in integer centavos (BRL): proportional splits that always sum exactly, refund limits,
// commissions (optionally after card fees), deposits, and the payment status those imply.

export const isCents = (n: number) => Number.isSafeInteger(n);

/**
 * Splits `total` centavos in proportion to `weights` (largest-remainder method): every part is an
 * integer, the parts sum exactly to `total`, and ties go to the earlier weight (deterministic).
 */
export function splitProportional(total: number, weights: readonly number[]): number[] {
  if (!isCents(total) || total < 0) throw new RangeError('total must be a non-negative integer of centavos');
  if (weights.length === 0) return [];
  if (weights.some((w) => !Number.isFinite(w) || w < 0)) throw new RangeError('weights must be non-negative');
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return splitProportional(total, weights.map(() => 1));
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k].i] += 1;
  return parts;
}

/** `amount × bps / 10000`, rounded half up to the centavo. */
export function applyBps(amountCents: number, bps: number): number {
  return Math.floor((amountCents * bps + 5000) / 10000);
}

export type RefundCheck =
  | { ok: true; amountCents: number; remainingAfterCents: number }
  | { ok: false; reason: 'not_paid' | 'nothing_left' | 'not_positive' | 'above_remaining'; remainingCents: number };

/** A refund of `requested` (default: everything left) against what was paid and already refunded. */
export function checkRefund(paidCents: number, refundedCents: number, requested?: number): RefundCheck {
  const remaining = Math.max(0, paidCents - refundedCents);
  if (paidCents <= 0) return { ok: false, reason: 'not_paid', remainingCents: 0 };
  if (remaining === 0) return { ok: false, reason: 'nothing_left', remainingCents: 0 };
  const amount = requested ?? remaining;
  if (!isCents(amount) || amount <= 0) return { ok: false, reason: 'not_positive', remainingCents: remaining };
  if (amount > remaining) return { ok: false, reason: 'above_remaining', remainingCents: remaining };
  return { ok: true, amountCents: amount, remainingAfterCents: remaining - amount };
}

export interface CommissionRule {
  /** Percentage in basis points (1500 = 15%). */
  bps?: number;
  /** Fixed amount per procedure, in centavos (wins over bps). */
  fixedCents?: number;
  /** Deduct the card fee from the base first. */
  afterCardFees?: boolean;
}

/** A professional's commission on one payment: never negative, never more than the base. */
export function commissionFor(amountCents: number, feeCents: number, rule: CommissionRule): { baseCents: number; commissionCents: number } {
  const base = Math.max(0, amountCents - (rule.afterCardFees ? Math.max(0, feeCents) : 0));
  const raw = rule.fixedCents != null ? rule.fixedCents : applyBps(base, rule.bps ?? 0);
  return { baseCents: base, commissionCents: Math.min(base, Math.max(0, raw)) };
}

/**
 * The part of a commission a refund takes back: proportional to the refund, and the reversals of
 * all refunds together never exceed the commission (the last full refund takes back exactly the rest).
 */
export function commissionReversal(commissionCents: number, paidCents: number, refundedBeforeCents: number, refundCents: number): number {
  // BigInt: commission × refunded can pass 2^53 for large amounts, and a rounding slip would break the sum.
  const c = BigInt(commissionCents); const paid = BigInt(paidCents);
  const reversedBefore = (c * BigInt(refundedBeforeCents)) / paid;
  const reversedAfter = (c * BigInt(refundedBeforeCents + refundCents)) / paid;
  return Number(reversedAfter - reversedBefore);
}

/** Deposit (sinal) for a procedure: a fixed amount or a share of the price, never above the price. */
export function depositFor(priceCents: number, rule: { bps?: number; cents?: number } | undefined): number {
  if (!rule) return 0;
  const raw = rule.cents != null ? rule.cents : applyBps(priceCents, rule.bps ?? 0);
  return Math.min(priceCents, Math.max(0, raw));
}

export type PaymentState = 'pendente' | 'processando' | 'aprovado' | 'recusado' | 'reembolsado';

/** A payment's status from what is known: money in, and how much of it went back. */
export function paymentState(succeeded: boolean, amountCents: number, refundedCents: number, current: PaymentState): PaymentState {
  if (succeeded || current === 'aprovado' || current === 'reembolsado') {
    return refundedCents >= amountCents ? 'reembolsado' : 'aprovado';
  }
  return current;
}

/** The appointment's payment status from its payments: pago when what was kept covers anything, reembolsado when all went back. */
export function appointmentPaymentState(payments: readonly { status: PaymentState; amountCents: number; refundedCents: number }[]): 'pendente' | 'pago' | 'reembolsado' {
  const settled = payments.filter((p) => p.status === 'aprovado' || p.status === 'reembolsado');
  if (settled.length === 0) return 'pendente';
  const kept = settled.reduce((s, p) => s + p.amountCents - p.refundedCents, 0);
  return kept > 0 ? 'pago' : 'reembolsado';
}

/** R$ 1.234,56 */
export function formatBrl(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const reais = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}R$ ${reais},${String(abs % 100).padStart(2, '0')}`;
}
