// Professionals: profile and commission, weekly working hours, time blocks, and the procedures each performs.
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import {
  clinicMemberships, professionalProcedures, professionalTimeBlocks, professionalWorkingHours, professionals, procedures, timeBlockKind,
} from '../../db/schema';
import { normalizePhone } from '../../domain/phone';
import type { ApiDeps } from '../context';
import { ApiError, errors } from '../../services/errors';
import { recordAudit } from '../audit';
import { bearer, errorResponses, router, jsonBody, jsonResponse } from '../openapi';
import { firstOverlap, formatMinute, IdParam, Interval, IsoInstant, WEEKDAY_NAMES } from '../catalog/common';
import { getProfessional, listProfessionals, listTimeBlocks, percentToBps, toTimeBlockView, type WeeklyInterval } from '../../services/catalog/professionals';

const MAX_BLOCK_DAYS = 366;

const WeeklyIntervalSchema = z
  .strictObject({
    weekday: z.number({ message: 'Informe o dia da semana (0 = domingo … 6 = sábado).' }).int('Dia da semana: 0 = domingo … 6 = sábado.').min(0, 'Dia da semana: 0 = domingo … 6 = sábado.').max(6, 'Dia da semana: 0 = domingo … 6 = sábado.'),
    startMinute: Interval.shape.startMinute,
    endMinute: Interval.shape.endMinute,
  })
  .refine((i) => i.startMinute < i.endMinute, { message: 'O fim deve ser depois do início.', path: ['endMinute'] })
  .openapi('WeeklyInterval', { example: { weekday: 1, startMinute: 540, endMinute: 720 } });

const Hours = z.array(WeeklyIntervalSchema).max(70, 'No máximo 70 intervalos por semana.');
const ProcedureIds = z
  .array(z.uuid({ message: 'Identificador de procedimento inválido.' }))
  .max(500, 'No máximo 500 procedimentos.');

const Professional = z
  .object({
    id: z.string(), userId: z.string().nullable(), name: z.string(), email: z.string().nullable(), phone: z.string().nullable(),
    specialty: z.string().nullable(),
    commissionPercent: z.number().openapi({ description: 'Comissão em % (até 2 casas decimais).', example: 15.5 }),
    color: z.string(), active: z.boolean(),
    procedures: z.array(z.object({ id: z.string(), name: z.string(), active: z.boolean() })),
    hours: z.array(z.object({ weekday: z.number().int(), startMinute: z.number().int(), endMinute: z.number().int() })),
    createdAt: z.string(), updatedAt: z.string(),
  })
  .openapi('Professional');

const TimeBlock = z
  .object({
    id: z.string(), professionalId: z.string(), startsAt: z.string(), endsAt: z.string(),
    kind: z.enum(timeBlockKind.enumValues), reason: z.string().nullable(), createdAt: z.string(),
  })
  .openapi('TimeBlock');

const phone = z
  .string()
  .trim()
  .nullable()
  .transform((v, ctx) => {
    if (v === null || v === '') return null;
    const e164 = normalizePhone(v);
    if (!e164) {
      ctx.addIssue({ code: 'custom', message: 'Telefone inválido: use DDD + número, ex. (11) 98765-4321.' });
      return z.NEVER;
    }
    return e164;
  });

const commissionPercent = z
  .number({ message: 'Informe a comissão em % (número).' })
  .min(0, 'A comissão deve ser entre 0 e 100%.')
  .max(100, 'A comissão deve ser entre 0 e 100%.')
  .refine((v) => percentToBps(v) !== null, 'A comissão aceita no máximo 2 casas decimais (ex. 15,25).');

const profileFields = {
  name: z.string({ message: 'Informe o nome do profissional.' }).trim().min(2, 'O nome deve ter ao menos 2 caracteres.').max(120, 'O nome deve ter no máximo 120 caracteres.'),
  email: z.string().trim().toLowerCase().pipe(z.email({ message: 'Informe um e-mail válido.' })).nullable(),
  phone,
  specialty: z.string().trim().max(120, 'A especialidade deve ter no máximo 120 caracteres.').nullable(),
  commissionPercent,
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Cor no formato #rrggbb, ex. #6366f1.'),
  active: z.boolean({ message: 'Ativo deve ser verdadeiro ou falso.' }),
  userId: z.uuid({ message: 'Identificador de usuário inválido.' }).nullable(),
};

const NewProfessional = z
  .strictObject({
    name: profileFields.name,
    email: profileFields.email.optional(),
    phone: profileFields.phone.optional(),
    specialty: profileFields.specialty.optional(),
    commissionPercent: profileFields.commissionPercent.optional(),
    color: profileFields.color.optional(),
    active: profileFields.active.optional(),
    userId: profileFields.userId.optional(),
    procedureIds: ProcedureIds.optional(),
    hours: Hours.optional(),
  })
  .openapi('NewProfessional');

const ProfessionalUpdate = z
  .strictObject(profileFields)
  .partial()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Informe ao menos um campo para alterar.' })
  .openapi('ProfessionalUpdate');

const NewTimeBlock = z
  .strictObject({
    startsAt: IsoInstant,
    endsAt: IsoInstant,
    kind: z.enum(timeBlockKind.enumValues, { message: `Tipo deve ser um de: ${timeBlockKind.enumValues.join(', ')}.` }).optional(),
    reason: z.string().trim().max(500, 'O motivo deve ter no máximo 500 caracteres.').nullable().optional(),
  })
  .refine((b) => Date.parse(b.endsAt) > Date.parse(b.startsAt), { message: 'O fim do bloqueio deve ser depois do início.', path: ['endsAt'] })
  .refine((b) => Date.parse(b.endsAt) - Date.parse(b.startsAt) <= MAX_BLOCK_DAYS * 86_400_000, { message: `Um bloqueio pode durar no máximo ${MAX_BLOCK_DAYS} dias.`, path: ['endsAt'] })
  .openapi('NewTimeBlock');

const BlockParams = z.object({ id: z.uuid({ message: 'Identificador inválido.' }), blockId: z.uuid({ message: 'Identificador inválido.' }) });

const tags = ['Profissionais'];

/** Refuses overlapping intervals on one weekday (400 naming the day and both intervals). */
export function assertNoOverlap(hours: WeeklyInterval[], field = 'hours') {
  for (let weekday = 0; weekday <= 6; weekday++) {
    const idx = hours.map((h, i) => (h.weekday === weekday ? i : -1)).filter((i) => i >= 0);
    const clash = firstOverlap(idx.map((i) => hours[i]));
    if (!clash) continue;
    const [a, b] = clash.map((k) => idx[k]);
    const show = (h: WeeklyInterval) => `${formatMinute(h.startMinute)}–${formatMinute(h.endMinute)}`;
    const message = `Horários sobrepostos ${weekday === 0 || weekday === 6 ? 'no' : 'na'} ${WEEKDAY_NAMES[weekday]}: ${show(hours[a])} e ${show(hours[b])}.`;
    throw new ApiError(400, 'validation_failed', message, { [`${field}.${b}`]: [message] });
  }
}

/** Every id must be one of the clinic's procedures (400 naming the unknown positions otherwise). */
async function assertProcedures(tx: Tx, clinicId: string, ids: string[]) {
  if (ids.length === 0) return;
  const found = await tx.select({ id: procedures.id }).from(procedures).where(and(eq(procedures.clinicId, clinicId), inArray(procedures.id, ids)));
  const known = new Set(found.map((r) => r.id));
  const fields: Record<string, string[]> = {};
  ids.forEach((id, i) => { if (!known.has(id)) fields[`procedureIds.${i}`] = ['Procedimento não encontrado nesta clínica.']; });
  if (Object.keys(fields).length) throw new ApiError(400, 'validation_failed', 'Procedimento não encontrado: verifique a lista de procedimentos.', fields);
}

/** A user linked to a professional must be a member of this clinic. */
async function assertMember(tx: Tx, clinicId: string, userId: string | null | undefined) {
  if (!userId) return;
  const [m] = await tx.select({ id: clinicMemberships.id }).from(clinicMemberships).where(and(eq(clinicMemberships.clinicId, clinicId), eq(clinicMemberships.userId, userId)));
  if (!m) throw new ApiError(400, 'validation_failed', 'Usuário não encontrado entre os membros da clínica.', { userId: ['Usuário não é membro desta clínica.'] });
}

async function replaceHours(tx: Tx, clinicId: string, professionalId: string, hours: WeeklyInterval[]) {
  await tx.delete(professionalWorkingHours).where(eq(professionalWorkingHours.professionalId, professionalId));
  if (hours.length) await tx.insert(professionalWorkingHours).values(hours.map((h) => ({ clinicId, professionalId, ...h })));
}

async function replaceProcedures(tx: Tx, clinicId: string, professionalId: string, ids: string[]) {
  await tx.delete(professionalProcedures).where(eq(professionalProcedures.professionalId, professionalId));
  if (ids.length) await tx.insert(professionalProcedures).values(ids.map((procedureId) => ({ clinicId, professionalId, procedureId })));
}

const sortHours = (hours: WeeklyInterval[]) =>
  hours.map(({ weekday, startMinute, endMinute }) => ({ weekday, startMinute, endMinute }))
    .sort((a, b) => a.weekday - b.weekday || a.startMinute - b.startMinute);

export function professionalRoutes(_deps: ApiDeps) {
  /** The professional row (locked), checked against the signed-in clinic (row-level security hides others anyway). */
  const requireProfessional = async (tx: Tx, clinicId: string, id: string) => {
    const [row] = await tx.select().from(professionals).where(and(eq(professionals.id, id), eq(professionals.clinicId, clinicId))).for('update');
    if (!row) throw errors.notFound('Profissional');
    return row;
  };

  return router()
    .openapi(
      createRoute({
        method: 'get', path: '/', tags, summary: 'Profissionais, com procedimentos e horários semanais', security: bearer,
        request: { query: z.strictObject({ active: z.enum(['true', 'false'], { message: 'Use active=true ou active=false.' }).optional() }) },
        responses: { 200: jsonResponse('Profissionais por nome', z.object({ professionals: z.array(Professional) })), ...errorResponses(400, 401) },
      }),
      async (c) => {
        const { active } = c.req.valid('query');
        const rows = await c.get('tenant')((tx) => listProfessionals(tx, { active: active === undefined ? undefined : active === 'true' }));
        return c.json({ professionals: rows }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/{id}', tags, summary: 'Um profissional', security: bearer,
        request: { params: IdParam },
        responses: { 200: jsonResponse('Profissional', Professional), ...errorResponses(400, 401, 404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const p = await c.get('tenant')((tx) => getProfessional(tx, id));
        if (!p) throw errors.notFound('Profissional');
        return c.json(p, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/', tags, summary: 'Cadastrar um profissional (opcional: procedimentos e horários)', security: bearer,
        request: { body: jsonBody(NewProfessional) },
        responses: { 201: jsonResponse('Profissional criado', Professional), ...errorResponses(400, 401, 403, 409) },
      }),
      async (c) => {
        const { procedureIds, hours, commissionPercent: pct, ...profile } = c.req.valid('json');
        const auth = c.get('auth');
        const ids = [...new Set(procedureIds ?? [])];
        if (hours) assertNoOverlap(hours);
        const created = await c.get('tenant')(async (tx) => {
          await assertMember(tx, auth.clinicId, profile.userId);
          await assertProcedures(tx, auth.clinicId, procedureIds ?? []);
          const [row] = await tx.insert(professionals).values({
            ...profile, clinicId: auth.clinicId, ...(pct === undefined ? {} : { commissionBps: percentToBps(pct)! }),
          }).returning();
          await replaceProcedures(tx, auth.clinicId, row.id, ids);
          await replaceHours(tx, auth.clinicId, row.id, hours ?? []);
          const view = (await getProfessional(tx, row.id))!;
          await recordAudit(tx, c, { action: 'create', entity: 'professional', entityId: row.id, after: view });
          return view;
        });
        return c.json(created, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'patch', path: '/{id}', tags, summary: 'Alterar dados e comissão de um profissional', security: bearer,
        request: { params: IdParam, body: jsonBody(ProfessionalUpdate) },
        responses: { 200: jsonResponse('Profissional atualizado', Professional), ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const { commissionPercent: pct, ...patch } = c.req.valid('json');
        const auth = c.get('auth');
        const updated = await c.get('tenant')(async (tx) => {
          const before = await requireProfessional(tx, auth.clinicId, id);
          await assertMember(tx, auth.clinicId, patch.userId);
          const [after] = await tx.update(professionals)
            .set({ ...patch, ...(pct === undefined ? {} : { commissionBps: percentToBps(pct)! }) })
            .where(eq(professionals.id, id)).returning();
          await recordAudit(tx, c, { action: 'update', entity: 'professional', entityId: id, before, after });
          return (await getProfessional(tx, id))!;
        });
        return c.json(updated, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put', path: '/{id}/hours', tags, summary: 'Substituir os horários semanais (vários intervalos por dia)', security: bearer,
        request: { params: IdParam, body: jsonBody(z.strictObject({ hours: Hours }).openapi('WeeklyHours')) },
        responses: { 200: jsonResponse('Profissional com os novos horários', Professional), ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const { hours } = c.req.valid('json');
        const auth = c.get('auth');
        assertNoOverlap(hours);
        const updated = await c.get('tenant')(async (tx) => {
          await requireProfessional(tx, auth.clinicId, id);
          const before = await tx.select().from(professionalWorkingHours).where(eq(professionalWorkingHours.professionalId, id));
          await replaceHours(tx, auth.clinicId, id, hours);
          await recordAudit(tx, c, { action: 'replace', entity: 'professional_hours', entityId: id, before: sortHours(before), after: sortHours(hours) });
          return (await getProfessional(tx, id))!;
        });
        return c.json(updated, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put', path: '/{id}/procedures', tags, summary: 'Substituir os procedimentos que o profissional realiza', security: bearer,
        request: { params: IdParam, body: jsonBody(z.strictObject({ procedureIds: ProcedureIds }).openapi('ProfessionalProcedures')) },
        responses: { 200: jsonResponse('Profissional com os procedimentos', Professional), ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const { procedureIds } = c.req.valid('json');
        const auth = c.get('auth');
        const updated = await c.get('tenant')(async (tx) => {
          await requireProfessional(tx, auth.clinicId, id);
          await assertProcedures(tx, auth.clinicId, procedureIds);
          const before = await tx.select({ procedureId: professionalProcedures.procedureId }).from(professionalProcedures).where(eq(professionalProcedures.professionalId, id));
          const ids = [...new Set(procedureIds)];
          await replaceProcedures(tx, auth.clinicId, id, ids);
          await recordAudit(tx, c, { action: 'replace', entity: 'professional_procedures', entityId: id, before: before.map((r) => r.procedureId).sort(), after: [...ids].sort() });
          return (await getProfessional(tx, id))!;
        });
        return c.json(updated, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/{id}/blocks', tags, summary: 'Bloqueios de horário (os que tocam o período [from, to))', security: bearer,
        request: { params: IdParam, query: z.strictObject({ from: IsoInstant.optional(), to: IsoInstant.optional() }) },
        responses: { 200: jsonResponse('Bloqueios por início', z.object({ blocks: z.array(TimeBlock) })), ...errorResponses(400, 401, 404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const q = c.req.valid('query');
        const auth = c.get('auth');
        const from = q.from ? new Date(q.from) : undefined;
        const to = q.to ? new Date(q.to) : undefined;
        if (from && to && to <= from) throw new ApiError(400, 'validation_failed', 'O fim do período deve ser depois do início.', { to: ['Deve ser depois de "from".'] });
        const blocks = await c.get('tenant')(async (tx) => {
          const [p] = await tx.select({ id: professionals.id }).from(professionals).where(and(eq(professionals.id, id), eq(professionals.clinicId, auth.clinicId)));
          if (!p) throw errors.notFound('Profissional');
          return listTimeBlocks(tx, id, { from, to });
        });
        return c.json({ blocks }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/{id}/blocks', tags, summary: 'Bloquear um horário (férias, almoço, reunião…)', security: bearer,
        request: { params: IdParam, body: jsonBody(NewTimeBlock) },
        responses: { 201: jsonResponse('Bloqueio criado', TimeBlock), ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const body = c.req.valid('json');
        const auth = c.get('auth');
        const block = await c.get('tenant')(async (tx) => {
          await requireProfessional(tx, auth.clinicId, id);
          const [row] = await tx.insert(professionalTimeBlocks).values({
            clinicId: auth.clinicId, professionalId: id, startsAt: new Date(body.startsAt), endsAt: new Date(body.endsAt),
            kind: body.kind ?? 'outro', reason: body.reason ?? null,
          }).returning();
          await recordAudit(tx, c, { action: 'create', entity: 'time_block', entityId: row.id, after: row });
          return toTimeBlockView(row);
        });
        return c.json(block, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'delete', path: '/{id}/blocks/{blockId}', tags, summary: 'Remover um bloqueio', security: bearer,
        request: { params: BlockParams },
        responses: { 204: { description: 'Removido' }, ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => {
        const { id, blockId } = c.req.valid('param');
        const auth = c.get('auth');
        await c.get('tenant')(async (tx) => {
          await requireProfessional(tx, auth.clinicId, id);
          const [before] = await tx.delete(professionalTimeBlocks)
            .where(and(eq(professionalTimeBlocks.id, blockId), eq(professionalTimeBlocks.professionalId, id))).returning();
          if (!before) throw errors.notFound('Bloqueio');
          await recordAudit(tx, c, { action: 'delete', entity: 'time_block', entityId: blockId, before });
        });
        return c.body(null, 204);
      },
    );
}
