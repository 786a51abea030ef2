import { describe, expect, it } from 'vitest';
import { npsScore } from './nps';
import {
  addMonths, averageCents, averageRating, clvToCost, cohortFigures, funnelSteps, histogramOf, monthIndex, monthsOf, offsetState,
  pooledCohorts, probabilityBin, probabilityHistogram, cancellationRate, chargedToList, marginCents, marginShare, noShowRate, npsOf, occupancy, occupancyRate, ticketCents,
} from './reports';
import { workingWindows } from './slots';

const at = (hhmm: string, day = '2030-06-03') => new Date(`${day}T${hhmm}:00-03:00`);
const iv = (a: string, b: string, day?: string) => ({ start: at(a, day), end: at(b, day) });

describe('money figures', () => {
  it('margin is net revenue − cost × realised visits − commission, and unknown without a cost', () => {
    // 2 visits at R$ 300 − R$ 50 refunded = R$ 550 net; cost R$ 80 each; commission R$ 150.
    expect(marginCents({ netRevenueCents: 55000, costCents: 8000, realisedVisits: 2, commissionCents: 15000 })).toBe(55000 - 16000 - 15000);
    expect(marginCents({ netRevenueCents: 55000, costCents: null, realisedVisits: 2, commissionCents: 15000 })).toBeNull();
    expect(marginCents({ netRevenueCents: 0, costCents: 0, realisedVisits: 0, commissionCents: 0 })).toBe(0);
    expect(marginShare(24000, 55000)).toBeCloseTo(24000 / 55000);
    expect(marginShare(null, 55000)).toBeNull();
    expect(marginShare(-100, 0)).toBeNull();
  });

  it('averages round half away from zero and are null over nothing', () => {
    expect(averageCents(100001, 2)).toBe(50001); // 50 000.5 → 50 001
    expect(averageCents(-3, 2)).toBe(-2);
    expect(averageCents(0, 0)).toBeNull();
    expect(ticketCents(55000, 2)).toBe(27500);
    expect(ticketCents(55000, 0)).toBeNull();
    expect(chargedToList(22500, 25000)).toBeCloseTo(0.9);
    expect(chargedToList(null, 25000)).toBeNull();
    expect(chargedToList(100, 0)).toBeNull();
  });
});

describe('rates', () => {
  it('no-shows over the appointments not cancelled, cancellations over the booked; null with no whole', () => {
    expect(noShowRate({ booked: 10, cancelled: 2, noShows: 2 })).toBe(0.25);
    expect(cancellationRate({ booked: 10, cancelled: 2, noShows: 2 })).toBe(0.2);
    expect(noShowRate({ booked: 2, cancelled: 2, noShows: 0 })).toBeNull();
    expect(cancellationRate({ booked: 0, cancelled: 0, noShows: 0 })).toBeNull();
    expect(() => noShowRate({ booked: 3, cancelled: 2, noShows: 2 })).toThrow(RangeError);
  });

  it('NPS from counts equals npsScore of the scores', () => {
    const cases = [[10, 9, 9, 8, 3], [0], [7, 8], [10, 6, 6], [9, 9, 0, 5, 7, 7, 8]];
    for (const scores of cases) {
      const c = { answered: scores.length, promoters: scores.filter((s) => s >= 9).length, detractors: scores.filter((s) => s <= 6).length };
      expect(npsOf(c), String(scores)).toBe(npsScore(scores));
    }
    expect(npsOf({ answered: 0, promoters: 0, detractors: 0 })).toBeNull();
    expect(averageRating(14, 3)).toBe(4.67);
    expect(averageRating(0, 0)).toBeNull();
  });
});

describe('occupancy', () => {
  it('booked minutes inside the working time minus blocks, over that time', () => {
    // 08:00–12:00 and 13:00–18:00 = 540 min; a 60-min block 15:00–16:00 → 480 available.
    // Booked: 09:00–10:00 (60), 15:30–16:30 (60, of which 30 inside: 16:00–16:30), and a no-show 09:30–10:30
    // overlapping the first (60): 180 booked minutes, in hours 09:00–10:30 (90) + 16:00–16:30 (30) = 120.
    const o = occupancy({
      windows: [iv('08:00', '12:00'), iv('13:00', '18:00')],
      blocks: [iv('15:00', '16:00')],
      booked: [iv('09:00', '10:00'), iv('15:30', '16:30'), iv('09:30', '10:30')],
    });
    expect(o).toEqual({ availableMinutes: 480, bookedMinutes: 180, bookedInHoursMinutes: 120, occupancy: 120 / 480 });
  });

  it('a block covering a whole window, blocks across windows, and nothing available', () => {
    const o = occupancy({
      windows: [iv('08:00', '12:00'), iv('13:00', '18:00')],
      blocks: [iv('07:00', '12:30'), iv('17:00', '19:00'), iv('17:30', '18:30')],
      booked: [iv('12:00', '13:00')], // lunch: outside hours
    });
    expect(o).toEqual({ availableMinutes: 240, bookedMinutes: 60, bookedInHoursMinutes: 0, occupancy: 0 });
    expect(occupancy({ windows: [], blocks: [], booked: [] })).toEqual({ availableMinutes: 0, bookedMinutes: 0, bookedInHoursMinutes: 0, occupancy: null });
    expect(occupancyRate(0, 0)).toBeNull();
    expect(occupancyRate(300, 600)).toBe(0.5);
  });

  it("takes the working time from the slot finder's rules: weekly hours, a day's override, no holiday", () => {
    // Mon 2030-06-03 … Wed 2030-06-05; Tuesday is a holiday, Wednesday has an override 10:00–12:00.
    const windows = workingWindows({
      timeZone: 'America/Sao_Paulo', holidays: ['2030-06-04'],
      professional: {
        professionalId: 'p', busy: [],
        workingHours: [1, 2, 3].flatMap((weekday) => [{ weekday: weekday as 1, startMinute: 480, endMinute: 720 }, { weekday: weekday as 1, startMinute: 780, endMinute: 1080 }]),
        dateOverrides: [{ date: '2030-06-05', intervals: [{ startMinute: 600, endMinute: 720 }] }],
      },
    }, '2030-06-03', '2030-06-05');
    expect(windows).toEqual([iv('08:00', '12:00'), iv('13:00', '18:00'), iv('10:00', '12:00', '2030-06-05')]);
    expect(occupancy({ windows, blocks: [], booked: [] }).availableMinutes).toBe(540 + 120);
  });
});

describe('cohorts', () => {
  it('months subtract and list across years', () => {
    expect(monthIndex('2030-01') - monthIndex('2029-12')).toBe(1);
    expect(addMonths('2029-11', 3)).toBe('2030-02');
    expect(addMonths('2030-01', -1)).toBe('2029-12');
    expect(monthsOf('2029-11-15', '2030-02-01')).toEqual(['2029-11', '2029-12', '2030-01', '2030-02']);
    expect(offsetState('2030-01', 4, '2030-06')).toBe('complete');
    expect(offsetState('2030-01', 5, '2030-06')).toBe('incomplete');
    expect(offsetState('2030-01', 6, '2030-06')).toBe('future');
  });

  it('retention over the cohort, null for months not begun, the current one flagged; revenue per patient cumulative', () => {
    // A cohort of 4 from April, seen in June: +1 (May) over, +2 (June) under way, +3… not begun.
    const returned = [2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const revenueCents = [100000, 30000, 5001, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const f = cohortFigures({ month: '2030-04', size: 4, returned, revenueCents }, '2030-06');
    expect(f.retention.slice(0, 3)).toEqual([0.5, 0.25, null]);
    expect(f.retention.filter((r) => r === null)).toHaveLength(10);
    expect(f.returned.slice(0, 3)).toEqual([2, 1, null]);
    expect(f.incompleteOffsets).toEqual([2]);
    // Cumulative: 1000,00 → 1300,00 → 1350,01 (÷ 4 = 250,00, 325,00, 337,50 rounded half up → 33750) then null.
    expect(f.cumulativeRevenueCents.slice(0, 4)).toEqual([100000, 130000, 135001, null]);
    expect(f.revenuePerPatientCents.slice(0, 4)).toEqual([25000, 32500, 33750, null]);
    expect(() => cohortFigures({ month: '2030-04', size: 1, returned, revenueCents }, '2030-06')).toThrow(RangeError); // 2 of 1
  });

  it('pooled shares count only the cohorts that reached the offset', () => {
    const z = (n: number) => new Array<number>(n).fill(0);
    const old = cohortFigures({ month: '2030-01', size: 2, returned: [1, 2, ...z(10)], revenueCents: [1000, 1000, ...z(11)] }, '2030-04');
    const young = cohortFigures({ month: '2030-03', size: 3, returned: [0, ...z(11)], revenueCents: [3000, ...z(12)] }, '2030-04');
    const p = pooledCohorts([old, young]);
    expect(p.size).toBe(5);
    // +1: (1 + 0) / (2 + 3); +2: only January reached it → 2 / 2; +3: January (April, under way) 0 / 2; +4: nobody → null.
    expect(p.retention.slice(0, 4)).toEqual([0.2, 1, 0, null]);
    // Month 0: (1000 + 3000) / 5 = 800; +1: (2000 + 3000) / 5 = 1000; +2: January only 2000 / 2 = 1000.
    expect(p.revenuePerPatientCents.slice(0, 4)).toEqual([800, 1000, 1000, 1000]);
    expect(pooledCohorts([]).retention.every((r) => r === null)).toBe(true);
  });
});

describe('lifetime value', () => {
  it('P(alive) in ten bins, 1 in the last, shares over the count', () => {
    expect(probabilityBin(0)).toBe(0);
    expect(probabilityBin(0.1)).toBe(1);
    expect(probabilityBin(0.3)).toBe(3);
    expect(probabilityBin(0.95)).toBe(9);
    expect(probabilityBin(1)).toBe(9);
    expect(() => probabilityBin(1.2)).toThrow(RangeError);
    const h = histogramOf([0.05, 0.3, 0.35, 1]);
    expect(h).toHaveLength(10);
    expect(h.map((b) => b.count)).toEqual([1, 0, 0, 2, 0, 0, 0, 0, 0, 1]);
    expect(h[3]).toEqual({ from: 0.3, to: 0.4, count: 2, share: 0.5 });
    expect(probabilityHistogram(new Map()).every((b) => b.count === 0 && b.share === null)).toBe(true);
  });

  it('CLV ÷ cost, unknown without a cost', () => {
    expect(clvToCost(30000, 10000)).toBe(3);
    expect(clvToCost(30000, null)).toBeNull();
    expect(clvToCost(30000, 0)).toBeNull();
  });
});

describe('funnel', () => {
  it('each step over the previous (or its judged part), and over the first', () => {
    const s = funnelSteps([
      { key: 'lead', count: 10 }, { key: 'qualified', count: 5 }, { key: 'booked', count: 4 }, { key: 'realised', count: 3 }, { key: 'returned', count: 1, base: 2 },
    ]);
    expect(s.map((x) => x.conversion)).toEqual([null, 0.5, 0.8, 0.75, 0.5]);
    expect(s.map((x) => x.base)).toEqual([null, 10, 5, 4, 2]);
    expect(s.map((x) => x.ofFirst)).toEqual([1, 0.5, 0.4, 0.3, 0.1]);
    expect(funnelSteps([{ key: 'lead', count: 0 }, { key: 'qualified', count: 0 }]).map((x) => x.conversion)).toEqual([null, null]);
  });

  it('a step larger than the one before is a counting error', () => {
    expect(() => funnelSteps([{ key: 'lead', count: 2 }, { key: 'qualified', count: 3 }])).toThrow(RangeError);
    expect(() => funnelSteps([{ key: 'realised', count: 2 }, { key: 'returned', count: 1, base: 3 }])).toThrow(RangeError);
  });
});
