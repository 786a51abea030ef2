// The clinic's settings (clinics.settings, JSON): their shape, and every default and valid range in one
// place. Each reader takes the stored JSON and answers with the effective values; a value missing or
// out of range falls back to its default, so a bad row never breaks a journey.
import type { ContraindicationRule } from './upsell';
import { surveyTextsOf, type SurveyTexts } from './survey-texts';

/** Per-clinic preferences kept as JSON (read with defaults; every key is optional). */
export interface ClinicSettings {
  /** The clinic's WhatsApp sender in E.164 (used to route inbound messages). */
  whatsappNumber?: string;
  /** The clinic's contact e-mail (reply-to of outbound e-mails). */
  email?: string;
  reminders?: { h24?: boolean; h2?: boolean; smsBackup?: boolean; emailBackup?: boolean };
  /** Minutes after an appointment ends before the journey marks it no_show if nobody marked the outcome (default 60). */
  noShowGraceMinutes?: number;
  /** Hours after a completed appointment before the NPS survey is sent (brief: 24). */
  npsDelayHours?: number;
  /** Discount offered to promoters (NPS 9-10), in percent. */
  upsellDiscountPercent?: number;
  /** Days without an appointment after which a patient counts as inactive (brief: 90). */
  reactivationAfterDays?: number;
  /** Loyalty points earned per real (R$ 1,00) paid. */
  loyaltyPointsPerReal?: number;
  /** Qualification score above which Anna suggests booking (brief: 70). */
  qualificationThreshold?: number;
  /** Anna, the WhatsApp assistant (issue #6); every key optional with a default (leadSettingsOf, annaLimitsOf). */
  anna?: AnnaSettings;
  brandColor?: string;
  /** How free slots are offered (defaults: DEFAULT_SLOT_SETTINGS). */
  slotSettings?: SlotSettings;
  /** Charges, deposits and commissions (issue #5); every key optional with a safe default. */
  payments?: ClinicPaymentSettings;
  /** After the visit (issue #11): NPS survey timing and consent rule, coupons, upsell; see afterVisitSettingsOf. */
  afterVisit?: AfterVisitSettings;
  /** Loyalty (issue #12): points per real, expiry, tiers; read by domain/loyalty.ts loyaltySettingsOf with defaults. */
  loyalty?: { pointsPerReal?: number; expiryMonths?: number; tiers?: { prata?: number; ouro?: number; platina?: number } };
  /** Reactivation (issue #12): the sweep's rules; read by domain/reactivation.ts reactivationSettingsOf with defaults. */
  reactivation?: Record<string, number>;
  /** Reports (issue #13): the monthly report e-mailed on the 1st; read by reportSettingsOf. */
  reports?: { monthlyEmail?: { enabled?: boolean; recipients?: string[] } };
}

/** At most this many addresses receive the monthly report. */
export const MAX_REPORT_RECIPIENTS = 10;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const isEmailAddress = (s: string) => s.length <= 254 && EMAIL_RE.test(s);

export interface ReportSettings {
  monthlyEmail: { enabled: boolean; recipients: string[] };
}

/** The monthly e-mail's settings: off by default; only well-formed, distinct addresses, at most ten. */
export function reportSettingsOf(s: ClinicSettings | null | undefined): ReportSettings {
  const m = s?.reports?.monthlyEmail;
  const recipients = Array.isArray(m?.recipients)
    ? [...new Set(m.recipients.filter((r): r is string => typeof r === 'string').map((r) => r.trim().toLowerCase()).filter(isEmailAddress))].slice(0, MAX_REPORT_RECIPIENTS)
    : [];
  return { monthlyEmail: { enabled: m?.enabled === true && recipients.length > 0, recipients } };
}

/** A discount: percent off (1–100) or a value off in centavos. */
export type DiscountRule = { percent: number } | { cents: number };

export interface CouponRule {
  discount?: DiscountRule;
  /** Days the coupon is valid (1–365). */
  validityDays?: number;
  /** Smallest charge it applies to, in centavos. */
  minChargeCents?: number;
}

/** A clinic rule the upsell never breaks (domain/upsell.ts): a minimum gap within a group, or a pair never together. */
export type UpsellContraindication = ContraindicationRule;

export interface AfterVisitSettings {
  /** Hours without an answer before the one NPS reminder (default 48). */
  npsReminderHours?: number;
  /** Days after sending before an unanswered survey expires as sem_resposta (default 7). */
  npsExpiryDays?: number;
  /**
   * Whether the survey counts as part of the care (transactional, default) or as marketing: a patient
   * without marketing consent gets it only when transactional. Coupons and upsell are always marketing.
   */
  npsBasis?: 'transactional' | 'marketing';
  /** The detractors' apology coupon (default 15% for 30 days, no minimum). */
  detractorCoupon?: CouponRule;
  /** Days a promoter's upsell offer stays open (default 14); its coupon is valid as long. */
  upsellOfferDays?: number;
  /** Procedures the upsell never combines (in addition to the rhythm and inactive-procedure rules). */
  upsellContraindications?: UpsellContraindication[];
  /** The clinic's own wording of the survey's messages (domain/survey-texts.ts); absent kinds use the defaults. */
  texts?: SurveyTexts;
}

export interface AnnaSettings {
  /** false: unknown numbers go straight to the staff queue (default true). */
  enabled?: boolean;
  /** Hours after the staff-queue hand-off before Anna sends a follow-up (default 24). */
  followUpDelayHours?: number;
  /** Hours of silence before one nudge (default 24) and before the conversation is abandoned (default 72). */
  nudgeAfterHours?: number;
  abandonAfterHours?: number;
  /** Minutes the lead has to pay the deposit before the slot is released (default 60). */
  paymentDeadlineMinutes?: number;
  /** OpenAI model (default gpt-4o-mini), per-clinic calls per minute (brief: 20) and monthly budget in millionths of a dollar. */
  model?: string;
  ratePerMinute?: number;
  monthlyBudgetMicroUsd?: number;
}

/** How the clinic charges: cap per charge, deposit (sinal) per procedure, card fees and commissions. */
export interface ClinicPaymentSettings {
  /** Largest single charge in centavos (default PAYMENT_MAX_CENTS, R$ 50.000,00). */
  maxChargeCents?: number;
  /** Deposit asked at booking per procedure id: a share in basis points or a fixed amount in centavos. */
  deposits?: Record<string, { bps?: number; cents?: number }>;
  /** Hours after booking by which the deposit must be paid (default 24). */
  depositDeadlineHours?: number;
  /** Card fee in basis points the clinic pays (used for commissions when Stripe's fee is unknown). */
  cardFeeBps?: number;
  /** Deduct card fees from the amount before computing a professional's commission (default false). */
  commissionAfterCardFees?: boolean;
  /** Fixed commission per procedure id in centavos, overriding the professional's percentage. */
  fixedCommissionCents?: Record<string, number>;
  /** Stripe Connect account (acct_…) per professional id: commissions paid out by transfer. */
  connectedAccounts?: Record<string, string>;
}

/** Slot finding: grid step, gaps around each appointment, how soon and how far ahead one can book. */
export interface SlotSettings {
  /** Step between offered start times (5–120). */
  slotIntervalMinutes: number;
  /** Free time kept before each appointment (0–120). */
  bufferBeforeMinutes: number;
  /** Free time kept after each appointment, e.g. cleaning the room (0–120). */
  bufferAfterMinutes: number;
  /** Earliest bookable start, from now (0–10080). */
  minNoticeMinutes: number;
  /** Latest bookable day, in days from today (1–365). */
  horizonDays: number;
}

// ── Scheduling ────────────────────────────────────────────────────────────────────────────────

export const DEFAULT_SLOT_SETTINGS: SlotSettings = {
  slotIntervalMinutes: 15,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 10,
  minNoticeMinutes: 120,
  horizonDays: 60,
};

/** Allowed range of each slot setting (inclusive). */
export const SLOT_SETTING_LIMITS: Readonly<Record<keyof SlotSettings, readonly [number, number]>> = Object.freeze({
  slotIntervalMinutes: [5, 120],
  bufferBeforeMinutes: [0, 120],
  bufferAfterMinutes: [0, 120],
  minNoticeMinutes: [0, 10080],
  horizonDays: [1, 365],
});

export function slotSettingsOf(settings: ClinicSettings | null | undefined): SlotSettings {
  const stored = (settings?.slotSettings ?? {}) as Partial<Record<keyof SlotSettings, unknown>>;
  const out = { ...DEFAULT_SLOT_SETTINGS };
  for (const key of Object.keys(SLOT_SETTING_LIMITS) as Array<keyof SlotSettings>) {
    const v = stored[key];
    const [min, max] = SLOT_SETTING_LIMITS[key];
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) out[key] = v;
  }
  return out;
}

// ── The appointment journey ───────────────────────────────────────────────────────────────────

export const DEFAULT_NO_SHOW_GRACE_MINUTES = 60;
export const DEFAULT_NPS_DELAY_HOURS = 24;

export interface AppointmentJourneySettings {
  /** Minutes after the visit's end before an unmarked appointment becomes no_show. */
  noShowGraceMinutes: number;
  /** Hours after realizado before the NPS journey starts. */
  npsDelayHours: number;
}

export function appointmentJourneySettingsOf(s: ClinicSettings | null | undefined): AppointmentJourneySettings {
  return {
    noShowGraceMinutes: Number.isInteger(s?.noShowGraceMinutes) && s!.noShowGraceMinutes! >= 0 ? s!.noShowGraceMinutes! : DEFAULT_NO_SHOW_GRACE_MINUTES,
    npsDelayHours: typeof s?.npsDelayHours === 'number' && s.npsDelayHours >= 0 ? s.npsDelayHours : DEFAULT_NPS_DELAY_HOURS,
  };
}

// ── After the visit (issue #11) ──────────────────────────────────────────────────────────────

export const DEFAULT_AFTER_VISIT = {
  npsReminderHours: 48,
  npsExpiryDays: 7,
  npsBasis: 'transactional',
  detractorCoupon: { discount: { percent: 15 }, validityDays: 30, minChargeCents: 0 },
  upsellDiscountPercent: 10,
  upsellOfferDays: 14,
} as const;

export interface EffectiveCouponRule { discount: DiscountRule; validityDays: number; minChargeCents: number }

export interface EffectiveAfterVisitSettings {
  npsDelayHours: number;
  npsReminderHours: number;
  npsExpiryDays: number;
  npsBasis: 'transactional' | 'marketing';
  detractorCoupon: EffectiveCouponRule;
  upsellDiscountPercent: number;
  upsellOfferDays: number;
  upsellContraindications: UpsellContraindication[];
  /** Only the valid texts the clinic wrote; a kind absent here is sent with the default of domain/nps.ts. */
  texts: SurveyTexts;
}

const intIn = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** A discount rule, or null when it is not one (percent 1–100, or 1 centavo to R$ 100.000,00). */
export function discountRuleOf(v: unknown): DiscountRule | null {
  const d = v as { percent?: unknown; cents?: unknown } | null;
  if (!d || typeof d !== 'object') return null;
  if (intIn(d.percent, 1, 100) && d.cents === undefined) return { percent: d.percent };
  if (intIn(d.cents, 1, 10_000_000) && d.percent === undefined) return { cents: d.cents };
  return null;
}

const CATEGORIES = ['facial', 'corporal', 'capilar', 'outra'];
const isStringArray = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
function isContraindication(r: unknown): r is ContraindicationRule {
  const x = r as Record<string, unknown> | null;
  if (!x || typeof x !== 'object') return false;
  if (x.kind === 'min_gap_days') {
    return intIn(x.days, 1, 3650) && (x.categories === undefined || (isStringArray(x.categories) && (x.categories as string[]).every((c) => CATEGORIES.includes(c))))
      && (x.procedureIds === undefined || isStringArray(x.procedureIds));
  }
  if (x.kind === 'never_together') return typeof x.a === 'string' && typeof x.b === 'string' && (x.days === undefined || intIn(x.days, 1, 3650));
  return false;
}

export function afterVisitSettingsOf(s: ClinicSettings | null | undefined): EffectiveAfterVisitSettings {
  const a = (s?.afterVisit ?? {}) as AfterVisitSettings;
  const c = (a.detractorCoupon ?? {}) as CouponRule;
  const d = DEFAULT_AFTER_VISIT;
  const contraindications = Array.isArray(a.upsellContraindications)
    ? a.upsellContraindications.filter(isContraindication)
    : [];
  return {
    npsDelayHours: appointmentJourneySettingsOf(s).npsDelayHours,
    npsReminderHours: intIn(a.npsReminderHours, 1, 24 * 30) ? a.npsReminderHours : d.npsReminderHours,
    npsExpiryDays: intIn(a.npsExpiryDays, 1, 90) ? a.npsExpiryDays : d.npsExpiryDays,
    npsBasis: a.npsBasis === 'marketing' ? 'marketing' : d.npsBasis,
    detractorCoupon: {
      discount: discountRuleOf(c.discount) ?? d.detractorCoupon.discount,
      validityDays: intIn(c.validityDays, 1, 365) ? c.validityDays : d.detractorCoupon.validityDays,
      minChargeCents: intIn(c.minChargeCents, 0, 10_000_000) ? c.minChargeCents : d.detractorCoupon.minChargeCents,
    },
    upsellDiscountPercent: intIn(s?.upsellDiscountPercent, 0, 100) ? s!.upsellDiscountPercent! : d.upsellDiscountPercent,
    upsellOfferDays: intIn(a.upsellOfferDays, 1, 90) ? a.upsellOfferDays : d.upsellOfferDays,
    upsellContraindications: contraindications,
    texts: surveyTextsOf(a.texts),
  };
}

// ── Anna ──────────────────────────────────────────────────────────────────────────────────────

export const DEFAULT_ANNA = {
  threshold: 70,
  followUpDelayHours: 24,
  nudgeAfterHours: 24,
  abandonAfterHours: 72,
  paymentDeadlineMinutes: 60,
} as const;

export interface LeadSettings {
  enabled: boolean;
  threshold: number;
  followUpDelayHours: number;
  nudgeAfterHours: number;
  abandonAfterHours: number;
  paymentDeadlineMinutes: number;
}

/** The clinic's Anna settings over the defaults. */
export function leadSettingsOf(s: ClinicSettings | null | undefined): LeadSettings {
  const a = s?.anna ?? {};
  const num = (v: unknown, min: number, max: number, d: number) => (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : d);
  return {
    enabled: a.enabled !== false,
    threshold: num(s?.qualificationThreshold, 0, 100, DEFAULT_ANNA.threshold),
    followUpDelayHours: num(a.followUpDelayHours, 0, 24 * 30, DEFAULT_ANNA.followUpDelayHours),
    nudgeAfterHours: num(a.nudgeAfterHours, 1, 24 * 30, DEFAULT_ANNA.nudgeAfterHours),
    abandonAfterHours: num(a.abandonAfterHours, 2, 24 * 60, DEFAULT_ANNA.abandonAfterHours),
    paymentDeadlineMinutes: num(a.paymentDeadlineMinutes, 5, 24 * 60, DEFAULT_ANNA.paymentDeadlineMinutes),
  };
}

/** OpenAI per clinic: calls per minute (brief: 20) and the monthly budget in millionths of a dollar (US$ 20). */
export const DEFAULT_RATE_PER_MINUTE = 20;
export const DEFAULT_MONTHLY_BUDGET_MICRO_USD = 20_000_000;

export interface AnnaLimits {
  model: string | null;
  ratePerMinute: number;
  monthlyBudgetMicroUsd: number;
}

export function annaLimitsOf(s: ClinicSettings | null | undefined): AnnaLimits {
  const anna: AnnaSettings = s?.anna ?? {};
  const nonNegativeInt = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : fallback);
  return {
    model: typeof anna.model === 'string' && anna.model.trim() ? anna.model.trim() : null,
    ratePerMinute: nonNegativeInt(anna.ratePerMinute, DEFAULT_RATE_PER_MINUTE),
    monthlyBudgetMicroUsd: nonNegativeInt(anna.monthlyBudgetMicroUsd, DEFAULT_MONTHLY_BUDGET_MICRO_USD),
  };
}

// ── Payments ──────────────────────────────────────────────────────────────────────────────────

export function paymentSettingsOf(s: ClinicSettings | null | undefined): ClinicPaymentSettings {
  return s?.payments ?? {};
}
