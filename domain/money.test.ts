import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appointmentPaymentState, checkRefund, commissionFor, commissionReversal, depositFor, formatBrl, paymentState, splitProportional } from './money';

const cents = fc.integer({ min: 1, max: 100_000_000 });

describe('splitProportional', () => {
  it('parts are integers that sum exactly to the total', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 100_000_000 }), fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 12 }), (total, weights) => {
      const parts = splitProportional(total, weights);
      expect(parts).toHaveLength(weights.length);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
      const sum = weights.reduce((a, b) => a + b, 0);
      parts.forEach((p, i) => {
        expect(Number.isInteger(p)).toBe(true);
        if (sum > 0) expect(Math.abs(p - (total * weights[i]) / sum)).toBeLessThan(1);
      });
    }));
  });
  it('splits R$ 100,00 in three as 33,34 + 33,33 + 33,33', () => {
    expect(splitProportional(10000, [1, 1, 1])).toEqual([3334, 3333, 3333]);
  });
});

describe('refunds', () => {
  it('any sequence of accepted refunds sums to at most what was paid, and a full refund reaches it exactly', () => {
    fc.assert(fc.property(cents, fc.array(fc.integer({ min: -10, max: 200_000_000 }), { maxLength: 20 }), (paid, requests) => {
      let refunded = 0;
      for (const r of requests) {
        const check = checkRefund(paid, refunded, r);
        if (check.ok) refunded += check.amountCents;
        else expect(['above_remaining', 'not_positive', 'nothing_left']).toContain(check.reason);
        expect(refunded).toBeLessThanOrEqual(paid);
      }
      const rest = checkRefund(paid, refunded);
      if (rest.ok) refunded += rest.amountCents;
      expect(refunded).toBe(paid);
      expect(paymentState(true, paid, refunded, 'aprovado')).toBe('reembolsado');
    }));
  });
  it('refuses above the remaining amount and non-positive amounts', () => {
    expect(checkRefund(1000, 400, 601)).toEqual({ ok: false, reason: 'above_remaining', remainingCents: 600 });
    expect(checkRefund(1000, 0, 0)).toMatchObject({ ok: false, reason: 'not_positive' });
    expect(checkRefund(1000, 1000)).toMatchObject({ ok: false, reason: 'nothing_left' });
  });
});

describe('commissions', () => {
  it('commission reversals over any refund sequence sum to the commission taken back in proportion, never more', () => {
    fc.assert(fc.property(cents, fc.integer({ min: 0, max: 10_000 }), fc.array(fc.integer({ min: 1, max: 100_000_000 }), { maxLength: 10 }), (paid, bps, requests) => {
      const { commissionCents } = commissionFor(paid, 0, { bps });
      let refunded = 0; let reversed = 0;
      for (const r of [...requests, paid]) {
        const check = checkRefund(paid, refunded, Math.min(r, paid - refunded) || undefined);
        if (!check.ok) continue;
        reversed += commissionReversal(commissionCents, paid, refunded, check.amountCents);
        refunded += check.amountCents;
      }
      expect(refunded).toBe(paid);
      expect(reversed).toBe(commissionCents);
    }), { numRuns: 2000 });
  });
  it('deducts card fees first when asked; fixed amounts win; never above the base', () => {
    expect(commissionFor(10000, 399, { bps: 1000 })).toEqual({ baseCents: 10000, commissionCents: 1000 });
    expect(commissionFor(10000, 399, { bps: 1000, afterCardFees: true })).toEqual({ baseCents: 9601, commissionCents: 960 });
    expect(commissionFor(10000, 0, { fixedCents: 2500, bps: 1000 }).commissionCents).toBe(2500);
    expect(commissionFor(1000, 0, { fixedCents: 2500 }).commissionCents).toBe(1000);
    fc.assert(fc.property(cents, fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 10_000 }), fc.boolean(), (amount, fee, bps, after) => {
      const c = commissionFor(amount, fee, { bps, afterCardFees: after });
      expect(c.commissionCents).toBeGreaterThanOrEqual(0);
      expect(c.commissionCents).toBeLessThanOrEqual(c.baseCents);
      expect(c.commissionCents + (amount - c.commissionCents)).toBe(amount);
    }));
  });
});

describe('deposits and statuses', () => {
  it('a deposit is a share or fixed amount, capped at the price', () => {
    expect(depositFor(30000, { bps: 3000 })).toBe(9000);
    expect(depositFor(30000, { cents: 5000 })).toBe(5000);
    expect(depositFor(3000, { cents: 5000 })).toBe(3000);
    expect(depositFor(30000, undefined)).toBe(0);
  });
  it('appointment status follows its payments', () => {
    expect(appointmentPaymentState([])).toBe('pendente');
    expect(appointmentPaymentState([{ status: 'recusado', amountCents: 100, refundedCents: 0 }])).toBe('pendente');
    expect(appointmentPaymentState([{ status: 'aprovado', amountCents: 100, refundedCents: 40 }])).toBe('pago');
    expect(appointmentPaymentState([{ status: 'reembolsado', amountCents: 100, refundedCents: 100 }])).toBe('reembolsado');
  });
  it('formats reais', () => {
    expect(formatBrl(123456)).toBe('R$ 1.234,56');
    expect(formatBrl(5)).toBe('R$ 0,05');
  });
});
