// Loyalty: 1 point per real paid for procedures (expiring after the default 12 months); some patients
// redeem rewards along the way, each at most once.
import type * as s from '../schema';
import { creditExpiry, DEFAULT_LOYALTY } from '../../domain/loyalty';
import { REWARDS } from './data';
import { later, MINUTE, type Row, type SeedRun } from './support';

export function demoLoyalty(run: SeedRun, payments: Row<typeof s.payments>[]) {
  const { random, newId, clinicId } = run;
  const rewards = REWARDS.map((r) => ({ id: newId(), clinicId, ...r, active: true, createdAt: run.clinicCreated }));
  const loyaltyAccounts: Row<typeof s.loyaltyAccounts>[] = [];
  const loyaltyTransactions: Row<typeof s.loyaltyTransactions>[] = [];
  const approvedByPatient = new Map<string, Row<typeof s.payments>[]>();
  for (const p of payments) if (p.status === 'aprovado' && p.appointmentId) approvedByPatient.set(p.patientId, [...(approvedByPatient.get(p.patientId) ?? []), p]);
  for (const [patientId, list] of approvedByPatient) {
    const accountId = newId();
    let balance = 0;
    let lifetime = 0;
    const used = new Set<string>(); // every demo reward is once per patient (maxUses 1)
    list.sort((x, y) => (x.processedAt as Date).getTime() - (y.processedAt as Date).getTime());
    for (const p of list) {
      const points = Math.floor(p.amountCents / 100);
      balance += points;
      lifetime += points;
      loyaltyTransactions.push({ id: newId(), clinicId, accountId, kind: 'creditados', points, reason: p.description, appointmentId: p.appointmentId, paymentId: p.id,
        createdAt: p.processedAt as Date, expiresAt: creditExpiry(p.processedAt as Date, DEFAULT_LOYALTY.expiryMonths) });
      const affordable = rewards.filter((rw) => rw.pointsRequired <= balance && !(rw.maxUses === 1 && used.has(rw.id)));
      if (affordable.length && random.chance(0.3)) {
        const reward = random.pick(affordable);
        balance -= reward.pointsRequired;
        used.add(reward.id);
        loyaltyTransactions.push({ id: newId(), clinicId, accountId, kind: 'resgatados', points: reward.pointsRequired, reason: `Resgate: ${reward.name}`, rewardId: reward.id, createdAt: later(p.processedAt as Date, 5 * MINUTE) });
      }
    }
    const created = list[0].processedAt as Date;
    loyaltyAccounts.push({
      id: accountId, clinicId, patientId, balance, lifetimePoints: lifetime,
      tier: lifetime >= 6000 ? 'platina' : lifetime >= 3000 ? 'ouro' : lifetime >= 1000 ? 'prata' : 'bronze',
      createdAt: created, updatedAt: list.at(-1)!.processedAt as Date,
    });
  }
  return { rewards, loyaltyAccounts, loyaltyTransactions };
}
