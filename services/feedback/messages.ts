// The survey's messages, rendered from its facts (services/feedback/surveys.ts) with the pt-BR texts of
// domain/nps.ts and the signed links of domain/signed-links.ts: the question, the reminder, "não entendi",
// thanks + "quer contar o motivo?", the detractor's apology (with the coupon), the neutral's form,
// the promoter's review request and the late answer's acknowledgement.
import {
  commentQuestion, detractorApology, detractorApologyWithoutCoupon, formatDiscount, lateAnswerAck, neutralFeedbackInvite,
  promoterReviewInvite, reminderText, surveyQuestion, surveySubject, thanks, unreadableScoreText, type SurveyFacts as TextFacts,
} from '../../domain/nps';
import { renderSurveyText, type SurveyTextKind } from '../../domain/survey-texts';
import { patientLinkUrl, signPatientLink, type PatientLinkKind } from '../../domain/signed-links';
import { localDate } from '../../domain/timezone';
import { LATE_ANSWER_DAYS, type SurveyFacts } from './surveys';

const DAY = 86_400_000;
/** The feedback form and the review page stay open this long after they are sent. */
export const FOLLOW_UP_LINK_DAYS = 30;

export type SurveyMessageKind = 'question' | 'reminder' | 'unreadable' | 'comment_question' | 'thanks' | 'apology' | 'feedback' | 'review' | 'late';

export interface LinkSigning {
  secret: string;
  webBaseUrl: string;
}

/** The signed page of a survey: the one-tap answer (valid until the late-answer window closes), the form, the review. */
export function surveyLink(links: LinkSigning, kind: Extract<PatientLinkKind, 'nps' | 'feedback' | 'review'>, f: Pick<SurveyFacts, 'surveyId' | 'expiresAt'>, now: Date): string {
  const exp = kind === 'nps'
    ? (f.expiresAt?.getTime() ?? now.getTime() + 7 * DAY) + LATE_ANSWER_DAYS * DAY
    : now.getTime() + FOLLOW_UP_LINK_DAYS * DAY;
  return patientLinkUrl(links.webBaseUrl, kind, signPatientLink(links.secret, kind, f.surveyId, exp));
}

export interface CouponFacts {
  code: string;
  discount: { percent: number } | { cents: number };
  validUntil: Date;
}

export interface RenderedSurveyMessage {
  body: string;
  subject?: string;
  /** Our template key in the outbox (inbound routing reads it: a reply after an 'nps*' message may be an answer). */
  template: string;
  purpose: 'transactional' | 'marketing';
}

export function renderSurveyMessage(kind: SurveyMessageKind, f: SurveyFacts, ctx: { links: LinkSigning; now: Date; coupon?: CouponFacts | null }): RenderedSurveyMessage {
  const text: TextFacts = {
    clinicName: f.clinicName, procedureName: f.procedureName, professionalName: f.professionalName, patientFirstName: f.patientName,
    patientGender: f.patientGender, link: surveyLink(ctx.links, 'nps', f, ctx.now),
  };
  const subject = f.channel === 'email' ? surveySubject(f.clinicName) : undefined;
  const out = (template: string, body: string, purpose: 'transactional' | 'marketing' = 'transactional'): RenderedSurveyMessage =>
    ({ template, body, purpose, ...(subject ? { subject } : {}) });
  /** The clinic's own text for this kind when it wrote one, else the default. */
  const own = (textKind: SurveyTextKind, link: string | undefined, fallback: () => string, coupon?: { code: string; discountLabel: string; validUntil: string }): string => {
    const t = f.settings.texts?.[textKind];
    if (!t) return fallback();
    return renderSurveyText(t, {
      patientName: f.patientName, patientGender: f.patientGender, clinicName: f.clinicName, procedureName: f.procedureName,
      professionalName: f.professionalName, link, coupon,
    });
  };
  switch (kind) {
    case 'question': return out('nps', own('question', text.link, () => surveyQuestion(text)));
    case 'reminder': return out('nps_reminder', own('reminder', text.link, () => reminderText(text)));
    case 'unreadable': return out('nps_unreadable', unreadableScoreText(text.link));
    case 'comment_question': return out('nps_comment', `${own('thanks', undefined, () => thanks(f.patientGender))}\n\n${commentQuestion()}`);
    case 'thanks': return out('nps_thanks', own('thanks', undefined, () => thanks(f.patientGender)));
    case 'apology': {
      if (!ctx.coupon) return out('nps_apology', detractorApologyWithoutCoupon());
      const c = {
        code: ctx.coupon.code, discountLabel: formatDiscount(ctx.coupon.discount),
        // The coupon is valid until the end of its last day (validUntil is exclusive).
        validUntil: localDate(new Date(ctx.coupon.validUntil.getTime() - 1), f.timeZone),
      };
      const body = own('apology', undefined, () => detractorApology({ couponCode: c.code, discountLabel: c.discountLabel, validUntil: c.validUntil }), c);
      return out('nps_apology', body, 'marketing');
    }
    case 'feedback': {
      const link = surveyLink(ctx.links, 'feedback', f, ctx.now);
      return out('nps_feedback', own('feedback', link, () => neutralFeedbackInvite(link)));
    }
    case 'review': {
      const link = surveyLink(ctx.links, 'review', f, ctx.now);
      return out('nps_review', own('review', link, () => promoterReviewInvite(f.professionalName, link)));
    }
    case 'late': return out('nps_late', lateAnswerAck());
  }
}

/** The recipient on the survey's channel. */
export function surveyRecipient(f: SurveyFacts): string | null {
  if (f.channel === 'email') return f.patientEmail;
  if (f.channel === 'sms') return f.patientPhone ?? f.patientWhatsapp;
  return f.patientWhatsapp ?? f.patientPhone;
}
