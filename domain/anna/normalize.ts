// Text helpers shared by the rule engine: normalisation, slang expansion, bounded edit distance.

export { liteText, normalizeText } from '../text';

/** WhatsApp abbreviations → full words (applied token by token to normalised text). */
const SLANG: Record<string, string> = {
  vc: 'voce', vcs: 'voces', voce: 'voce', q: 'que', pq: 'porque', pqp: 'puta que pariu', blz: 'beleza', tb: 'tambem', tbm: 'tambem',
  td: 'tudo', n: 'nao', nn: 'nao', s: 'sim', ss: 'sim', sss: 'sim', amnh: 'amanha', amn: 'amanha', hj: 'hoje', qdo: 'quando', qnd: 'quando',
  qto: 'quanto', qnt: 'quanto', qt: 'quanto', qts: 'quantos', obg: 'obrigado', obgd: 'obrigado', obgda: 'obrigada', brigado: 'obrigado', brigada: 'obrigada',
  vlw: 'valeu', dps: 'depois', prox: 'proxima', mt: 'muito', mto: 'muito', mta: 'muita', msm: 'mesmo', tmb: 'tambem', cmg: 'comigo',
  eh: 'e', tá: 'ta', ok: 'ok', okk: 'ok', okay: 'ok', fds: 'fim de semana', agr: 'agora', hrs: 'horas', hr: 'hora', num: 'numero', nro: 'numero',
  procedimentos: 'procedimentos', oq: 'o que', pfv: 'por favor', pfvr: 'por favor', pf: 'por favor', sla: 'sei la', ngm: 'ninguem', tds: 'todos',
  vdd: 'verdade', cel: 'celular', whats: 'whatsapp', zap: 'whatsapp', wpp: 'whatsapp',
};

export function expandSlang(norm: string): string {
  if (!norm) return '';
  return norm.split(' ').map((w) => SLANG[w] ?? w).join(' ');
}

/** Levenshtein distance, giving up (returning max + 1) once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/**
 * Fuzzy equality of one word: exact below 5 letters; otherwise same first letter and ≤1 edit (5–9
 * letters) or ≤2 edits (10+ letters): "botoxx", "limpesa", "preenxhimento" — but not "mensagem"/"massagem".
 */
export function wordMatches(input: string, target: string): boolean {
  if (input === target) return true;
  if (target.length < 5 || input.length < 4 || input[0] !== target[0]) return false;
  const max = target.length >= 10 ? 2 : 1;
  return editDistance(input, target, max) <= max;
}

/** "maria da silva" → "Maria da Silva". */
export function titleCase(s: string): string {
  const particles = new Set(['da', 'de', 'do', 'das', 'dos', 'e']);
  return s
    .trim()
    .split(/\s+/)
    .map((w, i) => {
      const lw = w.toLocaleLowerCase('pt-BR');
      if (i > 0 && particles.has(lw)) return lw;
      return lw.charAt(0).toLocaleUpperCase('pt-BR') + lw.slice(1);
    })
    .join(' ');
}
