// Administração → Fidelidade e reativação (admin only): the points programme (points per real, expiry,
// tier thresholds), the rewards catalog, and the reactivation sweep's settings. Stored in clinics.settings
// (loyalty, reactivation, and the brief's top-level loyaltyPointsPerReal / reactivationAfterDays, which
// the readers in domain/loyalty.ts and domain/reactivation.ts fall back to) and in the rewards table.
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, sql } from 'drizzle-orm';
import { clinics, rewards } from '../../db/schema';
import { DEFAULT_LOYALTY, loyaltySettingsOf } from '../../domain/loyalty';
import { DEFAULT_REACTIVATION, reactivationSettingsOf } from '../../domain/reactivation';
import { ApiError } from '../../services/errors';
import type { ApiDeps } from '../context';
import { recordAudit } from '../audit';
import { bearer, errorResponses, jsonBody, jsonResponse, router, Uuid } from '../openapi';

const tags = ['Administração'];
const int = (what: string, min: number, max: number) =>
  z.number({ message: `${what}: informe um número.` }).int(`${what}: número inteiro.`).min(min, `${what}: entre ${min} e ${max}.`).max(max, `${what}: entre ${min} e ${max}.`);

const Tiers = z.strictObject({ prata: int('Nível Prata (pontos)', 1, 10_000_000), ouro: int('Nível Ouro (pontos)', 1, 10_000_000), platina: int('Nível Platina (pontos)', 1, 10_000_000) })
  .refine((t) => t.prata < t.ouro && t.ouro < t.platina, { message: 'Os níveis devem crescer: Prata < Ouro < Platina.', path: ['ouro'] });
const LoyaltyBody = z.strictObject({
  pointsPerReal: z.number({ message: 'Pontos por real: informe um número.' }).min(0, 'Pontos por real: de 0 a 100.').max(100, 'Pontos por real: de 0 a 100.')
    .refine((n) => Math.round(n * 100) === n * 100, 'Pontos por real: no máximo duas casas decimais.'),
  expiryMonths: int('Validade dos pontos (meses)', 0, 120),
  tiers: Tiers,
}).openapi('LoyaltySettings');
const ReactivationBody = z.strictObject({
  afterDays: int('Inativo após (dias)', 30, 365), minRisk: int('Risco mínimo', 0, 100), cooldownDays: int('Intervalo entre campanhas (dias)', 7, 730),
  dailyLimit: int('Limite por dia', 1, 1000), holdoutShare: z.number({ message: 'Grupo de controle: informe um número.' }).min(0, 'Grupo de controle: de 0% a 50%.').max(0.5, 'Grupo de controle: de 0% a 50%.'),
  followUpDays: int('Lembrete após (dias)', 1, 30), windowDays: int('Janela de retorno (dias)', 7, 180),
  discountPercent: int('Desconto (%)', 0, 100), couponValidityDays: int('Validade do cupom (dias)', 1, 365),
}).openapi('ReactivationSettings');
const RewardBody = z.strictObject({
  name: z.string({ message: 'Informe o nome.' }).trim().min(2, 'Nome: ao menos 2 letras.').max(120, 'Nome: no máximo 120 caracteres.'),
  description: z.string().trim().max(500, 'Descrição: no máximo 500 caracteres.').nullish(),
  pointsRequired: int('Pontos necessários', 1, 10_000_000),
  discountCents: int('Desconto (centavos)', 1, 10_000_000).nullish(),
  discountPercent: int('Desconto (%)', 1, 100).nullish(),
  validityDays: int('Validade (dias)', 1, 365).nullish(),
  maxUses: int('Usos por paciente', 1, 1000).nullish(),
  active: z.boolean({ message: 'Ativa: true ou false.' }).optional(),
}).refine((r) => (r.discountCents == null) !== (r.discountPercent == null), { message: 'Informe o desconto em reais ou em porcentagem (um dos dois).', path: ['discountCents'] })
  .openapi('Reward');
const RewardView = z.object({
  id: z.string(), name: z.string(), description: z.string().nullable(), pointsRequired: z.number(), discountCents: z.number().nullable(),
  discountPercent: z.number().nullable(), validityDays: z.number().nullable(), maxUses: z.number().nullable(), active: z.boolean(),
});
const View = z.object({
  loyalty: LoyaltyBody, reactivation: ReactivationBody.extend({ corrected: z.array(z.string()) }),
  defaults: z.object({ loyalty: LoyaltyBody, reactivation: ReactivationBody }), rewards: z.array(RewardView),
}).openapi('LoyaltyAdmin');

const rewardView = (r: typeof rewards.$inferSelect) => ({
  id: r.id, name: r.name, description: r.description, pointsRequired: r.pointsRequired, discountCents: r.discountCents,
  discountPercent: r.discountPercent === null ? null : Number(r.discountPercent), validityDays: r.validityDays, maxUses: r.maxUses, active: r.active,
});

export function loyaltyAdminRoutes(_deps: ApiDeps) {
  return router()
    .openapi(createRoute({
      method: 'get', path: '/', tags, security: bearer, summary: 'Programa de pontos, recompensas e reativação (valores em vigor e padrões)',
      responses: { 200: jsonResponse('Configurações', View), ...errorResponses(401, 403) },
    }), async (c) => {
      const auth = c.get('auth');
      const out = await c.get('tenant')(async (tx) => {
        const [row] = await tx.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, auth.clinicId));
        const list = await tx.select().from(rewards).where(eq(rewards.clinicId, auth.clinicId)).orderBy(asc(rewards.pointsRequired), asc(rewards.name));
        return {
          loyalty: loyaltySettingsOf(row?.s), reactivation: reactivationSettingsOf(row?.s),
          defaults: { loyalty: DEFAULT_LOYALTY, reactivation: DEFAULT_REACTIVATION }, rewards: list.map(rewardView),
        };
      });
      return c.json(out, 200);
    })
    .openapi(createRoute({
      method: 'put', path: '/loyalty', tags, security: bearer, summary: 'Salvar o programa de pontos',
      request: { body: jsonBody(LoyaltyBody) }, responses: { 200: jsonResponse('Salvo', LoyaltyBody), ...errorResponses(400, 401, 403) },
    }), async (c) => {
      const body = c.req.valid('json');
      const auth = c.get('auth');
      await c.get('tenant')(async (tx) => {
        const [row] = await tx.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, auth.clinicId)).for('update');
        // Top-level loyaltyPointsPerReal too: the brief's field, read by older code and reports.
        await tx.update(clinics).set({ settings: sql`${clinics.settings} || ${JSON.stringify({ loyalty: body, loyaltyPointsPerReal: body.pointsPerReal })}::jsonb` }).where(eq(clinics.id, auth.clinicId));
        await recordAudit(tx, c, { action: 'update', entity: 'clinic_loyalty_settings', entityId: auth.clinicId, before: loyaltySettingsOf(row?.s), after: body });
      });
      return c.json(body, 200);
    })
    .openapi(createRoute({
      method: 'put', path: '/reactivation', tags, security: bearer, summary: 'Salvar as regras da reativação',
      request: { body: jsonBody(ReactivationBody) }, responses: { 200: jsonResponse('Salvo', ReactivationBody), ...errorResponses(400, 401, 403) },
    }), async (c) => {
      const body = c.req.valid('json');
      const auth = c.get('auth');
      await c.get('tenant')(async (tx) => {
        const [row] = await tx.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, auth.clinicId)).for('update');
        await tx.update(clinics).set({ settings: sql`${clinics.settings} || ${JSON.stringify({ reactivation: body, reactivationAfterDays: body.afterDays })}::jsonb` }).where(eq(clinics.id, auth.clinicId));
        const { corrected: _c, ...before } = reactivationSettingsOf(row?.s);
        await recordAudit(tx, c, { action: 'update', entity: 'clinic_reactivation_settings', entityId: auth.clinicId, before, after: body });
      });
      return c.json(body, 200);
    })
    .openapi(createRoute({
      method: 'post', path: '/rewards', tags, security: bearer, summary: 'Cadastrar uma recompensa',
      request: { body: jsonBody(RewardBody) }, responses: { 201: jsonResponse('Cadastrada', RewardView), ...errorResponses(400, 401, 403) },
    }), async (c) => {
      const b = c.req.valid('json');
      const auth = c.get('auth');
      const out = await c.get('tenant')(async (tx) => {
        const [r] = await tx.insert(rewards).values({
          clinicId: auth.clinicId, name: b.name, description: b.description ?? null, pointsRequired: b.pointsRequired, discountCents: b.discountCents ?? null,
          discountPercent: b.discountPercent ?? null, validityDays: b.validityDays ?? null, maxUses: b.maxUses ?? null, active: b.active ?? true,
        }).returning();
        await recordAudit(tx, c, { action: 'create', entity: 'reward', entityId: r!.id, after: rewardView(r!) });
        return rewardView(r!);
      });
      return c.json(out, 201);
    })
    .openapi(createRoute({
      method: 'patch', path: '/rewards/{id}/active', tags, security: bearer, summary: 'Ativar ou desativar uma recompensa (o histórico de resgates fica)',
      request: { params: z.object({ id: Uuid }), body: jsonBody(z.strictObject({ active: z.boolean({ message: 'Ativa: true ou false.' }) })) },
      responses: { 200: jsonResponse('Atualizada', RewardView), ...errorResponses(400, 401, 403, 404) },
    }), async (c) => {
      const { id } = c.req.valid('param');
      const { active } = c.req.valid('json');
      const auth = c.get('auth');
      const out = await c.get('tenant')(async (tx) => {
        const [r] = await tx.update(rewards).set({ active }).where(and(eq(rewards.clinicId, auth.clinicId), eq(rewards.id, id))).returning();
        if (!r) throw new ApiError(404, 'not_found', 'Recompensa não encontrada.');
        await recordAudit(tx, c, { action: active ? 'activate' : 'deactivate', entity: 'reward', entityId: id });
        return rewardView(r);
      });
      return c.json(out, 200);
    });
}
