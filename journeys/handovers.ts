// Journeys started from outside a workflow besides the appointment and lead ones: the NPS hand-over
// after a visit, an on-demand Google Calendar sync, an on-demand metrics rollup; and the payment signal
// to the journey waiting for the money.
import {
  NPS_WORKFLOW_TYPE, TASK_QUEUE, WORKFLOW_TYPES, calendarSyncWorkflowId, dailyMetricsWorkflowId, npsWorkflowId, paymentReceivedSignal,
  loyaltyBalanceWorkflowId, type LoyaltyBalanceInput, type PaymentReceived, type ReactivationJourneyInput, type UpsellJourneyInput,
} from '../workflows/definitions';
import type { CalendarSyncInput } from '../workflows/calendarSync';
import { WorkflowIdReusePolicy, type WorkflowClient } from '@temporalio/client';
import type { Logger } from '../config/logger';
import { isAlreadyStarted, isNotRunning, journeyAttributes, type Client } from './temporal';

/** Realizado: starts `nps:{appointmentId}` after the clinic's delay; once only (a second start is a no-op). */
export async function startNpsJourney(temporal: { workflow: Pick<WorkflowClient, 'start'> }, input: {
  clinicId: string; patientId: string; appointmentId: string; delayHours: number; taskQueue?: string; searchAttributes?: boolean;
}): Promise<{ started: boolean }> {
  try {
    await temporal.workflow.start(NPS_WORKFLOW_TYPE, {
      workflowId: npsWorkflowId(input.appointmentId),
      taskQueue: input.taskQueue ?? TASK_QUEUE,
      args: [{ clinicId: input.clinicId, patientId: input.patientId, appointmentId: input.appointmentId }],
      startDelay: `${input.delayHours}h`,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      ...(input.searchAttributes === false ? {} : { typedSearchAttributes: journeyAttributes('nps', input) }),
    });
    return { started: true };
  } catch (err) {
    if (isAlreadyStarted(err)) return { started: false };
    throw err;
  }
}

/** A promoter's NPS: starts `upsell:{patientId}:{n}` for the reserved offer row; once only. */
export async function startUpsellJourney(temporal: { workflow: Pick<WorkflowClient, 'start'> }, input: UpsellJourneyInput & {
  workflowId: string; taskQueue?: string; searchAttributes?: boolean;
}): Promise<{ started: boolean }> {
  try {
    await temporal.workflow.start(WORKFLOW_TYPES.upsell, {
      workflowId: input.workflowId,
      taskQueue: input.taskQueue ?? TASK_QUEUE,
      args: [{ clinicId: input.clinicId, patientId: input.patientId, offerId: input.offerId, ...(input.surveyId ? { surveyId: input.surveyId } : {}) } satisfies UpsellJourneyInput],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      ...(input.searchAttributes === false ? {} : { typedSearchAttributes: journeyAttributes('upsell', { clinicId: input.clinicId, patientId: input.patientId }) }),
    });
    return { started: true };
  } catch (err) {
    if (isAlreadyStarted(err)) return { started: false };
    throw err;
  }
}

/** A contacted patient of the day's sweep: starts `reactivation:{patientId}:{n}` for her target row; once only. */
export async function startReactivationJourney(temporal: { workflow: Pick<WorkflowClient, 'start'> }, input: ReactivationJourneyInput & {
  workflowId: string; taskQueue?: string; searchAttributes?: boolean;
}): Promise<{ started: boolean }> {
  try {
    await temporal.workflow.start(WORKFLOW_TYPES.reactivation, {
      workflowId: input.workflowId,
      taskQueue: input.taskQueue ?? TASK_QUEUE,
      args: [{ clinicId: input.clinicId, patientId: input.patientId, targetId: input.targetId } satisfies ReactivationJourneyInput],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      ...(input.searchAttributes === false ? {} : { typedSearchAttributes: journeyAttributes('reactivation', { clinicId: input.clinicId, patientId: input.patientId }) }),
    });
    return { started: true };
  } catch (err) {
    if (isAlreadyStarted(err)) return { started: false };
    throw err;
  }
}

/** "saldo" on WhatsApp: the short journey that answers it, once per inbound message. */
export async function startLoyaltyBalanceReply(temporal: { workflow: Pick<WorkflowClient, 'start'> }, input: LoyaltyBalanceInput & { taskQueue?: string }): Promise<{ started: boolean }> {
  const { taskQueue, ...args } = input;
  try {
    await temporal.workflow.start(WORKFLOW_TYPES.loyaltyBalance, {
      workflowId: loyaltyBalanceWorkflowId(input.inboundId), taskQueue: taskQueue ?? TASK_QUEUE, args: [args],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
    return { started: true };
  } catch (err) {
    if (isAlreadyStarted(err)) return { started: false };
    throw err;
  }
}

/** One sync per professional at a time: a burst of notifications joins the running one. */
export async function startCalendarSync(temporal: Client, input: { professionalId: string; clinicId: string; reason: CalendarSyncInput['reason']; taskQueue: string }) {
  const workflowId = calendarSyncWorkflowId(input.professionalId);
  await temporal.workflow.start(WORKFLOW_TYPES.calendarSync, {
    workflowId,
    taskQueue: input.taskQueue,
    args: [{ professionalIds: [input.professionalId], reason: input.reason } satisfies CalendarSyncInput],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: journeyAttributes('calendar-sync', { clinicId: input.clinicId }),
  });
  return workflowId;
}

/** Recomputes one clinic's daily metrics now; waits up to `waitMs` for the rows (null: still running). */
export async function refreshDailyMetrics(temporal: Client, input: { clinicId: string; at: Date; taskQueue: string; waitMs: number }) {
  const workflowId = dailyMetricsWorkflowId(input.clinicId, input.at);
  const handle = await temporal.workflow.start(WORKFLOW_TYPES.dailyMetrics, {
    workflowId, taskQueue: input.taskQueue, args: [{ clinicId: input.clinicId }],
    workflowIdConflictPolicy: 'USE_EXISTING', workflowExecutionTimeout: '10 minutes',
    typedSearchAttributes: journeyAttributes('daily-metrics', { clinicId: input.clinicId }),
  });
  return {
    workflowId,
    /** Resolves with the rollup's result, or null when it takes longer than waitMs. */
    done: () => Promise.race([
      handle.result() as Promise<{ rows: number; asOf: string }>,
      new Promise<null>((r) => setTimeout(r, input.waitMs, null).unref()),
    ]),
  };
}

/**
 * Tells the journey waiting for the money (the appointment's `appointment:{id}`, or the lead's
 * `lead:{clinicId}:{phone}` for a deposit asked before booking) that it arrived; a journey that is not running is fine.
 */
export async function signalPaymentReceived(temporal: Client, log: Logger, workflowId: string, payload: PaymentReceived) {
  try {
    await temporal.workflow.getHandle(workflowId).signal(paymentReceivedSignal, payload);
  } catch (err) {
    if (isNotRunning(err)) return;
    log.warn({ err, workflowId }, 'paymentReceived signal not delivered');
  }
}
