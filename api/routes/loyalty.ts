// Loyalty on the patient's page (issue #12): balance, tier, next tier and next expiry, the ledger and
// the rewards she can redeem; redeeming one takes its points and issues a single-use coupon for
// Pagamentos. The rules are domain/loyalty.ts, the ledger services/loyalty.
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { patients } from '../../db/schema';
import { ApiError } from '../../services/errors';
import { loyaltySummary, redeemReward } from '../../services/loyalty';
import { loyaltyOverview } from '../../services/loyalty/overview';
import { resolvePeriod } from '../../services/catalog/period';
import { IsoDay } from '../catalog/common';
import type { ApiDeps } from '../context';
import { recordAudit } from '../audit';
import { bearer, errorResponses, jsonBody, jsonResponse, router, Uuid } from '../openapi';

const tags = ['Fidelidade'];
const Tier = z.enum(['bronze', 'prata', 'ouro', 'platina']);
const Summary = z.object({
  enabled: z.boolean(), pointsPerReal: z.number(), balance: z.number(), lifetimePoints: z.number(), points12m: z.number(),
  tier: Tier, tierLabel: z.string(),
  nextTier: z.object({ tier: Tier, missing: z.number() }).nullable(),
  nextExpiry: z.object({ at: z.string(), points: z.number() }).nullable(),
  history: z.array(z.object({
    id: z.string(), kind: z.enum(['creditados', 'resgatados', 'expirados', 'estornados']), points: z.number(), reason: z.string().nullable(),
    at: z.string(), expiresAt: z.string().nullable(), appointmentId: z.string().nullable(), couponCode: z.string().nullable(),
  })),
  rewards: z.array(z.object({
    id: z.string(), name: z.string(), description: z.string().nullable(), pointsRequired: z.number(), discountCents: z.number().nullable(),
    discountPercent: z.number().nullable(), validityDays: z.number().nullable(), maxUses: z.number().nullable(), redeemable: z.boolean(), refusal: z.string().nullable(),
  })),
}).openapi('LoyaltySummary');
const RedeemBody = z.strictObject({ rewardId: Uuid }).openapi('LoyaltyRedeem');
const Kind = z.enum(['creditados', 'resgatados', 'expirados', 'estornados']);
const Movement = z.object({ points: z.number().int(), entries: z.number().int() });
const Overview = z.object({
  from: z.string(), to: z.string(),
  totals: z.record(Kind, Movement).openapi({ description: 'Pontos e lançamentos do período por tipo (extrato).' }),
  net: z.number().int().openapi({ description: 'Creditados − estornados − resgatados − expirados no período.' }),
  redemptionRate: z.number().nullable().openapi({ description: 'Pontos resgatados ÷ pontos creditados no período.' }),
  months: z.array(z.object({ month: z.string(), creditados: z.number(), resgatados: z.number(), expirados: z.number(), estornados: z.number() })),
  members: z.array(z.object({ tier: Tier, members: z.number().int(), withBalance: z.number().int(), balance: z.number().int() })),
  membersTotal: z.number().int(), outstandingPoints: z.number().int(),
  rewards: z.array(z.object({
    id: z.string(), name: z.string(), pointsRequired: z.number().int(), active: z.boolean(), redemptions: z.number().int(), points: z.number().int(), couponsUsed: z.number().int(),
  })),
}).openapi('LoyaltyOverview');

export function loyaltyRoutes(deps: ApiDeps) {
  return router()
    .openapi(createRoute({
      method: 'get', path: '/loyalty/overview', tags, security: bearer,
      summary: 'Visão do programa: pontos creditados, resgatados, expirados e estornados no período (por mês), membros por nível e recompensas resgatadas',
      description: 'Período em dias locais da clínica (from/to, AAAA-MM-DD, inclusivos; padrão: últimos 365 dias; no máximo 2 anos).',
      request: { query: z.strictObject({ from: IsoDay.optional(), to: IsoDay.optional() }) },
      responses: { 200: jsonResponse('Visão do programa', Overview), ...errorResponses(400, 401) },
    }), async (c) => {
      const q = c.req.valid('query');
      const auth = c.get('auth');
      const out = await c.get('tenant')(async (tx) => loyaltyOverview(tx, auth.clinicId, await resolvePeriod(tx, auth.clinicId, q, deps.now(), 365)));
      return c.json(out, 200);
    })
    .openapi(createRoute({
      method: 'get', path: '/patients/{id}/loyalty', tags, security: bearer, summary: 'Pontos, nível, extrato e recompensas do paciente',
      request: { params: z.object({ id: Uuid }) }, responses: { 200: jsonResponse('Fidelidade', Summary), ...errorResponses(400, 401, 404) },
    }), async (c) => {
      const { id } = c.req.valid('param');
      const auth = c.get('auth');
      const out = await c.get('tenant')(async (tx) => {
        const [p] = await tx.select({ id: patients.id }).from(patients).where(and(eq(patients.clinicId, auth.clinicId), eq(patients.id, id)));
        if (!p) throw new ApiError(404, 'not_found', 'Paciente não encontrado nesta clínica.');
        return loyaltySummary(tx, auth.clinicId, id, deps.now());
      });
      return c.json(out, 200);
    })
    .openapi(createRoute({
      method: 'post', path: '/patients/{id}/loyalty/redeem', tags, security: bearer,
      summary: 'Resgatar uma recompensa: os pontos saem do saldo e um cupom de uso único é emitido para Pagamentos',
      request: { params: z.object({ id: Uuid }), body: jsonBody(RedeemBody) },
      responses: {
        201: jsonResponse('Resgatado', z.object({ couponCode: z.string(), couponId: z.string(), validUntil: z.string(), balance: z.number(), reward: z.string() })),
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }), async (c) => {
      const { id } = c.req.valid('param');
      const { rewardId } = c.req.valid('json');
      const auth = c.get('auth');
      const out = await c.get('tenant')(async (tx) => {
        const [p] = await tx.select({ id: patients.id }).from(patients).where(and(eq(patients.clinicId, auth.clinicId), eq(patients.id, id)));
        if (!p) throw new ApiError(404, 'not_found', 'Paciente não encontrado nesta clínica.');
        const r = await redeemReward(tx, { clinicId: auth.clinicId, patientId: id, rewardId, now: deps.now(), userId: auth.userId });
        await recordAudit(tx, c, { action: 'loyalty_redeem', entity: 'patient', entityId: id, after: { rewardId, couponId: r.coupon.id, points: r.reward.pointsRequired } });
        return { couponCode: r.coupon.code, couponId: r.coupon.id, validUntil: r.coupon.validUntil.toISOString(), balance: r.balance, reward: r.reward.name };
      });
      return c.json(out, 201);
    });
}
