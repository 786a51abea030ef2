// Campanhas (issue #12): the patients at risk with their score, reasons and value (JSON or CSV), the
// reactivation campaigns with their measured lift, the churn model's versions, and one patient's score
// for her page. The numbers are defined in services/reactivation (scoring.ts writes the scores,
// reports.ts reads them).
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, isNull } from 'drizzle-orm';
import { patients } from '../../db/schema';
import { clinicScheduling } from '../../services/catalog/settings';
import { ApiError } from '../../services/errors';
import { atRiskCsv, atRiskPatients, campaignSummaries, modelVersions, patientScore } from '../../services/reactivation/reports';
import { localDate } from '../../domain/timezone';
import type { ApiDeps } from '../context';
import { bearer, errorResponses, jsonResponse, router, Uuid } from '../openapi';

const tags = ['Campanhas'];
const CSV_LIMIT = 100_000;

const int = (what: string, min: number, max: number) =>
  z.coerce.number({ message: `${what} deve ser um número.` }).int(`${what} deve ser um número inteiro.`).min(min, `${what}: mínimo ${min}.`).max(max, `${what}: máximo ${max}.`);

const AtRiskQuery = z.strictObject({
  minRisk: z.coerce.number({ message: 'O risco mínimo deve ser um número de 0 a 100.' })
    .int('O risco mínimo deve ser um número inteiro de 0 a 100.').min(0, 'O risco mínimo deve ser de 0 a 100.').max(100, 'O risco mínimo deve ser de 0 a 100.')
    .optional().openapi({ description: 'Só pacientes com risco ≥ este valor (0–100).' }),
  q: z.string().trim().max(100, 'A busca pode ter no máximo 100 caracteres.').optional().openapi({ description: 'Parte do nome (sem acentos ou maiúsculas).' }),
  visited: z.enum(['true', 'false'], { message: 'Use visited=true (só quem já veio) ou visited=false (só quem nunca veio).' }).transform((v) => v === 'true').optional()
    .openapi({ description: 'true: só pacientes com atendimento realizado; false: só quem nunca veio; ausente: todas.' }),
  sort: z.enum(['risk', 'clv', 'inactive'], { message: 'Ordene por risk (risco), clv (valor) ou inactive (tempo sem vir).' }).default('risk'),
  limit: int('O limite', 1, 200).default(50),
  offset: int('O deslocamento', 0, 1_000_000).default(0),
  format: z.enum(['json', 'csv'], { message: 'Use format=json ou format=csv.' }).default('json')
    .openapi({ description: 'csv: todas as pacientes do filtro (até 100.000), separadas por ";", valores como 1234,56.' }),
});

const Factor = z.object({ name: z.string(), label: z.string(), contribution: z.number(), sign: z.union([z.literal(1), z.literal(-1)]) }).openapi('ScoreFactor');
const Instant = z.string().openapi({ format: 'date-time' });
const AtRiskPatient = z.object({
  patientId: z.string(), name: z.string(), phone: z.string().nullable(), lastVisitAt: Instant.nullable(), daysSinceLastVisit: z.number().int().nullable(),
  risk: z.number().int().min(0).max(100), pAlive: z.number(), expectedVisits: z.number(), clvCents: z.number().int(), averageTicketCents: z.number().int(),
  modelVersion: z.number().int().nullable(), factors: z.array(Factor), scoredAt: Instant,
}).openapi('AtRiskPatient');
const Arm = z.object({ n: z.number().int(), returned: z.number().int(), open: z.number().int(), returnRate: z.number().nullable(), revenueCents: z.number() });
const Lift = z.object({ lift: z.number().nullable(), low: z.number().nullable(), high: z.number().nullable() });
const Money = z.object({ cents: z.number().nullable(), low: z.number().nullable(), high: z.number().nullable() });
const Campaign = z.object({
  id: z.string(), day: z.string(), holdoutShare: z.number(), eligible: z.number().int(), contacted: z.number().int(), control: z.number().int(), deferred: z.number().int(),
  arms: z.object({ contacted: Arm, control: Arm }), lift: Lift, liftRevenue: Money, windowEndsAt: Instant.nullable(), closed: z.boolean(),
}).openapi('ReactivationCampaign');
const Totals = z.object({
  campaigns: z.number().int().openapi({ description: 'Campanhas encerradas.' }),
  comparable: z.number().int().openapi({ description: 'Delas, as que tiveram grupo de controle: o lift compara só estas.' }),
  arms: z.object({ contacted: Arm, control: Arm }).openapi({ description: 'Somas de todas as campanhas encerradas.' }),
  compared: z.object({ contacted: Arm, control: Arm }).openapi({ description: 'Somas das campanhas comparáveis (as do lift).' }),
  lift: Lift, liftRevenue: Money,
}).openapi('ReactivationTotals');
const Model = z.object({
  version: z.number().int(), trainedAt: Instant, examples: z.number().int(), positives: z.number().int(), auc: z.number().nullable(), brier: z.number().nullable(),
  calibration: z.object({
    bins: z.array(z.object({ low: z.number(), high: z.number(), count: z.number().int(), meanPredicted: z.number(), observed: z.number() })), ece: z.number(),
  }).nullable(),
  weights: z.array(z.object({ name: z.string(), label: z.string(), weight: z.number() })),
  inUse: z.boolean().openapi({ description: 'A versão usada hoje nas pontuações.' }),
  belowMinimum: z.boolean().openapi({ description: 'Guardada mas não usada: AUC no conjunto separado abaixo de 0,55.' }),
}).openapi('ChurnModelVersion');
const Score = z.object({
  risk: z.number().int(), pAlive: z.number(), expectedVisits: z.number(), clvCents: z.number().int(), averageTicketCents: z.number().int(),
  lastVisitAt: Instant.nullable(), daysSinceLastVisit: z.number().int().nullable(), modelVersion: z.number().int().nullable(), factors: z.array(Factor), scoredAt: Instant,
}).openapi('PatientScore');

export function reactivationRoutes(deps: ApiDeps) {
  return router()
    .openapi(createRoute({
      method: 'get', path: '/reactivation/at-risk', tags, security: bearer,
      summary: 'Pacientes em risco: risco (0–100), fatores, valor esperado em 12 meses e última visita; filtros, ordem, páginas e exportação CSV',
      request: { query: AtRiskQuery },
      responses: {
        200: {
          description: 'Pacientes (JSON) ou planilha (CSV)',
          content: {
            'application/json': { schema: z.object({ total: z.number().int(), patients: z.array(AtRiskPatient) }) },
            'text/csv': { schema: z.string() },
          },
        },
        ...errorResponses(400, 401),
      },
    }), async (c) => {
      const q = c.req.valid('query');
      const auth = c.get('auth');
      if (q.format === 'csv') {
        const { csv, day } = await c.get('tenant')(async (tx) => {
          const tz = (await clinicScheduling(tx, auth.clinicId))?.timezone ?? 'America/Sao_Paulo';
          const list = await atRiskPatients(tx, auth.clinicId, { minRisk: q.minRisk, visited: q.visited, q: q.q, sort: q.sort, limit: CSV_LIMIT, offset: 0 });
          return { csv: await atRiskCsv(list.patients, tz), day: localDate(deps.now(), tz) };
        });
        return new Response(csv, {
          status: 200,
          headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="pacientes-em-risco-${day}.csv"` },
        }) as never;
      }
      const out = await c.get('tenant')((tx) => atRiskPatients(tx, auth.clinicId, q));
      return c.json(out, 200);
    })
    .openapi(createRoute({
      method: 'get', path: '/reactivation/campaigns', tags, security: bearer,
      summary: 'Campanhas de reativação: contatadas, grupo de controle, retornos por grupo, lift com intervalo de 95% e receita; total das campanhas encerradas',
      request: { query: z.strictObject({ limit: int('O limite', 1, 1000).default(120) }) },
      responses: { 200: jsonResponse('Campanhas', z.object({ campaigns: z.array(Campaign), total: Totals })), ...errorResponses(400, 401) },
    }), async (c) => {
      const { limit } = c.req.valid('query');
      const auth = c.get('auth');
      const out = await c.get('tenant')((tx) => campaignSummaries(tx, auth.clinicId, limit));
      return c.json(out, 200);
    })
    .openapi(createRoute({
      method: 'get', path: '/reactivation/models', tags, security: bearer,
      summary: 'Versões do modelo de risco: quando, com quantos desfechos, AUC e Brier no conjunto separado, calibração e pesos',
      responses: { 200: jsonResponse('Versões', z.object({ models: z.array(Model) })), ...errorResponses(401) },
    }), async (c) => {
      const auth = c.get('auth');
      const models = await c.get('tenant')((tx) => modelVersions(tx, auth.clinicId));
      return c.json({ models }, 200);
    })
    .openapi(createRoute({
      method: 'get', path: '/patients/{id}/score', tags, security: bearer, summary: 'Risco, chance de ainda ser paciente, valor em 12 meses e fatores do paciente',
      request: { params: z.object({ id: Uuid }) },
      responses: { 200: jsonResponse('Pontuação', z.object({ patientId: z.string(), score: Score.nullable() })), ...errorResponses(400, 401, 404) },
    }), async (c) => {
      const { id } = c.req.valid('param');
      const auth = c.get('auth');
      const score = await c.get('tenant')(async (tx) => {
        const [p] = await tx.select({ id: patients.id }).from(patients).where(and(eq(patients.clinicId, auth.clinicId), eq(patients.id, id), isNull(patients.deletedAt)));
        if (!p) throw new ApiError(404, 'not_found', 'Paciente não encontrado nesta clínica.');
        return patientScore(tx, auth.clinicId, id);
      });
      return c.json({ patientId: id, score }, 200);
    });
}
