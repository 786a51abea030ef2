// The forecaster on series with a known truth: the weekday profile it recovers, its mean against the
// noiseless truth, the coverage of its intervals over many seeded simulations, holidays and closed days,
// the edge cases and bad input, the booked floor, and the time of a two-year fit (printed, loosely bounded).
import { describe, expect, it } from 'vitest';
import { describeModel, fitModel, forecast, forecastFrom, withBooked, type DailyPoint, type ForecastDay } from './index';
import { continued, synthetic, TRUE_INDEX } from './synthetic.test-helpers';

const openMean = TRUE_INDEX.filter((x) => x > 0).reduce((s, x) => s + x, 0) / TRUE_INDEX.filter((x) => x > 0).length;
/** The true profile as describeModel states it: a multiple of the average open day. */
const TRUE_PROFILE = TRUE_INDEX.map((x) => x / openMean);

function series(start: string, values: number[]): DailyPoint[] {
  const t0 = Date.parse(`${start}T00:00:00Z`);
  return values.map((value, i) => ({ day: new Date(t0 + i * 86_400_000).toISOString().slice(0, 10), value }));
}

function ordered(f: ForecastDay) {
  return f.lo95 <= f.lo80 && f.lo80 <= f.mean && f.mean <= f.hi80 && f.hi80 <= f.hi95 && f.lo95 >= 0;
}

describe('a two-year series with closed Sundays, busy Saturdays, a trend and closed holidays', () => {
  // Level 100 rising 0.05/day (to ~136 after two years), noise SD 10, multiplicative weekday pattern.
  const opts = { days: 730, seed: 'two-years', level: 100, slope: 0.05, noise: 10 };
  const s = synthetic(opts);
  const started = performance.now();
  const model = fitModel(s.series);
  const fitMs = performance.now() - started;
  const d = describeModel(model);

  it('recovers the weekday profile within 0.05 of the average open day, and Sunday closed', () => {
    const errors = d.weekdays.map((w) => Math.abs((w.index ?? NaN) - TRUE_PROFILE[w.weekday]));
    console.log('weekday profile fitted', d.weekdays.map((w) => w.index?.toFixed(3)).join(' '), '| true', TRUE_PROFILE.map((x) => x.toFixed(3)).join(' '),
      '| max abs error', Math.max(...errors).toFixed(3), '| params', JSON.stringify(d.params));
    expect(Math.max(...errors)).toBeLessThan(0.05);
    expect(model.closedWeekdays).toEqual([0]);
    expect(d.weekdays[0].closed).toBe(true);
    // The level at the end is the truth's average open day ((100 + 0.05 · 729) · 1.067 ≈ 145.6) within a few units.
    expect(Math.abs(d.level - (100 + 0.05 * 729) * openMean)).toBeLessThan(6);
  });

  it('learns that holidays are closed (ratio ≈ 0 from the history)', () => {
    expect(model.holiday.source).toBe('estimated');
    expect(model.holiday.observed).toBeGreaterThan(15);
    expect(model.holiday.ratio).toBeLessThan(0.05);
  });

  it("the 90-day mean tracks the noiseless truth (mean abs error < 4% of the truth's mean); Sundays and holidays are 0", () => {
    const f = forecastFrom(model, 90);
    const truth = s.truth(90).slice(730);
    let err = 0;
    let sum = 0;
    let k = 0;
    f.forEach((x, i) => {
      if (truth[i] === 0) {
        expect(x.mean).toBeLessThan(1);
        return;
      }
      err += Math.abs(x.mean - truth[i]);
      sum += truth[i];
      k++;
    });
    const rel = err / sum;
    console.log('90-day forecast mean: abs error vs the truth, as a share of the truth (open days):', rel.toFixed(4), '| level', d.level.toFixed(2), 'true', ((100 + 0.05 * 729) * openMean).toFixed(2));
    expect(rel).toBeLessThan(0.04);
    expect(f.filter((x) => x.closed).every((x) => x.mean === 0 && x.hi95 === 0)).toBe(true);
    // 2026-01-01 is 2 days after the history's end (2025-12-30): a holiday, closed.
    expect(f[1]).toMatchObject({ day: '2026-01-01', holiday: 'Confraternização Universal', mean: 0 });
    expect(f.every(ordered)).toBe(true);
  });

  it('intervals widen with the horizon (same weekday)', () => {
    const f = forecastFrom(model, 90).filter((x) => !x.closed && !x.holiday && x.day.length > 0);
    const wed = f.filter((x) => new Date(`${x.day}T00:00:00Z`).getUTCDay() === 3);
    const widths = wed.map((x) => x.hi95 - x.lo95);
    for (let i = 1; i < widths.length; i++) expect(widths[i]).toBeGreaterThanOrEqual(widths[i - 1] - 1e-9);
  });

  it('fits 730 days fast (printed; bounded loosely)', () => {
    const t = performance.now();
    for (let i = 0; i < 10; i++) fitModel(s.series);
    const warm = (performance.now() - t) / 10;
    console.log(`fit of 730 days: first ${fitMs.toFixed(1)} ms, warm ${warm.toFixed(1)} ms`);
    expect(warm).toBeLessThan(2000);
  });

  it('describeModel is JSON-able', () => {
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
    expect(d.kind).toBe('holt-winters');
    expect(d.params!.beta).toBeLessThanOrEqual(d.params!.alpha);
  });
});

describe('interval coverage over many seeded simulations', () => {
  // 4 designs × 60 series (with and without a random-walk level, one year and four months of history),
  // 30 days ahead, open non-holiday days only (closed days are exact by rule). Measured at 240 × 30 = 7,200
  // points per level: the binomial SE of a share near 0.8 is ~0.5 pp, so ±7 pp is about model error alone.
  it('80% and 95% bands cover within ±7 percentage points of their level', () => {
    let c80 = 0;
    let c95 = 0;
    let k = 0;
    const per: string[] = [];
    for (const walk of [0, 1]) {
      for (const days of [365, 120]) {
        let a80 = 0;
        let a95 = 0;
        let ak = 0;
        for (let i = 0; i < 60; i++) {
          const { history, future } = continued({ days, seed: `coverage-${walk}-${days}-${i}`, level: 100, slope: 0.05, noise: 10, walk }, 30);
          const f = forecast(history, 30);
          f.forEach((x, j) => {
            if (x.closed || x.holiday) return;
            const a = future[j].value;
            ak++;
            if (a >= x.lo80 && a <= x.hi80) a80++;
            if (a >= x.lo95 && a <= x.hi95) a95++;
          });
        }
        per.push(`walk ${walk}, ${days} days: ${(a80 / ak).toFixed(3)} / ${(a95 / ak).toFixed(3)}`);
        c80 += a80;
        c95 += a95;
        k += ak;
      }
    }
    console.log(`coverage 80% / 95%: overall ${(c80 / k).toFixed(3)} / ${(c95 / k).toFixed(3)} (${k} points); ${per.join('; ')}`);
    expect(Math.abs(c80 / k - 0.8)).toBeLessThan(0.07);
    expect(Math.abs(c95 / k - 0.95)).toBeLessThan(0.07);
  });
});

describe('holidays', () => {
  it('with no holiday in the history a future holiday is forecast closed-like (ratio 0, source default-closed)', () => {
    // 2025-07-01 … 2025-08-31: no national holiday; 2025-09-07 (Independência) is a Sunday, 2025-10-12 too:
    // forecast to 2025-11-02 (Finados, a Sunday as well) … use 2025-11-15 (Saturday).
    const s = synthetic({ start: '2025-07-01', days: 62, seed: 'no-holidays', noise: 5 });
    const m = fitModel(s.series);
    expect(m.holiday).toEqual({ ratio: 0, source: 'default-closed', observed: 0 });
    const f = forecastFrom(m, 90);
    const rep = f.find((x) => x.day === '2025-11-15')!;
    expect(rep).toMatchObject({ holiday: 'Proclamação da República', mean: 0, hi95: 0 });
  });

  it('a clinic open at half strength on holidays gets a ratio near 0.5, and its extra holidays count', () => {
    const s = synthetic({ days: 730, seed: 'half', noise: 5, holidayRatio: 0.5 });
    const m = fitModel(s.series);
    console.log('holiday ratio estimated (true 0.5):', m.holiday.ratio.toFixed(3), 'from', m.holiday.observed, 'holidays');
    expect(Math.abs(m.holiday.ratio - 0.5)).toBeLessThan(0.08);
    const f = forecastFrom(fitModel(s.series, { extraHolidays: ['2026-01-06'] }), 10);
    const plain = forecastFrom(m, 10);
    const i = f.findIndex((x) => x.day === '2026-01-06');
    expect(f[i].holiday).toBe('Feriado da clínica');
    expect(f[i].mean).toBeLessThan(0.7 * plain[i].mean);
  });

  it('nationalHolidays: false treats national holidays as ordinary days', () => {
    const s = synthetic({ days: 400, seed: 'no-national', noise: 5, holidayRatio: 1 });
    const f = forecast(s.series, 30, { nationalHolidays: false });
    expect(f.some((x) => x.holiday)).toBe(false);
  });
});

describe('edge cases and bad input', () => {
  it('a history shorter than 14 days: weekday means with wide intervals (documented fallback)', () => {
    const h = series('2026-03-02', [10, 12, 11, 13, 20, 30, 0, 11, 13, 12]); // Monday … next Wednesday
    const m = fitModel(h);
    expect(m.kind).toBe('weekday-means');
    const f = forecastFrom(m, 7); // Thursday 2026-03-12 …
    expect(f.map((x) => x.mean)).toEqual([13, 20, 30, 0, 10.5, 12.5, 11.5]);
    // One SD for all days: the sample SD of all days around their mean (≈ 7.9), so ± 2·7.9 or so.
    expect(f[0].hi95 - f[0].mean).toBeGreaterThan(14);
    expect(f.every(ordered)).toBe(true);
    expect(describeModel(m).rmse).toBeNull();
  });

  it('a single day gives that value with a band of ±50% · z at least', () => {
    const f = forecast(series('2026-03-02', [100]), 3);
    expect(f[0].mean).toBe(100);
    expect(f[0].hi80).toBeCloseTo(100 + 1.2816 * 50, 2);
  });

  it('all zeros: every weekday closed, the forecast is 0', () => {
    const f = forecast(series('2025-01-01', new Array(400).fill(0)), 30);
    expect(f.every((x) => x.mean === 0 && x.hi95 === 0 && x.lo95 === 0)).toBe(true);
    expect(fitModel(series('2025-01-01', new Array(400).fill(0))).closedWeekdays).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('a constant series: the constant with zero-width bands (no noise seen, none forecast); holidays at the constant', () => {
    const m = fitModel(series('2025-01-01', new Array(200).fill(50)));
    const f = forecastFrom(m, 30);
    for (const x of f) {
      expect(x.mean).toBeCloseTo(50, 6);
      expect(x.hi95 - x.lo95).toBeLessThan(1e-6);
    }
    // 2025-01-01 … 2025-07-19 has holidays whose value was 50: ratio 1.
    expect(m.holiday.ratio).toBeCloseTo(1, 6);
  });

  it('throws a RangeError for NaN, ∞, negatives (unless allowed), gaps, disorder, bad days, an empty history, a bad horizon', () => {
    const ok = series('2026-01-05', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    const withValue = (i: number, value: number) => ok.map((p, j) => (j === i ? { ...p, value } : p));
    expect(() => forecast(withValue(3, Number.NaN), 7)).toThrow(/2026-01-08 is not a finite number/);
    expect(() => forecast(withValue(3, Infinity), 7)).toThrow(RangeError);
    expect(() => forecast(withValue(3, -1), 7)).toThrow(/negative/);
    expect(forecast(withValue(3, -1), 7, { allowNegative: true })).toHaveLength(7);
    expect(() => forecast([...ok.slice(0, 4), ...ok.slice(5)], 7)).toThrow(/consecutive/);
    expect(() => forecast([ok[1], ok[0], ...ok.slice(2)], 7)).toThrow(/consecutive/);
    expect(() => forecast([{ day: '2026-02-30', value: 1 }], 7)).toThrow(/invalid day/);
    expect(() => forecast([], 7)).toThrow(/empty/);
    expect(() => forecast(ok, 0)).toThrow(/horizonDays/);
    expect(() => forecast(ok, 2.5)).toThrow(/horizonDays/);
  });

  it('negative values allowed: nothing is clipped at 0', () => {
    const s = synthetic({ days: 200, seed: 'net', noise: 30, level: 10 });
    const h = s.series.map((p) => ({ ...p, value: p.value - 20 }));
    const f = forecast(h, 14, { allowNegative: true });
    expect(f.some((x) => x.lo95 < 0)).toBe(true);
  });
});

describe('withBooked', () => {
  const f: ForecastDay[] = [
    { day: '2026-03-02', mean: 10, lo80: 6, hi80: 14, lo95: 4, hi95: 16 },
    { day: '2026-03-03', mean: 10, lo80: 6, hi80: 14, lo95: 4, hi95: 16 },
    { day: '2026-03-04', mean: 10, lo80: 6, hi80: 14, lo95: 4, hi95: 16 },
    { day: '2026-03-05', mean: 0, lo80: 0, hi80: 0, lo95: 0, hi95: 0, closed: true },
  ];

  it('floors the lower bounds at the booked value, lifts the mean and shifts the upper bounds only when booked > mean', () => {
    const b = withBooked(f, [
      { day: '2026-03-02', value: 3 }, // below every bound: unchanged
      { day: '2026-03-03', value: 5 }, // between lo95 and lo80 …
      { day: '2026-03-03', value: 3 }, // … added: 8, between lo80 and mean
      { day: '2026-03-04', value: 13 }, // above the mean
      { day: '2026-03-05', value: 2 }, // a closed day with a booking
      { day: '2026-04-01', value: 99 }, // outside the forecast: ignored
    ]);
    expect(b[0]).toMatchObject({ mean: 10, lo80: 6, hi80: 14, lo95: 4, hi95: 16, booked: 3, modelMean: 10 });
    expect(b[1]).toMatchObject({ mean: 10, lo80: 8, hi80: 14, lo95: 8, hi95: 16, booked: 8 });
    expect(b[2]).toMatchObject({ mean: 13, lo80: 13, hi80: 17, lo95: 13, hi95: 19, booked: 13, modelMean: 10 });
    expect(b[3]).toMatchObject({ mean: 2, lo80: 2, hi80: 2, lo95: 2, hi95: 2 });
    expect(b).toHaveLength(4);
    for (const x of b) expect(ordered(x)).toBe(true);
  });

  it('a realisation factor discounts the booked part', () => {
    const b = withBooked(f, [{ day: '2026-03-04', value: 20 }], { realisation: 0.5 });
    expect(b[2]).toMatchObject({ mean: 10, lo80: 10, lo95: 10, hi80: 14, booked: 20 });
  });

  it('throws for a negative or non-finite booking, a bad day or a realisation outside [0, 1]', () => {
    expect(() => withBooked(f, [{ day: '2026-03-02', value: -1 }])).toThrow(RangeError);
    expect(() => withBooked(f, [{ day: '2026-03-02', value: Number.NaN }])).toThrow(RangeError);
    expect(() => withBooked(f, [{ day: '2026-3-2', value: 1 }])).toThrow(/invalid day/);
    expect(() => withBooked(f, [], { realisation: 1.2 })).toThrow(/realisation/);
  });
});
