import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatCep, isValidCep, isValidUf, normalizeCep, normalizeUf, UF_NAMES, UFS } from './address';

describe('CEP', () => {
  it('normalises the ways people type it', () => {
    expect(normalizeCep('01310-100')).toBe('01310100');
    expect(normalizeCep(' 01310100 ')).toBe('01310100');
    expect(normalizeCep('01.310-100')).toBe('01310100');
  });

  it('refuses wrong lengths, letters and all zeros', () => {
    for (const bad of ['0131010', '013101000', '01310-10a', '', '00000-000', 'CEP 01310100']) expect(isValidCep(bad)).toBe(false);
  });

  it('formats with the dash and round-trips', () => {
    expect(formatCep('01310100')).toBe('01310-100');
    expect(() => formatCep('123')).toThrow();
    fc.assert(fc.property(fc.stringMatching(/^\d{8}$/).filter((d) => d !== '00000000'), (d) => normalizeCep(formatCep(d)) === d));
  });
});

describe('UF', () => {
  it('has the 27 federative units, each with a name', () => {
    expect(UFS).toHaveLength(27);
    expect(new Set(UFS).size).toBe(27);
    for (const uf of UFS) expect(UF_NAMES[uf]).toBeTruthy();
  });

  it('accepts codes in any case and state names with or without accents', () => {
    expect(normalizeUf('sp')).toBe('SP');
    expect(normalizeUf(' Rj ')).toBe('RJ');
    expect(normalizeUf('São Paulo')).toBe('SP');
    expect(normalizeUf('sao paulo')).toBe('SP');
    expect(normalizeUf('Distrito Federal')).toBe('DF');
    expect(normalizeUf('PIAUI')).toBe('PI');
  });

  it('refuses what is not a UF', () => {
    for (const bad of ['XX', 'S', 'SPP', '', 'Buenos Aires']) expect(isValidUf(bad)).toBe(false);
  });
});
