// pt-BR formatting for the whole app: money in centavos → "R$ 1.234,56", dates dd/mm/aaaa.

const brl = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' });
const brlWhole = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL', maximumFractionDigits: 0 });
const brlCompact = new Intl.NumberFormat('pt-BR', {
  style: 'currency',
  currency: 'BRL',
  notation: 'compact',
  maximumFractionDigits: 1,
});
const integer = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat('pt-BR', { style: 'percent', maximumFractionDigits: 1 });

export function formatMoney(cents: number): string {
  return brl.format(cents / 100);
}

/** For chart axes: "R$ 1,2 mil". */
export function formatMoneyCompact(cents: number): string {
  return cents >= 100_000 ? brlCompact.format(cents / 100) : brlWhole.format(cents / 100);
}

export function formatInteger(n: number): string {
  return integer.format(n);
}

export function formatPercent(ratio: number): string {
  return percent.format(ratio);
}

/** 'YYYY-MM-DD' (a calendar day, no time zone) → 'dd/mm/aaaa'. */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

/** 'YYYY-MM-DD' → 'dd/mm'. */
export function formatDayShort(day: string): string {
  const [, m, d] = day.split('-');
  return `${d}/${m}`;
}

const MONTHS = ['janeiro', 'fevereiro', 'março', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro', 'novembro', 'dezembro'];
/** 'YYYY-MM' → 'dezembro de 2026' (lower case, as in a sentence). */
export function formatMonth(month: string): string {
  const [y, m] = month.split('-');
  const name = MONTHS[Number(m) - 1];
  return name ? `${name} de ${y}` : month;
}

/** 'YYYY-MM' → 'dez/2026' (chart labels, table headers). */
export function formatMonthShort(month: string): string {
  const [y, m] = month.split('-');
  const name = MONTHS[Number(m) - 1];
  return name ? `${name.slice(0, 3)}/${y}` : month;
}

const weekday = new Intl.DateTimeFormat('pt-BR', { weekday: 'short', timeZone: 'UTC' });
export function formatWeekday(day: string): string {
  return weekday.format(new Date(`${day}T12:00:00Z`)).replace('.', '');
}

/** An instant shown in the clinic's time zone: "05/03/2026 às 14:07". */
export function formatDateTime(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const opts = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('pt-BR', { timeZone, ...o }).format(date);
  return `${opts({ day: '2-digit', month: '2-digit', year: 'numeric' })} às ${opts({ hour: '2-digit', minute: '2-digit' })}`;
}

/** Relative change; null when there is no base to compare with. */
export function relativeChange(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return (current - previous) / previous;
}

/** E.164 Brazilian numbers shown the way people write them: "+55 (11) 98765-4321". */
export function formatPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const m = /^\+55(\d{2})(\d{4,5})(\d{4})$/.exec(phone);
  return m ? `+55 (${m[1]}) ${m[2]}-${m[3]}` : phone;
}

/** Centavos as typed in a money field: 123456 → '1234,56'. */
export function centsToInput(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '';
  return `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
}
