// The NPS journey end to end on the time-skipping server, with the real activities, database, outbox and
// inbound routing: each score class, the comment and its sentiment, "não entendi", the reminder, the
// expiry and a late answer, the one-tap page's answer, opt-out and consent, two visits on one day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { analyticsEvents, conversationMessages, conversations, coupons, upsellOffers, users } from '../../../db/schema';
import { leadWorkflowId, npsLinkAnswerSignal, npsWorkflowId } from '../../../workflows/definitions';
import { markDetractorContacted, releaseDetractorConversation } from '../../../services/feedback/detractor-inbox';
import { recordScore } from '../../../services/feedback/surveys';
import { withClinic } from '../../../db/tenancy';
import { DAY, HOUR, startNpsHarness, type NpsHarness } from './harness';

let h: NpsHarness;
beforeAll(async () => { h = await startNpsHarness(); }, 60_000);
afterAll(async () => { await h?.close(); });

describe('NPS journey', () => {
  it('promoter on WhatsApp: "nota 9" → thanks and the comment question → comment with sentiment → review link → upsell started', async () => {
    const p = await h.patient({ marketing: true, gender: 'F', name: 'Vitória Albuquerque' });
    const a = await h.visit(p.id);
    await h.start(a);
    await h.asked(a.id);
    const [question] = await h.outbox(p.id);
    expect(question.template).toBe('nps');
    expect(question.body).toContain('De 0 a 10, quanto você recomendaria a Clínica Bella Pele');
    expect(question.body).toContain('Limpeza de pele');
    expect(question.body).toMatch(/https:\/\/clinica\.test\/p\/nps\/[\w-]+\.[\w-]+/);

    expect((await h.reply(p.whatsapp!, 'nota 9'))?.outcome).toBe('signalled');
    await h.until(a.id, (s) => s.stage === 'waiting_comment');
    const ask = (await h.outbox(p.id)).at(-1)!;
    expect(ask.template).toBe('nps_comment');
    expect(ask.body).toContain('nossa paciente');
    expect(ask.body).toContain('Quer contar o que motivou sua nota?');

    await h.reply(p.whatsapp!, 'Adorei o atendimento, a Dra. foi super atenciosa!');
    const result = await h.result(a.id);
    expect(result).toMatchObject({ outcome: 'answered', score: 9, npsClass: 'promoter' });
    expect(result.actions).toEqual(expect.arrayContaining(['sent', 'comment', 'review_link', 'upsell']));
    const s = await h.survey(a.id);
    expect(s).toMatchObject({ status: 'respondida', score: 9, npsClass: 'promoter', answeredVia: 'whatsapp', sentimentLabel: 'positivo', channel: 'whatsapp' });
    expect(s.sentimentScore).toBeGreaterThan(0.25);
    expect(s.sentimentWords?.length).toBeGreaterThan(0);
    const review = (await h.outbox(p.id)).find((m) => m.template === 'nps_review')!;
    expect(review.body).toMatch(/\/p\/avaliar\//);
    const [offer] = await h.tdb.db.select().from(upsellOffers).where(eq(upsellOffers.surveyId, s.id));
    expect(offer).toMatchObject({ seq: 1, workflowId: `upsell:${p.id}:1` });
  });

  it('detractor: the clinic is alerted at once (dashboard and Slack), a coupon with the apology, the comment alerts again', async () => {
    const p = await h.patient({ marketing: true });
    const a = await h.visit(p.id);
    await h.start(a);
    await h.asked(a.id);
    await h.reply(p.whatsapp!, '3');
    await h.until(a.id, (s) => s.stage === 'waiting_comment');
    const alerts = await h.tdb.db.select().from(analyticsEvents).where(and(eq(analyticsEvents.kind, 'nps_detractor'), eq(analyticsEvents.patientId, p.id)));
    expect(alerts).toHaveLength(1);
    expect(alerts[0].description).toContain('deu nota 3');
    expect(h.slack.some((t) => t.includes('deu nota 3'))).toBe(true);
    expect((await h.survey(a.id)).followUpStatus).toBe('aberto');

    await h.reply(p.whatsapp!, 'Atrasou 40 minutos e a recepção foi grossa 😡');
    const result = await h.result(a.id);
    expect(result).toMatchObject({ outcome: 'answered', npsClass: 'detractor' });
    expect(result.actions).toEqual(expect.arrayContaining(['alerted', 'comment', 'coupon', 'apology']));
    const s = await h.survey(a.id);
    expect(s.sentimentLabel).toBe('negativo');
    const [coupon] = await h.tdb.db.select().from(coupons).where(eq(coupons.surveyId, s.id));
    expect(coupon).toMatchObject({ origin: 'nps_detractor', patientId: p.id, percentOff: 15, redeemedAt: null });
    const apology = (await h.outbox(p.id)).find((m) => m.template === 'nps_apology')!;
    expect(apology.body).toContain(coupon.code);
    expect(apology.body).toContain('15%');
    expect(apology.purpose).toBe('marketing');
    const again = await h.tdb.db.select().from(analyticsEvents).where(and(eq(analyticsEvents.kind, 'nps_detractor'), eq(analyticsEvents.patientId, p.id)));
    expect(again).toHaveLength(2);
    expect(again.map((e) => e.description).join(' ')).toContain('Atrasou 40 minutos');
  });

  it('detractor: her conversation opens in the staff queue with the survey thread; Anna stays out until the follow-up is resolved', async () => {
    const clinicId = h.clinic.clinic.id;
    const p = await h.patient({ marketing: true, name: 'Yasmin Duarte' });
    const a = await h.visit(p.id);
    await h.start(a);
    await h.asked(a.id);
    await h.reply(p.whatsapp!, '2');
    await h.until(a.id, (s) => s.stage === 'waiting_comment');
    const s = await h.survey(a.id);
    const conversation = async () => (await h.tdb.db.select().from(conversations).where(eq(conversations.npsSurveyId, s.id)))[0]!;
    const conv = await conversation();
    expect(conv).toMatchObject({ subject: 'nps_detractor', status: 'aberta', needsStaff: true, patientId: p.id, patientWhatsapp: p.whatsapp, workflowId: null });
    const thread = async () => h.tdb.db.select({ sender: conversationMessages.sender, body: conversationMessages.body })
      .from(conversationMessages).where(eq(conversationMessages.conversationId, conv.id)).orderBy(asc(conversationMessages.sentAt));
    const first = await thread();
    expect(first[0]).toMatchObject({ sender: 'anna' });
    expect(first[0]!.body).toContain('De 0 a 10');
    expect(first).toContainEqual({ sender: 'paciente', body: '2' });
    const [alert] = await h.tdb.db.select().from(analyticsEvents).where(and(eq(analyticsEvents.kind, 'nps_detractor'), eq(analyticsEvents.patientId, p.id)));
    expect(alert!.data).toMatchObject({ conversationId: conv.id });

    await h.reply(p.whatsapp!, 'Fiquei com manchas e ninguém me ligou');
    await h.result(a.id);
    const after = await thread();
    expect(after.map((m) => m.body)).toContain('Fiquei com manchas e ninguém me ligou');
    expect(after.some((m) => m.sender === 'anna' && m.body.includes('Quer contar o que motivou'))).toBe(true);
    const apology = (await h.outbox(p.id)).find((m) => m.template === 'nps_apology')!;
    expect(after.map((m) => m.body)).toContain(apology.body); // the apology (with the coupon) is in the thread too
    expect(new Set(after.map((m) => `${m.sender}:${m.body}`)).size).toBe(after.length); // each once

    // What she writes now is the staff's: recorded in the conversation, no journey of Anna's started.
    const r = await h.reply(p.whatsapp!, 'Alguém pode me ligar hoje?');
    expect(r).toMatchObject({ outcome: 'staff', conversationId: conv.id, workflowId: null });
    expect((await thread()).at(-1)).toEqual({ sender: 'paciente', body: 'Alguém pode me ligar hoje?' });
    expect((await conversation()).unreadCount).toBeGreaterThanOrEqual(2);
    await expect(h.env.client.workflow.getHandle(leadWorkflowId(clinicId, p.whatsapp!)).describe()).rejects.toThrow();

    // A staff member writes to her: the follow-up becomes 'contatado'; resolving it gives the conversation back to Anna.
    const [staff] = await h.tdb.db.insert(users).values({ email: `recepcao-${p.id}@clinica.test`, passwordHash: 'x', name: 'Renata Recepção' }).returning();
    await withClinic(h.tdb.db, clinicId, (tx) => markDetractorContacted(tx, { clinicId, conversationId: conv.id, userId: staff!.id, now: new Date() }));
    expect((await h.survey(a.id)).followUpStatus).toBe('contatado');
    const released = await withClinic(h.tdb.db, clinicId, (tx) => releaseDetractorConversation(tx, clinicId, s.id));
    expect(released).toBe(conv.id);
    expect(await conversation()).toMatchObject({ subject: 'lead', needsStaff: false, takenOverBy: null, workflowId: leadWorkflowId(clinicId, p.whatsapp!) });
  });

  it('detractor without marketing consent: apology without a coupon; a promoter without it gets no upsell', async () => {
    const p = await h.patient();
    const a = await h.visit(p.id);
    await h.start(a);
    await h.asked(a.id);
    await h.reply(p.whatsapp!, '5, demorou muito'); // the comment comes with the score: no question
    const result = await h.result(a.id);
    expect(result.actions).toContain('apology');
    expect(result.actions).not.toContain('coupon');
    expect(await h.tdb.db.select().from(coupons).where(eq(coupons.patientId, p.id))).toHaveLength(0);
    const templates = (await h.outbox(p.id)).map((m) => m.template);
    expect(templates).toEqual(['nps', 'nps_thanks', 'nps_apology']);
    expect((await h.survey(a.id)).comment).toBe('demorou muito');

    const q = await h.patient();
    const b = await h.visit(q.id);
    await h.start(b);
    await h.asked(b.id);
    await h.reply(q.whatsapp!, 'dez');
    await h.until(b.id, (s) => s.stage === 'waiting_comment');
    await h.reply(q.whatsapp!, 'tudo ótimo');
    const r2 = await h.result(b.id);
    expect(r2).toMatchObject({ score: 10, npsClass: 'promoter' });
    expect(r2.actions).not.toContain('upsell');
  });

  it('neutral: unreadable replies are asked again (at most twice), "8️⃣" is read, and the feedback form follows', async () => {
    const p = await h.patient();
    const a = await h.visit(p.id);
    await h.start(a);
    await h.asked(a.id);
    for (const text of ['nota', '10000', '-1']) {
      const r = await h.reply(p.whatsapp!, text);
      expect(r?.outcome).toBe('signalled');
    }
    await h.until(a.id, (s) => s.unreadableReplies === 2);
    await h.reply(p.whatsapp!, '8️⃣');
    await h.until(a.id, (s) => s.stage === 'waiting_comment');
    await h.env.sleep(7 * HOUR); // no comment: the form goes anyway
    const result = await h.result(a.id);
    expect(result).toMatchObject({ score: 8, npsClass: 'neutral' });
    const templates = (await h.outbox(p.id)).map((m) => m.template);
    expect(templates.filter((t) => t === 'nps_unreadable')).toHaveLength(2);
    expect(templates.at(-1)).toBe('nps_feedback');
    expect((await h.outbox(p.id)).at(-1)!.body).toMatch(/\/p\/feedback\//);
  });

  it('no answer: one reminder after 48 h, sem_resposta after 7 days; a later "10" is recorded as late and starts nothing', async () => {
    const p = await h.patient({ marketing: true });
    const a = await h.visit(p.id);
    await h.start(a);
    await h.asked(a.id);
    const result = await h.result(a.id);
    expect(result).toMatchObject({ outcome: 'expired', score: null });
    expect(result.actions).toEqual(['sent', 'reminded']);
    expect((await h.outbox(p.id)).map((m) => m.template)).toEqual(['nps', 'nps_reminder']);
    const s = await h.survey(a.id);
    expect(s.status).toBe('sem_resposta');
    expect(s.reminderSentAt!.getTime() - s.sentAt!.getTime()).toBeGreaterThanOrEqual(0);

    // (The test server's clock runs years ahead once a result is awaited: the late reply is dated a day after the expiry.)
    const late = await h.reply(p.whatsapp!, '10', 'whatsapp', new Date(s.expiresAt!.getTime() + DAY));
    expect(late?.outcome).toBe('late_answer');
    const after = await h.survey(a.id);
    expect(after).toMatchObject({ status: 'sem_resposta', score: 10, lateAnswer: true, answered: true });
    expect(await h.tdb.db.select().from(upsellOffers).where(eq(upsellOffers.patientId, p.id))).toHaveLength(0);
  });

  it('an answer on the one-tap page (stored by the API, then signalled) goes on from the database', async () => {
    const p = await h.patient({ marketing: true });
    const a = await h.visit(p.id);
    await h.start(a);
    await h.asked(a.id);
    const s = await h.survey(a.id);
    await withClinic(h.tdb.db, h.clinic.clinic.id, (tx) => recordScore(tx, { surveyId: s.id, score: 6, comment: 'Preço alto', via: 'link', at: new Date() }));
    await h.env.client.workflow.getHandle(npsWorkflowId(a.id)).signal(npsLinkAnswerSignal, { score: 6, comment: 'Preço alto', at: new Date().toISOString() });
    const result = await h.result(a.id);
    expect(result).toMatchObject({ outcome: 'answered', score: 6, npsClass: 'detractor' });
    expect(result.actions).toEqual(expect.arrayContaining(['alerted', 'coupon', 'apology']));
    // No comment question and no thanks in the chat: the page said it.
    expect((await h.outbox(p.id)).map((m) => m.template)).toEqual(['nps', 'nps_apology']);
  });

  it('an answer on the page whose signal was lost is found at the next wake-up', async () => {
    const p = await h.patient();
    const a = await h.visit(p.id);
    await h.start(a);
    await h.asked(a.id);
    const s = await h.survey(a.id);
    await withClinic(h.tdb.db, h.clinic.clinic.id, (tx) => recordScore(tx, { surveyId: s.id, score: 7, via: 'link', at: new Date() }));
    const result = await h.result(a.id);
    expect(result).toMatchObject({ outcome: 'answered', score: 7, npsClass: 'neutral' });
    expect((await h.outbox(p.id)).map((m) => m.template)).toEqual(['nps']); // no reminder: it was answered
  });

  it('opted out of WhatsApp: the survey goes by SMS; out of everything: not sent, and why', async () => {
    const p = await h.patient({ email: null });
    await h.consent(p.id, 'whatsapp', false, true);
    const a = await h.visit(p.id);
    await h.start(a);
    await h.asked(a.id);
    expect((await h.survey(a.id)).channel).toBe('sms');
    const r = await h.reply(p.phone!, '9', 'sms');
    expect(r?.outcome).toBe('signalled');
    await h.until(a.id, (s) => s.stage === 'waiting_comment');

    const q = await h.patient({ email: null });
    await h.consent(q.id, 'whatsapp', false, true);
    await h.consent(q.id, 'sms', false, true);
    const b = await h.visit(q.id);
    await h.start(b);
    const result = await h.result(b.id);
    expect(result).toMatchObject({ outcome: 'not_sent', reason: 'opted_out' });
    expect(await h.survey(b.id)).toMatchObject({ status: 'nao_enviada', skipReason: 'opted_out' });
    expect(await h.outbox(q.id)).toHaveLength(0);
  });

  it('a clinic that treats the survey as marketing does not ask a patient without consent', async () => {
    await h.tdb.db.execute(`update clinics set settings = jsonb_set(settings, '{afterVisit}', '{"npsBasis":"marketing"}') where id = '${h.clinic.clinic.id}'`);
    try {
      const p = await h.patient({ email: null });
      const a = await h.visit(p.id);
      await h.start(a);
      expect(await h.result(a.id)).toMatchObject({ outcome: 'not_sent', reason: 'no_consent' });
      const q = await h.patient({ marketing: true });
      const b = await h.visit(q.id);
      await h.start(b);
      await h.asked(b.id);
      expect((await h.survey(b.id)).basis).toBe('marketing');
    } finally {
      await h.tdb.db.execute(`update clinics set settings = settings - 'afterVisit' where id = '${h.clinic.clinic.id}'`);
    }
  });

  it("the clinic's own texts (Administração): its question and its apology with the coupon, gendered, are what the patient gets", async () => {
    const texts = {
      question: '{Querida|Querido|Olá}, {paciente}! Como foi seu {procedimento} com {profissional}? Dê uma nota de 0 a 10: {link}',
      apology: 'Poxa, {paciente}, pedimos desculpas. Use o cupom {cupom} ({desconto}) até {validade}.',
    };
    await h.tdb.db.execute(`update clinics set settings = jsonb_set(settings, '{afterVisit}', '${JSON.stringify({ texts })}') where id = '${h.clinic.clinic.id}'`);
    try {
      const p = await h.patient({ marketing: true });
      const a = await h.visit(p.id);
      await h.start(a);
      await h.asked(a.id);
      const [question] = await h.outbox(p.id);
      expect(question.body).toMatch(/^Querida, \S+! Como foi seu Limpeza de pele com .+\? Dê uma nota de 0 a 10: https:\/\/clinica\.test\/p\/nps\//);
      await h.reply(p.whatsapp!, '2');
      await h.until(a.id, (s) => s.stage === 'waiting_comment');
      await h.reply(p.whatsapp!, 'Demorou demais');
      await h.result(a.id);
      const s = await h.survey(a.id);
      const [coupon] = await h.tdb.db.select().from(coupons).where(eq(coupons.surveyId, s.id));
      const apology = (await h.outbox(p.id)).find((m) => m.template === 'nps_apology')!;
      expect(apology.body).toMatch(new RegExp(`^Poxa, \\S+, pedimos desculpas\\. Use o cupom ${coupon.code} \\(15%\\) até \\d{2}/\\d{2}/\\d{4}\\.$`));
    } finally {
      await h.tdb.db.execute(`update clinics set settings = settings - 'afterVisit' where id = '${h.clinic.clinic.id}'`);
    }
  });

  it('two visits on one day: two surveys, never two on the same day (the later one waits)', async () => {
    const p = await h.patient();
    const a = await h.visit(p.id, { agoMs: 27 * HOUR });
    const b = await h.visit(p.id, { agoMs: 25 * HOUR, procedureId: h.clinic.botox.id });
    await h.start(a);
    await h.asked(a.id);
    await h.start(b);
    const waiting = await h.until(b.id, (s) => s.stage === 'scheduled' && s.sendAt !== null, 'scheduled');
    const first = (await h.survey(a.id)).sentAt!;
    expect(Date.parse(waiting.sendAt!) - first.getTime()).toBeGreaterThan(HOUR);
    const local = (d: Date) => d.toLocaleDateString('pt-BR', { timeZone: 'America/Sao_Paulo' });
    expect(local(new Date(waiting.sendAt!))).not.toBe(local(first));
    await h.asked(b.id);
    expect((await h.outbox(p.id)).filter((m) => m.template === 'nps')).toHaveLength(2);
  });
});
