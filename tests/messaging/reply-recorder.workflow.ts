// A stand-in appointment journey for the inbound routing tests: it records every patientReply signal.
import { condition, defineQuery, setHandler } from '@temporalio/workflow';
import { patientReplySignal, type PatientReply } from '../../workflows/definitions';

export const repliesQuery = defineQuery<PatientReply[]>('replies');

export async function replyRecorder(): Promise<PatientReply[]> {
  const replies: PatientReply[] = [];
  // Every signal is kept (no dedup here), so a test sees a repeat if the API ever sent one.
  setHandler(patientReplySignal, (r) => { replies.push(r); });
  setHandler(repliesQuery, () => replies);
  await condition(() => replies.some((r) => r.text === 'FIM'), '1 hour');
  return replies;
}
