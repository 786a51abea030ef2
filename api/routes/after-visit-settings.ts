// /api/admin/after-visit-settings: what happens after the visit (admin only): the NPS reminder and
// expiry, whether the survey is transactional or marketing, the detractors' coupon, the upsell offer's
// window and the procedures it never combines, and the NPS delay and upsell discount (stored at the top
// of clinics.settings as npsDelayHours / upsellDiscountPercent, where their readers look). Read by
// domain/clinic-settings.ts afterVisitSettingsOf, which falls back to the defaults key by key. `texts`
// holds the clinic's own wording of the survey's messages (domain/survey-texts.ts).
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { clinics, procedures } from '../../db/schema';
import { afterVisitSettingsOf, type AfterVisitSettings, type ClinicSettings } from '../../domain/clinic-settings';
import {
  DEFAULT_SURVEY_TEXTS, SURVEY_TEXT_KINDS, SURVEY_TEXT_RULES, SURVEY_TEXT_VARIABLES, renderSurveyText, surveyTextProblems, type SurveyTextKind,
} from '../../domain/survey-texts';
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
  npsDelayHours: int('Envio da pesquisa (horas após o atendimento)', 0, 720).optional(),
  upsellDiscountPercent: int('Desconto do upsell (%)', 0, 100).optional(),
  npsReminderHours: int('Lembrete da pesquisa (horas)', 1, 720).optional(),
  npsExpiryDays: int('Validade da pesquisa (dias)', 1, 60).optional(),
  npsBasis: z.enum(['transactional', 'marketing'], { message: 'Base legal: transactional ou marketing.' }).optional(),
  detractorCoupon: z.strictObject({ discount: Discount.optional(), validityDays: int('Validade do cupom (dias)', 1, 365).optional(), minChargeCents: int('Valor mínimo (centavos)', 0, 10_000_000).optional() }).optional(),
  upsellOfferDays: int('Janela da oferta (dias)', 1, 90).optional(),
  upsellContraindications: z.array(Rule).max(50, 'No máximo 50 regras.').optional(),
  texts: Texts.optional(),
}).openapi('AfterVisitSettings');
const Effective = z.record(z.string(), z.unknown()).openapi('EffectiveAfterVisitSettings');
const TextKind = z.enum(SURVEY_TEXT_KINDS, { message: `Texto: ${SURVEY_TEXT_KINDS.join(', ')}.` });
const TextCatalog = z.array(z.object({
  kind: TextKind, label: z.string(), default: z.string(),
  variables: z.array(z.object({ name: z.string(), meaning: z.string(), required: z.boolean() })),
})).openapi('SurveyTextCatalog');
const PreviewInput = z.strictObject({
  kind: TextKind,
  text: z.string({ message: 'Informe o texto.' }).max(5000, 'Texto longo demais.'),
  patientGender: z.enum(['F', 'M', 'Outro'], { message: 'Gênero: F, M ou Outro.' }).nullish(),
}).openapi('SurveyTextPreviewInput');

/** Every editable text with its default and the variables it may use (the editor's legend). */
const textCatalog = () => SURVEY_TEXT_KINDS.map((kind) => ({
  kind, label: SURVEY_TEXT_RULES[kind].label, default: DEFAULT_SURVEY_TEXTS[kind],
  variables: SURVEY_TEXT_RULES[kind].allowed.map((name) => ({ name, meaning: SURVEY_TEXT_VARIABLES[name] ?? name, required: SURVEY_TEXT_RULES[kind].required.includes(name) })),
}));

/** What the clinic itself set (absent = default): the afterVisit object with the two top-level keys. */
function storedOf(s: ClinicSettings | null | undefined): z.infer<typeof Settings> {
  const out = { ...((s?.afterVisit ?? {}) as z.infer<typeof Settings>) };
  if (typeof s?.npsDelayHours === 'number') out.npsDelayHours = s.npsDelayHours;
  if (typeof s?.upsellDiscountPercent === 'number') out.upsellDiscountPercent = s.upsellDiscountPercent;
  return out;
}

export function afterVisitSettingsRoutes(_deps: ApiDeps) {
  return router()
    .openapi(createRoute({
      method: 'get', path: '/', tags, security: bearer, summary: 'Configurações de pós-atendimento (pesquisa, cupom, upsell) e os valores em vigor',
      responses: { 200: jsonResponse('Configurações', z.object({ settings: Settings, effective: Effective, texts: TextCatalog })), ...errorResponses(401, 403) },
    }), async (c) => {
      const auth = c.get('auth');
      const s = await c.get('tenant')(async (tx) => (await tx.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, auth.clinicId)))[0]?.s);
      return c.json({ settings: storedOf(s), effective: afterVisitSettingsOf(s) as unknown as Record<string, unknown>, texts: textCatalog() }, 200);
    })
    .openapi(createRoute({
      method: 'post', path: '/preview', tags, security: bearer, summary: 'Pré-visualizar um texto da pesquisa com dados de exemplo (e os problemas que impedem salvá-lo)',
      request: { body: jsonBody(PreviewInput) },
      responses: { 200: jsonResponse('Texto renderizado', z.object({ body: z.string(), problems: z.array(z.string()) })), ...errorResponses(400, 401, 403) },
    }), async (c) => {
      const input = c.req.valid('json');
      const auth = c.get('auth');
      const clinicName = await c.get('tenant')(async (tx) => (await tx.select({ name: clinics.name }).from(clinics).where(eq(clinics.id, auth.clinicId)))[0]?.name ?? '');
      const body = renderSurveyText(input.text, {
        patientName: 'Maria', patientGender: input.patientGender ?? 'F', clinicName, procedureName: 'Limpeza de pele',
        professionalName: 'Ana Souza', professionalGender: 'F', link: 'https://exemplo.tigre/p/…',
        coupon: { code: 'VOLTE-7K2P', discountLabel: '15%', validUntil: '2026-12-31' },
      });
      return c.json({ body, problems: surveyTextProblems(input.kind, input.text) }, 200);
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
        const { npsDelayHours, upsellDiscountPercent, ...rest } = body;
        const afterVisit: AfterVisitSettings = rest;
        // The delay and the upsell discount live at the top of the settings (the appointment journey and
        // the upsell read them there); a PUT replaces them too: absent = back to the default.
        const top = { afterVisit, ...(npsDelayHours !== undefined ? { npsDelayHours } : {}), ...(upsellDiscountPercent !== undefined ? { upsellDiscountPercent } : {}) };
        await tx.update(clinics).set({ settings: sql`(${clinics.settings} - 'npsDelayHours' - 'upsellDiscountPercent') || ${JSON.stringify(top)}::jsonb` }).where(eq(clinics.id, auth.clinicId));
        const next = { ...(row?.s ?? {}), npsDelayHours, upsellDiscountPercent, afterVisit };
        await recordAudit(tx, c, { action: 'update', entity: 'clinic_after_visit_settings', entityId: auth.clinicId, before: row ? storedOf(row.s) : {}, after: body });
        return { settings: storedOf(next), effective: afterVisitSettingsOf(next) };
      });
      return c.json({ settings: out.settings, effective: out.effective as unknown as Record<string, unknown> }, 200);
    });
}
