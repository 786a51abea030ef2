// The NPS journey `nps:{appointmentId}` (the brief's flow 4): started by the appointment journey after
// the clinic's delay, it claims the send (inside 09:00–20:00, never two surveys to a patient on one day,
// on a channel the patient allows), asks "De 0 a 10…", reads the replies (a score, "nota 9", "dez",
// emoji digits; anything else is asked again at most twice) or the answer given on the signed page,
// reminds once, expires as sem_resposta, asks for the comment, and branches:
//   0–6  the clinic is alerted at once; an apology with a coupon (only with marketing consent);
//   7–8  the feedback form;
//   9–10 the review of the professional, and the upsell journey (only with marketing consent).
// The database is the truth: the page's answer is stored by the API, and every wake-up reads it.
import { condition, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { NpsActivities } from '../activities/nps';
import { COMMENT_WAIT_MS, parseNpsReply } from '../domain/nps';
import {
  npsLinkAnswerSignal, npsStateQuery, patientReplySignal,
  type NpsAnswerVia, type NpsJourneyInput, type NpsJourneyResult, type NpsJourneyState, type NpsLinkAnswer, type PatientReply,
} from './definitions';

/** Replies that are not a score get "não entendi" at most this many times. */
export const MAX_UNREADABLE_REPLIES = 2;

const NON_RETRYABLE = ['SurveyNotFound', 'TemporalNotConfigured', 'MessagingNotConfigured', 'MessageRejected'];

const { sendNpsMessage } = proxyActivities<Pick<NpsActivities, 'sendNpsMessage'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 12, nonRetryableErrorTypes: NON_RETRYABLE },
});
const {
  claimNpsSurvey, recordNpsAnswer, recordNpsComment, readNpsSurvey, alertDetractor, issueDetractorCoupon, expireNpsSurvey, startUpsellFromSurvey,
} = proxyActivities<Omit<NpsActivities, 'sendNpsMessage'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20, nonRetryableErrorTypes: NON_RETRYABLE },
});

interface Answer { score: number; comment?: string; via: NpsAnswerVia; at: string }

/** A message must not fail the journey: a failed send is recorded in the outbox and the journey goes on. */
async function trySend(input: Parameters<NpsActivities['sendNpsMessage']>[0]): Promise<boolean> {
  try {
    const r = await sendNpsMessage(input);
    return r.status === 'sent' || r.status === 'queued' || r.status === 'duplicate';
  } catch {
    return false;
  }
}

export async function npsSurvey(input: NpsJourneyInput): Promise<NpsJourneyResult> {
  const state: NpsJourneyState = {
    appointmentId: input.appointmentId, stage: 'scheduled', sendAt: null, reminderAt: null, expiresAt: null,
    score: null, npsClass: null, via: null, comment: null, unreadableReplies: 0, actions: [], outcome: null,
  };
  const inbox: PatientReply[] = [];
  const seen = new Set<string>();
  let linkAnswer: NpsLinkAnswer | null = null;
  setHandler(patientReplySignal, (reply) => {
    if (seen.has(reply.messageId)) return;
    seen.add(reply.messageId);
    inbox.push(reply);
  });
  setHandler(npsLinkAnswerSignal, (a) => { linkAnswer ??= a; });
  setHandler(npsStateQuery, () => ({ ...state, actions: [...state.actions] }));

  const done = (outcome: NpsJourneyResult['outcome'], reason?: string): NpsJourneyResult => {
    state.stage = 'done';
    state.outcome = outcome;
    return { appointmentId: input.appointmentId, outcome, score: state.score, npsClass: state.npsClass, actions: [...state.actions], ...(reason ? { reason } : {}) };
  };

  // 1. When and where to ask.
  let claim = await claimNpsSurvey({ ...input, workflowId: workflowInfo().workflowId, at: new Date().toISOString() });
  while (claim.action === 'wait') {
    state.sendAt = claim.until;
    await sleep(Math.max(1, Date.parse(claim.until) - Date.now()));
    claim = await claimNpsSurvey({ ...input, workflowId: workflowInfo().workflowId, at: new Date().toISOString() });
  }
  if (claim.action === 'skip') return done('not_sent', claim.reason);
  if (claim.action === 'over') return done(claim.status === 'respondida' ? 'answered' : claim.status === 'sem_resposta' ? 'expired' : 'not_sent', claim.status);
  const surveyId = claim.surveyId;
  const ids = { clinicId: input.clinicId, surveyId };
  Object.assign(state, { sendAt: claim.sentAt, reminderAt: claim.reminderAt, expiresAt: claim.expiresAt, stage: 'waiting_score' });
  if (await trySend({ ...ids, kind: 'question' })) state.actions.push('sent');

  // 2. The score: a reply, the page, or nothing (one reminder, then the expiry).
  let answer: Answer | null = null;
  let reminded = false;
  const stored = async (): Promise<Answer | null> => {
    const s = await readNpsSurvey(ids);
    return s.score != null ? { score: s.score, ...(s.comment ? { comment: s.comment } : {}), via: (s.answeredVia ?? 'link') as NpsAnswerVia, at: s.answeredAt ?? new Date().toISOString() } : null;
  };
  while (!answer) {
    const until = Date.parse(reminded ? claim.expiresAt : claim.reminderAt);
    const woke = await condition(() => inbox.length > 0 || linkAnswer !== null, Math.max(1, until - Date.now()));
    if (linkAnswer) {
      const a: NpsLinkAnswer = linkAnswer;
      answer = { score: a.score, ...(a.comment ? { comment: a.comment } : {}), via: 'link', at: a.at };
      break;
    }
    if (woke && inbox.length) {
      const reply = inbox.shift()!;
      const parsed = parseNpsReply(reply.text);
      if (parsed.score !== null) {
        answer = { score: parsed.score, ...(parsed.comment ? { comment: parsed.comment } : {}), via: reply.channel, at: reply.receivedAt };
      } else if (state.unreadableReplies < MAX_UNREADABLE_REPLIES) {
        state.unreadableReplies++;
        await trySend({ ...ids, kind: 'unreadable', n: state.unreadableReplies, channel: reply.channel });
      }
      continue;
    }
    if (woke) continue;
    answer = await stored(); // answered on the page while its signal was lost
    if (answer) break;
    if (!reminded) {
      reminded = true;
      if (await trySend({ ...ids, kind: 'reminder', at: new Date().toISOString() })) state.actions.push('reminded');
      continue;
    }
    const expiry = await expireNpsSurvey(ids);
    if (expiry.expired) return done('expired');
    answer = await stored();
    if (!answer) return done('expired', expiry.status);
  }

  // 3. Store it; a detractor is the clinic's at once.
  const rec = await recordNpsAnswer({ ...ids, score: answer.score, ...(answer.comment ? { comment: answer.comment } : {}), via: answer.via, at: answer.at });
  Object.assign(state, { score: rec.score, npsClass: rec.npsClass, via: answer.via, comment: rec.comment });
  if (rec.late) {
    await trySend({ ...ids, kind: 'late', ...(answer.via !== 'link' ? { channel: answer.via } : {}) });
    return done('expired', 'late_answer');
  }
  if (rec.npsClass === 'detractor' && (await alertDetractor({ ...ids, stage: 'score' })).recorded) state.actions.push('alerted');

  // 4. The comment ("Quer contar o que motivou sua nota?"), unless it came with the score or on the page.
  const chat = answer.via === 'link' ? null : answer.via;
  if (chat && !rec.comment) {
    state.stage = 'waiting_comment';
    await trySend({ ...ids, kind: 'comment_question', channel: chat });
    const commentUntil = Date.now() + COMMENT_WAIT_MS;
    while (await condition(() => inbox.length > 0, Math.max(1, commentUntil - Date.now()))) {
      const reply = inbox.shift()!;
      const again = parseNpsReply(reply.text);
      if (again.score !== null && !again.comment) continue; // the score once more ("10"): not a comment
      const r = await recordNpsComment({ ...ids, comment: reply.text, at: reply.receivedAt });
      if (r.recorded) {
        state.comment = reply.text;
        state.actions.push('comment');
        if (rec.npsClass === 'detractor') await alertDetractor({ ...ids, stage: 'comment' });
      }
      break;
    }
  } else if (chat) {
    await trySend({ ...ids, kind: 'thanks', channel: chat });
  }

  // 5. What follows from the class.
  if (rec.npsClass === 'detractor') {
    const coupon = rec.marketing ? await issueDetractorCoupon({ ...ids, at: new Date().toISOString() }) : null;
    if (coupon) state.actions.push('coupon');
    if (await trySend({ ...ids, kind: 'apology', ...(chat ? { channel: chat } : {}) })) state.actions.push('apology');
  } else if (rec.npsClass === 'neutral') {
    if (chat && (await trySend({ ...ids, kind: 'feedback', channel: chat }))) state.actions.push('feedback_link');
  } else {
    if (chat && (await trySend({ ...ids, kind: 'review', channel: chat }))) state.actions.push('review_link');
    if (rec.marketing) {
      const u = await startUpsellFromSurvey(ids);
      if (u.workflowId) state.actions.push('upsell');
    }
  }
  return done('answered');
}
