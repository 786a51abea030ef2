// The NPS survey's records (nps_surveys), shared by the NPS journey's activities and the API's signed
// pages: claiming the send (one survey per patient and day, inside the clinic's hours, on a channel the
// patient allows), recording a score and a comment (with its sentiment), expiring, and a late answer.
// The database is the truth: whoever receives an answer (the journey from WhatsApp/SMS, the API from
// the one-tap page) stores it here first; the journey goes on from what is stored.
import { and, desc, eq, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import {
  appointments, clinics, consents, emailSuppressions, npsSurveys, patients, procedures, professionals,
} from '../../db/schema';
import { afterVisitSettingsOf, type EffectiveAfterVisitSettings } from '../../domain/clinic-settings';
import { npsClass, surveySendAt, type NpsClass, type PatientGender } from '../../domain/nps';
import { scoreSentiment, type SentimentResult } from '../../domain/sentiment';
import { localDate } from '../../domain/timezone';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A reply this long after the expiry is no longer an answer to the survey. */
export const LATE_ANSWER_DAYS = 30;
export const MAX_COMMENT_CHARS = 2000;
export { COMMENT_WAIT_MS } from '../../domain/nps';

export type SurveyChannel = 'whatsapp' | 'sms' | 'email';
export type SkipReason = 'not_realizado' | 'gone' | 'no_channel' | 'opted_out' | 'no_consent';

export type SurveyClaim =
  | { action: 'send'; surveyId: string; channel: SurveyChannel; to: string; basis: 'transactional' | 'marketing'; sentAt: string; reminderAt: string; expiresAt: string }
  | { action: 'wait'; surveyId: string; until: string }
  | { action: 'skip'; surveyId: string | null; reason: SkipReason }
  /** Already answered or expired (the journey was reset or replayed against a newer database). */
  | { action: 'over'; surveyId: string; status: string };

/** Everything the survey's messages and pages say about the visit. */
export interface SurveyFacts {
  surveyId: string;
  clinicId: string;
  appointmentId: string;
  patientId: string;
  professionalId: string;
  procedureId: string;
  status: string;
  score: number | null;
  npsClass: NpsClass | null;
  comment: string | null;
  channel: SurveyChannel | null;
  answeredVia: string | null;
  sentAt: Date | null;
  expiresAt: Date | null;
  answeredAt: Date | null;
  lateAnswer: boolean;
  patientName: string;
  patientGender: PatientGender | null;
  patientWhatsapp: string | null;
  patientPhone: string | null;
  patientEmail: string | null;
  procedureName: string;
  professionalName: string;
  clinicName: string;
  timeZone: string;
  startsAt: Date;
  settings: EffectiveAfterVisitSettings;
}

export async function loadSurveyFacts(tx: Tx, where: { surveyId: string } | { appointmentId: string }): Promise<SurveyFacts | null> {
  const [r] = await tx.select({
    surveyId: npsSurveys.id, clinicId: npsSurveys.clinicId, appointmentId: npsSurveys.appointmentId, patientId: npsSurveys.patientId,
    professionalId: appointments.professionalId, procedureId: appointments.procedureId,
    status: npsSurveys.status, score: npsSurveys.score, npsClass: npsSurveys.npsClass, comment: npsSurveys.comment, channel: npsSurveys.channel,
    answeredVia: npsSurveys.answeredVia, sentAt: npsSurveys.sentAt, expiresAt: npsSurveys.expiresAt, answeredAt: npsSurveys.answeredAt, lateAnswer: npsSurveys.lateAnswer,
    patientName: patients.name, patientGender: patients.gender, patientWhatsapp: patients.whatsapp, patientPhone: patients.phone, patientEmail: patients.email,
    procedureName: procedures.name, professionalName: professionals.name, clinicName: clinics.name, timeZone: clinics.timezone, settings: clinics.settings,
    startsAt: appointments.startsAt,
  }).from(npsSurveys)
    .innerJoin(appointments, eq(appointments.id, npsSurveys.appointmentId))
    .innerJoin(patients, eq(patients.id, npsSurveys.patientId))
    .innerJoin(procedures, eq(procedures.id, appointments.procedureId))
    .innerJoin(professionals, eq(professionals.id, appointments.professionalId))
    .innerJoin(clinics, eq(clinics.id, npsSurveys.clinicId))
    .where('surveyId' in where ? eq(npsSurveys.id, where.surveyId) : eq(npsSurveys.appointmentId, where.appointmentId));
  if (!r) return null;
  return {
    ...r, npsClass: r.npsClass as NpsClass | null, channel: r.channel as SurveyChannel | null,
    patientGender: r.patientGender as PatientGender | null, settings: afterVisitSettingsOf(r.settings),
  };
}

/** The consent rows of a patient, by channel. */
async function consentsOf(tx: Tx, clinicId: string, patientId: string) {
  const rows = await tx.select({ channel: consents.channel, granted: consents.granted, revokedAt: consents.revokedAt }).from(consents)
    .where(and(eq(consents.clinicId, clinicId), eq(consents.patientId, patientId)));
  return new Map(rows.map((r) => [r.channel as SurveyChannel, r]));
}

/** Marketing consent on a channel: a row granted (the outbox applies the same rule at send time). */
export async function hasMarketingConsent(tx: Tx, clinicId: string, patientId: string, channel: SurveyChannel): Promise<boolean> {
  return (await consentsOf(tx, clinicId, patientId)).get(channel)?.granted === true;
}

/**
 * The channel the survey goes on: WhatsApp, else SMS, else e-mail, skipping a channel the patient
 * opted out of (or, when the clinic treats the survey as marketing, one without consent).
 */
async function chooseChannel(tx: Tx, f: { clinicId: string; patientId: string; whatsapp: string | null; phone: string | null; email: string | null }, basis: 'transactional' | 'marketing'): Promise<{ channel: SurveyChannel; to: string } | { skip: SkipReason }> {
  const given = await consentsOf(tx, f.clinicId, f.patientId);
  const candidates: Array<{ channel: SurveyChannel; to: string | null }> = [
    { channel: 'whatsapp', to: f.whatsapp ?? f.phone },
    { channel: 'sms', to: f.phone ?? f.whatsapp },
    { channel: 'email', to: f.email },
  ];
  let optedOut = false;
  let noConsent = false;
  for (const c of candidates) {
    if (!c.to) continue;
    const consent = given.get(c.channel);
    if (consent && !consent.granted) { if (consent.revokedAt) optedOut = true; else noConsent = true; continue; }
    if (basis === 'marketing' && !consent) { noConsent = true; continue; }
    if (c.channel === 'email') {
      const [suppressed] = await tx.select({ id: emailSuppressions.id }).from(emailSuppressions)
        .where(and(eq(emailSuppressions.clinicId, f.clinicId), eq(emailSuppressions.email, c.to.trim().toLowerCase())));
      if (suppressed) continue;
    }
    return { channel: c.channel, to: c.to };
  }
  return { skip: optedOut ? 'opted_out' : noConsent ? 'no_consent' : 'no_channel' };
}

/**
 * The NPS journey's first step: the survey row (once per appointment), then whether to send now, wait
 * (outside 09:00–20:00, or the patient got another survey today) or not at all. Sending reserves the
 * day inside the patient's row lock, so two journeys of one patient never both send on one day.
 * Idempotent: a retried claim of a survey already sent answers with the stored times.
 */
export async function claimSurvey(tx: Tx, input: { clinicId: string; patientId: string; appointmentId: string; workflowId: string; now: Date }): Promise<SurveyClaim> {
  const [patient] = await tx.select({ id: patients.id, whatsapp: patients.whatsapp, phone: patients.phone, email: patients.email, deletedAt: patients.deletedAt })
    .from(patients).where(eq(patients.id, input.patientId)).for('update');
  const [appt] = await tx.select({ status: appointments.status }).from(appointments).where(eq(appointments.id, input.appointmentId));
  if (!patient || !appt) return { action: 'skip', surveyId: null, reason: 'gone' };
  await tx.insert(npsSurveys).values({ clinicId: input.clinicId, appointmentId: input.appointmentId, patientId: input.patientId, workflowId: input.workflowId })
    .onConflictDoNothing({ target: npsSurveys.appointmentId });
  const [survey] = await tx.select().from(npsSurveys).where(eq(npsSurveys.appointmentId, input.appointmentId));
  if (survey.status === 'respondida' || survey.status === 'sem_resposta' || survey.status === 'nao_enviada') return { action: 'over', surveyId: survey.id, status: survey.status };
  if (survey.status === 'enviada' && survey.sentAt && survey.expiresAt && survey.channel) {
    return {
      action: 'send', surveyId: survey.id, channel: survey.channel as SurveyChannel, to: toFor(patient, survey.channel as SurveyChannel) ?? '',
      basis: (survey.basis ?? 'transactional') as 'transactional' | 'marketing', sentAt: survey.sentAt.toISOString(),
      ...reminderOf(survey.sentAt, survey.expiresAt, await settingsOf(tx, input.clinicId)),
    };
  }
  const skip = async (reason: SkipReason): Promise<SurveyClaim> => {
    await tx.update(npsSurveys).set({ status: 'nao_enviada', skipReason: reason, workflowId: input.workflowId }).where(eq(npsSurveys.id, survey.id));
    return { action: 'skip', surveyId: survey.id, reason };
  };
  if (patient.deletedAt) return skip('gone');
  if (appt.status !== 'realizado') return skip('not_realizado');

  const [clinic] = await tx.select({ timeZone: clinics.timezone, settings: clinics.settings }).from(clinics).where(eq(clinics.id, input.clinicId));
  const settings = afterVisitSettingsOf(clinic.settings);
  const sent = await tx.select({ sentAt: npsSurveys.sentAt }).from(npsSurveys)
    .where(and(eq(npsSurveys.patientId, input.patientId), ne(npsSurveys.id, survey.id), isNotNull(npsSurveys.sentAt),
      sql`${npsSurveys.sentAt} > ${new Date(input.now.getTime() - 2 * DAY).toISOString()}::timestamptz`));
  const busy = sent.map((s) => localDate(s.sentAt!, clinic.timeZone));
  const at = surveySendAt(input.now, clinic.timeZone, busy);
  if (at.getTime() > input.now.getTime() + 60_000) return { action: 'wait', surveyId: survey.id, until: at.toISOString() };

  const basis = settings.npsBasis;
  const channel = await chooseChannel(tx, { clinicId: input.clinicId, patientId: input.patientId, whatsapp: patient.whatsapp, phone: patient.phone, email: patient.email }, basis);
  if ('skip' in channel) return skip(channel.skip);
  const expiresAt = new Date(input.now.getTime() + settings.npsExpiryDays * DAY);
  await tx.update(npsSurveys).set({
    status: 'enviada', sentAt: input.now, channel: channel.channel, basis, expiresAt, workflowId: input.workflowId,
  }).where(eq(npsSurveys.id, survey.id));
  return {
    action: 'send', surveyId: survey.id, channel: channel.channel, to: channel.to, basis, sentAt: input.now.toISOString(),
    ...reminderOf(input.now, expiresAt, settings),
  };
}

const toFor = (p: { whatsapp: string | null; phone: string | null; email: string | null }, channel: SurveyChannel) =>
  channel === 'whatsapp' ? p.whatsapp ?? p.phone : channel === 'sms' ? p.phone ?? p.whatsapp : p.email;

async function settingsOf(tx: Tx, clinicId: string) {
  const [c] = await tx.select({ settings: clinics.settings }).from(clinics).where(eq(clinics.id, clinicId));
  return afterVisitSettingsOf(c?.settings);
}

/** The reminder goes `npsReminderHours` after sending, unless that is at or past the expiry. */
function reminderOf(sentAt: Date, expiresAt: Date, settings: EffectiveAfterVisitSettings) {
  const reminder = Math.min(sentAt.getTime() + settings.npsReminderHours * HOUR, expiresAt.getTime());
  return { reminderAt: new Date(reminder).toISOString(), expiresAt: expiresAt.toISOString() };
}

export type ScoreRecord =
  | { recorded: true; npsClass: NpsClass; late: boolean; firstAnswer: true }
  /** Already answered: the first answer stands (a second one changes nothing). */
  | { recorded: false; npsClass: NpsClass; late: boolean; firstAnswer: false; score: number };

/**
 * Stores the answer. The first answer stands; one that arrives after the expiry is recorded as late
 * (lateAnswer) and starts nothing. A comment given with the score ("8, foi ótimo") is stored with it.
 */
export async function recordScore(tx: Tx, input: { surveyId: string; score: number; comment?: string | null; via: 'whatsapp' | 'sms' | 'link'; at: Date }): Promise<ScoreRecord | null> {
  const [s] = await tx.select().from(npsSurveys).where(eq(npsSurveys.id, input.surveyId)).for('update');
  if (!s) return null;
  if (s.answered && s.score != null) return { recorded: false, npsClass: npsClass(s.score), late: s.lateAnswer, firstAnswer: false, score: s.score };
  const cls = npsClass(input.score);
  const late = s.status === 'sem_resposta' || (s.expiresAt != null && input.at.getTime() >= s.expiresAt.getTime());
  const comment = cleanComment(input.comment);
  await tx.update(npsSurveys).set({
    score: input.score, npsClass: cls, answered: true, answeredAt: input.at, answeredVia: input.via, lateAnswer: late,
    ...(late ? {} : { status: 'respondida' }),
    ...(cls === 'detractor' && !late ? { followUpStatus: 'aberto' } : {}),
    ...(comment ? { comment, commentAt: input.at, ...sentimentColumns(scoreSentiment(comment), 'local') } : {}),
  }).where(eq(npsSurveys.id, input.surveyId));
  return { recorded: true, npsClass: cls, late, firstAnswer: true };
}

/** Trimmed, at most MAX_COMMENT_CHARS; null when empty. */
export function cleanComment(text: string | null | undefined): string | null {
  const t = String(text ?? '').replace(/\s+/g, ' ').trim();
  return t ? t.slice(0, MAX_COMMENT_CHARS) : null;
}

export function sentimentColumns(s: SentimentResult, source: 'local' | 'openai') {
  return { sentimentScore: Math.round(s.score * 100) / 100, sentimentLabel: s.label, sentimentWords: s.drivers.slice(0, 10), sentimentSource: source };
}

/** The comment after "Quer contar o que motivou sua nota?", with its sentiment (the first comment stands). */
export async function recordComment(tx: Tx, input: { surveyId: string; comment: string; at: Date; sentiment?: { result: SentimentResult; source: 'local' | 'openai' } }) {
  const comment = cleanComment(input.comment);
  if (!comment) return null;
  const [s] = await tx.select({ comment: npsSurveys.comment }).from(npsSurveys).where(eq(npsSurveys.id, input.surveyId)).for('update');
  if (!s) return null;
  if (s.comment) return { recorded: false as const, comment: s.comment };
  const sentiment = input.sentiment ?? { result: scoreSentiment(comment), source: 'local' as const };
  await tx.update(npsSurveys).set({ comment, commentAt: input.at, ...sentimentColumns(sentiment.result, sentiment.source) })
    .where(eq(npsSurveys.id, input.surveyId));
  return { recorded: true as const, comment, sentiment: sentiment.result };
}

/** No answer by the expiry: sem_resposta (only from enviada: an answer that raced it wins). */
export async function expireSurvey(tx: Tx, surveyId: string): Promise<{ expired: boolean; status: string }> {
  const [row] = await tx.update(npsSurveys).set({ status: 'sem_resposta' })
    .where(and(eq(npsSurveys.id, surveyId), eq(npsSurveys.status, 'enviada'))).returning({ status: npsSurveys.status });
  if (row) return { expired: true, status: row.status };
  const [s] = await tx.select({ status: npsSurveys.status }).from(npsSurveys).where(eq(npsSurveys.id, surveyId));
  return { expired: false, status: s?.status ?? 'gone' };
}

/** The survey a message from these patients may be answering: the most recent one sent in the last weeks. */
export async function recentSurveyOf(tx: Tx, clinicId: string, patientIds: string[], at: Date) {
  if (!patientIds.length) return null;
  const [s] = await tx.select({
    id: npsSurveys.id, appointmentId: npsSurveys.appointmentId, patientId: npsSurveys.patientId, status: npsSurveys.status, answeredVia: npsSurveys.answeredVia,
    commentAt: npsSurveys.commentAt, answeredAt: npsSurveys.answeredAt, expiresAt: npsSurveys.expiresAt, workflowId: npsSurveys.workflowId,
  }).from(npsSurveys)
    .where(and(eq(npsSurveys.clinicId, clinicId), inArray(npsSurveys.patientId, patientIds), isNotNull(npsSurveys.sentAt),
      sql`${npsSurveys.sentAt} > ${new Date(at.getTime() - (LATE_ANSWER_DAYS + 90) * DAY).toISOString()}::timestamptz`))
    .orderBy(desc(npsSurveys.sentAt)).limit(1);
  if (!s) return null;
  if (s.status === 'sem_resposta' && s.expiresAt && at.getTime() > s.expiresAt.getTime() + LATE_ANSWER_DAYS * DAY) return null;
  return s;
}
