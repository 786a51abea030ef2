// The journeys' contract, shared by the workflows and the journey client (journeys/): task queue,
// search attributes, workflow types and ids, signals and queries with their payloads. It imports no
// @temporalio/workflow, so the API, the worker and the activities can load it without the workflow
// runtime; a signal or query is the plain `{ type, name }` that defineSignal/defineQuery return.
import { defineSearchAttributeKey, type QueryDefinition, type SignalDefinition } from '@temporalio/common';
import type { AppointmentStatusName } from '../domain/appointment-status';
import type { AnnaStage, LeadScore, OfferedSlot, Qualification, QuestionKey } from '../domain/anna/types';

export const TASK_QUEUE = 'tigre-journeys';

const defineSignal = <Args extends unknown[]>(name: string) => ({ type: 'signal', name }) as SignalDefinition<Args>;
const defineQuery = <Ret>(name: string) => ({ type: 'query', name }) as QueryDefinition<Ret>;

/** Workflow types by the name the worker registers (workflows/index.ts exports them). */
export const WORKFLOW_TYPES = {
  appointment: 'appointmentJourney',
  lead: 'leadJourney',
  dailyMetrics: 'dailyMetricsRollup',
  calendarSync: 'calendarSync',
  nps: 'npsSurvey',
  upsell: 'upsellOffer',
  reactivation: 'reactivationJourney',
  reactivationSweep: 'reactivationSweep',
  loyaltyMaintenance: 'loyaltyMaintenance',
  loyaltyBalance: 'loyaltyBalanceReply',
  churnTraining: 'churnModelTraining',
  monthlyReport: 'monthlyReportMailer',
} as const;

/** Custom search attributes registered on the Temporal server so operators can filter journeys. */
export const ClinicId = defineSearchAttributeKey('ClinicId', 'KEYWORD');
export const PatientId = defineSearchAttributeKey('PatientId', 'KEYWORD');
export const JourneyKind = defineSearchAttributeKey('JourneyKind', 'KEYWORD');
export const AppointmentId = defineSearchAttributeKey('AppointmentId', 'KEYWORD');
export const SEARCH_ATTRIBUTES = [ClinicId, PatientId, JourneyKind, AppointmentId];

export type JourneyKindName = 'lead' | 'appointment' | 'nps' | 'upsell' | 'reactivation' | 'loyalty' | 'daily-metrics' | 'churn-model' | 'report';

export const DAILY_METRICS_SCHEDULE_ID = 'daily-metrics-rollup';
/** Hourly: the monthly report e-mailed on the 1st (workflows/monthlyReport.ts). */
export const MONTHLY_REPORT_SCHEDULE_ID = 'monthly-report-email';
/** An on-demand rollup of one clinic (the dashboard's "recalcular"): one per clinic and minute. */
export const dailyMetricsWorkflowId = (clinicId: string, at: Date) => `daily-metrics:${clinicId}:${at.toISOString().slice(0, 16)}`;

/** The calendar pull schedule (every 10 minutes) and the id of an on-demand sync of one professional. */
export const CALENDAR_SYNC_SCHEDULE_ID = 'calendar-sync';
export const calendarSyncWorkflowId = (professionalId: string) => `calendar-sync:${professionalId}`;

/** The weekly refit of each clinic's churn learner, then its patients' scores (workflows/churnModelTraining.ts). */
export const CHURN_MODEL_SCHEDULE_ID = 'churn-model-training';

// ── After the visit (issue #11) ─────────────────────────────────────────────────────────────────

/** The post-visit NPS journey `nps:{appointmentId}` (workflows/nps.ts), started by the appointment journey's hand-over. */
export const NPS_WORKFLOW_TYPE = WORKFLOW_TYPES.nps;
export const npsWorkflowId = (appointmentId: string) => `nps:${appointmentId}`;

export interface NpsJourneyInput {
  clinicId: string;
  patientId: string;
  appointmentId: string;
}

/** Where the survey stands: waiting for its send time, for the score, for the comment, or over. */
export type NpsStage = 'scheduled' | 'waiting_score' | 'waiting_comment' | 'done';
export type NpsJourneyOutcome = 'answered' | 'expired' | 'not_sent';
export type NpsAnswerVia = 'whatsapp' | 'sms' | 'link';

export interface NpsJourneyState {
  appointmentId: string;
  stage: NpsStage;
  /** When the question goes (or went) out, the reminder and the expiry (ISO). */
  sendAt: string | null;
  reminderAt: string | null;
  expiresAt: string | null;
  score: number | null;
  npsClass: 'detractor' | 'neutral' | 'promoter' | null;
  via: NpsAnswerVia | null;
  comment: string | null;
  /** Replies that were not a score (the journey asked again, at most twice). */
  unreadableReplies: number;
  /** What the journey did, in order: 'sent', 'reminded', 'alerted', 'coupon', 'feedback_link', 'review_link', 'upsell', … */
  actions: string[];
  outcome: NpsJourneyOutcome | null;
}

export interface NpsJourneyResult {
  appointmentId: string;
  outcome: NpsJourneyOutcome;
  score: number | null;
  npsClass: NpsJourneyState['npsClass'];
  actions: string[];
  /** not_sent: why (no_channel, opted_out, no_consent, not_realizado, gone). */
  reason?: string;
}

/** An answer given on the signed page /p/nps/{token}: already stored by the API; the journey goes on from it. */
export interface NpsLinkAnswer {
  score: number;
  comment?: string;
  at: string;
}
export const npsLinkAnswerSignal = defineSignal<[NpsLinkAnswer]>('npsLinkAnswer');
export const npsStateQuery = defineQuery<NpsJourneyState>('npsState');

/** The upsell journey `upsell:{patientId}:{n}` (workflows/upsell.ts), started by a promoter's NPS. */
export const upsellWorkflowId = (patientId: string, n: number) => `upsell:${patientId}:${n}`;

export interface UpsellJourneyInput {
  clinicId: string;
  patientId: string;
  /** The offer row (upsell_offers) reserved for this journey. */
  offerId: string;
  /** The survey that started it, if any. */
  surveyId?: string;
}

export type UpsellStage = 'recommending' | 'offered' | 'done';
export type UpsellOutcome = 'agendou' | 'ignorou' | 'recusou' | 'nao_enviada';

export interface UpsellJourneyState {
  offerId: string;
  stage: UpsellStage;
  procedureId: string | null;
  expiresAt: string | null;
  reminderAt: string | null;
  outcome: UpsellOutcome | null;
  appointmentId: string | null;
  reason?: string;
}

export interface UpsellJourneyResult {
  offerId: string;
  outcome: UpsellOutcome;
  appointmentId: string | null;
  reason?: string;
}

/** An appointment was booked for the offered procedure (direct link, dashboard or Anna): the offer converted. */
export const upsellBookedSignal = defineSignal<[{ appointmentId: string; at: string }]>('upsellBooked');
export const upsellStateQuery = defineQuery<UpsellJourneyState>('upsellState');

// ── Bringing patients back (issue #12) ─────────────────────────────────────────────────────────

/** The daily sweep (one Schedule for every clinic, hourly: each clinic is swept once per local day after 10h). */
export const REACTIVATION_SWEEP_SCHEDULE_ID = 'reactivation-sweep';
/** The reactivation journey `reactivation:{patientId}:{n}` (workflows/reactivation.ts), started by the sweep. */
export const reactivationWorkflowId = (patientId: string, n: number) => `reactivation:${patientId}:${n}`;

export interface ReactivationJourneyInput {
  clinicId: string;
  patientId: string;
  /** The target row (reactivation_targets) reserved for this journey. */
  targetId: string;
}

export type ReactivationStage = 'sending' | 'waiting' | 'followed_up' | 'watching' | 'done';
/** voltou: she booked within the window (any path); nao_voltou: the window closed; sem_interesse: she said so; nao_enviada: not sent (why in reason). */
export type ReactivationOutcome = 'voltou' | 'nao_voltou' | 'sem_interesse' | 'nao_enviada';

export interface ReactivationJourneyState {
  targetId: string;
  stage: ReactivationStage;
  sentAt: string | null;
  followUpAt: string | null;
  windowEndsAt: string | null;
  replies: number;
  outcome: ReactivationOutcome | null;
  appointmentId: string | null;
  reason?: string;
}

export interface ReactivationJourneyResult {
  targetId: string;
  outcome: ReactivationOutcome;
  appointmentId: string | null;
  reason?: string;
}

/** She booked (the link, the dashboard or Anna): the journey records the return at once. */
export const reactivationBookedSignal = defineSignal<[{ appointmentId: string; at: string }]>('reactivationBooked');
export const reactivationStateQuery = defineQuery<ReactivationJourneyState>('reactivationState');

export interface ReactivationSweepResult {
  clinics: number;
  swept: { clinicId: string; day: string; eligible: number; contacted: number; control: number; deferred: number; started: number; corrected: string[] }[];
}

/** Loyalty: the daily maintenance (expiries, notices, tiers) and the answer to "saldo" (one per inbound message). */
export const LOYALTY_SCHEDULE_ID = 'loyalty-maintenance';
export const loyaltyBalanceWorkflowId = (inboundId: string) => `loyalty-balance:${inboundId}`;
export interface LoyaltyBalanceInput { clinicId: string; patientId: string; channel: 'whatsapp' | 'sms'; to: string; inboundId: string }

// ── Appointment journey (workflow id `appointment:{appointmentId}`) ──────────────────────────────
// Signals and the query are defined once here: the API sends them (api/journeys.ts), the workflow
// handles them (workflows/appointment.ts).

export const appointmentWorkflowId = (appointmentId: string) => `appointment:${appointmentId}`;

/** The appointment as the journey knows it; also the start argument (times as ISO 8601 strings). */
export interface AppointmentJourneyInput {
  clinicId: string;
  patientId: string;
  appointmentId: string;
  professionalId: string;
  startsAt: string;
  durationMinutes: number;
  status: AppointmentStatusName;
  /** Steps already reached for the current startsAt (carried over by continue-as-new). */
  doneSteps?: AppointmentJourneyStep[];
  /** What was sent and answered so far (carried over by continue-as-new). */
  history?: { sent: JourneySentMessage[]; answers: JourneyAnswer[]; seenMessageIds: string[] };
}

/** One message attempt of a reminder step, as the journey saw it (`status` is the sender's, or 'failed'). */
export interface JourneySentMessage {
  step: 'reminder_24h' | 'reminder_2h';
  channel: 'whatsapp' | 'sms' | 'email';
  /** Which text: reminder_24h, reminder_2h (backup) or reminder_2h_location. */
  template: string;
  at: string;
  status: string;
}

/** A patient reply and what the journey made of it. */
export interface JourneyAnswer {
  text: string;
  at: string;
  channel: 'whatsapp' | 'sms';
  interpreted: 'confirm' | 'cancel' | 'unknown';
  /** applied: the appointment changed; unchanged: it already was (or could not move); ignored: journey over or unknown text; failed: the activity failed. */
  outcome: 'pending' | 'applied' | 'unchanged' | 'ignored' | 'failed';
}

/**
 * The journey's timeline for one startsAt: the two reminders (T-24h, T-2h), then the outcome deadline
 * (visit end + the clinic's `noShowGraceMinutes`, default 60): unmarked by then, the journey marks it no_show.
 */
export type AppointmentJourneyStep = 'reminder_24h' | 'reminder_2h' | 'outcome_deadline';
export type AppointmentJourneyEnd = 'cancelled' | 'completed' | 'no_show' | 'outcome_missing';

export interface AppointmentJourneyState {
  appointmentId: string;
  startsAt: string;
  status: AppointmentStatusName;
  /** What the journey waits for next and when (null once it has ended). */
  nextStep: { step: AppointmentJourneyStep; at: string } | null;
  ended: AppointmentJourneyEnd | null;
  /** Every reminder message attempted, oldest first. */
  sent: JourneySentMessage[];
  /** Every patient reply received, oldest first. */
  answers: JourneyAnswer[];
  /** After realizado: whether the NPS journey `nps:{appointmentId}` was started. */
  npsHandover?: 'started' | 'already_started' | 'failed';
}

export interface AppointmentJourneyResult {
  appointmentId: string;
  ended: AppointmentJourneyEnd;
  status: AppointmentStatusName;
  startsAt: string;
  cancelReason?: string;
}

export const rescheduleSignal = defineSignal<[{ startsAt: string; professionalId?: string; durationMinutes?: number }]>('reschedule');
export const cancelSignal = defineSignal<[{ reason: string }]>('cancel');
export const statusChangedSignal = defineSignal<[{ status: AppointmentStatusName }]>('statusChanged');
export const journeyStateQuery = defineQuery<AppointmentJourneyState>('journeyState');

/** An inbound WhatsApp/SMS message from the patient, routed to the journey it belongs to (webhook or simulator). */
export interface PatientReply {
  text: string;
  channel: 'whatsapp' | 'sms';
  receivedAt: string; // ISO
  /** Provider message id (Twilio MessageSid) or the simulator's id: a repeat is ignored. */
  messageId: string;
}
export const patientReplySignal = defineSignal<[PatientReply]>('patientReply');

// ── Payments (issue #5) ────────────────────────────────────────────────────────────────────────────
/** A payment for the appointment succeeded (deposit or full): sent to `appointment:{id}` if it runs. */
export interface PaymentReceived {
  paymentId: string;
  amountCents: number;
  kind: 'deposit' | 'full';
  method: 'cartao' | 'pix' | 'boleto' | 'dinheiro';
  paidAt: string; // ISO
}
export const paymentReceivedSignal = defineSignal<[PaymentReceived]>('paymentReceived');

// ── Lead journey: Anna qualifies a WhatsApp lead (workflow id `lead:{clinicId}:{phoneE164}`) ──────────

export const leadWorkflowId = (clinicId: string, phoneE164: string) => `lead:${clinicId}:${phoneE164}`;

export interface LeadJourneyInput {
  clinicId: string;
  /** E.164, the WhatsApp number. */
  phone: string;
  /** The conversations row (created by the inbound routing before the first signal). */
  conversationId: string;
  /** Known patient behind the number, if any. */
  patientId?: string | null;
  /** WhatsApp profile name (Twilio ProfileName), if any. */
  profileName?: string | null;
  /** Carried over by continue-as-new. */
  carried?: LeadJourneyCarried;
  /** Messages received by the previous run for this conversation, not yet handled. */
  pending?: LeadMessage[];
  /** Messages handled per run before continue-as-new (default 150; tests lower it). */
  maxMessagesPerRun?: number;
}

/** An inbound message for the lead journey (recorded in conversation_messages before the signal). */
export interface LeadMessage {
  /** The conversation the routing recorded it in. */
  conversationId?: string;
  /** conversation_messages.id of the recorded message. */
  messageRowId: string;
  /** Twilio MessageSid (or the simulator's): a repeat is ignored. */
  messageId: string;
  text: string;
  receivedAt: string; // ISO
  mediaCount?: number;
}

export interface StaffTakeover { userId: string; userName: string; at: string }
export interface StaffHandBack { userId: string; userName: string; at: string }

export type LeadOutcome = 'convertida' | 'abandonada' | 'spam' | 'staff_queue' | 'encerrada';

export interface LeadJourneyState {
  conversationId: string;
  stage: AnnaStage;
  qualification: Qualification;
  lastQuestion: QuestionKey | null;
  score: LeadScore | null;
  offeredSlots: OfferedSlot[];
  chosenSlot: OfferedSlot | null;
  /** Deposit asked, while awaiting payment. */
  payment: { paymentId: string; amountCents: number; url: string; deadline: string; paid: boolean } | null;
  appointmentId: string | null;
  /** Staff member who took the conversation over (Anna is paused), or null. */
  takenOverBy: { userId: string; userName: string; at: string } | null;
  /** What the journey waits for next and until when. */
  waitingUntil: { what: 'reply' | 'nudge' | 'abandon' | 'payment' | 'follow_up'; at: string } | null;
  nudged: boolean;
  followUpSent: boolean;
  patientMessages: number;
  annaMessages: number;
  seenMessageIds: string[];
  outcome: LeadOutcome | null;
  /** Engine that analysed the last message ('openai' or 'local') and why it fell back, if it did. */
  lastEngine: { engine: 'openai' | 'local'; fallbackReason?: string } | null;
}

/**
 * What the journey keeps beside the state the leadState query shows: the engagement it scores (sentiments,
 * reply delays), the clocks its deadlines run from (epoch ms) and its counters.
 */
export interface LeadJourneyExtra {
  sentiments: number[];
  replyDelays: number[];
  lastAnnaAt: number;
  lastPatientAt: number;
  /** When the lead went to the staff queue (the follow-up runs from it), or null. */
  queuedAt: number | null;
  offerRounds: number;
  paymentExpiries: number;
  notOfferedSaid: boolean;
  /** How many times each question was asked. */
  asked: Partial<Record<QuestionKey, number>>;
}

/** The state continue-as-new hands to the next run (a carried state without `extra` restarts its counters). */
export interface LeadJourneyCarried extends LeadJourneyState {
  extra?: LeadJourneyExtra;
}

export const leadMessageSignal = defineSignal<[LeadMessage]>('leadMessage');
export const staffTakeoverSignal = defineSignal<[StaffTakeover]>('staffTakeover');
export const staffHandBackSignal = defineSignal<[StaffHandBack]>('staffHandBack');
export const leadStateQuery = defineQuery<LeadJourneyState>('leadState');
