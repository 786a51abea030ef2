// Coupons (coupons table): issuing one by the clinic's rule, and using one on a charge in Pagamentos
// (the rules are domain/coupons.ts; here the row is locked and marked).
import { randomBytes } from 'node:crypto';

import { and, desc, eq, gte, isNotNull, isNull, lt } from 'drizzle-orm';

import type { Tx } from '../../db/client';
import { coupons, patients } from '../../db/schema';
import type { EffectiveCouponRule } from '../../domain/clinic-settings';
import { COUPON_CODE, couponLabel, evaluateCoupon, normalizeCouponCode } from '../../domain/coupons';
import { ApiError } from '../errors';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const PREFIX = { nps_detractor: 'VOLTA', upsell: 'MAIS', manual: 'CUPOM', loyalty: 'PONTOS', reactivation: 'SAUDADE' } as const;
export type CouponOrigin = keyof typeof PREFIX;

function code(origin: keyof typeof PREFIX): string {
  const bytes = randomBytes(6);
  return `${PREFIX[origin]}-${Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}

export async function issueCoupon(tx: Tx, input: {
  clinicId: string; origin: CouponOrigin; patientId?: string | null; surveyId?: string | null; upsellOfferId?: string | null;
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

// ── Redemption (Pagamentos) ───────────────────────────────────────────────────────────────────

type CouponRow = typeof coupons.$inferSelect;

/** The coupon of a typed code at this clinic, locked for the rest of the transaction. */
export async function lockCoupon(tx: Tx, clinicId: string, rawCode: string): Promise<CouponRow | null> {
  const code = normalizeCouponCode(rawCode);
  if (!COUPON_CODE.test(code)) return null;
  const [row] = await tx.select().from(coupons).where(and(eq(coupons.clinicId, clinicId), eq(coupons.code, code))).for('update');
  return row ?? null;
}

/** What a code would do on a charge, without using it (the form's preview). */
export async function previewCoupon(tx: Tx, input: { clinicId: string; code: string; patientId: string; chargeCents: number; now: Date; timeZone?: string }) {
  const code = normalizeCouponCode(input.code);
  const [row] = COUPON_CODE.test(code) ? await tx.select().from(coupons).where(and(eq(coupons.clinicId, input.clinicId), eq(coupons.code, code))) : [];
  return { coupon: row ?? null, verdict: evaluateCoupon(row ?? null, input) };
}

/**
 * Applies a code to a charge about to be created: the coupon row is locked, checked and marked as
 * used by `paymentId` in the caller's transaction, so two charges can never use it twice. Throws a
 * 409/404 ApiError with the refusal's code when it does not apply.
 */
export async function applyCoupon(tx: Tx, input: { clinicId: string; code: string; patientId: string; chargeCents: number; now: Date; timeZone?: string }) {
  const row = await lockCoupon(tx, input.clinicId, input.code);
  const verdict = evaluateCoupon(row, input);
  if (!verdict.ok) {
    throw new ApiError(verdict.code === 'coupon_not_found' ? 404 : 409, verdict.code, verdict.message, { couponCode: [verdict.message] });
  }
  return { coupon: row!, discountCents: verdict.discountCents, chargeCents: verdict.chargeCents };
}

/** Marks the coupon used by the payment just inserted (same transaction as applyCoupon). */
export async function redeemCoupon(tx: Tx, couponId: string, payment: { id: string; discountCents: number }, now: Date) {
  const done = await tx.update(coupons)
    .set({ redeemedAt: now, redeemedPaymentId: payment.id, redeemedDiscountCents: payment.discountCents })
    .where(and(eq(coupons.id, couponId), isNull(coupons.redeemedAt))).returning({ id: coupons.id });
  if (done.length !== 1) throw new ApiError(409, 'coupon_used', 'O cupom já foi usado.');
}

/** A checkout that expired unpaid gives its coupon back (a paid or refunded charge keeps it used). */
export async function releaseCouponOf(tx: Tx, paymentId: string) {
  await tx.update(coupons).set({ redeemedAt: null, redeemedPaymentId: null, redeemedDiscountCents: null })
    .where(eq(coupons.redeemedPaymentId, paymentId));
}

// ── Staff views ───────────────────────────────────────────────────────────────────────────────

export type CouponStatus = 'valido' | 'usado' | 'vencido' | 'cancelado';

export function couponStatus(c: Pick<CouponRow, 'revokedAt' | 'redeemedAt' | 'validUntil'>, now: Date): CouponStatus {
  if (c.revokedAt) return 'cancelado';
  if (c.redeemedAt) return 'usado';
  return c.validUntil.getTime() < now.getTime() ? 'vencido' : 'valido';
}

/** The clinic's coupons, newest first (at most 500), with the patient's name. */
export async function couponList(tx: Tx, clinicId: string, q: { status?: CouponStatus; patientId?: string; id?: string; now: Date }) {
  const where = [eq(coupons.clinicId, clinicId)];
  if (q.patientId) where.push(eq(coupons.patientId, q.patientId));
  if (q.id) where.push(eq(coupons.id, q.id));
  const now = q.now;
  if (q.status === 'cancelado') where.push(isNotNull(coupons.revokedAt));
  if (q.status === 'usado') where.push(isNull(coupons.revokedAt), isNotNull(coupons.redeemedAt));
  if (q.status === 'vencido') where.push(isNull(coupons.revokedAt), isNull(coupons.redeemedAt), lt(coupons.validUntil, now));
  if (q.status === 'valido') where.push(isNull(coupons.revokedAt), isNull(coupons.redeemedAt), gte(coupons.validUntil, now));
  const rows = await tx.select({ c: coupons, patientName: patients.name }).from(coupons)
    .leftJoin(patients, and(eq(patients.clinicId, coupons.clinicId), eq(patients.id, coupons.patientId)))
    .where(and(...where)).orderBy(desc(coupons.createdAt), desc(coupons.id)).limit(500);
  return rows.map(({ c, patientName }) => ({
    id: c.id, code: c.code, label: couponLabel(c), origin: c.origin as 'nps_detractor' | 'upsell' | 'manual', status: couponStatus(c, now),
    patientId: c.patientId, patientName: patientName ?? null, percentOff: c.percentOff, amountOffCents: c.amountOffCents, minChargeCents: c.minChargeCents,
    validUntil: c.validUntil.toISOString(), redeemedAt: c.redeemedAt?.toISOString() ?? null, redeemedPaymentId: c.redeemedPaymentId,
    redeemedDiscountCents: c.redeemedDiscountCents, revokedAt: c.revokedAt?.toISOString() ?? null, createdAt: c.createdAt.toISOString(),
  }));
}

/** Revokes an unused coupon; a used one stays as it is (409). */
export async function revokeCoupon(tx: Tx, clinicId: string, id: string, now: Date) {
  const [row] = await tx.select().from(coupons).where(and(eq(coupons.clinicId, clinicId), eq(coupons.id, id))).for('update');
  if (!row) throw new ApiError(404, 'not_found', 'Cupom não encontrado.');
  if (row.redeemedAt) throw new ApiError(409, 'coupon_used', `O cupom ${row.code} já foi usado e não pode ser cancelado.`);
  if (!row.revokedAt) await tx.update(coupons).set({ revokedAt: now }).where(eq(coupons.id, id));
}
