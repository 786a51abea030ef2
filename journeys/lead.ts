// Anna's lead journey (Temporal workflow `lead:{clinicId}:{phone}`) from outside: an inbound message
// delivered by signalWithStart (the first starts the journey), its live state for the inbox, and the
// staff take-over / hand-back signals. The database is the truth: a query or signal that fails never
// fails the request; it is reported (and logged) instead, and a message left undelivered is found
// again by the redelivery sweep (journeys/redelivery.ts).
import type { Logger } from '../config/logger';
import {
  TASK_QUEUE, WORKFLOW_TYPES, leadMessageSignal, leadStateQuery, leadWorkflowId, staffHandBackSignal, staffTakeoverSignal,
  type LeadJourneyInput, type LeadJourneyState, type LeadMessage, type StaffHandBack, type StaffTakeover,
} from '../workflows/definitions';
import { isNotRunning, journeyAttributes, readJourney, withTimeout, type Client } from './temporal';

/** The whole budget of a state read (describe + query): the inbox never waits longer for Temporal. */
export const LEAD_STATE_TIMEOUT_MS = 2000;
export const LEAD_SIGNAL_TIMEOUT_MS = 3000;

export type JourneyUnavailable = 'no_workflow' | 'journey_not_running';

export interface LeadJourneyView {
  state: LeadJourneyState | null;
  /** Why `state` is null: no workflow id recorded, or the workflow is closed / not found / unreachable. */
  reason: JourneyUnavailable | null;
  /** Temporal's status when known (RUNNING, COMPLETED, TERMINATED…). */
  workflowStatus: string | null;
  /** pt-BR detail for the panel. */
  message: string | null;
}

export async function readLeadJourney(temporal: Client, log: Logger, workflowId: string | null, timeoutMs = LEAD_STATE_TIMEOUT_MS): Promise<LeadJourneyView> {
  if (!workflowId) return { state: null, reason: 'no_workflow', workflowStatus: null, message: 'Esta conversa não tem jornada no Temporal.' };
  const read = await readJourney(temporal, workflowId, leadStateQuery, timeoutMs);
  switch (read.status) {
    case 'answered':
      return { state: read.state, reason: null, workflowStatus: read.workflowStatus, message: null };
    case 'not_found':
      return { state: null, reason: 'journey_not_running', workflowStatus: null, message: 'A jornada da Anna não está rodando para esta conversa.' };
    case 'unreachable':
      log.warn({ err: read.error, workflowId }, 'lead journey describe failed');
      return { state: null, reason: 'journey_not_running', workflowStatus: null, message: 'Não foi possível consultar o Temporal agora.' };
    case 'closed':
      return { state: null, reason: 'journey_not_running', workflowStatus: read.workflowStatus, message: 'A jornada da Anna já terminou para esta conversa.' };
    case 'no_answer':
      log.warn({ err: read.error, workflowId }, 'lead journey query failed');
      return {
        state: null, reason: 'journey_not_running', workflowStatus: read.workflowStatus,
        message: read.timedOut ? 'A jornada não respondeu a tempo (o worker está rodando?).' : 'A jornada não respondeu à consulta.',
      };
  }
}

export type SignalOutcome = 'sent' | 'no_workflow' | 'journey_not_running' | 'failed';

/** Sends the take-over / hand-back to the journey; never throws. */
export async function signalLeadJourney(
  temporal: Client, log: Logger, workflowId: string | null,
  which: 'takeover' | 'handback', payload: StaffTakeover | StaffHandBack,
): Promise<SignalOutcome> {
  if (!workflowId) return 'no_workflow';
  try {
    const handle = temporal.workflow.getHandle(workflowId);
    await withTimeout(LEAD_SIGNAL_TIMEOUT_MS, () =>
      which === 'takeover' ? handle.signal(staffTakeoverSignal, payload) : handle.signal(staffHandBackSignal, payload));
    return 'sent';
  } catch (err) {
    if (isNotRunning(err)) {
      log.info({ workflowId, which }, 'lead journey not running; staff change recorded in the database only');
      return 'journey_not_running';
    }
    log.error({ err, workflowId, which }, 'lead journey signal failed; staff change recorded in the database only');
    return 'failed';
  }
}

/** How long delivering one inbound message may take before it is left for the redelivery sweep. */
export const LEAD_DELIVERY_TIMEOUT_MS = 5000;

/** signalWithStart: the first message starts the journey, later ones are signals to it (a repeated id is ignored there). */
export async function deliverLeadMessage(temporal: Client, input: {
  clinicId: string; phone: string; patientId: string | null; profileName: string | null; conversationId: string;
  message: LeadMessage; taskQueue?: string; timeoutMs?: number;
  /** false where the server has no custom search attributes (the time-skipping test server). */
  searchAttributes?: boolean;
}) {
  const args: LeadJourneyInput = {
    clinicId: input.clinicId, phone: input.phone, conversationId: input.conversationId, patientId: input.patientId, profileName: input.profileName,
  };
  await withTimeout(input.timeoutMs ?? LEAD_DELIVERY_TIMEOUT_MS, () => temporal.workflow.signalWithStart(WORKFLOW_TYPES.lead, {
    workflowId: leadWorkflowId(input.clinicId, input.phone),
    taskQueue: input.taskQueue ?? TASK_QUEUE,
    args: [args],
    signal: leadMessageSignal,
    signalArgs: [{ ...input.message, conversationId: input.conversationId }],
    ...(input.searchAttributes === false ? {} : {
      typedSearchAttributes: journeyAttributes('lead', { clinicId: input.clinicId, patientId: input.patientId ?? undefined }),
    }),
  }));
}
