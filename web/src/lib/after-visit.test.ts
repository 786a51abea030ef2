import { describe, expect, it } from 'vitest';
import { MAX_COMMENT_CHARS } from '../../../services/feedback/surveys';
import { COMMENT_MAX, dayHeading, ratingLabel, scoreColors, scoreLabel, sitePath, slotsByDay, weekdayOf } from './after-visit';

function luminance(hsl: string): number {
  const [h, s, l] = hsl.match(/[\d.]+/g)!.map(Number) as [number, number, number];
  const a = (s / 100) * Math.min(l / 100, 1 - l / 100);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return l / 100 - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  const lin = (v: number) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(f(0)) + 0.7152 * lin(f(8)) + 0.0722 * lin(f(4));
}
const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

describe('after-visit pages', () => {
  it('takes comments as long as the API does', () => {
    expect(COMMENT_MAX).toBe(MAX_COMMENT_CHARS);
  });

  it('grades the scores red to green with readable text', () => {
    expect(scoreColors(0).solid).toMatch(/^hsl\(0 /);
    expect(scoreColors(10).solid).toMatch(/^hsl\(125 /);
    for (let s = 0; s <= 10; s++) {
      const c = scoreColors(s);
      expect(contrast(luminance(c.solid), 1), `white on ${s}`).toBeGreaterThanOrEqual(4.5);
      expect(contrast(luminance(c.ink), luminance(c.tint)), `ink on ${s}`).toBeGreaterThanOrEqual(4.5);
    }
    expect(scoreLabel(0)).toBe('Nota 0, nada provável');
    expect(scoreLabel(9)).toBe('Nota 9');
    expect(ratingLabel(1)).toBe('1 estrela, ruim');
    expect(ratingLabel(4)).toBe('4 estrelas, muito bom');
  });

  it('names the weekday of a dd/mm/aaaa day in pt-BR', () => {
    expect(weekdayOf('04/03/2030')).toBe('segunda-feira');
    expect(weekdayOf('09/03/2030')).toBe('sábado');
    expect(weekdayOf('05/03/2030')).toBe('terça-feira');
    expect(weekdayOf('2030-03-04')).toBe('');
    expect(dayHeading('06/03/2030')).toBe('Quarta-feira, 06/03/2030');
  });

  it('groups slots by day, keeping their order', () => {
    const days = slotsByDay([
      { date: '04/03/2030', time: '09:00' }, { date: '04/03/2030', time: '14:00' }, { date: '05/03/2030', time: '10:00' },
    ]);
    expect(days.map((d) => [d.heading, d.slots.map((s) => s.time)])).toEqual([
      ['Segunda-feira, 04/03/2030', ['09:00', '14:00']],
      ['Terça-feira, 05/03/2030', ['10:00']],
    ]);
    expect(slotsByDay([])).toEqual([]);
  });

  it('turns the API\'s absolute next link into a path on this site', () => {
    expect(sitePath('http://127.0.0.1:3000/p/avaliar/abc.def')).toBe('/p/avaliar/abc.def');
    expect(sitePath('/p/feedback/x')).toBe('/p/feedback/x');
    expect(sitePath('javascript:alert(1)')).toBe('/');
  });
});
