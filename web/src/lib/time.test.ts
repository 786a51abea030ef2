import { describe, expect, it } from 'vitest';
import { addMonths, monthGrid, parseBrDate, parseTime, startOfWeek, zonedParts, zonedToUtc, formatLongDay } from './time';

describe('agenda calendar arithmetic', () => {
  it('turns a São Paulo wall-clock time into the instant and back', () => {
    expect(zonedToUtc('2026-03-15', 9 * 60, 'America/Sao_Paulo').toISOString()).toBe('2026-03-15T12:00:00.000Z');
    expect(zonedParts('2026-03-15T12:00:00Z', 'America/Sao_Paulo')).toEqual({ day: '2026-03-15', minute: 540 });
    // New York changes its offset: the same wall-clock time maps to different UTC hours across the switch.
    expect(zonedToUtc('2026-03-07', 600, 'America/New_York').toISOString()).toBe('2026-03-07T15:00:00.000Z');
    expect(zonedToUtc('2026-03-09', 600, 'America/New_York').toISOString()).toBe('2026-03-09T14:00:00.000Z');
  });

  it('builds Sunday-first weeks and month grids', () => {
    expect(startOfWeek('2026-12-02')).toBe('2026-11-29');
    expect(startOfWeek('2026-11-29')).toBe('2026-11-29');
    const grid = monthGrid('2026-02-10');
    expect(grid[0][0]).toBe('2026-02-01');
    expect(grid.at(-1)!.at(-1)).toBe('2026-02-28');
    expect(addMonths('2026-12-31', 1)).toBe('2027-01-01');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-01');
  });

  it('reads what people type: dd/mm/aaaa and hh:mm', () => {
    expect(parseBrDate('03/10/2004')).toBe('2004-10-03');
    expect(parseBrDate('3/1/2004')).toBe('2004-01-03');
    expect(parseBrDate('31/02/2004')).toBeNull();
    expect(parseBrDate('2004-10-03')).toBeNull();
    expect(parseTime('09:30')).toBe(570);
    expect(parseTime('24:00')).toBe(1440);
    expect(parseTime('9h')).toBeNull();
    expect(formatLongDay('2026-11-30')).toBe('segunda-feira, 30 de novembro');
  });
});
