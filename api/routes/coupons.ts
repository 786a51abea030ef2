// /api/coupons: the clinic's coupons (issued to detractors, with upsell offers, or by staff), the
// preview Pagamentos shows before charging, manual issuance and revocation. Using a coupon happens in
// POST /api/payments and /api/payments/manual (couponCode); the rules are domain/coupons.ts.
import { createRoute, z } from '@hono/zod-openapi';
import { couponLabel } from '../../domain/coupons';
import { clinicPaymentSettings } from '../../services/payments/service';
import { couponList, issueCoupon, previewCoupon, revokeCoupon, type CouponStatus } from '../../services/coupons';
import { ApiError, errors } from '../../services/errors';
import { patients } from '../../db/schema';
import { and, eq } from 'drizzle-orm';
import type { ApiDeps } from '../context';
import { recordAudit } from '../audit';
import { bearer, errorResponses, jsonBody, jsonResponse, router, Uuid } from '../openapi';

const tags = ['Pagamentos'];
const STATUSES = ['valido', 'usado', 'vencido', 'cancelado'] as const;
const Coupon = z.object({
  id: z.string(), code: z.string(), label: z.string(), origin: z.enum(['nps_detractor', 'upsell', 'manual', 'loyalty', 'reactivation']),
  status: z.enum(STATUSES), patientId: z.string().nullable(), patientName: z.string().nullable(),
  percentOff: z.number().nullable(), amountOffCents: z.number().nullable(), minChargeCents: z.number(), validUntil: z.string(),
  redeemedAt: z.string().nullable(), redeemedPaymentId: z.string().nullable(), redeemedDiscountCents: z.number().nullable(),
  revokedAt: z.string().nullable(), createdAt: z.string(),
}).openapi('Coupon');
const Preview = z.object({
  valid: z.boolean(), code: z.string().nullable(), label: z.string().nullable(), discountCents: z.number(), chargeCents: z.number(),
  refusal: z.object({ code: z.string(), message: z.string() }).nullable(),
}).openapi('CouponPreview');
const cents = (what: string) => z.coerce.number({ message: `${what}: informe um número de centavos.` }).int(`${what}: centavos inteiros.`);
const NewCoupon = z.strictObject({
  patientId: Uuid.nullish().openapi({ description: 'Sem paciente: qualquer paciente da clínica pode usar (uma vez).' }),
  percentOff: z.number({ message: 'Informe o desconto em %.' }).int('Desconto em % inteiro.').min(1, 'Desconto mínimo de 1%.').max(99, 'Desconto máximo de 99%.').optional(),
  amountOffCents: z.number({ message: 'Informe o desconto em centavos.' }).int('Centavos inteiros.').min(1, 'Desconto mínimo de R$ 0,01.').max(10_000_000, 'Desconto máximo de R$ 100.000,00.').optional(),
  minChargeCents: z.number().int('Centavos inteiros.').min(0, 'O mínimo não pode ser negativo.').max(10_000_000, 'Mínimo de até R$ 100.000,00.').optional(),
  validityDays: z.number({ message: 'Informe a validade em dias.' }).int('Dias inteiros.').min(1, 'Validade mínima de 1 dia.').max(365, 'Validade máxima de 365 dias.'),
}).refine((b) => (b.percentOff === undefined) !== (b.amountOffCents === undefined), {
  message: 'Informe o desconto em % ou em centavos (um dos dois).', path: ['percentOff'],
}).openapi('NewCoupon');

export function couponRoutes(deps: ApiDeps) {
  return router()
    .openapi(createRoute({
      method: 'get', path: '/', tags, security: bearer, summary: 'Cupons da clínica (válidos, usados, vencidos, cancelados)',
      request: { query: z.strictObject({ status: z.enum(STATUSES, { message: 'Use valido, usado, vencido ou cancelado.' }).optional(), patientId: Uuid.optional() }) },
      responses: { 200: jsonResponse('Cupons', z.object({ coupons: z.array(Coupon) })), ...errorResponses(400, 401) },
    }), async (c) => {
      const q = c.req.valid('query');
      const auth = c.get('auth');
      const rows = await c.get('tenant')((tx) => couponList(tx, auth.clinicId, { status: q.status as CouponStatus | undefined, patientId: q.patientId, now: deps.now() }));
      return c.json({ coupons: rows }, 200);
    })
    .openapi(createRoute({
      method: 'get', path: '/preview', tags, security: bearer, summary: 'O que um cupom faria numa cobrança (sem usá-lo)',
      request: { query: z.strictObject({ code: z.string().trim().min(1, 'Informe o código.').max(40, 'Código de cupom inválido.'), patientId: Uuid, amountCents: cents('Valor') }) },
      responses: { 200: jsonResponse('Prévia', Preview), ...errorResponses(400, 401) },
    }), async (c) => {
      const q = c.req.valid('query');
      const auth = c.get('auth');
      if (q.amountCents <= 0) throw new ApiError(400, 'validation_failed', 'O valor deve ser maior que zero.', { amountCents: ['Valor deve ser maior que zero.'] });
      const out = await c.get('tenant')(async (tx) => {
        const { clinic } = await clinicPaymentSettings(tx, auth.clinicId);
        return previewCoupon(tx, { clinicId: auth.clinicId, code: q.code, patientId: q.patientId, chargeCents: q.amountCents, now: deps.now(), timeZone: clinic.timezone });
      });
      const v = out.verdict;
      return c.json({
        valid: v.ok, code: out.coupon?.code ?? null, label: out.coupon ? couponLabel(out.coupon) : null,
        discountCents: v.ok ? v.discountCents : 0, chargeCents: v.ok ? v.chargeCents : q.amountCents,
        refusal: v.ok ? null : { code: v.code, message: v.message },
      }, 200);
    })
    .openapi(createRoute({
      method: 'post', path: '/', tags, security: bearer, summary: 'Emitir um cupom (uso único) para um paciente ou para a clínica',
      request: { body: jsonBody(NewCoupon) },
      responses: { 201: jsonResponse('Cupom emitido', z.object({ coupon: Coupon })), ...errorResponses(400, 401, 403, 404) },
    }), async (c) => {
      const b = c.req.valid('json');
      const auth = c.get('auth');
      const now = deps.now();
      const coupon = await c.get('tenant')(async (tx) => {
        if (b.patientId) {
          const [p] = await tx.select({ id: patients.id }).from(patients).where(and(eq(patients.id, b.patientId), eq(patients.clinicId, auth.clinicId)));
          if (!p) throw errors.notFound('Paciente');
        }
        const row = await issueCoupon(tx, {
          clinicId: auth.clinicId, origin: 'manual', patientId: b.patientId ?? null, now, createdBy: auth.userId,
          rule: { discount: b.percentOff !== undefined ? { percent: b.percentOff } : { cents: b.amountOffCents! }, validityDays: b.validityDays, minChargeCents: b.minChargeCents ?? 0 },
        });
        await recordAudit(tx, c, { action: 'coupon.issue', entity: 'coupon', entityId: row.id, after: { code: row.code, percentOff: row.percentOff, amountOffCents: row.amountOffCents } });
        const [view] = await couponList(tx, auth.clinicId, { id: row.id, now });
        return view;
      });
      return c.json({ coupon }, 201);
    })
    .openapi(createRoute({
      method: 'post', path: '/{id}/revoke', tags, security: bearer, summary: 'Cancelar um cupom ainda não usado',
      request: { params: z.object({ id: Uuid }) },
      responses: { 200: jsonResponse('Cupom cancelado', z.object({ coupon: Coupon })), ...errorResponses(400, 401, 403, 404, 409) },
    }), async (c) => {
      const { id } = c.req.valid('param');
      const auth = c.get('auth');
      const now = deps.now();
      const coupon = await c.get('tenant')(async (tx) => {
        await revokeCoupon(tx, auth.clinicId, id, now);
        await recordAudit(tx, c, { action: 'coupon.revoke', entity: 'coupon', entityId: id });
        const [view] = await couponList(tx, auth.clinicId, { id, now });
        return view;
      });
      return c.json({ coupon }, 200);
    });
}
