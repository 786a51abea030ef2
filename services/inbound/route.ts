// Inbound WhatsApp/SMS, the one path shared by the Twilio webhooks and the dashboard's simulator:
// load the facts once, record the message (a repeated MessageSid does nothing), ask the pure classifier
// (domain/inbound-routing.ts) where it goes, act on the answer in the same transaction, and after the
// commit deliver it through the journey client: Anna's lead journey or the appointment's journey. A
// delivery that fails is left marked 'signal_failed' for the redelivery sweep (journeys/redelivery.ts).
import { eq } from 'drizzle-orm';
import type { Env } from '../../config/env';
import type { Logger } from '../../config/logger';
import type { Db, Tx } from '../../db/client';
import { withClinic } from '../../db/tenancy';
import { inboundMessages } from '../../db/schema';
import { classifyInbound } from '../../domain/inbound-routing';
import { appointmentJourney } from '../../journeys/appointment';
import { deliverLeadMessage } from '../../journeys/lead';
import { deliverPatientReply } from '../../journeys/reply';
import { errorText } from '../../journeys/redelivery';
import { isNotRunning, type Client } from '../../journeys/temporal';
import { startLoyaltyBalanceReply } from '../../journeys/handovers';
import { appointmentWorkflowId, loyaltyBalanceWorkflowId, npsWorkflowId, type LoyaltyBalanceInput } from '../../workflows/definitions';
import { parseNpsReply } from '../../domain/nps';
import { recordScore } from '../feedback/surveys';
import { applyOptOut } from '../consent';
import { loadInboundFacts, openOffer, openReactivation, type InboundMessageInput } from './facts';
import { recordInbound, recordLeadMessage } from './record';

export type { InboundMessageInput } from './facts';

export interface InboundDeps {
  db: Db;
  env: Env;
  log: Logger;
  temporal: Client;
  now(): Date;
  /** How long a signal may take before the message is recorded as 'signal_failed' (default 5 s). */
  signalTimeoutMs?: number;
  /** Task queue of the lead journeys (tests use their own). */
  leadTaskQueue?: string;
  /** false on the time-skipping test server (no custom search attributes). */
  leadSearchAttributes?: boolean;
}

/** 'staff': recorded in the staff's conversation with the patient (a detractor's), for a person to answer. */
export type InboundOutcome = 'signalled' | 'opt_out' | 'unrouted' | 'journey_not_running' | 'signal_failed' | 'lead' | 'spam_quiet' | 'late_answer' | 'staff';

export interface RouteResult {
  outcome: InboundOutcome;
  inboundId: string;
  patientId: string | null;
  appointmentId: string | null;
  workflowId: string | null;
  /** Opt-out only: marketing messages still queued on the channel that were dropped. */
  droppedMarketing?: number;
  /** Lead only: the conversation the message joined. */
  conversationId?: string;
  error?: string;
}

/** What the transaction decided, for the delivery after the commit. */
type Decided = (
  | { done: RouteResult }
  | { lead: RouteResult & { conversationId: string; messageRowId: string | null; workflowId: string } }
  | { reply: RouteResult & { workflowId: string; surveyId?: string } }
  | { start: RouteResult & { workflowId: string; balance: LoyaltyBalanceInput } }
) & {
  /** An opt-out: the open marketing journeys (upsell, reactivation) to tell after the commit. */
  optOutJourneys?: string[];
};

/** Records an inbound message and delivers it where it belongs; a repeat (same message id) does nothing and returns null. */
export async function routeInbound(deps: InboundDeps, input: InboundMessageInput): Promise<RouteResult | null> {
  const decided = await withClinic(deps.db, input.clinicId, (tx) => decide(tx, input));
  if (!decided) return null;
  if (decided.optOutJourneys) await tellOptOut(deps, input, decided.optOutJourneys);
  if ('done' in decided) return decided.done;
  if ('start' in decided) return answerBalance(deps, input, decided.start);
  const { outcome, error } = await deliver(deps, input, decided);
  await withClinic(deps.db, input.clinicId, (tx) =>
    tx.update(inboundMessages).set({ outcome, error: error ?? null }).where(eq(inboundMessages.id, result(decided).inboundId)));
  if (outcome === 'signal_failed') appointmentJourney(deps, { taskQueue: deps.env.TEMPORAL_TASK_QUEUE }).redeliverSoon();
  const { messageRowId: _m, ...base } = 'lead' in decided ? decided.lead : { ...decided.reply, messageRowId: null };
  return { ...base, outcome, ...(error ? { error } : {}) };
}

const result = (d: Exclude<Decided, { done: RouteResult } | { start: unknown }>) => ('lead' in d ? d.lead : d.reply);

/** The patient's open upsell offer and reactivation journeys (whatever wrote last). */
async function openMarketingJourneys(tx: Tx, clinicId: string, patientIds: string[]): Promise<string[]> {
  const [offer, reactivation] = await Promise.all([openOffer(tx, clinicId, patientIds), openReactivation(tx, clinicId, patientIds)]);
  return [offer?.workflowId, reactivation?.workflowId].filter((w): w is string => !!w);
}

/** Best effort: a journey that missed it still finds the revoked consent when it next sends (the outbox skips). */
async function tellOptOut(deps: InboundDeps, input: InboundMessageInput, workflowIds: string[]): Promise<void> {
  await Promise.all(workflowIds.map(async (workflowId) => {
    try {
      await deliverPatientReply(deps.temporal, workflowId, {
        text: input.text, channel: input.channel, receivedAt: input.receivedAt.toISOString(), messageId: input.messageId,
      }, deps.signalTimeoutMs);
    } catch (err) {
      if (!isNotRunning(err)) deps.log.warn({ err, workflowId }, 'opt-out not told to the journey');
    }
  }));
}

/** "saldo": a short workflow answers with her balance (once per message: the workflow id is the message's). */
async function answerBalance(deps: InboundDeps, input: InboundMessageInput, r: RouteResult & { workflowId: string; balance: LoyaltyBalanceInput }): Promise<RouteResult> {
  let outcome: InboundOutcome = 'signalled';
  let error: string | undefined;
  try {
    await startLoyaltyBalanceReply(deps.temporal, { ...r.balance, taskQueue: deps.leadTaskQueue ?? deps.env.TEMPORAL_TASK_QUEUE });
  } catch (err) {
    deps.log.warn({ err, inboundId: r.inboundId }, 'loyalty balance answer not started');
    outcome = 'unrouted';
    error = errorText(err).slice(0, 500);
  }
  await withClinic(deps.db, input.clinicId, (tx) => tx.update(inboundMessages).set({ outcome, error: error ?? null }).where(eq(inboundMessages.id, r.inboundId)));
  const { balance: _b, ...base } = r;
  return { ...base, outcome, ...(error ? { error } : {}) };
}

async function decide(tx: Tx, input: InboundMessageInput): Promise<Decided | null> {
  const { facts, patientId, appointment, conversation, staffConversation, survey, offer, reactivation } = await loadInboundFacts(tx, input);
  const inboundId = await recordInbound(tx, input, patientId);
  if (!inboundId) return null;
  const mark = (set: Partial<typeof inboundMessages.$inferInsert>) => tx.update(inboundMessages).set(set).where(eq(inboundMessages.id, inboundId));
  const none = { inboundId, patientId, appointmentId: null, workflowId: null };

  const forLead = async (extra: Partial<RouteResult> = {}): Promise<Decided> => {
    const rec = await recordLeadMessage(tx, {
      clinicId: input.clinicId, phone: input.from, patientId, text: input.text, messageId: input.messageId, receivedAt: input.receivedAt,
      mediaUrls: input.mediaUrls ?? [], profileName: input.profileName ?? null, open: conversation,
    });
    await mark({ workflowId: rec.workflowId });
    return { lead: { outcome: 'lead', ...none, ...extra, workflowId: rec.workflowId, conversationId: rec.conversationId, messageRowId: rec.messageRowId } };
  };

  /** Into the staff's conversation (a detractor's): recorded for them, Anna not told. */
  const forStaff = async (outcome: 'staff' | 'opt_out', extra: Partial<RouteResult> = {}): Promise<Decided> => {
    const rec = await recordLeadMessage(tx, {
      clinicId: input.clinicId, phone: input.from, patientId, text: input.text, messageId: input.messageId, receivedAt: input.receivedAt,
      mediaUrls: input.mediaUrls ?? [], profileName: input.profileName ?? null, open: staffConversation,
    });
    await mark({ outcome });
    return { done: { outcome, ...none, ...extra, conversationId: rec.conversationId } };
  };

  const route = classifyInbound(facts);
  switch (route.to) {
    case 'opt_out': {
      let droppedMarketing = 0;
      if (patientId) {
        ({ droppedMarketing } = await applyOptOut(tx, { clinicId: input.clinicId, patientId, channel: input.channel, at: input.receivedAt, source: input.channel }));
      }
      await mark({ outcome: 'opt_out', error: patientId ? null : 'unknown_patient' });
      // Her open upsell offer and reactivation end now (not at their window's end): they hear the SAIR too.
      const journeys = patientId ? await openMarketingJourneys(tx, input.clinicId, [patientId]) : [];
      const decided: Decided = staffConversation ? await forStaff('opt_out', { droppedMarketing })
        // Talking to Anna: her journey hears it too, and ends the conversation (she stops writing).
        : route.toLead ? await forLead({ outcome: 'opt_out', droppedMarketing })
          : { done: { outcome: 'opt_out', ...none, droppedMarketing } };
      return journeys.length ? { ...decided, optOutJourneys: journeys } : decided;
    }
    case 'spam_quiet':
      await mark({ outcome: 'spam_quiet' });
      return { done: { outcome: 'spam_quiet', ...none } };
    case 'unrouted':
      await mark({ outcome: 'unrouted' });
      return { done: { outcome: 'unrouted', ...none } };
    case 'lead':
      return forLead();
    case 'staff':
      return forStaff('staff');
    case 'nps': {
      const workflowId = npsWorkflowId(survey!.appointmentId);
      await mark({ appointmentId: survey!.appointmentId, workflowId });
      return { reply: { outcome: 'signalled', ...none, appointmentId: survey!.appointmentId, workflowId, surveyId: survey!.id } };
    }
    case 'upsell': {
      await mark({ workflowId: offer!.workflowId });
      return { reply: { outcome: 'signalled', ...none, workflowId: offer!.workflowId } };
    }
    case 'loyalty': {
      const workflowId = loyaltyBalanceWorkflowId(inboundId);
      await mark({ workflowId });
      return { start: { outcome: 'signalled', ...none, workflowId, balance: { clinicId: input.clinicId, patientId: patientId!, channel: input.channel, to: input.from, inboundId } } };
    }
    case 'reactivation': {
      await mark({ workflowId: reactivation!.workflowId });
      return { reply: { outcome: 'signalled', ...none, workflowId: reactivation!.workflowId } };
    }
    case 'appointment': {
      const workflowId = appointmentWorkflowId(appointment!.id);
      await mark({ appointmentId: appointment!.id, workflowId });
      return { reply: { outcome: 'signalled', ...none, appointmentId: appointment!.id, workflowId } };
    }
  }
}

/** After the commit (the journey may read the recorded message): the signal, and what became of it. */
async function deliver(deps: InboundDeps, input: InboundMessageInput, decided: Exclude<Decided, { done: RouteResult } | { start: unknown }>): Promise<{ outcome: InboundOutcome; error?: string }> {
  const timeoutMs = deps.signalTimeoutMs;
  try {
    if ('lead' in decided) {
      const lead = decided.lead;
      await deliverLeadMessage(deps.temporal, {
        clinicId: input.clinicId, phone: input.from, patientId: lead.patientId, profileName: input.profileName ?? null, conversationId: lead.conversationId,
        taskQueue: deps.leadTaskQueue ?? deps.env.TEMPORAL_TASK_QUEUE, searchAttributes: deps.leadSearchAttributes, timeoutMs,
        message: {
          messageRowId: lead.messageRowId ?? '', messageId: input.messageId, text: input.text.slice(0, 4096), receivedAt: input.receivedAt.toISOString(),
          mediaCount: input.mediaUrls?.length ?? 0,
        },
      });
      return { outcome: lead.outcome };
    }
    await deliverPatientReply(deps.temporal, decided.reply.workflowId, {
      text: input.text, channel: input.channel, receivedAt: input.receivedAt.toISOString(), messageId: input.messageId,
    }, timeoutMs);
    return { outcome: 'signalled' };
  } catch (err) {
    const notRunning = 'reply' in decided && isNotRunning(err);
    // The survey's journey is over (expired): a score is still recorded, as a late answer that starts nothing.
    if (notRunning && 'reply' in decided && decided.reply.surveyId) return recordLateAnswer(deps, input, decided.reply.surveyId);
    deps.log.warn({ err, workflowId: result(decided).workflowId, inboundId: result(decided).inboundId }, 'inbound message not delivered to its journey');
    return { outcome: notRunning ? 'journey_not_running' : 'signal_failed', error: errorText(err).slice(0, 500) };
  }
}

async function recordLateAnswer(deps: InboundDeps, input: InboundMessageInput, surveyId: string): Promise<{ outcome: InboundOutcome; error?: string }> {
  const parsed = parseNpsReply(input.text);
  if (parsed.score === null) return { outcome: 'journey_not_running' };
  await withClinic(deps.db, input.clinicId, (tx) => recordScore(tx, { surveyId, score: parsed.score, comment: parsed.comment, via: input.channel, at: input.receivedAt }));
  return { outcome: 'late_answer' };
}
