import { describe, expect, it } from 'vitest';
import { npsScore } from './nps';
import {
  averageCents, averageRating, cancellationRate, chargedToList, marginCents, marginShare, noShowRate, npsOf, occupancy, occupancyRate, ticketCents,
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
