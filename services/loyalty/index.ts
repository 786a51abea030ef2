// The loyalty ledger (issue #12): points credited when a payment of a realised visit is approved,
// taken back in proportion when it is refunded, redeemed for a reward as a coupon usable in Pagamentos,
// and expired oldest-first after the clinic's period. The rules are domain/loyalty.ts; here the account
// row is locked, the ledger written and the account's balance, lifetime points and tier kept in step,
// all in the caller's transaction. Idempotent by construction: one credit per payment and one reversal
// per refund (unique indexes), so a repeated webhook or a second status change changes nothing.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { appointments, clinics, coupons, loyaltyAccounts, loyaltyTransactions, paymentRefunds, payments, rewards } from '../../db/schema';
import {
  REDEEM_REFUSAL_TEXT, TIER_LABEL, creditExpiry, ledgerBalance, loyaltySettingsOf, nextExpiry, nextTier, pointsExpiringBy, pointsForPayment,
  pointsInLast12Months, pointsToReverse, redeemRefusal, tierFor, type LedgerEntry, type LoyaltySettings, type LoyaltyTier,
} from '../../domain/loyalty';
import { issueCoupon } from '../coupons';
import { refreshClassifications } from '../patients/records';
import { ApiError } from '../errors';

type Account = typeof loyaltyAccounts.$inferSelect;

/** The patient's account, created on first use, locked for the rest of the transaction. */
export async function lockAccount(tx: Tx, clinicId: string, patientId: string): Promise<Account> {
  await tx.insert(loyaltyAccounts).values({ clinicId, patientId }).onConflictDoNothing({ target: [loyaltyAccounts.clinicId, loyaltyAccounts.patientId] });
  const [row] = await tx.select().from(loyaltyAccounts).where(and(eq(loyaltyAccounts.clinicId, clinicId), eq(loyaltyAccounts.patientId, patientId))).for('update');
  if (!row) throw new Error(`loyalty account of ${patientId} vanished`);
  return row;
}

async function ledgerOf(tx: Tx, accountId: string): Promise<LedgerEntry[]> {
  const rows = await tx.select({ kind: loyaltyTransactions.kind, points: loyaltyTransactions.points, at: loyaltyTransactions.createdAt, expiresAt: loyaltyTransactions.expiresAt })
    .from(loyaltyTransactions).where(eq(loyaltyTransactions.accountId, accountId)).orderBy(asc(loyaltyTransactions.createdAt), asc(loyaltyTransactions.id));
  return rows;
}

/** Re-derives balance, lifetime points and tier from the ledger (the ledger is the truth). */
async function settle(tx: Tx, account: Account, settings: LoyaltySettings, now: Date): Promise<{ balance: number; tier: LoyaltyTier; previousTier: LoyaltyTier }> {
  const ledger = await ledgerOf(tx, account.id);
  const balance = ledgerBalance(ledger);
  const lifetime = ledger.reduce((s, e) => s + (e.kind === 'creditados' ? e.points : e.kind === 'estornados' ? -e.points : 0), 0);
  const tier = tierFor(pointsInLast12Months(ledger, now), settings.tiers);
  await tx.update(loyaltyAccounts).set({ balance, lifetimePoints: Math.max(balance, lifetime), tier, updatedAt: now }).where(eq(loyaltyAccounts.id, account.id));
  // The patient's classification follows her spend, visits and tier (domain/classification.ts classifyWithTier).
  await refreshClassifications(tx, [account.patientId], now);
  return { balance, tier, previousTier: account.tier };
}

async function clinicLoyalty(tx: Tx, clinicId: string): Promise<LoyaltySettings> {
  const [c] = await tx.select({ settings: clinics.settings }).from(clinics).where(eq(clinics.id, clinicId));
  return loyaltySettingsOf(c?.settings);
}

/**
 * The ledger of one payment: its credit once the payment is approved and its visit realised, and one
 * reversal per refund (in proportion; never more than the balance holds, so it never goes negative:
 * points already spent on a reward stay spent). Call after any change to the payment or its visit.
 */
export async function syncLoyalty(tx: Tx, paymentId: string, now: Date): Promise<{ credited: number; reversed: number } | null> {
  const [p] = await tx.select({
    id: payments.id, clinicId: payments.clinicId, patientId: payments.patientId, appointmentId: payments.appointmentId, amountCents: payments.amountCents,
    status: payments.status, description: payments.description, processedAt: payments.processedAt, visit: appointments.status,
  }).from(payments).leftJoin(appointments, and(eq(appointments.id, payments.appointmentId), eq(appointments.clinicId, payments.clinicId))).where(eq(payments.id, paymentId));
  if (!p || !p.appointmentId || p.visit !== 'realizado' || (p.status !== 'aprovado' && p.status !== 'reembolsado')) return null;
  const settings = await clinicLoyalty(tx, p.clinicId);
  const account = await lockAccount(tx, p.clinicId, p.patientId);

  let [credit] = await tx.select().from(loyaltyTransactions).where(and(eq(loyaltyTransactions.paymentId, p.id), eq(loyaltyTransactions.kind, 'creditados')));
  let credited = 0;
  if (!credit) {
    const points = pointsForPayment(p.amountCents, settings.pointsPerReal);
    if (points > 0) {
      [credit] = await tx.insert(loyaltyTransactions).values({
        clinicId: p.clinicId, accountId: account.id, kind: 'creditados', points, reason: p.description ?? 'Atendimento pago',
        appointmentId: p.appointmentId, paymentId: p.id, expiresAt: creditExpiry(now, settings.expiryMonths), createdAt: now,
      }).onConflictDoNothing().returning();
      credited = credit ? points : 0;
    }
  }

  let reversed = 0;
  if (credit) {
    const refunds = await tx.select().from(paymentRefunds).where(eq(paymentRefunds.paymentId, p.id)).orderBy(asc(paymentRefunds.createdAt), asc(paymentRefunds.id));
    const done = new Set((await tx.select({ refundId: loyaltyTransactions.refundId }).from(loyaltyTransactions)
      .where(and(eq(loyaltyTransactions.accountId, account.id), inArray(loyaltyTransactions.refundId, refunds.length ? refunds.map((r) => r.id) : [credit.id])))).map((r) => r.refundId));
    let before = 0;
    for (const r of refunds) {
      const back = pointsToReverse(credit.points, p.amountCents, before, r.amountCents);
      before += r.amountCents;
      if (done.has(r.id) || back === 0) continue;
      const balance = ledgerBalance(await ledgerOf(tx, account.id));
      const take = Math.min(back, balance);
      if (take <= 0) continue;
      await tx.insert(loyaltyTransactions).values({
        clinicId: p.clinicId, accountId: account.id, kind: 'estornados', points: take, appointmentId: p.appointmentId, paymentId: p.id, refundId: r.id,
        reason: take < back ? `Estorno do pagamento (${back - take} pontos já tinham sido usados)` : 'Estorno do pagamento', createdAt: now,
      }).onConflictDoNothing();
      reversed += take;
    }
  }
  if (credited || reversed) await settle(tx, account, settings, now);
  return { credited, reversed };
}

/** A visit marked realizado: the credits of the payments it already had. */
export async function creditVisit(tx: Tx, appointmentId: string, now: Date): Promise<number> {
  const paid = await tx.select({ id: payments.id }).from(payments).where(and(eq(payments.appointmentId, appointmentId), inArray(payments.status, ['aprovado', 'reembolsado'])));
  let total = 0;
  for (const p of paid) total += (await syncLoyalty(tx, p.id, now))?.credited ?? 0;
  return total;
}

/** Redeems a reward for the patient: the points leave the balance and a single-use coupon is issued. */
export async function redeemReward(tx: Tx, input: { clinicId: string; patientId: string; rewardId: string; now: Date; userId?: string | null }) {
  const [reward] = await tx.select().from(rewards).where(and(eq(rewards.clinicId, input.clinicId), eq(rewards.id, input.rewardId)));
  if (!reward) throw new ApiError(404, 'not_found', 'Recompensa não encontrada.');
  const account = await lockAccount(tx, input.clinicId, input.patientId);
  const [{ used }] = await tx.select({ used: sql<number>`count(*)::int` }).from(loyaltyTransactions)
    .where(and(eq(loyaltyTransactions.accountId, account.id), eq(loyaltyTransactions.rewardId, reward.id), eq(loyaltyTransactions.kind, 'resgatados')));
  const refusal = redeemRefusal(account.balance, { active: reward.active, pointsRequired: reward.pointsRequired, maxUses: reward.maxUses, usedByPatient: used ?? 0 });
  if (refusal) throw new ApiError(409, refusal, REDEEM_REFUSAL_TEXT[refusal]);
  const coupon = await issueCoupon(tx, {
    clinicId: input.clinicId, origin: 'loyalty', patientId: input.patientId, now: input.now, createdBy: input.userId ?? null,
    rule: {
      discount: reward.discountCents !== null ? { cents: reward.discountCents } : { percent: Math.round(Number(reward.discountPercent)) },
      validityDays: reward.validityDays ?? 90, minChargeCents: 0,
    },
  });
  await tx.insert(loyaltyTransactions).values({
    clinicId: input.clinicId, accountId: account.id, kind: 'resgatados', points: reward.pointsRequired, reason: `Resgate: ${reward.name}`,
    rewardId: reward.id, couponId: coupon.id, createdAt: input.now,
  });
  const settings = await clinicLoyalty(tx, input.clinicId);
  const { balance } = await settle(tx, account, settings, input.now);
  return { coupon, balance, reward };
}

/** Expires the account's points whose lots are past their date (oldest unspent first). */
export async function expirePoints(tx: Tx, clinicId: string, accountId: string, now: Date): Promise<number> {
  const [account] = await tx.select().from(loyaltyAccounts).where(and(eq(loyaltyAccounts.clinicId, clinicId), eq(loyaltyAccounts.id, accountId))).for('update');
  if (!account) return 0;
  const points = pointsExpiringBy(await ledgerOf(tx, account.id), now);
  if (points <= 0) return 0;
  await tx.insert(loyaltyTransactions).values({ clinicId, accountId, kind: 'expirados', points, reason: 'Pontos expirados', createdAt: now });
  await settle(tx, account, await clinicLoyalty(tx, clinicId), now);
  return points;
}

/** Recomputes the account's tier on today's 12-month window (points age out of it); the tier now. */
export async function refreshTier(tx: Tx, clinicId: string, accountId: string, now: Date): Promise<LoyaltyTier> {
  const [account] = await tx.select().from(loyaltyAccounts).where(and(eq(loyaltyAccounts.clinicId, clinicId), eq(loyaltyAccounts.id, accountId))).for('update');
  if (!account) return 'bronze';
  return (await settle(tx, account, await clinicLoyalty(tx, clinicId), now)).tier;
}

/** The patient's programme as staff and the patient see it: balance, tier, next tier, next expiry, ledger, rewards. */
export async function loyaltySummary(tx: Tx, clinicId: string, patientId: string, now: Date) {
  const settings = await clinicLoyalty(tx, clinicId);
  const [account] = await tx.select().from(loyaltyAccounts).where(and(eq(loyaltyAccounts.clinicId, clinicId), eq(loyaltyAccounts.patientId, patientId)));
  const ledger = account ? await ledgerOf(tx, account.id) : [];
  const points12m = pointsInLast12Months(ledger, now);
  const tier = tierFor(points12m, settings.tiers);
  const history = account
    ? await tx.select({
      id: loyaltyTransactions.id, kind: loyaltyTransactions.kind, points: loyaltyTransactions.points, reason: loyaltyTransactions.reason,
      at: loyaltyTransactions.createdAt, expiresAt: loyaltyTransactions.expiresAt, appointmentId: loyaltyTransactions.appointmentId, couponCode: coupons.code,
    }).from(loyaltyTransactions).leftJoin(coupons, eq(coupons.id, loyaltyTransactions.couponId))
      .where(eq(loyaltyTransactions.accountId, account.id)).orderBy(desc(loyaltyTransactions.createdAt), desc(loyaltyTransactions.id)).limit(50)
    : [];
  const used = account
    ? new Map((await tx.select({ rewardId: loyaltyTransactions.rewardId, n: sql<number>`count(*)::int` }).from(loyaltyTransactions)
      .where(and(eq(loyaltyTransactions.accountId, account.id), eq(loyaltyTransactions.kind, 'resgatados'))).groupBy(loyaltyTransactions.rewardId)).map((r) => [r.rewardId, r.n]))
    : new Map<string | null, number>();
  const catalog = await tx.select().from(rewards).where(and(eq(rewards.clinicId, clinicId), eq(rewards.active, true))).orderBy(asc(rewards.pointsRequired));
  const balance = account?.balance ?? 0;
  const expiry = nextExpiry(ledger, now);
  return {
    enabled: settings.pointsPerReal > 0,
    pointsPerReal: settings.pointsPerReal,
    balance,
    lifetimePoints: account?.lifetimePoints ?? 0,
    points12m,
    tier,
    tierLabel: TIER_LABEL[tier],
    nextTier: nextTier(points12m, settings.tiers),
    nextExpiry: expiry ? { at: expiry.at.toISOString(), points: expiry.points } : null,
    history: history.map((h) => ({ ...h, at: h.at.toISOString(), expiresAt: h.expiresAt?.toISOString() ?? null })),
    rewards: catalog.map((r) => {
      const refusal = redeemRefusal(balance, { active: r.active, pointsRequired: r.pointsRequired, maxUses: r.maxUses, usedByPatient: used.get(r.id) ?? 0 });
      return {
        id: r.id, name: r.name, description: r.description, pointsRequired: r.pointsRequired, discountCents: r.discountCents,
        discountPercent: r.discountPercent === null ? null : Number(r.discountPercent), validityDays: r.validityDays, maxUses: r.maxUses,
        redeemable: refusal === null, refusal: refusal ? REDEEM_REFUSAL_TEXT[refusal] : null,
      };
    }),
  };
}
