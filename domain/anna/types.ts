// The contract of Anna, the WhatsApp assistant: what the lead journey (workflows/lead.ts) knows about
// the clinic, what it has learned from the lead, and what one message says. Both engines fill the same
// shapes: the local pt-BR rule engine (domain/anna/engine.ts, deterministic, the embedded default) and
// the OpenAI adapter (providers/ai), which falls back to the local engine on any failure.
// Everything here is plain JSON: it crosses the workflow/activity boundary.

/** A procedure the clinic offers, as Anna may talk about it (prices only from the database). */
export interface KnownProcedure {
  id: string;
  name: string;
  category: 'facial' | 'corporal' | 'capilar' | 'outra';
  durationMinutes: number;
  /** Today's price in centavos (procedure_prices or the default price); null when the clinic has none. */
  priceCents: number | null;
  /** Deposit (sinal) asked at booking in centavos; 0 when the procedure needs none. */
  depositCents: number;
  description: string | null;
}

/** Everything Anna may say about the clinic comes from here: never invented. */
export interface ClinicKnowledge {
  clinicId: string;
  clinicName: string;
  timeZone: string;
  /** Active procedures only. */
  procedures: KnownProcedure[];
  /** One line, e.g. "Av. Paulista, 1000, sala 12, Bela Vista, São Paulo/SP"; null when unknown. */
  address: string | null;
  mapsUrl: string | null;
  /** Opening hours per weekday (0 = domingo) as 'HH:MM-HH:MM' intervals, from professionals' working hours; [] = closed. */
  openingHours: Record<number, string[]>;
  phone: string | null;
}

export type Interest = 'sim' | 'nao' | 'talvez';
export type DayPeriod = 'manha' | 'tarde' | 'noite';

/** The four questions of the brief (procedure, interest and when, preferred date, preferred time), plus name and phone. */
export interface Qualification {
  /** The procedure the lead asked about; `procedureId` null when it is not one the clinic offers. */
  procedure: { id: string | null; name: string } | null;
  interest: Interest | null;
  /** Free-form "when" of the interest, e.g. "semana que vem", "este mês". */
  interestWhen: string | null;
  /** Local date YYYY-MM-DD in the clinic's zone. */
  preferredDate: string | null;
  /** Part of the day ("de manhã", "depois do almoço" → tarde). */
  preferredPeriod: DayPeriod | null;
  /** 'HH:MM' when the lead named a time ("às 15h", "15:30"). */
  preferredTime: string | null;
  /** The lead confirmed the WhatsApp number is the right contact (true) or gave another (false + otherPhone). */
  phoneConfirmed: boolean | null;
  otherPhone: string | null;
  /** Full name when given ("meu nome é …", "sou a …"). */
  name: string | null;
}

export const emptyQualification = (): Qualification => ({
  procedure: null, interest: null, interestWhen: null, preferredDate: null, preferredPeriod: null, preferredTime: null,
  phoneConfirmed: null, otherPhone: null, name: null,
});

/** What Anna is waiting for when a message arrives; it changes how short answers are read ("sim", "2", "amanhã"). */
export type AnnaStage =
  | 'qualifying' // collecting the four answers
  | 'choosing_slot' // three slots offered as quick replies
  | 'confirming_slot' // "posso confirmar terça 14/07 às 10:00?"
  | 'asking_name' // the patient's name before booking
  | 'awaiting_payment' // deposit link sent
  | 'staff_queue' // score ≤ threshold: waiting for the clinic
  | 'done';

/** The question asked last, so a bare "sim" / "amanhã" / "de manhã" answers it. */
export type QuestionKey = 'procedure' | 'interest' | 'date' | 'time' | 'phone' | 'name';

export type QuestionTopic = 'price' | 'address' | 'hours' | 'procedure_details' | 'procedures_list' | 'payment_methods' | 'duration';

export interface AnalysisContext {
  /** ISO instant of the message: relative dates ("amanhã", "sexta") are resolved from it in `knowledge.timeZone`. */
  now: string;
  stage: AnnaStage;
  lastQuestion: QuestionKey | null;
  knowledge: ClinicKnowledge;
  /** While choosing: the offered slots, in order (1, 2, 3). */
  offeredSlots: OfferedSlot[];
  /** What is known so far (an answer may revise it: "na verdade prefiro à tarde"). */
  known: Qualification;
}

export interface OfferedSlot {
  professionalId: string;
  professionalName: string;
  startsAt: string; // ISO
  /** pt-BR label, e.g. "ter 14/07 às 10:00 com Dra. Ana". */
  label: string;
  /** When the lead named a part of the day: whether this slot is in it. */
  inPreferredPeriod?: boolean;
}

/** What one inbound message says. */
export interface MessageAnalysis {
  /** Only the fields this message answered (or changed); the journey merges them into its Qualification. */
  extracted: Partial<Qualification>;
  intent:
    | 'greeting'
    | 'answer' // answered one or more questions
    | 'question' // asked about price/address/hours/...
    | 'choose_slot' // picked an offered slot (slotChoice)
    | 'other_slots' // wants other times
    | 'affirm' // yes to a yes/no question (confirm slot, phone)
    | 'deny' // no to a yes/no question
    | 'human' // wants to talk to a person
    | 'stop' // not interested / bye
    | 'spam'
    | 'insult'
    | 'unknown';
  /** 1-based index into offeredSlots, or null. */
  slotChoice: number | null;
  /** Questions to answer from ClinicKnowledge; procedureId when the question is about one procedure. */
  questions: { topic: QuestionTopic; procedureId: string | null }[];
  /** -1 … 1 (lexicon score for the local engine). */
  sentiment: number;
  /** True when the message is only media / emoji / empty. */
  empty: boolean;
}

/** One factor of the score, shown to staff: "Procedimento oferecido pela clínica: +25". */
export interface ScoreFactor {
  key: 'procedure' | 'interest' | 'urgency' | 'date_fit' | 'time' | 'engagement' | 'sentiment' | 'phone' | 'negative';
  label: string; // pt-BR
  points: number;
}

export interface LeadScore {
  score: number; // 0..100, integer
  factors: ScoreFactor[];
}

/** Engagement facts the journey counts (the score's inputs beyond the answers). */
export interface Engagement {
  patientMessages: number;
  /** Mean sentiment of the patient's messages, -1 … 1. */
  meanSentiment: number;
  /** Median seconds the lead took to answer Anna (null before any answer). */
  medianReplySeconds: number | null;
  /** Offered slots the lead could use on the preferred date (null when not looked up yet). */
  slotsOnPreferredDate: number | null;
}
