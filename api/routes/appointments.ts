// Appointments: calendar views, free slots, booking, edit, reschedule, cancel, status, .ics export.
// No double booking is PostgreSQL's job (exclusion constraint appointments_no_double_booking); the
// checks before the INSERT only give better answers. Every change reaches the journey through
// api/journeys.ts after its transaction commits.
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Tx } from '../../db/client';
import { appointments, appointmentStatus, clinics, procedures } from '../../db/schema';
import { checkTransition, isOpen, STATUS_LABELS, type AppointmentStatusName } from '../../domain/appointment-status';
import { anyProfessional, getSlots } from '../../domain/slots';
import { addLocalDays, createZone, localDayBounds, naiveDayMs, weekdayOf } from '../../domain/timezone';
import type { ApiDeps, AppEnv } from '../context';
import { ApiError, errors } from '../../services/errors';
import { recordAudit } from '../audit';
import { bearer, errorResponses, router, jsonResponse } from '../openapi';
import { isDoubleBooking } from '../../db/errors';
import { IsoDay, IsoInstant } from '../catalog/common';
import { appointmentJourney, journeySyncPending, type JourneySync } from '../../journeys/appointment';
import { loadAvailability, type AvailabilityDeps } from '../../services/agenda/availability';
import { creditVisit } from '../../services/loyalty';
import { syncAppointmentCommissions } from '../../services/payments/events';
import {
  AppointmentError, bookAppointment, checkAvailability, clinicTimeZone, loadParty, nextSlotsFor, SLOT_TAKEN_RACE, SlotTaken, type NextSlot,
} from '../../services/agenda/booking';
import { getAppointment, listAppointments, type AppointmentView } from '../../services/agenda/queries';
import { appointmentsCalendar } from '../../services/agenda/ical';

const tags = ['Agendamentos'];
const MAX_RANGE_DAYS = 62;
const MAX_SLOT_RANGE_DAYS = 31;
const MAX_PRICE_CENTS = 100_000_000;

const Appointment = z
  .object({
    id: z.string(), startsAt: z.string(), endsAt: z.string(), durationMinutes: z.number().int(),
    status: z.enum(appointmentStatus.enumValues), priceCents: z.number().int(),
    paymentStatus: z.enum(['pendente', 'pago', 'reembolsado']), source: z.enum(['painel', 'whatsapp', 'link', 'google']),
    notes: z.string().nullable(), cancelReason: z.string().nullable(),
    confirmedAt: z.string().nullable(), cancelledAt: z.string().nullable(), completedAt: z.string().nullable(),
    journeySyncPending: z.boolean().openapi({ description: 'A jornada (Temporal) ainda não recebeu a última alteração; será reenviada.' }),
    patient: z.object({ id: z.string(), name: z.string(), phone: z.string().nullable(), whatsapp: z.string().nullable() }),
    procedure: z.object({ id: z.string(), name: z.string(), category: z.enum(['facial', 'corporal', 'capilar', 'outra']) }),
    professional: z.object({ id: z.string(), name: z.string(), color: z.string() }),
    createdAt: z.string(), updatedAt: z.string(),
  })
  .openapi('Appointment');

const NextSlotSchema = z.object({ professionalId: z.string(), startsAt: z.string(), endsAt: z.string() }).openapi('NextSlot');
const SlotTakenSchema = z
  .object({ error: z.object({ code: z.literal('slot_taken'), message: z.string() }), nextSlots: z.array(NextSlotSchema) })
  .openapi('SlotTaken');

const uuid = (what: string) => z.uuid({ message: `Identificador de ${what} inválido.` });
const IdParam = z.object({ id: uuid('agendamento') });
const price = z.number({ message: 'Informe o preço em centavos (número inteiro).' })
  .int('O preço deve ser um número inteiro de centavos.')
  .min(0, 'O preço não pode ser negativo.')
  .max(MAX_PRICE_CENTS, 'O preço deve ser no máximo R$ 1.000.000,00.');
const notes = z.string({ message: 'As observações devem ser texto.' }).trim().max(2000, 'As observações devem ter no máximo 2000 caracteres.');

const NewAppointment = z
  .strictObject({
    patientId: uuid('paciente'),
    procedureId: uuid('procedimento'),
    professionalId: uuid('profissional'),
    startsAt: IsoInstant,
    notes: notes.optional(),
    priceCents: price.optional(),
  })
  .openapi('NewAppointment');

const AppointmentPatch = z
  .strictObject({ notes: notes.nullable().optional(), priceCents: price.optional() })
  .refine((b) => b.notes !== undefined || b.priceCents !== undefined, { message: 'Informe ao menos um campo para alterar (observações ou preço).' })
  .openapi('AppointmentPatch');

const Reschedule = z
  .strictObject({ startsAt: IsoInstant, professionalId: uuid('profissional').optional() })
  .openapi('Reschedule');

const reason = z.string({ message: 'Informe o motivo do cancelamento.' }).trim()
  .min(3, 'O motivo deve ter ao menos 3 caracteres.').max(500, 'O motivo deve ter no máximo 500 caracteres.');
const Cancel = z.strictObject({ reason }).openapi('CancelAppointment');
const StatusChange = z
  .strictObject({
    status: z.enum(appointmentStatus.enumValues, { message: 'Status deve ser agendado, confirmado, realizado, cancelado ou no_show.' }),
    reason: reason.optional(),
  })
  .openapi('AppointmentStatusChange');

const ListQuery = z.strictObject({
  view: z.enum(['day', 'week', 'month'], { message: 'Visão deve ser day, week ou month.' }).optional()
    .openapi({ description: 'Com view, o período é o dia, a semana (domingo a sábado) ou o mês que contém `from`; sem view, de `from` a `to`.' }),
  from: IsoDay.optional().openapi({ description: 'Data local da clínica (padrão: hoje).' }),
  to: IsoDay.optional(),
  professionalId: uuid('profissional').optional(),
  status: z.enum(appointmentStatus.enumValues, { message: 'Status inválido.' }).optional(),
});

const SlotsQuery = z.strictObject({
  procedureId: uuid('procedimento'),
  professionalId: z.union([z.literal('any'), uuid('profissional')], { message: 'Profissional: um identificador ou "any".' }).default('any'),
  from: IsoDay.optional().openapi({ description: 'Data local da clínica (padrão: hoje).' }),
  to: IsoDay.optional().openapi({ description: 'Padrão: from + 6 dias.' }),
  limit: z.coerce.number({ message: 'Limite deve ser um número.' }).int('Limite deve ser inteiro.').min(1, 'Limite mínimo: 1.').max(500, 'Limite máximo: 500.').default(200),
});

const daysBetween = (from: string, to: string) => Math.round((naiveDayMs(to) - naiveDayMs(from)) / 86_400_000);

function dateRange(q: { view?: 'day' | 'week' | 'month'; from?: string; to?: string }, today: string): { from: string; to: string } {
  const anchor = q.from ?? today;
  if (q.view === 'day') return { from: anchor, to: anchor };
  if (q.view === 'week') {
    const sunday = addLocalDays(anchor, -weekdayOf(anchor));
    return { from: sunday, to: addLocalDays(sunday, 6) };
  }
  if (q.view === 'month') {
    const first = `${anchor.slice(0, 7)}-01`;
    const [y, m] = first.split('-').map(Number);
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    return { from: first, to: addLocalDays(next, -1) };
  }
  return { from: anchor, to: q.to ?? anchor };
}

function checkRange(from: string, to: string, maxDays: number) {
  if (to < from) throw new ApiError(400, 'validation_failed', 'A data final deve ser igual ou posterior à inicial.', { to: ['Data final antes da inicial.'] });
  if (daysBetween(from, to) > maxDays) {
    throw new ApiError(400, 'validation_failed', `O período pode ter no máximo ${maxDays + 1} dias.`, { to: [`No máximo ${maxDays + 1} dias.`] });
  }
}

export function appointmentRoutes(deps: ApiDeps, availability: AvailabilityDeps = {}) {
  const journey = appointmentJourney(deps, { taskQueue: deps.env.TEMPORAL_TASK_QUEUE });

  /** The appointment row, locked for the rest of the transaction (status changes serialize on it). */
  async function lockAppointment(tx: Tx, id: string) {
    const [row] = await tx.select().from(appointments).where(eq(appointments.id, id)).for('update');
    if (!row) throw errors.notFound('Agendamento');
    return row;
  }

  /** 409 slot_taken with the professional's next free slots (read in a fresh transaction). */
  async function slotTaken(c: Context<AppEnv>, message: string, q: { professionalId: string; durationMinutes: number; after: Date; excludeAppointmentId?: string }) {
    const nextSlots: NextSlot[] = await c.get('tenant')((tx) =>
      nextSlotsFor(tx, availability, { clinicId: c.get('auth').clinicId, now: deps.now(), ...q }));
    return new AppointmentError(409, 'slot_taken', message, { nextSlots });
  }

  /** Runs a booking-like write; a lost race (exclusion constraint) or a busy pre-check becomes 409 + nextSlots. */
  async function guarded<T>(c: Context<AppEnv>, write: () => Promise<T>, q: () => { professionalId: string; durationMinutes: number; after: Date; excludeAppointmentId?: string }) {
    try {
      return await write();
    } catch (err) {
      if (err instanceof SlotTaken) throw await slotTaken(c, err.message, { ...q(), ...(err.durationMinutes ? { durationMinutes: err.durationMinutes } : {}) });
      if (isDoubleBooking(err)) throw await slotTaken(c, SLOT_TAKEN_RACE, q());
      throw err;
    }
  }

  async function view(c: Context<AppEnv>, id: string, sync?: JourneySync): Promise<AppointmentView> {
    const v = await c.get('tenant')((tx) => getAppointment(tx, id));
    if (!v) throw errors.notFound('Agendamento');
    return sync && !sync.ok && sync.pending ? { ...v, journeySyncPending: true } : v;
  }

  return router()
    .openapi(
      createRoute({
        method: 'get', path: '/', tags, security: bearer,
        summary: 'Agenda: agendamentos de um dia, semana ou mês (da clínica ou de um profissional)',
        request: { query: ListQuery },
        responses: {
          200: jsonResponse('Agendamentos por início', z.object({
            from: z.string(), to: z.string(), timezone: z.string(), view: z.enum(['day', 'week', 'month']).nullable(), items: z.array(Appointment),
          })),
          ...errorResponses(400, 401),
        },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const { clinicId } = c.get('auth');
        const result = await c.get('tenant')(async (tx) => {
          const timezone = await clinicTimeZone(tx, clinicId);
          const { from, to } = dateRange(q, createZone(timezone).localDate(deps.now().getTime()));
          checkRange(from, to, MAX_RANGE_DAYS);
          const items = await listAppointments(tx, {
            clinicId, from: localDayBounds(from, timezone).start, to: localDayBounds(to, timezone).end,
            professionalId: q.professionalId, status: q.status, limit: 5000,
          });
          return { from, to, timezone, view: q.view ?? null, items };
        });
        return c.json(result, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/slots', tags, security: bearer,
        summary: 'Horários livres para um procedimento (um profissional ou "any")',
        request: { query: SlotsQuery },
        responses: {
          200: jsonResponse('Horários livres por início', z.object({
            timezone: z.string(), durationMinutes: z.number().int(), from: z.string(), to: z.string(),
            procedure: z.object({ id: z.string(), name: z.string() }),
            slots: z.array(z.object({ professionalId: z.string(), professionalName: z.string(), startsAt: z.string(), endsAt: z.string() })),
          })),
          ...errorResponses(400, 401, 404),
          422: jsonResponse('O profissional não realiza o procedimento', z.any()),
        },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const { clinicId } = c.get('auth');
        const now = deps.now();
        const result = await c.get('tenant')(async (tx) => {
          const party = q.professionalId === 'any'
            ? await loadProcedureOnly(tx, q.procedureId)
            : await loadParty(tx, { procedureId: q.procedureId, professionalId: q.professionalId });
          const timezone = await clinicTimeZone(tx, clinicId);
          const from = q.from ?? createZone(timezone).localDate(now.getTime());
          const to = q.to ?? addLocalDays(from, 6);
          checkRange(from, to, MAX_SLOT_RANGE_DAYS);
          const ctx = await loadAvailability(tx, {
            clinicId, now, from, to, procedureId: q.procedureId,
            professionalIds: q.professionalId === 'any' ? 'all' : [q.professionalId],
          }, availability);
          const found = getSlots({ ...ctx, from, to, durationMinutes: party.procedure.durationMinutes, limit: q.professionalId === 'any' ? undefined : q.limit });
          const slots = (q.professionalId === 'any' ? anyProfessional(found).slice(0, q.limit) : found).map((s) => ({
            professionalId: s.professionalId, professionalName: ctx.people.get(s.professionalId)?.name ?? '',
            startsAt: s.start.toISOString(), endsAt: s.end.toISOString(),
          }));
          return { timezone, durationMinutes: party.procedure.durationMinutes, from, to, procedure: { id: party.procedure.id, name: party.procedure.name }, slots };
        });
        return c.json(result, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/{id}', tags, security: bearer, summary: 'Um agendamento',
        request: { params: IdParam },
        responses: { 200: jsonResponse('Agendamento', Appointment), ...errorResponses(400, 401, 404) },
      }),
      async (c) => c.json(await view(c, c.req.valid('param').id), 200),
    )
    .openapi(
      createRoute({
        method: 'get', path: '/{id}/ics', tags, security: bearer, summary: 'Exportar um agendamento como .ics (iCalendar)',
        request: { params: IdParam },
        responses: { 200: { description: 'Arquivo iCalendar', content: { 'text/calendar': { schema: z.string() } } }, ...errorResponses(400, 401, 404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const { clinicId } = c.get('auth');
        const { item, clinic } = await c.get('tenant')(async (tx) => {
          const [clinicRow] = await tx.select({ name: clinics.name, timezone: clinics.timezone }).from(clinics).where(eq(clinics.id, clinicId));
          return { item: await getAppointment(tx, id), clinic: clinicRow };
        });
        if (!item) throw errors.notFound('Agendamento');
        const body = appointmentsCalendar([item], { name: `${clinic.name} · agendamento`, timeZone: clinic.timezone, withProfessional: true, clinicName: clinic.name });
        c.header('Content-Type', 'text/calendar; charset=utf-8');
        c.header('Content-Disposition', `attachment; filename="agendamento-${id}.ics"`);
        return c.body(body, 200) as never;
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/', tags, security: bearer, summary: 'Agendar (paciente, procedimento, profissional, horário)',
        request: { body: { content: { 'application/json': { schema: NewAppointment } }, required: true } },
        responses: {
          201: jsonResponse('Agendamento criado; a jornada do agendamento foi iniciada', Appointment),
          ...errorResponses(400, 401, 403, 404),
          409: jsonResponse('Horário ocupado: os próximos horários livres em nextSlots', SlotTakenSchema),
          422: jsonResponse('Horário indisponível (fora do expediente, bloqueado, antecedência…)', z.any()),
        },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const { clinicId } = c.get('auth');
        const now = deps.now();
        const startsAt = new Date(body.startsAt);
        const id = await guarded(c, () => c.get('tenant')(async (tx) => {
          const { appointment: row } = await bookAppointment(tx, availability, {
            ...body, clinicId, now, startsAt, notes: body.notes || null, source: 'painel',
          });
          await recordAudit(tx, c, {
            action: 'create', entity: 'appointment', entityId: row.id,
            after: { patientId: row.patientId, procedureId: row.procedureId, professionalId: row.professionalId, startsAt: row.startsAt.toISOString(), durationMinutes: row.durationMinutes, priceCents: row.priceCents, status: row.status, notes: row.notes },
          });
          return row.id;
        }), () => ({ professionalId: body.professionalId, durationMinutes: 0, after: startsAt }));
        const sync = await journey.start({ id });
        return c.json(await view(c, id, sync), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'patch', path: '/{id}', tags, security: bearer, summary: 'Editar observações e preço',
        request: { params: IdParam, body: { content: { 'application/json': { schema: AppointmentPatch } }, required: true } },
        responses: { 200: jsonResponse('Agendamento atualizado', Appointment), ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const patch = c.req.valid('json');
        await c.get('tenant')(async (tx) => {
          const before = await lockAppointment(tx, id);
          const changes: Partial<typeof appointments.$inferInsert> = {};
          if (patch.notes !== undefined) changes.notes = patch.notes || null;
          if (patch.priceCents !== undefined) changes.priceCents = patch.priceCents;
          await tx.update(appointments).set(changes).where(eq(appointments.id, id));
          await recordAudit(tx, c, {
            action: 'update', entity: 'appointment', entityId: id,
            before: { notes: before.notes, priceCents: before.priceCents }, after: { notes: changes.notes ?? before.notes, priceCents: changes.priceCents ?? before.priceCents },
          });
        });
        return c.json(await view(c, id), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/{id}/reschedule', tags, security: bearer, summary: 'Remarcar (novo horário e, se quiser, outro profissional)',
        request: { params: IdParam, body: { content: { 'application/json': { schema: Reschedule } }, required: true } },
        responses: {
          200: jsonResponse('Agendamento remarcado (volta a "agendado" até nova confirmação)', Appointment),
          ...errorResponses(400, 401, 403, 404),
          409: jsonResponse('Horário ocupado (nextSlots) ou agendamento encerrado', SlotTakenSchema),
          422: jsonResponse('Horário indisponível', z.any()),
        },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const body = c.req.valid('json');
        const { clinicId } = c.get('auth');
        const now = deps.now();
        const startsAt = new Date(body.startsAt);
        let target = { professionalId: body.professionalId ?? '', durationMinutes: 0 };
        await guarded(c, () => c.get('tenant')(async (tx) => {
          const before = await lockAppointment(tx, id);
          if (!isOpen(before.status)) {
            throw new AppointmentError(409, 'not_editable', `Não é possível remarcar um agendamento ${STATUS_LABELS[before.status]}.`);
          }
          const professionalId = body.professionalId ?? before.professionalId;
          target = { professionalId, durationMinutes: before.durationMinutes };
          if (professionalId === before.professionalId && startsAt.getTime() === before.startsAt.getTime()) {
            throw new ApiError(400, 'validation_failed', 'O novo horário é igual ao atual.', { startsAt: ['Escolha outro horário.'] });
          }
          const party = await loadParty(tx, { procedureId: before.procedureId, professionalId });
          await checkAvailability(tx, availability, {
            clinicId, now, professional: party.professional, startsAt, durationMinutes: before.durationMinutes, excludeAppointmentId: id,
          });
          // A confirmation was for the old time: the moved appointment is agendado until confirmed again.
          await tx.update(appointments)
            .set({ startsAt, professionalId, status: 'agendado', confirmedAt: null, reminder24hSent: false, reminder2hSent: false, ...journeySyncPending() })
            .where(eq(appointments.id, id));
          await recordAudit(tx, c, {
            action: 'reschedule', entity: 'appointment', entityId: id,
            before: { startsAt: before.startsAt.toISOString(), professionalId: before.professionalId, status: before.status },
            after: { startsAt: startsAt.toISOString(), professionalId, status: 'agendado' },
          });
        }), () => ({ ...target, after: startsAt, excludeAppointmentId: id }));
        const sync = await journey.reschedule(id, startsAt);
        return c.json(await view(c, id, sync), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/{id}/cancel', tags, security: bearer, summary: 'Cancelar com motivo',
        request: { params: IdParam, body: { content: { 'application/json': { schema: Cancel } }, required: true } },
        responses: { 200: jsonResponse('Agendamento cancelado; a jornada termina', Appointment), ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const { reason: why } = c.req.valid('json');
        const sync = await changeStatus(c, id, 'cancelado', why);
        return c.json(await view(c, id, sync), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/{id}/status', tags, security: bearer,
        summary: 'Mudar o status (agendado → confirmado → realizado | cancelado | no_show)',
        request: { params: IdParam, body: { content: { 'application/json': { schema: StatusChange } }, required: true } },
        responses: { 200: jsonResponse('Status alterado', Appointment), ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const body = c.req.valid('json');
        if (body.status === 'cancelado' && !body.reason) {
          throw new ApiError(400, 'validation_failed', 'Informe o motivo do cancelamento.', { reason: ['Obrigatório para cancelar.'] });
        }
        const sync = await changeStatus(c, id, body.status, body.reason);
        return c.json(await view(c, id, sync), 200);
      },
    );

  async function changeStatus(c: Context<AppEnv>, id: string, to: AppointmentStatusName, why?: string): Promise<JourneySync> {
    const now = deps.now();
    await c.get('tenant')(async (tx) => {
      const before = await lockAppointment(tx, id);
      const check = checkTransition(before.status, to);
      if (!check.ok) throw new AppointmentError(409, 'invalid_transition', check.message);
      if ((to === 'realizado' || to === 'no_show') && before.startsAt.getTime() > now.getTime()) {
        const tz = await clinicTimeZone(tx, before.clinicId);
        const when = new Intl.DateTimeFormat('pt-BR', { timeZone: tz, day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(before.startsAt);
        throw new AppointmentError(409, 'invalid_transition', `Só é possível marcar como ${STATUS_LABELS[to]} a partir do horário do atendimento (${when}).`);
      }
      const stamp = { confirmado: { confirmedAt: now }, realizado: { completedAt: now }, no_show: {}, agendado: {}, cancelado: { cancelledAt: now, cancelReason: why } }[to];
      await tx.update(appointments).set({ status: to, ...stamp, ...journeySyncPending() }).where(eq(appointments.id, id));
      // A visit realised after it was paid earns its points now (a payment after the visit earns them then).
      if (to === 'realizado') await creditVisit(tx, id, now);
      // Commissions accrue from realised, paid visits: the payments received before the visit count now.
      if (to === 'realizado') await syncAppointmentCommissions(tx, id);
      await recordAudit(tx, c, {
        action: to === 'cancelado' ? 'cancel' : 'status', entity: 'appointment', entityId: id,
        before: { status: before.status }, after: { status: to, ...(why ? { reason: why } : {}) },
      });
    });
    return to === 'cancelado' ? journey.cancel(id, why ?? '') : journey.statusChanged(id, to);
  }
}

async function loadProcedureOnly(tx: Tx, procedureId: string) {
  // Any professional: the procedure alone must exist and be active; professionals are filtered later.
  const [p] = await tx.select({ id: procedures.id, name: procedures.name, durationMinutes: procedures.durationMinutes, active: procedures.active })
    .from(procedures).where(eq(procedures.id, procedureId));
  if (!p) throw new AppointmentError(404, 'not_found', 'Procedimento não encontrado nesta clínica.', {}, { procedureId: ['Procedimento não encontrado nesta clínica.'] });
  if (!p.active) throw new AppointmentError(422, 'validation_failed', `O procedimento ${p.name} está inativo.`, {}, { procedureId: ['Procedimento inativo.'] });
  return { procedure: { id: p.id, name: p.name, durationMinutes: p.durationMinutes } };
}

