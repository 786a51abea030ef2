// The lead journey end to end on the time-skipping server: booking with and without a deposit, the
// staff queue with its follow-up, silence (nudge, then abandonment), spam, takeover and hand-back,
// and the same MessageSid twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { appointments, conversationMessages, conversationQualifications, conversations, payments } from '../../../db/schema';
import { leadWorkflowId } from '../../../workflows/definitions';
import { startLeadHarness, type LeadHarness } from './harness';

const HOUR = 3_600_000;
let h: LeadHarness;

beforeAll(async () => {
  h = await startLeadHarness();
  // The laser asks a deposit of 20%.
  await h.setSettings({ payments: { deposits: { [h.clinic.laser.id]: { bps: 2000 } } } });
}, 120_000);
afterAll(async () => { await h?.close(); });

describe('lead journey', () => {
  it('qualifies a lead who answers three questions at once, offers 3 slots and books the chosen one', async () => {
    const phone = h.newPhone();
    let s = await h.say(phone, 'Oi, quero fazer botox semana que vem de manhã', { profileName: 'Mariana' });
    expect(s?.qualification.procedure?.id).toBe(h.clinic.botox.id);
    const conv = await h.conversation(phone);
    expect(conv?.status).toBe('aberta');
    let msgs = await h.annaMessages(phone);
    expect(msgs[0].body).toContain('Clínica Bella Anna');
    if (s?.stage === 'qualifying') {
      s = await h.say(phone, 'sim');
    }
    expect(s?.stage).toBe('choosing_slot');
    expect(s?.offeredSlots).toHaveLength(3);
    expect(s!.score!.score).toBeGreaterThan(70);
    msgs = await h.annaMessages(phone);
    expect(msgs.at(-1)!.quickReplies).toHaveLength(3);
    s = await h.say(phone, '2');
    expect(s?.stage).toBe('confirming_slot');
    expect(s?.chosenSlot?.startsAt).toBe(s?.offeredSlots[1].startsAt);
    s = await h.say(phone, 'sim');
    expect(s?.stage).toBe('asking_name');
    s = await h.say(phone, 'Mariana Alves');
    expect(s?.outcome).toBe('convertida');
    const result = await h.result(phone);
    expect(result.outcome).toBe('convertida');
    const [appt] = await h.tdb.db.select().from(appointments).where(eq(appointments.id, result.appointmentId!));
    expect(appt.source).toBe('whatsapp');
    expect(appt.procedureId).toBe(h.clinic.botox.id);
    expect(h.startedJourneys).toContain(appt.id);
    expect(h.pushedToCalendar).toContain(appt.id); // the professional's Google Calendar, when connected
    const after = await h.conversation(phone);
    expect(after?.status).toBe('convertida');
    expect(after?.convertedAppointmentId).toBe(appt.id);
    const [q] = await h.tdb.db.select().from(conversationQualifications).where(eq(conversationQualifications.conversationId, after!.id));
    expect(q.score).toBeGreaterThan(70);
    expect(q.scoreFactors?.length).toBeGreaterThan(0);
    expect((await h.annaMessages(phone)).at(-1)!.body).toMatch(/agendad|confirmad/i);
  }, 60_000);

  it('asks a deposit for the laser, waits for the payment signal and then books', async () => {
    const phone = h.newPhone();
    let s = await h.say(phone, 'Boa tarde! Tenho interesse em depilação a laser, quero agendar amanhã à tarde. Meu nome é Paula Reis');
    if (s?.stage === 'qualifying') s = await h.say(phone, 'sim, quero');
    expect(s?.stage).toBe('choosing_slot');
    s = await h.say(phone, '1');
    s = await h.say(phone, 'sim');
    if (s?.stage === 'asking_name') s = await h.say(phone, 'sim, pode ser este número');
    expect(s?.stage).toBe('awaiting_payment');
    expect(s?.payment?.amountCents).toBe(8000);
    expect((await h.annaMessages(phone)).at(-1)!.body).toContain('R$ 80,00');
    await h.payDeposit(phone);
    const result = await h.result(phone);
    expect(result.outcome).toBe('convertida');
    const [p] = await h.tdb.db.select().from(payments).where(eq(payments.appointmentId, result.appointmentId!));
    expect(p.status).toBe('aprovado');
    expect(p.kind).toBe('deposit');
  }, 60_000);

  it('sends a low-score lead to the staff queue and follows up after the clinic delay', async () => {
    const phone = h.newPhone();
    let s = await h.say(phone, 'oi, talvez... só pesquisando preço de limpeza de pele');
    for (let i = 0; i < 5 && s?.stage === 'qualifying'; i++) s = await h.say(phone, 'não sei ainda quando');
    expect(s?.stage).toBe('staff_queue');
    expect(s!.score!.score).toBeLessThanOrEqual(70);
    const conv = await h.conversation(phone);
    expect(conv?.needsStaff).toBe(true);
    const before = (await h.annaMessages(phone)).length;
    await h.sleep(25 * HOUR);
    await h.settle(phone, s!.patientMessages);
    const after = await h.annaMessages(phone);
    expect(after.length).toBe(before + 1);
  }, 60_000);

  it('nudges once after 24h of silence and abandons after 72h', async () => {
    const phone = h.newPhone();
    await h.say(phone, 'Olá');
    const first = (await h.annaMessages(phone)).length;
    const result = await h.result(phone);
    expect(result.outcome).toBe('abandonada');
    expect((await h.annaMessages(phone)).length).toBe(first + 1);
    expect((await h.conversation(phone))?.status).toBe('abandonada');
  }, 60_000);

  it('marks insults as spam and stays quiet afterwards', async () => {
    const phone = h.newPhone();
    await h.say(phone, 'oi');
    await h.say(phone, 'sua idiota, lixo de clínica');
    const result = await h.result(phone);
    expect(result.outcome).toBe('spam');
    const count = (await h.annaMessages(phone)).length;
    // (The test server's clock runs far ahead once a result is awaited: the next message is dated a day after the close.)
    const closedAt = (await h.conversation(phone))!.closedAt!;
    const again = await h.send(phone, 'oi de novo', { at: new Date(closedAt.getTime() + 86_400_000) });
    expect(again?.outcome).toBe('spam_quiet');
    expect((await h.annaMessages(phone)).length).toBe(count);
  }, 60_000);

  it('pauses Anna while staff hold the conversation and resumes after hand-back', async () => {
    const phone = h.newPhone();
    await h.say(phone, 'Oi! quero saber de limpeza de pele');
    await h.takeover(phone);
    const held = (await h.annaMessages(phone)).length;
    let s = await h.say(phone, 'quero agendar sexta de manhã');
    expect(s?.takenOverBy?.userName).toBe('Recepção');
    expect((await h.annaMessages(phone)).length).toBe(held);
    await h.handBack(phone);
    s = await h.say(phone, 'sim, tenho interesse');
    expect(s?.takenOverBy).toBeNull();
    expect((await h.annaMessages(phone)).length).toBeGreaterThan(held);
  }, 60_000);

  it('handles the same MessageSid twice once, and empty or huge messages without crashing', async () => {
    const phone = h.newPhone();
    const sid = `SM${'a'.repeat(32)}`;
    await h.say(phone, 'Oi, quero botox', { messageSid: sid });
    const count = (await h.annaMessages(phone)).length;
    const again = await h.send(phone, 'Oi, quero botox', { messageSid: sid });
    expect(again).toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    expect((await h.annaMessages(phone)).length).toBe(count);
    const conv = await h.conversation(phone);
    const rows = await h.tdb.db.select().from(conversationMessages).where(and(eq(conversationMessages.conversationId, conv!.id), eq(conversationMessages.sender, 'paciente')));
    expect(rows).toHaveLength(1);
    const sentences = ['Gostaria de entender melhor como funciona a limpeza de pele', 'minha pele é oleosa', 'tenho manchas de sol',
      'já fiz peeling uma vez', 'quero saber quanto tempo dura a sessão', 'e se preciso voltar outras vezes'];
    let long = '';
    for (let i = 0; long.length < 10_000; i++) long += `${sentences[i % sentences.length]} (${i}). `;
    let s = await h.say(phone, long.slice(0, 10_000));
    expect(s?.outcome).toBeNull();
    s = await h.say(phone, '', { mediaUrls: ['https://api.twilio.com/media/ME1'] });
    expect(s?.patientMessages).toBe(3);
  }, 60_000);

  it('continues as new with its state when a run has handled many messages', async () => {
    const phone = h.newPhone();
    const workflowId = leadWorkflowId(h.clinic.clinic.id, phone);
    const [conv] = await h.tdb.db.insert(conversations).values({ clinicId: h.clinic.clinic.id, patientWhatsapp: phone, workflowId }).returning();
    const first = await h.env.client.workflow.start('leadJourney', {
      workflowId, taskQueue: h.taskQueue, args: [{ clinicId: h.clinic.clinic.id, phone, conversationId: conv.id, maxMessagesPerRun: 2 }],
    });
    await h.say(phone, 'Oi, boa tarde');
    await h.say(phone, 'quero limpeza de pele');
    let s = await h.say(phone, 'sexta à tarde');
    const runs = new Set([first.firstExecutionRunId, (await h.env.client.workflow.getHandle(workflowId).describe()).runId]);
    expect(runs.size).toBe(2);
    expect(s?.qualification.procedure?.id).toBe(h.clinic.limpeza.id);
    expect(s?.qualification.preferredPeriod).toBe('tarde');
    expect(s?.patientMessages).toBe(3);
    s = await h.say(phone, 'sim, quero agendar');
    expect(s?.annaMessages).toBe((await h.annaMessages(phone)).length);
  }, 60_000);
});
