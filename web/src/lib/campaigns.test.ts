// The Campanhas page's filters (query string in pt-BR → the API's query) and its pt-BR numbers.
import { describe, expect, it } from 'vitest';
import { atRiskQuery, aucReading, percentAlive, csvHref, daysAgo, formatInterval, formatPoints, formatRate, liftVerdict, readRiskFilters, riskTone } from './campaigns';

describe('filters', () => {
  it('reads the query string, falling back to the defaults', () => {
    expect(readRiskFilters(new URLSearchParams(''))).toEqual({ tab: 'risco', minRisk: null, minRiskInvalid: null, q: '', sort: 'risco', includeNeverVisited: false, page: 1 });
    expect(readRiskFilters(new URLSearchParams('aba=modelo&risco=70&nome=%20Ana%20&ordem=valor&nunca=1&pagina=3'))).toEqual({
      tab: 'modelo', minRisk: 70, minRiskInvalid: null, q: 'Ana', sort: 'valor', includeNeverVisited: true, page: 3,
    });
    expect(readRiskFilters(new URLSearchParams('aba=x&risco=abc&ordem=nome&pagina=-2'))).toMatchObject({ tab: 'risco', minRisk: null, minRiskInvalid: 'abc', sort: 'risco', page: 1 });
    expect(readRiskFilters(new URLSearchParams('risco=101')).minRiskInvalid).toBe('101');
    expect(readRiskFilters(new URLSearchParams('risco=0')).minRisk).toBe(0);
  });

  it('turns them into the API query and the CSV link', () => {
    const f = readRiskFilters(new URLSearchParams('risco=70&nome=ana&ordem=inatividade'));
    expect(atRiskQuery(f)).toEqual({ sort: 'inactive', minRisk: '70', q: 'ana', visited: 'true' });
    expect(atRiskQuery({ ...f, includeNeverVisited: true })).toEqual({ sort: 'inactive', minRisk: '70', q: 'ana' });
    expect(csvHref(f)).toBe('/campanhas/exportar?risco=70&nome=ana&ordem=inatividade');
    expect(csvHref(readRiskFilters(new URLSearchParams('')))).toBe('/campanhas/exportar');
  });
});

describe('pt-BR numbers', () => {
  it('rates, lifts in percentage points and their interval', () => {
    expect(formatRate(0.3)).toBe('30,0%');
    expect(formatRate(null)).toBe('—');
    expect(formatPoints(0.25)).toBe('+25,0 p.p.');
    expect(formatPoints(-0.0514)).toBe('−5,1 p.p.');
    expect(formatPoints(0)).toBe('0,0 p.p.');
    expect(formatInterval(-0.08, 0.425)).toBe('de −8,0 a +42,5 p.p.');
    expect(formatInterval(null, 0.1)).toBe('');
  });

  it('what the interval allows one to say', () => {
    expect(liftVerdict({ lift: 0.1, low: 0.02, high: 0.2 }).tone).toBe('good');
    expect(liftVerdict({ lift: 0.1, low: -0.02, high: 0.2 }).text).toContain('ainda inclui zero');
    expect(liftVerdict({ lift: -0.2, low: -0.3, high: -0.1 }).tone).toBe('bad');
    expect(liftVerdict({ lift: null, low: null, high: null }).tone).toBe('neutral');
  });

  it('risk tones, days ago and the AUC in words', () => {
    expect([riskTone(70), riskTone(69), riskTone(40), riskTone(39)]).toEqual(['high', 'medium', 'medium', 'low']);
    expect([daysAgo(0), daysAgo(1), daysAgo(45), daysAgo(240), daysAgo(440), daysAgo(null)]).toEqual(['hoje', 'ontem', 'há 45 dias', 'há 8 meses', 'há 1 ano e 2 meses', '']);
    expect(aucReading(0.86)).toBe('Boa separação entre quem volta e quem não volta');
    expect(aucReading(0.3)).toContain('ao contrário');
    expect(aucReading(null)).toContain('Sem AUC');
    expect([percentAlive(0.003), percentAlive(0), percentAlive(0.234), percentAlive(0.999), percentAlive(1)]).toEqual(['< 1%', '0%', '23%', '> 99%', '100%']);
  });
});
