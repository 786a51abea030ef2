import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  classificationRule, classify, GOLD_MIN_SPENT_CENTS, GOLD_MIN_VISITS, SILVER_MIN_SPENT_CENTS, SILVER_MIN_VISITS, type Classification,
} from './classification';

describe('classification', () => {
  it('uses spend thresholds at their exact boundaries', () => {
    expect(classify({ totalSpentCents: GOLD_MIN_SPENT_CENTS, visitsLast12Months: 0 })).toBe('ouro');
    expect(classify({ totalSpentCents: GOLD_MIN_SPENT_CENTS - 1, visitsLast12Months: 0 })).toBe('prata');
    expect(classify({ totalSpentCents: SILVER_MIN_SPENT_CENTS, visitsLast12Months: 0 })).toBe('prata');
    expect(classify({ totalSpentCents: SILVER_MIN_SPENT_CENTS - 1, visitsLast12Months: 0 })).toBe('bronze');
    expect(classify({ totalSpentCents: 1, visitsLast12Months: 0 })).toBe('bronze');
    expect(classify({ totalSpentCents: 0, visitsLast12Months: 0 })).toBe('novo');
  });

  it('uses frequency thresholds: a frequent patient ranks high even with cheap procedures', () => {
    expect(classify({ totalSpentCents: 0, visitsLast12Months: GOLD_MIN_VISITS })).toBe('ouro');
    expect(classify({ totalSpentCents: 0, visitsLast12Months: GOLD_MIN_VISITS - 1 })).toBe('prata');
    expect(classify({ totalSpentCents: 0, visitsLast12Months: SILVER_MIN_VISITS })).toBe('prata');
    expect(classify({ totalSpentCents: 0, visitsLast12Months: SILVER_MIN_VISITS - 1 })).toBe('bronze');
    expect(classify({ totalSpentCents: 0, visitsLast12Months: 1 })).toBe('bronze');
  });

  it('never goes down when spend or visits go up', () => {
    const rank: Record<Classification, number> = { novo: 0, bronze: 1, prata: 2, ouro: 3 };
    fc.assert(fc.property(fc.nat(2_000_000), fc.nat(30), fc.nat(200_000), fc.nat(5), (spent, visits, more, moreVisits) => {
      const a = classify({ totalSpentCents: spent, visitsLast12Months: visits });
      const b = classify({ totalSpentCents: spent + more, visitsLast12Months: visits + moreVisits });
      return rank[b] >= rank[a];
    }));
  });

  it('treats negative or fractional inputs sanely', () => {
    expect(classify({ totalSpentCents: -500, visitsLast12Months: -1 })).toBe('novo');
    expect(classify({ totalSpentCents: 0, visitsLast12Months: 0.5 })).toBe('novo');
  });

  it('explains the rule in pt-BR with the thresholds', () => {
    expect(classificationRule).toContain('Ouro: R$ 5.000,00 ou mais pagos, ou 8 visitas ou mais.');
    expect(classificationRule).toContain('Prata: R$ 2.000,00 ou mais pagos, ou 4 visitas ou mais.');
    expect(classificationRule).toContain('últimos 12 meses');
  });
});

describe('classifyWithTier', () => {
  it('is the higher of the rule and the loyalty tier', async () => {
    const { classifyWithTier } = await import('./classification');
    expect(classifyWithTier({ totalSpentCents: 100, visitsLast12Months: 1 }, 'prata')).toBe('prata');
    expect(classifyWithTier({ totalSpentCents: 100, visitsLast12Months: 1 }, 'platina')).toBe('ouro');
    expect(classifyWithTier({ totalSpentCents: 600_000, visitsLast12Months: 0 }, 'bronze')).toBe('ouro');
    expect(classifyWithTier({ totalSpentCents: 0, visitsLast12Months: 0 }, null)).toBe('novo');
  });
});
