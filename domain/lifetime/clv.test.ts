// CLV: expected visits × expected spend, month by month, discounted, in integer centavos.
import { describe, expect, it } from 'vitest';
import { customerLifetimeValue, customerLifetimeValueDetail, expectedAverageValue, expectedPurchases, DAYS_PER_MONTH } from './index';

// Weekly BG/NBD (the paper's CDNOW estimates) and spends in centavos (the paper's γ × 100).
const BG_WEEKS = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const BG_DAYS = { ...BG_WEEKS, alpha: BG_WEEKS.alpha * 7 };
const GG = { p: 6.25, q: 3.74, gamma: 1544 };
const patient = { frequency: 2, recency: 30.43, T: 38.86, monetaryValue: 25_000 };

describe('customerLifetimeValue', () => {
  it('without discount is expected visits over the horizon × expected spend', () => {
    const weeks = 12 * DAYS_PER_MONTH / 7;
    const visits = expectedPurchases(BG_WEEKS, patient, weeks);
    const spend = expectedAverageValue(GG, patient);
    const clv = customerLifetimeValue(BG_WEEKS, GG, patient, { unitDays: 7, monthlyDiscountRate: 0 });
    expect(Number.isInteger(clv)).toBe(true);
    expect(clv).toBe(Math.round(visits * spend));
    // By hand: (1544 + 2 × 25000) × 6.25 / (6.25 × 2 + 2.74) = 21138.45 centavos per visit (her
    // R$ 250,00 shrunk towards the clinic's mean of R$ 35,22 — two visits are little evidence), × 1.5631
    // visits in 52.18 weeks (1.226 in 39 weeks in the paper) = 33042 centavos.
    expect(spend).toBeCloseTo((1544 + 2 * 25_000) * 6.25 / (6.25 * 2 + 2.74), 6);
    expect(visits).toBeCloseTo(1.5631, 4);
    expect(clv).toBe(33042);
  });

  it('is the same in days as in weeks, when the unit is said', () => {
    const inDays = { ...patient, recency: patient.recency * 7, T: patient.T * 7 };
    const weeks = customerLifetimeValueDetail(BG_WEEKS, GG, patient, { unitDays: 7 });
    const days = customerLifetimeValueDetail(BG_DAYS, GG, inDays);
    expect(Math.abs(days.cents - weeks.cents)).toBeLessThanOrEqual(1);
    expect(days.expectedVisits).toBeCloseTo(weeks.expectedVisits, 10);
  });

  it('discounting lowers it, a longer horizon raises it, and a lapsed patient is worth less', () => {
    const base = customerLifetimeValue(BG_WEEKS, GG, patient, { unitDays: 7 });
    expect(customerLifetimeValue(BG_WEEKS, GG, patient, { unitDays: 7, monthlyDiscountRate: 0 })).toBeGreaterThan(base);
    expect(customerLifetimeValue(BG_WEEKS, GG, patient, { unitDays: 7, monthlyDiscountRate: 0.05 })).toBeLessThan(base);
    expect(customerLifetimeValue(BG_WEEKS, GG, patient, { unitDays: 7, horizonMonths: 24 })).toBeGreaterThan(base);
    expect(customerLifetimeValue(BG_WEEKS, GG, { ...patient, recency: 5 }, { unitDays: 7 })).toBeLessThan(base);
  });

  it('a patient of one visit gets the clinic mean spend; one of zero spend still has some value', () => {
    const first = customerLifetimeValueDetail(BG_WEEKS, GG, { frequency: 0, recency: 0, T: 10, monetaryValue: 0 }, { unitDays: 7 });
    expect(first.probabilityAlive).toBe(1);
    expect(first.expectedValuePerVisit).toBeCloseTo(GG.p * GG.gamma / (GG.q - 1), 8);
    expect(first.cents).toBeGreaterThan(0);
    expect(customerLifetimeValue(BG_WEEKS, GG, { ...patient, monetaryValue: 0 }, { unitDays: 7 })).toBeGreaterThan(0);
  });

  it('bad options are RangeErrors', () => {
    for (const opts of [{ horizonMonths: 0 }, { horizonMonths: 1.5 }, { monthlyDiscountRate: -0.1 }, { monthlyDiscountRate: NaN }, { unitDays: 0 }]) {
      expect(() => customerLifetimeValue(BG_WEEKS, GG, patient, opts)).toThrow(RangeError);
    }
  });
});
