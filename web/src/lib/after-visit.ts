// The patient's pages after the visit (/p/nps, /p/feedback, /p/avaliar, /p/agendar): the pure pieces
// shared by their pages and tests (score colours, star labels, slots by day, pt-BR weekdays).

/** The longest comment the API takes (services/feedback/surveys.ts MAX_COMMENT_CHARS; a test keeps them equal). */
export const COMMENT_MAX = 2000;

export const SCORES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

/**
 * The colours of a score button, red (0) to green (10) along the NPS classes: detractors (0–6) red to
 * orange, neutrals (7–8) amber to yellow, promoters (9–10) green. A light tint with a dark ink (contrast
 * ≥ 5:1) and, once chosen, a solid colour dark enough for white text (≥ 4.6:1).
 */
export function scoreColors(score: number): { tint: string; edge: string; ink: string; solid: string } {
  const s = Math.max(0, Math.min(10, Math.round(score)));
  const HUES = [0, 6, 12, 18, 24, 29, 34, 44, 52, 105, 125];
  // The largest lightness keeping white text at 4.6:1 on hsl(hue 75% L) (yellows need it darker).
  const SOLID_L = [52, 49, 47, 44, 41, 39, 36, 32, 29, 30, 30];
  const hue = HUES[s]!;
  return {
    tint: `hsl(${hue} 90% 92%)`,
    edge: `hsl(${hue} 60% 42%)`,
    ink: `hsl(${hue} 80% 24%)`,
    solid: `hsl(${hue} 75% ${SOLID_L[s]}%)`,
  };
}

/** The words under the 0–10 scale, as the message asks: 0 = nada provável, 10 = com certeza. */
export function scoreLabel(score: number): string {
  if (score === 0) return 'Nota 0, nada provável';
  if (score === 10) return 'Nota 10, com certeza';
  return `Nota ${score}`;
}

export const RATING_WORDS = ['Ruim', 'Regular', 'Bom', 'Muito bom', 'Excelente'] as const;

/** "1 estrela, ruim" … "5 estrelas, excelente". */
export function ratingLabel(rating: number): string {
  return `${rating} ${rating === 1 ? 'estrela' : 'estrelas'}, ${RATING_WORDS[rating - 1]?.toLowerCase() ?? ''}`.replace(/, $/, '');
}

const WEEKDAYS = ['domingo', 'segunda-feira', 'terça-feira', 'quarta-feira', 'quinta-feira', 'sexta-feira', 'sábado'];

/** "dd/mm/aaaa" → "segunda-feira" (a calendar day: no time zone involved); '' when not a date. */
export function weekdayOf(ddmmyyyy: string): string {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(ddmmyyyy);
  if (!m) return '';
  const d = new Date(Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1])));
  return Number.isNaN(d.getTime()) ? '' : WEEKDAYS[d.getUTCDay()]!;
}

export const capitalize = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** "Segunda-feira, 04/03/2030". */
export function dayHeading(ddmmyyyy: string): string {
  const w = weekdayOf(ddmmyyyy);
  return w ? `${capitalize(w)}, ${ddmmyyyy}` : ddmmyyyy;
}

/** Slots as the API lists them (soonest first, date dd/mm/aaaa in the clinic's zone) grouped by day, in order. */
export function slotsByDay<S extends { date: string }>(slots: readonly S[]): { date: string; heading: string; slots: S[] }[] {
  const days: { date: string; heading: string; slots: S[] }[] = [];
  for (const s of slots) {
    const last = days[days.length - 1];
    if (last && last.date === s.date) last.slots.push(s);
    else days.push({ date: s.date, heading: dayHeading(s.date), slots: [s] });
  }
  return days;
}

/** The API's absolute link to the next page (its WEB_URL) → a path on this site, so it works behind any host. */
export function sitePath(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? `${u.pathname}${u.search}` : '/';
  } catch {
    return url.startsWith('/') ? url : '/';
  }
}
