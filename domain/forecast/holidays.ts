// Brazilian national holidays of a year, for the forecaster's holiday effect (and anyone else who
// needs them). Pure: the calendar only, no clock.
//
// Fixed dates: Confraternização Universal (01/01), Tiradentes (21/04), Dia do Trabalho (01/05),
// Independência (07/09), Nossa Senhora Aparecida (12/10), Finados (02/11), Proclamação da República
// (15/11), Dia Nacional de Zumbi e da Consciência Negra (20/11, national from 2024 on by Lei
// 14.759/2023; before that only some states and cities kept it, so it is not listed before 2024) and
// Natal (25/12).
// Movable, from Easter Sunday (Gregorian computus, the anonymous "Meeus/Jones/Butcher" algorithm):
// Carnaval Monday (−48) and Tuesday (−47), Sexta-feira Santa (−2) and Corpus Christi (+60). Carnaval and
// Corpus Christi are officially "pontos facultativos" nationally, but clinics close (or empty) on them as
// on a holiday, which is what a forecaster needs to know. State and municipal holidays are the
// caller's (the forecaster takes extra days).

export interface Holiday {
  /** YYYY-MM-DD */
  day: string;
  name: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new RangeError(`year must be an integer in 1583…9999 (the Gregorian calendar), got ${year}`);
  }
}

/** Easter Sunday of a Gregorian year, YYYY-MM-DD. */
export function easterSunday(year: number): string {
  checkYear(year);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(year, month, day);
}

function shift(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The national holidays of `year`, sorted by day. */
export function brazilianHolidays(year: number): Holiday[] {
  checkYear(year);
  const easter = easterSunday(year);
  const list: Holiday[] = [
    { day: iso(year, 1, 1), name: 'Confraternização Universal' },
    { day: shift(easter, -48), name: 'Carnaval (segunda-feira)' },
    { day: shift(easter, -47), name: 'Carnaval (terça-feira)' },
    { day: shift(easter, -2), name: 'Sexta-feira Santa' },
    { day: iso(year, 4, 21), name: 'Tiradentes' },
    { day: iso(year, 5, 1), name: 'Dia do Trabalho' },
    { day: shift(easter, 60), name: 'Corpus Christi' },
    { day: iso(year, 9, 7), name: 'Independência do Brasil' },
    { day: iso(year, 10, 12), name: 'Nossa Senhora Aparecida' },
    { day: iso(year, 11, 2), name: 'Finados' },
    { day: iso(year, 11, 15), name: 'Proclamação da República' },
    ...(year >= 2024 ? [{ day: iso(year, 11, 20), name: 'Dia Nacional de Zumbi e da Consciência Negra' }] : []),
    { day: iso(year, 12, 25), name: 'Natal' },
  ];
  // Tiradentes can coincide with a movable day (e.g. Sexta-feira Santa on 21/04/2000 or 2079): keep one
  // entry per day, both names.
  const byDay = new Map<string, string>();
  for (const h of list) byDay.set(h.day, byDay.has(h.day) ? `${byDay.get(h.day)} / ${h.name}` : h.name);
  return [...byDay].map(([day, name]) => ({ day, name })).sort((x, y) => (x.day < y.day ? -1 : x.day > y.day ? 1 : 0));
}
