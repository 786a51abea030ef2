// The upsell journey `upsell:{patientId}:{n}` (the brief's flow 5), started by a promoter's NPS: the
// one recommended procedure with a discount coupon, a consented before/after photo when one exists and
// a signed direct-booking link; one reminder halfway through the offer window; and the outcome:
// agendou (a booking of that procedure through any path: the link signals at once, the dashboard and
// Anna are found at the next wake-up), recusou (the patient said no, or opted out) or ignorou.
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { UpsellActivities } from '../activities/upsell';
import { isUpsellRefusal } from '../domain/upsell';
import { isOptOut } from '../domain/opt-out';
import {
  patientReplySignal, upsellBookedSignal, upsellStateQuery,
  type UpsellJourneyInput, type UpsellJourneyResult, type UpsellJourneyState, type UpsellOutcome,
} from './definitions';

const NON_RETRYABLE = ['OfferNotFound', 'MessagingNotConfigured', 'MessageRejected'];

const { sendUpsellMessage } = proxyActivities<Pick<UpsellActivities, 'sendUpsellMessage'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 12, nonRetryableErrorTypes: NON_RETRYABLE },
});
const { prepareUpsellOffer, findUpsellBooking, finishUpsellOffer } = proxyActivities<Omit<UpsellActivities, 'sendUpsellMessage'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20, nonRetryableErrorTypes: NON_RETRYABLE },
});

export async function upsellOffer(input: UpsellJourneyInput): Promise<UpsellJourneyResult> {
  const state: UpsellJourneyState = { offerId: input.offerId, stage: 'recommending', procedureId: null, expiresAt: null, reminderAt: null, outcome: null, appointmentId: null };
  let booked: { appointmentId: string } | null = null;
  let refused = false;
  let optedOut = false;
  const seen = new Set<string>();
  setHandler(upsellBookedSignal, (b) => { booked ??= { appointmentId: b.appointmentId }; });
  setHandler(patientReplySignal, (r) => {
    if (seen.has(r.messageId)) return;
    seen.add(r.messageId);
    if (isOptOut(r.text)) optedOut = true; // SAIR: the inbound path revoked the channel; the offer ends now
    else if (isUpsellRefusal(r.text)) refused = true;
  });
  setHandler(upsellStateQuery, () => ({ ...state }));
  const ids = { clinicId: input.clinicId, offerId: input.offerId };

  const end = (outcome: UpsellOutcome, reason?: string): UpsellJourneyResult => {
    Object.assign(state, { stage: 'done', outcome, ...(reason ? { reason } : {}) });
    return { offerId: input.offerId, outcome, appointmentId: state.appointmentId, ...(reason ? { reason } : {}) };
  };

  const prep = await prepareUpsellOffer({ ...ids, at: new Date().toISOString() });
  if (prep.action === 'skip') return end('nao_enviada', prep.reason);
  if (prep.action === 'over') return end(prep.status === 'nao_enviada' ? 'nao_enviada' : (prep.status as UpsellOutcome), 'already_closed');
  const sentAt = Date.parse(prep.sentAt);
  const expiresAt = Date.parse(prep.expiresAt);
  const reminderAt = sentAt + Math.floor((expiresAt - sentAt) / 2);
  Object.assign(state, { stage: 'offered', procedureId: prep.procedureId, expiresAt: prep.expiresAt, reminderAt: new Date(reminderAt).toISOString() });

  const offer = await sendUpsellMessage({ ...ids, kind: 'offer' });
  if (offer.status === 'skipped_opt_out' || offer.status === 'skipped_no_consent') {
    await finishUpsellOffer({ ...ids, outcome: 'recusou', reason: 'opt_out' });
    return end('recusou', 'opt_out');
  }

  const decided = () => booked !== null || refused || optedOut;
  const settle = async (): Promise<UpsellJourneyResult | null> => {
    if (!booked) {
      const found = await findUpsellBooking(ids);
      if (found) booked = { appointmentId: found.appointmentId };
    }
    if (booked) {
      const found = await findUpsellBooking(ids);
      state.appointmentId = found?.appointmentId ?? booked.appointmentId;
      await finishUpsellOffer({ ...ids, outcome: 'agendou', appointmentId: state.appointmentId, ...(found ? { revenueCents: found.priceCents } : {}) });
      return end('agendou');
    }
    if (optedOut) {
      await finishUpsellOffer({ ...ids, outcome: 'recusou', reason: 'opt_out' });
      return end('recusou', 'opt_out');
    }
    if (refused) {
      await finishUpsellOffer({ ...ids, outcome: 'recusou' });
      return end('recusou');
    }
    return null;
  };

  await condition(decided, Math.max(1, reminderAt - Date.now()));
  const early = await settle();
  if (early) return early;
  const reminder = await sendUpsellMessage({ ...ids, kind: 'reminder', at: new Date().toISOString() });
  if (reminder.status === 'skipped_gone') {
    await finishUpsellOffer({ ...ids, outcome: 'ignorou', reason: 'gone' });
    return end('ignorou', 'gone');
  }
  if (reminder.status === 'skipped_opt_out' || reminder.status === 'skipped_no_consent') {
    await finishUpsellOffer({ ...ids, outcome: 'recusou', reason: 'opt_out' });
    return end('recusou', 'opt_out');
  }
  await condition(decided, Math.max(1, expiresAt - Date.now()));
  const late = await settle();
  if (late) return late;
  await finishUpsellOffer({ ...ids, outcome: 'ignorou' });
  return end('ignorou');
}
