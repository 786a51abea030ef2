// Payment operations shared by the staff routes: limits, views, creating charges and recording refunds.
import { and, eq } from 'drizzle-orm';
import type { Env } from '../../config/env';
import type { Tx } from '../../db/client';
import { clinics, type ClinicPaymentSettings } from '../../db/schema';
import { payments, paymentCheckouts, paymentRefunds } from '../../db/schema';
import { ApiError } from '../errors';
import { formatBrl } from '../../domain/money';

type PaymentRow = typeof payments.$inferSelect;

export async function clinicPaymentSettings(tx: Tx, clinicId: string) {
  const [clinic] = await tx.select().from(clinics).where(eq(clinics.id, clinicId));
  return { clinic, settings: (clinic?.settings.payments ?? {}) as ClinicPaymentSettings };
}

/** The clinic's cap on one charge: its own setting, never above PAYMENT_MAX_CENTS. */
export function chargeCap(env: Env, settings: ClinicPaymentSettings) {
  return Math.min(env.PAYMENT_MAX_CENTS, settings.maxChargeCents ?? env.PAYMENT_MAX_CENTS);
}

export function checkAmount(amountCents: number, cap: number) {
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0) {
    throw new ApiError(400, 'validation_failed', 'O valor deve ser maior que zero (em centavos).', { amountCents: ['Valor deve ser maior que zero.'] });
  }
  if (amountCents > cap) {
    throw new ApiError(400, 'validation_failed', `O valor excede o limite da clínica por cobrança (${formatBrl(cap)}).`, { amountCents: [`Máximo ${formatBrl(cap)}.`] });
  }
}

export const paymentView = (p: PaymentRow) => ({
  id: p.id, appointmentId: p.appointmentId, patientId: p.patientId, amountCents: p.amountCents, refundedCents: p.refundedCents,
  netCents: p.amountCents - p.refundedCents, discountCents: p.discountCents, couponId: p.couponId, method: p.method, status: p.status, kind: p.kind as 'full' | 'deposit', description: p.description,
  stripePaymentId: p.stripePaymentId, stripePaymentIntentId: p.stripePaymentIntentId, feeCents: p.feeCents, receiptUrl: p.receiptUrl,
  failureReason: p.failureReason, createdAt: p.createdAt.toISOString(), processedAt: p.processedAt?.toISOString() ?? null, refundedAt: p.refundedAt?.toISOString() ?? null,
});

export const checkoutView = (c: typeof paymentCheckouts.$inferSelect) => ({
  id: c.id, provider: c.provider, sessionId: c.providerSessionId, url: c.url, status: c.status, pixCode: c.pixCode, expiresAt: c.expiresAt.toISOString(),
});

export const refundView = (r: typeof paymentRefunds.$inferSelect) => ({
  id: r.id, amountCents: r.amountCents, reason: r.reason, providerRefundId: r.providerRefundId, createdAt: r.createdAt.toISOString(),
});

export async function lockPayment(tx: Tx, clinicId: string, id: string) {
  const [row] = await tx.select().from(payments).where(and(eq(payments.id, id), eq(payments.clinicId, clinicId))).for('update');
  if (!row) throw new ApiError(404, 'not_found', 'Pagamento não encontrado.');
  return row;
}
