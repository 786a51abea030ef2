// Coupons: what a code is worth on a charge, and why it is refused. Pure: the service locks the row,
// asks here, and stores the answer.
//
// Rules: a coupon is used once (a pending checkout holds it until it is paid or expires); it is
// refused after its validity, when revoked, for another patient than the one it was issued to, and
// below its minimum charge. The discount is never more than the charge: a coupon that would cover the
// whole amount leaves at least 1 centavo to charge (a processor cannot charge zero), so a 100% coupon
// is refused and staff register the visit as a courtesy instead.

import { formatBrl } from './money';
import { localDate } from './timezone';

export interface CouponFacts {
  code: string;
  patientId: string | null;
  percentOff: number | null;
  amountOffCents: number | null;
  minChargeCents: number;
  validUntil: Date;
  redeemedAt: Date | null;
  revokedAt: Date | null;
}

export type CouponRefusal =
  | 'coupon_not_found'
  | 'coupon_used'
  | 'coupon_expired'
  | 'coupon_revoked'
  | 'coupon_other_patient'
  | 'coupon_below_minimum'
  | 'coupon_covers_charge';

export type CouponVerdict = { ok: true; discountCents: number; chargeCents: number } | { ok: false; code: CouponRefusal; message: string };

/** Codes are typed by people: case, spaces and a missing dash do not matter. */
export function normalizeCouponCode(raw: string): string {
  const s = raw.normalize('NFKC').toUpperCase().replace(/[\s_.]+/g, '').replace(/[–—]/g, '-');
  // VOLTAABC123 → VOLTA-ABC123 for the prefixes the clinic issues.
  const m = /^(VOLTA|MAIS|CUPOM)-?([A-Z0-9]{4,})$/.exec(s);
  return m ? `${m[1]}-${m[2]}` : s;
}

export const COUPON_CODE = /^[A-Z0-9-]{4,32}$/;

/** The discount of a coupon on a charge, before any row is touched. */
export function discountFor(coupon: Pick<CouponFacts, 'percentOff' | 'amountOffCents'>, chargeCents: number): number {
  const raw = coupon.percentOff != null ? Math.round((chargeCents * coupon.percentOff) / 100) : (coupon.amountOffCents ?? 0);
  return Math.max(0, Math.min(raw, chargeCents));
}

const brl = formatBrl;

function ddmmyyyy(d: Date, timeZone: string): string {
  const [y, m, day] = localDate(d, timeZone).split('-');
  return `${day}/${m}/${y}`;
}

/** Whether `coupon` applies to a charge of `chargeCents` for `patientId` at `now`. */
export function evaluateCoupon(
  coupon: CouponFacts | null,
  input: { patientId: string; chargeCents: number; now: Date; timeZone?: string },
): CouponVerdict {
  const tz = input.timeZone ?? 'America/Sao_Paulo';
  if (!coupon) return { ok: false, code: 'coupon_not_found', message: 'Cupom não encontrado. Confira o código.' };
  if (coupon.revokedAt) return { ok: false, code: 'coupon_revoked', message: `O cupom ${coupon.code} foi cancelado pela clínica.` };
  if (coupon.redeemedAt) return { ok: false, code: 'coupon_used', message: `O cupom ${coupon.code} já foi usado.` };
  if (input.now.getTime() > coupon.validUntil.getTime()) {
    return { ok: false, code: 'coupon_expired', message: `O cupom ${coupon.code} venceu em ${ddmmyyyy(coupon.validUntil, tz)}.` };
  }
  if (coupon.patientId && coupon.patientId !== input.patientId) {
    return { ok: false, code: 'coupon_other_patient', message: `O cupom ${coupon.code} é de outro paciente.` };
  }
  if (input.chargeCents < coupon.minChargeCents) {
    return { ok: false, code: 'coupon_below_minimum', message: `O cupom ${coupon.code} vale para cobranças a partir de ${brl(coupon.minChargeCents)}.` };
  }
  const discountCents = discountFor(coupon, input.chargeCents);
  if (discountCents >= input.chargeCents) {
    return { ok: false, code: 'coupon_covers_charge', message: `O cupom ${coupon.code} cobre o valor inteiro; registre o atendimento como cortesia.` };
  }
  return { ok: true, discountCents, chargeCents: input.chargeCents - discountCents };
}

/** "15% de desconto" / "R$ 50,00 de desconto". */
export function couponLabel(coupon: Pick<CouponFacts, 'percentOff' | 'amountOffCents'>): string {
  return coupon.percentOff != null ? `${coupon.percentOff}% de desconto` : `${brl(coupon.amountOffCents ?? 0)} de desconto`;
}
