// /api/admin/anna-settings: how Anna works for this clinic (admin only): on/off, the score above which
// she offers slots, follow-up / nudge / abandonment delays, the deposit deadline, and the OpenAI model,
// calls per minute and monthly budget; with this month's AI usage beside the budget.
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, gte, sql } from 'drizzle-orm';
import { aiCalls, clinics, type AnnaSettings } from '../../db/schema';
import { DEFAULT_ANNA, DEFAULT_MONTHLY_BUDGET_MICRO_USD, DEFAULT_RATE_PER_MINUTE, leadSettingsOf } from '../../domain/clinic-settings';
import { DEFAULT_MODEL, MODEL_PRICES } from '../../providers/ai';
import type { ApiDeps } from '../context';
import { recordAudit } from '../audit';
import { bearer, errorResponses, router } from '../openapi';

const tags = ['Administração'];

const hours = (label: string, min: number, max: number) =>
  z.number({ message: `${label}: informe um número de horas.` }).int(`${label}: use horas inteiras.`).min(min, `${label}: mínimo ${min} h.`).max(max, `${label}: máximo ${max} h.`);

const Settings = z.strictObject({
  enabled: z.boolean({ message: 'Informe se a Anna atende (true/false).' }).optional(),
  qualificationThreshold: z.number().int('Pontuação inteira.').min(0, 'Pontuação entre 0 e 100.').max(100, 'Pontuação entre 0 e 100.').optional(),
  followUpDelayHours: hours('Retorno da fila da equipe', 0, 720).optional(),
  nudgeAfterHours: hours('Lembrete sem resposta', 1, 720).optional(),
  abandonAfterHours: hours('Abandono', 2, 1440).optional(),
  paymentDeadlineMinutes: z.number().int('Minutos inteiros.').min(5, 'Prazo do sinal entre 5 minutos e 24 horas.').max(1440, 'Prazo do sinal entre 5 minutos e 24 horas.').optional(),
  model: z.string().trim().regex(/^[a-zA-Z0-9][a-zA-Z0-9.:-]{1,63}$/, 'Nome de modelo inválido (ex.: gpt-4o-mini).').optional(),
  ratePerMinute: z.number().int().min(1, 'Entre 1 e 600 chamadas por minuto.').max(600, 'Entre 1 e 600 chamadas por minuto.').optional(),
  monthlyBudgetMicroUsd: z.number().int().min(0, 'O orçamento não pode ser negativo.').max(100_000_000_000, 'Orçamento acima do permitido.').optional(),
}).refine((s) => s.nudgeAfterHours === undefined || s.abandonAfterHours === undefined || s.abandonAfterHours > s.nudgeAfterHours, {
  message: 'O abandono deve vir depois do lembrete.', path: ['abandonAfterHours'],
}).openapi('AnnaSettings');

const Effective = z.object({
  enabled: z.boolean(), qualificationThreshold: z.number().int(), followUpDelayHours: z.number(), nudgeAfterHours: z.number(), abandonAfterHours: z.number(),
  paymentDeadlineMinutes: z.number(), model: z.string(), ratePerMinute: z.number().int(), monthlyBudgetMicroUsd: z.number().int(),
}).openapi('AnnaEffectiveSettings');

const Usage = z.object({
  monthStart: z.string(), calls: z.number().int(), openaiCalls: z.number().int(), fallbacks: z.number().int(),
  promptTokens: z.number().int(), completionTokens: z.number().int(), costMicroUsd: z.number().int(),
}).openapi('AnnaUsage');

export function annaSettingsRoutes(deps: ApiDeps) {
  const effective = (stored: AnnaSettings, threshold: number | undefined) => {
    const s = leadSettingsOf({ anna: stored, qualificationThreshold: threshold });
    return {
      enabled: s.enabled, qualificationThreshold: s.threshold, followUpDelayHours: s.followUpDelayHours, nudgeAfterHours: s.nudgeAfterHours,
      abandonAfterHours: s.abandonAfterHours, paymentDeadlineMinutes: s.paymentDeadlineMinutes,
      model: stored.model ?? deps.env.OPENAI_MODEL ?? DEFAULT_MODEL, ratePerMinute: stored.ratePerMinute ?? DEFAULT_RATE_PER_MINUTE,
      monthlyBudgetMicroUsd: stored.monthlyBudgetMicroUsd ?? DEFAULT_MONTHLY_BUDGET_MICRO_USD,
    };
  };

  return router()
    .openapi(
      createRoute({
        method: 'get', path: '/', tags, summary: 'Configurações da Anna e uso de IA no mês', security: bearer,
        responses: {
          200: { description: 'Configurações', content: { 'application/json': { schema: z.object({
            settings: Settings, effective: Effective, usage: Usage, openaiConfigured: z.boolean(), knownModels: z.array(z.string()),
            defaults: z.object({ qualificationThreshold: z.number(), followUpDelayHours: z.number(), nudgeAfterHours: z.number(), abandonAfterHours: z.number(), paymentDeadlineMinutes: z.number() }),
          }) } } },
          ...errorResponses(401, 403),
        },
      }),
      async (c) => {
        const auth = c.get('auth');
        const now = deps.now();
        const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
        const out = await c.get('tenant')(async (tx) => {
          const [row] = await tx.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, auth.clinicId));
          const [u] = await tx.select({
            calls: sql<number>`count(*)::int`,
            openaiCalls: sql<number>`count(*) filter (where ${aiCalls.engine} = 'openai')::int`,
            fallbacks: sql<number>`count(*) filter (where ${aiCalls.engine} = 'local' and ${aiCalls.outcome} <> 'ok')::int`,
            promptTokens: sql<number>`coalesce(sum(${aiCalls.promptTokens}), 0)::int`,
            completionTokens: sql<number>`coalesce(sum(${aiCalls.completionTokens}), 0)::int`,
            costMicroUsd: sql<number>`coalesce(sum(${aiCalls.costMicroUsd}), 0)::int`,
          }).from(aiCalls).where(and(eq(aiCalls.clinicId, auth.clinicId), gte(aiCalls.createdAt, monthStart)));
          return { stored: row?.s ?? {}, usage: u };
        });
        const anna = out.stored.anna ?? {};
        const settings = { ...anna, ...(out.stored.qualificationThreshold !== undefined ? { qualificationThreshold: out.stored.qualificationThreshold } : {}) };
        return c.json({
          settings: settings as z.infer<typeof Settings>,
          effective: effective(anna, out.stored.qualificationThreshold),
          usage: { monthStart: monthStart.toISOString(), ...out.usage },
          openaiConfigured: Boolean(deps.env.OPENAI_API_KEY),
          knownModels: Object.keys(MODEL_PRICES),
          defaults: {
            qualificationThreshold: DEFAULT_ANNA.threshold, followUpDelayHours: DEFAULT_ANNA.followUpDelayHours, nudgeAfterHours: DEFAULT_ANNA.nudgeAfterHours,
            abandonAfterHours: DEFAULT_ANNA.abandonAfterHours, paymentDeadlineMinutes: DEFAULT_ANNA.paymentDeadlineMinutes,
          },
        }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put', path: '/', tags, summary: 'Substituir as configurações da Anna (somente admin)', security: bearer,
        request: { body: { content: { 'application/json': { schema: Settings } }, required: true } },
        responses: { 200: { description: 'Salvo', content: { 'application/json': { schema: z.object({ settings: Settings, effective: Effective }) } } }, ...errorResponses(400, 401, 403) },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const auth = c.get('auth');
        const { qualificationThreshold, ...anna } = body;
        await c.get('tenant')(async (tx) => {
          const [row] = await tx.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, auth.clinicId)).for('update');
          // Only these keys change: the rest of the clinic's settings JSON stays as it is.
          const patch = { anna, ...(qualificationThreshold !== undefined ? { qualificationThreshold } : {}) };
          await tx.update(clinics).set({ settings: sql`(${clinics.settings} - 'qualificationThreshold') || ${JSON.stringify(patch)}::jsonb` }).where(eq(clinics.id, auth.clinicId));
          await recordAudit(tx, c, {
            action: 'update', entity: 'clinic_anna_settings', entityId: auth.clinicId,
            before: { anna: row?.s.anna ?? {}, qualificationThreshold: row?.s.qualificationThreshold ?? null }, after: body,
          });
        });
        return c.json({ settings: body, effective: effective(anna, qualificationThreshold) }, 200);
      },
    );
}
