// The lead journey (`lead:{clinicId}:{phoneE164}`): Anna greets a new WhatsApp number, asks the four
// qualification questions (procedure; interest and when; preferred date; preferred time) in any order,
// scores the lead, and either books it (three slots as quick replies → confirmation → name/phone →
// deposit link and the payment signal → appointment, whose own journey then sends the reminders) or
// hands it to the staff queue with a follow-up later. Silence gets one nudge, then the conversation is
// abandoned; spam and insults end it. Staff can take over (Anna pauses) and hand back.
//
// This file is the run itself: its signals and query, and the loop that waits for a message, a payment,
// a hand-back or the next deadline. What each of those does is in lead/ (message.ts, steps.ts,
// deadlines.ts). The workflow decides; activities read and write (activities/lead.ts).
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  leadMessageSignal, leadStateQuery, paymentReceivedSignal, staffHandBackSignal, staffTakeoverSignal,
  type LeadJourneyInput, type LeadJourneyState, type LeadMessage, type LeadOutcome, type PaymentReceived,
} from './definitions';
import { nextDeadline, onDeadline } from './lead/deadlines';
import { handleMedia, handleMessage } from './lead/message';
import { loadLeadContext } from './lead/proxies';
import { carry, initialLeadState, restoreExtra, type LeadRun } from './lead/state';
import { onPaid, resumeAfterHandBack } from './lead/steps';

/** Messages processed per run before continue-as-new (plus Temporal's own suggestion). */
const MAX_MESSAGES_PER_RUN = 150;

export async function leadJourney(input: LeadJourneyInput): Promise<{ outcome: LeadOutcome; appointmentId: string | null }> {
  const state: LeadJourneyState = input.carried ?? initialLeadState(input.conversationId);
  const seen = new Set(state.seenMessageIds);
  const inbox: LeadMessage[] = [...(input.pending ?? [])];
  let paid: PaymentReceived | null = null;
  let handedBack = false;
  const extra = restoreExtra(input.carried);

  setHandler(leadMessageSignal, (m) => {
    if (seen.has(m.messageId)) return; // the same MessageSid twice (webhook retry): once only
    seen.add(m.messageId);
    state.seenMessageIds.push(m.messageId);
    if (state.seenMessageIds.length > 500) state.seenMessageIds.splice(0, state.seenMessageIds.length - 500);
    inbox.push(m);
  });
  setHandler(staffTakeoverSignal, (t) => { state.takenOverBy = { userId: t.userId, userName: t.userName, at: t.at }; });
  setHandler(staffHandBackSignal, () => {
    if (state.takenOverBy) handedBack = true;
    state.takenOverBy = null;
  });
  setHandler(paymentReceivedSignal, (p) => { paid = p; });
  setHandler(leadStateQuery, () => state);

  const ctx = await loadLeadContext({ clinicId: input.clinicId, conversationId: input.conversationId, phone: input.phone });
  if (!state.qualification.name && (ctx.patient?.name || input.profileName)) {
    // A known patient's name, or the WhatsApp profile name as a first guess (asked again before booking if missing).
    state.qualification.name = ctx.patient?.name ?? null;
  }
  const run: LeadRun = {
    input, state, extra, k: ctx.knowledge, settings: ctx.settings,
    patientId: input.patientId ?? ctx.patient?.id ?? null,
    profileName: input.profileName ?? null,
  };

  let processed = 0;
  while (!state.outcome && !(inbox[0]?.conversationId && inbox[0].conversationId !== input.conversationId)) {
    const deadline = nextDeadline(run);
    state.waitingUntil = deadline;
    const wait = deadline ? Math.max(0, Date.parse(deadline.at) - Date.now()) : undefined;
    const woke = wait === undefined
      ? await condition(() => inbox.length > 0 || paid !== null || handedBack)
      : await condition(() => inbox.length > 0 || paid !== null || handedBack || state.takenOverBy !== null, wait);
    state.waitingUntil = null;
    if (paid) {
      const p = paid as PaymentReceived;
      paid = null;
      await onPaid(run, p);
      continue;
    }
    if (handedBack) {
      handedBack = false;
      await resumeAfterHandBack(run);
      continue;
    }
    if (inbox.length) {
      const m = inbox.shift()!;
      if (m.conversationId && m.conversationId !== input.conversationId) {
        // A message for the number's next conversation (this one closed meanwhile): handled after it.
        inbox.unshift(m);
        break;
      }
      processed++;
      if (!m.text.trim() && (m.mediaCount ?? 0) > 0) await handleMedia(run);
      else await handleMessage(run, m);
    } else if (!woke && deadline) {
      await onDeadline(run, deadline.what);
    }
    if (!state.outcome && (processed >= (input.maxMessagesPerRun ?? MAX_MESSAGES_PER_RUN) || workflowInfo().continueAsNewSuggested) && inbox.length === 0) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof leadJourney>({ ...input, patientId: run.patientId, carried: carry(state, extra), pending: [] });
    }
  }
  await condition(allHandlersFinished);
  const next = inbox.filter((m) => m.conversationId && m.conversationId !== input.conversationId);
  if (next.length) {
    // The number wrote again after this conversation closed: its new conversation continues in a fresh run.
    await continueAsNew<typeof leadJourney>({
      clinicId: input.clinicId, phone: input.phone, conversationId: next[0].conversationId!, patientId: run.patientId, profileName: input.profileName ?? null, pending: next,
    });
  }
  return { outcome: state.outcome ?? 'encerrada', appointmentId: state.appointmentId };
}
