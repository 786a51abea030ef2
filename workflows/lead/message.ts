// What Anna does with one patient message: read it, keep what it says about the lead, and answer by
// stage (qualifying → choosing and confirming a slot → name and phone → awaiting the deposit; or, in the
// staff queue, answer questions until the lead clearly wants to book).
import { answerQuestions, formatDeadline, joinReplies as join, mergeQualification, missingQuestions, replies } from '../../domain/anna/engine';
import type { QuestionKey } from '../../domain/anna/types';
import type { LeadMessage } from '../definitions';
import { analyze, rescore, save, say } from './conversation';
import { close, offerSlots, proceedWithSlot, toStaff } from './steps';
import type { LeadRun } from './state';

export async function handleMessage(run: LeadRun, m: LeadMessage): Promise<void> {
  const { input, state, extra, k, settings } = run;
  state.patientMessages++;
  const now = Date.now();
  if (extra.lastAnnaAt && extra.lastAnnaAt > extra.lastPatientAt) extra.replyDelays.push(Math.max(0, now - extra.lastAnnaAt));
  extra.lastPatientAt = now;
  state.nudged = false;

  if (state.takenOverBy) {
    // Staff is talking: Anna only listens, and keeps what the lead says for when the conversation comes back.
    const heard = await analyze(run, m);
    extra.sentiments.push(heard.sentiment);
    state.qualification = mergeQualification(state.qualification, heard.extracted);
    rescore(run);
    return save(run);
  }
  if (!settings.enabled) {
    if (state.stage !== 'staff_queue') await toStaff(run, null, 'anna_disabled');
    return;
  }

  const a = await analyze(run, m);
  extra.sentiments.push(a.sentiment);
  if (a.intent === 'spam' || a.intent === 'insult') {
    await say(run, replies.spamStop());
    return close(run, 'spam', 'spam');
  }
  if (a.intent === 'stop') {
    await say(run, replies.goodbye());
    return close(run, 'abandonada', 'encerrada');
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
  rescore(run);

  if (a.intent === 'human') {
    const hello = state.annaMessages === 0 ? replies.greeting(k, [], q.name ?? run.profileName, q, { phone: input.phone }) : null;
    return toStaff(run, join(hello, answers, replies.humanRequested()), 'human', { handoffText: false });
  }

  switch (state.stage) {
    case 'staff_queue': {
      // The staff will answer; Anna steps back in only when the lead now clearly wants to book.
      if (answers) await say(run, join(answers));
      if ((state.score?.score ?? 0) > settings.threshold && q.procedure?.id && missingQuestions(q).length === 0) {
        return offerSlots(run, null, { fresh: true });
      }
      return save(run);
    }
    case 'awaiting_payment': {
      if (a.intent === 'other_slots') return offerSlots(run, answers, { after: state.chosenSlot?.startsAt });
      // "não consigo pagar agora, pode ser na clínica?": a person decides; the link stays valid, and paying it still books.
      if (a.intent === 'deny') return toStaff(run, join(answers, replies.humanRequested()), 'payment_declined', { handoffText: false });
      await say(run, join(answers, replies.paymentReminder(state.payment!.url, formatDeadline(state.payment!.deadline, k.timeZone))), { phrase: false });
      return save(run);
    }
    case 'choosing_slot': {
      if (a.intent === 'choose_slot' && a.slotChoice && state.offeredSlots[a.slotChoice - 1]) {
        state.chosenSlot = state.offeredSlots[a.slotChoice - 1];
        state.stage = 'confirming_slot';
        await say(run, join(answers, replies.confirmSlot(state.chosenSlot, q.procedure?.name ?? '')), { phrase: false });
        return save(run);
      }
      const newPrefs = a.extracted.preferredDate || a.extracted.preferredPeriod || a.extracted.preferredTime || changedProcedure;
      if (a.intent === 'other_slots' || newPrefs) {
        if (notOffered) return toStaff(run, notOffered, 'procedure_not_offered');
        const last = state.offeredSlots[state.offeredSlots.length - 1]?.startsAt ?? null;
        return offerSlots(run, answers, newPrefs ? { fresh: true } : { after: last });
      }
      await say(run, join(answers ?? replies.fallback(), replies.offerSlots(state.offeredSlots)), { phrase: false });
      return save(run);
    }
    case 'confirming_slot': {
      if (a.intent === 'affirm' || (a.intent === 'choose_slot' && state.offeredSlots[(a.slotChoice ?? 0) - 1]?.startsAt === state.chosenSlot?.startsAt)) {
        return proceedWithSlot(run, answers);
      }
      if (a.intent === 'choose_slot' && a.slotChoice && state.offeredSlots[a.slotChoice - 1]) {
        state.chosenSlot = state.offeredSlots[a.slotChoice - 1];
        await say(run, join(answers, replies.confirmSlot(state.chosenSlot, q.procedure?.name ?? '')), { phrase: false });
        return save(run);
      }
      const newPrefs = Boolean(a.extracted.preferredDate || a.extracted.preferredPeriod || a.extracted.preferredTime);
      if (a.intent === 'deny' || a.intent === 'other_slots' || newPrefs) {
        // New times away from the ones already offered (the slot finder spreads around them); a bare "não"
        // also gets asked what would suit.
        if (a.intent === 'deny' && !newPrefs) return offerSlots(run, join(answers, replies.askPreferredTimes()));
        return offerSlots(run, answers, { fresh: newPrefs });
      }
      await say(run, join(answers, replies.confirmSlot(state.chosenSlot!, q.procedure?.name ?? '')), { phrase: false });
      return save(run);
    }
    case 'asking_name': {
      if (state.lastQuestion === 'name' && !q.name) {
        await say(run, join(answers, replies.askName()));
        return save(run);
      }
      if (state.lastQuestion === 'phone' && q.phoneConfirmed === null) {
        if (a.intent === 'affirm') state.qualification.phoneConfirmed = true;
        else if (a.intent === 'deny') {
          await say(run, join(answers, replies.askOtherPhone()));
          return save(run);
        } else {
          await say(run, join(answers, replies.ask(['phone'], q, k, { phone: input.phone })));
          return save(run);
        }
      }
      return proceedWithSlot(run, answers);
    }
    case 'qualifying':
    default: {
      const first = state.annaMessages === 0;
      const name = q.name ?? run.profileName;
      const hello = first ? replies.greeting(k, [], name, q, { phone: input.phone }) : null;
      if (q.interest === 'nao') return toStaff(run, join(hello, answers, notOffered), 'not_interested');
      if (notOffered) {
        state.lastQuestion = 'procedure';
        await say(run, join(hello, answers, notOffered));
        return save(run);
      }
      // Each question is asked at most twice: a lead who won't say is scored on what they said.
      const missing = missingQuestions(q).filter((mq) => (extra.asked[mq] ?? 0) < 2);
      const pending: QuestionKey[] = missing.length ? missing : q.phoneConfirmed === null && (extra.asked.phone ?? 0) < 2 ? ['phone'] : [];
      if (pending.length) {
        // ask() combines date+time and interest+date into one question: both count as asked.
        const askedNow = (pending[0] === 'date' && pending[1] === 'time') || (pending[0] === 'interest' && pending[1] === 'date') ? pending.slice(0, 2) : [pending[0]];
        for (const key of askedNow) extra.asked[key] = (extra.asked[key] ?? 0) + 1;
        state.lastQuestion = pending[0];
        await say(run, first
          ? join(replies.greeting(k, [], name, q, { phone: input.phone }), replies.acknowledge(q), answers, replies.ask(pending, q, k, { phone: input.phone }))
          : join(answers, replies.ask(pending, q, k, { phone: input.phone })));
        return save(run);
      }
      if ((state.score?.score ?? 0) > settings.threshold) return offerSlots(run, join(hello, first ? replies.acknowledge(q) : null, answers));
      return toStaff(run, join(hello, answers), 'low_score');
    }
  }
}

/** Media without text: recorded in the thread for the staff; Anna asks for words once it matters. */
export async function handleMedia(run: LeadRun): Promise<void> {
  const { state, extra } = run;
  state.patientMessages++;
  extra.lastPatientAt = Date.now();
  if (state.takenOverBy || state.stage === 'staff_queue') return;
  await say(run, replies.mediaReceived());
}
