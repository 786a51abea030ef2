import { describe, expect, it } from 'vitest';
import { layoutLanes } from './agenda';

describe('agenda lanes', () => {
  it('puts overlapping appointments side by side and lone ones full width', () => {
    const a = { id: 'a', start: 540, end: 600 };
    const b = { id: 'b', start: 570, end: 630 };
    const c = { id: 'c', start: 600, end: 660 };
    const d = { id: 'd', start: 700, end: 760 };
    const placed = Object.fromEntries(layoutLanes([d, c, b, a]).map((p) => [p.item.id, [p.lane, p.lanes]]));
    expect(placed).toEqual({ a: [0, 2], b: [1, 2], c: [0, 2], d: [0, 1] });
  });
});
