// Coupons (coupons table): issuing one by the clinic's rule. (Redemption in Pagamentos lands with the coupons work.)
import { randomBytes } from 'node:crypto';

import type { Tx } from '../../db/client';
import { coupons } from '../../db/schema';
import type { EffectiveCouponRule } from '../../domain/clinic-settings';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const PREFIX = { nps_detractor: 'VOLTA', upsell: 'MAIS', manual: 'CUPOM' } as const;

function code(origin: keyof typeof PREFIX): string {
  const bytes = randomBytes(6);
  return `${PREFIX[origin]}-${Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}

export async function issueCoupon(tx: Tx, input: {
  clinicId: string; origin: 'nps_detractor' | 'upsell' | 'manual'; patientId?: string | null; surveyId?: string | null; upsellOfferId?: string | null;
  rule: EffectiveCouponRule; now: Date; createdBy?: string | null;
}) {
  for (let attempt = 0; ; attempt++) {
    const [row] = await tx.insert(coupons).values({
      clinicId: input.clinicId, code: code(input.origin), patientId: input.patientId ?? null, origin: input.origin,
      percentOff: 'percent' in input.rule.discount ? input.rule.discount.percent : null,
      amountOffCents: 'cents' in input.rule.discount ? input.rule.discount.cents : null,
      minChargeCents: input.rule.minChargeCents, validUntil: new Date(input.now.getTime() + input.rule.validityDays * 86_400_000),
      surveyId: input.surveyId ?? null, upsellOfferId: input.upsellOfferId ?? null, createdBy: input.createdBy ?? null,
    }).onConflictDoNothing().returning();
    if (row) return row;
    if (attempt > 5) throw new Error('could not generate a unique coupon code');
  }
}
