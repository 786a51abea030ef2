// The national holidays: Easter by the computus against known dates, the movable feasts of 2025–2026,
// Consciência Negra from 2024 on, and bad years.
import { describe, expect, it } from 'vitest';
import { brazilianHolidays, easterSunday } from './index';

describe('easterSunday', () => {
  it.each([
    [2000, '2000-04-23'], [2008, '2008-03-23'], [2011, '2011-04-24'], [2019, '2019-04-21'], [2024, '2024-03-31'],
    [2025, '2025-04-20'], [2026, '2026-04-05'], [2027, '2027-03-28'], [2038, '2038-04-25'],
  ])('%i → %s', (year, day) => {
    expect(easterSunday(year)).toBe(day);
  });
});

describe('brazilianHolidays', () => {
  const days = (year: number) => brazilianHolidays(year).map((h) => h.day);
  const named = (year: number, part: string) => brazilianHolidays(year).filter((h) => h.name.includes(part)).map((h) => h.day);

  it('2026: Carnaval 16–17/02, Sexta-feira Santa 03/04, Corpus Christi 04/06, and the fixed dates', () => {
    expect(named(2026, 'Carnaval')).toEqual(['2026-02-16', '2026-02-17']);
    expect(named(2026, 'Sexta-feira Santa')).toEqual(['2026-04-03']);
    expect(named(2026, 'Corpus Christi')).toEqual(['2026-06-04']);
    expect(days(2026)).toEqual([
      '2026-01-01', '2026-02-16', '2026-02-17', '2026-04-03', '2026-04-21', '2026-05-01', '2026-06-04',
      '2026-09-07', '2026-10-12', '2026-11-02', '2026-11-15', '2026-11-20', '2026-12-25',
    ]);
  });

  it('2025: Carnaval 03–04/03, Sexta-feira Santa 18/04, Corpus Christi 19/06', () => {
    expect(named(2025, 'Carnaval')).toEqual(['2025-03-03', '2025-03-04']);
    expect(named(2025, 'Sexta-feira Santa')).toEqual(['2025-04-18']);
    expect(named(2025, 'Corpus Christi')).toEqual(['2025-06-19']);
  });

  it('Consciência Negra (20/11) is national from 2024 on only', () => {
    expect(days(2023)).not.toContain('2023-11-20');
    expect(days(2023)).toHaveLength(12);
    expect(days(2024)).toContain('2024-11-20');
    expect(days(2024)).toHaveLength(13);
  });

  it('sorted, one entry per day (Sexta-feira Santa on Tiradentes in 2000 keeps both names)', () => {
    for (let year = 1990; year <= 2100; year++) {
      const d = days(year);
      expect([...d].sort()).toEqual(d);
      expect(new Set(d).size).toBe(d.length);
    }
    const h2000 = brazilianHolidays(2000).find((h) => h.day === '2000-04-21');
    expect(h2000?.name).toBe('Sexta-feira Santa / Tiradentes');
  });

  it('throws for a year outside the Gregorian calendar or not an integer', () => {
    expect(() => brazilianHolidays(1500)).toThrow(RangeError);
    expect(() => brazilianHolidays(2025.5)).toThrow(/integer/);
    expect(() => easterSunday(Number.NaN)).toThrow(RangeError);
  });
});
