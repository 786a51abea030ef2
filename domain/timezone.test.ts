import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addLocalDays, createZone, isLocalDate, isValidTimeZone, localDayBounds, localParts, offsetMinutesAt, weekdayOf, zonedTimeToUtc,
} from './timezone';

const iso = (d: Date) => d.toISOString();
const at = (date: string, minute: number, tz: string, prefer?: 'earlier' | 'later') => iso(zonedTimeToUtc(date, minute, tz, prefer));
const hm = (h: number, m = 0) => h * 60 + m;

describe('zonedTimeToUtc', () => {
  it('São Paulo has no DST today: a fixed −03:00', () => {
    expect(at('2026-01-15', hm(9), 'America/Sao_Paulo')).toBe('2026-01-15T12:00:00.000Z');
    expect(at('2026-07-15', hm(9), 'America/Sao_Paulo')).toBe('2026-07-15T12:00:00.000Z');
    expect(at('2026-07-15', 1440, 'America/Sao_Paulo')).toBe('2026-07-16T03:00:00.000Z');
  });

  it('New York spring forward (2026-03-08): 02:xx does not exist and moves to the 03:00 transition', () => {
    expect(at('2026-03-08', hm(1, 59), 'America/New_York')).toBe('2026-03-08T06:59:00.000Z');
    expect(at('2026-03-08', hm(2), 'America/New_York')).toBe('2026-03-08T07:00:00.000Z');
    expect(at('2026-03-08', hm(2, 30), 'America/New_York')).toBe('2026-03-08T07:00:00.000Z');
    expect(at('2026-03-08', hm(2, 30), 'America/New_York', 'later')).toBe('2026-03-08T07:00:00.000Z');
    expect(at('2026-03-08', hm(3), 'America/New_York')).toBe('2026-03-08T07:00:00.000Z');
    expect(at('2026-03-08', hm(9), 'America/New_York')).toBe('2026-03-08T13:00:00.000Z');
    expect(at('2026-03-07', hm(9), 'America/New_York')).toBe('2026-03-07T14:00:00.000Z');
  });

  it('New York fall back (2026-11-01): 01:xx happens twice, the earlier by default', () => {
    expect(at('2026-11-01', hm(0, 59), 'America/New_York')).toBe('2026-11-01T04:59:00.000Z');
    expect(at('2026-11-01', hm(1, 30), 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
    expect(at('2026-11-01', hm(1, 30), 'America/New_York', 'later')).toBe('2026-11-01T06:30:00.000Z');
    expect(at('2026-11-01', hm(2), 'America/New_York')).toBe('2026-11-01T07:00:00.000Z');
    expect(at('2026-11-01', hm(2), 'America/New_York', 'later')).toBe('2026-11-01T07:00:00.000Z');
  });

  it('Lisbon (2026-03-29 and 2026-10-25, transitions at 01:00 UTC)', () => {
    expect(at('2026-03-29', hm(0, 59), 'Europe/Lisbon')).toBe('2026-03-29T00:59:00.000Z');
    expect(at('2026-03-29', hm(1, 30), 'Europe/Lisbon')).toBe('2026-03-29T01:00:00.000Z');
    expect(at('2026-03-29', hm(2), 'Europe/Lisbon')).toBe('2026-03-29T01:00:00.000Z');
    expect(at('2026-03-30', hm(9), 'Europe/Lisbon')).toBe('2026-03-30T08:00:00.000Z');
    expect(at('2026-10-25', hm(1, 30), 'Europe/Lisbon')).toBe('2026-10-25T00:30:00.000Z');
    expect(at('2026-10-25', hm(1, 30), 'Europe/Lisbon', 'later')).toBe('2026-10-25T01:30:00.000Z');
    expect(at('2026-10-26', hm(9), 'Europe/Lisbon')).toBe('2026-10-26T09:00:00.000Z');
  });

  it('midnight in a gap (São Paulo 2018, Santiago 2026) and a 30-minute shift (Lord Howe)', () => {
    expect(at('2018-11-04', 0, 'America/Sao_Paulo')).toBe('2018-11-04T03:00:00.000Z');
    expect(at('2018-11-04', hm(0, 30), 'America/Sao_Paulo')).toBe('2018-11-04T03:00:00.000Z');
    expect(at('2018-11-04', hm(1), 'America/Sao_Paulo')).toBe('2018-11-04T03:00:00.000Z');
    expect(at('2026-09-06', hm(0, 30), 'America/Santiago')).toBe('2026-09-06T04:00:00.000Z');
    // Santiago falls back at 24:00 on 2026-04-04: 23:xx happens twice.
    expect(at('2026-04-04', hm(23, 30), 'America/Santiago')).toBe('2026-04-05T02:30:00.000Z');
    expect(at('2026-04-04', hm(23, 30), 'America/Santiago', 'later')).toBe('2026-04-05T03:30:00.000Z');
    expect(at('2026-10-04', hm(2, 15), 'Australia/Lord_Howe')).toBe('2026-10-03T15:30:00.000Z');
    expect(at('2026-10-04', hm(2, 30), 'Australia/Lord_Howe')).toBe('2026-10-03T15:30:00.000Z');
  });

  it('minutes beyond the day roll into the next days', () => {
    expect(at('2026-03-07', 1440 + hm(9), 'America/New_York')).toBe(at('2026-03-08', hm(9), 'America/New_York'));
    expect(at('2026-03-09', -1440 + hm(2, 30), 'America/New_York')).toBe('2026-03-08T07:00:00.000Z');
  });

  it('refuses a malformed date or an unknown zone', () => {
    expect(() => zonedTimeToUtc('2026-02-30', 0, 'America/Sao_Paulo')).toThrow(RangeError);
    expect(() => zonedTimeToUtc('2026-2-3', 0, 'America/Sao_Paulo')).toThrow(RangeError);
    expect(() => zonedTimeToUtc('2026-02-03', 0, 'America/Recife_Sul')).toThrow(RangeError);
    expect(() => zonedTimeToUtc('2026-02-03', NaN, 'America/Sao_Paulo')).toThrow(RangeError);
  });
});

describe('day shapes and local parts', () => {
  it.each([
    ['2026-06-01', 'America/Sao_Paulo', 24],
    ['2026-03-08', 'America/New_York', 23],
    ['2026-11-01', 'America/New_York', 25],
    ['2026-03-29', 'Europe/Lisbon', 23],
    ['2026-10-25', 'Europe/Lisbon', 25],
    ['2026-09-06', 'America/Santiago', 23],
    ['2026-04-04', 'America/Santiago', 25],
    ['2026-10-04', 'Australia/Lord_Howe', 23.5],
    ['2018-11-04', 'America/Sao_Paulo', 23],
  ])('%s in %s lasts %d h', (date, tz, hours) => {
    const { start, end } = localDayBounds(date, tz);
    expect((end.getTime() - start.getTime()) / 3_600_000).toBe(hours);
    expect(localParts(start, tz)).toMatchObject({ date, weekday: weekdayOf(date) });
  });

  it('reads local date, minute and weekday', () => {
    expect(localParts(new Date('2026-06-01T02:59:00Z'), 'America/Sao_Paulo')).toEqual({ date: '2026-05-31', minute: hm(23, 59), weekday: 0 });
    expect(localParts(new Date('2026-11-01T05:30:00Z'), 'America/New_York')).toEqual({ date: '2026-11-01', minute: hm(1, 30), weekday: 0 });
    expect(localParts(new Date('2026-11-01T06:30:00Z'), 'America/New_York')).toEqual({ date: '2026-11-01', minute: hm(1, 30), weekday: 0 });
    expect(offsetMinutesAt(new Date('2026-06-01T12:00:00Z'), 'America/Sao_Paulo')).toBe(-180);
    expect(offsetMinutesAt(new Date('2026-10-04T12:00:00Z'), 'Australia/Lord_Howe')).toBe(660);
  });

  it('small helpers', () => {
    expect(isValidTimeZone('America/Sao_Paulo')).toBe(true);
    expect(isValidTimeZone('Brasil/Nowhere')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(addLocalDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addLocalDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(weekdayOf('2026-06-01')).toBe(1);
  });
});

const ZONES = ['America/Sao_Paulo', 'America/New_York', 'Europe/Lisbon', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'] as const;
// Transitions of the zones above, so random instants land near them often.
const NEAR = ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-04-05T03:00:00Z', '2026-09-06T04:00:00Z', '2026-10-03T15:30:00Z', '2026-04-04T15:00:00Z', '2018-11-04T03:00:00Z', '2019-02-17T02:00:00Z'].map(Date.parse);
const instantArb = fc.oneof(
  fc.tuple(fc.constantFrom(...NEAR), fc.integer({ min: -36 * 60, max: 36 * 60 })).map(([t, m]) => t + m * 60_000),
  fc.integer({ min: Date.parse('2000-01-01T00:00:00Z') / 60_000, max: Date.parse('2040-01-01T00:00:00Z') / 60_000 }).map((m) => m * 60_000),
);

describe('zone arithmetic properties', () => {
  it('every existing wall time round-trips: local parts of an instant convert back to it (earlier or later occurrence)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instantArb, (tz, t) => {
        const p = localParts(new Date(t), tz);
        const early = zonedTimeToUtc(p.date, p.minute, tz, 'earlier').getTime();
        const late = zonedTimeToUtc(p.date, p.minute, tz, 'later').getTime();
        expect(early).toBeLessThanOrEqual(late);
        expect([early, late]).toContain(t);
        expect(localParts(new Date(early), tz)).toEqual(p);
        expect(localParts(new Date(late), tz)).toEqual(p);
      }),
      { numRuns: 300 },
    );
  });

  it('a wall time either exists, or is in a gap and maps to the transition right after it', () => {
    const dateArb = fc.constantFrom(...NEAR).chain((t) => fc.integer({ min: -2, max: 2 }).map((d) => new Date(t + d * 86_400_000).toISOString().slice(0, 10)));
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), dateArb, fc.integer({ min: 0, max: 1439 }), (tz, date, minute) => {
        const r = zonedTimeToUtc(date, minute, tz).getTime();
        const p = localParts(new Date(r), tz);
        if (p.date === date && p.minute === minute) return;
        const wanted = Date.parse(`${date}T00:00:00Z`) + minute * 60_000;
        const zone = createZone(tz);
        expect(zone.offsetMs(r - 1000)).not.toBe(zone.offsetMs(r));
        expect(r + zone.offsetMs(r)).toBeGreaterThan(wanted);
        expect(r - 1000 + zone.offsetMs(r - 1000)).toBeLessThan(wanted);
      }),
      { numRuns: 300 },
    );
  });
});
