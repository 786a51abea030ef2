import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  anyProfessional, DEFAULT_SLOT_SETTINGS, fitsAvailability, getSlots, nextFreeSlots, slotSettings,
  type Busy, type ProfessionalAvailability, type Slot, type SlotQuery, type SlotSettings, type WorkingInterval,
} from './slots';
import { addLocalDays, localDayBounds, localParts, weekdayOf, zonedTimeToUtc } from './timezone';

const SP = 'America/Sao_Paulo';
const NY = 'America/New_York';
const LX = 'Europe/Lisbon';
const hm = (h: number, m = 0) => h * 60 + m;
const plain: SlotSettings = { slotIntervalMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minNoticeMinutes: 0, horizonDays: 60 };

/** Weekly hours: the same intervals on each listed weekday. */
function hours(weekdays: number[], ...intervals: Array<[number, number]>): WorkingInterval[] {
  return weekdays.flatMap((weekday) => intervals.map(([startMinute, endMinute]) => ({ weekday: weekday as WorkingInterval['weekday'], startMinute, endMinute })));
}
const busy = (start: string, end: string, kind?: Busy['kind']): Busy => ({ start: new Date(start), end: new Date(end), kind });

function q(over: Partial<SlotQuery> & Pick<SlotQuery, 'professionals'>): SlotQuery {
  return {
    timeZone: SP,
    from: '2026-06-01', // a Monday
    to: '2026-06-01',
    durationMinutes: 60,
    now: new Date('2026-05-25T12:00:00Z'),
    settings: plain,
    holidays: [],
    ...over,
  };
}
/** Slot starts as local HH:MM (for one-day, one-zone expectations). */
const local = (slots: Slot[], tz = SP) => slots.map((s) => {
  const p = localParts(s.start, tz);
  return `${String(Math.floor(p.minute / 60)).padStart(2, '0')}:${String(p.minute % 60).padStart(2, '0')}`;
});
const utc = (slots: Slot[]) => slots.map((s) => s.start.toISOString().slice(11, 16));

const ana: ProfessionalAvailability = { professionalId: 'ana', workingHours: hours([1, 2, 3, 4, 5], [hm(9), hm(12)], [hm(13), hm(18)]), busy: [] };

describe('getSlots in São Paulo', () => {
  it('offers aligned starts that fit inside each working interval, in UTC instants', () => {
    const slots = getSlots(q({ professionals: [ana] }));
    expect(local(slots)).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '13:00', '13:30', '14:00', '14:30', '15:00', '15:30', '16:00', '16:30', '17:00']);
    expect(slots[0]).toEqual({ professionalId: 'ana', start: new Date('2026-06-01T12:00:00Z'), end: new Date('2026-06-01T13:00:00Z') });
    expect(slots.every((s) => s.end.getTime() - s.start.getTime() === 3_600_000)).toBe(true);
  });

  it('aligns to the slot interval from the start of the working interval, never across two touching intervals', () => {
    const p: ProfessionalAvailability = { professionalId: 'p', workingHours: hours([1], [hm(9, 10), hm(10)], [hm(10), hm(11)]), busy: [] };
    const slots = getSlots(q({ durationMinutes: 20, professionals: [p] }));
    expect(local(slots)).toEqual(['09:10', '09:40', '10:00', '10:30']);
    // 60 minutes fits only in the second half, though 09:10–11:00 is continuous.
    expect(local(getSlots(q({ durationMinutes: 60, professionals: [p] })))).toEqual(['10:00']);
  });

  it('keeps buffers before and after clear of appointments (busy intervals are half-open)', () => {
    const settings = { ...plain, slotIntervalMinutes: 15, bufferBeforeMinutes: 15, bufferAfterMinutes: 10 };
    const p = { ...ana, busy: [busy('2026-06-01T13:00:00Z', '2026-06-01T13:30:00Z', 'appointment')] }; // 10:00–10:30 local
    const slots = getSlots(q({ durationMinutes: 30, settings, professionals: [p] })).filter((s) => s.start < new Date('2026-06-01T15:00:00Z'));
    // start + 30 + 10 ≤ 10:00 → ≤ 09:20; start − 15 ≥ 10:30 → ≥ 10:45
    expect(local(slots)).toEqual(['09:00', '09:15', '10:45', '11:00', '11:15', '11:30']);

    // Busy 09:00–10:00 and 11:00–11:30: a slot may start when one ends and end when the next starts.
    const edge = { ...ana, busy: [busy('2026-06-01T12:00:00Z', '2026-06-01T13:00:00Z'), busy('2026-06-01T14:00:00Z', '2026-06-01T14:30:00Z')] };
    expect(local(getSlots(q({ professionals: [edge] }))).slice(0, 3)).toEqual(['10:00', '13:00', '13:30']);
  });

  it('merges blocks, external busy times and overlapping busy intervals', () => {
    const p = {
      ...ana,
      busy: [
        busy('2026-06-01T16:00:00Z', '2026-06-01T18:00:00Z', 'block'), // 13:00–15:00
        busy('2026-06-01T17:30:00Z', '2026-06-01T19:00:00Z', 'external'), // 14:30–16:00
        busy('2026-06-01T12:00:00Z', '2026-06-01T12:00:00Z'), // empty: ignored
      ],
    };
    expect(local(getSlots(q({ professionals: [p] })))).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '16:00', '16:30', '17:00']);
  });

  it('respects the minimum notice, and never offers the past', () => {
    const settings = { ...plain, slotIntervalMinutes: 15, minNoticeMinutes: 120 };
    const now = new Date('2026-06-01T12:10:00Z'); // 09:10 local → first start ≥ 11:10
    expect(local(getSlots(q({ now, settings, professionals: [ana] }))).slice(0, 3)).toEqual(['13:00', '13:15', '13:30']);
    expect(local(getSlots(q({ now, settings, durationMinutes: 30, professionals: [ana] }))).slice(0, 3)).toEqual(['11:15', '11:30', '13:00']);
    expect(getSlots(q({ from: '2026-05-25', to: '2026-05-31', now: new Date('2026-06-02T12:00:00Z'), professionals: [ana] }))).toEqual([]);
  });

  it('stops at the booking horizon (local dates, counted from today in the clinic zone)', () => {
    // 2026-06-01T01:00Z is still 2026-05-31 in São Paulo: today is Sunday the 31st.
    const now = new Date('2026-06-01T01:00:00Z');
    const days = (s: Slot[]) => [...new Set(s.map((x) => localParts(x.start, SP).date))];
    expect(days(getSlots(q({ now, to: '2026-06-30', settings: { ...plain, horizonDays: 2 }, professionals: [ana] })))).toEqual(['2026-06-01', '2026-06-02']);
    expect(getSlots(q({ now, to: '2026-06-30', settings: { ...plain, horizonDays: 0 }, professionals: [ana] }))).toEqual([]);
  });

  it('closes holidays, even over a date override, and applies overrides (empty = closed)', () => {
    const p: ProfessionalAvailability = {
      ...ana,
      dateOverrides: [
        { date: '2026-06-02', intervals: [] },
        { date: '2026-06-06', intervals: [{ startMinute: hm(8), endMinute: hm(10) }] }, // a Saturday
        { date: '2026-06-04', intervals: [{ startMinute: hm(14), endMinute: hm(16) }] },
      ],
    };
    const slots = getSlots(q({ from: '2026-06-01', to: '2026-06-07', holidays: ['2026-06-04', '2026-06-01'], professionals: [p] }));
    const byDay = new Map<string, string[]>();
    for (const s of slots) {
      const d = localParts(s.start, SP).date;
      byDay.set(d, [...(byDay.get(d) ?? []), local([s])[0]]);
    }
    expect([...byDay.keys()]).toEqual(['2026-06-03', '2026-06-05', '2026-06-06']);
    expect(byDay.get('2026-06-06')).toEqual(['08:00', '08:30', '09:00']);
  });

  it('merges overlapping override intervals', () => {
    const p: ProfessionalAvailability = {
      professionalId: 'p', workingHours: [], busy: [],
      dateOverrides: [{ date: '2026-06-01', intervals: [{ startMinute: hm(9), endMinute: hm(10, 30) }, { startMinute: hm(10), endMinute: hm(11) }] }],
    };
    expect(local(getSlots(q({ professionals: [p] })))).toEqual(['09:00', '09:30', '10:00']);
  });

  it('"any professional": every professional\'s slots, sorted by start then id; anyProfessional keeps one per start', () => {
    const bia = { professionalId: 'bia', workingHours: hours([1], [hm(9), hm(11)]), busy: [busy('2026-06-01T12:00:00Z', '2026-06-01T12:30:00Z')] };
    const caio = { professionalId: 'caio', workingHours: hours([1], [hm(9, 30), hm(10, 30)]), busy: [] };
    const slots = getSlots(q({ professionals: [caio, bia, { ...ana, workingHours: hours([1], [hm(9), hm(10)]) }] }));
    expect(slots.map((s) => `${local([s])[0]} ${s.professionalId}`)).toEqual([
      '09:00 ana', '09:30 bia', '09:30 caio', '10:00 bia',
    ]);
    expect(anyProfessional(slots).map((s) => `${local([s])[0]} ${s.professionalId}`)).toEqual(['09:00 ana', '09:30 bia', '10:00 bia']);
  });

  it('clips to [from, to] and honours limit', () => {
    const week = q({ from: '2026-06-02', to: '2026-06-03', professionals: [ana] });
    const all = getSlots(week);
    expect(new Set(all.map((s) => localParts(s.start, SP).date))).toEqual(new Set(['2026-06-02', '2026-06-03']));
    expect(getSlots({ ...week, limit: 3 })).toEqual(all.slice(0, 3));
    expect(getSlots({ ...week, limit: 0 })).toEqual([]);
    expect(getSlots({ ...week, from: '2026-06-04', to: '2026-06-03' })).toEqual([]);
  });

  it('refuses malformed input with a RangeError', () => {
    expect(() => getSlots(q({ professionals: [ana], durationMinutes: 0 }))).toThrow(RangeError);
    expect(() => getSlots(q({ professionals: [ana], from: '01/06/2026' }))).toThrow(RangeError);
    expect(() => getSlots(q({ professionals: [ana], timeZone: 'Brasil/Tigre' }))).toThrow(RangeError);
    expect(() => getSlots(q({ professionals: [ana], settings: { ...plain, slotIntervalMinutes: 0 } }))).toThrow(RangeError);
    expect(() => getSlots(q({ professionals: [{ ...ana, workingHours: hours([1], [hm(10), hm(9)]) }] }))).toThrow(RangeError);
    expect(() => getSlots(q({ professionals: [ana], now: new Date(NaN) }))).toThrow(RangeError);
  });

  it('fills clinic settings with the defaults', () => {
    expect(slotSettings()).toEqual(DEFAULT_SLOT_SETTINGS);
    expect(slotSettings({ slotIntervalMinutes: 30 })).toEqual({ ...DEFAULT_SLOT_SETTINGS, slotIntervalMinutes: 30 });
    expect(() => slotSettings({ horizonDays: -1 })).toThrow(RangeError);
  });
});

describe('getSlots across DST changes', () => {
  const night = (weekday: number, a: number, b: number): ProfessionalAvailability => ({ professionalId: 'n', workingHours: hours([weekday], [a, b]), busy: [] });
  const earlyNow = new Date('2026-01-01T00:00:00Z');
  const far = { ...plain, horizonDays: 3650 };

  it('New York spring forward (Sun 2026-03-08): 01:00–04:00 lasts 2 real hours; an interval inside the gap is empty', () => {
    const slots = getSlots(q({ timeZone: NY, from: '2026-03-08', to: '2026-03-08', now: earlyNow, settings: far, professionals: [night(0, hm(1), hm(4))] }));
    expect(utc(slots)).toEqual(['06:00', '06:30', '07:00']);
    expect(local(slots, NY)).toEqual(['01:00', '01:30', '03:00']);
    expect(slots.at(-1)!.end).toEqual(new Date('2026-03-08T08:00:00Z'));
    expect(getSlots(q({ timeZone: NY, from: '2026-03-08', to: '2026-03-08', now: earlyNow, settings: far, durationMinutes: 15, professionals: [night(0, hm(2), hm(2, 45))] }))).toEqual([]);
  });

  it('New York: the same 09:00 is 14:00Z before and 13:00Z after the change', () => {
    const p = { professionalId: 'p', workingHours: hours([0, 6], [hm(9), hm(10)]), busy: [] };
    const slots = getSlots(q({ timeZone: NY, from: '2026-03-07', to: '2026-03-08', now: earlyNow, settings: far, professionals: [p] }));
    expect(slots.map((s) => s.start.toISOString())).toEqual(['2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z']);
  });

  it('New York fall back (Sun 2026-11-01): 00:00–03:00 lasts 4 real hours, the repeated 01:00 hour included', () => {
    const slots = getSlots(q({ timeZone: NY, from: '2026-11-01', to: '2026-11-01', now: earlyNow, settings: { ...far, slotIntervalMinutes: 60 }, professionals: [night(0, 0, hm(3))] }));
    expect(utc(slots)).toEqual(['04:00', '05:00', '06:00', '07:00']);
    expect(local(slots, NY)).toEqual(['00:00', '01:00', '01:00', '02:00']);
    // A busy time in the second 01:00 hour blocks only that one.
    const blocked = getSlots(q({
      timeZone: NY, from: '2026-11-01', to: '2026-11-01', now: earlyNow, settings: { ...far, slotIntervalMinutes: 60 },
      professionals: [{ ...night(0, 0, hm(3)), busy: [busy('2026-11-01T06:15:00Z', '2026-11-01T06:45:00Z')] }],
    }));
    expect(utc(blocked)).toEqual(['04:00', '05:00', '07:00']);
    // A bound inside the repeated hour takes its first occurrence: 01:30–02:30 lasts 2 real hours.
    const ambiguous = getSlots(q({ timeZone: NY, from: '2026-11-01', to: '2026-11-01', now: earlyNow, settings: { ...far, slotIntervalMinutes: 60 }, professionals: [night(0, hm(1, 30), hm(2, 30))] }));
    expect(utc(ambiguous)).toEqual(['05:30', '06:30']);
    expect(local(ambiguous, NY)).toEqual(['01:30', '01:30']);
  });

  it('Lisbon: spring forward (Sun 2026-03-29) and fall back (Sun 2026-10-25), and weekday hours either side', () => {
    const spring = getSlots(q({ timeZone: LX, from: '2026-03-29', to: '2026-03-29', now: earlyNow, settings: { ...far, slotIntervalMinutes: 60 }, professionals: [night(0, 0, hm(3))] }));
    expect(utc(spring)).toEqual(['00:00', '01:00']);
    expect(local(spring, LX)).toEqual(['00:00', '02:00']);
    const autumn = getSlots(q({ timeZone: LX, from: '2026-10-25', to: '2026-10-25', now: earlyNow, settings: { ...far, slotIntervalMinutes: 60 }, professionals: [night(0, 0, hm(3))] }));
    expect(utc(autumn)).toEqual(['23:00', '00:00', '01:00', '02:00']);
    const week = { professionalId: 'p', workingHours: hours([1, 5], [hm(9), hm(10)]), busy: [] };
    expect(getSlots(q({ timeZone: LX, from: '2026-03-27', to: '2026-03-30', now: earlyNow, settings: far, professionals: [week] })).map((s) => s.start.toISOString()))
      .toEqual(['2026-03-27T09:00:00.000Z', '2026-03-30T08:00:00.000Z']);
  });

  it('São Paulo 2018: midnight did not exist on 2018-11-04, so 00:00–02:00 lasted one hour', () => {
    const slots = getSlots(q({ from: '2018-11-04', to: '2018-11-04', now: new Date('2018-01-01T00:00:00Z'), settings: far, durationMinutes: 30, professionals: [night(0, 0, hm(2))] }));
    expect(utc(slots)).toEqual(['03:00', '03:30']);
    expect(local(slots)).toEqual(['01:00', '01:30']);
  });
});

describe('fitsAvailability', () => {
  const ctx = q({
    now: new Date('2026-05-31T12:00:00Z'), // Sunday 09:00 local
    settings: { ...plain, bufferAfterMinutes: 10, minNoticeMinutes: 120, horizonDays: 30 },
    holidays: ['2026-06-04'],
    professionals: [{ ...ana, busy: [busy('2026-06-01T14:00:00Z', '2026-06-01T15:00:00Z', 'appointment'), busy('2026-06-01T13:30:00Z', '2026-06-01T14:30:00Z', 'block')] }],
  });
  const fit = (start: string, minutes = 60, id = 'ana', c: SlotQuery = ctx) => fitsAvailability(c, id, new Date(start), minutes);

  it('accepts a free time inside working hours, aligned or not', () => {
    expect(fit('2026-06-01T12:00:00Z')).toEqual({ ok: true });
    expect(fit('2026-06-01T16:10:00Z', 45)).toEqual({ ok: true }); // 13:10
    expect(fit('2026-06-01T20:00:00Z')).toEqual({ ok: true }); // 17:00–18:00
  });

  it('gives the precise reason', () => {
    expect(fit('2026-06-04T12:00:00Z')).toEqual({ ok: false, reason: 'holiday' });
    expect(fit('2026-06-01T11:30:00Z')).toEqual({ ok: false, reason: 'outside_hours' }); // 08:30
    expect(fit('2026-06-01T14:30:00Z')).toEqual({ ok: false, reason: 'outside_hours' }); // 11:30–12:30 crosses lunch
    expect(fit('2026-06-01T20:30:00Z')).toEqual({ ok: false, reason: 'outside_hours' }); // ends 18:30
    expect(fit('2026-06-06T12:00:00Z')).toEqual({ ok: false, reason: 'outside_hours' }); // Saturday
    expect(fit('2026-06-01T12:00:00Z', 60, 'nobody')).toEqual({ ok: false, reason: 'outside_hours' });
    // 09:30–10:30 + 10 min buffer hits the block (10:30) first: the earliest-starting conflict is reported.
    const r = fit('2026-06-01T12:30:00Z');
    expect(r).toMatchObject({ ok: false, reason: 'busy', conflict: { kind: 'block' } });
    expect(fit('2026-05-31T13:30:00Z', 60, 'ana', { ...ctx, professionals: [{ ...ana, workingHours: hours([0], [hm(9), hm(12)]) }] })).toEqual({ ok: false, reason: 'notice' });
    expect(fit('2026-07-01T12:00:00Z')).toEqual({ ok: false, reason: 'horizon' }); // today + 31
    expect(fit('2026-06-30T12:00:00Z')).toEqual({ ok: true }); // today + 30
  });

  it('reports structural reasons before notice/horizon, so staff overrides stay safe', () => {
    const soon = { ...ctx, now: new Date('2026-06-01T13:00:00Z') };
    expect(fit('2026-06-01T13:30:00Z', 30, 'ana', soon)).toMatchObject({ reason: 'busy' });
    expect(fit('2026-06-01T12:00:00Z', 30, 'ana', soon)).toEqual({ ok: false, reason: 'notice' });
  });
});

describe('nextFreeSlots', () => {
  it('returns the next free slots at or after the lost start, across days', () => {
    const base = q({ from: '2026-06-01', to: '2026-06-30', professionals: [{ ...ana, busy: [busy('2026-06-01T20:30:00Z', '2026-06-01T21:00:00Z')] }] }); // 17:30–18:00
    const next = nextFreeSlots({ ...base, after: new Date('2026-06-01T19:30:00Z'), count: 3 });
    expect(next.map((s) => s.start.toISOString())).toEqual(['2026-06-01T19:30:00.000Z', '2026-06-02T12:00:00.000Z', '2026-06-02T12:30:00.000Z']);
    expect(nextFreeSlots({ ...base, after: new Date('2026-06-01T19:30:00Z'), count: 0 })).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties. Zones with and without DST, windows around their transitions.

const ZONES = [SP, NY, LX, 'America/Santiago', 'Australia/Lord_Howe', 'UTC'] as const;
const ANCHORS = ['2026-03-08', '2026-11-01', '2026-03-29', '2026-10-25', '2026-04-05', '2026-10-04', '2026-04-04', '2026-09-06', '2026-06-15', '2018-11-04'];

/** Disjoint, non-touching intervals of one day, from distinct cut points (like the DB's exclusion constraint). */
const dayIntervalsArb = fc.uniqueArray(fc.integer({ min: 0, max: 288 }), { maxLength: 6 }).map((cuts) => {
  const c = [...cuts].sort((a, b) => a - b).map((x) => x * 5);
  const out: Array<{ startMinute: number; endMinute: number }> = [];
  for (let i = 0; i + 1 < c.length; i += 2) out.push({ startMinute: c[i], endMinute: c[i + 1] });
  return out;
});

const queryArb = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    anchor: fc.constantFrom(...ANCHORS),
    fromShift: fc.integer({ min: -2, max: 1 }),
    span: fc.integer({ min: 0, max: 3 }),
    nowHours: fc.integer({ min: -40, max: 60 }),
    nowMinutes: fc.integer({ min: 0, max: 59 }),
    settings: fc.record({
      slotIntervalMinutes: fc.constantFrom(5, 10, 15, 20, 30, 45, 60),
      bufferBeforeMinutes: fc.integer({ min: 0, max: 30 }),
      bufferAfterMinutes: fc.integer({ min: 0, max: 30 }),
      minNoticeMinutes: fc.integer({ min: 0, max: 600 }),
      horizonDays: fc.integer({ min: 0, max: 5 }),
    }),
    durationMinutes: fc.integer({ min: 5, max: 240 }),
    holidayPicks: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }),
    professionals: fc.uniqueArray(
      fc.record({
        professionalId: fc.constantFrom('p1', 'p2', 'p3', 'p4'),
        week: fc.array(dayIntervalsArb, { minLength: 7, maxLength: 7 }),
        busy: fc.array(fc.record({ at: fc.integer({ min: -24 * 12, max: 6 * 24 * 12 }), len: fc.integer({ min: 1, max: 60 }) }), { maxLength: 8 }),
        overrides: fc.uniqueArray(fc.record({ day: fc.integer({ min: 0, max: 3 }), intervals: dayIntervalsArb }), { maxLength: 2, selector: (o) => o.day }),
      }),
      { minLength: 1, maxLength: 3, selector: (p) => p.professionalId },
    ),
  })
  .map((g): SlotQuery => {
    const from = addLocalDays(g.anchor, g.fromShift);
    const base = Date.parse(`${from}T00:00:00Z`);
    return {
      timeZone: g.timeZone,
      from,
      to: addLocalDays(from, g.span),
      durationMinutes: g.durationMinutes,
      now: new Date(base + g.nowHours * 3_600_000 + g.nowMinutes * 60_000),
      settings: g.settings,
      holidays: g.holidayPicks.map((d) => addLocalDays(from, d)),
      professionals: g.professionals.map((p) => ({
        professionalId: p.professionalId,
        workingHours: p.week.flatMap((list, weekday) => list.map((i) => ({ weekday: weekday as WorkingInterval['weekday'], ...i }))),
        busy: p.busy.map((b) => ({ start: new Date(base + b.at * 300_000), end: new Date(base + b.at * 300_000 + b.len * 300_000) })),
        dateOverrides: p.overrides.map((o) => ({ date: addLocalDays(from, o.day), intervals: o.intervals })),
      })),
    };
  });

const RUNS = { numRuns: 200 };
const MIN = 60_000;
const key = (s: Slot) => `${s.professionalId}@${s.start.getTime()}`;

/** The day's working intervals for a professional, as the spec reads them (override else weekly). */
function intervalsOf(p: ProfessionalAvailability, date: string): Array<{ startMinute: number; endMinute: number }> {
  const overrides = (p.dateOverrides ?? []).filter((o) => o.date === date);
  if (overrides.length > 0) return overrides.flatMap((o) => o.intervals);
  return p.workingHours.filter((w) => w.weekday === weekdayOf(date));
}

/** Every aligned candidate start of the window, straight from the definition (no sweep, no merging). */
function candidates(query: SlotQuery): Array<{ professionalId: string; start: Date }> {
  const out: Array<{ professionalId: string; start: Date }> = [];
  for (let date = query.from; date <= query.to; date = addLocalDays(date, 1)) {
    for (const p of query.professionals) {
      for (const i of intervalsOf(p, date)) {
        const s = zonedTimeToUtc(date, i.startMinute, query.timeZone).getTime();
        const e = zonedTimeToUtc(date, i.endMinute, query.timeZone).getTime();
        for (let t = s; t + query.durationMinutes * MIN <= e; t += query.settings.slotIntervalMinutes * MIN) out.push({ professionalId: p.professionalId, start: new Date(t) });
      }
    }
  }
  return out;
}

describe('getSlots properties', () => {
  it('no slot, with its buffers, overlaps a busy interval of its professional', () => {
    fc.assert(fc.property(queryArb, (query) => {
      const { bufferBeforeMinutes: bb, bufferAfterMinutes: ba } = query.settings;
      for (const s of getSlots(query)) {
        const lo = s.start.getTime() - bb * MIN;
        const hi = s.end.getTime() + ba * MIN;
        for (const b of query.professionals.find((p) => p.professionalId === s.professionalId)!.busy) {
          expect(b.start.getTime() < hi && b.end.getTime() > lo).toBe(false);
        }
      }
    }), RUNS);
  });

  it('every slot lies inside one working interval of its local day, within window, notice and horizon', () => {
    fc.assert(fc.property(queryArb, (query) => {
      const tz = query.timeZone;
      const today = localParts(query.now, tz).date;
      for (const s of getSlots(query)) {
        const p = localParts(s.start, tz);
        expect(p.date >= query.from && p.date <= query.to).toBe(true);
        expect(query.holidays).not.toContain(p.date);
        expect(p.date <= addLocalDays(today, query.settings.horizonDays)).toBe(true);
        expect(s.start.getTime()).toBeGreaterThanOrEqual(query.now.getTime() + query.settings.minNoticeMinutes * MIN);
        const prof = query.professionals.find((x) => x.professionalId === s.professionalId)!;
        const inside = intervalsOf(prof, p.date).filter((i) =>
          zonedTimeToUtc(p.date, i.startMinute, tz) <= s.start && s.end <= zonedTimeToUtc(p.date, i.endMinute, tz));
        expect(inside).toHaveLength(1);
        // On a plain 24 h day, check the wall clock directly too.
        const { start, end } = localDayBounds(p.date, tz);
        if (end.getTime() - start.getTime() === 86_400_000) {
          const e = localParts(s.end, tz);
          const endMinute = e.date === p.date ? e.minute : 1440 + e.minute;
          expect(p.minute).toBeGreaterThanOrEqual(inside[0].startMinute);
          expect(endMinute).toBeLessThanOrEqual(inside[0].endMinute);
          expect((p.minute - inside[0].startMinute) % query.settings.slotIntervalMinutes).toBe(0);
        }
      }
    }), RUNS);
  });

  it('every slot has exactly the duration; slots are sorted by start then professional and unique', () => {
    fc.assert(fc.property(queryArb, (query) => {
      const slots = getSlots(query);
      for (let i = 0; i < slots.length; i++) {
        expect(slots[i].end.getTime() - slots[i].start.getTime()).toBe(query.durationMinutes * MIN);
        if (i > 0) {
          const a = slots[i - 1];
          const b = slots[i];
          const order = a.start.getTime() - b.start.getTime() || (a.professionalId < b.professionalId ? -1 : a.professionalId > b.professionalId ? 1 : 0);
          expect(order).toBeLessThan(0);
        }
      }
    }), RUNS);
  });

  it('adding a busy interval never adds slots', () => {
    fc.assert(fc.property(queryArb, fc.nat(), fc.integer({ min: -24 * 12, max: 6 * 24 * 12 }), fc.integer({ min: 1, max: 48 }), (query, pick, at, len) => {
      const before = new Set(getSlots(query).map(key));
      const i = pick % query.professionals.length;
      const base = Date.parse(`${query.from}T00:00:00Z`);
      const extra: Busy = { start: new Date(base + at * 300_000), end: new Date(base + (at + len) * 300_000) };
      const more = { ...query, professionals: query.professionals.map((p, j) => (j === i ? { ...p, busy: [...p.busy, extra] } : p)) };
      const after = getSlots(more);
      for (const s of after) expect(before.has(key(s))).toBe(true);
    }), RUNS);
  });

  it('fitsAvailability agrees with getSlots on every aligned start of the window', () => {
    fc.assert(fc.property(queryArb, (query) => {
      const offered = new Set(getSlots(query).map(key));
      const { bufferBeforeMinutes: bb, bufferAfterMinutes: ba } = query.settings;
      for (const c of candidates(query)) {
        const r = fitsAvailability(query, c.professionalId, c.start, query.durationMinutes);
        expect(r.ok).toBe(offered.has(`${c.professionalId}@${c.start.getTime()}`));
        if (!r.ok && r.reason === 'busy') {
          expect(r.conflict!.start.getTime()).toBeLessThan(c.start.getTime() + (query.durationMinutes + ba) * MIN);
          expect(r.conflict!.end.getTime()).toBeGreaterThan(c.start.getTime() - bb * MIN);
        }
      }
      // …and every offered slot is one of those candidates.
      expect(offered.size).toBeLessThanOrEqual(new Set(candidates(query).map((c) => `${c.professionalId}@${c.start.getTime()}`)).size);
      for (const s of getSlots(query)) expect(fitsAvailability(query, s.professionalId, s.start, query.durationMinutes)).toEqual({ ok: true });
    }), RUNS);
  });

  it('nextFreeSlots is the getSlots tail from `after`, cut to `count`; limit is a prefix', () => {
    fc.assert(fc.property(queryArb, fc.integer({ min: -12, max: 5 * 24 }), fc.integer({ min: 0, max: 6 }), (query, afterHours, count) => {
      const all = getSlots(query);
      const after = new Date(Date.parse(`${query.from}T00:00:00Z`) + afterHours * 3_600_000);
      expect(nextFreeSlots({ ...query, after, count })).toEqual(all.filter((s) => s.start >= after).slice(0, count));
      expect(getSlots({ ...query, limit: count })).toEqual(all.slice(0, count));
    }), RUNS);
  });
});
