// Campanhas (/campanhas): the filters in the query string (pt-BR names, so links can be shared), and how
// the page writes risks, rates, lifts and their intervals in pt-BR.

export const CAMPAIGN_TABS = [
  { key: 'risco', label: 'Pacientes em risco' },
  { key: 'campanhas', label: 'Campanhas' },
  { key: 'modelo', label: 'Modelo' },
  { key: 'fidelidade', label: 'Fidelidade' },
] as const;

/** Fidelidade's periods (?periodo=): the last 30, 90 or 365 days. */
export const LOYALTY_PERIODS = [
  { days: 30, label: 'Últimos 30 dias' },
  { days: 90, label: 'Últimos 90 dias' },
  { days: 365, label: 'Últimos 12 meses' },
] as const;
export const loyaltyPeriodOf = (v: string | null): number => LOYALTY_PERIODS.find((p) => String(p.days) === v)?.days ?? 365;

/** '2026-11' → 'nov/2026'. */
export { formatMonthShort as monthLabel } from './format';
export type CampaignTab = (typeof CAMPAIGN_TABS)[number]['key'];

/** The list's order: the URL says it in Portuguese, the API in English. */
export const SORTS = [
  { key: 'risco', api: 'risk', label: 'Maior risco' },
  { key: 'valor', api: 'clv', label: 'Maior valor em 12 meses' },
  { key: 'inatividade', api: 'inactive', label: 'Mais tempo sem vir' },
] as const;
export type SortKey = (typeof SORTS)[number]['key'];

export const RISK_PAGE_SIZE = 50;

export interface RiskFilters {
  tab: CampaignTab;
  /** Minimum risk 0–100 (null: every patient). */
  minRisk: number | null;
  /** The raw text of the risk field when it is not a valid number (shown back with a message). */
  minRiskInvalid: string | null;
  q: string;
  sort: SortKey;
  /** Also the patients who never came to a visit (leads): off by default, the list is about bringing patients back. */
  includeNeverVisited: boolean;
  page: number;
}

/** ?aba=campanhas&risco=70&nome=ana&ordem=valor&nunca=1&pagina=2 → filters; anything odd falls back to the default. */
export function readRiskFilters(params: URLSearchParams): RiskFilters {
  const tabParam = params.get('aba');
  const tab = (CAMPAIGN_TABS.find((t) => t.key === tabParam)?.key ?? 'risco') as CampaignTab;
  const raw = (params.get('risco') ?? '').trim();
  const n = Number(raw);
  const validRisk = raw !== '' && /^\d{1,3}$/.test(raw) && n >= 0 && n <= 100;
  const sortParam = params.get('ordem');
  const page = Number.parseInt(params.get('pagina') ?? '', 10);
  return {
    tab,
    minRisk: validRisk ? n : null,
    minRiskInvalid: raw !== '' && !validRisk ? raw : null,
    q: (params.get('nome') ?? '').trim().slice(0, 100),
    sort: (SORTS.find((s) => s.key === sortParam)?.key ?? 'risco') as SortKey,
    includeNeverVisited: params.get('nunca') === '1',
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}

export const sortApi = (key: SortKey) => SORTS.find((s) => s.key === key)!.api;

/** The CSV export of the same filters (the web server relays the API's file). */
export function csvHref(f: Pick<RiskFilters, 'minRisk' | 'q' | 'sort' | 'includeNeverVisited'>): string {
  const p = new URLSearchParams();
  if (f.minRisk !== null) p.set('risco', String(f.minRisk));
  if (f.q) p.set('nome', f.q);
  if (f.sort !== 'risco') p.set('ordem', f.sort);
  if (f.includeNeverVisited) p.set('nunca', '1');
  const query = p.toString();
  return `/campanhas/exportar${query ? `?${query}` : ''}`;
}

/** high ≥ 70 (the sweep's default threshold), medium ≥ 40, low below. */
export function riskTone(risk: number): 'high' | 'medium' | 'low' {
  return risk >= 70 ? 'high' : risk >= 40 ? 'medium' : 'low';
}

const oneDecimal = new Intl.NumberFormat('pt-BR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** 0.3 → "30,0%"; null → "—". */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${oneDecimal.format(rate * 100)}%`;
}

/** A difference of rates in percentage points with its sign: 0.123 → "+12,3 p.p.", −0.05 → "−5,0 p.p.". */
export function formatPoints(diff: number | null): string {
  if (diff === null) return '—';
  const v = Math.round(diff * 1000) / 10;
  const sign = v > 0 ? '+' : v < 0 ? '−' : '';
  return `${sign}${oneDecimal.format(Math.abs(v))} p.p.`;
}

/** The 95% interval of a lift: "de −2,1 a +25,0 p.p.". */
export function formatInterval(low: number | null, high: number | null): string {
  if (low === null || high === null) return '';
  return `de ${formatPoints(low).replace(' p.p.', '')} a ${formatPoints(high)}`;
}

/** What the interval allows one to say, in one pt-BR sentence. */
export function liftVerdict(lift: { lift: number | null; low: number | null; high: number | null }): { tone: 'good' | 'neutral' | 'bad'; text: string } {
  if (lift.lift === null || lift.low === null || lift.high === null) return { tone: 'neutral', text: 'Sem grupo de controle com desfecho, ainda não há como medir o efeito.' };
  if (lift.low > 0) return { tone: 'good', text: 'As campanhas trouxeram de volta mais pacientes do que voltariam sozinhas: o intervalo inteiro está acima de zero.' };
  if (lift.high < 0) return { tone: 'bad', text: 'O grupo de controle voltou mais do que as pacientes contatadas: reveja a mensagem e o desconto.' };
  return { tone: 'neutral', text: 'O intervalo ainda inclui zero: com mais campanhas encerradas dá para afirmar se o contato faz diferença.' };
}

/** "há 45 dias", "há 8 meses", "há 1 ano e 2 meses" — the page's way of saying how long ago. */
export function daysAgo(days: number | null): string {
  if (days === null) return '';
  if (days <= 0) return 'hoje';
  if (days === 1) return 'ontem';
  if (days < 60) return `há ${days} dias`;
  const months = Math.round(days / 30.4375);
  if (months < 12) return `há ${months} meses`;
  const years = Math.floor(months / 12);
  const rest = months % 12;
  const y = years === 1 ? '1 ano' : `${years} anos`;
  return `há ${y}${rest ? ` e ${rest === 1 ? '1 mês' : `${rest} meses`}` : ''}`;
}

/** AUC in words, for the model tab. */
export function aucReading(auc: number | null): string {
  if (auc === null) return 'Sem AUC: o conjunto separado teve só um tipo de desfecho';
  if (auc >= 0.8) return 'Boa separação entre quem volta e quem não volta';
  if (auc >= 0.7) return 'Separação razoável entre quem volta e quem não volta';
  if (auc >= 0.55) return 'Separação fraca: o modelo ainda está aprendendo';
  if (auc >= 0.45) return 'Não separa melhor que o acaso';
  return 'Ordenou ao contrário os desfechos separados: ainda são poucos para confiar';
}

/** The minimum held-out AUC for a version to be used in the scores (services/reactivation/scoring.ts). */
export const MIN_MODEL_AUC = 0.55;

export const decimal = (x: number, digits = 1) => x.toLocaleString('pt-BR', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The API's query for the list (and its CSV) from the page's filters. */
export function atRiskQuery(f: Pick<RiskFilters, 'minRisk' | 'q' | 'sort' | 'includeNeverVisited'>): Record<string, string> {
  return {
    sort: sortApi(f.sort),
    ...(f.minRisk !== null ? { minRisk: String(f.minRisk) } : {}),
    ...(f.q ? { q: f.q } : {}),
    ...(f.includeNeverVisited ? {} : { visited: 'true' }),
  };
}

/** P(alive) as the page writes it: "23%", and "< 1%" rather than a misleading "0%" (or "> 99%" for "100%"). */
export function percentAlive(p: number): string {
  if (p > 0 && p < 0.005) return '< 1%';
  if (p < 1 && p > 0.995) return '> 99%';
  return `${Math.round(p * 100)}%`;
}
