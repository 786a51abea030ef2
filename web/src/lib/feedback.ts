// Pesquisa & Feedback (/feedback): the page's query string, the NPS zones and the pt-BR labels of the
// API's codes. Pure: the page and its server load share them, and feedback.test.ts checks them.
import { addDays, todayIn } from './period';
import { isDay } from './time';
import { isUuid } from './url';

/** The page's sections, as `?aba=` values. */
export const FEEDBACK_TABS = [
  { key: 'visao-geral', label: 'Visão geral' },
  { key: 'detratores', label: 'Detratores' },
  { key: 'comentarios', label: 'Comentários' },
  { key: 'formularios', label: 'Formulários' },
  { key: 'avaliacoes', label: 'Avaliações' },
  { key: 'ofertas', label: 'Ofertas' },
  { key: 'cupons', label: 'Cupons' },
] as const;
export type FeedbackTab = (typeof FEEDBACK_TABS)[number]['key'];

/** The API's default period, the same on the page: the last 90 days up to today (clinic's time zone). */
export const DEFAULT_DAYS = 90;

export type FollowUpStatus = 'aberto' | 'contatado' | 'resolvido';
export type Sentiment = 'positivo' | 'neutro' | 'negativo';

export interface FeedbackFilters {
  tab: FeedbackTab;
  /** Today in the clinic's time zone (the shortcuts end on it). */
  today: string;
  from: string;
  to: string;
  /** The period is the default one (no `de`/`ate` in the address). */
  defaultPeriod: boolean;
  professionalId: string;
  procedureId: string;
  /** Detratores: one follow-up status, or '' for all. */
  followUp: FollowUpStatus | '';
  /** Comentários: one sentiment, or '' for all. */
  sentiment: Sentiment | '';
}

const FOLLOW_UPS: readonly string[] = ['aberto', 'contatado', 'resolvido'];
const SENTIMENTS: readonly string[] = ['positivo', 'neutro', 'negativo'];

/** The filters of `?aba=&de=&ate=&profissional=&procedimento=&situacao=&sentimento=`; what is not valid is ignored. */
export function readFilters(q: URLSearchParams, timeZone: string, now?: Date): FeedbackFilters {
  const tabParam = q.get('aba');
  const tab = FEEDBACK_TABS.find((t) => t.key === tabParam)?.key ?? 'visao-geral';
  const today = todayIn(timeZone, now);
  const de = q.get('de');
  const ate = q.get('ate');
  const to = isDay(ate) ? ate : today;
  const from = isDay(de) ? de : addDays(to, -(DEFAULT_DAYS - 1));
  const situacao = q.get('situacao') ?? '';
  const sentimento = q.get('sentimento') ?? '';
  return {
    tab,
    today,
    from,
    to,
    defaultPeriod: !isDay(de) && !isDay(ate),
    professionalId: isUuid(q.get('profissional')) ? q.get('profissional')! : '',
    procedureId: isUuid(q.get('procedimento')) ? q.get('procedimento')! : '',
    followUp: FOLLOW_UPS.includes(situacao) ? (situacao as FollowUpStatus) : '',
    sentiment: SENTIMENTS.includes(sentimento) ? (sentimento as Sentiment) : '',
  };
}

/** An instant as its day in the clinic's time zone, dd/mm/aaaa ('' without one). */
export function instantDay(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const [y, m, d] = todayIn(timeZone, date).split('-');
  return `${d}/${m}/${y}`;
}

/** The number of days of [from, to], both included. */
export function periodDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The same period length just before [from, to]: what the NPS is compared with. */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const days = periodDays(from, to);
  return { from: addDays(from, -days), to: addDays(from, -1) };
}

/**
 * The usual Brazilian reading of an NPS: zona crítica (< 0), de aperfeiçoamento (0–49),
 * de qualidade (50–74), de excelência (75–100).
 */
export function npsZone(nps: number | null): { label: string; tone: 'bad' | 'warn' | 'ok' | 'good' | 'none' } {
  if (nps === null) return { label: 'Sem respostas no período', tone: 'none' };
  if (nps < 0) return { label: 'Zona crítica', tone: 'bad' };
  if (nps < 50) return { label: 'Zona de aperfeiçoamento', tone: 'warn' };
  if (nps < 75) return { label: 'Zona de qualidade', tone: 'ok' };
  return { label: 'Zona de excelência', tone: 'good' };
}

/** An NPS as people write it: "40", "−12" (a true minus sign), "—" without answers. */
export function formatNps(nps: number | null): string {
  if (nps === null) return '—';
  return nps < 0 ? `−${Math.abs(nps)}` : String(nps);
}

/** A difference of NPS points: "+5 pontos", "−1 ponto", "estável". */
export function formatNpsDelta(delta: number): string {
  if (delta === 0) return 'estável';
  const n = Math.abs(delta);
  return `${delta > 0 ? '+' : '−'}${n} ${n === 1 ? 'ponto' : 'pontos'}`;
}

/** The Monday of the week of a day (the API's NPS weeks start on Monday). */
export function mondayOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

export interface WeekPoint {
  week: string;
  answered: number;
  nps: number | null;
}

/** Every week of [from, to] (Mondays), with the API's figures where it has some and nulls elsewhere. */
export function fillWeeks(trend: WeekPoint[], from: string, to: string): WeekPoint[] {
  const byWeek = new Map(trend.map((w) => [w.week, w]));
  const weeks: WeekPoint[] = [];
  for (let week = mondayOf(from); week <= to && weeks.length < 120; week = addDays(week, 7)) {
    weeks.push(byWeek.get(week) ?? { week, answered: 0, nps: null });
  }
  // A week the API has outside the grid (it should not happen) is still shown.
  for (const w of trend) if (!weeks.some((x) => x.week === w.week)) weeks.push(w);
  return weeks.sort((a, b) => (a.week < b.week ? -1 : 1));
}

/** A share of a total (0 when there is no total). */
export function share(n: number, total: number): number {
  return total > 0 ? n / total : 0;
}

/** A wa.me link to a Brazilian WhatsApp number in E.164 (null when there is none). */
export function whatsappLink(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 10 ? `https://wa.me/${digits}` : null;
}

export const FOLLOW_UP_LABELS: Record<FollowUpStatus, string> = {
  aberto: 'Aberto',
  contatado: 'Contatado',
  resolvido: 'Resolvido',
};

export const SENTIMENT_LABELS: Record<Sentiment, string> = {
  positivo: 'Positivo',
  neutro: 'Neutro',
  negativo: 'Negativo',
};

export const UPSELL_STATUS_LABELS: Record<string, string> = {
  aguardando: 'Aguardando envio',
  enviada: 'Enviada',
  agendou: 'Agendou',
  ignorou: 'Sem resposta',
  recusou: 'Recusou',
  nao_enviada: 'Não enviada',
};

export const COUPON_STATUS_LABELS: Record<string, string> = {
  valido: 'Válido',
  usado: 'Usado',
  vencido: 'Vencido',
  cancelado: 'Cancelado',
};

export const COUPON_ORIGIN_LABELS: Record<string, string> = {
  nps_detractor: 'Detrator',
  upsell: 'Oferta (upsell)',
  manual: 'Manual',
};

/** Why an offer was not sent or was refused (activities/upsell.ts, workflows/upsell.ts: skipReason), for staff. */
export const SKIP_REASON_LABELS: Record<string, string> = {
  no_consent: 'sem consentimento de marketing',
  no_recommendation: 'nenhum procedimento a recomendar',
  gone: 'paciente removido',
  opt_out: 'pediu para não receber mensagens',
};

/** How many rows a section shows at a time. */
export const PAGE_SIZE = 20;

export interface Paged<T> {
  items: T[];
  /** 1-based. */
  page: number;
  pages: number;
  total: number;
  /** 1-based index of the first row shown (0 when there is none). */
  first: number;
  last: number;
}

/** One page of a list (`?pagina=`), the page number clamped to the ones that exist. */
export function paginate<T>(all: T[], pageParam: string | null | undefined, size = PAGE_SIZE): Paged<T> {
  const pages = Math.max(1, Math.ceil(all.length / size));
  const asked = Number.parseInt(pageParam ?? '', 10);
  const page = Math.min(pages, Math.max(1, Number.isFinite(asked) ? asked : 1));
  const items = all.slice((page - 1) * size, page * size);
  return { items, page, pages, total: all.length, first: items.length ? (page - 1) * size + 1 : 0, last: (page - 1) * size + items.length };
}

/** "1 comentário" / "3 comentários". */
export function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('pt-BR')} ${n === 1 ? one : many}`;
}
