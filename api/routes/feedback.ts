// Pesquisa & Feedback for staff (dashboard /feedback): the period's NPS and its breakdowns, the
// detractors' queue and its follow-up, comments with sentiment, feedback forms, reviews per professional,
// upsell offers. Numbers are defined once in services/feedback/reports.ts.
import { createRoute, z } from '@hono/zod-openapi';
import { resolvePeriod } from '../../services/catalog/period';
import { ApiError } from '../../services/errors';
import {
  detractorQueue, feedbackForms, feedbackSummary, professionalReviews, setFollowUp, surveyComments, upsellList, type Period,
} from '../../services/feedback/reports';
import { FEEDBACK_ASPECTS } from '../../services/feedback/public';
import { releaseDetractorConversation } from '../../services/feedback/detractor-inbox';
import type { Tx } from '../../db/client';
import type { ApiDeps } from '../context';
import { recordAudit } from '../audit';
import { bearer, errorResponses, jsonBody, jsonResponse, router, Uuid } from '../openapi';

const tags = ['Pesquisa & Feedback'];
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use o formato AAAA-MM-DD.').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'Data inválida.');
const PeriodQuery = z.strictObject({ from: isoDate.optional(), to: isoDate.optional() });
const SummaryQuery = PeriodQuery.extend({ professionalId: Uuid.optional(), procedureId: Uuid.optional() });
const Group = z.object({ id: z.string(), name: z.string(), sent: z.number(), answered: z.number(), nps: z.number().nullable() });
const Summary = z.object({
  from: z.string(), to: z.string(),
  sent: z.number(), answered: z.number(), lateAnswers: z.number(), unanswered: z.number(), responseRate: z.number().nullable(), nps: z.number().nullable(),
  promoters: z.number(), neutrals: z.number(), detractors: z.number(),
  byProfessional: z.array(Group), byProcedure: z.array(Group),
  trend: z.array(z.object({ week: z.string(), answered: z.number(), nps: z.number().nullable() })),
  coupons: z.object({ issued: z.number(), redeemed: z.number(), discountCents: z.number() }),
  upsell: z.object({
    offers: z.number(), booked: z.number(), ignored: z.number(), refused: z.number(), open: z.number(), notSent: z.number(),
    conversionRate: z.number().nullable(), revenueCents: z.number(),
  }),
}).openapi('FeedbackSummary');
const FollowUpStatus = z.enum(['aberto', 'contatado', 'resolvido'], { message: 'Use aberto, contatado ou resolvido.' });
const FollowUpBody = z.strictObject({
  status: FollowUpStatus,
  note: z.string({ message: 'A anotação deve ser texto.' }).trim().max(1000, 'A anotação deve ter no máximo 1000 caracteres.').nullish(),
}).openapi('FeedbackFollowUp');
const Sentiment = z.enum(['positivo', 'neutro', 'negativo']);
/** An instant as ISO 8601 (JSON of a timestamp column). */
const Instant = z.string().openapi({ format: 'date-time' });
const Detractor = z.object({
  id: z.string(), appointmentId: z.string(), patientId: z.string(), patient: z.string(), phone: z.string().nullable(),
  score: z.number().int().min(0).max(6), comment: z.string().nullable(),
  sentimentLabel: Sentiment.nullable(), sentimentScore: z.number().nullable(), sentimentWords: z.array(z.string()).nullable(),
  answeredAt: Instant.nullable(), followUpStatus: FollowUpStatus.nullable(), followUpNote: z.string().nullable(), followUpAt: Instant.nullable(),
  professional: z.string(), procedure: z.string(),
  coupon: z.object({ code: z.string(), redeemed: z.boolean(), validUntil: Instant }).nullable(),
  conversationId: z.string().nullable().openapi({ description: 'A conversa aberta para a equipe falar com o paciente (Conversas), enquanto não resolvido.' }),
}).openapi('FeedbackDetractor');
const Comment = z.object({
  id: z.string(), patient: z.string(), score: z.number().int().min(0).max(10).nullable(), comment: z.string(),
  sentimentLabel: Sentiment.nullable(), sentimentScore: z.number().nullable(), sentimentWords: z.array(z.string()).nullable(),
  sentimentSource: z.enum(['local', 'openai']).nullable(), at: Instant.nullable(), professional: z.string(), procedure: z.string(),
}).openapi('FeedbackComment');
const Aspect = z.enum(FEEDBACK_ASPECTS);
const Forms = z.object({
  total: z.number().int(),
  aspects: z.array(z.object({ key: Aspect, label: z.string(), count: z.number().int() })),
  answers: z.array(z.object({ id: z.string(), patient: z.string(), aspects: z.array(Aspect), comment: z.string().nullable(), at: Instant })),
}).openapi('FeedbackForms');
const Reviews = z.object({
  summary: z.array(z.object({ professionalId: z.string(), professional: z.string(), count: z.number().int(), average: z.number() })),
  latest: z.array(z.object({
    id: z.string(), professionalId: z.string(), professional: z.string(), patient: z.string(), rating: z.number().int().min(1).max(5),
    comment: z.string().nullable(), at: Instant,
  })),
}).openapi('ProfessionalReviews');
const UpsellOffer = z.object({
  id: z.string(), workflowId: z.string(), patient: z.string(), patientId: z.string(), procedure: z.string().nullable(),
  status: z.enum(['aguardando', 'enviada', 'agendou', 'ignorou', 'recusou', 'nao_enviada']), reasonText: z.string().nullable(), skipReason: z.string().nullable(),
  sentAt: Instant.nullable(), expiresAt: Instant.nullable(), revenueCents: z.number().int().nullable(), appointmentId: z.string().nullable(),
}).openapi('UpsellOffer');
const VisitFilters = { professionalId: Uuid.optional(), procedureId: Uuid.optional() };

export function feedbackRoutes(deps: ApiDeps) {
  /** [from, to] in the clinic's local days (default: the last 90 days up to today). */
  const period = (tx: Tx, clinicId: string, q: { from?: string; to?: string }): Promise<Period & { fromDay: string; toDay: string }> =>
    resolvePeriod(tx, clinicId, q, deps.now());

  return router()
    .openapi(createRoute({
      method: 'get', path: '/summary', tags, security: bearer,
      summary: 'NPS do período (pesquisas enviadas no período), taxa de resposta, classes, por profissional e procedimento, tendência semanal, cupons e upsell',
      request: { query: SummaryQuery }, responses: { 200: jsonResponse('Resumo', Summary), ...errorResponses(400, 401) },
    }), async (c) => {
      const q = c.req.valid('query');
      const auth = c.get('auth');
      const out = await c.get('tenant')(async (tx) => {
        const p = await period(tx, auth.clinicId, q);
        return { from: p.fromDay, to: p.toDay, ...(await feedbackSummary(tx, auth.clinicId, p, q)) };
      });
      return c.json(out, 200);
    })
    .openapi(createRoute({
      method: 'get', path: '/detractors', tags, security: bearer, summary: 'Fila de detratores (0–6) com o acompanhamento: abertos primeiro',
      request: { query: PeriodQuery.extend({ status: FollowUpStatus.optional(), ...VisitFilters }) },
      responses: { 200: jsonResponse('Detratores', z.object({ detractors: z.array(Detractor) })), ...errorResponses(400, 401) },
    }), async (c) => {
      const q = c.req.valid('query');
      const auth = c.get('auth');
      const detractors = await c.get('tenant')(async (tx) => detractorQueue(tx, auth.clinicId, await period(tx, auth.clinicId, q), q.status, q));
      return c.json({ detractors }, 200);
    })
    .openapi(createRoute({
      method: 'patch', path: '/surveys/{id}/follow-up', tags, security: bearer, summary: 'Marcar o detrator como contatado ou resolvido (com anotação)',
      request: { params: z.object({ id: Uuid }), body: jsonBody(FollowUpBody) },
      responses: { 200: jsonResponse('Atualizado', z.object({ id: z.string(), status: FollowUpStatus })), ...errorResponses(400, 401, 403, 404) },
    }), async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const auth = c.get('auth');
      await c.get('tenant')(async (tx) => {
        const before = await setFollowUp(tx, { clinicId: auth.clinicId, surveyId: id, status: body.status, note: body.note, userId: auth.userId, now: deps.now() });
        if (!before) throw new ApiError(404, 'not_found', 'Pesquisa não encontrada.');
        // Resolved: the detractor's conversation goes back to Anna (she answers the patient's next message).
        if (body.status === 'resolvido') await releaseDetractorConversation(tx, auth.clinicId, id);
        await recordAudit(tx, c, { action: 'nps_follow_up', entity: 'nps_survey', entityId: id, before: { status: before.followUpStatus }, after: { status: body.status, note: body.note ?? null } });
      });
      return c.json({ id, status: body.status }, 200);
    })
    .openapi(createRoute({
      method: 'get', path: '/comments', tags, security: bearer, summary: 'Comentários das pesquisas com o sentimento e as palavras que o definiram',
      request: { query: PeriodQuery.extend({ sentiment: Sentiment.optional(), ...VisitFilters }) },
      responses: { 200: jsonResponse('Comentários', z.object({ comments: z.array(Comment) })), ...errorResponses(400, 401) },
    }), async (c) => {
      const q = c.req.valid('query');
      const auth = c.get('auth');
      const comments = await c.get('tenant')(async (tx) => surveyComments(tx, auth.clinicId, await period(tx, auth.clinicId, q), q.sentiment, q));
      return c.json({ comments }, 200);
    })
    .openapi(createRoute({
      method: 'get', path: '/forms', tags, security: bearer, summary: 'Respostas do formulário "o que podemos melhorar" (neutros)',
      request: { query: PeriodQuery.extend(VisitFilters) }, responses: { 200: jsonResponse('Formulários', Forms), ...errorResponses(400, 401) },
    }), async (c) => {
      const q = c.req.valid('query');
      const auth = c.get('auth');
      return c.json(await c.get('tenant')(async (tx) => feedbackForms(tx, auth.clinicId, await period(tx, auth.clinicId, q), q)), 200);
    })
    .openapi(createRoute({
      method: 'get', path: '/reviews', tags, security: bearer, summary: 'Avaliações por profissional (média e quantidade) e as mais recentes',
      request: { query: z.strictObject({ professionalId: Uuid.optional() }) }, responses: { 200: jsonResponse('Avaliações', Reviews), ...errorResponses(400, 401) },
    }), async (c) => {
      const q = c.req.valid('query');
      const auth = c.get('auth');
      return c.json(await c.get('tenant')((tx) => professionalReviews(tx, auth.clinicId, q.professionalId)), 200);
    })
    .openapi(createRoute({
      method: 'get', path: '/upsell', tags, security: bearer, summary: 'Ofertas de upsell do período: procedimento, motivo e resultado',
      request: { query: PeriodQuery }, responses: { 200: jsonResponse('Ofertas', z.object({ offers: z.array(UpsellOffer) })), ...errorResponses(400, 401) },
    }), async (c) => {
      const q = c.req.valid('query');
      const auth = c.get('auth');
      const offers = await c.get('tenant')(async (tx) => upsellList(tx, auth.clinicId, await period(tx, auth.clinicId, q)));
      return c.json({ offers }, 200);
    });
}
