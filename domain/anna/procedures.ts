// Aesthetic procedures: a built-in table of canonical names, synonyms and common misspellings, matched
// (fuzzily) against the message and mapped onto the clinic's own procedure names.
import type { KnownProcedure } from './types';
import { normalizeText, wordMatches } from './normalize';

export interface CanonicalProcedure {
  key: string;
  /** Display name (pt-BR, accents) used when the clinic does not offer it. */
  name: string;
  /** Normalised phrases (synonyms, brands, slang); each word matched fuzzily (≥5 letters). */
  aliases: string[];
  /** A more generic canonical this one belongs to ("preenchimento labial" → "preenchimento"). */
  family?: string;
}

export const CANONICAL_PROCEDURES: CanonicalProcedure[] = [
  { key: 'botox', name: 'Botox', aliases: ['botox', 'botoks', 'botx', 'btx', 'toxina botulinica', 'toxina', 'botulinica', 'dysport', 'aplicacao de botox', 'rugas', 'rugas da testa', 'linhas de expressao', 'pes de galinha', 'pe de galinha', 'ruga'] },
  { key: 'preenchimento_labial', name: 'Preenchimento labial', family: 'preenchimento', aliases: ['preenchimento labial', 'preenchimento de labios', 'preenchimento nos labios', 'preenchimento de boca', 'preenchimento na boca', 'boca', 'labios', 'labial', 'lip'] },
  { key: 'preenchimento_olheiras', name: 'Preenchimento de olheiras', family: 'preenchimento', aliases: ['preenchimento de olheiras', 'preenchimento das olheiras', 'preenchimento nas olheiras', 'olheiras', 'olheira'] },
  { key: 'preenchimento', name: 'Preenchimento', aliases: ['preenchimento', 'acido hialuronico', 'hialuronico', 'preencher', 'bigode chines'] },
  { key: 'limpeza_de_pele', name: 'Limpeza de pele', aliases: ['limpeza de pele', 'limpeza pele', 'limpeza facial', 'limpeza'] },
  { key: 'harmonizacao_facial', name: 'Harmonização facial', aliases: ['harmonizacao facial', 'harmonizacao', 'harmonizar', 'harmonizacao orofacial', 'hof'] },
  { key: 'peeling', name: 'Peeling', aliases: ['peeling', 'peelling', 'peling', 'pelling', 'peeling quimico'] },
  { key: 'microagulhamento', name: 'Microagulhamento', aliases: ['microagulhamento', 'micro agulhamento', 'dermaroller', 'dermapen'] },
  { key: 'depilacao_laser', name: 'Depilação a laser', aliases: ['depilacao a laser', 'depilacao laser', 'depilacao', 'laser', 'lazer'] },
  { key: 'drenagem_linfatica', name: 'Drenagem linfática', aliases: ['drenagem linfatica', 'drenagem', 'linfatica'] },
  { key: 'criolipolise', name: 'Criolipólise', aliases: ['criolipolise', 'crio', 'criolipo', 'congelamento de gordura'] },
  { key: 'bioestimulador', name: 'Bioestimulador de colágeno', aliases: ['bioestimulador de colageno', 'bioestimulador', 'sculptra', 'radiesse', 'ellanse', 'bioestimulo'] },
  { key: 'skinbooster', name: 'Skinbooster', aliases: ['skinbooster', 'skin booster', 'skinboosters', 'profhilo'] },
  { key: 'fios_pdo', name: 'Fios de PDO', aliases: ['fios de pdo', 'fio de pdo', 'fios pdo', 'pdo', 'fios de sustentacao', 'fios lisos', 'fios'] },
  { key: 'massagem_modeladora', name: 'Massagem modeladora', aliases: ['massagem modeladora', 'modeladora', 'massagem redutora'] },
  { key: 'massagem', name: 'Massagem', aliases: ['massagem', 'massagem relaxante'] },
  { key: 'radiofrequencia', name: 'Radiofrequência', aliases: ['radiofrequencia', 'radio frequencia', 'radiofrequencia facial'] },
  { key: 'carboxiterapia', name: 'Carboxiterapia', aliases: ['carboxiterapia', 'carboxi'] },
  { key: 'luz_pulsada', name: 'Luz pulsada', aliases: ['luz pulsada', 'lip luz pulsada'] },
  { key: 'micropigmentacao', name: 'Micropigmentação', aliases: ['micropigmentacao', 'microblading', 'micropigmentacao de sobrancelha'] },
  { key: 'design_sobrancelha', name: 'Design de sobrancelha', aliases: ['design de sobrancelha', 'design de sobrancelhas', 'sobrancelha', 'sobrancelhas'] },
  { key: 'enzimas', name: 'Enzimas para gordura localizada', aliases: ['enzimas', 'lipo enzimatica', 'enzima', 'intradermoterapia'] },
  { key: 'rinomodelacao', name: 'Rinomodelação', aliases: ['rinomodelacao', 'rinomodelação', 'nariz'] },
  { key: 'hidratacao_facial', name: 'Hidratação facial', aliases: ['hidratacao facial', 'hidratacao de pele'] },
];

const byKey = new Map(CANONICAL_PROCEDURES.map((c) => [c.key, c]));

/** Whether `phrase` (normalised words) occurs in `words` starting at `i`, word by word, fuzzily. */
function phraseAt(words: string[], i: number, phrase: string[]): boolean {
  if (i + phrase.length > words.length) return false;
  for (let j = 0; j < phrase.length; j++) if (!wordMatches(words[i + j], phrase[j])) return false;
  return true;
}

interface Hit { start: number; len: number; exact: boolean }

/** Positions of words by first letter: only those can match a phrase (fuzzy matching keeps the first letter). */
type Index = Map<string, number[]>;
function indexWords(words: string[]): Index {
  const idx: Index = new Map();
  words.forEach((w, i) => {
    const c = w.charAt(0);
    const list = idx.get(c);
    if (list) list.push(i); else idx.set(c, [i]);
  });
  return idx;
}

function findPhrase(words: string[], phrase: string[], index?: Index): Hit | null {
  if (index) {
    for (const i of index.get(phrase[0].charAt(0)) ?? []) {
      if (phraseAt(words, i, phrase)) return { start: i, len: phrase.length, exact: phrase.every((p, j) => words[i + j] === p) };
    }
    return null;
  }
  for (let i = 0; i + phrase.length <= words.length; i++) {
    if (phraseAt(words, i, phrase)) {
      const exact = phrase.every((p, j) => words[i + j] === p);
      return { start: i, len: phrase.length, exact };
    }
  }
  return null;
}

const STOP = new Set(['de', 'da', 'do', 'das', 'dos', 'a', 'o', 'e', 'com', 'em', 'no', 'na', 'para']);

/** The canonical a clinic procedure's name corresponds to (longest alias found in the name). */
const canonicalCache = new Map<string, CanonicalProcedure | null>();
export function canonicalOfName(name: string): CanonicalProcedure | null {
  const key = String(name ?? '');
  if (canonicalCache.has(key)) return canonicalCache.get(key)!;
  const r = computeCanonicalOfName(key);
  if (canonicalCache.size > 5000) canonicalCache.clear();
  canonicalCache.set(key, r);
  return r;
}

function computeCanonicalOfName(name: string): CanonicalProcedure | null {
  const words = normalizeText(name).split(' ').filter(Boolean);
  let best: { c: CanonicalProcedure; len: number } | null = null;
  for (const c of CANONICAL_PROCEDURES) {
    for (const a of c.aliases) {
      const p = a.split(' ');
      const hit = findPhrase(words, p);
      if (hit && hit.exact && (!best || p.length > best.len)) best = { c, len: p.length };
    }
  }
  return best?.c ?? null;
}

export interface ProcedureMatch {
  procedure: { id: string | null; name: string };
  /** Index of the first word of the match in the analysed words. */
  at: number;
}

/**
 * The procedure named in `words` (normalised, slang-expanded words):
 * 1. a clinic procedure's full name (or the part before/inside parentheses), fuzzily;
 * 2. a built-in synonym → the clinic procedure of the same canonical (or of its family);
 * 3. a built-in synonym the clinic does not offer → { id: null, name: canonical display name }.
 * The longest phrase wins; ties go to the earliest in the text; clinic names beat built-in ones.
 */
export function findProcedure(words: string[], procedures: KnownProcedure[]): ProcedureMatch | null {
  if (words.length === 0) return null;
  const index = indexWords(words);
  let best: { score: number; at: number; proc: { id: string | null; name: string } } | null = null;
  const consider = (hit: Hit | null, bonus: number, proc: { id: string | null; name: string }) => {
    if (!hit) return;
    const score = hit.len * 10 + bonus + (hit.exact ? 1 : 0);
    if (!best || score > best.score || (score === best.score && hit.start < best.at)) best = { score, at: hit.start, proc };
  };
  const content = words.filter((w) => !STOP.has(w));
  const contentIndex = indexWords(content);
  for (const p of procedures) {
    const variants = new Set<string>();
    const raw = String(p.name ?? '');
    variants.add(raw);
    const paren = /^(.*?)\((.*?)\)/.exec(raw);
    if (paren) { variants.add(paren[1]); variants.add(paren[2]); }
    for (const v of variants) {
      const phrase = normalizeText(v).split(' ').filter((w) => w && !STOP.has(w));
      if (phrase.length === 0) continue;
      if (phrase.length === 1 && phrase[0].length < 3) continue;
      const hit = findPhrase(content, phrase, contentIndex);
      if (hit) consider({ ...hit, start: words.indexOf(content[hit.start]) }, 5, { id: p.id, name: p.name });
    }
  }
  const mapped = new Map<string, KnownProcedure>();
  const familyMapped = new Map<string, KnownProcedure>();
  for (const p of procedures) {
    const c = canonicalOfName(p.name);
    if (!c) continue;
    if (!mapped.has(c.key)) mapped.set(c.key, p);
    if (c.family && !familyMapped.has(c.family)) familyMapped.set(c.family, p);
  }
  for (const c of CANONICAL_PROCEDURES) {
    for (const a of c.aliases) {
      const hit = findPhrase(words, a.split(' '), index);
      if (!hit) continue;
      const k = mapped.get(c.key) ?? familyMapped.get(c.key) ?? (c.family ? mapped.get(c.family) : undefined);
      consider(hit, k ? 2 : 0, k ? { id: k.id, name: k.name } : { id: null, name: c.name });
    }
  }
  const b = best as { at: number; proc: { id: string | null; name: string } } | null;
  return b ? { procedure: b.proc, at: b.at } : null;
}

export function canonicalByKey(key: string): CanonicalProcedure | undefined {
  return byKey.get(key);
}
