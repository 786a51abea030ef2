// Public, no-login pages after the visit (web /p/nps, /p/feedback, /p/avaliar, /p/agendar): the signed
// token names one survey or offer (services/feedback/public.ts). Answers are stored once; the journeys
// hear them after the commit (journeys/after-visit.ts).
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, isNull } from 'drizzle-orm';
import { secrets } from '../../config/env';
import { clinics, patients, professionals, reactivationTargets, upsellOffers } from '../../db/schema';
import { withClinic } from '../../db/tenancy';
import { appointmentJourney } from '../../journeys/appointment';
import { signalNpsLinkAnswer, signalReactivationBooked, signalUpsellBooked } from '../../journeys/after-visit';
import { bookAppointment, SlotTaken } from '../../services/agenda/booking';
import { freeSlotsForProcedure, localClock } from '../../services/agenda/procedure-slots';
import { formatPhoneBr, mapUrl } from '../../domain/reminder-templates';
import { createZone } from '../../domain/timezone';
import { ApiError } from '../../services/errors';
import {
  FEEDBACK_ASPECTS, answerFeedback, answerReview, answerSurvey, bookingOffer, feedbackPage, resolvePatientLink, reviewPage, surveyPage,
} from '../../services/feedback/public';
import { MAX_COMMENT_CHARS } from '../../services/feedback/surveys';
import type { ApiDeps } from '../context';
import { errorResponses, jsonBody, jsonResponse, router } from '../openapi';

const tags = ['Links do paciente'];
const TokenParam = z.object({
  token: z.string().min(10, 'Link inválido.').max(400, 'Link inválido.').openapi({ description: 'Token assinado do link.' }),
});
const Comment = z.string({ message: 'O comentário deve ser texto.' }).max(MAX_COMMENT_CHARS, `O comentário deve ter no máximo ${MAX_COMMENT_CHARS} caracteres.`).nullish();
const Visit = z.object({
  clinicName: z.string(), patientFirstName: z.string(), procedure: z.string(), professional: z.string(),
  professionalRef: z.string().openapi({ description: 'O profissional depois de "com"/"para": "a Dra. Ana", "o Dr. João", ou só o nome.' }),
  date: z.string(),
});
const Next = z.object({ kind: z.enum(['feedback', 'review']), url: z.string() }).nullable();
const linkErrors = errorResponses(400, 410);

const SurveyView = z.object({
  state: z.enum(['open', 'answered', 'closed']).openapi({ description: 'open: aguardando a nota; answered: já respondida; closed: encerrada (uma nota ainda é registrada como tardia).' }),
  visit: Visit,
  question: z.string().openapi({ description: 'A pergunta da página: "De 0 a 10, quanto você recomendaria…", com a clínica, o procedimento e o profissional.' }),
  score: z.number().nullable(), comment: z.string().nullable(), next: Next,
}).openapi('PublicSurveyView');
const SurveyAnswer = z.strictObject({
  score: z.number({ message: 'Escolha uma nota de 0 a 10.' }).int('A nota deve ser um número inteiro de 0 a 10.').min(0, 'A nota vai de 0 a 10.').max(10, 'A nota vai de 0 a 10.'),
  comment: Comment,
}).openapi('PublicSurveyAnswer');
const Answered = z.object({ outcome: z.enum(['recorded', 'late', 'already']), message: z.string(), score: z.number().nullable(), next: Next }).openapi('PublicSurveyAnswered');

const FeedbackView = z.object({
  state: z.enum(['open', 'answered']), visit: Visit,
  aspects: z.array(z.object({ key: z.enum(FEEDBACK_ASPECTS), label: z.string() })),
  answer: z.object({ aspects: z.array(z.string()), comment: z.string().nullable() }).nullable(),
}).openapi('PublicFeedbackView');
const FeedbackAnswer = z.strictObject({
  aspects: z.array(z.enum(FEEDBACK_ASPECTS, { message: 'Opção inválida.' }), { message: 'Escolha o que podemos melhorar.' }).max(5),
  comment: Comment,
}).refine((b) => b.aspects.length > 0 || (b.comment ?? '').trim().length > 0, { message: 'Escolha ao menos uma opção ou escreva um comentário.', path: ['aspects'] })
  .openapi('PublicFeedbackAnswer');
const Done = z.object({ outcome: z.enum(['recorded', 'already']), message: z.string() }).openapi('PublicAnswerDone');

const ReviewView = z.object({
  state: z.enum(['open', 'answered']), visit: Visit, review: z.object({ rating: z.number(), comment: z.string().nullable() }).nullable(),
}).openapi('PublicReviewView');
const ReviewAnswer = z.strictObject({
  rating: z.number({ message: 'Escolha de 1 a 5 estrelas.' }).int('Escolha de 1 a 5 estrelas.').min(1, 'Escolha de 1 a 5 estrelas.').max(5, 'Escolha de 1 a 5 estrelas.'),
  comment: Comment,
}).openapi('PublicReviewAnswer');

const Slot = z.object({ professionalId: z.string(), professional: z.string(), startsAt: z.string(), date: z.string(), time: z.string() });
const Clinic = z.object({ name: z.string(), address: z.string().nullable(), phone: z.string().nullable(), mapUrl: z.string().nullable() });
const BookingView = z.object({
  state: z.enum(['open', 'booked', 'closed']),
  patientFirstName: z.string(), clinicName: z.string(), clinic: Clinic,
  timezone: z.string().openapi({ description: 'O fuso da clínica: datas e horas (date, time) já vêm nele.' }),
  procedure: z.object({
    id: z.string(), name: z.string(), durationMinutes: z.number(),
    priceCents: z.number().nullable().openapi({ description: 'O preço de hoje, em centavos.' }),
  }),
  coupon: z.object({
    code: z.string(), label: z.string(),
    priceWithCouponCents: z.number().nullable().openapi({ description: 'O preço de hoje com o cupom; null quando o mínimo do cupom é maior.' }),
  }).nullable(),
  validUntil: z.string().nullable(),
  slots: z.array(Slot),
  booked: z.object({ appointmentId: z.string(), startsAt: z.string(), date: z.string(), time: z.string(), professional: z.string() }).nullable(),
}).openapi('PublicBookingView');
const BookingRequest = z.strictObject({
  startsAt: z.iso.datetime({ offset: true, message: 'Horário inválido.' }),
  professionalId: z.uuid({ message: 'Profissional inválido.' }),
}).openapi('PublicBookingRequest');
const BookingDone = z.object({
  outcome: z.enum(['booked', 'already']), message: z.string(), appointmentId: z.string(), startsAt: z.string(),
  date: z.string(), time: z.string(), professional: z.string(),
}).openapi('PublicBookingDone');

class OfferAlreadyBooked extends Error {}

export function publicFeedbackRoutes(deps: ApiDeps) {
  const secret = secrets(deps.env).linkSecret;
  const links = { secret, webBaseUrl: deps.env.WEB_URL ?? `http://127.0.0.1:${deps.env.WEB_PORT}` };
  const journey = appointmentJourney(deps, { taskQueue: deps.env.TEMPORAL_TASK_QUEUE });

  async function bookingView(offerId: string, clinicId: string) {
    const now = deps.now();
    return withClinic(deps.db, clinicId, async (tx) => {
      const [{ tz }] = await tx.select({ tz: clinics.timezone }).from(clinics).where(eq(clinics.id, clinicId));
      const zone = createZone(tz);
      const b = await bookingOffer(tx, offerId, now, zone.localDate(now.getTime()));
      const [p] = await tx.select({ name: patients.name, clinic: clinics.name, address: clinics.address, phone: clinics.phone }).from(patients)
        .innerJoin(clinics, eq(clinics.id, patients.clinicId)).where(eq(patients.id, b.offer.patientId));
      const slots = b.open && !b.booked ? await freeSlotsForProcedure(tx, { clinicId, procedureId: b.procedure.id, durationMinutes: b.procedure.durationMinutes, now }) : [];
      return {
        ...b,
        view: {
          state: b.booked ? 'booked' as const : b.open ? 'open' as const : 'closed' as const,
          patientFirstName: p.name.trim().split(/\s+/)[0], clinicName: p.clinic,
          clinic: { name: p.clinic, address: p.address, phone: p.phone ? formatPhoneBr(p.phone) : null, mapUrl: p.address ? mapUrl(p.address) : null },
          timezone: tz, procedure: b.procedure, coupon: b.coupon,
          validUntil: b.offer.expiresAt ? new Date(b.offer.expiresAt.getTime() - 1).toLocaleDateString('pt-BR', { timeZone: tz }) : null,
          slots, booked: b.booked ? { ...b.booked, ...localClock(zone, Date.parse(b.booked.startsAt)) } : null,
        },
      };
    });
  }

  return router()
    .openapi(createRoute({
      method: 'get', path: '/nps/{token}', tags, summary: 'A pesquisa de satisfação de um link assinado',
      request: { params: TokenParam }, responses: { 200: jsonResponse('A pesquisa e seu estado', SurveyView), ...linkErrors },
    }), async (c) => {
      const link = await resolvePatientLink(deps.db, secret, 'nps', c.req.valid('param').token, deps.now());
      return c.json(await withClinic(deps.db, link.clinicId, (tx) => surveyPage(tx, link.id, links, deps.now())), 200);
    })
    .openapi(createRoute({
      method: 'post', path: '/nps/{token}', tags, summary: 'Responder a pesquisa em um toque (uma vez; depois do prazo, registrada como tardia)',
      request: { params: TokenParam, body: jsonBody(SurveyAnswer) }, responses: { 200: jsonResponse('Resposta registrada', Answered), ...linkErrors },
    }), async (c) => {
      const body = c.req.valid('json');
      const now = deps.now();
      const link = await resolvePatientLink(deps.db, secret, 'nps', c.req.valid('param').token, now);
      const r = await withClinic(deps.db, link.clinicId, (tx) => answerSurvey(tx, { surveyId: link.id, score: body.score, comment: body.comment, now, links }));
      if (r.signal) {
        await signalNpsLinkAnswer(deps.temporal, c.get('log'), r.appointmentId, { score: body.score, ...(body.comment?.trim() ? { comment: body.comment.trim() } : {}), at: now.toISOString() });
      }
      return c.json({ outcome: r.outcome, message: r.message, score: r.score, next: r.next }, 200);
    })
    .openapi(createRoute({
      method: 'get', path: '/feedback/{token}', tags, summary: 'O formulário "o que podemos melhorar"',
      request: { params: TokenParam }, responses: { 200: jsonResponse('O formulário e seu estado', FeedbackView), ...linkErrors },
    }), async (c) => {
      const link = await resolvePatientLink(deps.db, secret, 'feedback', c.req.valid('param').token, deps.now());
      return c.json(await withClinic(deps.db, link.clinicId, (tx) => feedbackPage(tx, link.id)), 200);
    })
    .openapi(createRoute({
      method: 'post', path: '/feedback/{token}', tags, summary: 'Enviar o formulário (uma vez)',
      request: { params: TokenParam, body: jsonBody(FeedbackAnswer) }, responses: { 200: jsonResponse('Registrado', Done), ...linkErrors },
    }), async (c) => {
      const body = c.req.valid('json');
      const link = await resolvePatientLink(deps.db, secret, 'feedback', c.req.valid('param').token, deps.now());
      return c.json(await withClinic(deps.db, link.clinicId, (tx) => answerFeedback(tx, { surveyId: link.id, aspects: body.aspects, comment: body.comment })), 200);
    })
    .openapi(createRoute({
      method: 'get', path: '/reviews/{token}', tags, summary: 'A avaliação do profissional',
      request: { params: TokenParam }, responses: { 200: jsonResponse('A avaliação e seu estado', ReviewView), ...linkErrors },
    }), async (c) => {
      const link = await resolvePatientLink(deps.db, secret, 'review', c.req.valid('param').token, deps.now());
      return c.json(await withClinic(deps.db, link.clinicId, (tx) => reviewPage(tx, link.id)), 200);
    })
    .openapi(createRoute({
      method: 'post', path: '/reviews/{token}', tags, summary: 'Avaliar o profissional de 1 a 5 estrelas (uma vez)',
      request: { params: TokenParam, body: jsonBody(ReviewAnswer) }, responses: { 200: jsonResponse('Registrada', Done), ...linkErrors },
    }), async (c) => {
      const body = c.req.valid('json');
      const link = await resolvePatientLink(deps.db, secret, 'review', c.req.valid('param').token, deps.now());
      return c.json(await withClinic(deps.db, link.clinicId, (tx) => answerReview(tx, { surveyId: link.id, rating: body.rating, comment: body.comment })), 200);
    })
    .openapi(createRoute({
      method: 'get', path: '/booking/{token}', tags, summary: 'A oferta com horários livres para agendar em um toque',
      request: { params: TokenParam }, responses: { 200: jsonResponse('A oferta e os horários', BookingView), ...linkErrors },
    }), async (c) => {
      const link = await resolvePatientLink(deps.db, secret, 'booking', c.req.valid('param').token, deps.now());
      return c.json((await bookingView(link.id, link.clinicId)).view, 200);
    })
    .openapi(createRoute({
      method: 'post', path: '/booking/{token}', tags, summary: 'Agendar o procedimento da oferta (o mesmo agendamento do painel e da Anna)',
      request: { params: TokenParam, body: jsonBody(BookingRequest) },
      responses: { 200: jsonResponse('Agendado', BookingDone), ...linkErrors, ...errorResponses(409, 422) },
    }), async (c) => {
      const body = c.req.valid('json');
      const now = deps.now();
      const link = await resolvePatientLink(deps.db, secret, 'booking', c.req.valid('param').token, now);
      const current = await bookingView(link.id, link.clinicId);
      const already = (booked: NonNullable<typeof current.view.booked>) => c.json({
        outcome: 'already' as const, message: 'Este horário já está agendado. Até lá!',
        appointmentId: booked.appointmentId, startsAt: booked.startsAt, date: booked.date, time: booked.time, professional: booked.professional,
      }, 200);
      if (current.view.booked) return already(current.view.booked);
      if (!current.open) throw new ApiError(410, 'offer_closed', 'Esta oferta foi encerrada. Fale com a clínica para agendar.');
      let appointmentId: string;
      let professional: string;
      try {
        ({ appointmentId, professional } = await withClinic(deps.db, link.clinicId, async (tx) => {
          const { appointment } = await bookAppointment(tx, {}, {
            clinicId: link.clinicId, patientId: current.offer.patientId, procedureId: current.procedure.id, professionalId: body.professionalId,
            startsAt: new Date(body.startsAt), now, notes: current.offer.source === 'upsell' ? 'Agendado pelo link da oferta (upsell)' : 'Agendado pelo link da reativação', source: 'link',
          });
          // The offer holds its booking at once (the journey records the outcome when it hears of it): a reload
          // shows the booking, and a second tap, even a concurrent one, books nothing more (this one rolls back).
          const [claimed] = current.offer.source === 'upsell'
            ? await tx.update(upsellOffers).set({ appointmentId: appointment.id })
              .where(and(eq(upsellOffers.id, link.id), isNull(upsellOffers.appointmentId))).returning({ id: upsellOffers.id })
            : await tx.update(reactivationTargets).set({ returnedAppointmentId: appointment.id })
              .where(and(eq(reactivationTargets.id, link.id), isNull(reactivationTargets.returnedAppointmentId))).returning({ id: reactivationTargets.id });
          if (!claimed) throw new OfferAlreadyBooked();
          const [who] = await tx.select({ name: professionals.name }).from(professionals).where(eq(professionals.id, appointment.professionalId));
          return { appointmentId: appointment.id, professional: who?.name ?? '' };
        }));
      } catch (err) {
        if (err instanceof OfferAlreadyBooked) {
          const booked = (await bookingView(link.id, link.clinicId)).view.booked;
          if (booked) return already(booked);
        }
        if (err instanceof SlotTaken) throw new ApiError(409, 'slot_taken', 'Este horário acabou de ser reservado. Escolha outro horário.');
        throw err;
      }
      await journey.start({ id: appointmentId });
      if (current.offer.workflowId) {
        const signal = current.offer.source === 'upsell' ? signalUpsellBooked : signalReactivationBooked;
        await signal(deps.temporal, c.get('log'), current.offer.workflowId, { appointmentId, at: now.toISOString() });
      }
      const startsAt = new Date(body.startsAt);
      return c.json({
        outcome: 'booked' as const, message: 'Pronto! Seu horário está agendado e você vai receber os lembretes.',
        appointmentId, startsAt: startsAt.toISOString(), ...localClock(createZone(current.view.timezone), startsAt.getTime()), professional,
      }, 200);
    });
}
