// What a model-worded reply may not do. The local engine's draft is always a valid answer; the model only
// rewords it, so anything the rewording adds that the clinic did not give (a price, a promise of results,
// a link, a phone number, another date or time) rejects it and the draft is sent instead.
import type { ClinicKnowledge } from '../../domain/anna/types';
import { foldAccents } from '../../domain/text';

export const MAX_REPLY_CHARS = 1000;

export type GuardrailRule = 'empty' | 'length' | 'price' | 'promise' | 'url' | 'phone' | 'schedule';

export type GuardrailVerdict = { ok: true } | { ok: false; rule: GuardrailRule; detail: string };

/** Lower case without accents, so "Garantimos", "GARANTIDO" and "garantía" all read "garant…". */
export const fold = foldAccents;

/**
 * Promises of medical/aesthetic results (CFM/ANVISA advertising rules), on folded text. Each is
 * refused only when the rewording introduced it (the draft never promises, but a procedure may be
 * named "Depilação definitiva", so procedure names are removed before checking).
 */
export const PROMISE_PATTERNS: readonly RegExp[] = [
  /garant/,
  /100\s*%/,
  /\bcem por cento\b/,
  /resultados? definitivos?/,
  /definitiv/,
  /\bsem (nenhum |qualquer )?riscos?\b/,
  /\brisco zero\b/,
  /\bcur(a|as|ar|am|amos|ou|ado|ada|ados|adas)\b/,
  /permanente/,
  /\bmilagr/,
  /\bpara sempre\b/,
  /\bnunca mais\b/,
  /\bsem (nenhuma )?dor\b/,
  /\bsem (nenhum |qualquer )?(efeitos? colaterais?|efeitos? adversos?|sequelas?|contraindicac)/,
  /resultados? (imediatos?|garantid|certos?|assegurad|perfeit)/,
  /\b(totalmente|completamente|absolutamente) segur/,
  /\beterno|\beterna/,
];

const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+|\bwww\.[^\s<>"'`]+/gi;

/** URLs as written, without the sentence's trailing punctuation ("…/pagar/abc." → "…/pagar/abc"). */
export function extractUrls(text: string): string[] {
  return [...text.matchAll(URL_RE)].map((m) => m[0].replace(/[.,;:!?)\]}»”"']+$/u, ''));
}

const withoutUrls = (text: string) => text.replace(URL_RE, ' ');

/**
 * Money amounts in centavos: "R$ 1.200,00", "R$1200", "R$ 99,9", "R$ 1,2 mil", "350 reais", "2 mil reais".
 * (A range's second bound written without "R$" or "reais", "de 800 a R$ 1.200", is not seen.)
 */
export function extractMoneyCents(text: string): number[] {
  const t = fold(withoutUrls(text));
  const out: number[] = [];
  const toCents = (int: string, frac: string | undefined, mil: string | undefined) => {
    const cents = Number(int.replace(/\./g, '')) * 100 + Number((frac ?? '').padEnd(2, '0').slice(0, 2) || '0');
    return mil ? cents * 1000 : cents;
  };
  for (const m of t.matchAll(/r\$\s*(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?(\s*mil\b)?/g)) out.push(toCents(m[1], m[2], m[3]));
  for (const m of t.matchAll(/(?<![\d.,$]|\$\s)\b(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?\s*(mil\s+)?(?:reais|real)\b/g)) out.push(toCents(m[1], m[2], m[3]));
  return out;
}

/** Digit runs that look like phone numbers (8+ digits, spaces/dashes/parentheses allowed), digits only. */
export function extractPhoneDigits(text: string): string[] {
  const t = withoutUrls(text);
  return [...t.matchAll(/\+?\(?\d[\d\s().-]{6,}\d/g)].map((m) => m[0].replace(/\D/g, '')).filter((d) => d.length >= 8);
}

/** Dates "14/07" / "14/07/2026" → "14/07"; times "10:00", "10h", "10h30" → "10:00", "10:00", "10:30" (a bare "às 9" is not read). */
export function extractSchedule(text: string): { dates: Set<string>; times: Set<string> } {
  const t = fold(withoutUrls(text));
  const dates = new Set<string>();
  for (const m of t.matchAll(/\b(\d{1,2})\/(\d{1,2})(?:\/\d{2,4})?\b/g)) dates.add(`${m[1].padStart(2, '0')}/${m[2].padStart(2, '0')}`);
  const times = new Set<string>();
  for (const m of t.matchAll(/\b([01]?\d|2[0-3])(?::([0-5]\d)|h([0-5]\d)?)(?![\d:])/g)) times.add(`${m[1].padStart(2, '0')}:${m[2] ?? m[3] ?? '00'}`);
  return { dates, times };
}

const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));

/** Checks a reworded reply against the draft it rewords and what the clinic said is true. */
export function checkRewording(output: string, draft: string, knowledge: ClinicKnowledge): GuardrailVerdict {
  const text = output.trim();
  if (!text) return { ok: false, rule: 'empty', detail: 'texto vazio' };
  if (text.length > MAX_REPLY_CHARS) return { ok: false, rule: 'length', detail: `${text.length} caracteres (máximo ${MAX_REPLY_CHARS})` };

  // Links: every link of the draft kept verbatim, none added.
  const draftUrls = extractUrls(draft);
  const outUrls = extractUrls(text);
  const lost = draftUrls.find((u) => !outUrls.includes(u));
  if (lost) return { ok: false, rule: 'url', detail: `link do rascunho alterado ou removido: ${lost}` };
  const added = outUrls.find((u) => !draftUrls.includes(u));
  if (added) return { ok: false, rule: 'url', detail: `link não presente no rascunho: ${added}` };

  // Money: only the clinic's prices/deposits and amounts the draft already says.
  const allowed = new Set<number>(extractMoneyCents(draft));
  for (const p of knowledge.procedures) {
    if (p.priceCents !== null) allowed.add(p.priceCents);
    if (p.depositCents > 0) allowed.add(p.depositCents);
  }
  const invented = extractMoneyCents(text).find((c) => !allowed.has(c));
  if (invented !== undefined) return { ok: false, rule: 'price', detail: `valor não informado pela clínica: ${invented} centavos` };

  // Promises of results that the draft did not make (procedure names removed first).
  let folded = fold(text);
  for (const p of knowledge.procedures) {
    const name = fold(p.name).trim();
    if (name) folded = folded.split(name).join(' ');
  }
  const draftFolded = fold(draft);
  const promise = PROMISE_PATTERNS.find((re) => re.test(folded) && !re.test(draftFolded));
  if (promise) return { ok: false, rule: 'promise', detail: `promessa de resultado (${promise.source})` };

  // Phone numbers: only the draft's and the clinic's.
  const knownPhones = [...extractPhoneDigits(draft), ...(knowledge.phone ? [knowledge.phone.replace(/\D/g, '')] : [])];
  const phone = extractPhoneDigits(text).find((d) => !knownPhones.some((k) => k.endsWith(d.slice(-8)) || d.endsWith(k.slice(-8))));
  if (phone) return { ok: false, rule: 'phone', detail: `telefone não presente no rascunho: ${phone}` };

  // Dates and times: exactly the draft's (an offered slot must not move).
  const a = extractSchedule(draft);
  const b = extractSchedule(text);
  if (!sameSet(a.dates, b.dates)) return { ok: false, rule: 'schedule', detail: `datas diferentes do rascunho: ${[...b.dates].join(', ') || '—'} ≠ ${[...a.dates].join(', ') || '—'}` };
  if (!sameSet(a.times, b.times)) return { ok: false, rule: 'schedule', detail: `horários diferentes do rascunho: ${[...b.times].join(', ') || '—'} ≠ ${[...a.times].join(', ') || '—'}` };

  return { ok: true };
}
