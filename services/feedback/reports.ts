// "Pesquisa & Feedback" in numbers (the dashboard's /feedback): NPS of the period with its trend and
// classes, by professional and by procedure; the response rate; the detractors' queue; comments with
// their sentiment; the feedback forms; reviews per professional; coupons; upsell offers and conversions.
//
// Definitions (one place): the period is the surveys SENT in [from, to] (clinic's local days).
//   responseRate = answered in time / sent;   NPS = % promoters − % detractors over those answers
//   (domain/nps.ts npsScore); a late answer is counted apart (lateAnswers), never in the score.
//   Upsell conversion = agendou / offers that were sent (enviada, agendou, ignorou, recusou).
import { and, desc, eq, gte, inArray, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import {
  appointments, conversations, coupons, feedbackResponses, npsSurveys, patients, procedures, professionals, reviews, upsellOffers,
} from '../../db/schema';
import { npsScore } from '../../domain/nps';
import { ASPECT_LABELS, FEEDBACK_ASPECTS, type FeedbackAspect } from './public';

export interface Period { from: Date; to: Date }

const inPeriod = (col: typeof npsSurveys.sentAt, p: Period) => and(gte(col, p.from), lt(col, p.to));

export interface SurveyFilters { professionalId?: string; procedureId?: string }

export type FollowUpStatus = 'aberto' | 'contatado' | 'resolvido';
export type SentimentLabel = 'positivo' | 'neutro' | 'negativo';
export type UpsellStatus = 'aguardando' | 'enviada' | 'agendou' | 'ignorou' | 'recusou' | 'nao_enviada';

/** The visit's professional and procedure, for the queries that join the survey's appointment. */
const visitFilters = (f: SurveyFilters) => [
  f.professionalId ? eq(appointments.professionalId, f.professionalId) : undefined,
  f.procedureId ? eq(appointments.procedureId, f.procedureId) : undefined,
];

function surveyWhere(clinicId: string, p: Period, f: SurveyFilters): SQL {
  return and(
    eq(npsSurveys.clinicId, clinicId), isNotNull(npsSurveys.sentAt), inPeriod(npsSurveys.sentAt, p), ...visitFilters(f),
  )!;
}

export async function feedbackSummary(tx: Tx, clinicId: string, p: Period, f: SurveyFilters = {}) {
  const rows = await tx.select({
    score: npsSurveys.score, late: npsSurveys.lateAnswer, status: npsSurveys.status, sentAt: npsSurveys.sentAt,
    professionalId: appointments.professionalId, professional: professionals.name, procedureId: appointments.procedureId, procedure: procedures.name,
  }).from(npsSurveys)
    .innerJoin(appointments, eq(appointments.id, npsSurveys.appointmentId))
    .innerJoin(professionals, eq(professionals.id, appointments.professionalId))
    .innerJoin(procedures, eq(procedures.id, appointments.procedureId))
    .where(surveyWhere(clinicId, p, f));
  const answered = rows.filter((r) => r.score != null && !r.late);
  const classes = { promoters: 0, neutrals: 0, detractors: 0 };
  for (const r of answered) {
    if (r.score! >= 9) classes.promoters++;
    else if (r.score! >= 7) classes.neutrals++;
    else classes.detractors++;
  }
  const groupBy = (key: 'professional' | 'procedure') => {
    const m = new Map<string, { id: string; name: string; scores: number[]; sent: number }>();
    for (const r of rows) {
      const id = key === 'professional' ? r.professionalId : r.procedureId;
      const g = m.get(id) ?? { id, name: key === 'professional' ? r.professional : r.procedure, scores: [], sent: 0 };
      g.sent++;
      if (r.score != null && !r.late) g.scores.push(r.score);
      m.set(id, g);
    }
    return [...m.values()].map((g) => ({ id: g.id, name: g.name, sent: g.sent, answered: g.scores.length, nps: npsScore(g.scores) }))
      .sort((a, b) => b.answered - a.answered || a.name.localeCompare(b.name, 'pt-BR'));
  };
  // Weekly trend (weeks starting on Monday, by the day sent).
  const weeks = new Map<string, number[]>();
  for (const r of answered) {
    const d = new Date(r.sentAt!);
    const monday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7)));
    const k = monday.toISOString().slice(0, 10);
    weeks.set(k, [...(weeks.get(k) ?? []), r.score!]);
  }
  const [couponRow] = await tx.select({
    issued: sql<number>`count(*)::int`,
    redeemed: sql<number>`count(${coupons.redeemedAt})::int`,
    discountCents: sql<number>`coalesce(sum(${coupons.redeemedDiscountCents}), 0)::int`,
  }).from(coupons).where(and(eq(coupons.clinicId, clinicId), gte(coupons.createdAt, p.from), lt(coupons.createdAt, p.to), inArray(coupons.origin, ['nps_detractor', 'upsell'])));
  const offerRows = await tx.select({ status: upsellOffers.status, n: sql<number>`count(*)::int`, revenue: sql<number>`coalesce(sum(${upsellOffers.revenueCents}), 0)::int` })
    .from(upsellOffers).where(and(eq(upsellOffers.clinicId, clinicId), gte(upsellOffers.createdAt, p.from), lt(upsellOffers.createdAt, p.to)))
    .groupBy(upsellOffers.status);
  const byStatus = Object.fromEntries(offerRows.map((r) => [r.status, r.n])) as Record<string, number>;
  const offered = (byStatus.enviada ?? 0) + (byStatus.agendou ?? 0) + (byStatus.ignorou ?? 0) + (byStatus.recusou ?? 0);
  return {
    sent: rows.length,
    answered: answered.length,
    lateAnswers: rows.filter((r) => r.late).length,
    unanswered: rows.filter((r) => r.status === 'sem_resposta').length,
    responseRate: rows.length ? answered.length / rows.length : null,
    nps: npsScore(answered.map((r) => r.score!)),
    ...classes,
    byProfessional: groupBy('professional'),
    byProcedure: groupBy('procedure'),
    trend: [...weeks.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([week, scores]) => ({ week, answered: scores.length, nps: npsScore(scores) })),
    coupons: { issued: couponRow?.issued ?? 0, redeemed: couponRow?.redeemed ?? 0, discountCents: couponRow?.discountCents ?? 0 },
    upsell: {
      offers: offered, booked: byStatus.agendou ?? 0, ignored: byStatus.ignorou ?? 0, refused: byStatus.recusou ?? 0, open: byStatus.enviada ?? 0,
      notSent: byStatus.nao_enviada ?? 0, conversionRate: offered ? (byStatus.agendou ?? 0) / offered : null,
      revenueCents: offerRows.reduce((s, r) => s + (r.status === 'agendou' ? r.revenue : 0), 0),
    },
  };
}

/** The detractors (0–6, answered in time), with their follow-up; open ones first, newest first. */
export async function detractorQueue(tx: Tx, clinicId: string, p: Period, status?: FollowUpStatus, f: SurveyFilters = {}) {
  const rows = await tx.select({
    id: npsSurveys.id, appointmentId: npsSurveys.appointmentId, patientId: npsSurveys.patientId, patient: patients.name, phone: patients.whatsapp,
    score: npsSurveys.score, comment: npsSurveys.comment, sentimentLabel: npsSurveys.sentimentLabel, sentimentScore: npsSurveys.sentimentScore,
    sentimentWords: npsSurveys.sentimentWords, answeredAt: npsSurveys.answeredAt, followUpStatus: npsSurveys.followUpStatus, followUpNote: npsSurveys.followUpNote,
    followUpAt: npsSurveys.followUpAt, professional: professionals.name, procedure: procedures.name,
  }).from(npsSurveys)
    .innerJoin(appointments, eq(appointments.id, npsSurveys.appointmentId))
    .innerJoin(patients, eq(patients.id, npsSurveys.patientId))
    .innerJoin(professionals, eq(professionals.id, appointments.professionalId))
    .innerJoin(procedures, eq(procedures.id, appointments.procedureId))
    .where(and(
      eq(npsSurveys.clinicId, clinicId), eq(npsSurveys.npsClass, 'detractor'), eq(npsSurveys.lateAnswer, false), inPeriod(npsSurveys.sentAt, p),
      status ? eq(npsSurveys.followUpStatus, status) : undefined, ...visitFilters(f),
    ))
    .orderBy(sql`case ${npsSurveys.followUpStatus} when 'aberto' then 0 when 'contatado' then 1 else 2 end`, desc(npsSurveys.answeredAt))
    .limit(200);
  const ids = rows.map((r) => r.id);
  const cs = ids.length ? await tx.select({ surveyId: coupons.surveyId, code: coupons.code, redeemedAt: coupons.redeemedAt, validUntil: coupons.validUntil })
    .from(coupons).where(inArray(coupons.surveyId, ids)) : [];
  const byId = new Map(cs.map((c) => [c.surveyId, c]));
  const convs = ids.length ? await tx.select({ surveyId: conversations.npsSurveyId, id: conversations.id }).from(conversations)
    .where(and(inArray(conversations.npsSurveyId, ids), eq(conversations.subject, 'nps_detractor'), eq(conversations.status, 'aberta'))) : [];
  const convBySurvey = new Map(convs.map((c) => [c.surveyId, c.id]));
  return rows.map((r) => {
    const c = byId.get(r.id);
    return {
      ...r, score: r.score!, conversationId: convBySurvey.get(r.id) ?? null, sentimentLabel: r.sentimentLabel as SentimentLabel | null, followUpStatus: r.followUpStatus as FollowUpStatus | null,
      coupon: c ? { code: c.code, redeemed: c.redeemedAt !== null, validUntil: c.validUntil.toISOString() } : null,
    };
  });
}

export async function setFollowUp(tx: Tx, input: { clinicId: string; surveyId: string; status: FollowUpStatus; note?: string | null; userId: string; now: Date }) {
  const [before] = await tx.select({ followUpStatus: npsSurveys.followUpStatus, npsClass: npsSurveys.npsClass, note: npsSurveys.followUpNote })
    .from(npsSurveys).where(and(eq(npsSurveys.clinicId, input.clinicId), eq(npsSurveys.id, input.surveyId)));
  if (!before) return null;
  await tx.update(npsSurveys).set({
    followUpStatus: input.status, followUpAt: input.now, followUpBy: input.userId, ...(input.note !== undefined ? { followUpNote: input.note } : {}),
  }).where(eq(npsSurveys.id, input.surveyId));
  return before;
}

/** Comments with their sentiment (newest first), optionally one label. */
export async function surveyComments(tx: Tx, clinicId: string, p: Period, label?: SentimentLabel, f: SurveyFilters = {}) {
  const rows = await tx.select({
    id: npsSurveys.id, patient: patients.name, score: npsSurveys.score, comment: npsSurveys.comment, sentimentLabel: npsSurveys.sentimentLabel,
    sentimentScore: npsSurveys.sentimentScore, sentimentWords: npsSurveys.sentimentWords, sentimentSource: npsSurveys.sentimentSource,
    at: npsSurveys.commentAt, professional: professionals.name, procedure: procedures.name,
  }).from(npsSurveys)
    .innerJoin(appointments, eq(appointments.id, npsSurveys.appointmentId))
    .innerJoin(patients, eq(patients.id, npsSurveys.patientId))
    .innerJoin(professionals, eq(professionals.id, appointments.professionalId))
    .innerJoin(procedures, eq(procedures.id, appointments.procedureId))
    .where(and(
      eq(npsSurveys.clinicId, clinicId), isNotNull(npsSurveys.comment), inPeriod(npsSurveys.sentAt, p), label ? eq(npsSurveys.sentimentLabel, label) : undefined,
      ...visitFilters(f),
    ))
    .orderBy(desc(npsSurveys.commentAt)).limit(200);
  return rows.map((r) => ({ ...r, comment: r.comment!, sentimentLabel: r.sentimentLabel as SentimentLabel | null, sentimentSource: r.sentimentSource as 'local' | 'openai' | null }));
}

/** The neutrals' forms: counts per aspect and the latest answers. */
export async function feedbackForms(tx: Tx, clinicId: string, p: Period, f: SurveyFilters = {}) {
  const rows = (await tx.select({ id: feedbackResponses.id, patient: patients.name, aspects: feedbackResponses.aspects, comment: feedbackResponses.comment, at: feedbackResponses.createdAt })
    .from(feedbackResponses).innerJoin(patients, eq(patients.id, feedbackResponses.patientId))
    .where(and(
      eq(feedbackResponses.clinicId, clinicId), gte(feedbackResponses.createdAt, p.from), lt(feedbackResponses.createdAt, p.to),
      f.professionalId || f.procedureId
        ? inArray(feedbackResponses.appointmentId, tx.select({ id: appointments.id }).from(appointments).where(and(eq(appointments.clinicId, clinicId), ...visitFilters(f))))
        : undefined,
    ))
    .orderBy(desc(feedbackResponses.createdAt)).limit(200))
    .map((r) => ({ ...r, aspects: r.aspects as FeedbackAspect[] }));
  const counts = FEEDBACK_ASPECTS.map((key) => ({ key, label: ASPECT_LABELS[key], count: rows.filter((r) => r.aspects.includes(key)).length }));
  return { total: rows.length, aspects: counts, answers: rows };
}

/** Reviews per professional (average, count) and the latest ones; one professional when given. */
export async function professionalReviews(tx: Tx, clinicId: string, professionalId?: string) {
  const where = and(eq(reviews.clinicId, clinicId), professionalId ? eq(reviews.professionalId, professionalId) : undefined);
  const summary = await tx.select({
    professionalId: reviews.professionalId, professional: professionals.name,
    count: sql<number>`count(*)::int`, average: sql<number>`round(avg(${reviews.rating})::numeric, 2)::float`,
  }).from(reviews).innerJoin(professionals, eq(professionals.id, reviews.professionalId)).where(where)
    .groupBy(reviews.professionalId, professionals.name).orderBy(desc(sql`count(*)`));
  const latest = await tx.select({
    id: reviews.id, professionalId: reviews.professionalId, professional: professionals.name, patient: patients.name, rating: reviews.rating,
    comment: reviews.comment, at: reviews.createdAt,
  }).from(reviews).innerJoin(professionals, eq(professionals.id, reviews.professionalId)).innerJoin(patients, eq(patients.id, reviews.patientId))
    .where(where).orderBy(desc(reviews.createdAt)).limit(50);
  return { summary, latest };
}

/** Upsell offers of the period with their outcome and the reason shown to staff. */
export async function upsellList(tx: Tx, clinicId: string, p: Period) {
  const rows = await tx.select({
    id: upsellOffers.id, workflowId: upsellOffers.workflowId, patient: patients.name, patientId: upsellOffers.patientId, procedure: procedures.name,
    status: upsellOffers.status, reasonText: upsellOffers.reasonText, skipReason: upsellOffers.skipReason, sentAt: upsellOffers.sentAt,
    expiresAt: upsellOffers.expiresAt, revenueCents: upsellOffers.revenueCents, appointmentId: upsellOffers.appointmentId,
  }).from(upsellOffers).innerJoin(patients, eq(patients.id, upsellOffers.patientId)).leftJoin(procedures, eq(procedures.id, upsellOffers.procedureId))
    .where(and(eq(upsellOffers.clinicId, clinicId), gte(upsellOffers.createdAt, p.from), lt(upsellOffers.createdAt, p.to)))
    .orderBy(desc(upsellOffers.createdAt)).limit(200);
  return rows.map((r) => ({ ...r, status: r.status as UpsellStatus }));
}
