// The appointment journey: one workflow per appointment that sleeps until each step of its timeline,
// follows reschedules (the deadline moves), and ends on cancel, completion or no-show.
// Reminders are not sent yet: issue #4 adds the messages at the reminder steps (see `reachStep`).
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  cancelSignal, journeyStateQuery, rescheduleSignal, statusChangedSignal,
  type AppointmentJourneyEnd, type AppointmentJourneyInput, type AppointmentJourneyResult, type AppointmentJourneyState,
  type AppointmentJourneyStep,
} from './definitions';

const HOUR = 60 * 60 * 1000;
/** How long after the visit ends the journey waits for realizado / no_show before giving up. */
export const OUTCOME_WAIT_MS = 7 * 24 * HOUR;

/** The timeline for one appointment time, in order. */
export function journeyTimeline(startsAt: string, durationMinutes: number): { step: AppointmentJourneyStep; at: number }[] {
  const start = Date.parse(startsAt);
  return [
    { step: 'reminder_24h', at: start - 24 * HOUR },
    { step: 'reminder_2h', at: start - 2 * HOUR },
    { step: 'outcome_deadline', at: start + durationMinutes * 60_000 + OUTCOME_WAIT_MS },
  ];
}

/**
 * The next step not yet reached. A reminder whose time had already passed when the appointment was
 * booked (or moved) is skipped rather than sent late; the outcome deadline is never skipped.
 */
function nextStep(state: { startsAt: string; durationMinutes: number }, done: Set<AppointmentJourneyStep>, now: number) {
  for (const s of journeyTimeline(state.startsAt, state.durationMinutes)) {
    if (done.has(s.step)) continue;
    if (s.step !== 'outcome_deadline' && s.at <= now) {
      done.add(s.step);
      continue;
    }
    return s;
  }
  return null;
}

function endFor(status: AppointmentJourneyInput['status']): AppointmentJourneyEnd | null {
  if (status === 'cancelado') return 'cancelled';
  if (status === 'realizado') return 'completed';
  if (status === 'no_show') return 'no_show';
  return null;
}

export async function appointmentJourney(input: AppointmentJourneyInput): Promise<AppointmentJourneyResult> {
  const state = {
    startsAt: input.startsAt,
    durationMinutes: input.durationMinutes,
    professionalId: input.professionalId,
    status: input.status,
  };
  const done = new Set<AppointmentJourneyStep>(input.doneSteps ?? []);
  /** Bumped by every reschedule: a wait in progress re-reads its deadline (the samples' updatable timer). */
  let timelineVersion = 0;
  let ended: AppointmentJourneyEnd | null = endFor(input.status);
  let cancelReason: string | undefined;
  let current: { step: AppointmentJourneyStep; at: number } | null = null;

  setHandler(rescheduleSignal, (move) => {
    if (ended) return;
    if (move.professionalId) state.professionalId = move.professionalId;
    const startsAt = new Date(move.startsAt).toISOString();
    const durationMinutes = move.durationMinutes ?? state.durationMinutes;
    if (startsAt !== new Date(state.startsAt).toISOString() || durationMinutes !== state.durationMinutes) {
      state.startsAt = startsAt;
      state.durationMinutes = durationMinutes;
      state.status = 'agendado'; // a confirmation was for the old time (the API resets the row too)
      done.clear(); // a new time gets its own reminders
      timelineVersion++;
    }
  });
  setHandler(cancelSignal, ({ reason }) => {
    if (ended) return;
    state.status = 'cancelado';
    cancelReason = reason;
    ended = 'cancelled';
  });
  setHandler(statusChangedSignal, ({ status }) => {
    if (ended) return;
    state.status = status;
    ended = endFor(status);
  });
  setHandler(journeyStateQuery, (): AppointmentJourneyState => ({
    appointmentId: input.appointmentId,
    startsAt: state.startsAt,
    status: state.status,
    nextStep: ended || !current ? null : { step: current.step, at: new Date(current.at).toISOString() },
    ended,
  }));

  while (!ended) {
    // Date.now() inside a workflow is the sandbox's deterministic clock (the workflow task's time).
    current = nextStep(state, done, Date.now());
    if (!current) break;
    const version = timelineVersion;
    const wait = current.at - Date.now();
    const interrupted = wait > 0 && (await condition(() => ended !== null || timelineVersion !== version, wait));
    if (ended) break;
    if (interrupted || timelineVersion !== version) continue; // rescheduled: recompute the next step
    reachStep(current.step);
    done.add(current.step);
    if (current.step === 'outcome_deadline') {
      ended = 'outcome_missing';
      break;
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof appointmentJourney>({ ...input, ...state, doneSteps: [...done] });
    }
  }
  current = null;
  await condition(allHandlersFinished);
  return {
    appointmentId: input.appointmentId,
    ended: ended ?? 'outcome_missing',
    status: state.status,
    startsAt: state.startsAt,
    ...(cancelReason ? { cancelReason } : {}),
  };
}

/** Where each step's work goes. Nothing is sent yet: the reminders issue (#4) fills this in. */
function reachStep(_step: AppointmentJourneyStep): void {}
