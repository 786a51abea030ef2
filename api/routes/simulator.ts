// The dashboard's phone simulator: reply as a patient through the SAME inbound path as a real Twilio
// webhook (processTwilioInbound with the params Twilio would post), and read a patient's thread
// (outbox + inbound messages) the way their phone would show it.
import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { clinics, inboundMessages, messageOutbox, patients } from '../../db/schema';
import { normalizePhone } from '../../domain/phone';
import type { ApiDeps } from '../context';
import { ApiError, errors } from '../../services/errors';
import { recordAudit } from '../audit';
import { processTwilioInbound, simulatedMessageSid } from '../../services/inbound/twilio';
import { bearer, errorResponses, router, Uuid } from '../openapi';


const SimulatedInbound = z.strictObject({
  patientId: Uuid.optional(),
  from: z.string().trim().max(30).optional().openapi({ description: 'Telefone do remetente (E.164 ou com DDD), se não houver paciente' }),
  channel: z.enum(['whatsapp', 'sms'], { message: 'Canal deve ser whatsapp ou sms.' }).default('whatsapp'),
  text: z.string({ message: 'Informe o texto da mensagem.' }).trim().min(1, 'Informe o texto da mensagem.').max(1600, 'A mensagem deve ter no máximo 1600 caracteres.'),
  profileName: z.string().trim().max(120, 'O nome do perfil deve ter no máximo 120 caracteres.').optional()
    .openapi({ description: 'Nome do perfil do WhatsApp (ProfileName do Twilio)' }),
  messageSid: z.string().regex(/^SM[0-9a-f]{32}$/, 'MessageSid inválido: SM seguido de 32 caracteres hexadecimais.').optional()
    .openapi({ description: 'Repetir um MessageSid simula a reentrega do webhook pelo Twilio' }),
}).refine((b) => b.patientId || b.from, { message: 'Informe o paciente ou o telefone do remetente.', path: ['patientId'] }).openapi('SimulatedInbound');

const SimulatedInboundResult = z.object({
  messageId: z.string(),
  duplicate: z.boolean(),
  outcome: z.enum(['signalled', 'opt_out', 'unrouted', 'journey_not_running', 'signal_failed', 'lead', 'spam_quiet', 'late_answer', 'staff']).nullable(),
  conversationId: z.string().nullable(),
  inboundId: z.string().nullable(),
  patientId: z.string().nullable(),
  appointmentId: z.string().nullable(),
  workflowId: z.string().nullable(),
  /** The sender's number as recorded (E.164). */
  from: z.string(),
}).openapi('SimulatedInboundResult');

const ThreadMessage = z.object({
  id: z.string(),
  direction: z.enum(['outbound', 'inbound']),
  channel: z.enum(['whatsapp', 'sms', 'email']),
  /** The patient's number/address (to for outbound, from for inbound). */
  address: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  /** Outbound: queued|sending|sent|delivered|read|failed|skipped. Inbound: the routing outcome. */
  status: z.string().nullable(),
  error: z.string().nullable(),
  template: z.string().nullable(),
  purpose: z.enum(['transactional', 'marketing']).nullable(),
  quickReplies: z.array(z.string()),
  mediaUrls: z.array(z.string()),
  providerMessageId: z.string().nullable(),
  appointmentId: z.string().nullable(),
  at: z.string(),
  sentAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  readAt: z.string().nullable(),
}).openapi('ThreadMessage');

const Thread = z.object({
  patient: z.object({ id: z.string(), name: z.string(), whatsapp: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable() }).nullable(),
  messages: z.array(ThreadMessage),
}).openapi('MessageThread');

/** Mounted at /api/simulator (writes: staff or admin, by the RBAC middleware). */
export function simulatorRoutes(deps: ApiDeps) {
  return router()
    .openapi(
      createRoute({
        method: 'post', path: '/inbound', tags: ['Simulador'], security: bearer,
        summary: 'Simular uma mensagem do paciente (mesmo caminho do webhook do Twilio)',
        description: 'Monta os parâmetros que o Twilio enviaria e os processa como uma mensagem recebida: palavras de descadastro (SAIR, PARAR, STOP) revogam o consentimento do canal; o resto vira sinal para a jornada do próximo agendamento aberto do paciente.',
        request: { body: { content: { 'application/json': { schema: SimulatedInbound } }, required: true } },
        responses: {
          201: { description: 'Mensagem processada', content: { 'application/json': { schema: SimulatedInboundResult } } },
          ...errorResponses(400, 401, 403, 404),
        },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const auth = c.get('auth');
        let from: string | null = null;
        if (body.patientId) {
          const [patient] = await c.get('tenant')((tx) => tx.select().from(patients).where(and(eq(patients.id, body.patientId!), isNull(patients.deletedAt))));
          if (!patient) throw errors.notFound('Paciente');
          from = body.channel === 'whatsapp' ? patient.whatsapp ?? patient.phone : patient.phone ?? patient.whatsapp;
          if (!from) throw new ApiError(400, 'validation_failed', 'O paciente não tem telefone nem WhatsApp cadastrado.', { patientId: ['Paciente sem telefone.'] });
        }
        if (body.from) {
          from = normalizePhone(body.from, { international: true });
          if (!from) throw new ApiError(400, 'validation_failed', 'Telefone inválido: use DDD + número, ex. (11) 98765-4321.', { from: ['Telefone inválido.'] });
        }
        const [clinic] = await deps.db.select({ settings: clinics.settings }).from(clinics).where(eq(clinics.id, auth.clinicId));
        const clinicNumber = clinic?.settings.whatsappNumber ?? (body.channel === 'whatsapp' ? deps.env.TWILIO_WHATSAPP_FROM : deps.env.TWILIO_SMS_FROM) ?? '';
        const prefix = body.channel === 'whatsapp' ? 'whatsapp:' : '';
        const sid = body.messageSid ?? simulatedMessageSid();
        // Exactly what Twilio posts for a text message (the fields our handler reads, and a few more).
        const params: Record<string, string> = {
          MessageSid: sid, SmsMessageSid: sid, SmsSid: sid, AccountSid: deps.env.TWILIO_ACCOUNT_SID ?? 'ACsimulator',
          From: `${prefix}${from}`, To: clinicNumber ? `${prefix}${clinicNumber}` : '', Body: body.text, NumMedia: '0', NumSegments: '1',
          SmsStatus: 'received', ApiVersion: '2010-04-01',
          ...(body.profileName ? { ProfileName: body.profileName } : {}),
        };
        const outcome = await processTwilioInbound(
          { db: deps.db, env: deps.env, log: c.get('log'), temporal: deps.temporal, now: deps.now },
          { channel: body.channel, params, clinicId: auth.clinicId },
        );
        const r = outcome.result;
        await c.get('tenant')((tx) => recordAudit(tx, c, {
          action: 'simulate_inbound', entity: 'inbound_message', entityId: r?.inboundId ?? sid,
          after: { channel: body.channel, from, text: body.text, outcome: r?.outcome ?? null },
        }));
        return c.json({
          messageId: sid, duplicate: outcome.duplicate, outcome: r?.outcome ?? null, inboundId: r?.inboundId ?? null,
          patientId: r?.patientId ?? null, appointmentId: r?.appointmentId ?? null, workflowId: r?.workflowId ?? null,
          conversationId: r?.conversationId ?? null, from: from!,
        }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/outbox', tags: ['Simulador'], security: bearer,
        summary: 'Conversa do paciente: mensagens enviadas (outbox) e recebidas, em ordem',
        request: {
          query: z.strictObject({
            patientId: Uuid.optional(),
            phone: z.string().trim().max(30, 'Telefone inválido.').optional()
              .openapi({ description: 'Conversa de um número (lead sem cadastro), E.164 ou com DDD' }),
            limit: z.coerce.number({ message: 'Limite inválido.' }).int('Limite inválido.').min(1, 'Limite mínimo 1.').max(500, 'Limite máximo 500.').default(200),
          }),
        },
        responses: { 200: { description: 'Conversa', content: { 'application/json': { schema: Thread } } }, ...errorResponses(400, 401, 404) },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const phone = q.phone ? normalizePhone(q.phone, { international: true }) : null;
        if (q.phone && !phone) throw new ApiError(400, 'validation_failed', 'Telefone inválido: use DDD + número, ex. (11) 98765-4321.', { phone: ['Telefone inválido.'] });
        const thread = await c.get('tenant')(async (tx) => {
          let patient: typeof patients.$inferSelect | undefined;
          if (q.patientId) {
            [patient] = await tx.select().from(patients).where(eq(patients.id, q.patientId));
            if (!patient) throw errors.notFound('Paciente');
          }
          // A number's thread (a lead, with or without a patient record): what went to it and came from it.
          const out = await tx.select().from(messageOutbox)
            .where(phone ? eq(messageOutbox.to, phone) : q.patientId ? eq(messageOutbox.patientId, q.patientId) : undefined)
            .orderBy(desc(messageOutbox.createdAt)).limit(q.limit);
          const inbound = await tx.select().from(inboundMessages)
            .where(phone ? eq(inboundMessages.from, phone) : q.patientId ? eq(inboundMessages.patientId, q.patientId) : undefined)
            .orderBy(desc(inboundMessages.receivedAt)).limit(q.limit);
          return { patient, out, inbound };
        });
        const iso = (d: Date | null) => d?.toISOString() ?? null;
        const messages = [
          ...thread.out.map((m) => {
            const data = (m.templateData ?? {}) as { quickReplies?: string[]; mediaUrl?: string };
            return {
              id: m.id, direction: 'outbound' as const, channel: m.channel, address: m.to, subject: m.subject, body: m.body,
              status: m.status as string | null, error: m.error, template: m.template, purpose: m.purpose,
              quickReplies: (data.quickReplies ?? []).map(String), mediaUrls: data.mediaUrl ? [String(data.mediaUrl)] : [] as string[],
              providerMessageId: m.providerMessageId, appointmentId: m.appointmentId,
              at: m.createdAt.toISOString(), sentAt: iso(m.sentAt), deliveredAt: iso(m.deliveredAt), readAt: iso(m.readAt),
            };
          }),
          ...thread.inbound.map((m) => ({
            id: m.id, direction: 'inbound' as const, channel: m.channel, address: m.from, subject: null, body: m.body,
            status: m.outcome, error: m.error, template: null, purpose: null, quickReplies: [] as string[], mediaUrls: m.mediaUrls,
            providerMessageId: m.providerMessageId, appointmentId: m.appointmentId,
            at: m.receivedAt.toISOString(), sentAt: null, deliveredAt: null, readAt: null,
          })),
        ].sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id)).slice(-q.limit);
        const p = thread.patient;
        return c.json({ patient: p ? { id: p.id, name: p.name, whatsapp: p.whatsapp, phone: p.phone, email: p.email } : null, messages }, 200);
      },
    );
}
