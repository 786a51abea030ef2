// The patient's signed pages after the visit, without login: the one-tap survey (/p/nps/{token}), the
// neutrals' form (/p/feedback/{token}), the promoters' review (/p/avaliar/{token}) and the upsell's
// direct booking (/p/agendar/{token}, also the reactivation's "saudade" link). The token (domain/signed-links.ts) names one survey or offer;
// its clinic is looked up outside a tenant (the token is ours) and everything else runs as that clinic.
// Each answer is stored once: a second one answers with what is stored and changes nothing.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { appointments, coupons, feedbackResponses, npsSurveys, procedures, professionals, reactivationTargets, reviews, upsellOffers } from '../../db/schema';
import { formatDiscount, priceWithDiscount, professionalReference, surveyPageQuestion } from '../../domain/nps';
import { verifyPatientLink, type PatientLinkKind } from '../../domain/signed-links';
import { localDate } from '../../domain/timezone';
import { priceOn } from '../catalog/procedures';
import { ApiError } from '../errors';
import { surveyLink, type LinkSigning } from './messages';
import { cleanComment, loadSurveyFacts, recordScore, type SurveyFacts } from './surveys';

export const FEEDBACK_ASPECTS = ['atendimento', 'pontualidade', 'resultado', 'preco', 'limpeza'] as const;
export type FeedbackAspect = (typeof FEEDBACK_ASPECTS)[number];
export const ASPECT_LABELS: Record<FeedbackAspect, string> = {
  atendimento: 'Atendimento', pontualidade: 'Pontualidade', resultado: 'Resultado', preco: 'Preço', limpeza: 'Limpeza',
};

const INVALID = 'Este link é inválido. Confira se ele foi copiado por inteiro ou fale com a clínica.';
const EXPIRED = 'Este link expirou. Se quiser falar com a clínica, responda à mensagem que você recebeu.';

/** Token → the row's id and clinic; 400 for a bad or tampered token, 410 after its expiry. */
export async function resolvePatientLink(db: Db, secret: string, kind: PatientLinkKind, token: string, now: Date): Promise<{ id: string; clinicId: string }> {
  const check = verifyPatientLink(secret, kind, token, now.getTime());
  if (!check.ok) throw check.reason === 'expired' ? new ApiError(410, 'link_expired', EXPIRED) : new ApiError(400, 'link_invalid', INVALID);
  // A booking link names an upsell offer or a reactivation (the "saudade" message's link): the same page.
  const booking = async () => (await db.select({ clinicId: upsellOffers.clinicId }).from(upsellOffers).where(eq(upsellOffers.id, check.id)))[0]
    ?? (await db.select({ clinicId: reactivationTargets.clinicId }).from(reactivationTargets).where(eq(reactivationTargets.id, check.id)))[0];
  const row = kind === 'booking'
    ? await booking()
    : (await db.select({ clinicId: npsSurveys.clinicId }).from(npsSurveys).where(eq(npsSurveys.id, check.id)))[0];
  if (!row) throw new ApiError(400, 'link_invalid', INVALID);
  return { id: check.id, clinicId: row.clinicId };
}

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

function visitOf(f: SurveyFacts) {
  return {
    clinicName: f.clinicName, patientFirstName: firstName(f.patientName), procedure: f.procedureName, professional: f.professionalName,
    /** The professional after "com"/"para": "a Dra. Ana", "o Dr. João", else the name. */
    professionalRef: professionalReference(f.professionalName),
    date: localDate(f.startsAt, f.timeZone).split('-').reverse().join('/'),
  };
}

async function facts(tx: Tx, surveyId: string) {
  const f = await loadSurveyFacts(tx, { surveyId });
  if (!f) throw new ApiError(400, 'link_invalid', INVALID);
  return f;
}

export type SurveyPageState = 'open' | 'answered' | 'closed';

/** What follows a score on the page: the form for a neutral, the review for a promoter. */
function nextStep(f: SurveyFacts, links: LinkSigning, now: Date) {
  if (f.npsClass === 'neutral') return { kind: 'feedback' as const, url: surveyLink(links, 'feedback', f, now) };
  if (f.npsClass === 'promoter') return { kind: 'review' as const, url: surveyLink(links, 'review', f, now) };
  return null;
}

export async function surveyPage(tx: Tx, surveyId: string, links: LinkSigning, now: Date) {
  const f = await facts(tx, surveyId);
  const state: SurveyPageState = f.score != null ? 'answered' : f.status === 'enviada' ? 'open' : 'closed';
  return {
    state, visit: visitOf(f),
    question: surveyPageQuestion({ clinicName: f.clinicName, procedureName: f.procedureName, professionalName: f.professionalName }),
    score: f.score, comment: f.comment,
    next: f.score != null && !f.lateAnswer ? nextStep(f, links, now) : null,
  };
}

/**
 * The answer given on the page: stored first (the database is the truth), then the journey is told by
 * the caller. After the expiry it is recorded as late and starts nothing. A second answer changes nothing.
 */
export async function answerSurvey(tx: Tx, input: { surveyId: string; score: number; comment?: string | null; now: Date; links: LinkSigning }) {
  const f = await facts(tx, input.surveyId);
  if (f.status === 'nao_enviada' || f.status === 'aguardando') throw new ApiError(400, 'link_invalid', INVALID);
  const r = await recordScore(tx, { surveyId: input.surveyId, score: input.score, comment: input.comment, via: 'link', at: input.now });
  const after = await facts(tx, input.surveyId);
  const message = !r?.recorded
    ? 'Sua resposta já tinha sido registrada. Obrigado!'
    : r.late
      ? 'Agradecemos sua resposta! Esta pesquisa já foi encerrada, mas sua nota foi registrada.'
      : after.npsClass === 'detractor'
        ? 'Sentimos muito que sua experiência não tenha sido como você esperava. A clínica vai entrar em contato.'
        : 'Agradecemos sua resposta!';
  return {
    outcome: r?.recorded ? (r.late ? 'late' as const : 'recorded' as const) : 'already' as const,
    /** Tell the journey (only a first, in-time answer). */
    signal: r?.recorded === true && !r.late,
    message, score: after.score, appointmentId: after.appointmentId,
    next: r?.recorded && !r.late ? nextStep(after, input.links, input.now) : null,
  };
}

export async function feedbackPage(tx: Tx, surveyId: string) {
  const f = await facts(tx, surveyId);
  const [done] = await tx.select().from(feedbackResponses).where(eq(feedbackResponses.surveyId, surveyId));
  return {
    state: done ? 'answered' as const : 'open' as const, visit: visitOf(f),
    aspects: FEEDBACK_ASPECTS.map((key) => ({ key, label: ASPECT_LABELS[key] })),
    answer: done ? { aspects: done.aspects, comment: done.comment } : null,
  };
}

export async function answerFeedback(tx: Tx, input: { surveyId: string; aspects: FeedbackAspect[]; comment?: string | null }) {
  const f = await facts(tx, input.surveyId);
  const [row] = await tx.insert(feedbackResponses).values({
    clinicId: f.clinicId, surveyId: f.surveyId, appointmentId: f.appointmentId, patientId: f.patientId,
    aspects: [...new Set(input.aspects)], comment: cleanComment(input.comment),
  }).onConflictDoNothing({ target: feedbackResponses.surveyId }).returning({ id: feedbackResponses.id });
  return { outcome: row ? 'recorded' as const : 'already' as const, message: row ? 'Obrigado! Sua opinião vai nos ajudar a melhorar.' : 'Sua resposta já tinha sido registrada. Obrigado!' };
}

export async function reviewPage(tx: Tx, surveyId: string) {
  const f = await facts(tx, surveyId);
  const [done] = await tx.select().from(reviews).where(eq(reviews.appointmentId, f.appointmentId));
  return { state: done ? 'answered' as const : 'open' as const, visit: visitOf(f), review: done ? { rating: done.rating, comment: done.comment } : null };
}

export async function answerReview(tx: Tx, input: { surveyId: string; rating: number; comment?: string | null }) {
  const f = await facts(tx, input.surveyId);
  const [row] = await tx.insert(reviews).values({
    clinicId: f.clinicId, appointmentId: f.appointmentId, patientId: f.patientId, professionalId: f.professionalId,
    rating: input.rating, comment: cleanComment(input.comment),
  }).onConflictDoNothing({ target: reviews.appointmentId }).returning({ id: reviews.id });
  return { outcome: row ? 'recorded' as const : 'already' as const, message: row ? 'Obrigado pela avaliação! Ela ajuda outras pessoas a nos conhecerem.' : 'Sua avaliação já tinha sido registrada. Obrigado!' };
}

/** The upsell offer behind a booking link, open or not; prices on the clinic's calendar day `today`. */
/** What a booking link offers, whichever journey sent it: the procedure, the coupon, whether it is open, what was booked. */
export interface BookingSubject {
  source: 'upsell' | 'reactivation';
  id: string;
  patientId: string;
  workflowId: string | null;
  expiresAt: Date | null;
  procedureId: string;
  couponId: string | null;
  appointmentId: string | null;
  open: boolean;
}

/** The reactivation's procedure: her last realised one while the clinic still offers it, else the clinic's most booked. */
async function reactivationSubject(tx: Tx, targetId: string, now: Date): Promise<(BookingSubject & { procedureName: string; durationMinutes: number; procedureActive: boolean }) | null> {
  const [t] = await tx.select().from(reactivationTargets).where(eq(reactivationTargets.id, targetId));
  if (!t) return null;
  const [last] = await tx.select({ id: procedures.id, name: procedures.name, durationMinutes: procedures.durationMinutes, active: procedures.active }).from(appointments)
    .innerJoin(procedures, eq(procedures.id, appointments.procedureId))
    .where(and(eq(appointments.clinicId, t.clinicId), eq(appointments.patientId, t.patientId), eq(appointments.status, 'realizado'), eq(procedures.active, true)))
    .orderBy(desc(appointments.startsAt)).limit(1);
  const [popular] = last ? [last] : await tx.select({ id: procedures.id, name: procedures.name, durationMinutes: procedures.durationMinutes, active: procedures.active }).from(procedures)
    .leftJoin(appointments, eq(appointments.procedureId, procedures.id))
    .where(and(eq(procedures.clinicId, t.clinicId), eq(procedures.active, true)))
    .groupBy(procedures.id).orderBy(desc(sql`count(${appointments.id})`)).limit(1);
  if (!popular) return null;
  return {
    source: 'reactivation', id: t.id, patientId: t.patientId, workflowId: t.workflowId, expiresAt: t.windowEndsAt, procedureId: popular.id,
    couponId: t.couponId, appointmentId: t.returnedAppointmentId,
    open: t.status === 'enviada' && t.outcome === null && t.windowEndsAt.getTime() > now.getTime(),
    procedureName: popular.name, durationMinutes: popular.durationMinutes, procedureActive: popular.active,
  };
}

export async function bookingOffer(tx: Tx, offerId: string, now: Date, today: string) {
  const [o] = await tx.select({
    offer: upsellOffers, procedureName: procedures.name, durationMinutes: procedures.durationMinutes, procedureActive: procedures.active,
  }).from(upsellOffers).innerJoin(procedures, eq(procedures.id, upsellOffers.procedureId)).where(eq(upsellOffers.id, offerId));
  const subject: (BookingSubject & { procedureName: string; durationMinutes: number; procedureActive: boolean }) | null = o
    ? {
      source: 'upsell', id: o.offer.id, patientId: o.offer.patientId, workflowId: o.offer.workflowId, expiresAt: o.offer.expiresAt, procedureId: o.offer.procedureId!,
      couponId: o.offer.couponId, appointmentId: o.offer.appointmentId,
      open: o.offer.status === 'enviada' && !!o.offer.expiresAt && o.offer.expiresAt.getTime() > now.getTime(),
      procedureName: o.procedureName, durationMinutes: o.durationMinutes, procedureActive: o.procedureActive,
    }
    : await reactivationSubject(tx, offerId, now);
  if (!subject) throw new ApiError(400, 'link_invalid', INVALID);
  const [coupon] = subject.couponId ? await tx.select().from(coupons).where(eq(coupons.id, subject.couponId)) : [];
  const open = subject.open && subject.procedureActive;
  let booked: { appointmentId: string; startsAt: string; professional: string } | null = null;
  if (subject.appointmentId) {
    const [a] = await tx.select({ id: appointments.id, startsAt: appointments.startsAt, professional: professionals.name }).from(appointments)
      .innerJoin(professionals, eq(professionals.id, appointments.professionalId))
      .where(and(eq(appointments.id, subject.appointmentId)));
    if (a) booked = { appointmentId: a.id, startsAt: a.startsAt.toISOString(), professional: a.professional };
  }
  const priceCents = await priceOn(tx, subject.procedureId, today);
  const discount = coupon ? (coupon.percentOff != null ? { percent: coupon.percentOff } : { cents: coupon.amountOffCents! }) : null;
  return {
    offer: subject, open, booked,
    procedure: { id: subject.procedureId, name: subject.procedureName, durationMinutes: subject.durationMinutes, priceCents },
    coupon: coupon && discount && !coupon.redeemedAt && !coupon.revokedAt && coupon.validUntil.getTime() > now.getTime()
      ? {
        code: coupon.code, label: formatDiscount(discount),
        /** The price today with this coupon; null when the coupon's minimum is above it. */
        priceWithCouponCents: priceCents == null ? null : priceWithDiscount(priceCents, discount, coupon.minChargeCents),
      }
      : null,
  };
}
