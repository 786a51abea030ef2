// /api/admin/after-visit-settings: what happens after the visit (admin only): the NPS reminder and
// expiry, whether the survey is transactional or marketing, the detractors' coupon, the upsell offer's
// window and the procedures it never combines. The NPS delay itself is the clinic's npsDelayHours
// (/api/admin/clinic); the upsell discount is upsellDiscountPercent there too. Read by
// domain/clinic-settings.ts afterVisitSettingsOf, which falls back to the defaults key by key. `texts`
// holds the clinic's own wording of the survey's messages (domain/survey-texts.ts).
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { clinics, procedures } from '../../db/schema';
import { afterVisitSettingsOf, type AfterVisitSettings } from '../../domain/clinic-settings';
import { SURVEY_TEXT_KINDS, SURVEY_TEXT_RULES, surveyTextProblems, type SurveyTextKind } from '../../domain/survey-texts';
import { ApiError } from '../../services/errors';
import type { ApiDeps } from '../context';
import { recordAudit } from '../audit';
import { bearer, errorResponses, jsonBody, jsonResponse, router } from '../openapi';

const tags = ['Administração'];
const int = (what: string, min: number, max: number) =>
  z.number({ message: `${what}: informe um número.` }).int(`${what}: número inteiro.`).min(min, `${what}: entre ${min} e ${max}.`).max(max, `${what}: entre ${min} e ${max}.`);
const Discount = z.union([
  z.strictObject({ percent: int('Desconto (%)', 1, 100) }),
  z.strictObject({ cents: int('Desconto (centavos)', 1, 10_000_000) }),
], { message: 'Desconto: { percent } de 1 a 100 ou { cents } em centavos.' });
const Rule = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('min_gap_days'), days: int('Intervalo (dias)', 1, 3650),
    categories: z.array(z.enum(['facial', 'corporal', 'capilar', 'outra'], { message: 'Categoria: facial, corporal, capilar ou outra.' })).max(4).optional(),
    procedureIds: z.array(z.uuid({ message: 'Procedimento: identificador inválido.' })).max(100).optional(),
  }),
  z.strictObject({ kind: z.literal('never_together'), a: z.uuid({ message: 'Procedimento: identificador inválido.' }), b: z.uuid({ message: 'Procedimento: identificador inválido.' }), days: int('Intervalo (dias)', 1, 3650).optional() }),
], { message: 'Regra: min_gap_days ou never_together.' });
/** The clinic's wording of the survey's messages: each text checked by domain/survey-texts.ts (variables, {cupom}, {link}). */
const Texts = z.strictObject(Object.fromEntries(SURVEY_TEXT_KINDS.map((k) => [k, z.string({ message: `${SURVEY_TEXT_RULES[k].label}: informe um texto.` }).optional()])) as Record<SurveyTextKind, z.ZodOptional<z.ZodString>>)
  .superRefine((texts, ctx) => {
    for (const k of SURVEY_TEXT_KINDS) {
      const t = texts[k];
      if (t === undefined) continue;
      for (const message of surveyTextProblems(k, t)) ctx.addIssue({ code: 'custom', path: [k], message });
    }
  });
const Settings = z.strictObject({
  npsReminderHours: int('Lembrete da pesquisa (horas)', 1, 720).optional(),
  npsExpiryDays: int('Validade da pesquisa (dias)', 1, 60).optional(),
  npsBasis: z.enum(['transactional', 'marketing'], { message: 'Base legal: transactional ou marketing.' }).optional(),
  detractorCoupon: z.strictObject({ discount: Discount.optional(), validityDays: int('Validade do cupom (dias)', 1, 365).optional(), minChargeCents: int('Valor mínimo (centavos)', 0, 10_000_000).optional() }).optional(),
  upsellOfferDays: int('Janela da oferta (dias)', 1, 90).optional(),
  upsellContraindications: z.array(Rule).max(50, 'No máximo 50 regras.').optional(),
  texts: Texts.optional(),
}).openapi('AfterVisitSettings');
const Effective = z.record(z.string(), z.unknown()).openapi('EffectiveAfterVisitSettings');

export function afterVisitSettingsRoutes(_deps: ApiDeps) {
  return router()
    .openapi(createRoute({
      method: 'get', path: '/', tags, security: bearer, summary: 'Configurações de pós-atendimento (pesquisa, cupom, upsell) e os valores em vigor',
      responses: { 200: jsonResponse('Configurações', z.object({ settings: Settings, effective: Effective })), ...errorResponses(401, 403) },
    }), async (c) => {
      const auth = c.get('auth');
      const s = await c.get('tenant')(async (tx) => (await tx.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, auth.clinicId)))[0]?.s);
      return c.json({ settings: (s?.afterVisit ?? {}) as z.infer<typeof Settings>, effective: afterVisitSettingsOf(s) as unknown as Record<string, unknown> }, 200);
    })
    .openapi(createRoute({
      method: 'put', path: '/', tags, security: bearer, summary: 'Substituir as configurações de pós-atendimento (somente admin)',
      request: { body: jsonBody(Settings) },
      responses: { 200: jsonResponse('Salvo', z.object({ settings: Settings, effective: Effective })), ...errorResponses(400, 401, 403) },
    }), async (c) => {
      const body = c.req.valid('json');
      const auth = c.get('auth');
      const out = await c.get('tenant')(async (tx) => {
        const ids = [...new Set((body.upsellContraindications ?? []).flatMap((r) => (r.kind === 'never_together' ? [r.a, r.b] : [...(r.procedureIds ?? [])])))];
        if (ids.length) {
          const found = await tx.select({ id: procedures.id }).from(procedures).where(and(eq(procedures.clinicId, auth.clinicId), inArray(procedures.id, ids)));
          const missing = ids.filter((id) => !found.some((f) => f.id === id));
          if (missing.length) throw new ApiError(400, 'validation_failed', 'Procedimento não encontrado nesta clínica.', { upsellContraindications: missing });
        }
        const [row] = await tx.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, auth.clinicId)).for('update');
        const settings: AfterVisitSettings = body;
        await tx.update(clinics).set({ settings: sql`${clinics.settings} || jsonb_build_object('afterVisit', ${JSON.stringify(settings)}::jsonb)` }).where(eq(clinics.id, auth.clinicId));
        await recordAudit(tx, c, { action: 'update', entity: 'clinic_after_visit_settings', entityId: auth.clinicId, before: row?.s.afterVisit ?? {}, after: settings });
        return { settings, effective: afterVisitSettingsOf({ ...(row?.s ?? {}), afterVisit: settings }) };
      });
      return c.json({ settings: out.settings as z.infer<typeof Settings>, effective: out.effective as unknown as Record<string, unknown> }, 200);
    });
}
