// The lead journey's steps towards a booking: offer slots, take the agreed one (name, phone, deposit),
// book it; or hand the lead to the staff; or close the conversation. Each step says what Anna says,
// moves the stage and records it.
import { formatDeadline, joinReplies as join, replies, type Reply } from '../../domain/anna/engine';
import { leadConvertedNotice, leadNeedsStaffNotice } from '../../domain/anna/staff-notices';
import type { LeadOutcome, PaymentReceived } from '../definitions';
import { save, say } from './conversation';
import {
  bookLeadAppointment, closeLeadConversation, ensureLeadPatient, findLeadSlots, notifyClinicOfLead, requestLeadDeposit,
} from './proxies';
import type { LeadRun } from './state';

/** Offering rounds before a lead who keeps asking for other times goes to the staff. */
const MAX_OFFER_ROUNDS = 4;

/** Three slots as quick replies, after the ones already offered unless `fresh` (new preferences). */
export async function offerSlots(run: LeadRun, prefix: Reply | string | null, opts: { after?: string | null; fresh?: boolean } = {}): Promise<void> {
  const { input, state, extra } = run;
  const q = state.qualification;
  if (!q.procedure?.id) return toStaff(run, prefix, 'procedure_unknown');
  if (extra.offerRounds >= MAX_OFFER_ROUNDS) return toStaff(run, prefix, 'too_many_rounds');
  const exclude = opts.fresh ? [] : state.offeredSlots.map((s) => s.startsAt);
  const slots = await findLeadSlots({
    clinicId: input.clinicId, procedureId: q.procedure.id, preferredDate: q.preferredDate, preferredPeriod: q.preferredPeriod,
    preferredTime: q.preferredTime, exclude, after: opts.after ?? null, count: 3, now: new Date(Date.now()).toISOString(),
    // "semana que vem" / "mês que vem": any day from that date on, not that one day.
    dateIsRange: q.interestWhen !== null && q.preferredDate !== null,
  });
  if (!slots.length) {
    await say(run, join(prefix, replies.noSlots()));
    return toStaff(run, null, 'no_slots');
  }
  extra.offerRounds++;
  if (q.preferredPeriod && !slots.some((sl) => sl.inPreferredPeriod)) {
    // Say so rather than offer a morning to someone who asked for the evening without a word.
    prefix = join(prefix, replies.noSlotsInPeriod(q.preferredPeriod, run.k));
  }
  state.offeredSlots = slots;
  state.chosenSlot = null;
  state.stage = 'choosing_slot';
  state.lastQuestion = null;
  await say(run, join(prefix, replies.offerSlots(slots)), { phrase: false });
  await save(run);
}

/** The staff queue: a person answers (the clinic is notified); Anna steps back. */
export async function toStaff(run: LeadRun, prefix: Reply | string | null, reason: string, opts: { handoffText?: boolean } = {}): Promise<void> {
  const { input, state, extra } = run;
  state.stage = 'staff_queue';
  extra.queuedAt = Date.now();
  state.followUpSent = false;
  await say(run, opts.handoffText === false ? join(prefix) : join(prefix, replies.staffHandoff()));
  await save(run);
  await notifyClinicOfLead({
    clinicId: input.clinicId, conversationId: input.conversationId, kind: 'lead_needs_staff',
    key: `lead_needs_staff:${input.conversationId}:${extra.queuedAt}`,
    description: leadNeedsStaffNotice({
      who: state.qualification.name ?? run.profileName ?? input.phone, procedureName: state.qualification.procedure?.name,
      score: state.score?.score ?? null, askedForHuman: reason === 'human',
    }),
  });
}

/** The slot is agreed: name and phone if still unknown, then deposit or booking. */
export async function proceedWithSlot(run: LeadRun, prefix: Reply | string | null): Promise<void> {
  const { input, state, k } = run;
  const q = state.qualification;
  if (!q.name) {
    state.stage = 'asking_name';
    state.lastQuestion = 'name';
    await say(run, join(prefix, replies.askName()));
    return save(run);
  }
  if (q.phoneConfirmed === null) {
    state.stage = 'asking_name';
    state.lastQuestion = 'phone';
    await say(run, join(prefix, replies.ask(['phone'], q, k, { phone: input.phone })));
    return save(run);
  }
  const slot = state.chosenSlot!;
  const proc = k.procedures.find((p) => p.id === q.procedure?.id);
  if (!proc) return toStaff(run, prefix, 'procedure_unknown');
  const patient = await ensureLeadPatient({ clinicId: input.clinicId, conversationId: input.conversationId, phone: input.phone, name: q.name });
  run.patientId = patient.patientId;
  if (proc.depositCents > 0 && !(state.payment?.paid)) {
    const deadline = new Date(Date.now() + run.settings.paymentDeadlineMinutes * 60_000).toISOString();
    const dep = await requestLeadDeposit({
      clinicId: input.clinicId, conversationId: input.conversationId, patientId: run.patientId, procedureId: proc.id, amountCents: proc.depositCents,
      deadline, slotStartsAt: slot.startsAt,
    });
    state.payment = { paymentId: dep.paymentId, amountCents: dep.amountCents, url: dep.url, deadline, paid: false };
    state.stage = 'awaiting_payment';
    state.lastQuestion = null;
    await say(run, join(prefix, replies.depositLink(dep.amountCents, dep.url, formatDeadline(deadline, k.timeZone))), { phrase: false });
    return save(run);
  }
  return book(run, prefix);
}

/** Books the chosen slot; taken meanwhile, the lead gets new ones. */
export async function book(run: LeadRun, prefix: Reply | string | null): Promise<void> {
  const { input, state } = run;
  const slot = state.chosenSlot!;
  const q = state.qualification;
  const result = await bookLeadAppointment({
    clinicId: input.clinicId, conversationId: input.conversationId, patientId: run.patientId!, procedureId: q.procedure!.id!,
    professionalId: slot.professionalId, startsAt: slot.startsAt, paymentId: state.payment?.paymentId ?? null, now: new Date(Date.now()).toISOString(),
  });
  if (!result.ok) {
    // Taken while the lead decided (or paid): the deposit stays and goes to the next slot.
    return offerSlots(run, join(prefix, replies.slotTaken()), { fresh: true });
  }
  state.appointmentId = result.appointmentId;
  state.stage = 'done';
  state.outcome = 'convertida';
  await say(run, join(prefix, replies.booked(slot, q.procedure!.name, run.k)), { phrase: false });
  await save(run);
  await notifyClinicOfLead({
    clinicId: input.clinicId, conversationId: input.conversationId, kind: 'lead_converted', key: `lead_converted:${input.conversationId}`, appointmentId: state.appointmentId,
    description: leadConvertedNotice({ who: q.name ?? input.phone, procedureName: q.procedure!.name, slotLabel: slot.label, depositPaid: Boolean(state.payment?.paid) }),
  });
}

/** The deposit was paid: book, unless the lead has moved on (no slot chosen, or the journey ended). */
export async function onPaid(run: LeadRun, p: PaymentReceived): Promise<void> {
  const { state } = run;
  if (!state.payment || state.payment.paymentId !== p.paymentId) return;
  state.payment.paid = true;
  if (!state.chosenSlot || state.outcome) return save(run);
  return book(run, replies.paymentReceived());
}

/** Handed back by the staff: Anna takes the conversation up again where the qualification stands. */
export async function resumeAfterHandBack(run: LeadRun): Promise<void> {
  const { state, extra } = run;
  extra.lastAnnaAt = Date.now();
  state.nudged = false;
  if (state.stage === 'staff_queue') {
    state.stage = 'qualifying';
    extra.queuedAt = null;
    state.followUpSent = true;
    extra.asked = {};
    await save(run);
  }
}

export async function close(run: LeadRun, status: 'abandonada' | 'spam', outcome: LeadOutcome): Promise<void> {
  const { input, state } = run;
  state.outcome = outcome;
  state.stage = 'done';
  await closeLeadConversation({ clinicId: input.clinicId, conversationId: input.conversationId, status, stage: 'done', now: new Date(Date.now()).toISOString() });
}
