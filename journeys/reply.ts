// A patient's reply to the journey of her open appointment (`appointment:{id}`), as a `patientReply`
// signal; the journey ignores a repeated message id, so the redelivery sweep may send it again.
import { patientReplySignal, type PatientReply } from '../workflows/definitions';
import { withTimeout, type Client } from './temporal';

/** How long one signal may take before the message is left for the redelivery sweep. */
export const REPLY_SIGNAL_TIMEOUT_MS = 5000;

export async function deliverPatientReply(temporal: Client, workflowId: string, reply: PatientReply, timeoutMs = REPLY_SIGNAL_TIMEOUT_MS) {
  await withTimeout(timeoutMs, () => temporal.workflow.getHandle(workflowId).signal(patientReplySignal, reply));
}
