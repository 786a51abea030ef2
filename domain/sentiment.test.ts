import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scoreSentiment, type SentimentLabel } from './sentiment';
import { SENTIMENT_FIXTURES, SENTIMENT_HOLDOUT, type LabelledComment } from './sentiment.fixtures';
import { sentimentOf } from './anna/sentiment';

const LABELS: SentimentLabel[] = ['negativo', 'neutro', 'positivo'];

function evaluate(name: string, set: readonly LabelledComment[]): number {
  const confusion = Object.fromEntries(LABELS.map((l) => [l, Object.fromEntries(LABELS.map((p) => [p, 0]))])) as Record<SentimentLabel, Record<SentimentLabel, number>>;
  const misses: string[] = [];
  let right = 0;
  for (const { text, label } of set) {
    const r = scoreSentiment(text);
    confusion[label][r.label]++;
    if (r.label === label) right++;
    else misses.push(`  ${label} → ${r.label} (${r.score}) ${JSON.stringify(text)} [${r.drivers.join(', ')}]`);
  }
  const accuracy = right / set.length;
  const counts = LABELS.map((l) => `${l}: ${set.filter((c) => c.label === l).length}`).join(', ');
  console.log(
    `[sentiment] ${name}: accuracy ${(accuracy * 100).toFixed(1)}% (${right}/${set.length}; ${counts})\n` +
    `  confusion (rows = label, columns = predicted ${LABELS.join('/')}):\n` +
    LABELS.map((l) => `    ${l.padEnd(8)} ${LABELS.map((p) => String(confusion[l][p]).padStart(3)).join(' ')}`).join('\n') +
    (misses.length ? `\n  misses:\n${misses.join('\n')}` : ''),
  );
  return accuracy;
}

describe('scoreSentiment: labelled comments', () => {
  it('has at least 60 labelled comments, balanced', () => {
    expect(SENTIMENT_FIXTURES.length).toBeGreaterThanOrEqual(60);
    for (const l of LABELS) expect(SENTIMENT_FIXTURES.filter((c) => c.label === l).length).toBeGreaterThanOrEqual(18);
    const texts = [...SENTIMENT_FIXTURES, ...SENTIMENT_HOLDOUT].map((c) => c.text);
    expect(new Set(texts).size).toBe(texts.length);
  });
  it('is right on ≥ 85% of the development comments', () => {
    expect(evaluate('development set', SENTIMENT_FIXTURES)).toBeGreaterThanOrEqual(0.85);
  });
  it('is right on ≥ 75% of the hold-out comments (written after the lexicon was frozen)', () => {
    expect(SENTIMENT_HOLDOUT.length).toBeGreaterThanOrEqual(20);
    expect(evaluate('hold-out set', SENTIMENT_HOLDOUT)).toBeGreaterThanOrEqual(0.75);
  });
});

describe('scoreSentiment: rules', () => {
  const s = (t: string) => scoreSentiment(t);
  it('empty is neutro, 0, no drivers', () => {
    for (const t of ['', '   ', '...', undefined as unknown as string]) expect(s(t)).toEqual({ score: 0, label: 'neutro', drivers: [] });
  });
  it('negation flips: "não gostei", "nada bom", "nunca mais", "sem dor", "dor nenhuma"', () => {
    expect(s('gostei').label).toBe('positivo');
    expect(s('não gostei').label).toBe('negativo');
    expect(s('nada bom').label).toBe('negativo');
    expect(s('n gostei').label).toBe('negativo');
    expect(s('nunca mais volto').label).toBe('negativo');
    expect(s('sem dor').label).toBe('positivo');
    expect(s('não senti dor nenhuma').label).toBe('positivo');
    expect(s('nada mal').label).toBe('positivo');
    expect(s('não foi nada pontual').label).toBe('negativo');
  });
  it('intensifiers strengthen, diminishers soften', () => {
    expect(s('muito bom').score).toBeGreaterThan(s('bom').score);
    expect(s('super atenciosa').score).toBeGreaterThan(s('atenciosa').score);
    expect(s('superatenciosa').score).toBeGreaterThan(s('atenciosa').score);
    expect(s('mto bom').score).toBe(s('muito bom').score);
    expect(s('demorou dms').score).toBeLessThan(s('demorou').score);
    expect(s('um pouco caro').score).toBeGreaterThan(s('caro').score);
    expect(s('pouco atenciosa').label).toBe('negativo');
    expect(s('bem caro').score).toBeLessThan(s('caro').score);
  });
  it('after "mas" weighs more', () => {
    expect(s('A Dra. foi ótima, mas o resultado ficou horrível').label).toBe('negativo');
    expect(s('Achei caro, mas amei o resultado').label).toBe('positivo');
  });
  it('emojis and emoticons count', () => {
    expect(s('😍').label).toBe('positivo');
    expect(s('😡').label).toBe('negativo');
    expect(s('👍').label).toBe('positivo');
    expect(s('👎').label).toBe('negativo');
    expect(s('❤️').label).toBe('positivo');
    expect(s('😞').label).toBe('negativo');
    expect(s(':(').label).toBe('negativo');
    expect(s('<3').label).toBe('positivo');
    expect(s('😍'.repeat(500)).score).toBeLessThanOrEqual(1);
  });
  it('misspellings and slang', () => {
    for (const t of ['otimo', 'ótimooo', 'top', 'amei', 'adoreiii', 'excelnte', 'maravilhosaaa', 'lindissima', 'mara']) expect(s(t).label, t).toBe('positivo');
    for (const t of ['pessimo', 'pesimo', 'horrivel', 'horrível!!!', 'atrasou', 'carissimo', 'hematoma', 'inchaço']) expect(s(t).label, t).toBe('negativo');
  });
  it('clinic nouns alone are neutral', () => {
    for (const t of ['atendimento', 'pontualidade', 'resultado', 'preço', 'limpeza de pele', 'botox amanhã', 'bom dia']) expect(s(t).label, t).toBe('neutro');
  });
  it('names what drove it', () => {
    expect(s('Não gostei, atrasou muito 😡').drivers).toEqual(expect.arrayContaining(['não gostei', '😡']));
    expect(s('muito caro').drivers).toEqual(['muito caro']);
    expect(s('mto bom').drivers).toEqual(['mto bom']);
  });
  it('leaves Anna\'s lead sentiment as it was', () => {
    expect(sentimentOf('amei, muito obrigada! 😍', ['amei', 'muito', 'obrigada'])).toBeGreaterThan(0);
    expect(sentimentOf('', [])).toBe(0);
  });
});

describe('scoreSentiment: properties', () => {
  it('never throws; the score is in [-1, 1] and agrees with the label', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }),
      fc.array(fc.constantFrom('não', 'muito', 'bom', 'mas', 'péssimo', 'dor', 'nenhuma', '😍', '😡', ',', 'super', 'pouco', 'um', 'nunca', 'mais', 'kkk', ':)', 'mal'), { maxLength: 15 }).map((a) => a.join(' '))), (t) => {
      const r = scoreSentiment(t);
      expect(r.score).toBeGreaterThanOrEqual(-1);
      expect(r.score).toBeLessThanOrEqual(1);
      expect(r.label).toBe(r.score >= 0.25 ? 'positivo' : r.score <= -0.25 ? 'negativo' : 'neutro');
      expect(Array.isArray(r.drivers)).toBe(true);
    }), { numRuns: 2000 });
  });
  it('negating a clearly positive sentence lowers its score', () => {
    const subject = fc.constantFrom('o atendimento', 'a doutora', 'o resultado', 'a equipe', 'a recepção', 'o procedimento');
    const adjective = fc.constantFrom('ótimo', 'bom', 'excelente', 'perfeito', 'maravilhoso', 'incrível', 'top', 'impecável');
    const intensifier = fc.constantFrom('', 'muito ', 'super ', 'bem ');
    const tail = fc.constantFrom('', '!', '.', ' 😍', ' 👍');
    fc.assert(fc.property(subject, adjective, intensifier, tail, (sub, adj, int, end) => {
      const positive = scoreSentiment(`${sub} foi ${int}${adj}${end}`);
      const negative = scoreSentiment(`${sub} não foi ${int}${adj}${end}`);
      expect(negative.score).toBeLessThan(positive.score);
    }));
    fc.assert(fc.property(fc.constantFrom('gostei', 'amei', 'adorei', 'recomendo', 'curti'), fc.constantFrom('', ' do resultado', ' da experiência', ' do atendimento'), (verb, rest) => {
      expect(scoreSentiment(`não ${verb}${rest}`).score).toBeLessThan(scoreSentiment(`${verb}${rest}`).score);
    }));
  });
});
