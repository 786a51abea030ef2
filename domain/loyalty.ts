// The loyalty programme's rules (issue #12), pure: points earned on a paid, realised visit, what a
// refund takes back, tiers by the points of the last 12 months, which points expire when (oldest first),
// and whether a reward can be redeemed. The ledger (loyalty_transactions) is the truth; the account's
// balance is its sum, kept beside it so the check "never negative" is one row.

export type LoyaltyTier = 'bronze' | 'prata' | 'ouro' | 'platina';
export const LOYALTY_TIERS: readonly LoyaltyTier[] = ['bronze', 'prata', 'ouro', 'platina'];
export const TIER_LABEL: Readonly<Record<LoyaltyTier, string>> = { bronze: 'Bronze', prata: 'Prata', ouro: 'Ouro', platina: 'Platina' };

export interface LoyaltySettings {
  /** Points per R$ 1,00 paid (0 turns the programme off; fractions allowed, e.g. 0.5). */
  pointsPerReal: number;
  /** Months a credit lasts before it expires (0: never). */
  expiryMonths: number;
  /** Points earned in the last 12 months to reach each tier (bronze is 0). */
  tiers: { prata: number; ouro: number; platina: number };
}

export const DEFAULT_LOYALTY: LoyaltySettings = { pointsPerReal: 1, expiryMonths: 12, tiers: { prata: 1000, ouro: 3000, platina: 6000 } };

const intIn = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/**
 * The clinic's settings, each value checked and replaced by its default when it is not one (a corrupted
 * setting never stops the ledger). `pointsPerReal` is read from the clinic's top-level
 * loyaltyPointsPerReal (the brief's field) unless loyalty.pointsPerReal is set.
 */
export function loyaltySettingsOf(s: { loyaltyPointsPerReal?: unknown; loyalty?: unknown } | null | undefined): LoyaltySettings {
  const l = (s?.loyalty ?? {}) as Record<string, unknown>;
  const rate = l.pointsPerReal ?? s?.loyaltyPointsPerReal;
  const pointsPerReal = typeof rate === 'number' && Number.isFinite(rate) && rate >= 0 && rate <= 100 ? Math.round(rate * 100) / 100 : DEFAULT_LOYALTY.pointsPerReal;
  const expiryMonths = intIn(l.expiryMonths, 0, 120) ? l.expiryMonths : DEFAULT_LOYALTY.expiryMonths;
  const t = (l.tiers ?? {}) as Record<string, unknown>;
  const d = DEFAULT_LOYALTY.tiers;
  const prata = intIn(t.prata, 1, 10_000_000) ? t.prata : d.prata;
  const ouro = intIn(t.ouro, 1, 10_000_000) ? t.ouro : d.ouro;
  const platina = intIn(t.platina, 1, 10_000_000) ? t.platina : d.platina;
  // Thresholds out of order are not a ladder: fall back to the defaults as a whole.
  const tiers = prata < ouro && ouro < platina ? { prata, ouro, platina } : { ...d };
  return { pointsPerReal, expiryMonths, tiers };
}

/** Points for a payment of `amountCents` (what was actually paid, after any coupon): whole points, rounded down. */
export function pointsForPayment(amountCents: number, pointsPerReal: number): number {
  if (!Number.isFinite(amountCents) || amountCents <= 0 || !(pointsPerReal > 0)) return 0;
  // In hundredths of a point per centavo, integers only: 1.5 points/real × R$ 10,01 = 15 points.
  return Math.floor((Math.round(amountCents) * Math.round(pointsPerReal * 100)) / 10_000);
}

/**
 * What one refund takes back of a payment's credit, in proportion: `before` centavos were refunded
 * already, `refundCents` now. The reversals of a full refund add up to the credit exactly.
 */
export function pointsToReverse(credited: number, amountCents: number, before: number, refundCents: number): number {
  if (credited <= 0 || amountCents <= 0 || refundCents <= 0) return 0;
  const upTo = (cents: number) => Math.floor((credited * Math.min(amountCents, Math.max(0, cents))) / amountCents);
  return upTo(before + refundCents) - upTo(before);
}

/** The tier for the points earned in the last 12 months. */
export function tierFor(points12m: number, tiers: LoyaltySettings['tiers']): LoyaltyTier {
  if (points12m >= tiers.platina) return 'platina';
  if (points12m >= tiers.ouro) return 'ouro';
  if (points12m >= tiers.prata) return 'prata';
  return 'bronze';
}

export const tierRank = (t: LoyaltyTier): number => LOYALTY_TIERS.indexOf(t);

/** The next tier and how many points (in the 12-month window) it still takes; null at platina. */
export function nextTier(points12m: number, tiers: LoyaltySettings['tiers']): { tier: LoyaltyTier; missing: number } | null {
  const current = tierFor(points12m, tiers);
  if (current === 'platina') return null;
  const next = LOYALTY_TIERS[tierRank(current) + 1]!;
  return { tier: next, missing: tiers[next as 'prata' | 'ouro' | 'platina'] - points12m };
}

export type LedgerKind = 'creditados' | 'resgatados' | 'expirados' | 'estornados';
export interface LedgerEntry {
  kind: LedgerKind;
  points: number;
  at: Date;
  /** Credits: when they expire (null: never). */
  expiresAt?: Date | null;
}

const isCredit = (e: LedgerEntry) => e.kind === 'creditados';

/** The balance the ledger says: credits minus everything that left. */
export function ledgerBalance(entries: readonly LedgerEntry[]): number {
  return entries.reduce((sum, e) => sum + (isCredit(e) ? e.points : -e.points), 0);
}

/**
 * The credits still unspent, oldest first: every debit (a reward, an expiry, a reversal) uses the
 * oldest points first, so what expires is what was earned longest ago and not used.
 */
export function openLots(entries: readonly LedgerEntry[]): { at: Date; expiresAt: Date | null; remaining: number }[] {
  const lots = entries.filter(isCredit).slice().sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((e) => ({ at: e.at, expiresAt: e.expiresAt ?? null, remaining: e.points }));
  let debit = entries.filter((e) => !isCredit(e)).reduce((s, e) => s + e.points, 0);
  for (const lot of lots) {
    const used = Math.min(lot.remaining, debit);
    lot.remaining -= used;
    debit -= used;
  }
  return lots.filter((l) => l.remaining > 0);
}

/** The points whose lots expire at or before `at` and are still unspent (what an expiry run takes). */
export function pointsExpiringBy(entries: readonly LedgerEntry[], at: Date): number {
  return openLots(entries).filter((l) => l.expiresAt && l.expiresAt.getTime() <= at.getTime()).reduce((s, l) => s + l.remaining, 0);
}

/** The earliest expiry among the unspent points after `after`, with how many points expire then. */
export function nextExpiry(entries: readonly LedgerEntry[], after: Date): { at: Date; points: number } | null {
  const lots = openLots(entries).filter((l) => l.expiresAt && l.expiresAt.getTime() > after.getTime());
  if (!lots.length) return null;
  const first = lots.reduce((m, l) => (l.expiresAt!.getTime() < m.getTime() ? l.expiresAt! : m), lots[0]!.expiresAt!);
  return { at: first, points: lots.filter((l) => l.expiresAt!.getTime() === first.getTime()).reduce((s, l) => s + l.remaining, 0) };
}

/** Points earned in the 12 months up to `at`, net of what refunds took back (the tier's measure). */
export function pointsInLast12Months(entries: readonly LedgerEntry[], at: Date): number {
  const from = new Date(at);
  from.setUTCFullYear(from.getUTCFullYear() - 1);
  const inWindow = (e: LedgerEntry) => e.at.getTime() > from.getTime() && e.at.getTime() <= at.getTime();
  const earned = entries.filter((e) => inWindow(e) && e.kind === 'creditados').reduce((s, e) => s + e.points, 0);
  const reversed = entries.filter((e) => inWindow(e) && e.kind === 'estornados').reduce((s, e) => s + e.points, 0);
  return Math.max(0, earned - reversed);
}

/** When a credit made at `at` expires (null: never), by calendar months. */
export function creditExpiry(at: Date, expiryMonths: number): Date | null {
  if (expiryMonths <= 0) return null;
  const d = new Date(at);
  d.setUTCMonth(d.getUTCMonth() + expiryMonths);
  return d;
}

export interface RewardFacts {
  active: boolean;
  pointsRequired: number;
  maxUses: number | null;
  /** How many times this patient already redeemed it. */
  usedByPatient: number;
}

export type RedeemRefusal = 'reward_inactive' | 'insufficient_points' | 'reward_max_uses';

/** Why a reward cannot be redeemed now, or null when it can. */
export function redeemRefusal(balance: number, r: RewardFacts): RedeemRefusal | null {
  if (!r.active) return 'reward_inactive';
  if (r.maxUses !== null && r.usedByPatient >= r.maxUses) return 'reward_max_uses';
  if (balance < r.pointsRequired) return 'insufficient_points';
  return null;
}

export const REDEEM_REFUSAL_TEXT: Readonly<Record<RedeemRefusal, string>> = {
  reward_inactive: 'Esta recompensa não está mais disponível.',
  insufficient_points: 'Pontos insuficientes para esta recompensa.',
  reward_max_uses: 'Este paciente já resgatou esta recompensa o número máximo de vezes.',
};

/** "1.234 pontos" / "1 ponto". */
export function formatPoints(n: number): string {
  return `${n.toLocaleString('pt-BR')} ${Math.abs(n) === 1 ? 'ponto' : 'pontos'}`;
}

// ── Messages ──────────────────────────────────────────────────────────────────────────────────

const first = (name: string) => String(name ?? '').trim().split(/\s+/)[0] ?? '';
const dayBr = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

/** 30 days before: "1.200 pontos vencem em 15/01/2027". */
export function expiryNoticeText(f: { patientName: string; clinicName: string; points: number; expiresOn: string; balance: number }): string {
  const name = first(f.patientName);
  return `Olá${name ? `, ${name}` : ''}! Seus pontos na ${f.clinicName.trim() || 'clínica'}: ${formatPoints(f.points)} vencem em ${dayBr(f.expiresOn)}. `
    + `Seu saldo hoje é de ${formatPoints(f.balance)}; troque por uma recompensa no seu próximo atendimento. Responda SALDO para ver as recompensas.`;
}

/** Reached a new tier. */
export function tierUpText(f: { patientName: string; clinicName: string; tier: LoyaltyTier }): string {
  const name = first(f.patientName);
  return `Parabéns${name ? `, ${name}` : ''}! 🎉 Você agora é nível ${TIER_LABEL[f.tier]} no programa de fidelidade da ${f.clinicName.trim() || 'clínica'}. `
    + 'Obrigado por cuidar de você com a gente! Responda SALDO para ver seus pontos e recompensas.';
}

/** The answer to "saldo" / "meus pontos". */
export function balanceText(f: {
  patientName: string; balance: number; tier: LoyaltyTier; next: { tier: LoyaltyTier; missing: number } | null;
  expiry: { points: number; on: string } | null; rewards: { name: string; pointsRequired: number }[];
}): string {
  const name = first(f.patientName);
  const lines = [`Olá${name ? `, ${name}` : ''}! Seu saldo é de ${formatPoints(f.balance)} (nível ${TIER_LABEL[f.tier]}).`];
  if (f.next) lines.push(`Faltam ${formatPoints(f.next.missing)} para o nível ${TIER_LABEL[f.next.tier]}.`);
  if (f.expiry) lines.push(`${formatPoints(f.expiry.points)} vencem em ${dayBr(f.expiry.on)}.`);
  const affordable = f.rewards.filter((r) => r.pointsRequired <= f.balance);
  if (affordable.length) lines.push(`Você já pode trocar por: ${affordable.map((r) => `${r.name} (${formatPoints(r.pointsRequired)})`).join('; ')}. Peça na recepção no seu próximo atendimento.`);
  else if (f.rewards.length) lines.push(`A recompensa mais próxima: ${f.rewards[0]!.name} (${formatPoints(f.rewards[0]!.pointsRequired)}).`);
  return lines.join('\n');
}

/** "saldo", "meus pontos", "quantos pontos eu tenho?" (after accents are folded). */
export function asksForBalance(folded: string): boolean {
  return /^(saldo|meu saldo|meus pontos|pontos|ver pontos|extrato de pontos)$/.test(folded) || /\bquantos pontos\b/.test(folded) || /\bsaldo de pontos\b/.test(folded);
}
