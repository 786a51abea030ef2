// After-visit feedback: the NPS question 24 h after a completed visit, its answers, and the reviews some leave.
import type * as s from '../schema';
import type { AppointmentDraft } from './agenda';
import { npsClass } from '../../domain/nps';
import { scoreSentiment } from '../../domain/sentiment';
import { NPS_COMMENTS, REVIEW_COMMENTS } from './data';
import { DAY, later, MINUTE, type Row, type SeedRun } from './support';

export interface FeedbackRows {
  npsSurveys: Row<typeof s.npsSurveys>[];
  reviews: Row<typeof s.reviews>[];
  outbox: Row<typeof s.messageOutbox>[];
}

/** About 90% of completed visits get the question; about 60% of those answer. */
export function surveyAfterVisit(run: SeedRun, a: AppointmentDraft, out: FeedbackRows) {
  const { random, newId, clinicId, nowMs } = run;
  const r = a.row;
  if (!(r.status === 'realizado' && a.endsAt.getTime() + DAY <= nowMs && random.chance(0.9))) return;
  const phone = a.patient.row.whatsapp ?? a.patient.row.phone!;
  const sentAt = later(a.endsAt, DAY);
  const answeredMs = sentAt.getTime() + random.int(3, 36 * 60) * MINUTE;
  const answered = random.chance(0.62) && answeredMs <= nowMs;
  const score = answered ? random.weighted([[10, 38], [9, 22], [8, 14], [7, 9], [6, 5], [5, 4], [4, 3], [3, 2], [2, 1], [1, 1], [0, 1]] as const) : null;
  const kind = score == null ? null : score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
  const comment = kind && random.chance(0.55) ? random.pick(NPS_COMMENTS[kind]) : null;
  // The same pure model the journey uses (domain/sentiment.ts), so the demo's figures are the product's.
  const sentiment = comment ? scoreSentiment(comment) : null;
  const answeredAt = answered ? new Date(answeredMs) : null;
  const expiresAt = later(sentAt, 7 * DAY);
  const cls = score == null ? null : npsClass(score);
  // Detractors: the clinic followed up on the older ones; the last fortnight's are still open.
  const followUpStatus = cls !== 'detractor' ? null : answeredMs > nowMs - 14 * DAY ? (random.chance(0.5) ? 'aberto' : 'contatado') : 'resolvido';
  out.npsSurveys.push({
    id: newId(), clinicId, appointmentId: r.id, patientId: a.patient.row.id, score, comment,
    sentimentScore: sentiment ? Math.round(sentiment.score * 100) / 100 : null, sentAt, answeredAt, answered, createdAt: sentAt,
    status: answered ? 'respondida' : expiresAt.getTime() <= nowMs ? 'sem_resposta' : 'enviada', npsClass: cls, channel: 'whatsapp', basis: 'transactional',
    expiresAt, answeredVia: answered ? 'whatsapp' : null, commentAt: comment && answeredAt ? later(answeredAt, 3 * MINUTE) : null,
    sentimentLabel: sentiment?.label ?? null, sentimentWords: sentiment?.drivers ?? null, sentimentSource: sentiment ? 'local' : null,
    followUpStatus, followUpAt: followUpStatus && followUpStatus !== 'aberto' && answeredAt ? later(answeredAt, DAY) : null,
  });
  out.outbox.push({
    id: newId(), clinicId, channel: 'whatsapp', to: phone, template: 'nps',
    body: `Oi, ${a.patient.first}! Como foi seu ${a.procedure.name} ontem? De 0 a 10, quanto você recomendaria a Clínica Bella Pele a uma amiga?`,
    templateData: { appointmentId: r.id }, status: answered ? 'read' : 'delivered', idempotencyKey: `nps:${r.id}:send`,
    providerMessageId: run.twilioSid(), patientId: a.patient.row.id, appointmentId: r.id, attempts: 1, createdAt: sentAt,
    sentAt: later(sentAt, 1000), deliveredAt: later(sentAt, 5000), readAt: answeredAt,
  });
  if (answeredAt && score != null) {
    run.event('nps_answered', answeredAt, a.patient.row.id, { appointmentId: r.id, score });
    if (random.chance(0.3)) {
      const rating = score >= 9 ? (random.chance(0.8) ? 5 : 4) : score >= 7 ? random.int(3, 4) : random.int(1, 3);
      out.reviews.push({
        id: newId(), clinicId, appointmentId: r.id, patientId: a.patient.row.id, professionalId: a.professional.id, rating,
        comment: rating >= 4 && random.chance(0.7) ? random.pick(REVIEW_COMMENTS) : null, createdAt: later(answeredAt, 2 * MINUTE),
      });
    }
  }
}
