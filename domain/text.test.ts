import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { foldAccents, liteText, normalizeText } from './text';

describe('text normaliser', () => {
  it('folds accents and case, keeps punctuation', () => {
    expect(foldAccents('Não, AÇÃO às 15:30!')).toBe('nao, acao as 15:30!');
  });
  it('normalizeText keeps only words and digits, one space apart', () => {
    expect(normalizeText('  Olá,   Botóx!! 😊 10/12 ')).toBe('ola botox 10 12');
    expect(normalizeText('CANCELAR INSCRIÇÃO!')).toBe('cancelar inscricao');
  });
  it('liteText collapses spaces but keeps times and dates', () => {
    expect(liteText(' Sexta   às 15:30, dia 12/07 ')).toBe('sexta as 15:30, dia 12/07');
  });
  it('never throws and is idempotent on any Unicode', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      const n = normalizeText(s);
      expect(normalizeText(n)).toBe(n);
      expect(n).toBe(n.trim());
    }));
  });
});
