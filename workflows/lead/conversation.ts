// What every step of the lead journey does with the conversation: send Anna's reply, record the progress,
// read the lead's message and rescore the lead.
import { log } from '@temporalio/workflow';
import { analyzeMessage as localAnalyze, scoreLead, type Reply } from '../../domain/anna/engine';
import type { AnalysisContext, Engagement, MessageAnalysis } from '../../domain/anna/types';
import type { LeadMessage } from '../definitions';
import { analyzeLeadMessage, saveLeadProgress, sendAnnaMessage } from './proxies';
import type { LeadRun } from './state';

/**
 * Sends one message. The idempotency key counts Anna's messages, so a retried or replayed send never
 * reaches the patient twice.
 */
export async function say(run: LeadRun, reply: Reply | null, opts: { phrase?: boolean } = {}) {
  const { input, state, extra } = run;
  if (!reply || !reply.text) return;
  const n = ++state.annaMessages;
  let result: { status: string };
  try {
    result = await sendAnnaMessage({
      clinicId: input.clinicId, conversationId: input.conversationId, phone: input.phone, patientId: run.patientId,
      text: reply.text, quickReplies: reply.quickReplies, idempotencyKey: `lead:${input.conversationId}:${n}`,
      // Free conversation may be worded by the model (within guardrails); slots, links and bookings go as drafted.
      phrase: opts.phrase ?? true,
    });
  } catch (err) {
    // A message the channel refused (or no channel configured) must not end the conversation: the staff
    // sees the thread in the inbox, and the journey keeps listening.
    log.warn('lead message not sent', { error: err instanceof Error ? err.message : String(err) });
    extra.lastAnnaAt = Date.now();
    return;
  }
  if (result.status.startsWith('skipped')) log.info('lead message skipped', { status: result.status });
  extra.lastAnnaAt = Date.now();
}

/** The conversation's row (stage, qualification, score, slots): what the inbox and the dashboard show. */
export async function save(run: LeadRun) {
  const { input, state } = run;
  await saveLeadProgress({
    clinicId: input.clinicId, conversationId: input.conversationId, phone: input.phone, stage: state.stage, qualification: state.qualification,
    score: state.score, needsStaff: state.stage === 'staff_queue', suggestedSlots: state.offeredSlots,
  });
}

function engagement(run: LeadRun): Engagement {
  const { state, extra } = run;
  const sorted = [...extra.replyDelays].sort((a, b) => a - b);
  const mean = extra.sentiments.length ? extra.sentiments.reduce((a, b) => a + b, 0) / extra.sentiments.length : 0;
  return {
    patientMessages: state.patientMessages, meanSentiment: mean,
    medianReplySeconds: sorted.length ? Math.round(sorted[Math.floor((sorted.length - 1) / 2)] / 1000) : null,
    slotsOnPreferredDate: null,
  };
}

export function rescore(run: LeadRun) {
  run.state.score = scoreLead(run.state.qualification, engagement(run), run.k, new Date(Date.now()).toISOString());
}

/** What the message says: the model (through the activity) if it answers, else the local engine. */
export async function analyze(run: LeadRun, m: LeadMessage): Promise<MessageAnalysis> {
  const { input, state } = run;
  const actx: AnalysisContext = {
    now: m.receivedAt, stage: state.stage, lastQuestion: state.lastQuestion, knowledge: run.k, offeredSlots: state.offeredSlots, known: state.qualification,
  };
  try {
    const a = await analyzeLeadMessage({ clinicId: input.clinicId, conversationId: input.conversationId, messageRowId: m.messageRowId, text: m.text, ctx: actx });
    state.lastEngine = { engine: a.engine, ...(a.fallbackReason ? { fallbackReason: a.fallbackReason } : {}) };
    return a;
  } catch {
    // Never stall on the model or the database: the local engine is deterministic and runs right here.
    state.lastEngine = { engine: 'local', fallbackReason: 'activity_failed' };
    return localAnalyze(m.text, actx);
  }
}
