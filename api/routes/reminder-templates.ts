// The clinic's reminder texts (per step and channel, with preview and a test send to oneself) and the
// reminders report (sent, delivered, read, confirmed, cancelled, no-show and success rate per channel).
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import { secrets } from '../../config/env';
import { appointments, clinics, messageTemplates, patients, procedures, professionals, users } from '../../db/schema';
import { addLocalDays, localDate } from '../../domain/timezone';
import { appointmentLinkUrl, signAppointmentLink } from '../../domain/signed-links';
import type { ReminderFacts } from '../../domain/reminder-templates';
import { createMessageSender, MessageRejectedError } from '../../services/messaging/sender';
import type { Context } from 'hono';
import type { ApiDeps, AppEnv } from '../context';
import { ApiError, errors } from '../../services/errors';
import { recordAudit } from '../audit';
import { bearer, errorResponses, router } from '../openapi';
import {
  checkTemplate, defaultTemplate, listTemplates, REMINDER_CHANNELS, REMINDER_TEMPLATE_KEYS, renderText, resolveTemplate,
  sampleFacts, sentByJourney, SUBJECT_MAX_CHARS, TEMPLATE_VARIABLES,
} from '../../services/templates';

const Key = z.enum(REMINDER_TEMPLATE_KEYS, { message: 'Etapa inválida: use reminder_24h, reminder_2h ou reminder_2h_location.' });
const Channel = z.enum(REMINDER_CHANNELS, { message: 'Canal inválido: use whatsapp, sms ou email.' });
const Body = z.string({ message: 'Informe o texto.' }).min(1, 'Informe o texto.').max(4000, 'O texto deve ter no máximo 4000 caracteres.');
const Subject = z.string().trim().max(SUBJECT_MAX_CHARS, `O assunto deve ter no máximo ${SUBJECT_MAX_CHARS} caracteres.`).nullable().optional();
const DateOnly = z.iso.date({ message: 'Data inválida: use AAAA-MM-DD.' });

const Template = z.object({
  key: Key, channel: Channel, subject: z.string().nullable(), body: z.string(),
  isDefault: z.boolean(), sentByJourney: z.boolean(), updatedAt: z.string().nullable(),
}).openapi('ReminderTemplate');
const TemplateList = z.object({
  templates: z.array(Template),
  variables: z.array(z.object({ name: z.string(), description: z.string() })),
}).openapi('ReminderTemplateList');
const Saved = Template.extend({ warnings: z.array(z.string()) }).openapi('ReminderTemplateSaved');
const TemplateInput = z.strictObject({ body: Body, subject: Subject }).openapi('ReminderTemplateInput');
const Params = z.object({ key: Key, channel: Channel });

const PreviewInput = z.strictObject({
  key: Key, channel: Channel,
  body: Body.optional().openapi({ description: 'Texto a pré-visualizar (padrão: o salvo)' }),
  subject: Subject,
  appointmentId: z.uuid({ message: 'Agendamento inválido.' }).optional().openapi({ description: 'Usar os dados de um agendamento real (padrão: exemplo)' }),
}).openapi('ReminderPreviewInput');
const Preview = z.object({
  subject: z.string().nullable(), body: z.string(), length: z.number().int(),
  variables: z.record(z.string(), z.string()),
  errors: z.record(z.string(), z.array(z.string())), warnings: z.array(z.string()),
  source: z.enum(['sample', 'appointment']),
}).openapi('ReminderPreview');
const TestInput = PreviewInput.omit({ appointmentId: true }).openapi('ReminderTestInput');
const TestResult = z.object({
  status: z.string(), outboxId: z.string(), channel: Channel, to: z.string(), subject: z.string().nullable(), body: z.string(),
}).openapi('ReminderTestResult');

const ChannelReport = z.object({
  channel: z.enum(['whatsapp', 'sms', 'email', 'total']),
  sent: z.number().int(), delivered: z.number().int(), read: z.number().int(), failed: z.number().int(), skipped: z.number().int(),
  /** Appointments that got at least one reminder on this channel in the period. */
  reminded: z.number().int(),
  confirmed: z.number().int(), attended: z.number().int(), cancelled: z.number().int(), noShow: z.number().int(),
  /** Reminders sent in the period (among `sent`) that the patient answered (appointment_confirmations.response). */
  answered: z.number().int(),
  /** answered ÷ sent; null when nothing was sent. */
  answerRate: z.number().nullable(),
  successRate: z.number().nullable(),
});
const Report = z.object({
  from: z.string(), to: z.string(), timezone: z.string(),
  channels: z.array(ChannelReport),
  rule: z.string(),
}).openapi('ReminderReport');

import { SUCCESS_RULE, reminderReport } from '../../services/reports/reminders';

export { SUCCESS_RULE };

const webBase = (deps: ApiDeps) => deps.env.WEB_URL ?? `http://127.0.0.1:${deps.env.WEB_PORT}`;

/** Mounted at /api/reminders (writes: staff or admin, by the RBAC middleware). */
export function reminderTemplateRoutes(deps: ApiDeps) {
  const sender = createMessageSender({ db: deps.db, env: deps.env, log: deps.log, now: deps.now });

  /** The facts of a real appointment (links signed like the journey's) or the example ones. */
  async function factsFor(c: Context<AppEnv>, clinicId: string, appointmentId?: string): Promise<{ facts: ReminderFacts; source: 'sample' | 'appointment' }> {
    return c.get('tenant')(async (tx) => {
      const [clinic] = await tx.select({ name: clinics.name, address: clinics.address, phone: clinics.phone, timezone: clinics.timezone }).from(clinics).where(eq(clinics.id, clinicId));
      if (!clinic) throw errors.notFound('Clínica');
      if (!appointmentId) return { facts: sampleFacts(clinic, deps.now(), webBase(deps)), source: 'sample' as const };
      const [a] = await tx.select({
        id: appointments.id, startsAt: appointments.startsAt, patientName: patients.name, procedureName: procedures.name, professionalName: professionals.name,
      }).from(appointments)
        .innerJoin(patients, eq(patients.id, appointments.patientId))
        .innerJoin(procedures, eq(procedures.id, appointments.procedureId))
        .innerJoin(professionals, eq(professionals.id, appointments.professionalId))
        .where(eq(appointments.id, appointmentId));
      if (!a) throw errors.notFound('Agendamento');
      const secret = secrets(deps.env).linkSecret;
      const url = (action: 'confirm' | 'cancel') => appointmentLinkUrl(webBase(deps), signAppointmentLink(secret, { appointmentId: a.id, action, exp: a.startsAt.getTime() }));
      return {
        facts: {
          patientName: a.patientName, procedureName: a.procedureName, professionalName: a.professionalName,
          clinicName: clinic.name, clinicAddress: clinic.address, clinicPhone: clinic.phone, startsAt: a.startsAt, timeZone: clinic.timezone,
          confirmUrl: url('confirm'), cancelUrl: url('cancel'),
        },
        source: 'appointment' as const,
      };
    });
  }

  return router()
    .openapi(
      createRoute({
        method: 'get', path: '/templates', tags: ['Lembretes'], security: bearer,
        summary: 'Textos dos lembretes por etapa e canal (os da clínica ou o padrão)',
        responses: { 200: { description: 'Modelos', content: { 'application/json': { schema: TemplateList } } }, ...errorResponses(401) },
      }),
      async (c) => {
        const templates = await c.get('tenant')((tx) => listTemplates(tx, c.get('auth').clinicId));
        return c.json({ templates, variables: Object.entries(TEMPLATE_VARIABLES).map(([name, description]) => ({ name, description })) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/templates/{key}/{channel}', tags: ['Lembretes'], security: bearer,
        summary: 'Um texto de lembrete (o da clínica ou o padrão, marcado isDefault)',
        request: { params: Params },
        responses: { 200: { description: 'Modelo', content: { 'application/json': { schema: Template } } }, ...errorResponses(400, 401) },
      }),
      async (c) => {
        const { key, channel } = c.req.valid('param');
        const t = await c.get('tenant')((tx) => resolveTemplate(tx, c.get('auth').clinicId, key, channel));
        const d = defaultTemplate(key, channel);
        return c.json(t
          ? { ...t, sentByJourney: sentByJourney(key, channel) }
          : { key, channel, subject: d.subject, body: d.body, isDefault: true, updatedAt: null, sentByJourney: false }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put', path: '/templates/{key}/{channel}', tags: ['Lembretes'], security: bearer,
        summary: 'Salvar o texto da clínica para uma etapa e canal',
        description: 'Variáveis permitidas: {paciente} {data} {hora} {procedimento} {profissional} {clinica} {endereco} {mapa} {telefone_clinica} {link_confirmar} {link_cancelar}. WhatsApp: até 1024 caracteres; SMS acima de 320 gera aviso.',
        request: { params: Params, body: { content: { 'application/json': { schema: TemplateInput } }, required: true } },
        responses: { 200: { description: 'Salvo', content: { 'application/json': { schema: Saved } } }, ...errorResponses(400, 401, 403) },
      }),
      async (c) => {
        const { key, channel } = c.req.valid('param');
        const input = c.req.valid('json');
        const subject = input.subject?.trim() ? input.subject.trim() : null;
        if (!input.body.trim()) throw new ApiError(400, 'validation_failed', 'Informe o texto.', { body: ['Informe o texto.'] });
        const check = checkTemplate(channel, input.body, subject);
        if (Object.keys(check.errors).length) throw new ApiError(400, 'validation_failed', Object.values(check.errors)[0]![0]!, check.errors);
        const auth = c.get('auth');
        const saved = await c.get('tenant')(async (tx) => {
          const before = await resolveTemplate(tx, auth.clinicId, key, channel);
          const [row] = await tx.insert(messageTemplates)
            .values({ clinicId: auth.clinicId, key, channel, subject, body: input.body, updatedBy: auth.userId })
            .onConflictDoUpdate({
              target: [messageTemplates.clinicId, messageTemplates.key, messageTemplates.channel],
              set: { subject, body: input.body, updatedBy: auth.userId, updatedAt: sql`now()` },
            }).returning();
          await recordAudit(tx, c, {
            action: 'update', entity: 'message_template', entityId: row!.id,
            before: before ? { subject: before.subject, body: before.body, isDefault: before.isDefault } : null,
            after: { key, channel, subject, body: input.body },
          });
          return row!;
        });
        return c.json({
          key, channel, subject: saved.subject, body: saved.body, isDefault: false, sentByJourney: sentByJourney(key, channel),
          updatedAt: saved.updatedAt.toISOString(), warnings: check.warnings,
        }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete', path: '/templates/{key}/{channel}', tags: ['Lembretes'], security: bearer,
        summary: 'Voltar ao texto padrão (apaga o texto da clínica)',
        request: { params: Params },
        responses: { 200: { description: 'Texto padrão', content: { 'application/json': { schema: Template } } }, ...errorResponses(400, 401, 403) },
      }),
      async (c) => {
        const { key, channel } = c.req.valid('param');
        const auth = c.get('auth');
        await c.get('tenant')(async (tx) => {
          const [row] = await tx.delete(messageTemplates)
            .where(and(eq(messageTemplates.clinicId, auth.clinicId), eq(messageTemplates.key, key), eq(messageTemplates.channel, channel))).returning();
          if (row) await recordAudit(tx, c, { action: 'delete', entity: 'message_template', entityId: row.id, before: { key, channel, subject: row.subject, body: row.body } });
        });
        const d = defaultTemplate(key, channel);
        return c.json({ key, channel, subject: d.subject, body: d.body, isDefault: true, sentByJourney: sentByJourney(key, channel), updatedAt: null }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/templates/preview', tags: ['Lembretes'], security: bearer,
        summary: 'Pré-visualizar um texto com dados de exemplo ou de um agendamento',
        request: { body: { content: { 'application/json': { schema: PreviewInput } }, required: true } },
        responses: { 200: { description: 'Texto renderizado', content: { 'application/json': { schema: Preview } } }, ...errorResponses(400, 401, 404) },
      }),
      async (c) => {
        const input = c.req.valid('json');
        const clinicId = c.get('auth').clinicId;
        const text = input.body !== undefined
          ? { subject: input.subject ?? null, body: input.body }
          : await c.get('tenant')(async (tx) => (await resolveTemplate(tx, clinicId, input.key, input.channel)) ?? defaultTemplate(input.key, input.channel));
        const { facts, source } = await factsFor(c, clinicId, input.appointmentId);
        const out = renderText(input.channel === 'email' ? text.subject : null, text.body, facts);
        const check = checkTemplate(input.channel, text.body, input.channel === 'email' ? text.subject : null);
        return c.json({ subject: out.subject, body: out.body, length: out.body.length, variables: out.variables, errors: check.errors, warnings: check.warnings, source }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/templates/test', tags: ['Lembretes'], security: bearer,
        summary: 'Enviar um teste para o meu telefone ou e-mail',
        description: 'Renderiza com dados de exemplo e envia pelo canal escolhido ao usuário logado (telefone do perfil para WhatsApp/SMS, e-mail do login). Sem credenciais do provedor, a mensagem fica na caixa de saída local.',
        request: { body: { content: { 'application/json': { schema: TestInput } }, required: true } },
        responses: { 201: { description: 'Enviado', content: { 'application/json': { schema: TestResult } } }, ...errorResponses(400, 401, 403, 422) },
      }),
      async (c) => {
        const input = c.req.valid('json');
        const auth = c.get('auth');
        const [me] = await deps.db.select({ email: users.email, phone: users.phone }).from(users).where(eq(users.id, auth.userId));
        const to = input.channel === 'email' ? me?.email : me?.phone;
        if (!to) throw new ApiError(400, 'validation_failed', 'Cadastre seu telefone em Meu perfil para receber o teste por WhatsApp ou SMS.', { channel: ['Seu perfil não tem telefone.'] });
        const text = input.body !== undefined
          ? { subject: input.subject ?? null, body: input.body }
          : await c.get('tenant')(async (tx) => (await resolveTemplate(tx, auth.clinicId, input.key, input.channel)) ?? defaultTemplate(input.key, input.channel));
        const check = checkTemplate(input.channel, text.body, input.channel === 'email' ? text.subject : null);
        if (Object.keys(check.errors).length) throw new ApiError(400, 'validation_failed', Object.values(check.errors)[0]![0]!, check.errors);
        const { facts } = await factsFor(c, auth.clinicId);
        const out = renderText(input.channel === 'email' ? text.subject : null, text.body, facts);
        const subject = input.channel === 'email' ? `[Teste] ${out.subject ?? 'Lembrete'}` : null;
        let result;
        try {
          result = await sender.send({
            clinicId: auth.clinicId, channel: input.channel, to, body: out.body, ...(subject ? { subject } : {}),
            // Not the step's own key: a test never counts in the reminders report.
            templateKey: `test_${input.key}`, variables: out.variables, purpose: 'transactional',
            ...(input.key === 'reminder_24h' && input.channel === 'whatsapp' ? { quickReplies: ['1', '2'] } : {}),
            idempotencyKey: `test:${auth.userId}:${deps.now().getTime()}`,
          });
        } catch (err) {
          if (err instanceof MessageRejectedError) throw new ApiError(422, 'validation_failed', `O provedor recusou a mensagem: ${err.message}`);
          throw err;
        }
        await c.get('tenant')((tx) => recordAudit(tx, c, {
          action: 'send_test', entity: 'message_template', entityId: result.outboxId, after: { key: input.key, channel: input.channel, to, status: result.status },
        }));
        return c.json({ status: result.status, outboxId: result.outboxId, channel: input.channel, to, subject, body: out.body }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/report', tags: ['Lembretes'], security: bearer,
        summary: 'Relatório dos lembretes por canal: enviados, entregues, lidos, confirmados, cancelados, faltas e taxa de sucesso',
        description: SUCCESS_RULE,
        request: { query: z.strictObject({ from: DateOnly.optional(), to: DateOnly.optional() }) },
        responses: { 200: { description: 'Relatório', content: { 'application/json': { schema: Report } } }, ...errorResponses(400, 401) },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const clinicId = c.get('auth').clinicId;
        const result = await c.get('tenant')(async (tx) => {
          const [clinic] = await tx.select({ timezone: clinics.timezone }).from(clinics).where(eq(clinics.id, clinicId));
          const tz = clinic?.timezone ?? 'America/Sao_Paulo';
          const to = q.to ?? localDate(deps.now(), tz);
          const from = q.from ?? addLocalDays(to, -29);
          if (from > to) throw new ApiError(400, 'validation_failed', 'A data inicial deve ser anterior à final.', { from: ['Período inválido.'] });
          if (addLocalDays(from, 366) < to) throw new ApiError(400, 'validation_failed', 'O período máximo é de um ano.', { from: ['Período longo demais.'] });
          return { from, to, tz, channels: await reminderReport(tx, clinicId, from, to, tz) };
        });
        const channels = result.channels;
        return c.json({ from: result.from, to: result.to, timezone: result.tz, channels, rule: SUCCESS_RULE }, 200);
      },
    );
}
