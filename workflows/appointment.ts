// The appointment journey: one workflow per appointment that sleeps until each step of its timeline
// (T-24h WhatsApp reminder with signed links; T-2h SMS + e-mail backup and, if still unconfirmed, a
// WhatsApp with the map; after the visit + the clinic's grace period, an automatic no-show), follows
// reschedules (the deadlines move), applies the patient's "1"/"2" replies, and ends on cancel,
// completion (handing over to the NPS journey) or no-show.
import {
  allHandlersFinished, condition, continueAsNew, log, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { AppointmentActivities, ReminderOutcome } from '../activities/appointment';
import { interpretReply } from '../domain/reply-intent';
import {
  cancelSignal, journeyStateQuery, patientReplySignal, rescheduleSignal, statusChangedSignal,
  type AppointmentJourneyEnd, type AppointmentJourneyInput, type AppointmentJourneyResult, type AppointmentJourneyState,
  type AppointmentJourneyStep, type JourneyAnswer, type JourneySentMessage,
} from './definitions';
import { DEFAULT_NO_SHOW_GRACE_MINUTES } from '../domain/clinic-settings';

const HOUR = 60 * 60 * 1000;
/** Minutes after the visit ends before an unmarked appointment becomes no_show, until the clinic's setting is read. */
export { DEFAULT_NO_SHOW_GRACE_MINUTES };

// MessageRejected: the provider refused the message (4xx, missing WhatsApp template): retrying can't help.
const NON_RETRYABLE = ['MessagingNotConfigured', 'TemporalNotConfigured', 'AppointmentNotFound', 'MessageRejected'];

/** Messages: retried for about 40 minutes (the sender's idempotency key makes a retry safe), then the step is recorded as failed. */
const { sendAppointmentReminder } = proxyActivities<Pick<AppointmentActivities, 'sendAppointmentReminder'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 12, nonRetryableErrorTypes: NON_RETRYABLE },
});
/** Database and Temporal bookkeeping. */
const {
  applyPatientAnswer, loadAppointmentJourneySettings, markNoShowIfUnmarked, notifyClinic, startNpsJourney,
} = proxyActivities<Pick<AppointmentActivities,
  'applyPatientAnswer' | 'loadAppointmentJourneySettings' | 'markNoShowIfUnmarked' | 'notifyClinic' | 'startNpsJourney'
>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20, nonRetryableErrorTypes: NON_RETRYABLE },
});

/** The timeline for one appointment time, in order. */
export function journeyTimeline(startsAt: string, durationMinutes: number, graceMinutes = DEFAULT_NO_SHOW_GRACE_MINUTES): { step: AppointmentJourneyStep; at: number }[] {
  const start = Date.parse(startsAt);
  return [
    { step: 'reminder_24h', at: start - 24 * HOUR },
    { step: 'reminder_2h', at: start - 2 * HOUR },
    { step: 'outcome_deadline', at: start + durationMinutes * 60_000 + graceMinutes * 60_000 },
  ];
}

/**
 * The next step not yet reached. A reminder whose time had already passed when the appointment was
 * booked (or moved) is skipped rather than sent late; the outcome deadline is never skipped.
 */
function nextStep(state: { startsAt: string; durationMinutes: number }, done: Set<AppointmentJourneyStep>, now: number, grace: number) {
  for (const s of journeyTimeline(state.startsAt, state.durationMinutes, grace)) {
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

const errorText = (err: unknown) => (err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err));

export async function appointmentJourney(input: AppointmentJourneyInput): Promise<AppointmentJourneyResult> {
  const state = {
    startsAt: input.startsAt,
    durationMinutes: input.durationMinutes,
    professionalId: input.professionalId,
    status: input.status,
  };
  const done = new Set<AppointmentJourneyStep>(input.doneSteps ?? []);
  const sent: JourneySentMessage[] = [...(input.history?.sent ?? [])];
  const answers: JourneyAnswer[] = [...(input.history?.answers ?? [])];
  const seenMessageIds = new Set<string>(input.history?.seenMessageIds ?? []);
  /** Bumped by every reschedule: a wait in progress re-reads its deadline (the samples' updatable timer). */
  let timelineVersion = 0;
  const endedAtStart = endFor(input.status);
  let ended: AppointmentJourneyEnd | null = endedAtStart;
  let cancelReason: string | undefined;
  /** Who cancelled: a reply handled here, or the API (signed link or dashboard; the signal does not say which). */
  let cancelledBy: 'patient_reply' | 'api' = 'api';
  let current: { step: AppointmentJourneyStep; at: number } | null = null;
  let settings = null as { noShowGraceMinutes: number; npsDelayHours: number } | null;
  let npsHandover: AppointmentJourneyState['npsHandover'];
  let autoNoShow = false;

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
  // A reply is applied through an activity (the DB is the truth); the API is not involved, so nothing signals back.
  setHandler(patientReplySignal, async (reply) => {
    if (seenMessageIds.has(reply.messageId)) return; // a redelivered webhook
    seenMessageIds.add(reply.messageId);
    const interpreted = interpretReply(reply.text);
    const answer: JourneyAnswer = { text: reply.text, at: reply.receivedAt, channel: reply.channel, interpreted, outcome: 'pending' };
    answers.push(answer);
    if (ended || interpreted === 'unknown') {
      answer.outcome = 'ignored';
      return;
    }
    if (interpreted === 'confirm' && state.status === 'confirmado') {
      answer.outcome = 'unchanged';
      return;
    }
    try {
      const r = await applyPatientAnswer({
        clinicId: input.clinicId, appointmentId: input.appointmentId, intent: interpreted, text: reply.text,
        channel: reply.channel, messageId: reply.messageId, startsAt: state.startsAt,
      });
      answer.outcome = r.applied ? 'applied' : 'unchanged';
      if (ended || !r.applied) return;
      state.status = r.status;
      if (r.status === 'cancelado') {
        cancelReason = `Cancelado pelo paciente: "${reply.text.slice(0, 200)}"`;
        cancelledBy = 'patient_reply';
      }
      ended = endFor(r.status);
    } catch (err) {
      answer.outcome = 'failed';
      log.warn('patient answer not applied', { error: errorText(err) });
    }
  });
  setHandler(journeyStateQuery, (): AppointmentJourneyState => ({
    appointmentId: input.appointmentId,
    startsAt: state.startsAt,
    status: state.status,
    nextStep: ended || !current ? null : { step: current.step, at: new Date(current.at).toISOString() },
    ended,
    sent,
    answers,
    ...(npsHandover ? { npsHandover } : {}),
  }));

  async function loadSettings() {
    if (settings) return settings;
    try {
      settings = await loadAppointmentJourneySettings({ clinicId: input.clinicId });
    } catch (err) {
      log.warn('journey settings not loaded; using defaults', { error: errorText(err) });
      settings = { noShowGraceMinutes: DEFAULT_NO_SHOW_GRACE_MINUTES, npsDelayHours: 24 };
    }
    return settings;
  }

  /** The reminder messages of one step; a failure is recorded and the journey goes on. */
  async function remind(step: 'reminder_24h' | 'reminder_2h') {
    const at = new Date(Date.now()).toISOString();
    let outcome: ReminderOutcome;
    try {
      outcome = await sendAppointmentReminder({ clinicId: input.clinicId, appointmentId: input.appointmentId, step, startsAt: state.startsAt });
    } catch (err) {
      sent.push({ step, channel: step === 'reminder_24h' ? 'whatsapp' : 'sms', template: step, at, status: 'failed' });
      log.warn('reminder step failed', { step, error: errorText(err) });
      return;
    }
    for (const m of outcome.messages) sent.push({ step, channel: m.channel, template: m.templateKey, at, status: m.status });
    // The database may know better (e.g. a signal still pending): follow it.
    if (outcome.status && outcome.status !== state.status && !ended && outcome.skipped !== 'stale') {
      if (outcome.status === 'confirmado' && state.status === 'agendado') state.status = 'confirmado';
      else if (endFor(outcome.status)) {
        state.status = outcome.status;
        ended = endFor(outcome.status);
      }
    }
  }

  /** The visit is over and nobody said how it went: no_show, unless the database already knows. */
  async function settleOutcome() {
    try {
      const r = await markNoShowIfUnmarked({ clinicId: input.clinicId, appointmentId: input.appointmentId, startsAt: state.startsAt });
      if (ended) return;
      if (r.applied || endFor(r.status)) {
        autoNoShow = r.applied;
        state.status = r.status;
        ended = endFor(r.status);
      } else {
        ended = 'outcome_missing';
      }
    } catch (err) {
      log.warn('automatic no-show failed', { error: errorText(err) });
      if (!ended) ended = 'outcome_missing';
    }
  }

  while (!ended) {
    // Date.now() inside a workflow is the sandbox's deterministic clock (the workflow task's time).
    const grace = settings?.noShowGraceMinutes ?? DEFAULT_NO_SHOW_GRACE_MINUTES;
    current = nextStep(state, done, Date.now(), grace);
    if (!current) break;
    if (current.step === 'outcome_deadline' && !settings) {
      await loadSettings(); // the grace period is the clinic's; read it once, when it matters
      continue;
    }
    const version = timelineVersion;
    const wait = current.at - Date.now();
    const interrupted = wait > 0 && (await condition(() => ended !== null || timelineVersion !== version, wait));
    if (ended) break;
    if (interrupted || timelineVersion !== version) continue; // rescheduled: recompute the next step
    const step = current.step;
    done.add(step);
    if (step === 'outcome_deadline') {
      await settleOutcome();
      break;
    }
    await remind(step);
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof appointmentJourney>({
        ...input, ...state, doneSteps: [...done], history: { sent, answers, seenMessageIds: [...seenMessageIds] },
      });
    }
  }
  current = null;
  await condition(allHandlersFinished);

  // Endings that others must hear about (not for a journey started already over).
  if (!endedAtStart) {
    if (ended === 'cancelled') {
      await notify({ kind: 'appointment_cancelled', by: cancelledBy, ...(cancelReason ? { reason: cancelReason } : {}) });
    } else if (ended === 'no_show' && autoNoShow) {
      await notify({ kind: 'appointment_no_show', by: 'journey' });
    } else if (ended === 'completed') {
      const { npsDelayHours } = await loadSettings();
      try {
        const r = await startNpsJourney({ clinicId: input.clinicId, patientId: input.patientId, appointmentId: input.appointmentId, delayHours: npsDelayHours });
        npsHandover = r.started ? 'started' : 'already_started';
      } catch (err) {
        npsHandover = 'failed';
        log.warn('NPS journey not started', { error: errorText(err) });
      }
    }
  }

  return {
    appointmentId: input.appointmentId,
    ended: ended ?? 'outcome_missing',
    status: state.status,
    startsAt: state.startsAt,
    ...(cancelReason ? { cancelReason } : {}),
  };

  async function notify(notice: { kind: 'appointment_cancelled' | 'appointment_no_show'; by: 'patient_reply' | 'api' | 'journey'; reason?: string }) {
    try {
      await notifyClinic({ clinicId: input.clinicId, appointmentId: input.appointmentId, ...notice });
    } catch (err) {
      log.warn('clinic not notified', { error: errorText(err) });
    }
  }
}
