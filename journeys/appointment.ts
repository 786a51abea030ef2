// The appointment journeys (workflow id `appointment:{id}`) driven from the database.
//
// Delivery rule: the database is the truth and the journey follows it. Every write that should reach
// the journey sets `appointments.journey_sync_pending_since` in its own transaction (`journeySyncPending`),
// then, after the commit, calls one of the operations below. An operation reads the committed row and
// sends it to the workflow; on success it clears the marker (only if no newer change re-set it). When
// Temporal cannot be reached the marker stays (with the error), and a retry loop re-sends the row's
// current state later (journeys/redelivery.ts, which also re-sends failed patient replies): the signals
// are idempotent, so sending the latest state is always safe, and a crash between commit and signal
// leaves the marker behind for the sweep to find. Sends for one
// appointment take turns (advisory lock), so an older state never overtakes a newer one.
import { sql, and, eq, isNotNull, asc } from 'drizzle-orm';
import type { Logger } from '../config/logger';
import type { Db, Tx } from '../db/client';
import { appointments } from '../db/schema';
import { isOpen, type AppointmentStatusName } from '../domain/appointment-status';
import {
  TASK_QUEUE, WORKFLOW_TYPES, appointmentWorkflowId, cancelSignal, journeyStateQuery, rescheduleSignal, statusChangedSignal,
  type AppointmentJourneyInput, type AppointmentJourneyState,
} from '../workflows/definitions';
import { createRedelivery, errorText, resendFailedReplies } from './redelivery';
import { isNotRunning, journeyAttributes, readJourney, withTimeout, type Client } from './temporal';

export interface JourneyDeps {
  db: Db;
  temporal: Client;
  log: Logger;
}

export interface JourneyOptions {
  /** How long one Temporal call may take before the change is left for the retry loop. */
  timeoutMs?: number;
  /** Task queue of the journeys (tests use their own). */
  taskQueue?: string;
  /** First retry delay after a failure; doubles up to maxRetryDelayMs. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Delay of the sweep armed at start-up (picks up markers left by a crash); null = none. */
  startupSweepMs?: number | null;
  /** false on the time-skipping test server (no custom search attributes) for re-sent lead messages. */
  searchAttributes?: boolean;
}

/** What happened to one journey call; the API never fails a request because of it. */
export type JourneySync =
  | { ok: true; sent: 'start' | 'reschedule' | 'status' | 'cancel' | 'nothing' }
  | { ok: false; pending: true; error: string }
  | { ok: false; pending: false; error: 'appointment_not_found' };

export interface AppointmentJourney {
  // Each operation sends the appointment's committed row (the arguments say what the caller changed;
  // the row wins if a later change already landed), so call them after the transaction commits.
  /** A new appointment: start its journey (or, if it already runs, bring it up to date). */
  start(appointment: { id: string }): Promise<JourneySync>;
  /** The appointment moved: the journey's deadlines move (it is started if it was never reached). */
  reschedule(appointmentId: string, newStartsAt: Date): Promise<JourneySync>;
  /** The appointment was cancelled: the journey ends (nothing to do if it never started). */
  cancel(appointmentId: string, reason: string): Promise<JourneySync>;
  /** confirmado keeps the journey going; realizado / no_show / cancelado end it. */
  statusChanged(appointmentId: string, status: AppointmentStatusName): Promise<JourneySync>;
  /** Re-sends every appointment whose journey missed a change (oldest first); the redelivery sweep calls it. */
  syncPending(limit?: number): Promise<{ synced: number; failed: number; remaining: boolean }>;
  /** Something was left for the sweep (e.g. a patient reply whose signal failed): run it soon. */
  redeliverSoon(): void;
  /** Stops the sweep's timer (tests, shutdown). */
  dispose(): void;
}

/**
 * Drizzle `set`/`values` fragment for a write that the journey must hear about; spread it into the
 * same INSERT/UPDATE as the change: `{ ...changes, ...journeySyncPending() }`.
 */
export function journeySyncPending() {
  return { journeySyncPendingSince: sql`clock_timestamp()` as unknown as Date, journeySyncError: null };
}

type Intent = 'start' | 'reschedule' | 'status' | 'cancel' | 'resync';

interface Row {
  id: string;
  clinicId: string;
  patientId: string;
  professionalId: string;
  startsAt: Date;
  durationMinutes: number;
  status: AppointmentStatusName;
  cancelReason: string | null;
  /** The marker exactly as PostgreSQL prints it (microseconds kept), or null. */
  marker: string | null;
}

const instances = new WeakMap<Client, AppointmentJourney>();

/** The journey driver for these deps: one per Temporal client, so every route shares its retry loop. */
export function appointmentJourney(deps: JourneyDeps, opts: JourneyOptions = {}): AppointmentJourney {
  let journey = instances.get(deps.temporal);
  if (!journey) {
    journey = createAppointmentJourney(deps, opts);
    instances.set(deps.temporal, journey);
  }
  return journey;
}

export function createAppointmentJourney(deps: JourneyDeps, opts: JourneyOptions = {}): AppointmentJourney {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const taskQueue = opts.taskQueue ?? TASK_QUEUE;
  const log = deps.log.child({ module: 'journeys' });

  async function load(tx: Tx, appointmentId: string): Promise<Row | null> {
    const [row] = await tx
      .select({
        id: appointments.id, clinicId: appointments.clinicId, patientId: appointments.patientId, professionalId: appointments.professionalId,
        startsAt: appointments.startsAt, durationMinutes: appointments.durationMinutes, status: appointments.status,
        cancelReason: appointments.cancelReason, marker: sql<string | null>`${appointments.journeySyncPendingSince}::text`,
      })
      .from(appointments)
      .where(eq(appointments.id, appointmentId));
    return row ?? null;
  }

  function input(row: Row): AppointmentJourneyInput {
    return {
      clinicId: row.clinicId, patientId: row.patientId, appointmentId: row.id, professionalId: row.professionalId,
      startsAt: row.startsAt.toISOString(), durationMinutes: row.durationMinutes, status: row.status,
    };
  }

  /** Keeps the journey alive and up to date, starting it when it does not run. */
  function signalWithStart(row: Row, signal: 'reschedule' | 'statusChanged') {
    const common = {
      workflowId: appointmentWorkflowId(row.id),
      taskQueue,
      args: [input(row)] as [AppointmentJourneyInput],
      typedSearchAttributes: journeyAttributes('appointment', { clinicId: row.clinicId, patientId: row.patientId, appointmentId: row.id }),
    };
    return signal === 'reschedule'
      ? deps.temporal.workflow.signalWithStart(WORKFLOW_TYPES.appointment, {
        ...common, signal: rescheduleSignal,
        signalArgs: [{ startsAt: row.startsAt.toISOString(), professionalId: row.professionalId, durationMinutes: row.durationMinutes }],
      })
      : deps.temporal.workflow.signalWithStart(WORKFLOW_TYPES.appointment, { ...common, signal: statusChangedSignal, signalArgs: [{ status: row.status }] });
  }

  /** Signals a journey that is meant to end; one that never started or already ended needs nothing. */
  async function signalEnding(row: Row): Promise<'cancel' | 'status' | 'nothing'> {
    const handle = deps.temporal.workflow.getHandle(appointmentWorkflowId(row.id));
    try {
      if (row.status === 'cancelado') await handle.signal(cancelSignal, { reason: row.cancelReason ?? '' });
      else await handle.signal(statusChangedSignal, { status: row.status });
      return row.status === 'cancelado' ? 'cancel' : 'status';
    } catch (err) {
      if (isNotRunning(err)) return 'nothing';
      throw err;
    }
  }

  /** Sends the row's state; the intent only picks the cheapest way to say it. */
  async function send(row: Row, intent: Intent): Promise<'start' | 'reschedule' | 'status' | 'cancel' | 'nothing'> {
    if (!isOpen(row.status)) return signalEnding(row);
    if (intent === 'start') {
      await signalWithStart(row, 'statusChanged');
      return 'start';
    }
    if (intent === 'status') {
      await signalWithStart(row, 'statusChanged');
      return 'status';
    }
    // reschedule, and a resync of an open appointment: the time first (which also starts a missing
    // journey), then the status, since a moved appointment is agendado again until confirmed.
    await signalWithStart(row, 'reschedule');
    if (intent === 'resync' && row.status !== 'agendado') await signalWithStart(row, 'statusChanged');
    return 'reschedule';
  }

  /**
   * Sends one appointment's committed state. Senders of one appointment take turns (a transaction-level
   * advisory lock, so also across API processes) and each reads the row after its turn comes: a stale
   * state can never overtake a newer one (e.g. a late "reschedule" restarting a journey just cancelled).
   * Writers never wait for Temporal: they only touch the row, not this lock.
   */
  async function sync(appointmentId: string, intent: Intent): Promise<JourneySync> {
    try {
      return await deps.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`appointment-journey:${appointmentId}`}, 0))`);
        const row = await load(tx, appointmentId);
        if (!row) return { ok: false, pending: false, error: 'appointment_not_found' } as const;
        try {
          const sent = await withTimeout(timeoutMs, () => send(row, intent), deps.temporal);
          // Clear only the marker just honoured: a change committed meanwhile set a newer one, which stays.
          if (row.marker !== null) {
            await tx.update(appointments)
              .set({ journeySyncPendingSince: null, journeySyncError: null })
              .where(and(eq(appointments.id, row.id), sql`${appointments.journeySyncPendingSince} = ${row.marker}::timestamptz`));
          }
          return { ok: true, sent } as const;
        } catch (err) {
          const error = errorText(err);
          log.warn({ err, appointmentId, intent }, 'journey sync failed; will retry');
          await tx.update(appointments)
            .set({ journeySyncPendingSince: sql`coalesce(${appointments.journeySyncPendingSince}, clock_timestamp())`, journeySyncError: error.slice(0, 500) })
            .where(eq(appointments.id, row.id));
          redelivery.kick();
          return { ok: false, pending: true, error } as const;
        }
      });
    } catch (err) {
      // The database itself failed: the writer's marker (if any) is still there for the retry loop.
      log.error({ err, appointmentId, intent }, 'journey sync: database error');
      redelivery.kick();
      return { ok: false, pending: true, error: errorText(err) };
    }
  }

  async function syncPending(limit = 100) {
    const rows = await deps.db
      .select({ id: appointments.id })
      .from(appointments)
      .where(isNotNull(appointments.journeySyncPendingSince))
      .orderBy(asc(appointments.journeySyncPendingSince))
      .limit(limit);
    let synced = 0;
    let failed = 0;
    for (const { id } of rows) {
      const r = await sync(id, 'resync');
      if (r.ok) synced++;
      else if (r.pending) failed++;
      // A Temporal outage fails every call the same way: stop early and wait for the next round.
      if (failed >= 3 && synced === 0) break;
    }
    return { synced, failed, remaining: failed > 0 || rows.length === limit };
  }

  const redelivery = createRedelivery([
    { name: 'appointments', run: () => syncPending() },
    {
      name: 'replies',
      run: () => resendFailedReplies({ db: deps.db, temporal: deps.temporal, log, taskQueue, searchAttributes: opts.searchAttributes }),
    },
  ], log, { firstDelayMs: opts.retryDelayMs, maxDelayMs: opts.maxRetryDelayMs, startupSweepMs: opts.startupSweepMs });

  return {
    start: (appointment) => sync(appointment.id, 'start'),
    reschedule: (appointmentId, _newStartsAt) => sync(appointmentId, 'reschedule'),
    cancel: (appointmentId, _reason) => sync(appointmentId, 'cancel'),
    statusChanged: (appointmentId, _status) => sync(appointmentId, 'status'),
    syncPending,
    redeliverSoon: () => redelivery.kick(),
    dispose: () => redelivery.dispose(),
  };
}

/** The dashboard's view of one appointment's journey: Temporal's status and the journey's own state. */
export interface AppointmentJourneyRead {
  running: boolean;
  workflowStatus: string | null;
  state: AppointmentJourneyState | null;
  /** Why the state is missing although the workflow may exist (pt-BR). */
  stateError: string | null;
}

/** The whole budget of a read (describe, then query): the drawer never waits longer for Temporal. */
export const JOURNEY_READ_TIMEOUT_MS = 4000;

export async function readAppointmentJourney(temporal: Client, log: Logger, appointmentId: string): Promise<AppointmentJourneyRead> {
  const workflowId = appointmentWorkflowId(appointmentId);
  const read = await readJourney(temporal, workflowId, journeyStateQuery, JOURNEY_READ_TIMEOUT_MS, { queryClosed: true });
  switch (read.status) {
    case 'answered':
      return { running: read.workflowStatus === 'RUNNING', workflowStatus: read.workflowStatus, state: read.state, stateError: null };
    case 'not_found':
      return { running: false, workflowStatus: null, state: null, stateError: null };
    case 'unreachable':
      log.warn({ err: read.error, workflowId }, 'journey describe failed');
      return { running: false, workflowStatus: null, state: null, stateError: 'Não foi possível consultar o Temporal agora.' };
    case 'closed':
      return { running: false, workflowStatus: read.workflowStatus, state: null, stateError: null };
    case 'no_answer':
      log.warn({ err: read.error, workflowId }, 'journey query failed');
      return {
        running: read.workflowStatus === 'RUNNING', workflowStatus: read.workflowStatus, state: null,
        stateError: read.timedOut ? 'A jornada não respondeu a tempo (o worker está rodando?).' : 'A jornada não respondeu à consulta.',
      };
  }
}
