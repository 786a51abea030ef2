// The lead journey's state: the start of a conversation, what one run shares with its steps, and what
// continue-as-new carries to the next run (the state plus `extra`, in that shape: recorded runs read it).
import type { LeadSettings } from '../../domain/clinic-settings';
import { emptyQualification, type ClinicKnowledge } from '../../domain/anna/types';
import type { LeadJourneyCarried, LeadJourneyExtra, LeadJourneyInput, LeadJourneyState } from '../definitions';

export function initialLeadState(conversationId: string): LeadJourneyState {
  return {
    conversationId, stage: 'qualifying', qualification: emptyQualification(), lastQuestion: null, score: null, offeredSlots: [],
    chosenSlot: null, payment: null, appointmentId: null, takenOverBy: null, waitingUntil: null, nudged: false, followUpSent: false,
    patientMessages: 0, annaMessages: 0, seenMessageIds: [], outcome: null, lastEngine: null,
  };
}

/** A new run's `extra`: what the previous run carried, over fresh clocks and counters. */
export function restoreExtra(carried: LeadJourneyCarried | undefined): LeadJourneyExtra {
  return {
    sentiments: [], replyDelays: [], lastAnnaAt: Date.now(), lastPatientAt: Date.now(), queuedAt: null, offerRounds: 0,
    paymentExpiries: 0, notOfferedSaid: false, asked: {}, ...(carried?.extra ?? {}),
  };
}

/** What continue-as-new hands on: the state, with this run's `extra` beside it. */
export function carry(state: LeadJourneyState, extra: LeadJourneyExtra): LeadJourneyCarried {
  return { ...state, extra };
}

/** One run of the journey, as its steps see it. */
export interface LeadRun {
  readonly input: LeadJourneyInput;
  /** What the leadState query shows. */
  readonly state: LeadJourneyState;
  readonly extra: LeadJourneyExtra;
  /** The clinic as Anna may talk about it, read once per run. */
  readonly k: ClinicKnowledge;
  readonly settings: LeadSettings;
  /** The patient behind the number: known at the start, or created when the lead books. */
  patientId: string | null;
  /** WhatsApp profile name, the name to use until the lead says theirs. */
  readonly profileName: string | null;
}
