// The lead journey (`lead:{clinicId}:{phoneE164}`): Anna greets a new WhatsApp number, asks the four
// qualification questions (procedure; interest and when; preferred date; preferred time) in any order,
// scores the lead, and either books it (three slots as quick replies → confirmation → name/phone →
// deposit link and the payment signal → appointment, whose own journey then sends the reminders) or
// hands it to the staff queue with a follow-up later. Silence gets one nudge, then the conversation is
// abandoned; spam and insults end it. Staff can take over (Anna pauses) and hand back.
//
// The workflow decides; activities read and write (activities/lead.ts). Every message Anna sends has a
// deterministic idempotency key (`lead:{conversationId}:{n}`), so a retried or replayed send never
// reaches the patient twice.
import {
  allHandlersFinished, condition, continueAsNew, log, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { LeadContext } from '../activities/lead';
import {
  analyzeMessage as localAnalyze, answerQuestions, formatDeadline, joinReplies as join, mergeQualification, missingQuestions, replies, scoreLead, type Reply,
} from '../domain/anna/engine';
import { leadConvertedNotice, leadNeedsStaffNotice } from '../domain/anna/staff-notices';
import {
  emptyQualification, type AnalysisContext, type Engagement, type MessageAnalysis, type QuestionKey,
} from '../domain/anna/types';
import {
  leadMessageSignal, leadStateQuery, paymentReceivedSignal, staffHandBackSignal, staffTakeoverSignal,
  type LeadJourneyCarried, type LeadJourneyExtra, type LeadJourneyInput, type LeadJourneyState, type LeadMessage, type LeadOutcome, type PaymentReceived,
} from './definitions';
import {
  analyzeLeadMessage, bookLeadAppointment, closeLeadConversation, ensureLeadPatient, expireLeadDeposit, findLeadSlots, loadLeadContext,
  notifyClinicOfLead, requestLeadDeposit, saveLeadProgress, sendAnnaMessage,
} from './lead/proxies';

const HOUR = 3_600_000;

/** Offering rounds before a lead who keeps asking for other times goes to the staff. */
const MAX_OFFER_ROUNDS = 4;
/** Messages processed per run before continue-as-new (plus Temporal's own suggestion). */
const MAX_MESSAGES_PER_RUN = 150;

export function initialLeadState(conversationId: string): LeadJourneyState {
  return {
    conversationId, stage: 'qualifying', qualification: emptyQualification(), lastQuestion: null, score: null, offeredSlots: [],
    chosenSlot: null, payment: null, appointmentId: null, takenOverBy: null, waitingUntil: null, nudged: false, followUpSent: false,
    patientMessages: 0, annaMessages: 0, seenMessageIds: [], outcome: null, lastEngine: null,
  };
}

export async function leadJourney(input: LeadJourneyInput): Promise<{ outcome: LeadOutcome; appointmentId: string | null }> {
  const state: LeadJourneyState = input.carried ?? initialLeadState(input.conversationId);
  const seen = new Set(state.seenMessageIds);
  const inbox: LeadMessage[] = [...(input.pending ?? [])];
  let paid: PaymentReceived | null = null;
  let handedBack = false;
  const extra: LeadJourneyExtra = {
    sentiments: [], replyDelays: [], lastAnnaAt: Date.now(), lastPatientAt: Date.now(), queuedAt: null, offerRounds: 0,
    paymentExpiries: 0, notOfferedSaid: false, asked: {}, ...(input.carried?.extra ?? {}),
  };

  setHandler(leadMessageSignal, (m) => {
    if (seen.has(m.messageId)) return; // the same MessageSid twice (webhook retry): once only
    seen.add(m.messageId);
    state.seenMessageIds.push(m.messageId);
    if (state.seenMessageIds.length > 500) state.seenMessageIds.splice(0, state.seenMessageIds.length - 500);
    inbox.push(m);
  });
  setHandler(staffTakeoverSignal, (t) => { state.takenOverBy = { userId: t.userId, userName: t.userName, at: t.at }; });
  setHandler(staffHandBackSignal, () => {
    if (state.takenOverBy) handedBack = true;
    state.takenOverBy = null;
  });
  setHandler(paymentReceivedSignal, (p) => { paid = p; });
  setHandler(leadStateQuery, () => state);

  const ctx: LeadContext = await loadLeadContext({ clinicId: input.clinicId, conversationId: input.conversationId, phone: input.phone });
  const k = ctx.knowledge;
  const settings = ctx.settings;
  let patientId: string | null = input.patientId ?? ctx.patient?.id ?? null;
  if (!state.qualification.name && (ctx.patient?.name || input.profileName)) {
    // A known patient's name, or the WhatsApp profile name as a first guess (asked again before booking if missing).
    state.qualification.name = ctx.patient?.name ?? null;
  }
  const profileName = input.profileName ?? null;

  // ── sending ───────────────────────────────────────────────────────────────────────────────────
  async function say(reply: Reply | null, opts: { phrase?: boolean } = {}) {
    if (!reply || !reply.text) return;
    const n = ++state.annaMessages;
    let result: { status: string };
    try {
      result = await sendAnnaMessage({
      clinicId: input.clinicId, conversationId: input.conversationId, phone: input.phone, patientId,
      text: reply.text, quickReplies: reply.quickReplies, idempotencyKey: `lead:${input.conversationId}:${n}`,
      // Free conversation may be worded by the model (within guardrails); slots, links and bookings go as drafted.
      phrase: opts.phrase ?? true,
      });
    } catch (err) {
      // A message the channel refused (or no channel configured) must not end the conversation: the staff
      // sees the thread in the inbox, and the journey keeps listening.
      log.warn('lead message not sent', { error: err instanceof Error ? err.message : String(err) });
      extra.lastAnnaAt = Date.now();
      return;
    }
    if (result.status.startsWith('skipped')) log.info('lead message skipped', { status: result.status });
    extra.lastAnnaAt = Date.now();
  }
  async function save() {
    await saveLeadProgress({
      clinicId: input.clinicId, conversationId: input.conversationId, phone: input.phone, stage: state.stage, qualification: state.qualification,
      score: state.score, needsStaff: state.stage === 'staff_queue', suggestedSlots: state.offeredSlots,
    });
  }

  function engagement(): Engagement {
    const sorted = [...extra.replyDelays].sort((a, b) => a - b);
    const mean = extra.sentiments.length ? extra.sentiments.reduce((a, b) => a + b, 0) / extra.sentiments.length : 0;
    return {
      patientMessages: state.patientMessages, meanSentiment: mean,
      medianReplySeconds: sorted.length ? Math.round(sorted[Math.floor((sorted.length - 1) / 2)] / 1000) : null,
      slotsOnPreferredDate: null,
    };
  }
  const rescore = () => { state.score = scoreLead(state.qualification, engagement(), k, new Date(Date.now()).toISOString()); };

  // ── steps ─────────────────────────────────────────────────────────────────────────────────────
  async function offerSlots(prefix: Reply | string | null, opts: { after?: string | null; fresh?: boolean } = {}) {
    const q = state.qualification;
    if (!q.procedure?.id) return toStaff(prefix, 'procedure_unknown');
    if (extra.offerRounds >= MAX_OFFER_ROUNDS) return toStaff(prefix, 'too_many_rounds');
    const exclude = opts.fresh ? [] : state.offeredSlots.map((s) => s.startsAt);
    const slots = await findLeadSlots({
      clinicId: input.clinicId, procedureId: q.procedure.id, preferredDate: q.preferredDate, preferredPeriod: q.preferredPeriod,
      preferredTime: q.preferredTime, exclude, after: opts.after ?? null, count: 3, now: new Date(Date.now()).toISOString(),
      // "semana que vem" / "mês que vem": any day from that date on, not that one day.
      dateIsRange: q.interestWhen !== null && q.preferredDate !== null,
    });
    if (!slots.length) {
      await say(join(prefix, replies.noSlots()));
      return toStaff(null, 'no_slots');
    }
    extra.offerRounds++;
    if (q.preferredPeriod && !slots.some((sl) => sl.inPreferredPeriod)) {
      // Say so rather than offer a morning to someone who asked for the evening without a word.
      prefix = join(prefix, replies.noSlotsInPeriod(q.preferredPeriod, k));
    }
    state.offeredSlots = slots;
    state.chosenSlot = null;
    state.stage = 'choosing_slot';
    state.lastQuestion = null;
    await say(join(prefix, replies.offerSlots(slots)), { phrase: false });
    await save();
  }

  async function toStaff(prefix: Reply | string | null, reason: string, opts: { handoffText?: boolean } = {}) {
    state.stage = 'staff_queue';
    extra.queuedAt = Date.now();
    state.followUpSent = false;
    await say(opts.handoffText === false ? join(prefix) : join(prefix, replies.staffHandoff()));
    await save();
    await notifyClinicOfLead({
      clinicId: input.clinicId, conversationId: input.conversationId, kind: 'lead_needs_staff',
      key: `lead_needs_staff:${input.conversationId}:${extra.queuedAt}`,
      description: leadNeedsStaffNotice({
        who: state.qualification.name ?? profileName ?? input.phone, procedureName: state.qualification.procedure?.name,
        score: state.score?.score ?? null, askedForHuman: reason === 'human',
      }),
    });
  }

  /** The slot is agreed: name and phone if still unknown, then deposit or booking. */
  async function proceedWithSlot(prefix: Reply | string | null) {
    const q = state.qualification;
    if (!q.name) {
      state.stage = 'asking_name';
      state.lastQuestion = 'name';
      await say(join(prefix, replies.askName()));
      return save();
    }
    if (q.phoneConfirmed === null) {
      state.stage = 'asking_name';
      state.lastQuestion = 'phone';
      await say(join(prefix, replies.ask(['phone'], q, k, { phone: input.phone })));
      return save();
    }
    const slot = state.chosenSlot!;
    const proc = k.procedures.find((p) => p.id === q.procedure?.id);
    if (!proc) return toStaff(prefix, 'procedure_unknown');
    const patient = await ensureLeadPatient({ clinicId: input.clinicId, conversationId: input.conversationId, phone: input.phone, name: q.name });
    patientId = patient.patientId;
    if (proc.depositCents > 0 && !(state.payment?.paid)) {
      const deadline = new Date(Date.now() + settings.paymentDeadlineMinutes * 60_000).toISOString();
      const dep = await requestLeadDeposit({
        clinicId: input.clinicId, conversationId: input.conversationId, patientId, procedureId: proc.id, amountCents: proc.depositCents,
        deadline, slotStartsAt: slot.startsAt,
      });
      state.payment = { paymentId: dep.paymentId, amountCents: dep.amountCents, url: dep.url, deadline, paid: false };
      state.stage = 'awaiting_payment';
      state.lastQuestion = null;
      await say(join(prefix, replies.depositLink(dep.amountCents, dep.url, formatDeadline(deadline, k.timeZone))), { phrase: false });
      return save();
    }
    return book(prefix);
  }

  async function book(prefix: Reply | string | null) {
    const slot = state.chosenSlot!;
    const q = state.qualification;
    const result = await bookLeadAppointment({
      clinicId: input.clinicId, conversationId: input.conversationId, patientId: patientId!, procedureId: q.procedure!.id!,
      professionalId: slot.professionalId, startsAt: slot.startsAt, paymentId: state.payment?.paymentId ?? null, now: new Date(Date.now()).toISOString(),
    });
    if (!result.ok) {
      // Taken while the lead decided (or paid): the deposit stays and goes to the next slot.
      return offerSlots(join(prefix, replies.slotTaken()), { fresh: true });
    }
    state.appointmentId = result.appointmentId;
    state.stage = 'done';
    state.outcome = 'convertida';
    await say(join(prefix, replies.booked(slot, q.procedure!.name, k)), { phrase: false });
    await save();
    await notifyClinicOfLead({
      clinicId: input.clinicId, conversationId: input.conversationId, kind: 'lead_converted', key: `lead_converted:${input.conversationId}`, appointmentId: state.appointmentId,
      description: leadConvertedNotice({ who: q.name ?? input.phone, procedureName: q.procedure!.name, slotLabel: slot.label, depositPaid: Boolean(state.payment?.paid) }),
    });
  }

  async function close(status: 'abandonada' | 'spam', outcome: LeadOutcome) {
    state.outcome = outcome;
    state.stage = 'done';
    await closeLeadConversation({ clinicId: input.clinicId, conversationId: input.conversationId, status, stage: 'done', now: new Date(Date.now()).toISOString() });
  }

  async function analyze(m: LeadMessage): Promise<MessageAnalysis> {
    const actx: AnalysisContext = {
      now: m.receivedAt, stage: state.stage, lastQuestion: state.lastQuestion, knowledge: k, offeredSlots: state.offeredSlots, known: state.qualification,
    };
    try {
      const a = await analyzeLeadMessage({ clinicId: input.clinicId, conversationId: input.conversationId, messageRowId: m.messageRowId, text: m.text, ctx: actx });
      state.lastEngine = { engine: a.engine, ...(a.fallbackReason ? { fallbackReason: a.fallbackReason } : {}) };
      return a;
    } catch {
      // Never stall on the model or the database: the local engine is deterministic and runs right here.
      state.lastEngine = { engine: 'local', fallbackReason: 'activity_failed' };
      return localAnalyze(m.text, actx);
    }
  }

  // ── one patient message ───────────────────────────────────────────────────────────────────────
  async function handle(m: LeadMessage) {
    state.patientMessages++;
    const now = Date.now();
    if (extra.lastAnnaAt && extra.lastAnnaAt > extra.lastPatientAt) extra.replyDelays.push(Math.max(0, now - extra.lastAnnaAt));
    extra.lastPatientAt = now;
    state.nudged = false;

    if (state.takenOverBy) {
      // Staff is talking: Anna only listens, and keeps what the lead says for when the conversation comes back.
      const heard = await analyze(m);
      extra.sentiments.push(heard.sentiment);
      state.qualification = mergeQualification(state.qualification, heard.extracted);
      rescore();
      return save();
    }
    if (!settings.enabled) {
      if (state.stage !== 'staff_queue') await toStaff(null, 'anna_disabled');
      return;
    }

    const a = await analyze(m);
    extra.sentiments.push(a.sentiment);
    if (a.intent === 'spam' || a.intent === 'insult') {
      await say(replies.spamStop());
      return close('spam', 'spam');
    }
    if (a.intent === 'stop') {
      await say(replies.goodbye());
      return close('abandonada', 'encerrada');
    }

    const before = state.qualification;
    state.qualification = mergeQualification(before, a.extracted);
    if (state.lastQuestion === 'phone' && state.qualification.phoneConfirmed === null && (a.intent === 'affirm' || a.intent === 'deny')) {
      state.qualification.phoneConfirmed = a.intent === 'affirm';
    }
    const q = state.qualification;
    const answers = a.questions.length ? answerQuestions(a.questions, k, q) : null;
    const changedProcedure = a.extracted.procedure && a.extracted.procedure.name !== before.procedure?.name;
    const notOffered = changedProcedure && q.procedure && !q.procedure.id ? replies.notOffered(q.procedure.name, k) : null;
    rescore();

    if (a.intent === 'human') {
      const hello = state.annaMessages === 0 ? replies.greeting(k, [], q.name ?? profileName, q, { phone: input.phone }) : null;
      return toStaff(join(hello, answers, replies.humanRequested()), 'human', { handoffText: false });
    }

    switch (state.stage) {
      case 'staff_queue': {
        // The staff will answer; Anna steps back in only when the lead now clearly wants to book.
        if (answers) await say(join(answers));
        if ((state.score?.score ?? 0) > settings.threshold && q.procedure?.id && missingQuestions(q).length === 0) {
          return offerSlots(null, { fresh: true });
        }
        return save();
      }
      case 'awaiting_payment': {
        if (a.intent === 'other_slots') return offerSlots(answers, { after: state.chosenSlot?.startsAt });
        // "não consigo pagar agora, pode ser na clínica?": a person decides; the link stays valid, and paying it still books.
        if (a.intent === 'deny') return toStaff(join(answers, replies.humanRequested()), 'payment_declined', { handoffText: false });
        await say(join(answers, replies.paymentReminder(state.payment!.url, formatDeadline(state.payment!.deadline, k.timeZone))), { phrase: false });
        return save();
      }
      case 'choosing_slot': {
        if (a.intent === 'choose_slot' && a.slotChoice && state.offeredSlots[a.slotChoice - 1]) {
          state.chosenSlot = state.offeredSlots[a.slotChoice - 1];
          state.stage = 'confirming_slot';
          await say(join(answers, replies.confirmSlot(state.chosenSlot, q.procedure?.name ?? '')), { phrase: false });
          return save();
        }
        const newPrefs = a.extracted.preferredDate || a.extracted.preferredPeriod || a.extracted.preferredTime || changedProcedure;
        if (a.intent === 'other_slots' || newPrefs) {
          if (notOffered) return toStaff(notOffered, 'procedure_not_offered');
          const last = state.offeredSlots[state.offeredSlots.length - 1]?.startsAt ?? null;
          return offerSlots(answers, newPrefs ? { fresh: true } : { after: last });
        }
        await say(join(answers ?? replies.fallback(), replies.offerSlots(state.offeredSlots)), { phrase: false });
        return save();
      }
      case 'confirming_slot': {
        if (a.intent === 'affirm' || (a.intent === 'choose_slot' && state.offeredSlots[(a.slotChoice ?? 0) - 1]?.startsAt === state.chosenSlot?.startsAt)) {
          return proceedWithSlot(answers);
        }
        if (a.intent === 'choose_slot' && a.slotChoice && state.offeredSlots[a.slotChoice - 1]) {
          state.chosenSlot = state.offeredSlots[a.slotChoice - 1];
          await say(join(answers, replies.confirmSlot(state.chosenSlot, q.procedure?.name ?? '')), { phrase: false });
          return save();
        }
        const newPrefs = Boolean(a.extracted.preferredDate || a.extracted.preferredPeriod || a.extracted.preferredTime);
        if (a.intent === 'deny' || a.intent === 'other_slots' || newPrefs) {
          // New times away from the ones already offered (the slot finder spreads around them); a bare "não"
          // also gets asked what would suit.
          if (a.intent === 'deny' && !newPrefs) return offerSlots(join(answers, replies.askPreferredTimes()));
          return offerSlots(answers, { fresh: newPrefs });
        }
        await say(join(answers, replies.confirmSlot(state.chosenSlot!, q.procedure?.name ?? '')), { phrase: false });
        return save();
      }
      case 'asking_name': {
        if (state.lastQuestion === 'name' && !q.name) {
          await say(join(answers, replies.askName()));
          return save();
        }
        if (state.lastQuestion === 'phone' && q.phoneConfirmed === null) {
          if (a.intent === 'affirm') state.qualification.phoneConfirmed = true;
          else if (a.intent === 'deny') {
            await say(join(answers, replies.askOtherPhone()));
            return save();
          } else {
            await say(join(answers, replies.ask(['phone'], q, k, { phone: input.phone })));
            return save();
          }
        }
        return proceedWithSlot(answers);
      }
      case 'qualifying':
      default: {
        const first = state.annaMessages === 0;
        const name = q.name ?? profileName;
        const hello = first ? replies.greeting(k, [], name, q, { phone: input.phone }) : null;
        if (q.interest === 'nao') return toStaff(join(hello, answers, notOffered), 'not_interested');
        if (notOffered) {
          state.lastQuestion = 'procedure';
          await say(join(hello, answers, notOffered));
          return save();
        }
        // Each question is asked at most twice: a lead who won't say is scored on what they said.
        const missing = missingQuestions(q).filter((m) => (extra.asked[m] ?? 0) < 2);
        const pending: QuestionKey[] = missing.length ? missing : q.phoneConfirmed === null && (extra.asked.phone ?? 0) < 2 ? ['phone'] : [];
        if (pending.length) {
          // ask() combines date+time and interest+date into one question: both count as asked.
          const askedNow = (pending[0] === 'date' && pending[1] === 'time') || (pending[0] === 'interest' && pending[1] === 'date') ? pending.slice(0, 2) : [pending[0]];
          for (const key of askedNow) extra.asked[key] = (extra.asked[key] ?? 0) + 1;
          state.lastQuestion = pending[0];
          await say(first
            ? join(replies.greeting(k, [], name, q, { phone: input.phone }), replies.acknowledge(q), answers, replies.ask(pending, q, k, { phone: input.phone }))
            : join(answers, replies.ask(pending, q, k, { phone: input.phone })));
          return save();
        }
        if ((state.score?.score ?? 0) > settings.threshold) return offerSlots(join(hello, first ? replies.acknowledge(q) : null, answers));
        return toStaff(join(hello, answers), 'low_score');
      }
    }
  }

  async function handleMedia(m: LeadMessage) {
    // Media without text: recorded in the thread for the staff; Anna asks for words once it matters.
    state.patientMessages++;
    extra.lastPatientAt = Date.now();
    if (state.takenOverBy || state.stage === 'staff_queue') return;
    await say(replies.mediaReceived());
  }

  async function onPaid(p: PaymentReceived) {
    if (!state.payment || state.payment.paymentId !== p.paymentId) return;
    state.payment.paid = true;
    if (!state.chosenSlot || state.outcome) return save();
    return book(replies.paymentReceived());
  }

  // ── timers ────────────────────────────────────────────────────────────────────────────────────
  function nextDeadline(): LeadJourneyState['waitingUntil'] {
    if (state.takenOverBy) return null; // the staff decides; hand-back restarts the clocks
    const at = (ms: number) => new Date(ms).toISOString();
    if (state.stage === 'awaiting_payment' && state.payment && !state.payment.paid) return { what: 'payment', at: state.payment.deadline };
    if (state.stage === 'staff_queue') {
      if (!state.followUpSent && extra.queuedAt !== null) return { what: 'follow_up', at: at(extra.queuedAt + settings.followUpDelayHours * HOUR) };
      return { what: 'abandon', at: at(Math.max(extra.lastPatientAt, extra.lastAnnaAt) + settings.abandonAfterHours * HOUR) };
    }
    if (!state.nudged && extra.lastAnnaAt >= extra.lastPatientAt) return { what: 'nudge', at: at(extra.lastAnnaAt + settings.nudgeAfterHours * HOUR) };
    return { what: 'abandon', at: at(extra.lastPatientAt + settings.abandonAfterHours * HOUR) };
  }

  async function onDeadline(what: NonNullable<LeadJourneyState['waitingUntil']>['what']) {
    switch (what) {
      case 'nudge':
        state.nudged = true;
        await say(replies.nudge());
        return;
      case 'follow_up':
        state.followUpSent = true;
        await say(replies.followUp(state.qualification.name ?? profileName));
        return;
      case 'payment': {
        const { paid: late } = await expireLeadDeposit({ clinicId: input.clinicId, paymentId: state.payment!.paymentId });
        if (late) { state.payment!.paid = true; return book(replies.paymentReceived()); }
        extra.paymentExpiries++;
        state.payment = null;
        if (extra.paymentExpiries >= 2) return toStaff(replies.paymentExpired(), 'payment_expired');
        return offerSlots(replies.paymentExpired(), { fresh: true });
      }
      case 'abandon':
      default:
        return close('abandonada', 'abandonada');
    }
  }

  // ── main loop ─────────────────────────────────────────────────────────────────────────────────
  let processed = 0;
  while (!state.outcome && !(inbox[0]?.conversationId && inbox[0].conversationId !== input.conversationId)) {
    const deadline = nextDeadline();
    state.waitingUntil = deadline;
    const wait = deadline ? Math.max(0, Date.parse(deadline.at) - Date.now()) : undefined;
    const woke = wait === undefined
      ? await condition(() => inbox.length > 0 || paid !== null || handedBack)
      : await condition(() => inbox.length > 0 || paid !== null || handedBack || state.takenOverBy !== null, wait);
    state.waitingUntil = null;
    if (paid) {
      const p = paid as PaymentReceived;
      paid = null;
      await onPaid(p);
      continue;
    }
    if (handedBack) {
      handedBack = false;
      extra.lastAnnaAt = Date.now();
      state.nudged = false;
      // Handed back: Anna takes the conversation up again where the qualification stands.
      if (state.stage === 'staff_queue') {
        state.stage = 'qualifying';
        extra.queuedAt = null;
        state.followUpSent = true;
        extra.asked = {};
        await save();
      }
      continue;
    }
    if (inbox.length) {
      const m = inbox.shift()!;
      if (m.conversationId && m.conversationId !== input.conversationId) {
        // A message for the number's next conversation (this one closed meanwhile): handled after it.
        inbox.unshift(m);
        break;
      }
      processed++;
      if (!m.text.trim() && (m.mediaCount ?? 0) > 0) await handleMedia(m);
      else await handle(m);
    } else if (!woke && deadline) {
      await onDeadline(deadline.what);
    }
    if (!state.outcome && (processed >= (input.maxMessagesPerRun ?? MAX_MESSAGES_PER_RUN) || workflowInfo().continueAsNewSuggested) && inbox.length === 0) {
      await condition(allHandlersFinished);
      const carried: LeadJourneyCarried = { ...state, extra };
      await continueAsNew<typeof leadJourney>({ ...input, patientId, carried, pending: [] });
    }
  }
  await condition(allHandlersFinished);
  const next = inbox.filter((m) => m.conversationId && m.conversationId !== input.conversationId);
  if (next.length) {
    // The number wrote again after this conversation closed: its new conversation continues in a fresh run.
    await continueAsNew<typeof leadJourney>({
      clinicId: input.clinicId, phone: input.phone, conversationId: next[0].conversationId!, patientId, profileName: input.profileName ?? null, pending: next,
    });
  }
  return { outcome: state.outcome ?? 'encerrada', appointmentId: state.appointmentId };
}
