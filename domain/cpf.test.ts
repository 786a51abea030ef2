import { describe, expect, it } from 'vitest';
import { formatCpf, generateCpf, isValidCpf, maskCpf, normalizeCpf } from './cpf';
import { createRandom } from './random';

describe('CPF', () => {
  it('accepts valid CPFs with or without punctuation', () => {
    expect(isValidCpf('529.982.247-25')).toBe(true);
    expect(isValidCpf('52998224725')).toBe(true);
    expect(isValidCpf('111.444.777-35')).toBe(true);
  });

  it('refuses wrong check digits, wrong lengths, repeated digits and letters', () => {
    expect(isValidCpf('529.982.247-24')).toBe(false);
    expect(isValidCpf('5299822472')).toBe(false);
    expect(isValidCpf('111.111.111-11')).toBe(false);
    expect(isValidCpf('000.000.000-00')).toBe(false);
    expect(isValidCpf('52998224725a')).toBe(false);
    expect(isValidCpf('')).toBe(false);
  });

  it('normalises, formats and masks', () => {
    expect(normalizeCpf(' 529.982.247-25 ')).toBe('52998224725');
    expect(normalizeCpf('529982247')).toBeNull();
    expect(formatCpf('52998224725')).toBe('529.982.247-25');
    expect(maskCpf('123.456.789-09')).toBe('***.456.789-**');
    expect(() => formatCpf('123')).toThrow();
  });

  it('generates valid, deterministic CPFs from a seeded generator', () => {
    const a = createRandom(99);
    const b = createRandom(99);
    for (let i = 0; i < 500; i++) {
      const cpf = generateCpf(a);
      expect(cpf).toMatch(/^\d{11}$/);
      expect(isValidCpf(cpf)).toBe(true);
      expect(generateCpf(b)).toBe(cpf);
    }
  });
});
