// Telling the after-the-visit journeys what the patient did on a signed page: an answer on the one-tap
// survey page, a booking through the upsell's link. The database already holds it (the journeys read it
// at their next wake-up), so a signal that fails or times out is logged, never an error for the patient.
import type { Logger } from '../config/logger';
import { npsLinkAnswerSignal, npsWorkflowId, reactivationBookedSignal, upsellBookedSignal, type NpsLinkAnswer } from '../workflows/definitions';
import { isNotRunning, withTimeout, type Client } from './temporal';

const SIGNAL_TIMEOUT_MS = 3000;

export async function signalNpsLinkAnswer(temporal: Client, log: Logger, appointmentId: string, answer: NpsLinkAnswer): Promise<boolean> {
  const workflowId = npsWorkflowId(appointmentId);
  try {
    await withTimeout(SIGNAL_TIMEOUT_MS, () => temporal.workflow.getHandle(workflowId).signal(npsLinkAnswerSignal, answer), temporal);
    return true;
  } catch (err) {
    if (!isNotRunning(err)) log.warn({ err, workflowId }, 'npsLinkAnswer signal not delivered; the journey reads the answer at its next wake-up');
    return false;
  }
}

export async function signalUpsellBooked(temporal: Client, log: Logger, workflowId: string, booked: { appointmentId: string; at: string }): Promise<boolean> {
  try {
    await withTimeout(SIGNAL_TIMEOUT_MS, () => temporal.workflow.getHandle(workflowId).signal(upsellBookedSignal, booked), temporal);
    return true;
  } catch (err) {
    if (!isNotRunning(err)) log.warn({ err, workflowId }, 'upsellBooked signal not delivered; the journey finds the booking at its next wake-up');
    return false;
  }
}

/** The reactivation's booking link was used: the journey records the return at once (else at its next wake-up). */
export async function signalReactivationBooked(temporal: Client, log: Logger, workflowId: string, booked: { appointmentId: string; at: string }): Promise<boolean> {
  try {
    await withTimeout(SIGNAL_TIMEOUT_MS, () => temporal.workflow.getHandle(workflowId).signal(reactivationBookedSignal, booked), temporal);
    return true;
  } catch (err) {
    if (!isNotRunning(err)) log.warn({ err, workflowId }, 'reactivationBooked signal not delivered; the journey finds the booking at its next wake-up');
    return false;
  }
}
