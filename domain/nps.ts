// The post-visit NPS survey (issue #11, the brief's flow 4): reading the patient's answer ("9",
// "nota 10!", "dez", "9️⃣", "8, foi ótimo"), the NPS classes and score, and the survey's pt-BR texts.
// Pure: no clock, no I/O; dates come in as YYYY-MM-DD and are written dd/mm/aaaa.
import { applyBps, formatBrl } from './money';
import { firstName } from './payment-message';
import { foldAccents } from './text';
import { addLocalDays, localParts, naiveDayMs, zonedTimeToUtc } from './timezone';

// ───────────────────────────── Reading the answer ─────────────────────────────

export type NpsRefusal = 'empty' | 'out_of_range' | 'not_a_score' | 'ambiguous';
export type NpsReply = { score: number; comment?: string } | { score: null; reason: NpsRefusal };

type TokKind = 'num' | 'word' | 'emoji' | 'punct';
interface Tok {
  kind: TokKind;
  start: number;
  end: number;
  /** Folded word, the digits of a number, or the character itself. */
  key: string;
  /** Numbers: the value (digits, keycaps, 🔟, or a number word). */
  value?: number;
  /** A number written as a word ("dez"). */
  word?: boolean;
}

// A keycap run ("1️⃣0️⃣"), 🔟, digits (ASCII or full-width), letters, white space, an emoji, any other code point.
const TOKEN_RE = /((?:[0-9]\uFE0F?\u20E3)+)|(\u{1F51F})|([0-9\uFF10-\uFF19]+)|([\p{L}\p{M}]+)|(\s+)|(\p{Extended_Pictographic}[\uFE0F\u{1F3FB}-\u{1F3FF}]*)|([\s\S])/gu;

const NUMBER_WORDS: Record<string, number> = {
  zero: 0, um: 1, uma: 1, dois: 2, duas: 2, tres: 3, quatro: 4, cinco: 5, seis: 6, sete: 7, oito: 8, nove: 9, dez: 10,
  onze: 11, doze: 12, treze: 13, quatorze: 14, catorze: 14, quinze: 15, dezesseis: 16, dezessete: 17, dezoito: 18, dezenove: 19, vinte: 20,
  cem: 100, mil: 1000,
};
/** Number words that are mostly something else ("um atendimento", "zero dor", "mil vezes"): a score only when nothing follows them. */
const STRICT_WORDS = new Set(['um', 'uma', 'zero', 'cem', 'mil']);
/** Words that announce the score ("nota 9", "dou 8", "uns 7"). */
const SCORE_KEYS = new Set([
  'nota', 'notas', 'dou', 'daria', 'dei', 'darei', 'dava', 'dar', 'avalio', 'avaliaria', 'avaliacao', 'pontuacao', 'resposta', 'uns', 'umas',
  'merece', 'merecem', 'mereceu', 'recomendaria', 'recomendo',
]);
/** Words that may sit between the start of the message or a score key and the number ("minha nota é 9", "acho que 8", "dou um 10"). */
const LEAD_FILLERS = new Set([
  'eu', 'minha', 'meu', 'a', 'o', 'e', 'seria', 'sera', 'acho', 'que', 'tipo', 'um', 'uma', 'de', 'para', 'pra', 'voces', 'voce', 'vcs', 'vc',
  'te', 'lhe', 'lhes', 'ai', 'entao', 'com', 'certeza', 'sem', 'duvida', 'claro', 'sim', 'ok', 'oi', 'ola', 'bom', 'boa', 'dia', 'tarde', 'noite',
]);
/** After a number, these make it a quantity, not a score ("10 minutos", "5 estrelas", "2 sessões"). */
const UNIT_WORDS = new Set([
  'dia', 'dias', 'hora', 'horas', 'h', 'hs', 'min', 'mins', 'minuto', 'minutos', 'segundo', 'segundos', 'semana', 'semanas', 'mes', 'meses', 'ano',
  'anos', 'vez', 'vezes', 'sessao', 'sessoes', 'real', 'reais', 'pila', 'unidade', 'unidades', 'ml', 'estrela', 'estrelas', 'pessoa', 'pessoas',
  'amiga', 'amigas', 'amigo', 'amigos', 'procedimento', 'procedimentos', 'aplicacao', 'aplicacoes', 'seringa', 'seringas', 'km', 'kg', 'x', 'por',
  'andar', 'anos', 'mil', 'cm', 'mm', 'porcento',
]);
/** Before a number, these make it a time, date, amount or identifier ("às 10", "dia 10", "cupom 10"). */
const BLOCKING_PREVIOUS = new Set(['as', 'dia', 'ha', 'desde', 'numero', 'sala', 'rua', 'protocolo', 'pedido', 'codigo', 'cupom', 'r', 'us']);
/** Between two numbers, these make "7 ou 8", "7 a 8", "7-8", "entre 7 e 8" a hesitation. */
const CONNECTORS = new Set(['ou', 'a', 'e', 'ate', 'entao', 'talvez', '-', '–', '—', '/', '~', ',', 'quase']);
/** "de 0 a 10" quoted back from the question. */
const SCALE_RE = /^(?:de\s+)?(?:0|zero)\s*(?:a|ate|-|–|—)\s*(?:10|dez)$/; // not "0/10": that is a zero

function tokenize(text: string): Tok[] {
  const toks: Tok[] = [];
  for (const m of text.matchAll(TOKEN_RE)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (m[1] !== undefined) {
      const digits = m[1].replace(/[^0-9]/g, '');
      toks.push({ kind: 'num', start, end, key: digits, value: Number(digits) });
    } else if (m[2] !== undefined) {
      toks.push({ kind: 'num', start, end, key: '10', value: 10 });
    } else if (m[3] !== undefined) {
      const digits = m[3].replace(/[\uFF10-\uFF19]/g, (c) => String(c.charCodeAt(0) - 0xff10));
      toks.push({ kind: 'num', start, end, key: digits, value: Number(digits) });
    } else if (m[4] !== undefined) {
      const key = foldAccents(m[4]);
      const n = NUMBER_WORDS[key];
      toks.push(n === undefined ? { kind: 'word', start, end, key } : { kind: 'num', start, end, key, value: n, word: true });
    } else if (m[5] !== undefined) {
      continue;
    } else if (m[6] !== undefined) {
      toks.push({ kind: 'emoji', start, end, key: m[6] });
    } else {
      const ch = m[7];
      // Invisible format characters (zero-width joiners, variation selectors, BOM) are nothing.
      if (/^[\p{Cf}\p{Cc}\p{M}\uFE0E\uFE0F]$/u.test(ch)) continue;
      toks.push({ kind: /\p{Extended_Pictographic}|\p{So}/u.test(ch) ? 'emoji' : 'punct', start, end, key: ch });
    }
  }
  return toks;
}

interface Candidate {
  value: number;
  /** Token span of the number itself (with "/10", "de 10", "pontos"). */
  first: number;
  last: number;
  /** Token where the announcing words start ("minha nota é"), for the comment. */
  leadFirst: number;
  explicit: boolean;
  atStart: boolean;
  atEnd: boolean;
}

const adjacent = (a: Tok | undefined, b: Tok | undefined) => !!a && !!b && a.end === b.start;
const isPunct = (t: Tok | undefined, chars: string) => !!t && t.kind === 'punct' && chars.includes(t.key);

/**
 * A patient's answer to "De 0 a 10…": the score, and the rest of the text as `comment` when there is
 * some ("8, foi ótimo" → 8 + "foi ótimo"). Refuses quantities, dates ("10/12"), phones, hesitations
 * ("7 ou 8") and anything outside 0–10. Never throws.
 */
export function parseNpsReply(text: string): NpsReply {
  const raw = typeof text === 'string' ? text : '';
  const toks = tokenize(raw);
  if (toks.length === 0) return { score: null, reason: 'empty' };

  const skip = new Set<number>(); // number tokens that are not scores (dates, phones, times, units…)
  const consumed: Array<[number, number]> = []; // token spans removed from the comment
  const merged = new Map<number, { last: number; value: number }>(); // 10.000, 9,5, -1: one value over several tokens
  const fractionOfTen = new Map<number, number>(); // "9/10": the token of the 10
  const scale = new Set<number>(); // tokens of "de 0 a 10"

  // The scale quoted back ("de 0 a 10").
  for (let i = 0; i < toks.length; i++) {
    for (const len of [4, 3]) {
      const span = toks.slice(i, i + len);
      if (span.length < len) continue;
      if (SCALE_RE.test(span.map((t) => t.key).join(' '))) {
        for (let k = i; k < i + len; k++) { scale.add(k); if (toks[k].kind === 'num') skip.add(k); }
        consumed.push([i, i + len - 1]);
        i += len - 1;
        break;
      }
    }
  }

  // Phones: runs of digits and - . ( ) + with 8 digits or more, one group of 4+.
  for (let i = 0; i < toks.length; ) {
    if (toks[i].kind !== 'num' && !isPunct(toks[i], '+(')) { i++; continue; }
    let j = i;
    let digits = 0;
    let long = false;
    while (j < toks.length && (toks[j].kind === 'num' && !toks[j].word || isPunct(toks[j], '-.()+'))) {
      if (toks[j].kind === 'num') { digits += toks[j].key.length; long ||= toks[j].key.length >= 4; }
      j++;
    }
    if (digits >= 8 && long) for (let k = i; k < j; k++) skip.add(k);
    i = Math.max(j, i + 1);
  }

  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind !== 'num' || t.word || skip.has(i)) continue;
    const n1 = toks[i + 1];
    const n2 = toks[i + 2];
    // Thousands (10.000) and decimals (9,5 / 9.5), written without spaces.
    if (n1 && n2 && isPunct(n1, '.,') && n2.kind === 'num' && !n2.word && adjacent(t, n1) && adjacent(n1, n2)) {
      let last = i + 2;
      let value: number;
      if (n1.key === '.' && n2.key.length === 3) {
        let digits = t.key + n2.key;
        while (isPunct(toks[last + 1], '.') && toks[last + 2]?.kind === 'num' && toks[last + 2].key.length === 3 && adjacent(toks[last], toks[last + 1]) && adjacent(toks[last + 1], toks[last + 2])) {
          digits += toks[last + 2].key;
          last += 2;
        }
        value = Number(digits);
      } else {
        value = Number(`${t.key}.${n2.key}`);
      }
      merged.set(i, { last, value });
      for (let k = i + 1; k <= last; k++) skip.add(k);
      continue;
    }
    // Times: 10:30, 10h, 10h30.
    if (n1 && isPunct(n1, ':') && n2?.kind === 'num' && adjacent(t, n1) && adjacent(n1, n2)) { skip.add(i); skip.add(i + 2); continue; }
    // A/B: "/10" is the scale ("9/10", "10 / 10"); anything else is a date or a fraction ("10/12", "7/8").
    if (n1 && isPunct(n1, '/') && n2?.kind === 'num' && !n2.word && n1.start - t.end <= 1 && n2.start - n1.end <= 1) {
      if (n2.value === 10 && !isPunct(toks[i + 3], '/')) {
        fractionOfTen.set(i, i + 2);
        skip.add(i + 2);
      } else {
        for (let k = i; k < toks.length && k <= i + 4 && (toks[k].kind === 'num' || isPunct(toks[k], '/')); k++) skip.add(k);
      }
      continue;
    }
    // A minus sign right before the digits, not between two numbers ("-1", not "7-8").
    const p1 = toks[i - 1];
    if (p1 && isPunct(p1, '-−–') && adjacent(p1, t) && !(toks[i - 2]?.kind === 'num' && toks[i - 2].end >= p1.start - 1)) {
      merged.set(i, { last: i, value: -(t.value ?? 0) });
    }
  }

  // Candidates.
  const cands: Candidate[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind !== 'num' || skip.has(i)) continue;
    const m = merged.get(i);
    let value = m ? m.value : t.value ?? NaN;
    let first = i;
    let last = m ? m.last : fractionOfTen.get(i) ?? i;
    let explicit = fractionOfTen.has(i);
    if (m && value < 0) first = i - 1;
    const prev = toks[first - 1];
    const next = toks[last + 1];
    // Glued to letters: "10h", "2x", "1a", "a10" (but "nota10" is fine), "1º", "100%", "R$ 10".
    if (adjacent(toks[last], next) && (next.kind === 'word' || isPunct(next, 'ºª°%'))) continue;
    if (next && isPunct(next, '%')) continue;
    if (adjacent(prev, toks[first]) && prev.kind === 'word' && !SCORE_KEYS.has(prev.key)) continue;
    if (prev && isPunct(prev, '$') || prev && BLOCKING_PREVIOUS.has(prev.key) && prev.kind === 'word') continue;
    if (next && next.kind === 'word' && UNIT_WORDS.has(next.key)) continue;
    if (t.word && STRICT_WORDS.has(t.key) && next && (next.kind === 'word' || next.kind === 'num') && !SCORE_KEYS.has(prev?.key ?? '')) continue;
    if (t.word && STRICT_WORDS.has(t.key) && next?.kind === 'num') continue; // "dou um 10": an article
    // Suffixes: "de 10", "de dez", "pontos".
    if (toks[last + 1]?.key === 'de' && toks[last + 2]?.kind === 'num' && toks[last + 2].value === 10) { last += 2; skip.add(last); explicit = true; }
    else if (toks[last + 1]?.key === 'pontos' || toks[last + 1]?.key === 'ponto') { last += 1; explicit = true; }
    // Leading words: walk back over fillers and score keys (and ":", "-", "=").
    let leadFirst = first;
    let sawKey = false;
    let k = first - 1;
    for (let steps = 0; k >= 0 && steps < 10; k--, steps++) {
      const p = toks[k];
      if (scale.has(k)) continue;
      if (p.kind === 'word' && SCORE_KEYS.has(p.key)) { sawKey = true; leadFirst = k; continue; }
      if (p.kind === 'word' && LEAD_FILLERS.has(p.key)) continue;
      if (isPunct(p, ':-=–,')) continue;
      break;
    }
    const atStart = k < 0; // nothing but announcing words before it
    if (atStart) leadFirst = 0;
    explicit ||= sawKey;
    const rest = toks.slice(last + 1);
    const atEnd = rest.every((p) => p.kind === 'punct' || p.kind === 'emoji');
    // A number word that is not announced must stand alone: "dez!" but not "dez minutos" (units) nor "dois dias".
    if (t.word && !explicit && !atStart && !atEnd) continue;
    if (!Number.isFinite(value)) value = Number.MAX_SAFE_INTEGER;
    cands.push({ value, first, last, leadFirst, explicit, atStart, atEnd });
  }

  if (cands.length === 0) return { score: null, reason: 'not_a_score' };

  // Hesitation: two different numbers joined by "ou", "a", "e", "-", "/"… ("7 ou 8", "entre 7 e 8").
  for (let c = 0; c + 1 < cands.length; c++) {
    const a = cands[c];
    const b = cands[c + 1];
    if (a.value === b.value) continue;
    const between = toks.slice(a.last + 1, b.first);
    if (between.length <= 3 && between.every((p) => CONNECTORS.has(p.key))) return { score: null, reason: 'ambiguous' };
  }

  const explicit = cands.filter((c) => c.explicit);
  const strong = explicit.length > 0 ? explicit : cands.filter((c) => c.atStart || c.atEnd);
  if (strong.length === 0) return { score: null, reason: 'not_a_score' };
  const values = new Set(strong.map((c) => c.value));
  if (values.size > 1) return { score: null, reason: 'ambiguous' };
  const score = strong[0].value;
  if (!Number.isInteger(score)) return { score: null, reason: score >= 0 && score <= 10 ? 'ambiguous' : 'out_of_range' };
  if (score < 0 || score > 10) return { score: null, reason: 'out_of_range' };

  for (const c of strong) consumed.push([c.leadFirst, c.last]);
  const comment = commentWithout(raw, toks, consumed);
  return comment ? { score, comment } : { score };
}

/** The text without the token spans (the score and its announcing words), tidied at each cut. */
function commentWithout(raw: string, toks: Tok[], spans: Array<[number, number]>): string | undefined {
  const cuts = spans.map(([a, b]) => [toks[a].start, toks[b].end] as [number, number]).sort((x, y) => x[0] - y[0]);
  let out = '';
  let pos = 0;
  for (const [s, e] of cuts) {
    if (s < pos) { pos = Math.max(pos, e); continue; }
    out = join(out, raw.slice(pos, s));
    pos = e;
  }
  out = join(out, raw.slice(pos));
  out = out.replace(/^[\s,.;:!?\-–—=/]+/u, '').replace(/[\s,;:\-–—=/]+$/u, '').trim();
  return /[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(out) ? out : undefined;
}

function join(left: string, right: string): string {
  if (!left) return right;
  const l = left.replace(/[\s,;:\-–—=]+$/u, '');
  const r = right.replace(/^\s+/u, '');
  if (!r) return l;
  if (/^[.!?]/.test(r)) return l + r;
  if (/^[,;:]/.test(r)) return `${l}${r[0]} ${r.slice(1).replace(/^\s+/u, '')}`;
  return l ? `${l} ${r}` : r;
}

// ───────────────────────────── Classes and score ─────────────────────────────

export type NpsClass = 'detractor' | 'neutral' | 'promoter';

function checkScore(score: number): void {
  if (!Number.isInteger(score) || score < 0 || score > 10) throw new RangeError(`NPS score must be an integer 0–10, got ${score}`);
}

/** The brief's thresholds: 0–6 detractor (insatisfeito), 7–8 neutral, 9–10 promoter. */
export function npsClass(score: number): NpsClass {
  checkScore(score);
  return score <= 6 ? 'detractor' : score <= 8 ? 'neutral' : 'promoter';
}

/** % promoters − % detractors, rounded half away from zero to an integer (−100…100); null without answers. */
export function npsScore(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  let promoters = 0;
  let detractors = 0;
  for (const s of scores) {
    const c = npsClass(s);
    if (c === 'promoter') promoters++;
    else if (c === 'detractor') detractors++;
  }
  const exact = ((promoters - detractors) * 100) / scores.length;
  const r = Math.sign(exact) * Math.round(Math.abs(exact));
  return r === 0 ? 0 : r; // no -0
}

// ───────────────────────────── When to ask ─────────────────────────────

/** How long the NPS journey waits for the comment after asking for it; the inbound routing uses the same window. */
export const COMMENT_WAIT_MS = 6 * 3_600_000;

/** Surveys go out between 09:00 and 20:00 in the clinic's zone (minutes of the local day). */
export const SURVEY_SEND_WINDOW = { from: 9 * 60, to: 20 * 60 } as const;

/**
 * When a survey may go out: the first instant at or after `now`, inside the send window, on a local
 * day on which the patient got no other survey (`busyDates`, YYYY-MM-DD in `timeZone`). A patient with
 * two visits on one day gets two surveys, but never two on the same day: the later one waits a day.
 */
export function surveySendAt(now: Date, timeZone: string, busyDates: readonly string[]): Date {
  const busy = new Set(busyDates);
  const here = localParts(now, timeZone);
  let date = here.date;
  let at: Date | null = here.minute >= SURVEY_SEND_WINDOW.from && here.minute < SURVEY_SEND_WINDOW.to ? now : null;
  if (!at && here.minute < SURVEY_SEND_WINDOW.from) at = zonedTimeToUtc(date, SURVEY_SEND_WINDOW.from, timeZone);
  for (let i = 0; i < 400; i++) {
    if (at && !busy.has(date)) return at;
    date = addLocalDays(date, 1);
    at = zonedTimeToUtc(date, SURVEY_SEND_WINDOW.from, timeZone);
  }
  return at ?? now;
}

// ───────────────────────────── The survey's texts ─────────────────────────────

/** As stored in patients.gender (db/schema/patients.ts): 'M', 'F' or 'Outro'; null when unknown. */
export type PatientGender = 'F' | 'M' | 'Outro';
export type ProfessionalGender = 'F' | 'M';

export interface SurveyFacts {
  clinicName: string;
  procedureName: string;
  professionalName: string;
  professionalGender?: ProfessionalGender | null;
  patientFirstName: string;
  /** The question is worded with "você" and needs no gender; kept so the journey passes one set of facts. */
  patientGender?: PatientGender | null;
  link: string;
}

const FEMININE_HEADS = new Set(['clinica', 'casa', 'estetica', 'academia', 'esteticista', 'dermatologia', 'odontologia', 'biomedicina']);
const MASCULINE_HEADS = new Set(['instituto', 'espaco', 'centro', 'studio', 'estudio', 'atelie', 'consultorio', 'spa', 'nucleo', 'grupo', 'salao', 'lounge']);

/** The clinic's article from its first word ("a Clínica Bella", "o Instituto Pele"); null when the name does not tell. */
function clinicArticle(clinicName: string): 'a' | 'o' | null {
  const head = foldAccents(clinicName.trim().split(/\s+/)[0] ?? '').replace(/[^\p{L}]/gu, '');
  return FEMININE_HEADS.has(head) ? 'a' : MASCULINE_HEADS.has(head) ? 'o' : null;
}

/** "a Clínica Bella" / "o Instituto Pele" / "Bella Pele" (as object of a verb); "nossa clínica" without a name. */
export function clinicAsObject(clinicName: string): string {
  const name = clinicName.trim();
  if (!name) return 'nossa clínica';
  const a = clinicArticle(name);
  return a ? `${a} ${name}` : name;
}

/** "da Clínica Bella" / "do Instituto Pele" / "de Bella Pele". */
export function clinicAfterDe(clinicName: string): string {
  const name = clinicName.trim();
  if (!name) return 'da sua clínica';
  const a = clinicArticle(name);
  return a === 'a' ? `da ${name}` : a === 'o' ? `do ${name}` : `de ${name}`;
}

const TITLE_RE = /^(dra|dr|doutora|doutor)\.?(?=\s|$)/i;

/**
 * The professional as the object of "com": "a Dra. Ana", "o Dr. João" when the gender is known
 * (or the name already carries "Dra."/"Dr."), else just the name. Empty for no name.
 */
export function professionalReference(professionalName: string, gender?: ProfessionalGender | null): string {
  const name = String(professionalName ?? '').trim().replace(/\s+/g, ' ');
  if (!name) return '';
  const title = TITLE_RE.exec(name);
  if (title) {
    const feminine = /^(dra|doutora)$/i.test(title[1]);
    const g = gender ?? (feminine ? 'F' : 'M');
    return `${g === 'F' ? 'a' : 'o'} ${name}`;
  }
  if (gender === 'F') return `a Dra. ${name}`;
  if (gender === 'M') return `o Dr. ${name}`;
  return name;
}

function greeting(patientFirstName: string): string {
  const name = firstName(String(patientFirstName ?? ''));
  return name ? `Olá, ${name}!` : 'Olá!';
}

function visitPhrase(f: Pick<SurveyFacts, 'procedureName' | 'professionalName' | 'professionalGender'>): string {
  const procedure = String(f.procedureName ?? '').trim();
  const who = professionalReference(f.professionalName, f.professionalGender);
  return `pensando no seu atendimento${procedure ? ` de ${procedure}` : ''}${who ? ` com ${who}` : ''}`;
}

/** The survey, sent a day after the visit: "De 0 a 10, quanto você recomendaria…". */
export function surveyQuestion(f: SurveyFacts): string {
  return (
    `${greeting(f.patientFirstName)} Aqui é ${clinicAfterDe(f.clinicName)}. ` +
    `De 0 a 10, quanto você recomendaria ${clinicAsObject(f.clinicName)} a amigos e familiares, ${visitPhrase(f)}?\n\n` +
    `Responda só com o número (0 = nada provável, 10 = com certeza). Se preferir, responda por aqui: ${f.link}`
  );
}

/**
 * The question on the one-tap page (/p/nps/{token}), without greeting or link:
 * "De 0 a 10, quanto você recomendaria a Clínica Bella a amigos e familiares, pensando no seu atendimento de … com …?".
 */
export function surveyPageQuestion(f: Pick<SurveyFacts, 'clinicName' | 'procedureName' | 'professionalName' | 'professionalGender'>): string {
  return `De 0 a 10, quanto você recomendaria ${clinicAsObject(f.clinicName)} a amigos e familiares, ${visitPhrase(f)}?`;
}

/** The reminder when the survey got no answer. */
export function reminderText(f: SurveyFacts): string {
  return (
    `${greeting(f.patientFirstName)} Ainda dá tempo de responder nossa pesquisa rápida: ` +
    `de 0 a 10, quanto você recomendaria ${clinicAsObject(f.clinicName)} a amigos e familiares, ${visitPhrase(f)}? ` +
    `Basta responder com um número. ${f.link}`
  );
}

/**
 * Thanks for the answer. Note: "obrigado/obrigada" agrees with who speaks (here the clinic), not with
 * the patient, so the clinic says "Agradecemos"; the patient's gender shapes "nossa paciente"/"nosso paciente".
 */
export function thanks(patientGender?: PatientGender | null): string {
  if (patientGender === 'F') return 'Agradecemos sua resposta! Ter você como nossa paciente é muito importante para nós.';
  if (patientGender === 'M') return 'Agradecemos sua resposta! Ter você como nosso paciente é muito importante para nós.';
  return 'Agradecemos sua resposta! Cuidar de você é muito importante para nós.';
}

export function commentQuestion(): string {
  return 'Quer contar o que motivou sua nota? Pode responder por aqui mesmo, com suas palavras.';
}

/** "15%", "12,5%" or "R$ 50,00": the discount as the apology writes it. */
export function formatDiscount(discount: { percent: number } | { cents: number }): string {
  if ('cents' in discount) return formatBrl(discount.cents);
  const p = Math.round(discount.percent * 100) / 100;
  return `${String(p).replace('.', ',')}%`;
}

/**
 * The price with a coupon's discount, in centavos: percent rounded half up to the centavo, a value never
 * below zero. null when the charge is under the coupon's minimum (the coupon does not apply).
 */
export function priceWithDiscount(priceCents: number, discount: { percent: number } | { cents: number }, minChargeCents = 0): number | null {
  if (priceCents < minChargeCents) return null;
  const off = 'cents' in discount ? discount.cents : applyBps(priceCents, Math.round(discount.percent * 100));
  return priceCents - Math.min(off, priceCents);
}

/** "31/12/2025" from "2025-12-31"; throws RangeError on anything else. */
export function formatDateBr(date: string): string {
  naiveDayMs(date);
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

export interface DetractorApologyFacts {
  couponCode: string;
  /** "15%" or "R$ 50,00" (see formatDiscount). */
  discountLabel: string;
  /** Last valid day, YYYY-MM-DD in the clinic's calendar. */
  validUntil: string;
}

/** To a detractor (0–6): an apology and a discount coupon for the next visit. */
export function detractorApology(f: DetractorApologyFacts): string {
  const code = String(f.couponCode ?? '').trim();
  const label = String(f.discountLabel ?? '').trim();
  if (!code || !label) throw new RangeError('detractorApology needs a coupon code and a discount');
  return (
    'Sentimos muito que sua experiência não tenha sido como você esperava. Sua opinião foi registrada e vai nos ajudar a melhorar.\n\n' +
    `Como pedido de desculpas, queremos oferecer um cupom de ${label} de desconto no seu próximo atendimento: *${code}* (válido até ${formatDateBr(f.validUntil)}).`
  );
}

/** To a detractor without marketing consent: the apology, no coupon (a coupon is marketing). */
export function detractorApologyWithoutCoupon(): string {
  return 'Sentimos muito que sua experiência não tenha sido como você esperava. Sua opinião foi registrada e nossa equipe vai entrar em contato para entender o que aconteceu.';
}

/** A reply that is not a score ("nota", "10000", "😡"): asked again, with the page as the way out. */
export function unreadableScoreText(link: string): string {
  return `Desculpe, não consegui entender sua nota. Responda só com um número de 0 a 10 (por exemplo: 9) ou, se preferir, toque aqui: ${link}`;
}

/** The e-mail's subject line. */
export function surveySubject(clinicName: string): string {
  return `Como foi seu atendimento ${clinicAfterDe(clinicName).replace(/^de /, 'em ').replace(/^da /, 'na ').replace(/^do /, 'no ')}?`;
}

/** To a neutral (7–8): what would have made it a 10. */
export function neutralFeedbackInvite(link: string): string {
  return `Agradecemos sua nota! Queremos chegar ao 10 com você: conta pra gente, neste formulário rápido, o que podemos melhorar? ${link}`;
}

/** To a promoter (9–10): a public review of the professional. */
export function promoterReviewInvite(professionalName: string, link: string, professionalGender?: ProfessionalGender | null): string {
  const who = professionalReference(professionalName, professionalGender);
  return (
    `Que alegria saber disso! 😍 Você poderia contar como foi sua experiência${who ? ` com ${who}` : ''} numa avaliação pública? ` +
    `Leva menos de um minuto e ajuda outras pessoas a nos conhecerem: ${link}`
  );
}

/** To an answer that arrives after the survey closed. */
export function lateAnswerAck(): string {
  return 'Agradecemos sua resposta! Esta pesquisa já foi encerrada, mas se quiser falar com a gente é só mandar uma mensagem por aqui.';
}
