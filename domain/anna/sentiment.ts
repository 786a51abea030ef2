// Lexicon sentiment for pt-BR WhatsApp messages: word polarity, intensifiers ("muito"), negation
// ("não gostei" flips), emojis; summed then squashed to -1…1 with s / sqrt(s² + 4) (0 when neutral).
// The word lists are the shared base lexicon of domain/sentiment.ts; this formula stays as it was because
// lead scoring (score.ts) is calibrated on it. Patients' comments use domain/sentiment.ts's scoreSentiment.
import { BASE_EMOJI_NEGATIVE, BASE_EMOJI_POSITIVE, BASE_INTENSIFIERS, BASE_NEGATIONS, BASE_NEGATIVE, BASE_POSITIVE } from '../sentiment';

const POSITIVE = BASE_POSITIVE;
const NEGATIVE = BASE_NEGATIVE;
const INTENSIFIERS = BASE_INTENSIFIERS;
const NEGATIONS = BASE_NEGATIONS;
const EMOJI_POS = BASE_EMOJI_POSITIVE;
const EMOJI_NEG = BASE_EMOJI_NEGATIVE;

/** Greetings carry no sentiment ("boa tarde" is not "boa"). */
const NEUTRAL_PHRASES = /\b(bom dia|boa tarde|boa noite|boa sorte|tudo bem|tudo bom|tudo otimo|ta bom|esta bom|bem vinda|bem vindo|mais ou menos)\b/g;

export function sentimentOf(raw: string, words: string[]): number {
  let s = 0;
  const clean = words.join(' ').replace(NEUTRAL_PHRASES, ' ').split(' ').filter(Boolean);
  for (let i = 0; i < clean.length; i++) {
    const w = clean[i];
    let v = POSITIVE[w] ?? NEGATIVE[w] ?? 0;
    if (v === 0) continue;
    const p1 = clean[i - 1];
    const p2 = clean[i - 2];
    if ((p1 && INTENSIFIERS.has(p1)) || clean[i + 1] === 'demais') v *= 1.5;
    if ((p1 && NEGATIONS.has(p1)) || (p2 && NEGATIONS.has(p2) && !NEGATIONS.has(p1 ?? ''))) v *= -0.8;
    s += v;
  }
  let emoji = 0;
  for (const e of EMOJI_POS) emoji += countOf(raw, e) * 1.5;
  for (const e of EMOJI_NEG) emoji -= countOf(raw, e) * 1.5;
  s += Math.max(-6, Math.min(6, emoji));
  if (s === 0) return 0;
  const r = s / Math.sqrt(s * s + 4);
  return Math.round(Math.max(-1, Math.min(1, r)) * 1000) / 1000;
}

function countOf(s: string, sub: string): number {
  let n = 0;
  for (let i = s.indexOf(sub); i !== -1 && n < 20; i = s.indexOf(sub, i + sub.length)) n++;
  return n;
}
