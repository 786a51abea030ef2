// A patient's churn score in words and numbers (issue #12), pure: the feature vector the churn learner
// sees, the fallback used while a clinic has too little history for BG/NBD, and the pt-BR reasons shown
// beside each score ("sem visitas há 8 meses, 3× o intervalo habitual"). services/reactivation/scoring.ts
// reads the facts from the database and calls these.
//
// Time is in days throughout (the BG/NBD fit is in days), money in centavos.
//
// The fallback ("heuristic"), used when BG/NBD cannot be fitted (nobody came back, every return on the
// first day) or its fit ends at the edge of the search (parametersAtBound: too little history):
// - her usual interval u = the median of the gaps between her visit days when she has at least three
//   visit days; with two (one gap, often a follow-up) the mean of that gap and the clinic's interval;
//   with one, the clinic's (the median of its patients' own intervals); else 90 days; within [7, 365];
// - s = days since her last visit; for a patient who never came, days since her registration, against
//   u = 90 days or the clinic's interval if longer (a lead takes a while to book her first visit; the
//   rhythm of regulars says nothing about her);
// - P(alive) = 1 / (1 + (s / 2u)³): about 0.89 after one usual interval, 0.5 after two, 0.23 after
//   three, 0.11 after four — "twice her own rhythm without coming is a coin toss";
// - expected visits in 12 months = P(alive) · 365.25 / u (she keeps her rhythm if still a patient);
// - 12-month CLV = Σ over the 12 months of P(alive) · (30.4375 / u) visits × her value per visit,
//   discounted 1% a month like domain/lifetime's CLV.
// Risk is then churnRiskFromAlive (or the blend with a learned model), as with BG/NBD.
//
// With BG/NBD, one adjustment: the model can only lose a patient right after a repeat visit, so it calls
// everyone with a single visit day alive (P = 1) however long ago she came — useless for a clinic, whose
// typical lapsed patient came once. For her (frequency 0) P(alive) is the MBG/NBD form (Batislam, Denizel
// & Filiztekin 2007, where she may also leave right after her first visit) with the fitted parameters:
// 1 / (1 + a/b · ((α+T)/α)^r). Her expected visits and CLV are BG/NBD's "if alive" figures times it.
import { CHURN_FEATURE_NAMES, DAYS_PER_MONTH, checkBgNbdParams, expectedPurchasesIfAlive, probabilityAlive, type BgNbdParams } from './lifetime';
import { howLongAgo } from './reactivation';

/** One reason behind a score (the shape stored in patient_scores.factors). */
export interface ScoreFactor {
  name: string;
  /** pt-BR, about this patient: "sem visitas há 8 meses, 3× o intervalo habitual". */
  label: string;
  /** How much it moves the score (the learner's log-odds, or the fallback's weight). */
  contribution: number;
  /** 1: raises the risk, −1: lowers it. */
  sign: 1 | -1;
}

/** The features after domain/lifetime's CHURN_FEATURE_NAMES, in this order. */
export const EXTRA_FEATURE_NAMES = [
  'inactivityRatio', 'lastNpsDetractor', 'lastCommentNegative', 'noShows', 'cancellations', 'repliedLastMessage',
  'reactivationContacts', 'returnedAfterReactivation',
] as const;

/** Every feature of a score, in the order of patient_scores.features (and of a new model's `names`). */
export const SCORE_FEATURE_NAMES: readonly string[] = [...CHURN_FEATURE_NAMES, ...EXTRA_FEATURE_NAMES];

export const DEFAULT_INTERVAL_DAYS = 90;
export const MIN_INTERVAL_DAYS = 7;
export const MAX_INTERVAL_DAYS = 365;
const DAYS_PER_YEAR = 365.25;

/** What the database says about one patient, as of the scoring day. */
export interface PatientFacts {
  /** Distinct days with a realised visit (0: never came). */
  visitDays: number;
  /** BG/NBD's triple in days (frequency = visitDays − 1; all 0 when she never came). */
  frequency: number;
  recency: number;
  T: number;
  /** Days since her last visit; null when she never came. */
  daysSinceLastVisit: number | null;
  /** Days since she was registered. */
  daysSinceRegistered: number;
  /** Median gap between her visit days (null with fewer than two). */
  ownIntervalDays: number | null;
  lastNpsScore: number | null;
  lastNpsDetractor: boolean;
  lastCommentNegative: boolean;
  noShows: number;
  cancellations: number;
  /** Whether she answered the clinic's last message to her; null when the clinic never wrote to her. */
  repliedLastMessage: boolean | null;
  /** Times she was contacted by a reactivation campaign, and whether she ever came back after one. */
  reactivationContacts: number;
  returnedAfterReactivation: boolean;
}

const clampInterval = (d: number) => Math.min(MAX_INTERVAL_DAYS, Math.max(MIN_INTERVAL_DAYS, d));

/** P(alive) of a patient with a single visit day, T days ago (MBG/NBD form, see the header). */
export function singleVisitAlive(bg: BgNbdParams, T: number): number {
  checkBgNbdParams(bg);
  if (!Number.isFinite(T) || T < 0) throw new RangeError(`singleVisitAlive: T must be a finite number ≥ 0 (got ${T})`);
  const logOdds = Math.log(bg.a) - Math.log(bg.b) + bg.r * Math.log1p(T / bg.alpha);
  return logOdds > 0 ? Math.exp(-logOdds) / (1 + Math.exp(-logOdds)) : 1 / (1 + Math.exp(logOdds));
}

/** P(alive) for the score: BG/NBD's with repeat visits, singleVisitAlive without. */
export function scoreAlive(bg: BgNbdParams, c: { frequency: number; recency: number; T: number }): number {
  return c.frequency > 0 ? probabilityAlive(bg, c) : singleVisitAlive(bg, c.T);
}

/**
 * What BG/NBD expects of a patient with `frequency` repeat visits, T days after her first, if she is
 * still a patient: visits in the next 12 months, and the same visits discounted month by month (1% a
 * month by default) — the CLV is P(alive) × discountedVisits × value per visit. Depends on (x, T) only,
 * so a caller scoring many patients may cache it. RangeError where BG/NBD cannot compute it.
 */
export function visitsIfAlive(bg: BgNbdParams, frequency: number, T: number, monthlyDiscountRate = 0.01, horizonMonths = 12): { visits: number; discounted: number } {
  let previous = 0;
  let discounted = 0;
  for (let i = 1; i <= horizonMonths; i++) {
    const cumulative = expectedPurchasesIfAlive(bg, frequency, T, i * DAYS_PER_MONTH);
    if (!Number.isFinite(cumulative)) throw new RangeError(`visitsIfAlive: no finite expectation for x = ${frequency}, T = ${T}`);
    discounted += Math.max(0, cumulative - previous) / Math.pow(1 + monthlyDiscountRate, i);
    previous = Math.max(previous, cumulative);
  }
  return { visits: previous, discounted };
}

/** The median of a list (null when empty). */
export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Her usual interval in days: her own median gap (half the clinic's when it rests on a single gap),
 * else the clinic's, else 90; within [7, 365]. `gaps` = her visit days − 1.
 */
export function usualInterval(ownIntervalDays: number | null, clinicIntervalDays: number | null, gaps = Number.POSITIVE_INFINITY): number {
  const clinic = clinicIntervalDays !== null && Number.isFinite(clinicIntervalDays) && clinicIntervalDays > 0 ? clinicIntervalDays : null;
  let d = ownIntervalDays !== null && Number.isFinite(ownIntervalDays) && ownIntervalDays > 0 ? ownIntervalDays : null;
  if (d !== null && gaps <= 1 && clinic !== null) d = (d + clinic) / 2;
  d ??= clinic;
  return d !== null ? clampInterval(d) : DEFAULT_INTERVAL_DAYS;
}

/** The interval a patient who never came is judged against: 90 days, or the clinic's if longer. */
export function leadInterval(clinicIntervalDays: number | null): number {
  return Math.max(DEFAULT_INTERVAL_DAYS, usualInterval(null, clinicIntervalDays));
}

/** Days without coming that the fallback counts: since the last visit, or since registration. */
export function daysInactive(f: Pick<PatientFacts, 'daysSinceLastVisit' | 'daysSinceRegistered'>): number {
  return Math.max(0, f.daysSinceLastVisit ?? f.daysSinceRegistered);
}

/** The fallback's P(alive): 1 / (1 + (s / 2u)³), in (0, 1], decreasing in s. */
export function heuristicAlive(daysInactiveCount: number, intervalDays: number): number {
  const s = Math.max(0, daysInactiveCount);
  const u = clampInterval(intervalDays);
  return 1 / (1 + (s / (2 * u)) ** 3);
}

/** The fallback's expected visits over `horizonDays` (default a year): P(alive) · horizon / u. */
export function heuristicExpectedVisits(pAlive: number, intervalDays: number, horizonDays = DAYS_PER_YEAR): number {
  return (pAlive * horizonDays) / clampInterval(intervalDays);
}

/** The fallback's CLV in integer centavos: 12 months of P(alive) · (month / u) visits × value, 1% a month discount. */
export function heuristicClv(pAlive: number, intervalDays: number, valuePerVisitCents: number, horizonMonths = 12, monthlyDiscountRate = 0.01): number {
  if (!(valuePerVisitCents > 0)) return 0;
  const perMonth = (pAlive * DAYS_PER_MONTH) / clampInterval(intervalDays);
  let total = 0;
  for (let i = 1; i <= horizonMonths; i++) total += (perMonth * valuePerVisitCents) / Math.pow(1 + monthlyDiscountRate, i);
  return Math.round(total);
}

/**
 * Her value per visit without the Gamma–Gamma fit: her average ticket shrunk towards the clinic's by
 * one visit's weight, (m·n + M) / (n + 1) — a patient with one visit is half her own, half the clinic's.
 */
export function shrunkTicket(averageTicketCents: number, visitDays: number, clinicTicketCents: number): number {
  return (averageTicketCents * visitDays + clinicTicketCents) / (visitDays + 1);
}

/**
 * The feature vector of SCORE_FEATURE_NAMES: BG/NBD's six (frequency, recency, T, days since the last
 * visit, P(alive), expected visits in 12 months — with the P(alive) the score uses) and the extras.
 * A patient who never came has frequency = recency = 0 and T = days since registration.
 */
export function scoreFeatures(f: PatientFacts, pAlive: number, expectedVisits: number, intervalDays: number): number[] {
  const visited = f.visitDays > 0;
  const T = visited ? f.T : Math.max(0, f.daysSinceRegistered);
  const since = visited ? (f.daysSinceLastVisit ?? 0) : T;
  return [
    f.frequency, f.recency, T, since, pAlive, expectedVisits,
    since / clampInterval(intervalDays),
    f.lastNpsDetractor ? 1 : 0,
    f.lastCommentNegative ? 1 : 0,
    f.noShows,
    f.cancellations,
    f.repliedLastMessage ? 1 : 0,
    f.reactivationContacts,
    f.returnedAfterReactivation ? 1 : 0,
  ];
}

const decimal = (x: number, digits = 1) => x.toLocaleString('pt-BR', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
const plural = (n: number, one: string, many: string) => `${n.toLocaleString('pt-BR')} ${n === 1 ? one : many}`;

/** "hoje", "há 1 dia", "há 45 dias", "há 8 meses", "há 1 ano e 2 meses". */
export function agoText(days: number): string {
  const d = Math.max(0, Math.round(days));
  if (d === 0) return 'hoje';
  if (d === 1) return 'há 1 dia';
  return `há ${howLongAgo(d)}`;
}

/** "3×", "2,5×": how many of her usual intervals she has gone without coming. */
export function timesText(ratio: number): string {
  return `${decimal(Math.round(ratio * 10) / 10)}×`;
}

function visitsText(f: PatientFacts): string {
  return plural(f.visitDays, 'visita', 'visitas');
}

function inactivityText(f: PatientFacts, intervalDays: number): string {
  if (f.daysSinceLastVisit === null) return `cadastro ${agoText(f.daysSinceRegistered)}, sem nenhuma visita realizada`;
  const ratio = f.daysSinceLastVisit / clampInterval(intervalDays);
  const base = f.daysSinceLastVisit === 0 ? 'veio hoje' : `sem visitas ${agoText(f.daysSinceLastVisit)}`;
  if (f.daysSinceLastVisit === 0) return base;
  if (ratio >= 1.5) return `${base}, ${timesText(ratio)} o intervalo habitual`;
  return `${base}, dentro do intervalo habitual (${agoText(intervalDays).replace(/^há /, '')})`;
}

/**
 * The pt-BR label of one feature for this patient, as the learned model's top factors show it. `sign`
 * is the direction the model gives it (1: raises the risk).
 */
export function factorLabel(name: string, f: PatientFacts, features: readonly number[], intervalDays: number, sign: 1 | -1): string {
  const value = features[SCORE_FEATURE_NAMES.indexOf(name)];
  switch (name) {
    case 'frequency':
      return f.frequency === 0 ? (f.visitDays ? 'veio uma única vez' : 'nenhuma visita realizada') : `${visitsText(f)} (${plural(f.frequency, 'retorno', 'retornos')})`;
    case 'recency':
      return f.frequency === 0 ? 'nenhum retorno depois da primeira visita' : `voltou durante ${howLongAgo(Math.max(1, f.recency))} depois da primeira visita`;
    case 'T':
      return f.visitDays ? `primeira visita ${agoText(f.T)}` : `cadastro ${agoText(f.daysSinceRegistered)}`;
    case 'timeSinceLastVisit':
    case 'inactivityRatio':
      return inactivityText(f, intervalDays);
    case 'pAlive':
      return `${f.visitDays ? 'chance de ainda ser paciente' : 'chance de ainda vir'}: ${percentText(value ?? 0)}`;
    case 'expectedVisits':
      return `${decimal(value ?? 0)} ${Math.abs((value ?? 0) - 1) < 0.05 ? 'visita esperada' : 'visitas esperadas'} nos próximos 12 meses`;
    case 'lastNpsDetractor':
      if (f.lastNpsDetractor) return f.lastNpsScore !== null ? `última nota NPS ${f.lastNpsScore} (detratora)` : 'última nota NPS de detratora';
      return f.lastNpsScore !== null ? `última nota NPS ${f.lastNpsScore}` : 'sem nota NPS';
    case 'lastCommentNegative':
      return f.lastCommentNegative ? 'último comentário negativo' : 'último comentário não foi negativo';
    case 'noShows':
      return f.noShows ? plural(f.noShows, 'falta', 'faltas') : 'nenhuma falta';
    case 'cancellations':
      return f.cancellations ? plural(f.cancellations, 'cancelamento', 'cancelamentos') : 'nenhum cancelamento';
    case 'repliedLastMessage':
      return f.repliedLastMessage ? 'respondeu à última mensagem da clínica' : f.repliedLastMessage === false ? 'não respondeu à última mensagem da clínica' : 'nunca recebeu mensagem da clínica';
    case 'reactivationContacts':
      return f.reactivationContacts ? `${plural(f.reactivationContacts, 'convite', 'convites')} de reativação antes` : 'nunca recebeu convite de reativação';
    case 'returnedAfterReactivation':
      return f.returnedAfterReactivation ? 'já voltou depois de um convite de reativação' : 'nunca voltou depois de um convite de reativação';
    default:
      return `${name}: ${decimal(value ?? 0, 2)} (${sign > 0 ? 'aumenta' : 'reduz'} o risco)`;
  }
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** A probability as a whole percentage, "< 1%" / "> 99%" at the ends rather than a misleading 0% or 100%. */
export function percentText(p: number): string {
  if (p > 0 && p < 0.005) return '< 1%';
  if (p < 1 && p > 0.995) return '> 99%';
  return `${Math.round(p * 100)}%`;
}

/**
 * The top `k` reasons of a score without a learned model, in words: how long she has gone without
 * coming against her usual interval (or that she never came), a single visit, a long history of visits,
 * the last NPS and comment, no-shows and cancellations, whether she answers and past reactivations.
 * Weights are the fallback's own rough log-odds (documented here, not learned): they only order the reasons.
 */
export function explainScore(f: PatientFacts, intervalDays: number, k = 3): ScoreFactor[] {
  const out: ScoreFactor[] = [];
  const add = (name: string, label: string, contribution: number) => {
    if (contribution !== 0 && Number.isFinite(contribution)) out.push({ name, label, contribution: round3(contribution), sign: contribution > 0 ? 1 : -1 });
  };
  const u = clampInterval(intervalDays);
  if (f.daysSinceLastVisit === null) {
    add('neverVisited', inactivityText(f, u), 1 + Math.log2(1 + daysInactive(f) / u));
  } else {
    const ratio = f.daysSinceLastVisit / u;
    // Beyond 1.5 intervals it raises the risk, within one it lowers it; the log keeps 3× and 6× apart.
    add('inactivityRatio', inactivityText(f, u), ratio >= 1.5 ? Math.log2(ratio) + 0.5 : ratio <= 1 ? -0.8 : 0.2);
    if (f.visitDays === 1) add('frequency', 'veio uma única vez', 0.6);
    else if (f.visitDays >= 3) add('frequency', `${visitsText(f)} em ${howLongAgo(Math.max(1, f.T))}`, -Math.log2(f.visitDays) / 2);
  }
  if (f.lastNpsDetractor) add('lastNpsDetractor', factorLabel('lastNpsDetractor', f, [], u, 1), 0.9);
  else if (f.lastNpsScore !== null && f.lastNpsScore >= 9) add('lastNpsPromoter', `última nota NPS ${f.lastNpsScore} (promotora)`, -0.5);
  if (f.lastCommentNegative) add('lastCommentNegative', 'último comentário negativo', 0.7);
  if (f.noShows) add('noShows', plural(f.noShows, 'falta', 'faltas'), 0.35 * f.noShows);
  if (f.cancellations >= 2) add('cancellations', plural(f.cancellations, 'cancelamento', 'cancelamentos'), 0.2 * f.cancellations);
  if (f.repliedLastMessage) add('repliedLastMessage', 'respondeu à última mensagem da clínica', -0.4);
  if (f.returnedAfterReactivation) add('returnedAfterReactivation', 'já voltou depois de um convite de reativação', -0.5);
  else if (f.reactivationContacts) add('reactivationContacts', `${plural(f.reactivationContacts, 'convite', 'convites')} de reativação sem retorno`, 0.4 * f.reactivationContacts);
  return out.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)).slice(0, Math.max(0, k));
}

/** What each feature is, for the model's page (pt-BR). */
export const FEATURE_LABELS: Record<string, string> = {
  frequency: 'Visitas de retorno',
  recency: 'Tempo entre a primeira e a última visita',
  T: 'Tempo desde a primeira visita',
  timeSinceLastVisit: 'Dias sem vir',
  pAlive: 'Chance de ainda ser paciente (BG/NBD)',
  expectedVisits: 'Visitas esperadas em 12 meses',
  inactivityRatio: 'Dias sem vir ÷ intervalo habitual',
  lastNpsDetractor: 'Última nota NPS de detratora',
  lastCommentNegative: 'Último comentário negativo',
  noShows: 'Faltas',
  cancellations: 'Cancelamentos',
  repliedLastMessage: 'Respondeu à última mensagem da clínica',
  reactivationContacts: 'Convites de reativação anteriores',
  returnedAfterReactivation: 'Já voltou depois de uma reativação',
};

/**
 * Which features tell the same story, so that a learned model's reasons are not shown twice (days since
 * the last visit and the same in her intervals; frequency, recency and T; P(alive) and expected visits).
 */
const FACTOR_GROUP: Record<string, string> = {
  timeSinceLastVisit: 'inactivity', inactivityRatio: 'inactivity', frequency: 'history', recency: 'history', T: 'history',
  pAlive: 'outlook', expectedVisits: 'outlook',
};

/**
 * A learned model's top `k` reasons for this patient: its per-feature contributions (log-odds, as
 * domain/lifetime topFactors gives them) summed within each group of FACTOR_GROUP, strongest first,
 * each labelled in pt-BR for her. For a patient who never came, her history is her inactivity.
 */
export function modelFactors(contributions: readonly { name: string; contribution: number }[], f: PatientFacts, features: readonly number[], intervalDays: number, k = 3): ScoreFactor[] {
  const sums = new Map<string, number>();
  for (const c of contributions) {
    let group = FACTOR_GROUP[c.name] ?? c.name;
    if (group === 'history' && f.visitDays === 0) group = 'inactivity';
    sums.set(group, (sums.get(group) ?? 0) + (Number.isFinite(c.contribution) ? c.contribution : 0));
  }
  const label = (group: string, sign: 1 | -1): string => {
    switch (group) {
      case 'inactivity':
        return inactivityText(f, intervalDays);
      case 'history':
        return f.visitDays === 1 ? 'veio uma única vez' : `${visitsText(f)} em ${howLongAgo(Math.max(1, f.T))}`;
      case 'outlook':
        return factorLabel('pAlive', f, features, intervalDays, sign);
      default:
        return factorLabel(group, f, features, intervalDays, sign);
    }
  };
  return [...sums.entries()]
    .filter(([, v]) => Math.abs(v) > 1e-9)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, Math.max(0, k))
    .map(([group, v]) => {
      const sign = v > 0 ? 1 : -1;
      return { name: group, label: label(group, sign), contribution: round3(v), sign };
    });
}
