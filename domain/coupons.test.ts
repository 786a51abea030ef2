// Coupon rules as properties: never above the charge, never after its validity, never twice, never
// for another patient, never below the minimum; and the typed code forgiving case and dashes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discountFor, evaluateCoupon, normalizeCouponCode, type CouponFacts } from './coupons';

const NOW = new Date('2026-12-03T12:00:00Z');
const DAY = 86_400_000;
const P = 'patient-1';

const couponArb = fc.record({
  code: fc.constant('VOLTA-ABCD23'),
  patientId: fc.option(fc.constantFrom(P, 'patient-2'), { nil: null }),
  percentOff: fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }),
  amountOffCents: fc.integer({ min: 1, max: 500_000 }),
  minChargeCents: fc.integer({ min: 0, max: 100_000 }),
  validUntil: fc.integer({ min: -30, max: 30 }).map((d) => new Date(NOW.getTime() + d * DAY)),
  redeemedAt: fc.option(fc.constant(new Date(NOW.getTime() - DAY)), { nil: null }),
  revokedAt: fc.option(fc.constant(new Date(NOW.getTime() - DAY)), { nil: null }),
}).map((c): CouponFacts => ({ ...c, amountOffCents: c.percentOff == null ? c.amountOffCents : null }));

describe('evaluateCoupon', () => {
  it('never gives more than the charge, and what is left plus the discount is the charge', () => {
    fc.assert(fc.property(couponArb, fc.integer({ min: 1, max: 5_000_000 }), (c, charge) => {
      const v = evaluateCoupon(c, { patientId: P, chargeCents: charge, now: NOW });
      if (!v.ok) return;
      expect(v.discountCents).toBeGreaterThan(0);
      expect(v.discountCents).toBeLessThan(charge);
      expect(v.chargeCents + v.discountCents).toBe(charge);
      expect(v.chargeCents).toBeGreaterThanOrEqual(1);
    }), { numRuns: 2000 });
  });

  it('is refused when used, revoked, expired, for another patient or below its minimum — and accepted otherwise', () => {
    fc.assert(fc.property(couponArb, fc.integer({ min: 1, max: 5_000_000 }), (c, charge) => {
      const v = evaluateCoupon(c, { patientId: P, chargeCents: charge, now: NOW });
      const blocked = !!c.redeemedAt || !!c.revokedAt || c.validUntil < NOW || (c.patientId !== null && c.patientId !== P) || charge < c.minChargeCents
        || discountFor(c, charge) >= charge;
      expect(v.ok).toBe(!blocked);
      if (c.redeemedAt && !c.revokedAt) expect(v.ok || v.code).toBe('coupon_used');
    }), { numRuns: 2000 });
  });

  it('says why in pt-BR, with the date of expiry as dd/mm/aaaa and money as R$', () => {
    const base: CouponFacts = { code: 'VOLTA-ABCD23', patientId: P, percentOff: 15, amountOffCents: null, minChargeCents: 20000, validUntil: new Date('2026-12-31T23:00:00Z'), redeemedAt: null, revokedAt: null };
    expect(evaluateCoupon(base, { patientId: P, chargeCents: 30000, now: NOW })).toEqual({ ok: true, discountCents: 4500, chargeCents: 25500 });
    expect(evaluateCoupon({ ...base, validUntil: new Date('2026-11-30T12:00:00Z') }, { patientId: P, chargeCents: 30000, now: NOW }))
      .toMatchObject({ ok: false, code: 'coupon_expired', message: 'O cupom VOLTA-ABCD23 venceu em 30/11/2026.' });
    expect(evaluateCoupon(base, { patientId: P, chargeCents: 10000, now: NOW }))
      .toMatchObject({ ok: false, code: 'coupon_below_minimum', message: 'O cupom VOLTA-ABCD23 vale para cobranças a partir de R$ 200,00.' });
    expect(evaluateCoupon({ ...base, percentOff: 100 }, { patientId: P, chargeCents: 30000, now: NOW })).toMatchObject({ ok: false, code: 'coupon_covers_charge' });
    expect(evaluateCoupon({ ...base, percentOff: null, amountOffCents: 5000 }, { patientId: P, chargeCents: 30000, now: NOW })).toMatchObject({ ok: true, discountCents: 5000 });
    expect(evaluateCoupon(null, { patientId: P, chargeCents: 1, now: NOW })).toMatchObject({ ok: false, code: 'coupon_not_found' });
  });
});

describe('normalizeCouponCode', () => {
  it('forgives case, spaces and a missing dash, and is idempotent', () => {
    expect(normalizeCouponCode(' volta-abcd23 ')).toBe('VOLTA-ABCD23');
    expect(normalizeCouponCode('voltaabcd23')).toBe('VOLTA-ABCD23');
    expect(normalizeCouponCode('Mais – X7Y8Z9')).toBe('MAIS-X7Y8Z9');
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (s) => { expect(normalizeCouponCode(normalizeCouponCode(s))).toBe(normalizeCouponCode(s)); }));
  });
});
