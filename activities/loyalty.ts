// The loyalty programme's side effects (workflows/loyalty.ts): the daily maintenance of each clinic
// (points past their date expire, a notice 30 days before they do, tiers recomputed on the 12-month
// window and a message when a patient reaches a higher tier) and the answer to "saldo" on WhatsApp.
// Notices and tier-ups are marketing (consent); the balance is an answer she asked for.
import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { withClinic } from '../db/tenancy';
import { clinics, loyaltyAccounts, patients } from '../db/schema';
import { balanceText, expiryNoticeText, tierRank, tierUpText, type LoyaltyTier } from '../domain/loyalty';
import { localDate } from '../domain/timezone';
import { marketingChannel } from '../services/consent';
import { expirePoints, loyaltySummary, refreshTier } from '../services/loyalty';
import type { MessageSender } from '../providers/messaging/types';

const DAY = 86_400_000;
const NOTICE_DAYS = 30;

export interface LoyaltyActivityDeps {
  db: Db;
  sender: MessageSender;
  clock?: () => Date;
}

export function createLoyaltyActivities(deps: LoyaltyActivityDeps) {
  const clock = deps.clock ?? (() => new Date());
  return {
    async loyaltyClinics(): Promise<string[]> {
      return (await deps.db.select({ id: clinics.id }).from(clinics)).map((c) => c.id);
    },

    /** One clinic's daily run: expiries, notices, tiers and tier-up messages. Idempotent (outbox keys, announced tier). */
    async maintainLoyalty(input: { clinicId: string; at?: string }): Promise<{ expired: number; notices: number; tierUps: number }> {
      const now = input.at ? new Date(input.at) : clock();
      const accounts = await withClinic(deps.db, input.clinicId, (tx) => tx.select({ id: loyaltyAccounts.id }).from(loyaltyAccounts)
        .where(and(eq(loyaltyAccounts.clinicId, input.clinicId), gt(loyaltyAccounts.lifetimePoints, 0))));
      let expired = 0;
      let notices = 0;
      let tierUps = 0;
      for (const { id } of accounts) {
        const todo = await withClinic(deps.db, input.clinicId, async (tx) => {
          expired += await expirePoints(tx, input.clinicId, id, now);
          const tier = await refreshTier(tx, input.clinicId, id, now);
          const [a] = await tx.select({
            account: loyaltyAccounts, name: patients.name, whatsapp: patients.whatsapp, phone: patients.phone, email: patients.email,
            deletedAt: patients.deletedAt, clinicName: clinics.name, tz: clinics.timezone,
          }).from(loyaltyAccounts).innerJoin(patients, eq(patients.id, loyaltyAccounts.patientId)).innerJoin(clinics, eq(clinics.id, loyaltyAccounts.clinicId))
            .where(eq(loyaltyAccounts.id, id));
          if (!a || a.deletedAt) return null;
          const summary = await loyaltySummary(tx, input.clinicId, a.account.patientId, now);
          const channel = await marketingChannel(tx, input.clinicId, { id: a.account.patientId, whatsapp: a.whatsapp, phone: a.phone, email: a.email });
          const expiryOn = summary.nextExpiry && Date.parse(summary.nextExpiry.at) - now.getTime() <= NOTICE_DAYS * DAY
            ? localDate(new Date(Date.parse(summary.nextExpiry.at) - 1), a.tz) : null;
          const announce = tier !== 'bronze' && (a.account.tierAnnounced === null || tierRank(tier) > tierRank(a.account.tierAnnounced as LoyaltyTier)) ? tier : null;
          // Recorded first: a retry never announces twice (the outbox key would refuse it anyway).
          if (expiryOn && a.account.expiryNoticeFor !== expiryOn) await tx.update(loyaltyAccounts).set({ expiryNoticeFor: expiryOn }).where(eq(loyaltyAccounts.id, id));
          if (announce) await tx.update(loyaltyAccounts).set({ tierAnnounced: announce }).where(eq(loyaltyAccounts.id, id));
          return {
            patientId: a.account.patientId, name: a.name, clinicName: a.clinicName, channel,
            expiry: expiryOn && a.account.expiryNoticeFor !== expiryOn && summary.nextExpiry ? { on: expiryOn, points: summary.nextExpiry.points, balance: summary.balance } : null,
            announce,
          };
        });
        if (!todo?.channel) continue;
        const base = { clinicId: input.clinicId, patientId: todo.patientId, channel: todo.channel.channel, to: todo.channel.to, purpose: 'marketing' as const };
        if (todo.expiry) {
          const r = await deps.sender.send({
            ...base, templateKey: 'loyalty_expiry', idempotencyKey: `loyalty:expiry:${id}:${todo.expiry.on}`,
            body: expiryNoticeText({ patientName: todo.name, clinicName: todo.clinicName, points: todo.expiry.points, expiresOn: todo.expiry.on, balance: todo.expiry.balance }),
          });
          if (r.status === 'sent' || r.status === 'queued') notices++;
        }
        if (todo.announce) {
          const r = await deps.sender.send({
            ...base, templateKey: 'loyalty_tier', idempotencyKey: `loyalty:tier:${id}:${todo.announce}`,
            body: tierUpText({ patientName: todo.name, clinicName: todo.clinicName, tier: todo.announce }),
          });
          if (r.status === 'sent' || r.status === 'queued') tierUps++;
        }
      }
      return { expired, notices, tierUps };
    },

    /** "saldo" / "meus pontos": balance, tier, next expiry and the rewards, on the channel she wrote from. */
    async sendLoyaltyBalance(input: { clinicId: string; patientId: string; channel: 'whatsapp' | 'sms'; to: string; inboundId: string }) {
      const text = await withClinic(deps.db, input.clinicId, async (tx) => {
        const [p] = await tx.select({ name: patients.name, tz: clinics.timezone }).from(patients).innerJoin(clinics, eq(clinics.id, patients.clinicId)).where(eq(patients.id, input.patientId));
        if (!p) return null;
        const s = await loyaltySummary(tx, input.clinicId, input.patientId, clock());
        return balanceText({
          patientName: p.name, balance: s.balance, tier: s.tier, next: s.nextTier,
          expiry: s.nextExpiry ? { points: s.nextExpiry.points, on: localDate(new Date(Date.parse(s.nextExpiry.at) - 1), p.tz) } : null,
          rewards: s.rewards.map((r) => ({ name: r.name, pointsRequired: r.pointsRequired })),
        });
      });
      if (!text) return { status: 'skipped_no_contact' as const };
      return deps.sender.send({
        clinicId: input.clinicId, patientId: input.patientId, channel: input.channel, to: input.to, purpose: 'transactional', body: text,
        templateKey: 'loyalty_balance', idempotencyKey: `loyalty:balance:${input.inboundId}`,
      });
    },
  };
}

export type LoyaltyActivities = ReturnType<typeof createLoyaltyActivities>;
