// The loyalty programme at a glance (Campanhas › Fidelidade): the period's points credited, redeemed,
// expired and reversed (from the ledger, the truth), month by month in the clinic's time zone; members per
// tier and the points outstanding now; the rewards redeemed in the period and how many of their coupons
// were used in Pagamentos. Erased patients' accounts are not members.
import { and, desc, eq, gte, isNull, lt, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { coupons, loyaltyAccounts, loyaltyTransactions, patients, rewards } from '../../db/schema';
import { LOYALTY_TIERS, type LoyaltyTier } from '../../domain/loyalty';
import type { ResolvedPeriod } from '../catalog/period';

export type LedgerKind = 'creditados' | 'resgatados' | 'expirados' | 'estornados';
const KINDS: readonly LedgerKind[] = ['creditados', 'resgatados', 'expirados', 'estornados'];
type Movements = Record<LedgerKind, { points: number; entries: number }>;

const emptyMovements = (): Movements => ({
  creditados: { points: 0, entries: 0 }, resgatados: { points: 0, entries: 0 }, expirados: { points: 0, entries: 0 }, estornados: { points: 0, entries: 0 },
});

export async function loyaltyOverview(tx: Tx, clinicId: string, p: ResolvedPeriod) {
  const inPeriod = and(eq(loyaltyTransactions.clinicId, clinicId), gte(loyaltyTransactions.createdAt, p.from), lt(loyaltyTransactions.createdAt, p.to));
  const month = sql<string>`to_char(${loyaltyTransactions.createdAt} at time zone ${p.timeZone}, 'YYYY-MM')`;
  const [byMonth, tiers, rewardRows] = await Promise.all([
    tx.select({ month, kind: loyaltyTransactions.kind, points: sql<number>`sum(${loyaltyTransactions.points})::int`, entries: sql<number>`count(*)::int` })
      .from(loyaltyTransactions).where(inPeriod).groupBy(sql`1`, sql`2`).orderBy(sql`1`), // by position: the zone is a parameter, twice it would differ
    tx.select({
      tier: loyaltyAccounts.tier, members: sql<number>`count(*)::int`, withBalance: sql<number>`count(*) filter (where ${loyaltyAccounts.balance} > 0)::int`,
      balance: sql<number>`coalesce(sum(${loyaltyAccounts.balance}), 0)::int`,
    }).from(loyaltyAccounts)
      .innerJoin(patients, and(eq(patients.id, loyaltyAccounts.patientId), eq(patients.clinicId, loyaltyAccounts.clinicId)))
      .where(and(eq(loyaltyAccounts.clinicId, clinicId), isNull(patients.deletedAt)))
      .groupBy(loyaltyAccounts.tier),
    tx.select({
      id: rewards.id, name: rewards.name, pointsRequired: rewards.pointsRequired, active: rewards.active,
      redemptions: sql<number>`count(*)::int`, points: sql<number>`sum(${loyaltyTransactions.points})::int`,
      couponsUsed: sql<number>`count(${coupons.redeemedAt})::int`,
    }).from(loyaltyTransactions)
      .innerJoin(rewards, eq(rewards.id, loyaltyTransactions.rewardId))
      .leftJoin(coupons, eq(coupons.id, loyaltyTransactions.couponId))
      .where(and(inPeriod, eq(loyaltyTransactions.kind, 'resgatados')))
      .groupBy(rewards.id, rewards.name, rewards.pointsRequired, rewards.active)
      .orderBy(desc(sql`count(*)`), rewards.name),
  ]);

  const totals = emptyMovements();
  const months = new Map<string, Movements>();
  for (const r of byMonth) {
    const kind = r.kind as LedgerKind;
    totals[kind].points += r.points;
    totals[kind].entries += r.entries;
    const m = months.get(r.month) ?? emptyMovements();
    m[kind] = { points: r.points, entries: r.entries };
    months.set(r.month, m);
  }
  const byTier = new Map(tiers.map((t) => [t.tier as LoyaltyTier, t]));
  const members = LOYALTY_TIERS.map((tier) => ({
    tier, members: byTier.get(tier)?.members ?? 0, withBalance: byTier.get(tier)?.withBalance ?? 0, balance: byTier.get(tier)?.balance ?? 0,
  }));
  const issued = totals.creditados.points;
  return {
    from: p.fromDay, to: p.toDay,
    totals,
    /** Net points added to balances in the period (credited − reversed − redeemed − expired). */
    net: issued - totals.estornados.points - totals.resgatados.points - totals.expirados.points,
    /** Share of the period's credited points that were redeemed in it (null without credits). */
    redemptionRate: issued > 0 ? totals.resgatados.points / issued : null,
    months: [...months.entries()].map(([m, v]) => ({ month: m, ...Object.fromEntries(KINDS.map((k) => [k, v[k].points])) as Record<LedgerKind, number> })),
    members,
    membersTotal: members.reduce((s, t) => s + t.members, 0),
    outstandingPoints: members.reduce((s, t) => s + t.balance, 0),
    rewards: rewardRows,
  };
}
