// The lead journey's activities (activities/lead.ts), one proxy per latency class. Histories recorded
// earlier replay against these: activity names and options must not change without `patched()`.
import { proxyActivities } from '@temporalio/workflow';
import type { LeadActivities } from '../../activities/lead';

// A retry cannot help these: no clinic, no channel or payment provider configured, a message refused.
const NON_RETRYABLE = ['ClinicNotFound', 'PaymentsNotConfigured', 'MessagingNotConfigured', 'MessageRejected'];

/** The database: what the clinic knows, the conversation's record, slots, patient, deposit, booking, staff notices. */
export const {
  loadLeadContext, saveLeadProgress, findLeadSlots, ensureLeadPatient, requestLeadDeposit, expireLeadDeposit,
  bookLeadAppointment, closeLeadConversation, notifyClinicOfLead,
} = proxyActivities<Pick<LeadActivities,
  | 'loadLeadContext' | 'saveLeadProgress' | 'findLeadSlots' | 'ensureLeadPatient' | 'requestLeadDeposit' | 'expireLeadDeposit'
  | 'bookLeadAppointment' | 'closeLeadConversation' | 'notifyClinicOfLead'
>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20, nonRetryableErrorTypes: NON_RETRYABLE },
});

/** The model may be slow or down: two tries, then the local engine in the workflow itself. */
export const { analyzeLeadMessage } = proxyActivities<Pick<LeadActivities, 'analyzeLeadMessage'>>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 2, nonRetryableErrorTypes: NON_RETRYABLE },
});

/** Sending to the patient: retried for longer (the idempotency key makes a retry safe). */
export const { sendAnnaMessage } = proxyActivities<Pick<LeadActivities, 'sendAnnaMessage'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 15, nonRetryableErrorTypes: NON_RETRYABLE },
});
