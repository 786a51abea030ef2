import { describe, expect, it } from 'vitest';
import { fillDays, labelIndexes, niceScale } from './chart';
import { periodRange, parsePeriod } from './period';

describe('chart helpers', () => {
  it('rounds axes up to nice steps, whole ones for counts', () => {
    expect(niceScale(7_950_00)).toEqual({ max: 800_000, step: 200_000 });
    expect(niceScale(7, 3, true)).toEqual({ max: 9, step: 3 });
    expect(niceScale(0)).toEqual({ max: 4, step: 1 });
  });

  it('labels the first and last bar and never crowds the last one', () => {
    const picked = [...labelIndexes(30, 8)];
    expect(picked[0]).toBe(0);
    expect(picked.at(-1)).toBe(29);
    expect(picked.length).toBeLessThanOrEqual(8);
    expect([...labelIndexes(5, 8)]).toEqual([0, 1, 2, 3, 4]);
  });

  it('fills days the rollup has no row for with zeros', () => {
    const days = fillDays(
      [{ day: '2026-03-02', revenueCents: 100, grossRevenueCents: 100, refundsCents: 0, appointments: 1, completed: 1, noShows: 0, cancelled: 0, paidVisits: 1, leads: 0, conversions: 0, newPatients: 0, averageTicketCents: 100 }],
      '2026-03-01',
      '2026-03-03',
    );
    expect(days.map((d) => [d.day, d.revenueCents])).toEqual([
      ['2026-03-01', 0],
      ['2026-03-02', 100],
      ['2026-03-03', 0],
    ]);
  });
});

describe('dashboard periods', () => {
  it('accepts 7, 30 and 90 days and falls back to 30', () => {
    expect(parsePeriod('7')).toBe(7);
    expect(parsePeriod('90')).toBe(90);
    expect(parsePeriod('15')).toBe(30);
    expect(parsePeriod(null)).toBe(30);
  });

  it("ends today in the clinic's time zone", () => {
    // 01:30 UTC on 1 March is still 28 February in São Paulo.
    expect(periodRange(7, 'America/Sao_Paulo', new Date('2026-03-01T01:30:00Z'))).toEqual({ from: '2026-02-22', to: '2026-02-28' });
  });
});
