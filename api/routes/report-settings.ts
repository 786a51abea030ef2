// /api/admin/report-settings (admin only): the monthly report e-mailed on the 1st to up to ten addresses
// (activities/reports.ts; the Schedule `monthly-report-email`). Stored as clinics.settings.reports and read
// by domain/clinic-settings.ts reportSettingsOf.
import { createRoute, z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import { clinics } from '../../db/schema';
import { MAX_REPORT_RECIPIENTS, isEmailAddress, reportSettingsOf } from '../../domain/clinic-settings';
import type { ApiDeps } from '../context';
import { recordAudit } from '../audit';
import { bearer, errorResponses, jsonBody, jsonResponse, router } from '../openapi';

const tags = ['Administração'];
const Settings = z.strictObject({
  monthlyEmail: z.strictObject({
    enabled: z.boolean({ message: 'Envio automático: verdadeiro ou falso.' }),
    recipients: z.array(
      z.string({ message: 'E-mail: informe um endereço.' }).trim().toLowerCase().refine(isEmailAddress, 'E-mail inválido.'),
    ).max(MAX_REPORT_RECIPIENTS, `No máximo ${MAX_REPORT_RECIPIENTS} destinatários.`)
      .refine((r) => new Set(r).size === r.length, 'Destinatário repetido.'),
  }).refine((m) => !m.enabled || m.recipients.length > 0, { message: 'Informe ao menos um e-mail para ligar o envio.', path: ['recipients'] }),
}).openapi('ReportSettings');

export function reportSettingsRoutes(_deps: ApiDeps) {
  return router()
    .openapi(createRoute({
      method: 'get', path: '/', tags, security: bearer, summary: 'Envio do relatório mensal por e-mail (dia 1º, a partir das 8h)',
      responses: { 200: jsonResponse('Configuração', Settings), ...errorResponses(401, 403) },
    }), async (c) => {
      const auth = c.get('auth');
      const s = await c.get('tenant')(async (tx) => (await tx.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, auth.clinicId)))[0]?.s);
      return c.json(reportSettingsOf(s), 200);
    })
    .openapi(createRoute({
      method: 'put', path: '/', tags, security: bearer, summary: 'Salvar o envio do relatório mensal por e-mail (somente admin)',
      request: { body: jsonBody(Settings) },
      responses: { 200: jsonResponse('Salvo', Settings), ...errorResponses(400, 401, 403) },
    }), async (c) => {
      const body = c.req.valid('json');
      const auth = c.get('auth');
      const out = await c.get('tenant')(async (tx) => {
        const [row] = await tx.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, auth.clinicId)).for('update');
        await tx.update(clinics).set({ settings: sql`${clinics.settings} || ${JSON.stringify({ reports: body })}::jsonb` }).where(eq(clinics.id, auth.clinicId));
        await recordAudit(tx, c, { action: 'update', entity: 'clinic_report_settings', entityId: auth.clinicId, before: reportSettingsOf(row?.s), after: body });
        return reportSettingsOf({ ...(row?.s ?? {}), reports: body });
      });
      return c.json(out, 200);
    });
}
