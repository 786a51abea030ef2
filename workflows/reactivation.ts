// The reactivation journey `reactivation:{patientId}:{n}` (the brief's flow 6), started by the daily
// sweep for a contacted patient (the control group is never contacted): the "saudade" message with her
// history, a coupon, a consented photo and the signed booking link; one follow-up when she has not
// answered after the clinic's days; and the outcome within the window: voltou (a booking by any path:
// the link signals at once, the dashboard and Anna are found at the next wake-up), sem_interesse
// ("não tenho interesse": an acknowledgement and a longer pause before the next one) or nao_voltou.
// An opt-out (SAIR) revokes the channel in the inbound path, which tells the journey: it ends at once as
// sem_interesse (reason opt_out), whether or not the follow-up went out.
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { ReactivationActivities } from '../activities/reactivation';
import { saysNotInterested } from '../domain/reactivation';
import { normalizeText } from '../domain/text';
import { isOptOut } from '../domain/opt-out';
import {
  patientReplySignal, reactivationBookedSignal, reactivationStateQuery,
  type ReactivationJourneyInput, type ReactivationJourneyResult, type ReactivationJourneyState, type ReactivationOutcome,
} from './definitions';

const NON_RETRYABLE = ['MessagingNotConfigured', 'MessageRejected'];

const { sendReactivationMessage } = proxyActivities<Pick<ReactivationActivities, 'sendReactivationMessage'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 12, nonRetryableErrorTypes: NON_RETRYABLE },
});
const { prepareReactivation, findReactivationReturn, finishReactivation } = proxyActivities<Pick<ReactivationActivities, 'prepareReactivation' | 'findReactivationReturn' | 'finishReactivation'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20, nonRetryableErrorTypes: NON_RETRYABLE },
});

const skippedConsent = (status: string) => status === 'skipped_opt_out' || status === 'skipped_no_consent';

export async function reactivationJourney(input: ReactivationJourneyInput): Promise<ReactivationJourneyResult> {
  const state: ReactivationJourneyState = { targetId: input.targetId, stage: 'sending', sentAt: null, followUpAt: null, windowEndsAt: null, replies: 0, outcome: null, appointmentId: null };
  let booked: { appointmentId: string } | null = null;
  let notInterested = false;
  let optedOut = false;
  const seen = new Set<string>();
  setHandler(reactivationBookedSignal, (b) => { booked ??= { appointmentId: b.appointmentId }; });
  setHandler(patientReplySignal, (r) => {
    if (seen.has(r.messageId)) return;
    seen.add(r.messageId);
    state.replies++;
    if (isOptOut(r.text)) optedOut = true; // SAIR: the inbound path revoked the channel; the journey ends now
    else if (saysNotInterested(normalizeText(r.text))) notInterested = true;
  });
  setHandler(reactivationStateQuery, () => ({ ...state }));
  const ids = { clinicId: input.clinicId, targetId: input.targetId };
  const end = (outcome: ReactivationOutcome, reason?: string): ReactivationJourneyResult => {
    Object.assign(state, { stage: 'done', outcome, ...(reason ? { reason } : {}) });
    return { targetId: input.targetId, outcome, appointmentId: state.appointmentId, ...(reason ? { reason } : {}) };
  };

  const prep = await prepareReactivation({ ...ids, at: new Date().toISOString() });
  if (prep.action === 'skip') return end('nao_enviada', prep.reason);
  if (prep.action === 'over') return end(prep.status === 'sem_interesse' ? 'sem_interesse' : prep.status === 'nao_enviada' ? 'nao_enviada' : 'nao_voltou', 'already_closed');
  Object.assign(state, { stage: 'waiting', sentAt: prep.sentAt, followUpAt: prep.followUpAt, windowEndsAt: prep.windowEndsAt });

  const gone = async () => {
    await finishReactivation({ ...ids, outcome: 'nao_voltou', reason: 'gone', at: new Date().toISOString() });
    return end('nao_voltou', 'gone');
  };
  const first = await sendReactivationMessage({ ...ids, kind: 'saudade' });
  if (first.status === 'skipped_gone') return gone();
  if (skippedConsent(first.status)) {
    await finishReactivation({ ...ids, outcome: 'sem_interesse', reason: 'opt_out', at: new Date().toISOString() });
    return end('sem_interesse', 'opt_out');
  }

  const decided = () => booked !== null || notInterested || optedOut;
  const settle = async (): Promise<ReactivationJourneyResult | null> => {
    const found = await findReactivationReturn(ids);
    const appointmentId = found?.appointmentId ?? (booked as { appointmentId: string } | null)?.appointmentId ?? null;
    if (appointmentId) {
      state.appointmentId = appointmentId;
      await finishReactivation({ ...ids, outcome: 'voltou', appointmentId, at: new Date().toISOString() });
      return end('voltou');
    }
    if (optedOut) {
      await finishReactivation({ ...ids, outcome: 'sem_interesse', reason: 'opt_out', at: new Date().toISOString() });
      return end('sem_interesse', 'opt_out');
    }
    if (notInterested) {
      await sendReactivationMessage({ ...ids, kind: 'not_interested' });
      await finishReactivation({ ...ids, outcome: 'sem_interesse', at: new Date().toISOString() });
      return end('sem_interesse');
    }
    return null;
  };

  await condition(decided, Math.max(1, Date.parse(prep.followUpAt) - Date.now()));
  const early = await settle();
  if (early) return early;
  // One follow-up, only when she has not answered at all (an answer is a conversation the inbox has).
  if (state.replies === 0) {
    const follow = await sendReactivationMessage({ ...ids, kind: 'follow_up' });
    if (follow.status === 'skipped_gone') return gone();
    if (skippedConsent(follow.status)) {
      await finishReactivation({ ...ids, outcome: 'sem_interesse', reason: 'opt_out', at: new Date().toISOString() });
      return end('sem_interesse', 'opt_out');
    }
    state.stage = 'followed_up';
  } else {
    state.stage = 'watching';
  }
  await condition(decided, Math.max(1, Date.parse(prep.windowEndsAt) - Date.now()));
  const late = await settle();
  if (late) return late;
  await finishReactivation({ ...ids, outcome: 'nao_voltou', at: new Date().toISOString() });
  return end('nao_voltou');
}
