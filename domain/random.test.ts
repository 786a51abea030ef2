import { describe, expect, it } from 'vitest';
import { createRandom, seedFrom } from './random';

describe('createRandom', () => {
  it('repeats the same sequence for the same seed', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(createRandom('demo').int(0, 1_000_000)).toBe(createRandom(seedFrom('demo')).int(0, 1_000_000));
  });

  it('gives different sequences for different seeds', () => {
    expect(createRandom(1).next()).not.toBe(createRandom(2).next());
  });

  it('keeps int within bounds, both inclusive', () => {
    const r = createRandom(7);
    const seen = new Set(Array.from({ length: 2000 }, () => r.int(3, 6)));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
    expect(() => r.int(5, 4)).toThrow(RangeError);
  });

  it('picks, samples and shuffles without losing or inventing elements', () => {
    const r = createRandom(3);
    const items = ['a', 'b', 'c', 'd', 'e'];
    expect(items).toContain(r.pick(items));
    expect(r.shuffle(items).sort()).toEqual(items);
    const sample = r.sample(items, 3);
    expect(new Set(sample).size).toBe(3);
    expect(() => r.pick([])).toThrow(RangeError);
  });

  it('respects weights', () => {
    const r = createRandom(11);
    let heavy = 0;
    for (let i = 0; i < 5000; i++) if (r.weighted([['x', 9], ['y', 1]] as const) === 'x') heavy++;
    expect(heavy / 5000).toBeGreaterThan(0.85);
    expect(heavy / 5000).toBeLessThan(0.95);
    expect(r.weighted([['only', 1], ['never', 0]] as const)).toBe('only');
  });
});
