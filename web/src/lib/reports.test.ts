import { describe, expect, it } from 'vitest';
import { change, monthLong, monthShort, readReportFilters, shiftMonth } from './reports';

describe('reports page helpers', () => {
  it('reads the query string with safe defaults', () => {
    expect(readReportFilters(new URLSearchParams('aba=previsoes&indicador=agendamentos&dias=90'))).toEqual({ tab: 'previsoes', month: null, metric: 'agendamentos', horizon: 90, days: 90 });
    expect(readReportFilters(new URLSearchParams('aba=x&mes=2026-13&dias=7'))).toEqual({ tab: 'mensal', month: null, metric: 'faturamento', horizon: 30, days: 90 });
    expect(readReportFilters(new URLSearchParams('mes=2026-11')).month).toBe('2026-11');
  });
  it('writes months and changes in pt-BR', () => {
    expect(monthLong('2026-03')).toBe('março de 2026');
    expect(monthShort('2026-12')).toBe('dez/2026');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2026-11', -12)).toBe('2025-11');
    expect(change(110, 100)).toBe('+10,0%');
    expect(change(97, 100)).toBe('−3,0%');
    expect(change(5, 0)).toBe('—');
    expect(change(null, 3)).toBe('—');
  });
});
