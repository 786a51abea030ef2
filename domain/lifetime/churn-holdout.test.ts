// Churn risk from P(alive) and its blend with a learned probability; campaign holdouts and their lift.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignHoldout, blendChurnRisk, churnRiskFromAlive, liftWithInterval, revenueAtLift } from './index';

describe('churn risk', () => {
  it('is round(100·(1 − P(alive))) in 0–100', () => {
    expect(churnRiskFromAlive(1)).toBe(0);
    expect(churnRiskFromAlive(0)).toBe(100);
    expect(churnRiskFromAlive(0.73)).toBe(27);
    expect(() => churnRiskFromAlive(NaN)).toThrow(RangeError);
    expect(() => churnRiskFromAlive(1.01)).toThrow(RangeError);
  });

  it('without a model the blend is P(alive) alone; with one, a linear pool', () => {
    expect(blendChurnRisk({ pAlive: 0.7 })).toBe(30);
    expect(blendChurnRisk({ pAlive: 0.7, learned: null })).toBe(30);
    expect(blendChurnRisk({ pAlive: 0.7, learned: 0.9 })).toBe(60); // (0.3 + 0.9) / 2
    expect(blendChurnRisk({ pAlive: 0.7, learned: 0.9, weight: 1 })).toBe(90);
    expect(blendChurnRisk({ pAlive: 0.7, learned: 0.9, weight: 0 })).toBe(30);
    fc.assert(fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (p, l, w) => {
      const risk = blendChurnRisk({ pAlive: p, learned: l, weight: w });
      expect(risk).toBeGreaterThanOrEqual(0);
      expect(risk).toBeLessThanOrEqual(100);
      expect(Number.isInteger(risk)).toBe(true);
      expect(risk).toBeGreaterThanOrEqual(Math.min(churnRiskFromAlive(p), Math.round(100 * l)) - 1);
      expect(risk).toBeLessThanOrEqual(Math.max(churnRiskFromAlive(p), Math.round(100 * l)) + 1);
    }));
    expect(() => blendChurnRisk({ pAlive: 0.5, learned: 45 })).toThrow(/learned/); // a 0–100 score passed by mistake
    expect(() => blendChurnRisk({ pAlive: 0.5, learned: 0.4, weight: 2 })).toThrow(/weight/);
  });
});

describe('assignHoldout', () => {
  const ids = Array.from({ length: 10_000 }, (_, i) => `patient-${i}`);

  it('is deterministic and keeps the share over 10,000 ids (10% ± 1%)', () => {
    const groups = ids.map((id) => assignHoldout(id, 'reativacao-2026-01', 0.1));
    expect(ids.map((id) => assignHoldout(id, 'reativacao-2026-01', 0.1))).toEqual(groups);
    const control = groups.filter((g) => g === 'control').length;
    expect(control).toBeGreaterThanOrEqual(900);
    expect(control).toBeLessThanOrEqual(1100);
    // UUID-like ids too.
    const uuids = ids.map((_, i) => `${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}-4a1b-9c2d-${String(i).padStart(12, '0')}`);
    const c2 = uuids.filter((id) => assignHoldout(id, 'x', 0.25) === 'control').length;
    expect(Math.abs(c2 - 2500)).toBeLessThanOrEqual(130); // ± 3 SD
  });

  it('draws independent control groups for different campaigns, and nests shares', () => {
    const a = new Set(ids.filter((id) => assignHoldout(id, 'campaign-a', 0.1) === 'control'));
    const both = ids.filter((id) => a.has(id) && assignHoldout(id, 'campaign-b', 0.1) === 'control').length;
    expect(both).toBeGreaterThan(60); // ≈ 1% of 10,000 if independent
    expect(both).toBeLessThan(140);
    // A larger share keeps everyone the smaller one held out (same hash, higher threshold).
    for (const id of a) expect(assignHoldout(id, 'campaign-a', 0.2)).toBe('control');
  });

  it('share 0 contacts everyone, share 1 holds everyone out; anything else outside [0, 1] is refused', () => {
    expect(ids.slice(0, 100).every((id) => assignHoldout(id, 's', 0) === 'contacted')).toBe(true);
    expect(ids.slice(0, 100).every((id) => assignHoldout(id, 's', 1) === 'control')).toBe(true);
    for (const bad of [-0.1, 1.1, NaN, Infinity]) expect(() => assignHoldout('p', 's', bad)).toThrow(RangeError);
    expect(() => assignHoldout('', 's', 0.1)).toThrow(RangeError);
  });
});

describe('liftWithInterval', () => {
  it("matches Newcombe's (1998) worked example: 56/70 vs 48/80", () => {
    // Wilson 95%: 56/70 → [0.6918, 0.8770], 48/80 → [0.4905, 0.7004]; d = 0.8 − 0.6 = 0.2;
    // low = 0.2 − √((0.8 − 0.6918)² + (0.7004 − 0.6)²) = 0.0524, high = 0.2 + √((0.8770 − 0.8)² + (0.6 − 0.4905)²) = 0.3339.
    const r = liftWithInterval({ contacted: { n: 70, returned: 56 }, control: { n: 80, returned: 48 } });
    expect(r.lift).toBeCloseTo(0.2, 12);
    expect(r.low).toBeCloseTo(0.0524, 4);
    expect(r.high).toBeCloseTo(0.3339, 4);
  });

  it('contains the lift, widens with confidence, stays in [−1, 1], and is null without a group', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 500 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (n1, n2, f1, f2) => {
      const g = { contacted: { n: n1, returned: Math.round(f1 * n1) }, control: { n: n2, returned: Math.round(f2 * n2) } };
      const r = liftWithInterval(g);
      const wide = liftWithInterval(g, 0.99);
      expect(r.low!).toBeLessThanOrEqual(r.lift! + 1e-12);
      expect(r.high!).toBeGreaterThanOrEqual(r.lift! - 1e-12);
      expect(r.low!).toBeGreaterThanOrEqual(-1 - 1e-12);
      expect(r.high!).toBeLessThanOrEqual(1 + 1e-12);
      expect(wide.low!).toBeLessThanOrEqual(r.low! + 1e-12);
      expect(wide.high!).toBeGreaterThanOrEqual(r.high! - 1e-12);
    }));
    expect(liftWithInterval({ contacted: { n: 0, returned: 0 }, control: { n: 10, returned: 2 } })).toEqual({ lift: null, low: null, high: null });
    expect(() => liftWithInterval({ contacted: { n: 5, returned: 6 }, control: { n: 10, returned: 2 } })).toThrow(RangeError);
    expect(() => liftWithInterval({ contacted: { n: 5, returned: 1 }, control: { n: 10, returned: 2 } }, 1)).toThrow(RangeError);
  });

  it('turns into revenue: extra returns × value of a return', () => {
    const lift = liftWithInterval({ contacted: { n: 70, returned: 56 }, control: { n: 80, returned: 48 } });
    const r = revenueAtLift(lift, 70, 25_000);
    expect(r.cents).toBe(Math.round(0.2 * 70 * 25_000)); // 14 extra returns × R$ 250,00
    expect(r.low!).toBeLessThan(r.cents!);
    expect(revenueAtLift({ lift: null, low: null, high: null }, 70, 25_000)).toEqual({ cents: null, low: null, high: null });
  });
});
