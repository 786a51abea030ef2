// Public, no-login answers to the signed links in the reminders (web pages /p/c/{token}): see the
// appointment, confirm it, or cancel it with an optional reason. The token (domain/signed-links.ts) names
// one appointment, one action and the appointment time; it expires at that time. Single-effect: a second
// click answers with the current state and changes nothing. Writes are the dashboard's transition
// (domain/appointment-status.ts), audited with no user, then the journey hears it through api/journeys.ts.
import { createRoute, z } from '@hono/zod-openapi';
import { desc, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Tx } from '../../db/client';
import { withClinic } from '../../db/tenancy';
import { appointmentConfirmations, appointments, clinics, patients, procedures, professionals } from '../../db/schema';
import { checkTransition, type AppointmentStatusName } from '../../domain/appointment-status';
import { formatAppointmentTime, formatPhoneBr, mapUrl } from '../../domain/reminder-templates';
import { verifyAppointmentLink, type LinkAction } from '../../domain/signed-links';
import { secrets } from '../../config/env';
import type { ApiDeps, AppEnv } from '../context';
import { recordAudit } from '../audit';
import { router, jsonResponse } from '../openapi';
import { appointmentJourney, journeySyncPending } from '../../journeys/appointment';

const tags = ['Links do paciente'];

const TokenParam = z.object({
  token: z.string().min(10, 'Link inválido.').max(400, 'Link inválido.').openapi({ description: 'Token assinado do link (confirmar ou cancelar).' }),
});

const LinkView = z
  .object({
    action: z.enum(['confirm', 'cancel']).openapi({ description: 'O que este link faz.' }),
    state: z.enum(['pending', 'confirmed', 'cancelled', 'closed']).openapi({
      description: 'pending: a ação ainda pode ser feita; confirmed/cancelled: o agendamento já está assim; closed: realizado ou não compareceu.',
    }),
    canAct: z.boolean(),
    message: z.string().openapi({ description: 'O que a ação fará, ou o estado atual, em pt-BR.' }),
    appointment: z.object({
      startsAt: z.string(), date: z.string(), time: z.string(), timezone: z.string(),
      status: z.enum(['agendado', 'confirmado', 'realizado', 'cancelado', 'no_show']),
      patientFirstName: z.string(), procedure: z.string(), professional: z.string(),
      clinic: z.object({ name: z.string(), address: z.string().nullable(), phone: z.string().nullable(), mapUrl: z.string().nullable() }),
    }),
  })
  .openapi('PatientLinkView');

const LinkResult = LinkView.extend({
  outcome: z.enum(['done', 'already', 'not_possible']).openapi({ description: 'done: feito agora; already: já estava assim (nada mudou); not_possible: o estado atual não permite.' }),
}).openapi('PatientLinkResult');

const CancelBody = z
  .strictObject({
    reason: z.string({ message: 'O motivo deve ser texto.' }).trim().max(500, 'O motivo deve ter no máximo 500 caracteres.').optional(),
  })
  .openapi('PatientLinkCancel');


type LinkErrorCode = 'link_invalid' | 'link_expired' | 'link_outdated' | 'link_wrong_action';
const LINK_ERRORS: Record<LinkErrorCode, { status: 400 | 404 | 410; message: string }> = {
  link_invalid: { status: 400, message: 'Este link é inválido. Confira se ele foi copiado por inteiro ou fale com a clínica.' },
  link_expired: { status: 410, message: 'Este link expirou: ele valia até o horário do atendimento. Fale com a clínica se precisar de ajuda.' },
  link_outdated: { status: 410, message: 'Este link é de um horário anterior: o agendamento foi remarcado. Use o link da mensagem mais recente ou fale com a clínica.' },
  link_wrong_action: { status: 400, message: 'Este link não permite esta ação.' },
};

class LinkError extends Error {
  constructor(readonly code: LinkErrorCode) {
    super(LINK_ERRORS[code].message);
  }
}

interface Loaded {
  clinicId: string;
  status: AppointmentStatusName;
  startsAt: Date;
  patientName: string;
  procedure: string;
  professional: string;
  clinicName: string;
  clinicAddress: string | null;
  clinicPhone: string | null;
  timezone: string;
}

function stateOf(status: AppointmentStatusName): 'pending' | 'confirmed' | 'cancelled' | 'closed' {
  if (status === 'confirmado') return 'confirmed';
  if (status === 'cancelado') return 'cancelled';
  if (status === 'agendado') return 'pending';
  return 'closed';
}

function viewOf(action: LinkAction, a: Loaded) {
  const { data, hora } = formatAppointmentTime(a.startsAt, a.timezone);
  const state = stateOf(a.status);
  const canAct = action === 'confirm' ? a.status === 'agendado' : a.status === 'agendado' || a.status === 'confirmado';
  const when = `${data} às ${hora}`;
  let message: string;
  if (a.status === 'cancelado') message = `Este agendamento (${when}) está cancelado.`;
  else if (a.status === 'realizado') message = 'Este atendimento já foi realizado.';
  else if (a.status === 'no_show') message = 'O horário deste agendamento já passou.';
  else if (action === 'confirm') message = canAct ? `Confirme sua presença em ${when}.` : `Sua presença em ${when} já está confirmada.`;
  else message = `Ao cancelar, o horário de ${when} fica livre para outra pessoa e os lembretes param.`;
  return {
    action, state, canAct, message,
    appointment: {
      startsAt: a.startsAt.toISOString(), date: data, time: hora, timezone: a.timezone, status: a.status,
      patientFirstName: a.patientName.trim().split(/\s+/)[0] ?? a.patientName, procedure: a.procedure, professional: a.professional,
      clinic: {
        name: a.clinicName, address: a.clinicAddress, phone: a.clinicPhone ? formatPhoneBr(a.clinicPhone) : null,
        mapUrl: a.clinicAddress ? mapUrl(a.clinicAddress) : null,
      },
    },
  };
}

async function loadRow(tx: Tx, appointmentId: string, lock: boolean): Promise<Loaded | null> {
  const q = tx
    .select({
      clinicId: appointments.clinicId, status: appointments.status, startsAt: appointments.startsAt,
      patientName: patients.name, procedure: procedures.name, professional: professionals.name,
      clinicName: clinics.name, clinicAddress: clinics.address, clinicPhone: clinics.phone, timezone: clinics.timezone,
    })
    .from(appointments)
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .innerJoin(procedures, eq(procedures.id, appointments.procedureId))
    .innerJoin(professionals, eq(professionals.id, appointments.professionalId))
    .innerJoin(clinics, eq(clinics.id, appointments.clinicId))
    .where(eq(appointments.id, appointmentId));
  const [row] = lock ? await q.for('update', { of: appointments }) : await q;
  return row ?? null;
}

export function publicAppointmentRoutes(deps: ApiDeps) {
  const secret = secrets(deps.env).linkSecret;
  const journey = appointmentJourney(deps, { taskQueue: deps.env.TEMPORAL_TASK_QUEUE });

  /** Token → the appointment's clinic; refuses a bad signature, an expired link and a link from before a reschedule. */
  async function resolve(token: string): Promise<{ appointmentId: string; action: LinkAction; exp: number; clinicId: string }> {
    const check = verifyAppointmentLink(secret, token, deps.now().getTime());
    if (!check.ok) throw new LinkError(check.reason === 'expired' ? 'link_expired' : 'link_invalid');
    // The link is signed by us: looking its clinic up outside a tenant is safe; everything else runs as that clinic.
    const [row] = await deps.db.select({ clinicId: appointments.clinicId }).from(appointments).where(eq(appointments.id, check.payload.appointmentId));
    if (!row) throw new LinkError('link_invalid');
    return { ...check.payload, clinicId: row.clinicId };
  }

  function fail(c: Context<AppEnv>, err: unknown) {
    if (err instanceof LinkError) {
      const { status, message } = LINK_ERRORS[err.code];
      return c.json({ error: { code: err.code, message } }, status);
    }
    throw err;
  }

  async function act(c: Context<AppEnv>, token: string, wanted: LinkAction, reason?: string) {
    const link = await resolve(token);
    if (link.action !== wanted) throw new LinkError('link_wrong_action');
    const to: AppointmentStatusName = wanted === 'confirm' ? 'confirmado' : 'cancelado';
    const now = deps.now();
    const result = await withClinic(deps.db, link.clinicId, async (tx) => {
      const before = await loadRow(tx, link.appointmentId, true);
      if (!before) throw new LinkError('link_invalid');
      if (before.startsAt.getTime() !== link.exp) throw new LinkError('link_outdated');
      if (before.status === to) return { outcome: 'already' as const, row: before };
      const check = checkTransition(before.status, to);
      if (!check.ok) return { outcome: 'not_possible' as const, row: before };
      const cancelReason = reason ? `Cancelado pelo paciente (link): ${reason}` : 'Cancelado pelo paciente (link)';
      await tx.update(appointments)
        .set(to === 'confirmado'
          ? { status: to, confirmedAt: now, ...journeySyncPending() }
          : { status: to, cancelledAt: now, cancelReason, ...journeySyncPending() })
        .where(eq(appointments.id, link.appointmentId));
      await recordAudit(tx, c, {
        clinicId: link.clinicId, action: to === 'confirmado' ? 'confirm_by_patient' : 'cancel_by_patient', entity: 'appointment', entityId: link.appointmentId,
        before: { status: before.status }, after: { status: to, via: 'link', ...(reason ? { reason } : {}) },
      });
      const [last] = await tx.select({ id: appointmentConfirmations.id }).from(appointmentConfirmations)
        .where(eq(appointmentConfirmations.appointmentId, link.appointmentId)).orderBy(desc(appointmentConfirmations.sentAt)).limit(1);
      if (last) {
        await tx.update(appointmentConfirmations).set({ response: to === 'confirmado' ? 'confirmou' : 'cancelou', respondedAt: now })
          .where(eq(appointmentConfirmations.id, last.id));
      }
      return { outcome: 'done' as const, row: { ...before, status: to }, cancelReason };
    });
    // After the commit: the journey follows the row (cancel ends the reminders and tells the clinic).
    if (result.outcome === 'done') {
      if (to === 'cancelado') await journey.cancel(link.appointmentId, result.cancelReason ?? '');
      else await journey.statusChanged(link.appointmentId, to);
    }
    const view = viewOf(wanted, result.row);
    if (result.outcome === 'done') {
      const when = `${view.appointment.date} às ${view.appointment.time}`;
      view.message = to === 'confirmado'
        ? `Obrigado! Sua presença em ${when} está confirmada. Até lá!`
        : `Seu horário de ${when} foi cancelado e a clínica foi avisada. Quando quiser, fale com a clínica para remarcar.`;
    }
    return { outcome: result.outcome, ...view };
  }

  const linkErrors = {
    400: jsonResponse('Link inválido (assinatura, formato) ou ação que o link não permite', z.object({ error: z.object({ code: z.string(), message: z.string() }) })),
    410: jsonResponse('Link expirado (passou do horário) ou de um horário anterior (remarcado)', z.object({ error: z.object({ code: z.string(), message: z.string() }) })),
  };

  return router()
    .openapi(
      createRoute({
        method: 'get', path: '/{token}', tags, summary: 'Ver o agendamento de um link assinado (sem login)',
        request: { params: TokenParam },
        responses: { 200: jsonResponse('O agendamento e o que a ação do link fará', LinkView), ...linkErrors },
      }),
      async (c) => {
        try {
          const link = await resolve(c.req.valid('param').token);
          const row = await withClinic(deps.db, link.clinicId, (tx) => loadRow(tx, link.appointmentId, false));
          if (!row) throw new LinkError('link_invalid');
          if (row.startsAt.getTime() !== link.exp) throw new LinkError('link_outdated');
          return c.json(viewOf(link.action, row), 200);
        } catch (err) {
          return fail(c, err) as never;
        }
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/{token}/confirm', tags, summary: 'Confirmar presença pelo link (uma vez; repetir mostra o estado atual)',
        request: { params: TokenParam },
        responses: { 200: jsonResponse('Resultado e estado atual', LinkResult), ...linkErrors },
      }),
      async (c) => {
        try {
          return c.json(await act(c, c.req.valid('param').token, 'confirm'), 200);
        } catch (err) {
          return fail(c, err) as never;
        }
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/{token}/cancel', tags, summary: 'Cancelar pelo link, com motivo opcional (uma vez; repetir mostra o estado atual)',
        request: { params: TokenParam, body: { content: { 'application/json': { schema: CancelBody } }, required: false } },
        responses: { 200: jsonResponse('Resultado e estado atual', LinkResult), ...linkErrors },
      }),
      async (c) => {
        const body = (c.req.valid('json') ?? {}) as z.infer<typeof CancelBody>;
        try {
          return c.json(await act(c, c.req.valid('param').token, 'cancel', body.reason || undefined), 200);
        } catch (err) {
          return fail(c, err) as never;
        }
      },
    );
}
