// The lead journey's clocks: which deadline the next wait runs to (one nudge after Anna's unanswered
// message, the staff follow-up, the deposit's expiry, abandonment after silence) and what each one does.
import { replies } from '../../domain/anna/engine';
import type { LeadJourneyState } from '../definitions';
import { say } from './conversation';
import { expireLeadDeposit } from './proxies';
import { book, close, offerSlots, toStaff } from './steps';
import type { LeadRun } from './state';

const HOUR = 3_600_000;

export type LeadDeadline = NonNullable<LeadJourneyState['waitingUntil']>;

export function nextDeadline(run: LeadRun): LeadDeadline | null {
  const { state, extra, settings } = run;
  if (state.takenOverBy) return null; // the staff decides; hand-back restarts the clocks
  const at = (ms: number) => new Date(ms).toISOString();
  if (state.stage === 'awaiting_payment' && state.payment && !state.payment.paid) return { what: 'payment', at: state.payment.deadline };
  if (state.stage === 'staff_queue') {
    if (!state.followUpSent && extra.queuedAt !== null) return { what: 'follow_up', at: at(extra.queuedAt + settings.followUpDelayHours * HOUR) };
    return { what: 'abandon', at: at(Math.max(extra.lastPatientAt, extra.lastAnnaAt) + settings.abandonAfterHours * HOUR) };
  }
  if (!state.nudged && extra.lastAnnaAt >= extra.lastPatientAt) return { what: 'nudge', at: at(extra.lastAnnaAt + settings.nudgeAfterHours * HOUR) };
  return { what: 'abandon', at: at(extra.lastPatientAt + settings.abandonAfterHours * HOUR) };
}

export async function onDeadline(run: LeadRun, what: LeadDeadline['what']): Promise<void> {
  const { input, state, extra } = run;
  switch (what) {
    case 'nudge':
      state.nudged = true;
      await say(run, replies.nudge());
      return;
    case 'follow_up':
      state.followUpSent = true;
      await say(run, replies.followUp(state.qualification.name ?? run.profileName));
      return;
    case 'payment': {
      const { paid: late } = await expireLeadDeposit({ clinicId: input.clinicId, paymentId: state.payment!.paymentId });
      if (late) { state.payment!.paid = true; return book(run, replies.paymentReceived()); }
      extra.paymentExpiries++;
      state.payment = null;
      if (extra.paymentExpiries >= 2) return toStaff(run, replies.paymentExpired(), 'payment_expired');
      return offerSlots(run, replies.paymentExpired(), { fresh: true });
    }
    case 'abandon':
    default:
      return close(run, 'abandonada', 'abandonada');
  }
}
