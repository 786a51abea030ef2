// The staff side of Anna (the WhatsApp assistant): the inbox list, one conversation (thread with delivery
// status, qualification and score factors, AI usage, the lead journey's live state), marking as read,
// taking a conversation over from Anna and handing it back, staff messages, and the chat analytics.
// Reads: any member; writes: staff or admin (RBAC middleware). The database is the truth for take-over:
// the journey is signalled after the commit and a failed signal is logged, never a failed request.
import { addLocalDays, daysBetween, localDate } from '../../domain/timezone';
import type { Tx } from '../../db/client';
import crypto from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import { clinics, conversationMessages, conversations, users } from '../../db/schema';
import { createMessageSender, MessageRejectedError, ProviderUnavailableError, type SendResult } from '../../services/messaging/sender';
import type { ApiDeps, AppEnv } from '../context';
import { ApiError } from '../../services/errors';
import { recordAudit } from '../audit';
import { bearer, errorResponses, router, jsonResponse } from '../openapi';
import { IsoDay } from '../catalog/common';
import {
  CONVERSATION_STATUSES, chatAnalytics, detractorOf, listConversations, loadAiUsage, loadConversation, loadQualification, loadThread, tabCounts,
} from '../../services/conversations/queries';
import { markDetractorContacted } from '../../services/feedback/detractor-inbox';
import { readLeadJourney, signalLeadJourney } from '../../journeys/lead';
import { temporalWorkflowUrl } from '../../journeys/temporal';
import type { Context } from 'hono';

export const STAFF_MESSAGE_MAX = 1600;
const ANALYTICS_MAX_DAYS = 366;

/** Inbox-specific error codes (machine-readable; the message is pt-BR). */
type ConversationErrorCode = 'taken_over' | 'not_taken_over' | 'conversation_closed';
/** A staff member's display name (takeover messages and signals). */
async function userNameOf(tx: Tx, userId: string): Promise<string | null> {
  const [row] = await tx.select({ name: users.name }).from(users).where(eq(users.id, userId));
  return row?.name ?? null;
}

const conflict = (code: ConversationErrorCode, message: string) => new ApiError(409, code, message);

/** Any text: a malformed id is simply a conversation that does not exist (404, like another clinic's id). */
const IdParam = z.object({ id: z.string().max(100).openapi({ param: { name: 'id', in: 'path' }, example: '2f1c1c1e-8d1b-4f7e-9a51-0c1d2e3f4a5b' }) });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function conversationId(c: { req: { valid(t: 'param'): { id: string } } }): string {
  const { id } = c.req.valid('param');
  if (!UUID.test(id)) throw notFound();
  return id.toLowerCase();
}

const notFound = () => new ApiError(404, 'not_found', 'Conversa não encontrada.');


// ── Schemas ──────────────────────────────────────────────────────────────────────────────────────

const Status = z.enum(CONVERSATION_STATUSES);
const Sender = z.enum(['anna', 'paciente', 'staff']);
const Delivery = z.enum(['queued', 'sent', 'delivered', 'read', 'failed']);
const Person = z.object({ id: z.string(), name: z.string() });

const ListItem = z.object({
  id: z.string(),
  phone: z.string().openapi({ description: 'WhatsApp do contato (E.164), sem máscara: a equipe vê o número.' }),
  contactName: z.string().nullable(),
  patient: Person.nullable(),
  status: Status,
  stage: z.string(),
  needsStaff: z.boolean(),
  takenOverBy: Person.nullable(),
  takenOverAt: z.string().nullable(),
  score: z.number().int().nullable(),
  lastMessage: z.object({ sender: Sender, body: z.string(), sentAt: z.string() }).nullable(),
  lastMessageAt: z.string(),
  startedAt: z.string(),
  unreadCount: z.number().int(),
  channel: z.string(),
  workflowId: z.string().nullable(),
  detractor: z.object({ surveyId: z.string(), score: z.number().int().nullable() }).nullable().openapi({
    description: 'Conversa aberta para a equipe depois de uma nota 0–6 na pesquisa: a Anna não responde nela até o acompanhamento ser resolvido.',
  }),
}).openapi('ConversationListItem');

const Counts = z.object({
  aberta: z.number().int(), fila: z.number().int(), convertida: z.number().int(), abandonada: z.number().int(), spam: z.number().int(),
  unread: z.number().int(),
});

const ConversationList = z.object({
  items: z.array(ListItem),
  nextCursor: z.string().nullable(),
  counts: Counts.openapi({ description: 'Conversas por aba (abertas, fila da equipe, convertidas, abandonadas, spam) e não lidas abertas.' }),
  serverTime: z.string().openapi({ description: 'Use como `since` na próxima consulta para receber só o que mudou.' }),
}).openapi('ConversationList');

const ThreadMessage = z.object({
  id: z.string(),
  sender: Sender,
  body: z.string(),
  kind: z.string(),
  mediaUrl: z.string().nullable(),
  sentAt: z.string(),
  read: z.boolean(),
  readAt: z.string().nullable(),
  sentimentScore: z.number().nullable(),
  quickReplies: z.array(z.string()),
  user: Person.nullable(),
  delivery: Delivery.nullable().openapi({ description: 'Mensagens da Anna e da equipe: status do provedor (fila, enviada, entregue, lida, falhou).' }),
  deliveredAt: z.string().nullable(),
  seenAt: z.string().nullable(),
  deliveryError: z.string().nullable(),
}).openapi('ConversationMessage');

const Factor = z.object({ key: z.string(), label: z.string(), points: z.number() });
const Slot = z.object({ professionalId: z.string(), startsAt: z.string(), label: z.string() });
const Qualification = z.object({
  score: z.number().int().nullable(),
  scoreFactors: z.array(Factor),
  interested: z.enum(['sim', 'nao', 'talvez']).nullable(),
  procedureInterest: z.string().nullable(),
  procedureId: z.string().nullable(),
  preferredDate: z.string().nullable(),
  preferredTime: z.string().nullable(),
  interestWhen: z.string().nullable(),
  confirmedPhone: z.string().nullable(),
  suggestedSlots: z.array(Slot),
  updatedAt: z.string(),
}).openapi('ConversationQualification');

const AiUsage = z.object({
  calls: z.number().int(), failed: z.number().int(), promptTokens: z.number().int(), completionTokens: z.number().int(),
  tokens: z.number().int(), costMicroUsd: z.number().int(),
  byEngine: z.array(z.object({
    engine: z.string(), calls: z.number().int(), failed: z.number().int(), promptTokens: z.number().int(), completionTokens: z.number().int(), costMicroUsd: z.number().int(),
  })),
}).openapi('ConversationAiUsage');

const Journey = z.object({
  state: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'LeadJourneyState (workflows/definitions.ts), resposta de leadStateQuery.' }),
  reason: z.enum(['no_workflow', 'journey_not_running']).nullable(),
  workflowStatus: z.string().nullable(),
  message: z.string().nullable(),
});

const ConversationDetail = z.object({
  conversation: ListItem.omit({ lastMessage: true }).extend({
    convertedAppointmentId: z.string().nullable(),
    closedAt: z.string().nullable(),
    firstReplyAt: z.string().nullable(),
  }),
  messages: z.array(ThreadMessage),
  truncated: z.boolean().openapi({ description: 'Só as 500 mensagens mais recentes vieram.' }),
  qualification: Qualification.nullable(),
  aiUsage: AiUsage,
  journey: Journey,
  temporalUiUrl: z.string().nullable(),
  /** Whether the signed-in member holds the conversation (may write in it). */
  heldByMe: z.boolean(),
}).openapi('ConversationDetail');

const TakeoverResult = z.object({
  id: z.string(),
  takenOverBy: Person.nullable(),
  takenOverAt: z.string().nullable(),
  signal: z.enum(['sent', 'no_workflow', 'journey_not_running', 'failed', 'unchanged']).openapi({
    description: 'O que aconteceu com o sinal para a jornada da Anna (o banco já registrou a mudança em qualquer caso).',
  }),
}).openapi('ConversationTakeover');

const StaffMessageBody = z.strictObject({
  text: z.string({ message: 'Escreva a mensagem.' })
    .trim()
    .min(1, 'Escreva a mensagem.')
    .max(STAFF_MESSAGE_MAX, `A mensagem deve ter no máximo ${STAFF_MESSAGE_MAX} caracteres.`),
}).openapi('StaffMessage');

const StaffMessageResult = z.object({
  message: ThreadMessage,
  status: z.enum(['sent', 'queued', 'duplicate']),
  outboxId: z.string(),
}).openapi('StaffMessageSent');

const Figures = z.object({
  conversations: z.number().int(), leads: z.number().int(), convertidas: z.number().int(), abandonadas: z.number().int(),
  abertas: z.number().int(), spam: z.number().int(), staffQueue: z.number().int(),
  conversionRate: z.number().nullable(), abandonmentRate: z.number().nullable(), spamRate: z.number().nullable(),
  medianFirstReplySeconds: z.number().nullable(), averageScore: z.number().nullable(),
});
const Analytics = z.object({
  from: z.string(), to: z.string(), channel: z.string().nullable(),
  totals: Figures.extend({ aiCalls: z.number().int(), aiTokens: z.number().int(), aiCostMicroUsd: z.number().int() }),
  series: z.array(Figures.extend({ day: z.string() })),
  byChannel: z.array(Figures.extend({ channel: z.string() })),
}).openapi('ChatAnalytics');

const Channel = z.enum(['whatsapp', 'sms'], { message: 'Canal inválido: use whatsapp ou sms.' });
const Instant = z.iso.datetime({ offset: true, message: 'Data e hora inválidas: use ISO 8601, ex. 2026-03-15T12:00:00Z.' });

const ListQuery = z.strictObject({
  status: z.enum(CONVERSATION_STATUSES, { message: 'Status inválido: use aberta, convertida, abandonada ou spam.' }).optional(),
  needsStaff: z.enum(['true', 'false'], { message: 'needsStaff deve ser true ou false.' }).optional(),
  q: z.string().trim().max(100, 'A busca deve ter no máximo 100 caracteres.').optional(),
  channel: Channel.optional(),
  from: IsoDay.optional(),
  to: IsoDay.optional(),
  since: Instant.optional(),
  cursor: z.string().max(200, 'Cursor inválido.').optional(),
  limit: z.coerce.number({ message: 'Limite inválido.' }).int('Limite inválido.').min(1, 'Limite mínimo 1.').max(100, 'Limite máximo 100.').default(30),
});

const AnalyticsQuery = z.strictObject({ from: IsoDay.optional(), to: IsoDay.optional(), channel: Channel.optional() });

// ── Helpers ──────────────────────────────────────────────────────────────────────────────────────


async function clinicTimeZone(c: Context<AppEnv>): Promise<string> {
  const [row] = await c.get('tenant')((tx) => tx.select({ tz: clinics.timezone }).from(clinics).where(eq(clinics.id, c.get('auth').clinicId)));
  return row?.tz ?? 'America/Sao_Paulo';
}

/** The conversation row locked for a staff change, or 404 (another clinic's id is invisible under RLS). */
async function lockConversation(tx: Parameters<Parameters<AppEnv['Variables']['tenant']>[0]>[0], clinicId: string, id: string) {
  const [row] = await tx.select().from(conversations)
    .where(and(eq(conversations.id, id), eq(conversations.clinicId, clinicId))).for('update');
  if (!row) throw notFound();
  return row;
}

// ── Routes ───────────────────────────────────────────────────────────────────────────────────────

/** Mounted at /api/conversations. */
export function conversationRoutes(deps: ApiDeps) {
  const sender = createMessageSender({ db: deps.db, env: deps.env, log: deps.log.child({ module: 'conversations' }), now: deps.now });

  return router()
    .openapi(
      createRoute({
        method: 'get', path: '/analytics', tags: ['Chat Anna'], security: bearer,
        summary: 'Indicadores do chat: conversas, conversão, abandono, spam, tempo até a primeira resposta, score médio e custo de IA',
        description: 'Conversas iniciadas no período (dias no fuso da clínica; padrão: últimos 30 dias). Taxas sobre os leads (conversas que não são spam). Custo de IA em milionésimos de dólar.',
        request: { query: AnalyticsQuery },
        responses: { 200: jsonResponse('Indicadores', Analytics), ...errorResponses(400, 401) },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const tz = await clinicTimeZone(c);
        const to = q.to ?? localDate(deps.now(), tz);
        const from = q.from ?? addLocalDays(to, -29);
        const length = daysBetween(from, to) + 1;
        if (length < 1) throw new ApiError(400, 'validation_failed', 'O início do período deve ser anterior ou igual ao fim.', { from: ['Deve ser anterior ou igual a "to".'] });
        if (length > ANALYTICS_MAX_DAYS) throw new ApiError(400, 'validation_failed', `O período pode ter no máximo ${ANALYTICS_MAX_DAYS} dias.`, { from: ['Período longo demais.'] });
        const result = await c.get('tenant')((tx) => chatAnalytics(tx, c.get('auth').clinicId, tz, { from, to, channel: q.channel }));
        return c.json(result, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/', tags: ['Chat Anna'], security: bearer,
        summary: 'Conversas da Anna (mais recentes primeiro, paginação por cursor)',
        description: 'Filtros: status, needsStaff (fila da equipe), q (nome ou telefone), canal, período da última mensagem (from/to, dias no fuso da clínica) e since (só o que teve atividade depois do instante, para atualização ao vivo).',
        request: { query: ListQuery },
        responses: { 200: jsonResponse('Conversas', ConversationList), ...errorResponses(400, 401) },
      }),
      async (c) => {
        const q = c.req.valid('query');
        if (q.from && q.to && q.from > q.to) {
          throw new ApiError(400, 'validation_failed', 'O início do período deve ser anterior ou igual ao fim.', { from: ['Deve ser anterior ou igual a "to".'] });
        }
        const tz = q.from || q.to ? await clinicTimeZone(c) : 'America/Sao_Paulo';
        const clinicId = c.get('auth').clinicId;
        const serverTime = deps.now().toISOString();
        const { page, counts } = await c.get('tenant')(async (tx) => ({
          page: await listConversations(tx, clinicId, tz, {
            status: q.status, needsStaff: q.needsStaff === undefined ? undefined : q.needsStaff === 'true',
            q: q.q, channel: q.channel, from: q.from, to: q.to, since: q.since, cursor: q.cursor, limit: q.limit,
          }),
          counts: await tabCounts(tx, clinicId),
        }));
        return c.json({ ...page, counts, serverTime }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/{id}', tags: ['Chat Anna'], security: bearer,
        summary: 'Uma conversa: mensagens (com status de entrega), respostas e score, uso de IA e estado da jornada no Temporal',
        description: 'O estado da jornada vem da consulta leadStateQuery com no máximo 2 s de espera; journey.state é null com reason journey_not_running quando o workflow terminou, não existe ou não respondeu.',
        request: { params: IdParam },
        responses: { 200: jsonResponse('Conversa', ConversationDetail), ...errorResponses(400, 401, 404) },
      }),
      async (c) => {
        const id = conversationId(c);
        const auth = c.get('auth');
        const loaded = await c.get('tenant')(async (tx) => {
          const row = await loadConversation(tx, auth.clinicId, id);
          if (!row) throw notFound();
          const [thread, qualification, aiUsage] = [
            await loadThread(tx, auth.clinicId, id), await loadQualification(tx, auth.clinicId, id), await loadAiUsage(tx, auth.clinicId, id),
          ];
          return { row, thread, qualification, aiUsage };
        });
        const { row, thread, qualification, aiUsage } = loaded;
        const conv = row.c;
        const journey = await readLeadJourney(deps.temporal, c.get('log'), conv.workflowId);
        return c.json({
          conversation: {
            id: conv.id, phone: conv.patientWhatsapp, contactName: conv.contactName,
            patient: conv.patientId && row.patientName ? { id: conv.patientId, name: row.patientName } : null,
            status: conv.status, stage: conv.stage, needsStaff: conv.needsStaff,
            takenOverBy: conv.takenOverBy ? { id: conv.takenOverBy, name: row.takenOverName ?? '' } : null,
            takenOverAt: conv.takenOverAt?.toISOString() ?? null,
            score: qualification?.score ?? null,
            lastMessageAt: conv.lastMessageAt.toISOString(), startedAt: conv.startedAt.toISOString(),
            unreadCount: conv.unreadCount, channel: conv.channel, workflowId: conv.workflowId,
            detractor: detractorOf(conv, row.npsScore),
            convertedAppointmentId: conv.convertedAppointmentId, closedAt: conv.closedAt?.toISOString() ?? null,
            firstReplyAt: conv.firstReplyAt?.toISOString() ?? null,
          },
          messages: thread.messages,
          truncated: thread.truncated,
          qualification,
          aiUsage,
          journey: { ...journey, state: journey.state as unknown as Record<string, unknown> | null },
          temporalUiUrl: conv.workflowId ? temporalWorkflowUrl(deps.env, conv.workflowId) : null,
          heldByMe: conv.takenOverBy === auth.userId,
        }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/{id}/read', tags: ['Chat Anna'], security: bearer,
        summary: 'Marcar como lidas as mensagens do paciente',
        request: { params: IdParam },
        responses: { 200: jsonResponse('Marcadas', z.object({ id: z.string(), marked: z.number().int(), unreadCount: z.literal(0) })), ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => {
        const id = conversationId(c);
        const auth = c.get('auth');
        const now = deps.now();
        // Not audited: reading is bookkeeping for the inbox badge, not a change to the clinic's data.
        const marked = await c.get('tenant')(async (tx) => {
          await lockConversation(tx, auth.clinicId, id);
          const rows = await tx.update(conversationMessages).set({ read: true, readAt: now })
            .where(and(
              eq(conversationMessages.conversationId, id), eq(conversationMessages.clinicId, auth.clinicId),
              eq(conversationMessages.sender, 'paciente'), eq(conversationMessages.read, false),
            ))
            .returning({ id: conversationMessages.id });
          await tx.update(conversations).set({ unreadCount: 0 }).where(eq(conversations.id, id));
          return rows.length;
        });
        return c.json({ id, marked, unreadCount: 0 as const }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/{id}/takeover', tags: ['Chat Anna'], security: bearer,
        summary: 'Assumir a conversa (a Anna pausa até a devolução)',
        description: '409 taken_over quando outra pessoa já assumiu; 409 conversation_closed quando a conversa não está aberta. Assumir de novo a própria conversa não muda nada.',
        request: { params: IdParam },
        responses: { 200: jsonResponse('Assumida', TakeoverResult), ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const id = conversationId(c);
        const auth = c.get('auth');
        const now = deps.now();
        const outcome = await c.get('tenant')(async (tx) => {
          const conv = await lockConversation(tx, auth.clinicId, id);
          const userName = (await userNameOf(tx, auth.userId)) ?? '';
          if (conv.takenOverBy && conv.takenOverBy !== auth.userId) {
            throw conflict('taken_over', `${(await userNameOf(tx, conv.takenOverBy)) ?? 'Outra pessoa da equipe'} já assumiu esta conversa.`);
          }
          if (conv.status !== 'aberta') {
            throw conflict('conversation_closed', 'Esta conversa já foi encerrada (convertida, abandonada ou spam) e não pode ser assumida.');
          }
          if (conv.takenOverBy === auth.userId) return { changed: false as const, conv, userName };
          const [updated] = await tx.update(conversations).set({ takenOverBy: auth.userId, takenOverAt: now })
            .where(eq(conversations.id, id)).returning();
          await recordAudit(tx, c, {
            action: 'takeover', entity: 'conversation', entityId: id,
            before: { takenOverBy: null }, after: { takenOverBy: auth.userId, takenOverAt: now.toISOString() },
          });
          return { changed: true as const, conv: updated!, userName };
        });
        const signal = outcome.changed
          ? await signalLeadJourney(deps.temporal, c.get('log'), outcome.conv.workflowId, 'takeover', { userId: auth.userId, userName: outcome.userName, at: now.toISOString() })
          : 'unchanged' as const;
        return c.json({
          id, takenOverBy: { id: auth.userId, name: outcome.userName },
          takenOverAt: outcome.conv.takenOverAt?.toISOString() ?? now.toISOString(), signal,
        }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/{id}/handback', tags: ['Chat Anna'], security: bearer,
        summary: 'Devolver a conversa para a Anna',
        description: 'Quem assumiu devolve (um administrador também pode devolver a de outra pessoa). 409 not_taken_over quando ninguém assumiu.',
        request: { params: IdParam },
        responses: { 200: jsonResponse('Devolvida', TakeoverResult), ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const id = conversationId(c);
        const auth = c.get('auth');
        const now = deps.now();
        const outcome = await c.get('tenant')(async (tx) => {
          const conv = await lockConversation(tx, auth.clinicId, id);
          if (!conv.takenOverBy) throw conflict('not_taken_over', 'Ninguém assumiu esta conversa: a Anna já está respondendo.');
          if (conv.takenOverBy !== auth.userId && auth.role !== 'admin') {
            throw conflict('taken_over', `Quem assumiu esta conversa foi ${(await userNameOf(tx, conv.takenOverBy)) ?? 'outra pessoa da equipe'}: só essa pessoa (ou um administrador) pode devolvê-la.`);
          }
          const userName = (await userNameOf(tx, auth.userId)) ?? '';
          const [updated] = await tx.update(conversations).set({ takenOverBy: null, takenOverAt: null })
            .where(eq(conversations.id, id)).returning();
          await recordAudit(tx, c, {
            action: 'handback', entity: 'conversation', entityId: id,
            before: { takenOverBy: conv.takenOverBy, takenOverAt: conv.takenOverAt?.toISOString() ?? null }, after: { takenOverBy: null },
          });
          return { conv: updated!, userName };
        });
        const signal = await signalLeadJourney(deps.temporal, c.get('log'), outcome.conv.workflowId, 'handback', { userId: auth.userId, userName: outcome.userName, at: now.toISOString() });
        return c.json({ id, takenOverBy: null, takenOverAt: null, signal }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/{id}/messages', tags: ['Chat Anna'], security: bearer,
        summary: 'Enviar uma mensagem da equipe pelo WhatsApp (só quem assumiu a conversa)',
        description: 'Texto de 1 a 1600 caracteres. O cabeçalho opcional Idempotency-Key (UUID) evita enviar duas vezes a mesma mensagem num reenvio.',
        request: {
          params: IdParam,
          headers: z.object({ 'idempotency-key': z.uuid({ message: 'Idempotency-Key deve ser um UUID.' }).optional() }),
          body: { content: { 'application/json': { schema: StaffMessageBody } }, required: true },
        },
        responses: { 201: jsonResponse('Enviada', StaffMessageResult), ...errorResponses(400, 401, 403, 404, 409, 503) },
      }),
      async (c) => {
        const id = conversationId(c);
        const { text } = c.req.valid('json');
        const key = c.req.valid('header')['idempotency-key'] ?? crypto.randomUUID();
        const auth = c.get('auth');
        const log = c.get('log');

        const conv = await c.get('tenant')(async (tx) => {
          const row = await lockConversation(tx, auth.clinicId, id);
          if (row.takenOverBy !== auth.userId) {
            throw conflict('not_taken_over', 'Assuma a conversa antes de escrever: enquanto a Anna está respondendo, a equipe não envia mensagens.');
          }
          return row;
        });

        const channel = conv.channel === 'sms' ? 'sms' : 'whatsapp';
        let result: SendResult;
        try {
          result = await sender.send({
            clinicId: auth.clinicId, patientId: conv.patientId ?? undefined, channel, to: conv.patientWhatsapp, body: text,
            templateKey: 'staff_message', purpose: 'transactional', idempotencyKey: `staff:${id}:${key}`,
          });
        } catch (err) {
          if (err instanceof MessageRejectedError) {
            log.warn({ err, conversationId: id }, 'staff message refused by the messaging provider');
            const why = err.code === 'whatsapp_template_required'
              ? 'o contato não escreve há mais de 24 horas e o WhatsApp só aceita modelos aprovados fora dessa janela'
              : err.message.replace(/[.\s]+$/, '');
            throw new ApiError(409, 'conflict', `O WhatsApp recusou a mensagem: ${why}.`);
          }
          log.error({ err, conversationId: id }, 'staff message send failed');
          throw new ApiError(503, 'unavailable', err instanceof ProviderUnavailableError
            ? 'O serviço de mensagens não respondeu. Nada foi enviado; tente novamente.'
            : 'Não foi possível confirmar o envio. Confira a conversa antes de tentar de novo.');
        }
        if (result.status.startsWith('skipped_')) {
          await c.get('tenant')((tx) => recordAudit(tx, c, {
            action: 'send_message', entity: 'conversation', entityId: id, after: { outboxId: result.outboxId, status: result.status },
          }));
          throw new ApiError(409, 'conflict', result.status === 'skipped_opt_out'
            ? 'O contato pediu para não receber mensagens por WhatsApp; a mensagem não foi enviada.'
            : 'O contato recusou mensagens por WhatsApp; a mensagem não foi enviada.');
        }

        const now = deps.now();
        const messageId = await c.get('tenant')(async (tx) => {
          // A repeat of the same request (same Idempotency-Key) finds the message it already recorded.
          const [existing] = await tx.select({ id: conversationMessages.id }).from(conversationMessages)
            .where(and(eq(conversationMessages.conversationId, id), eq(conversationMessages.outboxId, result.outboxId)));
          if (existing) return existing.id;
          const [inserted] = await tx.insert(conversationMessages).values({
            clinicId: auth.clinicId, conversationId: id, sender: 'staff', body: text, sentAt: now, read: true, readAt: now,
            providerMessageId: result.providerMessageId ?? null, outboxId: result.outboxId, userId: auth.userId,
          }).returning({ id: conversationMessages.id });
          await tx.update(conversations).set({
            lastMessageAt: sql`greatest(${conversations.lastMessageAt}, ${now.toISOString()}::timestamptz)`,
            firstReplyAt: sql`coalesce(${conversations.firstReplyAt}, ${now.toISOString()}::timestamptz)`,
          }).where(eq(conversations.id, id));
          await markDetractorContacted(tx, { clinicId: auth.clinicId, conversationId: id, userId: auth.userId, now });
          await recordAudit(tx, c, {
            action: 'send_message', entity: 'conversation', entityId: id,
            after: { messageId: inserted!.id, outboxId: result.outboxId, status: result.status, length: text.length },
          });
          return inserted!.id;
        });
        const thread = await c.get('tenant')((tx) => loadThread(tx, auth.clinicId, id));
        const message = thread.messages.find((m) => m.id === messageId)!;
        return c.json({ message, status: result.status as 'sent' | 'queued' | 'duplicate', outboxId: result.outboxId }, 201);
      },
    );
}
