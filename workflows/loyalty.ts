// Loyalty (issue #12): the daily maintenance run by a Temporal Schedule (each clinic in its own
// activity: expiries, the 30-day notice, tiers and tier-up messages), and the answer to a patient's
// "saldo" / "meus pontos" on WhatsApp, started by the inbound path once per message.
import { log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { LoyaltyActivities } from '../activities/loyalty';
import type { LoyaltyBalanceInput } from './definitions';

const { loyaltyClinics, maintainLoyalty, sendLoyaltyBalance } = proxyActivities<LoyaltyActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 5, nonRetryableErrorTypes: ['MessagingNotConfigured', 'MessageRejected'] },
});

export async function loyaltyMaintenance(input: { at?: string } = {}): Promise<{ clinics: number; expired: number; notices: number; tierUps: number }> {
  const at = input.at ?? workflowInfo().runStartTime.toISOString();
  const ids = await loyaltyClinics();
  const total = { clinics: ids.length, expired: 0, notices: 0, tierUps: 0 };
  for (const clinicId of ids) {
    try {
      const r = await maintainLoyalty({ clinicId, at });
      total.expired += r.expired;
      total.notices += r.notices;
      total.tierUps += r.tierUps;
    } catch (err) {
      log.warn('loyalty maintenance failed for a clinic (retried tomorrow)', { clinicId, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return total;
}

export async function loyaltyBalanceReply(input: LoyaltyBalanceInput): Promise<{ status: string }> {
  const r = await sendLoyaltyBalance(input);
  return { status: r.status };
}
