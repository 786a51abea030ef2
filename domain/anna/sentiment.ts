// Lexicon sentiment for pt-BR WhatsApp messages: word polarity, intensifiers ("muito"), negation
// ("não gostei" flips), emojis; summed then squashed to -1…1 with s / sqrt(s² + 4) (0 when neutral).

const POSITIVE: Record<string, number> = {
  otimo: 2, otima: 2, bom: 1, boa: 1, adorei: 2.5, amei: 2.5, amo: 2, gostei: 2, gosto: 1, perfeito: 2.5, perfeita: 2.5, maravilhoso: 2.5,
  maravilhosa: 2.5, maravilha: 2, obrigado: 1, obrigada: 1, valeu: 1, excelente: 2.5, legal: 1.5, show: 1.5, top: 1.5, incrivel: 2.5,
  feliz: 2, lindo: 2, linda: 2, bacana: 1.5, gentil: 1.5, atenciosa: 1.5, atencioso: 1.5, massa: 1, beleza: 1, animada: 1.5, animado: 1.5,
  ansiosa: 0.5, empolgada: 1.5, empolgado: 1.5, satisfeita: 2, satisfeito: 2, recomendo: 2, confio: 1.5, sonho: 1, demais: 0, aguardo: 0.5,
  rapido: 0.5, gratidao: 2, agradeco: 1.5, fofa: 1.5, querida: 1, top10: 1, sensacional: 2.5, otimos: 2, otimas: 2, bem: 0.5, tranquilo: 0.5,
};
const NEGATIVE: Record<string, number> = {
  ruim: -2, pessimo: -3, pessima: -3, horrivel: -3, demora: -1.5, demorando: -1.5, demorado: -1.5, demorou: -1.5, caro: -1, cara: -0.5, absurdo: -2.5,
  chato: -1.5, chata: -1.5, lixo: -3, odeio: -3, odiei: -3, triste: -2, decepcionada: -2.5, decepcionado: -2.5, decepcao: -2.5, raiva: -2.5,
  irritada: -2.5, irritado: -2.5, porra: -2, merda: -2.5, droga: -1.5, problema: -1, reclamacao: -2, insatisfeita: -2.5, insatisfeito: -2.5,
  medo: -1, caralho: -2, idiota: -3, burra: -3, burro: -3, inutil: -3, palhacada: -3, ridiculo: -2.5, ridicula: -2.5, enganacao: -3,
  golpe: -2.5, cansada: -1, cansado: -1, chateada: -2, chateado: -2, pior: -2.5, mal: -1.5, nunca: -0.5, desisto: -2, desisti: -2,
  grossa: -2, grosso: -2, descaso: -2.5, vergonha: -2, fdp: -3, vsf: -3, imbecil: -3, estupida: -3, estupido: -3,
};
const INTENSIFIERS = new Set(['muito', 'muita', 'super', 'extremamente', 'bastante', 'tao', 'mega', 'hiper', 'demais', 'bem', 'totalmente']);
const NEGATIONS = new Set(['nao', 'nem', 'jamais', 'nunca', 'sem']);

const EMOJI_POS = ['😍', '🥰', '😊', '👍', '❤', '♥', '💖', '💕', '😀', '😃', '😄', '😁', '🙂', '🤩', '😘', '🙏', '👏', '✨', '💜', '💗', '🤗', '😉', '✅', '👌'];
const EMOJI_NEG = ['😡', '😤', '👎', '😒', '😢', '😭', '😠', '🤬', '😞', '😔', '🙄', '😩', '😫', '💩', '😣', '❌'];

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
