// The rolling-origin backtest: the model beats seasonal naïve on a noisy series with a trend, the
// coverage it reports, the origins' layout, seasonal naïve itself, and the too-short and constant cases.
import { describe, expect, it } from 'vitest';
import { backtest, seasonalNaive, type DailyPoint } from './index';
import { synthetic } from './synthetic.test-helpers';

describe('backtest', () => {
  it('beats seasonal naïve on a two-year series with a trend (12 origins of 30 days), and reports its coverage', () => {
    const s = synthetic({ days: 730, seed: 'backtest', level: 100, slope: 0.08, noise: 12, walk: 0.5 });
    const b = backtest(s.series, { horizon: 30, origins: 12 });
    console.log(`backtest 30d × 12: MASE ${b.mase.toFixed(3)} vs seasonal naïve ${b.maseSeasonalNaive.toFixed(3)}; coverage 80% ${b.coverage80.toFixed(3)}, 95% ${b.coverage95.toFixed(3)}`);
    expect(b.beatsSeasonalNaive).toBe(true);
    expect(b.mase).toBeLessThan(0.8 * b.maseSeasonalNaive);
    expect(b.coverage80).toBeGreaterThan(0.7);
    expect(b.coverage80).toBeLessThan(0.9);
    expect(b.coverage95).toBeGreaterThan(0.88);
    expect(b.origins).toHaveLength(12);
    // The last origin leaves exactly the horizon; origins are `horizon` apart by default.
    expect(b.origins[11]).toMatchObject({ origin: s.series[700].day, trainingDays: 700 });
    expect(b.origins[10].trainingDays).toBe(670);
    // Sundays are closed and left out of the coverage (4 or 5 in 30 days); holidays stay in.
    for (const o of b.origins) expect(o.scoredDays).toBeGreaterThanOrEqual(25);
  });

  it('90 days ahead from 4 origins a month apart', () => {
    const s = synthetic({ days: 730, seed: 'backtest-90', level: 100, slope: 0.08, noise: 12 });
    const b = backtest(s.series, { horizon: 90, origins: 4, step: 30 });
    console.log(`backtest 90d × 4: MASE ${b.mase.toFixed(3)} vs seasonal naïve ${b.maseSeasonalNaive.toFixed(3)}; coverage 80% ${b.coverage80.toFixed(3)}, 95% ${b.coverage95.toFixed(3)}`);
    expect(b.beatsSeasonalNaive).toBe(true);
    expect(b.step).toBe(30);
  });

  it('says how much history it needs', () => {
    const s = synthetic({ days: 100, seed: 'short' });
    expect(() => backtest(s.series, { horizon: 30, origins: 3 })).toThrow(/need at least 118 days of history; got 100/);
    expect(() => backtest(s.series, { horizon: 0, origins: 3 })).toThrow(/horizon/);
  });

  it('a constant series has no MASE (scale 0 → NaN), and full coverage', () => {
    const h: DailyPoint[] = synthetic({ days: 120, seed: 'c' }).series.map((p) => ({ ...p, value: 7 }));
    const b = backtest(h, { horizon: 14, origins: 2 }, { nationalHolidays: false });
    expect(b.mase).toBeNaN();
    expect(b.beatsSeasonalNaive).toBe(false);
    expect(b.coverage80).toBe(1);
  });
});

describe('seasonalNaive', () => {
  it('repeats the last week', () => {
    const h = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((value, i) => ({ day: `2026-01-0${i + 1}`, value }));
    expect(seasonalNaive(h, 9)).toEqual([3, 4, 5, 6, 7, 8, 9, 3, 4]);
    expect(() => seasonalNaive(h.slice(0, 6), 3)).toThrow(RangeError);
  });
});
