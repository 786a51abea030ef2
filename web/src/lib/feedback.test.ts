import { describe, expect, it } from 'vitest';
import {
  fillWeeks,
  formatNps,
  formatNpsDelta,
  instantDay,
  mondayOf,
  npsZone,
  paginate,
  previousPeriod,
  readFilters,
  whatsappLink,
} from './feedback';

const NOW = new Date('2026-03-10T02:30:00Z'); // 09/03 in São Paulo, 10/03 in UTC
const UUID = '0b0e1c2a-3d4e-4f50-8a6b-7c8d9e0f1a2b';

describe('feedback page helpers', () => {
  it('reads the filters: the last 90 days in the clinic\'s time zone by default; bad values ignored', () => {
    const f = readFilters(new URLSearchParams(''), 'America/Sao_Paulo', NOW);
    expect(f).toMatchObject({ tab: 'visao-geral', today: '2026-03-09', from: '2025-12-10', to: '2026-03-09', defaultPeriod: true, professionalId: '', followUp: '' });
    const g = readFilters(
      new URLSearchParams(`aba=detratores&de=2026-01-01&ate=2026-01-31&profissional=${UUID}&procedimento=x&situacao=aberto&sentimento=feliz`),
      'America/Sao_Paulo',
      NOW,
    );
    expect(g).toMatchObject({ tab: 'detratores', from: '2026-01-01', to: '2026-01-31', defaultPeriod: false, professionalId: UUID, procedureId: '', followUp: 'aberto', sentiment: '' });
    expect(readFilters(new URLSearchParams('aba=nada&de=2026-02-30'), 'America/Sao_Paulo', NOW)).toMatchObject({ tab: 'visao-geral', from: '2025-12-10' });
  });

  it('compares with the same number of days just before', () => {
    expect(previousPeriod('2026-03-01', '2026-03-31')).toEqual({ from: '2026-01-29', to: '2026-02-28' });
  });

  it('writes an NPS with a true minus sign and reads its zone', () => {
    expect([formatNps(40), formatNps(-12), formatNps(0), formatNps(null)]).toEqual(['40', '−12', '0', '—']);
    expect([-1, 0, 49, 50, 74, 75, 100].map((n) => npsZone(n).label)).toEqual([
      'Zona crítica', 'Zona de aperfeiçoamento', 'Zona de aperfeiçoamento', 'Zona de qualidade', 'Zona de qualidade', 'Zona de excelência', 'Zona de excelência',
    ]);
    expect([formatNpsDelta(5), formatNpsDelta(-1), formatNpsDelta(0)]).toEqual(['+5 pontos', '−1 ponto', 'estável']);
  });

  it('fills the weeks of the period (Mondays) around the API\'s', () => {
    expect(mondayOf('2026-03-08')).toBe('2026-03-02'); // a Sunday
    expect(mondayOf('2026-03-09')).toBe('2026-03-09');
    const weeks = fillWeeks([{ week: '2026-03-09', answered: 3, nps: 33 }], '2026-03-01', '2026-03-20');
    expect(weeks).toEqual([
      { week: '2026-02-23', answered: 0, nps: null },
      { week: '2026-03-02', answered: 0, nps: null },
      { week: '2026-03-09', answered: 3, nps: 33 },
      { week: '2026-03-16', answered: 0, nps: null },
    ]);
  });

  it('shows instants as the clinic\'s day, dd/mm/aaaa', () => {
    expect(instantDay('2026-03-10T02:30:00Z', 'America/Sao_Paulo')).toBe('09/03/2026');
    expect(instantDay(null, 'America/Sao_Paulo')).toBe('');
  });

  it('pages lists, clamping the page asked for', () => {
    const rows = Array.from({ length: 45 }, (_, i) => i);
    expect(paginate(rows, null)).toMatchObject({ page: 1, pages: 3, total: 45, first: 1, last: 20 });
    expect(paginate(rows, '3')).toMatchObject({ page: 3, first: 41, last: 45, items: [40, 41, 42, 43, 44] });
    expect(paginate(rows, '99').page).toBe(3);
    expect(paginate(rows, 'x').page).toBe(1);
    expect(paginate([], '2')).toMatchObject({ page: 1, pages: 1, first: 0, last: 0, items: [] });
  });

  it('links a WhatsApp number', () => {
    expect(whatsappLink('+5511987650001')).toBe('https://wa.me/5511987650001');
    expect(whatsappLink(null)).toBeNull();
  });
});
