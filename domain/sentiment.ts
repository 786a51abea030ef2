// pt-BR lexicon sentiment for patients' comments (NPS answers, reviews): word and emoji polarity,
// negation ("não gostei", "nada bom", "sem dor", "dor nenhuma", "nunca mais"), intensifiers and
// diminishers ("muito", "super", "um pouco", "meio"), contrast (after "mas" weighs more), slang and
// misspellings ("otimo", "mto bom", "demorou dms", "pesimo", "excelnte"), and the words of an aesthetic
// clinic (atendimento, pontualidade, resultado, preço, dor, inchaço, hematoma…).
//
// The first tables below are the shared base lexicon; Anna's lead-chat sentiment (domain/anna/sentiment.ts)
// reads them with its own, older formula, which lead scoring is calibrated on.
import { editDistance, expandSlang } from './anna/normalize';
import { normalizeText } from './text';

// ───────────────────────────── Base lexicon (shared with Anna) ─────────────────────────────

export const BASE_POSITIVE: Readonly<Record<string, number>> = {
  otimo: 2, otima: 2, bom: 1, boa: 1, adorei: 2.5, amei: 2.5, amo: 2, gostei: 2, gosto: 1, perfeito: 2.5, perfeita: 2.5, maravilhoso: 2.5,
  maravilhosa: 2.5, maravilha: 2, obrigado: 1, obrigada: 1, valeu: 1, excelente: 2.5, legal: 1.5, show: 1.5, top: 1.5, incrivel: 2.5,
  feliz: 2, lindo: 2, linda: 2, bacana: 1.5, gentil: 1.5, atenciosa: 1.5, atencioso: 1.5, massa: 1, beleza: 1, animada: 1.5, animado: 1.5,
  ansiosa: 0.5, empolgada: 1.5, empolgado: 1.5, satisfeita: 2, satisfeito: 2, recomendo: 2, confio: 1.5, sonho: 1, demais: 0, aguardo: 0.5,
  rapido: 0.5, gratidao: 2, agradeco: 1.5, fofa: 1.5, querida: 1, top10: 1, sensacional: 2.5, otimos: 2, otimas: 2, bem: 0.5, tranquilo: 0.5,
};
export const BASE_NEGATIVE: Readonly<Record<string, number>> = {
  ruim: -2, pessimo: -3, pessima: -3, horrivel: -3, demora: -1.5, demorando: -1.5, demorado: -1.5, demorou: -1.5, caro: -1, cara: -0.5, absurdo: -2.5,
  chato: -1.5, chata: -1.5, lixo: -3, odeio: -3, odiei: -3, triste: -2, decepcionada: -2.5, decepcionado: -2.5, decepcao: -2.5, raiva: -2.5,
  irritada: -2.5, irritado: -2.5, porra: -2, merda: -2.5, droga: -1.5, problema: -1, reclamacao: -2, insatisfeita: -2.5, insatisfeito: -2.5,
  medo: -1, caralho: -2, idiota: -3, burra: -3, burro: -3, inutil: -3, palhacada: -3, ridiculo: -2.5, ridicula: -2.5, enganacao: -3,
  golpe: -2.5, cansada: -1, cansado: -1, chateada: -2, chateado: -2, pior: -2.5, mal: -1.5, nunca: -0.5, desisto: -2, desisti: -2,
  grossa: -2, grosso: -2, descaso: -2.5, vergonha: -2, fdp: -3, vsf: -3, imbecil: -3, estupida: -3, estupido: -3,
};
export const BASE_INTENSIFIERS: ReadonlySet<string> = new Set(['muito', 'muita', 'super', 'extremamente', 'bastante', 'tao', 'mega', 'hiper', 'demais', 'bem', 'totalmente']);
export const BASE_NEGATIONS: ReadonlySet<string> = new Set(['nao', 'nem', 'jamais', 'nunca', 'sem']);
export const BASE_EMOJI_POSITIVE: readonly string[] = ['😍', '🥰', '😊', '👍', '❤', '♥', '💖', '💕', '😀', '😃', '😄', '😁', '🙂', '🤩', '😘', '🙏', '👏', '✨', '💜', '💗', '🤗', '😉', '✅', '👌'];
export const BASE_EMOJI_NEGATIVE: readonly string[] = ['😡', '😤', '👎', '😒', '😢', '😭', '😠', '🤬', '😞', '😔', '🙄', '😩', '😫', '💩', '😣', '❌'];

// ───────────────────────────── Comments' lexicon: base + clinic words ─────────────────────────────

const gendered = (stems: string, w: number, endings = ['o', 'a', 'os', 'as']): Record<string, number> =>
  Object.fromEntries(stems.split(' ').flatMap((s) => endings.map((e) => [s + e, w])));

/** Words of patients' comments beyond the base (and a few base weights revised for comments). */
const COMMENT_WORDS: Record<string, number> = {
  // Praise of people and place.
  ...gendered('atencios educad simpatic cuidados carinhos delicad acolhid organizad capacitad', 1.5),
...gendered('cheiros limp limpinh caprichad', 1), ...gendered('maravilhos perfeit', 2.5),
  ...gendered('lind otim', 2), ...gendered('satisfeit', 2), ...gendered('encantad', 2.5), ...gendered('apaixonad', 2), ...gendered('tranquil', 0.8),
  ...gendered('rapid', 0.5), ...gendered('human', 1), ...gendered('segur', 0.8), ...gendered('renovad rejuvenescid', 1.5),
  acolhedora: 1.5, acolhedor: 1.5, acolhimento: 1.5, carinho: 1.5, cuidado: 0.8, delicadeza: 1.5, paciencia: 1, profissionalismo: 1.5, competente: 1.5,
  competencia: 1.5, eficiente: 1.5, impecavel: 2.5, excelencia: 2, qualidade: 0.8, pontual: 1.5, pontuais: 1.5, certinho: 1, certinha: 1, confortavel: 1.5,
  agradavel: 1.5, aconchegante: 1.5, suave: 1, indolor: 1.5, rapidez: 0.8, natural: 1, naturalidade: 1, radiante: 2, macia: 1, sedosa: 1,
  confianca: 1.5, confiavel: 1.5, contente: 1.5, maravilhou: 2, justo: 1, acessivel: 1, barato: 0.5, recomendaria: 2, indico: 1.5, indicaria: 1.5,
  voltarei: 1.5, volto: 1, voltaria: 1, adoro: 2, amamos: 2.5, amando: 2.5, gostamos: 2, curti: 1.5, arrasou: 2, arrasaram: 2, caprichou: 2,
  caprichoso: 1.5, caprichosa: 1.5, melhor: 1.5, melhores: 1.5, melhorou: 1.5, melhora: 1, clareou: 1.2, clarearam: 1.2, rejuvenesceu: 1.5,
  resolveu: 1.2, funcionou: 1.2, funciona: 1, diferenca: 0.8, efeito: 0.5, esperado: 0.3, normal: 0.3, certo: 0.5, tranquilo: 0.8, mara: 2,
  topzera: 2, perfeicao: 2.5, sucesso: 1.5, fantastico: 2.5, fantastica: 2.5, espetacular: 2.5, demais: 0, nunca: 0, bem: 0.5,
  // Complaints: people, place, time, money.
  ...gendered('apressad', -1.5), ...gendered('desorganizad', -1.5), ...gendered('antipatic', -2), ...gendered('grosseir', -2), ...gendered('enganad', -2.5),
  ...gendered('ignorad', -2), ...gendered('atrasad', -1.5), ...gendered('demorad', -1.5), ...gendered('frustrad', -2), ...gendered('arrependid', -2.5),
  ...gendered('decepcionad insatisfeit', -2.5), ...gendered('horroros', -3), ...gendered('suj', -2), ...gendered('nojent', -2.5), ...gendered('confus', -1),
  ...gendered('desrespeitos', -2.5), ...gendered('errad', -1.5), ...gendered('estranh', -1), ...gendered('exagerad', -1), ...gendered('artificial', -1.2, ['', 'is']),
  ...gendered('assimetric tort', -1.5), ...gendered('deformad', -2.5), ...gendered('car', -1.5, ['o', 'os', 'issimo', 'issima']), salgado: -1, abusivo: -2,
  terrivel: -3, horrivel: -3, pessimo: -3, pessima: -3, decepcionante: -2.5, frustrante: -2, arrependimento: -2.5, rude: -2, arrogante: -2, grosseria: -2.5,
  desrespeito: -2.5, desorganizacao: -2, bagunca: -1.5, confusao: -1, erro: -1.5, errou: -1.5, erraram: -1.5, esqueceram: -1.5, esqueceu: -1.5,
  remarcaram: -1, desmarcaram: -1.5, cancelaram: -1.2, mentira: -2, mentiram: -2.5, cobraram: -0.5, atraso: -1.5, atrasos: -1.5, atrasou: -1.5,
  atrasaram: -1.5, atrasa: -1.2, demoraram: -1.5, demoram: -1.2, esperei: -0.8, espera: -0.5, frio: -1, fria: -1, sujeira: -2, fedido: -2,
  nojo: -2, perdi: -1, prejuizo: -2, piorou: -2, problemas: -1, reclamar: -1, descaso: -2.5, ma: -1, odiamos: -3,
  // The body after a procedure.
  dor: -1.5, dores: -1.5, doeu: -1.5, doi: -1, doendo: -1.5, ...gendered('dolorid', -1.2), ...gendered('doloros', -1.5), ardeu: -1, ardencia: -1,
  ardendo: -1, incomodo: -1, incomodou: -1.2, ...gendered('inchad', -1), inchaco: -1, inchou: -1, hematoma: -1.5, hematomas: -1.5,
  ...gendered('rox', -1), mancha: -0.5, manchas: -0.5, manchou: -1.5, queimou: -2, ...gendered('queimad', -2), queimadura: -2, queimaduras: -2,
  queimando: -1.5, irritacao: -1.5, irritou: -1.5, alergia: -1.5, alergica: -1.2, vermelhidao: -1, vermelha: -0.5, vermelho: -0.3,
  cicatriz: -1, ferida: -1.5, coceira: -1, descascando: -0.3, descascou: -0.3, sensibilidade: -0.5, arde: -1, suportavel: 0.3,
};

export const SENTIMENT_LEXICON: Readonly<Record<string, number>> = { ...BASE_POSITIVE, ...BASE_NEGATIVE, ...COMMENT_WORDS };

/** Stock expressions, matched on folded words; a `negator` phrase also negates what follows. */
const PHRASES: ReadonlyArray<{ words: string; w: number; negator?: boolean }> = [
  { words: 'vale a pena', w: 2 }, { words: 'valeu a pena', w: 2 }, { words: 'valeu cada centavo', w: 2.5 }, { words: 'vale cada centavo', w: 2.5 },
  { words: 'dinheiro jogado fora', w: -2.5 }, { words: 'jogar dinheiro fora', w: -2.5 }, { words: 'a desejar', w: -2 },
  { words: 'mais ou menos', w: -0.4 }, { words: 'poderia ser melhor', w: -1.2 }, { words: 'podia ser melhor', w: -1.2 }, { words: 'pode melhorar', w: -1 },
  { words: 'poderia melhorar', w: -1 }, { words: 'precisa melhorar', w: -1.2 }, { words: 'nada a reclamar', w: 2 }, { words: 'nada a declarar', w: 0 },
  { words: 'nada de especial', w: -0.4 }, { words: 'nada demais', w: -0.3 }, { words: 'sem comentarios', w: 0 }, { words: 'ma vontade', w: -2 },
  { words: 'ma qualidade', w: -2 }, { words: 'mal educada', w: -2 }, { words: 'mal educado', w: -2 }, { words: 'mao leve', w: 1.5 }, { words: 'mao pesada', w: -1.5 }, { words: 'show de bola', w: 2 },
  { words: 'nota dez', w: 2 }, { words: 'nota 10', w: 2 }, { words: 'nota mil', w: 2.5 }, { words: 'nota zero', w: -2 }, { words: 'nota 0', w: -2 },
  { words: 'fez efeito', w: 1.2 }, { words: 'nada mudou', w: -1.5 }, { words: 'continua igual', w: -1.5 }, { words: 'continuam iguais', w: -1.5 },
  { words: 'continua a mesma', w: -1.5 }, { words: 'continua o mesmo', w: -1.5 }, { words: 'quero voltar', w: 1.5 }, { words: 'vou voltar', w: 1.2 },
  { words: 'dentro do esperado', w: 0.3 }, { words: 'tudo certo', w: 0.5 }, { words: 'tudo bem', w: 0.5 }, { words: 'a mais', w: -0.5 },
  { words: 'nunca mais', w: -1, negator: true },
  // "Bem/mal atendida": the praise is in the adverb ("fui atendida" says nothing).
  ...['atendida', 'atendido', 'tratada', 'tratado', 'recebida', 'recebido', 'cuidada', 'cuidado'].flatMap((w) => [{ words: `bem ${w}`, w: 1.5 }, { words: `mal ${w}`, w: -2 }]),
  // A wish says the quality is missing: "poderia ser mais barato" → not cheap.
  ...['poderia ser mais', 'podia ser mais', 'deveria ser mais', 'poderia ter sido mais', 'poderia ter mais', 'podia ter mais', 'faltou mais'].map((words) => ({ words, w: 0, negator: true })),
  { words: 'bom dia', w: 0 }, { words: 'boa tarde', w: 0 }, { words: 'boa noite', w: 0 }, { words: 'boa sorte', w: 0 }, { words: 'limpeza de pele', w: 0 },
  { words: 'bem vinda', w: 0 }, { words: 'bem vindo', w: 0 }, { words: 'ta bom', w: 0.3 }, { words: 'esta bom', w: 0.3 },
];

/** Price words make "alto", "salgado", "puxado" complaints ("achei o valor um pouco alto"). */
const PRICE_WORDS = new Set(['preco', 'precos', 'valor', 'valores', 'orcamento', 'pacote', 'cobrado', 'cobranca']);
const PRICE_HIGH: Record<string, number> = { alto: -1.2, alta: -1.2, altos: -1.2, altissimo: -2, salgado: -1.5, puxado: -1.2, elevado: -1.2, absurdo: -2.5 };

const NEGATORS = new Set(['nao', 'nem', 'jamais', 'nunca', 'sem', 'nada', 'nenhum', 'nenhuma', 'ninguem', 'falta', 'zero']); // "zero dor"
/** Negators that also say something bad by themselves ("ninguém me ligou", "falta de…"). */
const NEGATOR_WEIGHT: Record<string, number> = { ninguem: -0.5, falta: -0.5 };
const POST_NEGATORS = new Set(['nenhum', 'nenhuma']);
const INTENSIFIERS = new Set([
  'muito', 'muita', 'muitos', 'muitas', 'super', 'mega', 'hiper', 'extremamente', 'bastante', 'tao', 'totalmente', 'completamente', 'realmente',
  'simplesmente', 'absurdamente', 'incrivelmente', 'bem', 'demasiado', 'sempre',
]);
const POST_INTENSIFIERS = new Set(['demais', 'bastante', 'muito', 'dms']);
const DIMINISHERS = new Set(['pouco', 'pouca', 'meio', 'levemente', 'ligeiramente', 'razoavelmente', 'quase']);
/** Function words skipped when looking for a modifier ("um pouco DE medo", "muito A desejar"). */
const SKIPPABLE = new Set(['de', 'do', 'da', 'o', 'a', 'os', 'as', 'um', 'uma']);
const CONTRAST = new Set(['mas', 'porem', 'entretanto', 'contudo', 'todavia']);
const CONCESSIVE = new Set(['apesar', 'embora']);
/** Slang and shorthand beyond Anna's (domain/anna/normalize.ts). */
const SLANG: Record<string, string> = { dms: 'demais', dmais: 'demais', nd: 'nada', naum: 'nao', nunk: 'nunca', mtu: 'muito', mui: 'muito', s2: '❤' };

const EMOJI: Record<string, number> = {
  '😍': 2.5, '🥰': 2.5, '🤩': 2.5, '😘': 1.5, '❤': 2, '♥': 2, '💖': 2, '💕': 2, '💗': 2, '💓': 2, '💞': 2, '💘': 2, '💜': 2, '💙': 2, '💚': 2,
  '🧡': 2, '🤍': 2, '😊': 1.5, '☺': 1.5, '🙂': 0.8, '😀': 1.5, '😃': 1.5, '😄': 1.5, '😁': 1.5, '👏': 1.5, '👍': 1.5, '👌': 1.5, '🙌': 1.5,
  '✨': 0.8, '🌟': 1, '⭐': 1, '🥳': 2, '🙏': 1, '🤗': 1.5, '😉': 0.8, '✅': 0.8, '💯': 2, '🔝': 1.5, '😂': 0.5, '🤣': 0.5, '🏆': 1.5,
  '😡': -2.5, '🤬': -3, '😠': -2.5, '😤': -2, '👎': -2, '😒': -1.5, '😢': -1.5, '😭': -1.5, '😞': -1.5, '😔': -1.5, '🙁': -1.2, '☹': -1.5,
  '😕': -1, '😐': -0.5, '😑': -0.5, '🙄': -1.5, '😩': -1.5, '😫': -1.5, '😣': -1.5, '😖': -1.5, '🤢': -2.5, '🤮': -3, '💩': -2.5, '❌': -1,
  '💔': -2, '😬': -0.8, '😓': -1, '😰': -1.2, '😟': -1, '😥': -1.2,
};
const EMOTICONS: Record<string, number> = { ':)': 1, ':-)': 1, '=)': 1, ':D': 1.5, ':-D': 1.5, '<3': 2, ':(': -1.5, ':-(': -1.5, '=(': -1.5, ":'(": -1.5, ':/': -0.8 };

/** Letters repeated 3+ times once ("ótimooo" → "otimo"), and every repeat once, for typo look-ups ("pesimo" ~ "pessimo"). */
const squash3 = (w: string) => w.replace(/(\p{L})\1{2,}/gu, '$1');
const squashAll = (w: string) => w.replace(/(\p{L})\1+/gu, '$1');
const BY_SQUASHED = new Map<string, number>();
for (const [k, v] of Object.entries(SENTIMENT_LEXICON)) if (!BY_SQUASHED.has(squashAll(k))) BY_SQUASHED.set(squashAll(k), v);
const TYPO_KEYS = Object.keys(SENTIMENT_LEXICON).filter((k) => k.length >= 6 && Math.abs(SENTIMENT_LEXICON[k]) >= 1);

/** A word's polarity: exact, squashed, "super…"/"…íssimo"/"…inho" forms, then one typo away (long words only). */
function polarity(word: string): { w: number; factor: number } | null {
  const direct = SENTIMENT_LEXICON[word];
  if (direct !== undefined) return direct === 0 ? null : { w: direct, factor: 1 };
  const sq = BY_SQUASHED.get(squashAll(word));
  if (sq !== undefined) return sq === 0 ? null : { w: sq, factor: 1 };
  if (word.startsWith('super') && word.length > 7) {
    const rest = polarity(word.slice(5));
    if (rest) return { w: rest.w, factor: rest.factor * 1.5 };
  }
  const issimo = /^(.{3,})issim([oa])s?$/.exec(word);
  if (issimo) {
    const base = SENTIMENT_LEXICON[issimo[1] + issimo[2]] ?? SENTIMENT_LEXICON[issimo[1] + 'o'] ?? SENTIMENT_LEXICON[issimo[1] + 'e'];
    if (base) return { w: base, factor: 1.5 };
  }
  const inho = /^(.{2,}?)(?:zinh|inh)([oa])s?$/.exec(word);
  if (inho) {
    const base = SENTIMENT_LEXICON[inho[1] + inho[2]] ?? SENTIMENT_LEXICON[inho[1]] ?? SENTIMENT_LEXICON[inho[1] + 'o'];
    if (base) return { w: base, factor: 0.5 };
  }
  if (word.length >= 7) {
    for (const k of TYPO_KEYS) {
      if (k[0] === word[0] && Math.abs(k.length - word.length) <= 1 && editDistance(k, word, 1) <= 1) return { w: SENTIMENT_LEXICON[k], factor: 1 };
    }
  }
  return null;
}

// ───────────────────────────── Scoring ─────────────────────────────

export type SentimentLabel = 'negativo' | 'neutro' | 'positivo';
export interface SentimentResult {
  /** -1 … 1 (0 when nothing polar was found). */
  score: number;
  label: SentimentLabel;
  /** The words, expressions and emojis that drove the label, strongest first ("não gostei", "muito caro", "😡"). */
  drivers: string[];
}

/** |score| at or above this is positivo/negativo. */
export const SENTIMENT_THRESHOLD = 0.25;
/** Weights of the clause before and after "mas"; of a concessive clause ("apesar de…", "embora…"). */
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;
const CONCESSIVE_WEIGHT = 0.5;
const MAX_CHARS = 5000;

type Unit =
  | { kind: 'word'; key: string; surface: string }
  | { kind: 'phrase'; key: string; surface: string; w: number; negator: boolean }
  | { kind: 'emoji'; key: string; surface: string; w: number }
  | { kind: 'break' };

const UNIT_RE = /(:'\(|[:=]-?[)D(/]|<3)|(\p{Extended_Pictographic})[\uFE0F\u{1F3FB}-\u{1F3FF}]*|([\p{L}\p{N}\p{M}]+)|([.!?;,\n()]+)|[\s\S]/gu;

function unitsOf(raw: string): Unit[] {
  const units: Unit[] = [];
  for (const m of raw.matchAll(UNIT_RE)) {
    if (m[1] !== undefined) units.push({ kind: 'emoji', key: m[1], surface: m[1], w: EMOTICONS[m[1].toUpperCase()] ?? EMOTICONS[m[1]] ?? 0 });
    else if (m[2] !== undefined) units.push({ kind: 'emoji', key: m[2], surface: m[0], w: EMOJI[m[2]] ?? 0 });
    else if (m[3] !== undefined) {
      const plain = normalizeText(m[3]);
      if (!plain) continue;
      if (/^(k{2,}|(rs){2,}|(ha){2,}h?|(he){2,})$/.test(plain)) { units.push({ kind: 'emoji', key: 'kkk', surface: m[3], w: 0.3 }); continue; }
      const folded = squash3(plain);
      const slang = SLANG[folded] ?? folded;
      if (slang === '❤') { units.push({ kind: 'emoji', key: '❤', surface: m[3], w: EMOJI['❤'] }); continue; }
      const words = expandSlang(slang).split(' ').filter(Boolean);
      for (const key of words) units.push({ kind: 'word', key, surface: words.length === 1 ? m[3].toLowerCase() : key });
    } else if (m[4] !== undefined) units.push({ kind: 'break' });
  }
  return mergePhrases(units);
}

const PHRASE_WORDS = PHRASES.map((p) => ({ ...p, parts: p.words.split(' ') })).sort((a, b) => b.parts.length - a.parts.length);

function mergePhrases(units: Unit[]): Unit[] {
  const out: Unit[] = [];
  for (let i = 0; i < units.length; i++) {
    const hit = PHRASE_WORDS.find((p) => p.parts.every((part, k) => { const u = units[i + k]; return u?.kind === 'word' && u.key === part; }));
    if (hit) {
      const surface = units.slice(i, i + hit.parts.length).map((u) => (u.kind === 'word' ? u.surface : '')).join(' ');
      out.push({ kind: 'phrase', key: hit.words, surface, w: hit.w, negator: !!hit.negator });
      i += hit.parts.length - 1;
    } else out.push(units[i]);
  }
  return out;
}

const surfaceOf = (u: Unit | undefined) => (u && u.kind !== 'break' ? u.surface : '');
const keyOf = (u: Unit | undefined) => (u && (u.kind === 'word' || u.kind === 'phrase') ? u.key : '');
const isNegatorUnit = (u: Unit | undefined) => !!u && ((u.kind === 'word' && NEGATORS.has(u.key)) || (u.kind === 'phrase' && u.negator));

/** Sentiment of a patient's comment; never throws; '' → neutro, 0. */
export function scoreSentiment(text: string): SentimentResult {
  const raw = typeof text === 'string' ? text.slice(0, MAX_CHARS) : '';
  const units = unitsOf(raw);
  // Clause weights: contrast ("mas") and concession ("apesar de…", up to the next break).
  const weight = new Array<number>(units.length).fill(1);
  const lastContrast = units.reduce((last, u, i) => (u.kind === 'word' && CONTRAST.has(u.key) ? i : last), -1);
  if (lastContrast >= 0) for (let i = 0; i < units.length; i++) weight[i] = i < lastContrast ? BEFORE_CONTRAST : AFTER_CONTRAST;
  for (let i = 0, concessive = false; i < units.length; i++) {
    const u = units[i];
    if (u.kind === 'break') concessive = false;
    else if (u.kind === 'word' && CONCESSIVE.has(u.key)) concessive = true;
    if (concessive) weight[i] *= CONCESSIVE_WEIGHT;
  }

  const contributions: Array<{ text: string; v: number }> = [];
  const used = new Set<number>(); // modifiers consumed by the word they modify ("bem", "mal")
  let emojiSum = 0;
  const emojiSeen = new Map<string, number>();
  for (let i = 0; i < units.length; i++) {
    const u = units[i];
    if (u.kind === 'break') continue;
    if (u.kind === 'emoji') {
      if (u.w === 0) continue;
      const seen = emojiSeen.get(u.key) ?? 0;
      emojiSeen.set(u.key, seen + 1);
      if (seen >= 3) continue;
      const v = u.w * (seen === 0 ? 1 : 0.5) * weight[i];
      emojiSum += v;
      contributions.push({ text: u.surface, v });
      continue;
    }
    if (used.has(i)) continue;
    let base: number;
    let factor = 1;
    if (u.kind === 'phrase') {
      base = u.w;
    } else {
      if (NEGATORS.has(u.key)) {
        const w = NEGATOR_WEIGHT[u.key];
        if (w) contributions.push({ text: u.surface, v: w * weight[i] });
        continue;
      }
      if (INTENSIFIERS.has(u.key) || DIMINISHERS.has(u.key) || CONTRAST.has(u.key)) {
        // "bem"/"muito" alone ("estou bem") keep their own small weight only when they modify nothing.
        if (u.key !== 'bem' || polarityAt(units, i + 1)) continue;
      }
      if (u.key === 'mal' && (polarityAt(units, i + 1)?.w ?? 0) > 0) {
        // "mal atendida": the next praise is reversed, "mal" itself is not counted again.
        continue;
      }
      const p = PRICE_HIGH[u.key] !== undefined && priceBefore(units, i) ? { w: PRICE_HIGH[u.key], factor: 1 } : polarity(u.key);
      if (!p) continue;
      base = p.w;
      factor = p.factor;
    }
    if (base === 0) continue;
    let v = base * factor;
    let from = i; // the driver's text runs from its first modifier to the word
    // Modifiers before: up to two, skipping articles and "de" ("um pouco de medo", "muito bem atendida").
    let j = i - 1;
    while (j >= 0 && units[j].kind === 'word' && SKIPPABLE.has(keyOf(units[j])) && i - j <= 2) j--;
    let intens = 0;
    for (let k = j; k >= 0 && k >= j - 1 && units[k].kind === 'word'; k--) {
      const key = keyOf(units[k]);
      if (INTENSIFIERS.has(key) && intens < 2) { v *= 1.5; intens++; from = k; }
      else if (DIMINISHERS.has(key)) {
        const aPouco = (key === 'pouco' || key === 'pouca') && keyOf(units[k - 1]) !== 'um' && keyOf(units[k - 1]) !== 'uma';
        // Bare "pouco atenciosa" means "not attentive"; "um pouco caro" is a little expensive.
        v *= aPouco && v > 0 ? -0.6 : 0.5;
        from = k;
        break;
      } else if (key === 'mal' && v > 0) { v *= -0.9; from = k; break; }
      else break;
    }
    if (POST_INTENSIFIERS.has(keyOf(units[i + 1])) && !polarityAt(units, i + 2)) v *= 1.5;
    // Negation: a negator among the three words before, in the same clause; or "dor nenhuma".
    let negated = POST_NEGATORS.has(keyOf(units[i + 1]));
    for (let k = i - 1; k >= 0 && k >= i - 3; k--) {
      const w = units[k];
      if (w.kind === 'break' || (w.kind === 'word' && CONTRAST.has(w.key))) break;
      if (isNegatorUnit(w)) { negated = true; from = Math.min(from, k); break; }
    }
    if (negated) v *= v > 0 ? -0.9 : -0.7;
    v *= weight[i];
    contributions.push({ text: units.slice(from, i + 1).map(surfaceOf).filter(Boolean).join(' '), v });
  }

  const emojiExcess = emojiSum - Math.max(-6, Math.min(6, emojiSum));
  let s = contributions.reduce((a, c) => a + c.v, 0) - emojiExcess;
  if (Math.abs(s) < 1e-9) s = 0;
  const score = s === 0 ? 0 : Math.round(Math.max(-1, Math.min(1, s / Math.sqrt(s * s + 4))) * 1000) / 1000;
  const label: SentimentLabel = score >= SENTIMENT_THRESHOLD ? 'positivo' : score <= -SENTIMENT_THRESHOLD ? 'negativo' : 'neutro';
  const sign = label === 'positivo' ? 1 : label === 'negativo' ? -1 : 0;
  const drivers: string[] = [];
  for (const c of [...contributions].sort((a, b) => Math.abs(b.v) - Math.abs(a.v))) {
    if (Math.abs(c.v) < 0.2 || (sign !== 0 && Math.sign(c.v) !== sign) || drivers.includes(c.text)) continue;
    drivers.push(c.text);
    if (drivers.length === 6) break;
  }
  return { score: score === 0 ? 0 : score, label, drivers };
}

/** A price word in the four units before, same clause. */
function priceBefore(units: Unit[], i: number): boolean {
  for (let k = i - 1; k >= 0 && k >= i - 4; k--) {
    const u = units[k];
    if (u.kind === 'break') return false;
    if (u.kind === 'word' && PRICE_WORDS.has(u.key)) return true;
  }
  return false;
}

function polarityAt(units: Unit[], i: number): { w: number } | null {
  const u = units[i];
  if (!u) return null;
  if (u.kind === 'phrase') return u.w ? { w: u.w } : null;
  if (u.kind !== 'word' || NEGATORS.has(u.key) || INTENSIFIERS.has(u.key) || DIMINISHERS.has(u.key)) return null;
  return polarity(u.key);
}
