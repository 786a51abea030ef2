// What every Temporal call outside a workflow shares: the connection, one timeout rule, the errors
// that mean "not running" or "already started", and the search attributes operators filter by.
import { Client, Connection, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { QueryDefinition, SearchAttributePair } from '@temporalio/common';
import { temporalUiUrl, type Env } from '../config/env';
import { temporalConnectionOptions } from '../config/temporal';
import { AppointmentId, ClinicId, JourneyKind, PatientId, type JourneyKindName } from '../workflows/definitions';

export type { Client } from '@temporalio/client';

/** A lazy client (the process starts while Temporal is still coming up) and a health probe. */
export function connectTemporal(env: Env) {
  const connection = Connection.lazy(temporalConnectionOptions(env));
  const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
  return {
    client,
    /** Resolves true when the server answers within the budget; rejects otherwise. */
    healthy: (timeoutMs = 2000) =>
      connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({})).then(() => true),
    close: () => connection.close(),
  };
}

/** Temporal did not answer within the caller's budget. */
export class TemporalTimeout extends Error {
  constructor(ms: number) {
    super(`Temporal did not answer within ${ms} ms`);
    this.name = 'TemporalTimeout';
  }
}

/**
 * The one timeout rule: the call gets a gRPC deadline when a client is given (so the server stops too)
 * and a timer in any case (a lazy connection that cannot connect would otherwise wait for its own retries).
 */
export async function withTimeout<T>(ms: number, work: () => Promise<T>, client?: Client): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const budget = Math.max(1, ms);
  const call = client ? client.withDeadline(Date.now() + budget, work) : work();
  try {
    return await Promise.race([
      call,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TemporalTimeout(budget)), budget + (client ? 250 : 0));
        timer.unref?.();
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export const isNotRunning = (err: unknown) => err instanceof WorkflowNotFoundError;
export const isAlreadyStarted = (err: unknown) => err instanceof WorkflowExecutionAlreadyStartedError;

/** The search attributes of a journey, for the Temporal Web UI's filters. */
export function journeyAttributes(kind: JourneyKindName | 'calendar-sync', ids: { clinicId?: string; patientId?: string; appointmentId?: string }): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [{ key: JourneyKind, value: kind }];
  if (ids.clinicId) pairs.push({ key: ClinicId, value: ids.clinicId });
  if (ids.patientId) pairs.push({ key: PatientId, value: ids.patientId });
  if (ids.appointmentId) pairs.push({ key: AppointmentId, value: ids.appointmentId });
  return pairs;
}

/** Where an operator opens one journey in the Temporal Web UI. */
export function temporalWorkflowUrl(env: Env, workflowId: string): string {
  return `${temporalUiUrl(env).replace(/\/$/, '')}/namespaces/${encodeURIComponent(env.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** The state a journey answers to its query, or why there is none; a read never throws. */
export type JourneyRead<S> =
  | { status: 'answered'; workflowStatus: string; state: S }
  | { status: 'not_found'; workflowStatus: null }
  | { status: 'closed'; workflowStatus: string }
  | { status: 'unreachable'; workflowStatus: null; error: unknown }
  | { status: 'no_answer'; workflowStatus: string; timedOut: boolean; error: unknown };

/**
 * Describe, then query the journey, within one budget for both. A closed journey is queried only with
 * `queryClosed` (Temporal answers from its history while a worker is up).
 */
export async function readJourney<S>(
  temporal: Client, workflowId: string, query: QueryDefinition<S>, timeoutMs: number, opts: { queryClosed?: boolean } = {},
): Promise<JourneyRead<S>> {
  const deadline = Date.now() + timeoutMs;
  const handle = temporal.workflow.getHandle(workflowId);
  let workflowStatus: string;
  try {
    workflowStatus = (await withTimeout(deadline - Date.now(), () => handle.describe())).status.name;
  } catch (err) {
    if (isNotRunning(err)) return { status: 'not_found', workflowStatus: null };
    return { status: 'unreachable', workflowStatus: null, error: err };
  }
  if (workflowStatus !== 'RUNNING' && !opts.queryClosed) return { status: 'closed', workflowStatus };
  try {
    const state = await withTimeout(deadline - Date.now(), () => handle.query(query));
    return { status: 'answered', workflowStatus, state };
  } catch (err) {
    return { status: 'no_answer', workflowStatus, timedOut: err instanceof TemporalTimeout, error: err };
  }
}
