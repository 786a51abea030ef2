import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDay, formatMoney, formatMoneyCompact, formatPercent, formatPhone, relativeChange } from './format';

// Intl separates "R$" from the amount with a no-break space.
const nbsp = (s: string) => s.replace(/ /g, '\u00a0');

describe('pt-BR formatting', () => {
  it('shows centavos as reais', () => {
    expect(formatMoney(123456)).toBe(nbsp('R$ 1.234,56'));
    expect(formatMoney(0)).toBe(nbsp('R$ 0,00'));
    expect(formatMoneyCompact(250000)).toBe(nbsp('R$ 2,5 mil'));
    expect(formatMoneyCompact(50000)).toBe(nbsp('R$ 500'));
  });

  it('writes days as dd/mm/aaaa without shifting them through a time zone', () => {
    expect(formatDay('2026-03-01')).toBe('01/03/2026');
    expect(formatDateTime('2026-03-05T17:07:00Z', 'America/Sao_Paulo')).toBe('05/03/2026 às 14:07');
  });

  it('compares with the previous period only when there is one', () => {
    expect(relativeChange(110, 100)).toBeCloseTo(0.1);
    expect(relativeChange(5, 0)).toBeNull();
    expect(formatPercent(0.123)).toBe(nbsp('12,3%'));
  });

  it('shows E.164 phones the Brazilian way', () => {
    expect(formatPhone('+5511987654321')).toBe('+55 (11) 98765-4321');
    expect(formatPhone('+551133334444')).toBe('+55 (11) 3333-4444');
    expect(formatPhone(null)).toBe('');
  });
});
