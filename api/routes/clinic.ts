// The clinic's scheduling setup: slot settings and time zone (admin writes), holidays and date overrides (staff writes).
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { clinicDateOverrides, clinicHolidays, clinics, professionals } from '../../db/schema';
import type { ApiDeps } from '../context';
import { ApiError, errors } from '../../services/errors';
import { recordAudit } from '../audit';
import { bearer, errorResponses, router, jsonBody, jsonResponse } from '../openapi';
import { firstOverlap, formatDay, formatMinute, IdParam, Interval, IsoDay, translateConstraints } from '../catalog/common';
import { listDateOverrides, listHolidays, toDateOverrideView } from '../../services/catalog/calendar';
import { DEFAULT_SLOT_SETTINGS, SLOT_SETTING_LIMITS, slotSettingsOf } from '../../domain/clinic-settings';

const setting = (key: keyof typeof SLOT_SETTING_LIMITS, label: string) => {
  const [min, max] = SLOT_SETTING_LIMITS[key];
  const msg = `${label} deve ser um número inteiro entre ${min} e ${max}.`;
  return z.number({ message: msg }).int(msg).min(min, msg).max(max, msg);
};

const SlotSettingsFields = {
  slotIntervalMinutes: setting('slotIntervalMinutes', 'O intervalo entre horários (minutos)'),
  bufferBeforeMinutes: setting('bufferBeforeMinutes', 'O intervalo antes do atendimento (minutos)'),
  bufferAfterMinutes: setting('bufferAfterMinutes', 'O intervalo depois do atendimento (minutos)'),
  minNoticeMinutes: setting('minNoticeMinutes', 'A antecedência mínima (minutos)'),
  horizonDays: setting('horizonDays', 'O horizonte de agendamento (dias)'),
};

const SlotSettings = z
  .object(Object.fromEntries(Object.keys(SlotSettingsFields).map((k) => [k, z.number().int()])) as Record<keyof typeof SlotSettingsFields, z.ZodNumber>)
  .openapi('SlotSettings');

const Scheduling = z
  .object({
    name: z.string(),
    timezone: z.string(),
    slotSettings: SlotSettings,
    defaults: SlotSettings.openapi({ description: 'Valores usados quando a clínica não definiu o seu.' }),
  })
  .openapi('ClinicScheduling');

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.includes('/') || tz === 'UTC';
  } catch {
    return false;
  }
};

const SchedulingUpdate = z
  .strictObject({
    timezone: z.string().trim().refine(isTimeZone, 'Fuso horário inválido: use um nome IANA, ex. America/Sao_Paulo.').optional(),
    slotSettings: z.strictObject(SlotSettingsFields).partial().optional(),
  })
  .refine((b) => b.timezone !== undefined || (b.slotSettings && Object.values(b.slotSettings).some((v) => v !== undefined)), { message: 'Informe ao menos um campo para alterar.' })
  .openapi('ClinicSchedulingUpdate');

const Holiday = z.object({ id: z.string(), day: z.string(), name: z.string() }).openapi('Holiday');
const NewHoliday = z
  .strictObject({
    day: IsoDay,
    name: z.string({ message: 'Informe o nome do feriado.' }).trim().min(2, 'O nome deve ter ao menos 2 caracteres.').max(120, 'O nome deve ter no máximo 120 caracteres.'),
  })
  .openapi('NewHoliday');

const DateOverride = z
  .object({
    id: z.string(), professionalId: z.string().nullable(), day: z.string(), closed: z.boolean(),
    intervals: z.array(z.object({ startMinute: z.number().int(), endMinute: z.number().int() })), reason: z.string().nullable(), createdAt: z.string(),
  })
  .openapi('DateOverride');

const NewDateOverride = z
  .strictObject({
    day: IsoDay,
    professionalId: z.uuid({ message: 'Identificador de profissional inválido.' }).nullable().optional()
      .openapi({ description: 'Vazio: vale para a clínica toda.' }),
    closed: z.boolean({ message: 'Fechado deve ser verdadeiro ou falso.' }).optional()
      .openapi({ description: 'true: fechado o dia todo. Padrão: fechado quando não há intervalos.' }),
    intervals: z.array(Interval).max(12, 'No máximo 12 intervalos por dia.').optional()
      .openapi({ description: 'Horário especial do dia (substitui o horário semanal).' }),
    reason: z.string().trim().max(500, 'O motivo deve ter no máximo 500 caracteres.').nullable().optional(),
  })
  .superRefine((b, ctx) => {
    const closed = b.closed ?? !(b.intervals?.length);
    if (closed && b.intervals?.length) ctx.addIssue({ code: 'custom', path: ['intervals'], message: 'Um dia fechado não tem horários: remova os intervalos ou use closed=false.' });
    if (!closed && !b.intervals?.length) ctx.addIssue({ code: 'custom', path: ['intervals'], message: 'Informe ao menos um intervalo de atendimento, ou marque o dia como fechado.' });
    const clash = b.intervals ? firstOverlap(b.intervals) : null;
    if (clash) {
      const [x, y] = clash.map((i) => b.intervals![i]);
      ctx.addIssue({ code: 'custom', path: ['intervals', clash[1]], message: `Intervalos sobrepostos: ${formatMinute(x.startMinute)}–${formatMinute(x.endMinute)} e ${formatMinute(y.startMinute)}–${formatMinute(y.endMinute)}.` });
    }
  })
  .openapi('NewDateOverride');

const DayRange = z.strictObject({ from: IsoDay.optional(), to: IsoDay.optional() });
const checkRange = (q: { from?: string; to?: string }) => {
  if (q.from && q.to && q.to < q.from) throw new ApiError(400, 'validation_failed', 'O início do período deve ser anterior ou igual ao fim.', { from: ['Deve ser anterior ou igual a "to".'] });
};

const tags = ['Clínica'];

async function scheduling(tx: Tx, clinicId: string) {
  const [row] = await tx.select({ name: clinics.name, timezone: clinics.timezone, settings: clinics.settings }).from(clinics).where(eq(clinics.id, clinicId));
  if (!row) throw errors.notFound('Clínica');
  return { name: row.name, timezone: row.timezone, slotSettings: slotSettingsOf(row.settings), defaults: { ...DEFAULT_SLOT_SETTINGS } };
}

const settingsRoute = createRoute({
  method: 'get', path: '/settings', tags, summary: 'Configurações de agenda da clínica (fuso, grade de horários, intervalos, antecedência, horizonte)', security: bearer,
  responses: { 200: jsonResponse('Configurações', Scheduling), ...errorResponses(401) },
});

/** Mounted at /api/clinic: reads for every member; holidays and overrides writable by staff. */
export function clinicRoutes(_deps: ApiDeps) {
  return router()
    .openapi(settingsRoute, async (c) => c.json(await c.get('tenant')((tx) => scheduling(tx, c.get('auth').clinicId)), 200))
    .openapi(
      createRoute({
        method: 'get', path: '/holidays', tags, summary: 'Feriados (clínica fechada)', security: bearer,
        request: { query: DayRange },
        responses: { 200: jsonResponse('Feriados por data', z.object({ holidays: z.array(Holiday) })), ...errorResponses(400, 401) },
      }),
      async (c) => {
        const q = c.req.valid('query');
        checkRange(q);
        return c.json({ holidays: await c.get('tenant')((tx) => listHolidays(tx, q)) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/holidays', tags, summary: 'Cadastrar um feriado', security: bearer,
        request: { body: jsonBody(NewHoliday) },
        responses: { 201: jsonResponse('Feriado criado', Holiday), ...errorResponses(400, 401, 403, 409) },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const auth = c.get('auth');
        const holiday = await translateConstraints(c.get('tenant')(async (tx) => {
          const [row] = await tx.insert(clinicHolidays).values({ clinicId: auth.clinicId, ...body })
            .returning({ id: clinicHolidays.id, day: clinicHolidays.day, name: clinicHolidays.name });
          await recordAudit(tx, c, { action: 'create', entity: 'clinic_holiday', entityId: row.id, after: row });
          return row;
        }), {
          clinic_holidays_clinic_day_unique: () => new ApiError(409, 'conflict', `Já existe um feriado em ${formatDay(body.day)}.`, { day: ['Data já cadastrada como feriado.'] }),
        });
        return c.json(holiday, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'delete', path: '/holidays/{id}', tags, summary: 'Remover um feriado', security: bearer,
        request: { params: IdParam },
        responses: { 204: { description: 'Removido' }, ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const auth = c.get('auth');
        await c.get('tenant')(async (tx) => {
          const [before] = await tx.delete(clinicHolidays).where(and(eq(clinicHolidays.id, id), eq(clinicHolidays.clinicId, auth.clinicId)))
            .returning({ id: clinicHolidays.id, day: clinicHolidays.day, name: clinicHolidays.name });
          if (!before) throw errors.notFound('Feriado');
          await recordAudit(tx, c, { action: 'delete', entity: 'clinic_holiday', entityId: id, before });
        });
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/overrides', tags, summary: 'Exceções de data (dia fechado ou horário especial, da clínica ou de um profissional)', security: bearer,
        request: {
          query: DayRange.extend({
            professionalId: z.uuid({ message: 'Identificador de profissional inválido.' }).optional()
              .openapi({ description: 'As do profissional e as da clínica toda.' }),
          }),
        },
        responses: { 200: jsonResponse('Exceções por data', z.object({ overrides: z.array(DateOverride) })), ...errorResponses(400, 401) },
      }),
      async (c) => {
        const q = c.req.valid('query');
        checkRange(q);
        return c.json({ overrides: await c.get('tenant')((tx) => listDateOverrides(tx, q)) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/overrides', tags, summary: 'Cadastrar uma exceção de data', security: bearer,
        request: { body: jsonBody(NewDateOverride) },
        responses: { 201: jsonResponse('Exceção criada', DateOverride), ...errorResponses(400, 401, 403, 409) },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const auth = c.get('auth');
        const professionalId = body.professionalId ?? null;
        const intervals = [...(body.intervals ?? [])].sort((a, b) => a.startMinute - b.startMinute);
        const override = await translateConstraints(c.get('tenant')(async (tx) => {
          if (professionalId) {
            const [p] = await tx.select({ id: professionals.id }).from(professionals).where(and(eq(professionals.id, professionalId), eq(professionals.clinicId, auth.clinicId)));
            if (!p) throw new ApiError(400, 'validation_failed', 'Profissional não encontrado nesta clínica.', { professionalId: ['Profissional não encontrado.'] });
          }
          const [row] = await tx.insert(clinicDateOverrides).values({
            clinicId: auth.clinicId, professionalId, day: body.day, closed: intervals.length === 0, intervals, reason: body.reason ?? null,
          }).returning();
          await recordAudit(tx, c, { action: 'create', entity: 'clinic_date_override', entityId: row.id, after: row });
          return toDateOverrideView(row);
        }), {
          clinic_date_overrides_scope_day_unique: () => new ApiError(409, 'conflict',
            `Já existe uma exceção em ${formatDay(body.day)} ${professionalId ? 'para este profissional' : 'para a clínica toda'}. Remova-a antes de cadastrar outra.`,
            { day: ['Data já tem exceção.'] }),
        });
        return c.json(override, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'delete', path: '/overrides/{id}', tags, summary: 'Remover uma exceção de data', security: bearer,
        request: { params: IdParam },
        responses: { 204: { description: 'Removida' }, ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const auth = c.get('auth');
        await c.get('tenant')(async (tx) => {
          const [before] = await tx.delete(clinicDateOverrides).where(and(eq(clinicDateOverrides.id, id), eq(clinicDateOverrides.clinicId, auth.clinicId))).returning();
          if (!before) throw errors.notFound('Exceção de data');
          await recordAudit(tx, c, { action: 'delete', entity: 'clinic_date_override', entityId: id, before });
        });
        return c.body(null, 204);
      },
    );
}

/** Mounted at /api/admin/clinic: the RBAC middleware lets only admins in. */
export function clinicAdminRoutes(_deps: ApiDeps) {
  return router()
    .openapi(
      createRoute({
        method: 'patch', path: '/settings', tags: ['Administração'], summary: 'Alterar fuso e configurações de agenda (somente admin)', security: bearer,
        request: { body: jsonBody(SchedulingUpdate) },
        responses: { 200: jsonResponse('Configurações atualizadas', Scheduling), ...errorResponses(400, 401, 403) },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const auth = c.get('auth');
        const result = await c.get('tenant')(async (tx) => {
          const [row] = await tx.select({ timezone: clinics.timezone, settings: clinics.settings }).from(clinics).where(eq(clinics.id, auth.clinicId)).for('update');
          if (!row) throw errors.notFound('Clínica');
          const before = { timezone: row.timezone, slotSettings: slotSettingsOf(row.settings) };
          const after = { timezone: body.timezone ?? row.timezone, slotSettings: { ...before.slotSettings, ...stripUndefined(body.slotSettings ?? {}) } };
          // Merge only our key: other settings in the JSON stay as they are.
          await tx.update(clinics).set({
            timezone: after.timezone,
            settings: sql`${clinics.settings} || jsonb_build_object('slotSettings', ${JSON.stringify(after.slotSettings)}::jsonb)`,
          }).where(eq(clinics.id, auth.clinicId));
          await recordAudit(tx, c, { action: 'update', entity: 'clinic_settings', entityId: auth.clinicId, before, after });
          return scheduling(tx, auth.clinicId);
        });
        return c.json(result, 200);
      },
    );
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
