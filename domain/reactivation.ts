// Reactivation (issue #12, Flow 6 "Reativação"), pure: the clinic's settings read with safe defaults
// (a corrupted value never floods patients), who is eligible for a sweep, the "saudade" message in
// correct pt-BR, and what counts as the patient coming back.

import { clinicAfterDe, formatDiscount, professionalReference, type PatientGender, type ProfessionalGender } from './nps';
import { firstName } from './payment-message';

export interface ReactivationSettings {
  /** Days since the last realised visit before a patient counts as inactive (brief: 90). */
  afterDays: number;
  /** Churn risk (0–100) above which an inactive patient is contacted. */
  minRisk: number;
  /** Days after a reactivation (contacted or control) before the patient can be picked again. */
  cooldownDays: number;
  /** Most journeys started per clinic per day; the rest wait for the next days. */
  dailyLimit: number;
  /** Share of the eligible held out as the control group (never contacted), 0–0.5. */
  holdoutShare: number;
  /** Days without an answer before the one follow-up. */
  followUpDays: number;
  /** Days after the message in which a booking counts as the patient coming back. */
  windowDays: number;
  /** The special discount, as a coupon valid `couponValidityDays`. */
  discountPercent: number;
  couponValidityDays: number;
}

export const DEFAULT_REACTIVATION: ReactivationSettings = {
  afterDays: 90, minRisk: 70, cooldownDays: 120, dailyLimit: 50, holdoutShare: 0.1, followUpDays: 5, windowDays: 45,
  discountPercent: 15, couponValidityDays: 30,
};

const intIn = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/**
 * The clinic's settings (clinics.settings.reactivation, and the brief's top-level reactivationAfterDays),
 * each value checked and replaced by its default when out of range: a threshold of 500 days or a
 * holdout share of 2.0 falls back to 90 and 10%, and the sweep says so in its result (`corrected`).
 */
export function reactivationSettingsOf(s: { reactivationAfterDays?: unknown; reactivation?: unknown } | null | undefined): ReactivationSettings & { corrected: string[] } {
  const r = (s?.reactivation && typeof s.reactivation === 'object' ? s.reactivation : {}) as Record<string, unknown>;
  const d = DEFAULT_REACTIVATION;
  const corrected: string[] = [];
  const pick = <K extends keyof ReactivationSettings>(key: K, raw: unknown, ok: (v: unknown) => boolean): ReactivationSettings[K] => {
    if (raw === undefined || raw === null) return d[key];
    if (ok(raw)) return raw as ReactivationSettings[K];
    corrected.push(key);
    return d[key];
  };
  return {
    afterDays: pick('afterDays', r.afterDays ?? s?.reactivationAfterDays, (v) => intIn(v, 30, 365)),
    minRisk: pick('minRisk', r.minRisk, (v) => intIn(v, 0, 100)),
    cooldownDays: pick('cooldownDays', r.cooldownDays, (v) => intIn(v, 7, 730)),
    dailyLimit: pick('dailyLimit', r.dailyLimit, (v) => intIn(v, 1, 1000)),
    holdoutShare: pick('holdoutShare', r.holdoutShare, (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 0.5),
    followUpDays: pick('followUpDays', r.followUpDays, (v) => intIn(v, 1, 30)),
    windowDays: pick('windowDays', r.windowDays, (v) => intIn(v, 7, 180)),
    discountPercent: pick('discountPercent', r.discountPercent, (v) => intIn(v, 0, 100)),
    couponValidityDays: pick('couponValidityDays', r.couponValidityDays, (v) => intIn(v, 1, 365)),
    corrected,
  };
}

export interface EligibilityFacts {
  /** Days since the last realised visit (null: never came). */
  daysSinceLastVisit: number | null;
  risk: number;
  /** Marketing consent granted on some channel the clinic can reach her on, and no opt-out of it. */
  marketingReachable: boolean;
  openAppointment: boolean;
  /** Days since her last reactivation (contacted or control); null: never. */
  daysSinceLastReactivation: number | null;
  /** An NPS survey or upsell offer of hers still running. */
  inAfterVisitJourney: boolean;
  deleted: boolean;
}

export type Ineligible = 'deleted' | 'never_visited' | 'recent_visit' | 'low_risk' | 'no_consent' | 'open_appointment' | 'cooldown' | 'after_visit_journey';

/** Why a patient is not swept today, or null when she is eligible. */
export function ineligibility(f: EligibilityFacts, s: Pick<ReactivationSettings, 'afterDays' | 'minRisk' | 'cooldownDays'>): Ineligible | null {
  if (f.deleted) return 'deleted';
  if (f.daysSinceLastVisit === null) return 'never_visited';
  if (f.daysSinceLastVisit < s.afterDays) return 'recent_visit';
  if (f.risk <= s.minRisk) return 'low_risk';
  if (!f.marketingReachable) return 'no_consent';
  if (f.openAppointment) return 'open_appointment';
  if (f.daysSinceLastReactivation !== null && f.daysSinceLastReactivation < s.cooldownDays) return 'cooldown';
  if (f.inAfterVisitJourney) return 'after_visit_journey';
  return null;
}

/** "3 meses", "1 ano e 2 meses", "45 dias": how long since the last visit, as the message says it. */
export function howLongAgo(days: number): string {
  if (days < 60) return `${days} dias`;
  const months = Math.round(days / 30.4375);
  if (months < 12) return `${months} meses`;
  const years = Math.floor(months / 12);
  const rest = months % 12;
  const y = years === 1 ? '1 ano' : `${years} anos`;
  return rest ? `${y} e ${rest === 1 ? '1 mês' : `${rest} meses`}` : y;
}

export interface SaudadeFacts {
  patientName: string;
  patientGender?: PatientGender | null;
  clinicName: string;
  lastProcedure: string | null;
  lastProfessional: string | null;
  lastProfessionalGender?: ProfessionalGender | null;
  daysSinceLastVisit: number;
  coupon: { code: string; discount: { percent: number } | { cents: number }; validUntil: string } | null;
  bookingUrl: string;
}

const dayBr = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

/** The "saudade" message: her history, the special discount, the booking link. */
export function saudadeMessage(f: SaudadeFacts): string {
  const name = firstName(f.patientName);
  const who = f.lastProfessional ? professionalReference(f.lastProfessional, f.lastProfessionalGender) : '';
  const history = f.lastProcedure
    ? `Faz ${howLongAgo(f.daysSinceLastVisit)} desde o seu atendimento de ${f.lastProcedure}${who ? ` com ${who}` : ''}.`
    : `Faz ${howLongAgo(f.daysSinceLastVisit)} desde sua última visita.`;
  const offer = f.coupon
    ? ` Para você voltar a se cuidar com a gente, preparamos um presente: ${formatDiscount(f.coupon.discount)} de desconto com o cupom *${f.coupon.code}*, válido até ${dayBr(f.coupon.validUntil)}.`
    : '';
  return `Olá${name ? `, ${name}` : ''}! Aqui é ${clinicAfterDe(f.clinicName)}, e estamos com saudade de você 💛 ${history}${offer}\n\nEscolha o melhor horário por aqui: ${f.bookingUrl}`;
}

/** The one follow-up, a few days later. */
export function saudadeFollowUp(f: Pick<SaudadeFacts, 'patientName' | 'coupon' | 'bookingUrl'>): string {
  const name = firstName(f.patientName);
  const coupon = f.coupon ? ` Seu cupom *${f.coupon.code}* vale até ${dayBr(f.coupon.validUntil)}.` : '';
  return `Oi${name ? `, ${name}` : ''}! Passando só para lembrar: ainda dá tempo de agendar.${coupon} ${f.bookingUrl}\n\nSe preferir não receber estas mensagens, responda SAIR.`;
}

/** The answer to "não tenho interesse": no more reactivation messages for a while. */
export function notInterestedAck(): string {
  return 'Tudo bem, agradecemos por avisar! Não vamos mais enviar convites por enquanto. Se quiser voltar, é só chamar por aqui. 💛';
}

const NOT_INTERESTED = /\b(nao|n)\s*(tenho|tenh)?\s*(mais\s+)?interess|\bsem\s+interesse|\bnao\s+quero\b|\bpare\s+de\s+mandar|\bnao\s+me\s+mande/;

/** "Não tenho interesse", "não quero", "pare de mandar" (after accents are folded). */
export function saysNotInterested(folded: string): boolean {
  return NOT_INTERESTED.test(folded);
}
