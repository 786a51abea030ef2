// The lead journey (Temporal workflow `lead:{clinicId}:{phone}`) as the inbox sees it: its live state
// through `leadStateQuery`, and the staff take-over / hand-back signals. The database is the truth:
// a query or signal that fails never fails the request; it is reported (and logged) instead.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { temporalUiUrl, type Env } from '../config/env';
import type { Logger } from '../config/logger';
import {
  leadStateQuery, staffHandBackSignal, staffTakeoverSignal, type LeadJourneyState, type StaffHandBack, type StaffTakeover,
} from '../workflows/definitions';

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

class Timeout extends Error {
  constructor() {
    super('timeout');
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout()), Math.max(1, ms));
    timer.unref?.();
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export function temporalWorkflowUrl(env: Env, workflowId: string): string {
  return `${temporalUiUrl(env).replace(/\/$/, '')}/namespaces/${encodeURIComponent(env.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(workflowId)}`;
}

export async function readLeadJourney(temporal: Client, log: Logger, workflowId: string | null, timeoutMs = LEAD_STATE_TIMEOUT_MS): Promise<LeadJourneyView> {
  if (!workflowId) return { state: null, reason: 'no_workflow', workflowStatus: null, message: 'Esta conversa não tem jornada no Temporal.' };
  const deadline = Date.now() + timeoutMs;
  const handle = temporal.workflow.getHandle(workflowId);
  let workflowStatus: string | null = null;
  try {
    const d = await withTimeout(handle.describe(), deadline - Date.now());
    workflowStatus = d.status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      return { state: null, reason: 'journey_not_running', workflowStatus: null, message: 'A jornada da Anna não está rodando para esta conversa.' };
    }
    log.warn({ err, workflowId }, 'lead journey describe failed');
    return { state: null, reason: 'journey_not_running', workflowStatus: null, message: 'Não foi possível consultar o Temporal agora.' };
  }
  if (workflowStatus !== 'RUNNING') {
    return { state: null, reason: 'journey_not_running', workflowStatus, message: 'A jornada da Anna já terminou para esta conversa.' };
  }
  try {
    const state = await withTimeout(handle.query(leadStateQuery), deadline - Date.now());
    return { state, reason: null, workflowStatus, message: null };
  } catch (err) {
    log.warn({ err, workflowId }, 'lead journey query failed');
    return {
      state: null, reason: 'journey_not_running', workflowStatus,
      message: err instanceof Timeout ? 'A jornada não respondeu a tempo (o worker está rodando?).' : 'A jornada não respondeu à consulta.',
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
    await withTimeout(
      which === 'takeover' ? handle.signal(staffTakeoverSignal, payload) : handle.signal(staffHandBackSignal, payload),
      LEAD_SIGNAL_TIMEOUT_MS,
    );
    return 'sent';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      log.info({ workflowId, which }, 'lead journey not running; staff change recorded in the database only');
      return 'journey_not_running';
    }
    log.error({ err, workflowId, which }, 'lead journey signal failed; staff change recorded in the database only');
    return 'failed';
  }
}
