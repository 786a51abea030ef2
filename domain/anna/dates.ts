// Relative dates and times of day in pt-BR ("amanhã", "sexta", "dia 12", "semana que vem", "às 15h"),
// resolved against the clinic's local calendar day (from ctx.now in knowledge.timeZone, via Intl).
import { foldAccents } from '../text';
import { addLocalDays, createZone, daysBetween, isValidTimeZone, weekdayOf, type Weekday } from '../timezone';
export { daysBetween };
import type { DayPeriod } from './types';

/** Local calendar date (YYYY-MM-DD) of the ISO instant `now` in `timeZone`; null when `now` is not a date. */
export function localToday(now: string, timeZone: string): string | null {
  const ms = Date.parse(now);
  if (!Number.isFinite(ms)) return null;
  const tz = isValidTimeZone(timeZone) ? timeZone : 'America/Sao_Paulo';
  return createZone(tz).localDate(ms);
}

/** Local date, minute and weekday of an instant in the zone (falls back to São Paulo for a bad zone). */
export function localOf(iso: string, timeZone: string): { date: string; minute: number; weekday: Weekday } | null {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return null;
  const tz = isValidTimeZone(timeZone) ? timeZone : 'America/Sao_Paulo';
  return createZone(tz).localParts(ms);
}


const pad = (n: number) => String(n).padStart(2, '0');
const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate(); // m 1-based

function ymd(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

export const WEEKDAY_WORDS: Record<string, Weekday> = {
  domingo: 0, segunda: 1, terca: 2, quarta: 3, quinta: 4, sexta: 5, sabado: 6,
  dom: 0, seg: 1, qua: 3, qui: 4, sex: 5, sab: 6,
};
export const MONTHS = ['janeiro', 'fevereiro', 'marco', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro', 'novembro', 'dezembro'];
const MONTHS_PT = ['janeiro', 'fevereiro', 'março', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro', 'novembro', 'dezembro'];

/** The next `wd` after `today` (today excluded unless includeToday). */
export function nextWeekday(today: string, wd: number, includeToday = false): string {
  let diff = (wd - weekdayOf(today) + 7) % 7;
  if (diff === 0 && !includeToday) diff = 7;
  return addLocalDays(today, diff);
}

/** Monday of the week after today's (on a Sunday: tomorrow). */
export function mondayOfNextWeek(today: string): string {
  const wd = weekdayOf(today);
  return addLocalDays(today, wd === 0 ? 1 : 8 - wd);
}

function firstOfNextMonth(today: string): string {
  const [y, m] = today.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${pad(m + 1)}-01`;
}

/** "dia N": this month when N is today or later, else the next month that has day N. */
function dayOfMonth(today: string, d: number): string | null {
  if (d < 1 || d > 31) return null;
  let [y, m] = today.split('-').map(Number);
  const todayD = Number(today.slice(8, 10));
  if (d < todayD) { m += 1; if (m > 12) { m = 1; y += 1; } }
  for (let i = 0; i < 12; i++) {
    const r = ymd(y, m, d);
    if (r) return r;
    m += 1; if (m > 12) { m = 1; y += 1; }
  }
  return null;
}

/** Day/month without a year: this year unless already past, then next year. */
function dayMonth(today: string, d: number, m: number, yearText?: string): string | null {
  const ty = Number(today.slice(0, 4));
  if (yearText) {
    let y = Number(yearText);
    if (yearText.length === 2) y += 2000;
    if (yearText.length === 3 || y < ty - 1 || y > ty + 5) return null;
    return ymd(y, m, d);
  }
  const thisYear = ymd(ty, m, d);
  if (thisYear && thisYear >= today) return thisYear;
  if (!thisYear && m === 2 && d === 29) { // next leap year
    for (let y = ty + 1; y <= ty + 8; y++) { const r = ymd(y, m, d); if (r) return r; }
    return null;
  }
  return ymd(ty + 1, m, d);
}

export interface WhenResult {
  date: string | null;
  when: string | null;
  /** The weekday named in the text (for matching offered slots), if any. */
  weekday: Weekday | null;
}

const WD_RE = /\b(?:(na|no|nesta|nessa|neste|nesse|proxima|proximo|ate|de|sexta|essa|esta)\s+)?(domingo|segunda|terca|quarta|quinta|sexta|sabado)(?:\s+feira)?\b(?!\s+(?:opcao|vez|alternativa|sessao|op|opc)\b)/g;
const WD_ABBR_RE = /\b(dom|seg|qua|qui|sex|sab)\b|\b(?:na|nesta|nessa|proxima|ate)\s+(ter)\b|\b(ter)(?=\s+\d)/;

/**
 * Finds a date or a "when" in normalised text `t` (slang expanded) and `lite` (punctuation kept).
 * Precedence: explicit dd/mm → "dia N (de mês)" / "N de mês" → hoje/amanhã/depois de amanhã → weekday
 * (in next week when "semana que vem" is also said) → semana que vem → fim de semana → mês que vem →
 * este mês / esta semana → "daqui a N dias/semanas" → named month → "o quanto antes".
 */
export function parseWhen(tIn: string, lite: string, today: string | null): WhenResult {
  // Ruled-out days are not preferences: "amanhã não, só sexta", "não posso na segunda".
  const DAY = '(hoje|amanha|depois de amanha|domingo|segunda|terca|quarta|quinta|sexta|sabado)( feira)?';
  const t = tIn
    .replace(new RegExp(`\\b${DAY} (eu )?(nao|nem)\\b`, 'g'), ' ')
    .replace(new RegExp(`\\b(nao|nem) (posso|da|consigo|vai dar|rola|tenho como)( \\w+)?? (na |no |de |)?${DAY}\\b`, 'g'), ' ');
  const out: WhenResult = { date: null, when: null, weekday: null };
  const nextWeek = /\b(semana que vem|proxima semana|semana seguinte|outra semana)\b/.test(t);

  // Weekday (also for slot matching, even without a today).
  let wd: Weekday | null = null;
  for (const m of t.matchAll(WD_RE)) {
    if (m[1] === 'sexta' && m[2] === 'feira') continue;
    wd = WEEKDAY_WORDS[m[2]];
    break;
  }
  if (wd === null) {
    const a = WD_ABBR_RE.exec(t);
    if (a) wd = a[1] ? WEEKDAY_WORDS[a[1]] : 2;
  }
  out.weekday = wd;
  if (!today) return out;

  const explicit = /(?<![\d/])(\d{1,2})\s*\/\s*(\d{1,2})(?:\s*\/\s*(\d{2,4}))?(?![\d/])/.exec(lite);
  if (explicit) {
    const d = dayMonth(today, Number(explicit[1]), Number(explicit[2]), explicit[3]);
    if (d) { out.date = d; return out; }
  }
  const monthRe = MONTHS.join('|');
  const dm = new RegExp(`\\b(?:dia\\s+)?(\\d{1,2})\\s+de\\s+(${monthRe})\\b`).exec(t);
  if (dm) {
    const d = dayMonth(today, Number(dm[1]), MONTHS.indexOf(dm[2]) + 1);
    if (d) { out.date = d; return out; }
  }
  const dia = /\bdia\s+(\d{1,2})\b/.exec(t);
  if (dia) {
    const d = dayOfMonth(today, Number(dia[1]));
    if (d) { out.date = d; return out; }
  }
  if (/\bdepois de amanha\b/.test(t)) { out.date = addLocalDays(today, 2); return out; }
  if (/\bamanha\b/.test(t)) { out.date = addLocalDays(today, 1); return out; }
  if (/\bhoje\b/.test(t)) { out.date = today; return out; }
  if (wd !== null) {
    if (nextWeek) { out.date = addLocalDays(mondayOfNextWeek(today), (wd + 6) % 7); out.when = 'semana que vem'; }
    else out.date = nextWeekday(today, wd);
    return out;
  }
  if (nextWeek) { out.date = mondayOfNextWeek(today); out.when = 'semana que vem'; return out; }
  if (/\b(fim de semana|final de semana|fim da semana|final da semana)\b/.test(t)) {
    const w = weekdayOf(today);
    out.date = w === 6 || w === 0 ? today : nextWeekday(today, 6);
    out.when = 'fim de semana';
    return out;
  }
  if (/\b(mes que vem|proximo mes|mes seguinte)\b/.test(t)) { out.date = firstOfNextMonth(today); out.when = 'mês que vem'; return out; }
  if (/\b(ano que vem|proximo ano)\b/.test(t)) { out.date = `${Number(today.slice(0, 4)) + 1}-01-01`; out.when = 'ano que vem'; return out; }
  if (/\b(este|esse|neste|nesse|ainda este|ainda esse) mes\b/.test(t)) { out.when = 'este mês'; return out; }
  if (/\b(esta|essa|nesta|nessa) semana\b/.test(t)) { out.when = 'esta semana'; return out; }
  const daqui = /\bdaqui (?:a )?(\d{1,2}|um|uma|dois|duas|tres) (dias?|semanas?|mes|meses)\b/.exec(t);
  if (daqui) {
    const words: Record<string, number> = { um: 1, uma: 1, dois: 2, duas: 2, tres: 3 };
    const n = words[daqui[1]] ?? Number(daqui[1]);
    const unit = daqui[2].startsWith('dia') ? 1 : daqui[2].startsWith('semana') ? 7 : 30;
    out.date = addLocalDays(today, n * unit);
    out.when = `daqui a ${daqui[1]} ${daqui[2]}`;
    return out;
  }
  const month = new RegExp(`\\b(?:em|para|pra|no mes de|mes de|inicio de|comeco de)\\s+(${monthRe})\\b`).exec(t);
  if (month) {
    const m = MONTHS.indexOf(month[1]) + 1;
    const ty = Number(today.slice(0, 4));
    const tm = Number(today.slice(5, 7));
    out.date = m === tm ? today : `${m > tm ? ty : ty + 1}-${pad(m)}-01`;
    out.when = MONTHS_PT[m - 1];
    return out;
  }
  if (/\b(o quanto antes|quanto antes|o mais rapido possivel|mais rapido possivel|assim que possivel|urgente|logo|qualquer dia|qualquer data|quando tiver vaga|primeiro horario disponivel|o mais cedo possivel|mais cedo possivel|proximo horario livre|primeira vaga)\b/.test(t)) {
    out.when = 'o quanto antes';
  }
  return out;
}

/** Whether a free-form `interestWhen` (ours or the AI's) names a date or a window Anna can schedule in. */
export function whenIsSchedulable(interestWhen: string | null | undefined): boolean {
  if (!interestWhen) return false;
  const t = foldAccents(interestWhen);
  return parseWhen(t, t, '2000-01-03').date !== null || /\b(mes|semana|antes|rapido|urgente)\b/.test(t);
}

/** Days from today a free-form `interestWhen` points to (for urgency), or null. */
export function whenDaysAhead(interestWhen: string, today: string): number | null {
  const t = foldAccents(interestWhen);
  const r = parseWhen(t, t, today);
  if (r.date) return daysBetween(today, r.date);
  if (/\b(o quanto antes|urgente|rapido|logo|esta semana|essa semana)\b/.test(t)) return 0;
  if (/\b(este|esse) mes\b/.test(t)) return 15;
  return null;
}

export interface TimeResult { time: string | null; period: DayPeriod | null }

const periodOfHour = (h: number): DayPeriod => (h < 12 ? 'manha' : h < 18 ? 'tarde' : 'noite');

/**
 * Period words and clock times. "às 15h", "15:30", "15h30", "3 da tarde", "meio-dia" → preferredTime
 * (and the period it implies); "de manhã", "cedo" / "à tarde", "depois do almoço" / "à noite",
 * "depois do trabalho", "após as 18h" → period only. A named time wins over a contradicting period word.
 */
export function parseTime(t: string, liteIn: string): TimeResult {
  let lite = liteIn;
  let period: DayPeriod | null = null;
  const tt = t.replace(/\b(boa|bom) (tarde|noite|dia)\b/g, ' ').replace(/\bmais tarde\b/g, ' ').replace(/\btarde demais\b/g, ' ').replace(/\bamanha\b/g, ' ');
  // Every period mentioned, with where and whether it is ruled out ("de noite não posso", "não dá de manhã").
  const found: { p: DayPeriod; at: number; negated: boolean; preferred: boolean }[] = [];
  const PERIOD_RES: [DayPeriod, RegExp][] = [
    ['noite', /\b(noite|noitinha|depois do trabalho|depois do servico|apos o trabalho|saindo do trabalho|depois do expediente)\b/g],
    ['tarde', /\b(tarde|tardinha|depois do almoco|apos o almoco|hora do almoco)\b/g],
    ['manha', /\b(manha|manhazinha|cedo|cedinho)\b/g],
  ];
  for (const [p, re] of PERIOD_RES) {
    for (const m of tt.matchAll(re)) {
      const at = m.index ?? 0;
      const before = tt.slice(Math.max(0, at - 22), at);
      const after = tt.slice(at + m[0].length, at + m[0].length + 22);
      const negated = /\b(nao|nem)\b( \w+){0,3} $/.test(before) && !/\b(so|apenas|somente|prefiro)\b/.test(before.split(/\bnao\b/).pop() ?? '')
        || /^ (eu )?(nao|nem) (posso|da|consigo|rola|gosto|quero|vai dar|serve)\b/.test(after);
      const preferred = /\b(so|apenas|somente|prefiro|melhor|pode ser)( \w+){0,2} $/.test(before);
      found.push({ p, at, negated, preferred });
    }
  }
  const ok = found.filter((f) => !f.negated).sort((a, b) => Number(b.preferred) - Number(a.preferred) || a.at - b.at);
  if (ok.length > 0) period = ok[0].p;

  // "após as 18h", "depois das 14" → a period, not a time.
  // "trabalho até as 18h" is a limit, not a preference: drop it.
  lite = lite.replace(/\bate (?:as|a|às) \d{1,2}(?:\s*(?:h|hs|horas?)\b|:\d{2})?/g, ' ');
  // "demora 2 horas?", "leva 1 hora" talk about a duration.
  const durationTalk = /\b(demora|demoram|leva|levam|dura|duram|durar|duracao|tempo)\b/.test(t);
  const after = /\b(?:apos|depois|a partir)\s+(?:as|das|de)\s+(\d{1,2})(?:\s*(?:h|hs|horas?)\b|:\d{2}|\b)/.exec(lite.replace(/[àá]/g, 'a'));
  let hour: number | null = null;
  let minute = 0;
  if (after) {
    const h = Number(after[1]);
    if (h >= 0 && h <= 23) period = periodOfHour(h >= 1 && h <= 6 ? h + 12 : h);
  } else {
    const l = ` ${lite} `;
    let m: RegExpExecArray | null;
    if ((m = /(?<![\d/:])(\d{1,2})\s*(?::|h)\s*(\d{2})(?![\d/])/.exec(l))) { hour = Number(m[1]); minute = Number(m[2]); }
    else if ((m = /(?<![\d/:])(\d{1,2})\s*(h|hs|hrs|horas?)(?![a-z])/.exec(l)) && !(durationTalk && m[2].startsWith('hora'))) hour = Number(m[1]);
    else if ((m = /(?<![\d/:])(\d{1,2})\s+(?:horas?\s+)?da\s+(manha|tarde|noite)/.exec(l))) {
      hour = Number(m[1]);
      if (m[2] !== 'manha' && hour < 12) hour += 12;
    } else if ((m = /\b(?:as|das|pelas|umas)\s+(\d{1,2})(?![\d/:.,]|\s*(?:de|do|da)\s|\s*(?:dias?|semanas?|meses|reais|opc|sess))/.exec(l))) hour = Number(m[1]);
    else if (/\bmeio\s*-?\s*dia\b/.test(l)) hour = 12;
    if (hour !== null && !(hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59)) hour = null;
    if (hour !== null && hour >= 1 && hour <= 6 && period !== 'manha') hour += 12;
    if (hour !== null) {
      const da = /\bda (tarde|noite)\b/.exec(l);
      if (da && hour < 12) hour += 12;
    }
  }
  if (hour === null) return { time: null, period };
  return { time: `${pad(hour)}:${pad(minute)}`, period: periodOfHour(hour) };
}
