import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { averageTicket, brokenInvariants, derive, KPI_DEFINITIONS, share, sumFigures, ZERO_FIGURES } from './kpis';

describe('KPI arithmetic', () => {
  it('a share is never computed over a whole that does not contain its part', () => {
    expect(share(0, 0)).toBeNull();
    expect(share(1, 4)).toBe(0.25);
    expect(() => share(76, 1)).toThrow(RangeError);
    fc.assert(fc.property(fc.nat(1000), fc.nat(1000), (a, b) => {
      const [part, whole] = a <= b ? [a, b] : [b, a];
      const s = share(part, whole);
      return whole === 0 ? s === null : s! >= 0 && s! <= 1;
    }));
  });

  it('the ticket is net revenue per paid visit, rounded half away from zero, 0 without visits', () => {
    expect(averageTicket(100001, 2)).toBe(50001);
    expect(averageTicket(-3, 2)).toBe(-2);
    expect(averageTicket(5000, 0)).toBe(0);
  });

  it('a period is the sum of its days; net revenue and ticket come from the sums', () => {
    const day = (gross: number, refunds: number, paidVisits: number) => derive({ ...ZERO_FIGURES, grossRevenueCents: gross, refundsCents: refunds, completed: paidVisits, appointments: paidVisits, paidVisits });
    const t = sumFigures([day(123456, 0, 1), day(0, 23456, 0), day(50000, 0, 1)]);
    expect(t).toMatchObject({ grossRevenueCents: 173456, refundsCents: 23456, revenueCents: 150000, paidVisits: 2, averageTicketCents: 75000 });
    expect(brokenInvariants(t)).toEqual([]);
    expect(brokenInvariants({ ...t, conversions: 1 })).toEqual(['conversions > leads']);
  });

  it('has a pt-BR definition for every figure', () => {
    for (const key of Object.keys(ZERO_FIGURES)) expect(KPI_DEFINITIONS[key as keyof typeof KPI_DEFINITIONS].definition.length).toBeGreaterThan(20);
  });
});
