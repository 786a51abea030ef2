// The NPS journey's side effects (workflows/nps.ts): claiming the send, the survey's messages through
// the injected MessageSender (one idempotency key per survey and message), the answer and the comment
// stored on nps_surveys (services/feedback), the detractor's alert and coupon, expiry, and the hand-over
// to the upsell journey. Every activity is idempotent: a retry finds what the first attempt wrote.
import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowClient } from '@temporalio/client';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { withClinic } from '../db/tenancy';
import { coupons, npsSurveys } from '../db/schema';
import { formatBrl } from '../domain/money';
import type { SentimentResult } from '../domain/sentiment';
import { startUpsellJourney } from '../journeys/handovers';
import { issueCoupon } from '../services/coupons';
import { renderSurveyMessage, surveyRecipient, type LinkSigning, type SurveyMessageKind } from '../services/feedback/messages';
import {
  claimSurvey, expireSurvey, hasMarketingConsent, loadSurveyFacts, recordComment, recordScore, type SurveyClaim, type SurveyFacts,
} from '../services/feedback/surveys';
import { createClinicNotifier } from '../services/notifications';
import { openDetractorConversation, syncDetractorThread } from '../services/feedback/detractor-inbox';
import { reserveOffer } from '../services/upsell/offers';
import type { MessageSender, SendStatus } from '../providers/messaging/types';
import type { NpsClass } from '../domain/nps';

interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}
const silent: Log = { info() {}, warn() {} };

export interface NpsActivityDeps {
  db: Db;
  sender: MessageSender;
  links: LinkSigning;
  clock?: () => Date;
  slackWebhookUrl?: string;
  fetch?: typeof fetch;
  /** Starts the upsell journey after a promoter's answer. */
  temporal?: { workflow: Pick<WorkflowClient, 'start'> };
  taskQueue?: string;
  searchAttributes?: boolean;
  /** The comment's sentiment from the model (OpenAI) when configured; null/throw falls back to the local lexicon. */
  sentiment?: (input: { clinicId: string; text: string }) => Promise<SentimentResult | null>;
  log?: Log;
}

export interface NpsMessageInput {
  clinicId: string;
  surveyId: string;
  kind: SurveyMessageKind;
  /** A repeated kind (the second "não entendi"): part of the idempotency key. */
  n?: number;
  /** Answer on the channel the patient wrote from (default: the survey's channel). */
  channel?: 'whatsapp' | 'sms';
  /** The journey's time (the workflow clock). */
  at?: string;
}

export interface NpsMessageOutcome {
  status: SendStatus | 'skipped_no_contact' | 'skipped_closed';
  outboxId?: string;
}

export interface NpsAnswerInput {
  clinicId: string;
  surveyId: string;
  score: number;
  comment?: string;
  via: 'whatsapp' | 'sms' | 'link';
  at: string;
}

export interface NpsAnswerOutcome {
  npsClass: NpsClass;
  score: number;
  /** The first answer was this one (false: an earlier answer stands). */
  firstAnswer: boolean;
  late: boolean;
  comment: string | null;
  /** The patient allows marketing on the survey's channel: a coupon or an upsell may follow. */
  marketing: boolean;
}

export interface StoredSurvey {
  status: string;
  score: number | null;
  comment: string | null;
  answeredVia: string | null;
  answeredAt: string | null;
}

const idempotencyKey = (f: SurveyFacts, kind: SurveyMessageKind, n?: number) => `nps:${f.appointmentId}:${kind}${n ? `:${n}` : ''}`;

export function createNpsActivities(deps: NpsActivityDeps) {
  const clock = deps.clock ?? (() => new Date());
  const log = deps.log ?? silent;
  const notifier = createClinicNotifier({ db: deps.db, log, slackWebhookUrl: deps.slackWebhookUrl, fetch: deps.fetch, now: clock });

  const facts = async (clinicId: string, surveyId: string) => {
    const f = await withClinic(deps.db, clinicId, (tx) => loadSurveyFacts(tx, { surveyId }));
    if (!f) throw ApplicationFailure.nonRetryable(`survey ${surveyId} not found`, 'SurveyNotFound');
    return f;
  };

  async function sentimentOf(clinicId: string, text: string) {
    if (!deps.sentiment) return undefined;
    try {
      const result = await deps.sentiment({ clinicId, text });
      return result ? { result, source: 'openai' as const } : undefined;
    } catch (err) {
      log.warn({ err }, 'sentiment model failed; using the local lexicon');
      return undefined;
    }
  }

  return {
    /** Creates the survey row and decides: send now, wait until a time, skip (and why), or over. */
    /** `at`: the journey's time (the workflow clock), so a test server that skips time sees the same "now". */
    async claimNpsSurvey(input: { clinicId: string; patientId: string; appointmentId: string; workflowId: string; at?: string }): Promise<SurveyClaim> {
      const { at, ...ids } = input;
      const claim = await withClinic(deps.db, input.clinicId, (tx) => claimSurvey(tx, { ...ids, now: at ? new Date(at) : clock() }));
      log.info({ appointmentId: input.appointmentId, action: claim.action, ...('reason' in claim ? { reason: claim.reason } : {}) }, 'nps claim');
      return claim;
    },

    /** One of the survey's messages. A reminder of a survey no longer waiting is not sent. */
    async sendNpsMessage(input: NpsMessageInput): Promise<NpsMessageOutcome> {
      const f = await facts(input.clinicId, input.surveyId);
      if (input.kind === 'reminder' && f.status !== 'enviada') return { status: 'skipped_closed' };
      const channel = input.channel ?? f.channel ?? 'whatsapp';
      const to = input.channel ? (input.channel === 'sms' ? f.patientPhone ?? f.patientWhatsapp : f.patientWhatsapp ?? f.patientPhone) : surveyRecipient(f);
      if (!to) return { status: 'skipped_no_contact' };
      const coupon = input.kind === 'apology' ? await withClinic(deps.db, input.clinicId, async (tx) => {
        const [c] = await tx.select().from(coupons).where(and(eq(coupons.surveyId, f.surveyId), eq(coupons.origin, 'nps_detractor'))).limit(1);
        return c ? { code: c.code, discount: c.percentOff != null ? { percent: c.percentOff } : { cents: c.amountOffCents! }, validUntil: c.validUntil } : null;
      }) : null;
      const now = input.at ? new Date(input.at) : clock();
      const m = renderSurveyMessage(input.kind, { ...f, channel }, { links: deps.links, now, coupon });
      const result = await deps.sender.send({
        clinicId: f.clinicId, patientId: f.patientId, appointmentId: f.appointmentId, channel, to, body: m.body,
        ...(m.subject ? { subject: m.subject } : {}), templateKey: m.template, purpose: m.purpose,
        idempotencyKey: idempotencyKey(f, input.kind, input.n),
      });
      if (input.kind === 'reminder' && (result.status === 'sent' || result.status === 'queued' || result.status === 'duplicate')) {
        await withClinic(deps.db, input.clinicId, (tx) => tx.update(npsSurveys).set({ reminderSentAt: now }).where(eq(npsSurveys.id, f.surveyId)));
      }
      // A detractor's conversation in the inbox shows what the survey said to her (the question, the apology).
      if (f.npsClass === 'detractor' && !f.lateAnswer) await withClinic(deps.db, input.clinicId, (tx) => syncDetractorThread(tx, f.surveyId));
      return { status: result.status, outboxId: result.outboxId };
    },

    /** Stores the score (the first answer stands) and says what follows from it. */
    async recordNpsAnswer(input: NpsAnswerInput): Promise<NpsAnswerOutcome> {
      return withClinic(deps.db, input.clinicId, async (tx) => {
        const r = await recordScore(tx, { surveyId: input.surveyId, score: input.score, comment: input.comment, via: input.via, at: new Date(input.at) });
        if (!r) throw ApplicationFailure.nonRetryable(`survey ${input.surveyId} not found`, 'SurveyNotFound');
        const f = (await loadSurveyFacts(tx, { surveyId: input.surveyId }))!;
        const marketing = f.channel ? await hasMarketingConsent(tx, f.clinicId, f.patientId, f.channel) : false;
        return { npsClass: r.npsClass, score: r.firstAnswer ? input.score : r.score, firstAnswer: r.firstAnswer, late: r.late, comment: f.comment, marketing };
      });
    },

    /** The comment after "Quer contar o que motivou sua nota?", scored for sentiment. */
    async recordNpsComment(input: { clinicId: string; surveyId: string; comment: string; at: string }) {
      const sentiment = await sentimentOf(input.clinicId, input.comment);
      const r = await withClinic(deps.db, input.clinicId, (tx) => recordComment(tx, { surveyId: input.surveyId, comment: input.comment, at: new Date(input.at), sentiment }));
      return { recorded: r?.recorded ?? false, label: r && r.recorded ? r.sentiment.label : null };
    },

    /** What is stored now (an answer on the page whose signal was lost is found here). */
    async readNpsSurvey(input: { clinicId: string; surveyId: string }): Promise<StoredSurvey> {
      const f = await facts(input.clinicId, input.surveyId);
      return { status: f.status, score: f.score, comment: f.comment, answeredVia: f.answeredVia, answeredAt: f.answeredAt?.toISOString() ?? null };
    },

    /** A detractor: the clinic hears at once (dashboard and Slack), and again when the comment arrives. */
    async alertDetractor(input: { clinicId: string; surveyId: string; stage: 'score' | 'comment' }): Promise<{ recorded: boolean; conversationId?: string | null }> {
      const f = await facts(input.clinicId, input.surveyId);
      const [s] = await withClinic(deps.db, input.clinicId, (tx) => tx.select({ label: npsSurveys.sentimentLabel, words: npsSurveys.sentimentWords })
        .from(npsSurveys).where(eq(npsSurveys.id, f.surveyId)));
      const visit = `${f.procedureName} com ${f.professionalName}`;
      const description = input.stage === 'score'
        ? `${f.patientName} deu nota ${f.score} na pesquisa (${visit}).${f.comment ? ` Comentário: "${f.comment.slice(0, 300)}"` : ''} Entre em contato pela Conversas.`
        : `${f.patientName} (nota ${f.score}) comentou: "${(f.comment ?? '').slice(0, 300)}"${s?.label ? ` — sentimento ${s.label}${s.words?.length ? ` (${s.words.slice(0, 3).join(', ')})` : ''}` : ''}.`;
      // Her conversation, in the staff queue of Conversas, before anyone reads the alert and looks for it.
      const conv = await withClinic(deps.db, input.clinicId, (tx) => openDetractorConversation(tx, f, clock()));
      const recorded = await notifier.notify({
        clinicId: f.clinicId, kind: 'nps_detractor', key: `nps_detractor:${f.surveyId}:${input.stage}`, description,
        slackText: `${f.clinicName}: ${description}`, patientId: f.patientId,
        data: { appointmentId: f.appointmentId, surveyId: f.surveyId, score: f.score, stage: input.stage, conversationId: conv?.conversationId ?? null },
      });
      return { recorded, conversationId: conv?.conversationId ?? null };
    },

    /** The detractor's apology coupon, by the clinic's rule; none without marketing consent. Once per survey. */
    async issueDetractorCoupon(input: { clinicId: string; surveyId: string; at?: string }): Promise<{ code: string; label: string } | null> {
      const f = await facts(input.clinicId, input.surveyId);
      return withClinic(deps.db, input.clinicId, async (tx) => {
        if (!f.channel || !(await hasMarketingConsent(tx, f.clinicId, f.patientId, f.channel))) return null;
        const [existing] = await tx.select().from(coupons).where(and(eq(coupons.surveyId, f.surveyId), eq(coupons.origin, 'nps_detractor'))).limit(1);
        const c = existing ?? await issueCoupon(tx, {
          clinicId: f.clinicId, origin: 'nps_detractor', patientId: f.patientId, surveyId: f.surveyId, rule: f.settings.detractorCoupon, now: input.at ? new Date(input.at) : clock(),
        });
        return { code: c.code, label: c.percentOff != null ? `${c.percentOff}%` : formatBrl(c.amountOffCents!) };
      });
    },

    /** No answer by the expiry: sem_resposta (an answer that raced it wins). */
    async expireNpsSurvey(input: { clinicId: string; surveyId: string }) {
      return withClinic(deps.db, input.clinicId, (tx) => expireSurvey(tx, input.surveyId));
    },

    /** A promoter with marketing consent: reserves the offer row and starts `upsell:{patientId}:{n}`. */
    async startUpsellFromSurvey(input: { clinicId: string; surveyId: string }): Promise<{ started: boolean; workflowId: string | null; skipped?: 'no_consent' }> {
      if (!deps.temporal) throw ApplicationFailure.nonRetryable('temporal client not configured for the upsell hand-over', 'TemporalNotConfigured');
      const f = await facts(input.clinicId, input.surveyId);
      const offer = await withClinic(deps.db, input.clinicId, async (tx) => {
        if (!f.channel || !(await hasMarketingConsent(tx, f.clinicId, f.patientId, f.channel))) return null;
        return reserveOffer(tx, { clinicId: f.clinicId, patientId: f.patientId, surveyId: f.surveyId });
      });
      if (!offer) return { started: false, workflowId: null, skipped: 'no_consent' };
      const r = await startUpsellJourney(deps.temporal, {
        clinicId: f.clinicId, patientId: f.patientId, offerId: offer.offerId, surveyId: f.surveyId, workflowId: offer.workflowId,
        taskQueue: deps.taskQueue, searchAttributes: deps.searchAttributes,
      });
      return { started: r.started, workflowId: offer.workflowId };
    },
  };
}

export type NpsActivities = ReturnType<typeof createNpsActivities>;
