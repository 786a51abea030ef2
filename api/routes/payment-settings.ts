// /api/admin/payment-settings: the clinic's payment settings (admin only): cap per charge, deposit per
// procedure and its deadline, card fee and commission options, Stripe Connect accounts per professional.
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { clinics, procedures, professionals, type ClinicPaymentSettings } from '../../db/schema';
import type { ApiDeps } from '../context';
import { ApiError } from '../../services/errors';
import { recordAudit } from '../audit';
import { bearer, errorResponses, router } from '../openapi';

const tags = ['Administração'];
const uuidKey = z.uuid({ message: 'Identificador inválido.' });

export function paymentSettingsRoutes(deps: ApiDeps) {
  const Settings = z.strictObject({
    maxChargeCents: z.number().int('Valor em centavos inteiros.').min(100, 'Mínimo R$ 1,00.').max(deps.env.PAYMENT_MAX_CENTS, 'Acima do limite do sistema (PAYMENT_MAX_CENTS).').optional(),
    deposits: z.record(uuidKey, z.strictObject({
      bps: z.number().int().min(1, 'Percentual entre 0,01% e 100%.').max(10000, 'Percentual entre 0,01% e 100%.').optional(),
      cents: z.number().int().min(1, 'Valor do sinal deve ser maior que zero.').optional(),
    }).refine((d) => (d.bps === undefined) !== (d.cents === undefined), 'Informe o sinal em percentual (bps) ou em valor (cents), não os dois.')).optional(),
    depositDeadlineHours: z.number().int().min(1, 'Prazo entre 1 e 24 horas.').max(24, 'Prazo entre 1 e 24 horas (limite do checkout).').optional(),
    cardFeeBps: z.number().int().min(0).max(2000, 'Taxa de cartão de no máximo 20%.').optional(),
    commissionAfterCardFees: z.boolean().optional(),
    fixedCommissionCents: z.record(uuidKey, z.number().int().min(0, 'Comissão fixa não pode ser negativa.')).optional(),
    connectedAccounts: z.record(uuidKey, z.string().regex(/^acct_[A-Za-z0-9]+$/, 'Conta do Stripe Connect no formato acct_…')).optional(),
  }).openapi('PaymentSettings');

  return router()
    .openapi(
      createRoute({ method: 'get', path: '/', tags, summary: 'Configurações de pagamento da clínica', security: bearer,
        responses: { 200: { description: 'Configurações', content: { 'application/json': { schema: z.object({ settings: Settings, systemMaxCents: z.number().int() }) } } }, ...errorResponses(401, 403) } }),
      async (c) => {
        const auth = c.get('auth');
        const settings = await c.get('tenant')(async (tx) => (await tx.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, auth.clinicId)))[0]?.s.payments ?? {});
        return c.json({ settings: settings as z.infer<typeof Settings>, systemMaxCents: deps.env.PAYMENT_MAX_CENTS }, 200);
      },
    )
    .openapi(
      createRoute({ method: 'put', path: '/', tags, summary: 'Substituir as configurações de pagamento (somente admin)', security: bearer,
        request: { body: { content: { 'application/json': { schema: Settings } }, required: true } },
        responses: { 200: { description: 'Salvo', content: { 'application/json': { schema: z.object({ settings: Settings }) } } }, ...errorResponses(400, 401, 403) } }),
      async (c) => {
        const body = c.req.valid('json');
        const auth = c.get('auth');
        const saved = await c.get('tenant')(async (tx) => {
          const procedureIds = [...Object.keys(body.deposits ?? {}), ...Object.keys(body.fixedCommissionCents ?? {})];
          if (procedureIds.length) {
            const found = await tx.select({ id: procedures.id }).from(procedures).where(and(eq(procedures.clinicId, auth.clinicId), inArray(procedures.id, procedureIds)));
            const missing = procedureIds.filter((id) => !found.some((f) => f.id === id));
            if (missing.length) throw new ApiError(400, 'validation_failed', 'Procedimento não encontrado nesta clínica.', { procedures: missing });
          }
          const professionalIds = Object.keys(body.connectedAccounts ?? {});
          if (professionalIds.length) {
            const found = await tx.select({ id: professionals.id }).from(professionals).where(and(eq(professionals.clinicId, auth.clinicId), inArray(professionals.id, professionalIds)));
            const missing = professionalIds.filter((id) => !found.some((f) => f.id === id));
            if (missing.length) throw new ApiError(400, 'validation_failed', 'Profissional não encontrado nesta clínica.', { professionals: missing });
          }
          const [row] = await tx.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, auth.clinicId)).for('update');
          const settings: ClinicPaymentSettings = body;
          // Only our key changes: the rest of the clinic's settings JSON stays as it is.
          await tx.update(clinics).set({ settings: sql`${clinics.settings} || jsonb_build_object('payments', ${JSON.stringify(settings)}::jsonb)` }).where(eq(clinics.id, auth.clinicId));
          await recordAudit(tx, c, { action: 'update', entity: 'clinic_payment_settings', entityId: auth.clinicId, before: row?.s.payments ?? {}, after: settings });
          return settings;
        });
        return c.json({ settings: saved as z.infer<typeof Settings> }, 200);
      },
    );
}
