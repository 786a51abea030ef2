// Procedures the clinic sells: catalogue CRUD (deactivate rather than delete once used) and dated prices.
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { clinics, procedureCategory, procedurePrices, procedures } from '../../db/schema';
import { localDate } from '../../domain/timezone';
import type { ApiDeps } from '../context';
import { ApiError, errors } from '../../services/errors';
import { recordAudit } from '../audit';
import { bearer, errorResponses, router, jsonBody, jsonResponse } from '../openapi';
import { pgError } from '../../db/errors';
import { formatCents, formatDay, IdParam, IsoDay, translateConstraints } from '../catalog/common';
import { getProcedure, listPrices, listProcedures, overlappingPrices, quotePrice, toPriceView } from '../../services/catalog/procedures';

const MAX_CENTS = 100_000_000; // R$ 1 milhão: beyond that it is a typo
const categoryMessage = 'Categoria deve ser facial, corporal, capilar ou outra.';

const cents = (what: string) =>
  z.number({ message: `Informe ${what} em centavos (número inteiro).` })
    .int(`${what[0].toUpperCase()}${what.slice(1)} deve ser um número inteiro de centavos.`)
    .min(0, `${what[0].toUpperCase()}${what.slice(1)} não pode ser negativo.`)
    .max(MAX_CENTS, `${what[0].toUpperCase()}${what.slice(1)} deve ser no máximo R$ 1.000.000,00.`);

const imageUrl = z
  .string()
  .trim()
  .max(2000, 'O endereço da imagem deve ter no máximo 2000 caracteres.')
  .refine((v) => v.startsWith('/') ? !v.startsWith('//') : /^https?:\/\/[^\s]+$/i.test(v) && URL.canParse(v), 'Imagem: informe um endereço http(s) ou um caminho começando com /.');

const Procedure = z
  .object({
    id: z.string(), name: z.string(), description: z.string().nullable(), durationMinutes: z.number().int(),
    defaultPriceCents: z.number().int(), costCents: z.number().int().nullable(), category: z.enum(procedureCategory.enumValues),
    active: z.boolean(), imageUrl: z.string().nullable(),
    currentPriceCents: z.number().int().openapi({ description: 'Preço no dia consultado (hoje, no fuso da clínica): preço datado vigente, senão o padrão.' }),
    createdAt: z.string(), updatedAt: z.string(),
  })
  .openapi('Procedure');

const Price = z
  .object({ id: z.string(), priceCents: z.number().int(), validFrom: z.string(), validTo: z.string().nullable(), createdAt: z.string() })
  .openapi('ProcedurePrice');

const ProcedureDetail = Procedure.extend({ prices: z.array(Price) }).openapi('ProcedureDetail');

const PriceQuote = z
  .object({
    procedureId: z.string(), day: z.string(), priceCents: z.number().int(), source: z.enum(['dated', 'default']),
    priceId: z.string().nullable(), validFrom: z.string().nullable(), validTo: z.string().nullable(),
  })
  .openapi('PriceQuote');

const procedureFields = {
  name: z.string({ message: 'Informe o nome do procedimento.' }).trim().min(2, 'O nome deve ter ao menos 2 caracteres.').max(120, 'O nome deve ter no máximo 120 caracteres.'),
  description: z.string().trim().max(2000, 'A descrição deve ter no máximo 2000 caracteres.').nullable(),
  durationMinutes: z.number({ message: 'Informe a duração em minutos.' }).int('A duração deve ser um número inteiro de minutos.')
    .min(5, 'A duração deve ser de ao menos 5 minutos.').max(720, 'A duração deve ser de no máximo 720 minutos (12 horas).'),
  defaultPriceCents: cents('o preço'),
  costCents: cents('o custo').nullable(),
  category: z.enum(procedureCategory.enumValues, { message: categoryMessage }),
  imageUrl: imageUrl.nullable(),
  active: z.boolean({ message: 'Ativo deve ser verdadeiro ou falso.' }),
};

const NewProcedure = z
  .strictObject({
    ...procedureFields,
    description: procedureFields.description.optional(),
    costCents: procedureFields.costCents.optional(),
    imageUrl: procedureFields.imageUrl.optional(),
    active: procedureFields.active.optional(),
  })
  .openapi('NewProcedure');

const ProcedureUpdate = z
  .strictObject(procedureFields)
  .partial()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Informe ao menos um campo para alterar.' })
  .openapi('ProcedureUpdate');

const NewPrice = z
  .strictObject({ priceCents: cents('o preço'), validFrom: IsoDay, validTo: IsoDay.nullable().optional() })
  .refine((p) => p.validTo == null || p.validTo >= p.validFrom, { message: 'A data final deve ser igual ou posterior à data inicial.', path: ['validTo'] })
  .openapi('NewProcedurePrice');

const ClosePrice = z.strictObject({ validTo: IsoDay }).openapi('CloseProcedurePrice');

const PriceParams = z.object({ id: z.uuid({ message: 'Identificador inválido.' }), priceId: z.uuid({ message: 'Identificador inválido.' }) });

const tags = ['Procedimentos'];

const nameTaken = (name?: string) => () =>
  new ApiError(409, 'conflict', name ? `Já existe um procedimento chamado "${name}".` : 'Já existe um procedimento com este nome.', { name: ['Nome já usado por outro procedimento.'] });

function overlapError(other: { priceCents: number; validFrom: string; validTo: string | null }) {
  const until = other.validTo ? `até ${formatDay(other.validTo)}` : 'sem data final';
  return new ApiError(409, 'conflict',
    `O período se sobrepõe ao preço de ${formatCents(other.priceCents)} vigente de ${formatDay(other.validFrom)} ${until}. Encerre aquele preço antes ou escolha outras datas.`,
    { validFrom: ['Período sobreposto a outro preço.'] });
}
const overlapRace = () => new ApiError(409, 'conflict', 'O período se sobrepõe a outro preço deste procedimento.', { validFrom: ['Período sobreposto a outro preço.'] });

export function procedureRoutes(deps: ApiDeps) {
  /** Today in the clinic's zone: the day "current price" refers to. */
  const today = async (tx: Tx, clinicId: string) => {
    const [clinic] = await tx.select({ timezone: clinics.timezone }).from(clinics).where(eq(clinics.id, clinicId));
    return localDate(deps.now(), clinic?.timezone ?? 'America/Sao_Paulo');
  };
  /** The procedure row, checked against the signed-in clinic (row-level security hides others anyway). */
  const requireProcedure = async (tx: Tx, clinicId: string, id: string) => {
    const [row] = await tx.select().from(procedures).where(and(eq(procedures.id, id), eq(procedures.clinicId, clinicId))).for('update');
    if (!row) throw errors.notFound('Procedimento');
    return row;
  };

  return router()
    .openapi(
      createRoute({
        method: 'get', path: '/', tags, summary: 'Procedimentos (com o preço de hoje)', security: bearer,
        request: {
          query: z.strictObject({
            active: z.enum(['true', 'false'], { message: 'Use active=true ou active=false.' }).optional(),
            category: z.enum(procedureCategory.enumValues, { message: categoryMessage }).optional(),
            date: IsoDay.optional().openapi({ description: 'Dia do preço exibido (padrão: hoje no fuso da clínica).' }),
          }),
        },
        responses: { 200: jsonResponse('Procedimentos por nome', z.object({ procedures: z.array(Procedure) })), ...errorResponses(400, 401) },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const auth = c.get('auth');
        const rows = await c.get('tenant')(async (tx) =>
          listProcedures(tx, { day: q.date ?? (await today(tx, auth.clinicId)), active: q.active === undefined ? undefined : q.active === 'true', category: q.category }));
        return c.json({ procedures: rows }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/{id}', tags, summary: 'Um procedimento, com o histórico de preços', security: bearer,
        request: { params: IdParam },
        responses: { 200: jsonResponse('Procedimento', ProcedureDetail), ...errorResponses(400, 401, 404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const auth = c.get('auth');
        const detail = await c.get('tenant')(async (tx) => {
          const p = await getProcedure(tx, id, await today(tx, auth.clinicId));
          if (!p) throw errors.notFound('Procedimento');
          return { ...p, prices: await listPrices(tx, id) };
        });
        return c.json(detail, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/', tags, summary: 'Cadastrar um procedimento', security: bearer,
        request: { body: jsonBody(NewProcedure) },
        responses: { 201: jsonResponse('Procedimento criado', Procedure), ...errorResponses(400, 401, 403, 409) },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const auth = c.get('auth');
        const created = await translateConstraints(c.get('tenant')(async (tx) => {
          const [row] = await tx.insert(procedures).values({ ...body, clinicId: auth.clinicId }).returning();
          await recordAudit(tx, c, { action: 'create', entity: 'procedure', entityId: row.id, after: row });
          return (await getProcedure(tx, row.id, await today(tx, auth.clinicId)))!;
        }), { procedures_clinic_name_unique: nameTaken(body.name) });
        return c.json(created, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'patch', path: '/{id}', tags, summary: 'Alterar um procedimento', security: bearer,
        request: { params: IdParam, body: jsonBody(ProcedureUpdate) },
        responses: { 200: jsonResponse('Procedimento atualizado', Procedure), ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const patch = c.req.valid('json');
        const auth = c.get('auth');
        const updated = await translateConstraints(c.get('tenant')(async (tx) => {
          const before = await requireProcedure(tx, auth.clinicId, id);
          const [after] = await tx.update(procedures).set(patch).where(eq(procedures.id, id)).returning();
          await recordAudit(tx, c, { action: 'update', entity: 'procedure', entityId: id, before, after });
          return (await getProcedure(tx, id, await today(tx, auth.clinicId)))!;
        }), { procedures_clinic_name_unique: nameTaken(patch.name) });
        return c.json(updated, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/{id}/deactivate', tags, summary: 'Desativar um procedimento (some da agenda e do catálogo; o histórico fica)', security: bearer,
        request: { params: IdParam },
        responses: { 200: jsonResponse('Procedimento desativado', Procedure), ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const auth = c.get('auth');
        const updated = await c.get('tenant')(async (tx) => {
          const before = await requireProcedure(tx, auth.clinicId, id);
          if (before.active) {
            await tx.update(procedures).set({ active: false }).where(eq(procedures.id, id));
            await recordAudit(tx, c, { action: 'deactivate', entity: 'procedure', entityId: id, before: { active: true }, after: { active: false } });
          }
          return (await getProcedure(tx, id, await today(tx, auth.clinicId)))!;
        });
        return c.json(updated, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete', path: '/{id}', tags, summary: 'Excluir um procedimento nunca usado (senão: 409, desative-o)', security: bearer,
        request: { params: IdParam },
        responses: { 204: { description: 'Excluído' }, ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const auth = c.get('auth');
        await c.get('tenant')(async (tx) => {
          const before = await requireProcedure(tx, auth.clinicId, id);
          try {
            // A savepoint: a reference (appointment, patient favourite, qualification) aborts only the delete.
            await tx.transaction((sp) => sp.delete(procedures).where(eq(procedures.id, id)));
          } catch (err) {
            if (pgError(err).code !== '23503') throw err;
            throw new ApiError(409, 'conflict', 'Este procedimento já foi usado (agendamentos, pacientes ou conversas) e não pode ser excluído. Desative-o para tirá-lo do catálogo.');
          }
          await recordAudit(tx, c, { action: 'delete', entity: 'procedure', entityId: id, before });
        });
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/{id}/price', tags, summary: 'Preço do procedimento num dia (preço datado vigente, senão o padrão)', security: bearer,
        request: { params: IdParam, query: z.strictObject({ date: IsoDay.optional().openapi({ description: 'Dia local AAAA-MM-DD (padrão: hoje no fuso da clínica).' }) }) },
        responses: { 200: jsonResponse('Preço no dia', PriceQuote), ...errorResponses(400, 401, 404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const { date } = c.req.valid('query');
        const auth = c.get('auth');
        const quote = await c.get('tenant')(async (tx) => quotePrice(tx, id, date ?? (await today(tx, auth.clinicId))));
        if (!quote) throw errors.notFound('Procedimento');
        return c.json(quote, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/{id}/prices', tags, summary: 'Histórico de preços datados', security: bearer,
        request: { params: IdParam },
        responses: { 200: jsonResponse('Preços por data inicial', z.object({ prices: z.array(Price) })), ...errorResponses(400, 401, 404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const auth = c.get('auth');
        const prices = await c.get('tenant')(async (tx) => {
          const [p] = await tx.select({ id: procedures.id }).from(procedures).where(and(eq(procedures.id, id), eq(procedures.clinicId, auth.clinicId)));
          if (!p) throw errors.notFound('Procedimento');
          return listPrices(tx, id);
        });
        return c.json({ prices }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/{id}/prices', tags, summary: 'Definir um preço para um período (sem data final: até novo aviso)', security: bearer,
        request: { params: IdParam, body: jsonBody(NewPrice) },
        responses: { 201: jsonResponse('Preço criado', Price), ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const body = c.req.valid('json');
        const auth = c.get('auth');
        const price = await translateConstraints(c.get('tenant')(async (tx) => {
          await requireProcedure(tx, auth.clinicId, id); // the row lock serializes price changes of one procedure
          const [clash] = await overlappingPrices(tx, id, body.validFrom, body.validTo ?? null);
          if (clash) throw overlapError(clash);
          const [row] = await tx.insert(procedurePrices)
            .values({ clinicId: auth.clinicId, procedureId: id, priceCents: body.priceCents, validFrom: body.validFrom, validTo: body.validTo ?? null })
            .returning();
          await recordAudit(tx, c, { action: 'create', entity: 'procedure_price', entityId: row.id, after: row });
          return toPriceView(row);
        }), { procedure_prices_no_overlap: overlapRace });
        return c.json(price, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/{id}/prices/{priceId}/close', tags, summary: 'Encerrar (ou mudar a data final de) um preço', security: bearer,
        request: { params: PriceParams, body: jsonBody(ClosePrice) },
        responses: { 200: jsonResponse('Preço encerrado', Price), ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const { id, priceId } = c.req.valid('param');
        const { validTo } = c.req.valid('json');
        const auth = c.get('auth');
        const price = await translateConstraints(c.get('tenant')(async (tx) => {
          await requireProcedure(tx, auth.clinicId, id);
          const [before] = await tx.select().from(procedurePrices).where(and(eq(procedurePrices.id, priceId), eq(procedurePrices.procedureId, id)));
          if (!before) throw errors.notFound('Preço');
          if (validTo < before.validFrom) {
            throw new ApiError(400, 'validation_failed', `A data final deve ser igual ou posterior ao início do preço (${formatDay(before.validFrom)}).`, { validTo: ['Anterior ao início do preço.'] });
          }
          const [clash] = await overlappingPrices(tx, id, before.validFrom, validTo, priceId);
          if (clash) throw overlapError(clash);
          const [after] = await tx.update(procedurePrices).set({ validTo }).where(eq(procedurePrices.id, priceId)).returning();
          await recordAudit(tx, c, { action: 'close', entity: 'procedure_price', entityId: priceId, before, after });
          return toPriceView(after);
        }), { procedure_prices_no_overlap: overlapRace });
        return c.json(price, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete', path: '/{id}/prices/{priceId}', tags, summary: 'Apagar um preço datado lançado por engano', security: bearer,
        request: { params: PriceParams },
        responses: { 204: { description: 'Apagado' }, ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => {
        const { id, priceId } = c.req.valid('param');
        const auth = c.get('auth');
        await c.get('tenant')(async (tx) => {
          await requireProcedure(tx, auth.clinicId, id);
          const [before] = await tx.delete(procedurePrices).where(and(eq(procedurePrices.id, priceId), eq(procedurePrices.procedureId, id))).returning();
          if (!before) throw errors.notFound('Preço');
          await recordAudit(tx, c, { action: 'delete', entity: 'procedure_price', entityId: priceId, before });
        });
        return c.body(null, 204);
      },
    );
}
