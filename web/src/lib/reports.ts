// Relatórios (/relatorios): the query string (pt-BR names, so links can be shared) and how the page
// writes months and comparisons.

export const REPORT_TABS = [
  { key: 'mensal', label: 'Mensal' },
  { key: 'procedimentos', label: 'Procedimentos' },
  { key: 'profissionais', label: 'Profissionais' },
  { key: 'coortes', label: 'Coortes e valor' },
  { key: 'funil', label: 'Funil' },
  { key: 'previsoes', label: 'Previsões' },
] as const;

/** The catalogue reports' periods (?dias=): the last 30, 90 or 365 days. */
export const CATALOG_PERIODS = [30, 90, 365] as const;
export type ReportTab = (typeof REPORT_TABS)[number]['key'];

export const FORECAST_METRICS = [
  { key: 'faturamento', api: 'revenue', label: 'Faturamento líquido' },
  { key: 'agendamentos', api: 'appointments', label: 'Agendamentos' },
] as const;
export type ForecastMetricKey = (typeof FORECAST_METRICS)[number]['key'];

export interface ReportFilters {
  tab: ReportTab;
  /** 'YYYY-MM' or null (the month in progress). */
  month: string | null;
  metric: ForecastMetricKey;
  horizon: 30 | 90;
  /** Procedimentos / Profissionais: the last N days. */
  days: (typeof CATALOG_PERIODS)[number];
}

export function readReportFilters(params: URLSearchParams): ReportFilters {
  const tab = (REPORT_TABS.find((t) => t.key === params.get('aba'))?.key ?? 'mensal') as ReportTab;
  const raw = params.get('mes') ?? '';
  const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(raw) ? raw : null;
  const metric = (FORECAST_METRICS.find((m) => m.key === params.get('indicador'))?.key ?? 'faturamento') as ForecastMetricKey;
  const days = CATALOG_PERIODS.find((d) => String(d) === params.get('dias')) ?? 90;
  return { tab, month, metric, horizon: params.get('dias') === '90' ? 90 : 30, days };
}

/** '2026-11' → 'novembro de 2026'; '2026-11' → 'nov/2026'. */
export { formatMonth as monthLong, formatMonthShort as monthShort } from './format';

/** The month `offset` months from `month`. */
export function shiftMonth(month: string, offset: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const t = y * 12 + (m - 1) + offset;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

/** "+12,5%" / "−3,0%" / "—" (no base). */
export function change(current: number | null, previous: number | null): string {
  if (current === null || previous === null || previous === 0) return '—';
  const r = (current - previous) / Math.abs(previous);
  const s = Math.abs(r * 100).toLocaleString('pt-BR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return `${r > 0 ? '+' : r < 0 ? '−' : ''}${s}%`;
}

/** The funnel's steps in pt-BR. */
export const FUNNEL_LABELS: Record<string, string> = {
  lead: 'Leads (conversas novas)', qualified: 'Qualificados pela Anna', booked: 'Agendaram', realised: 'Vieram', returned: 'Voltaram em 90 dias',
};

/** A retention share as a heatmap cell's background (accent at the share's strength). */
export const heat = (share: number | null) => (share === null ? 'transparent' : `rgba(180, 83, 9, ${(0.08 + 0.8 * Math.min(1, share / 0.6)).toFixed(2)})`);
