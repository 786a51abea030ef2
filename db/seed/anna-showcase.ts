// Anna's inbox showcase: a handful of hand-written conversations that show every state of the staff
// inbox (a conversion with its appointment, a lead in the staff queue with its score factors, one still
// qualifying, one abandoned, spam), with delivery status, score factors, offered slots and AI usage.
// Added once per demo clinic (the first showcase number is the marker), also to a clinic seeded before
// the showcase existed; deterministic for a given `now`.
import { and, eq, gt, sql } from 'drizzle-orm';
import { createRandom } from '../../domain/random';
import type { Db, Tx } from '../client';
import * as s from '../schema';
import { brl, clinicCalendar, DAY, ddmm, hhmm, HOUR, insertMany, later, LOCK_KEY, MINUTE, uuidMaker, WEEKDAYS, weekdayOf, type Row } from './support';

export const ANNA_SHOWCASE_PHONES = {
  queue: '+5511940010001',
  qualifying: '+5511940010002',
  abandoned: '+5511940010003',
  spam: '+5511940010004',
} as const;

export async function seedAnnaShowcase(db: Db | Tx, clinicId: string, now: Date): Promise<{ added: boolean }> {
  const run = async (tx: Tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_KEY + 1})`);
    const [marker] = await tx.select({ id: s.conversations.id }).from(s.conversations)
      .where(and(eq(s.conversations.clinicId, clinicId), eq(s.conversations.patientWhatsapp, ANNA_SHOWCASE_PHONES.queue)));
    if (marker) return { added: false };
    await insertAnnaShowcase(tx, clinicId, now);
    return { added: true };
  };
  return db.transaction(run);
}

/** The five scripted conversations, inside the caller's transaction (also the first seed's). */
export async function insertAnnaShowcase(tx: Tx, clinicId: string, now: Date) {
  const calendar = clinicCalendar();
  const newId = uuidMaker(createRandom(`tigre-demo-anna:${clinicId}`));
  const nowMs = now.getTime();
  const ago = (minutes: number) => new Date(nowMs - minutes * MINUTE);
  const secs = (d: Date, n: number) => new Date(d.getTime() + n * 1000);
  const procs = await tx.select({ id: s.procedures.id, name: s.procedures.name, priceCents: s.procedures.defaultPriceCents })
    .from(s.procedures).where(eq(s.procedures.clinicId, clinicId));
  const proc = (prefix: string) => procs.find((p) => p.name.startsWith(prefix)) ?? procs[0];

  const conversations: Row<typeof s.conversations>[] = [];
  const messages: Row<typeof s.conversationMessages>[] = [];
  const qualifications: Row<typeof s.conversationQualifications>[] = [];
  const outbox: Row<typeof s.messageOutbox>[] = [];
  const calls: Row<typeof s.aiCalls>[] = [];

  /** One scripted thread: patient lines are read unless `unread`; Anna's go through the outbox with a status. */
  const script = (
    conversationId: string, phone: string, patientId: string | null,
    lines: { who: 'anna' | 'paciente' | 'staff'; text: string; at: Date; status?: 'delivered' | 'read' | 'sent'; unread?: boolean; quick?: string[]; sentiment?: number }[],
  ) => {
    lines.forEach((l, i) => {
      let outboxId: string | null = null;
      if (l.who !== 'paciente') {
        outboxId = newId();
        const status = l.status ?? 'read';
        outbox.push({
          id: outboxId, clinicId, channel: 'whatsapp', to: phone, body: l.text, status, purpose: 'transactional',
          idempotencyKey: `seed-anna:${conversationId}:${i}`, providerMessageId: `SM${outboxId.replace(/-/g, '')}`, patientId,
          templateData: l.quick ? { quickReplies: l.quick } : {}, attempts: 1, createdAt: l.at, sentAt: l.at,
          deliveredAt: status === 'sent' ? null : secs(l.at, 2), readAt: status === 'read' ? secs(l.at, 40) : null,
        });
      }
      messages.push({
        id: newId(), clinicId, conversationId, sender: l.who, body: l.text, kind: 'texto', sentAt: l.at,
        read: l.who !== 'paciente' || !l.unread, readAt: l.who === 'paciente' && !l.unread ? secs(l.at, 90) : null,
        sentimentScore: l.who === 'paciente' ? l.sentiment ?? 0.3 : null,
        providerMessageId: l.who === 'paciente' ? `SMin${conversationId.slice(0, 8)}${i}` : `SM${outboxId!.replace(/-/g, '')}`,
        outboxId, quickReplies: l.quick ?? null,
      });
    });
  };
  const usage = (conversationId: string, at: Date, list: { engine: 'openai' | 'local'; purpose: 'analyze' | 'phrase'; outcome?: 'ok' | 'timeout'; prompt?: number; completion?: number }[]) =>
    list.forEach((c, i) => {
      const prompt = c.engine === 'openai' ? c.prompt ?? 640 : 0;
      const completion = c.engine === 'openai' && c.outcome !== 'timeout' ? c.completion ?? 90 : 0;
      // gpt-4o-mini: US$ 0.15 / 1M input tokens, US$ 0.60 / 1M output tokens → micro-dollars.
      calls.push({
        id: newId(), clinicId, conversationId, engine: c.engine, model: c.engine === 'openai' ? 'gpt-4o-mini' : null, purpose: c.purpose,
        outcome: c.outcome ?? 'ok', promptTokens: prompt, completionTokens: completion,
        costMicroUsd: Math.round(prompt * 0.15 + completion * 0.6), latencyMs: c.engine === 'openai' ? 900 + i * 37 : 3,
        error: c.outcome === 'timeout' ? 'OpenAI não respondeu em 8 s; resposta do motor local' : null, createdAt: secs(at, i * 45),
      });
    });

  // 1) Converted: a real upcoming appointment (agendado, no conversation yet) of a patient with WhatsApp.
  const [booked] = await tx
    .select({
      id: s.appointments.id, startsAt: s.appointments.startsAt, createdAt: s.appointments.createdAt, priceCents: s.appointments.priceCents,
      patientId: s.patients.id, patientName: s.patients.name, whatsapp: s.patients.whatsapp,
      procedureId: s.procedures.id, procedureName: s.procedures.name, professionalId: s.professionals.id, professionalName: s.professionals.name,
    })
    .from(s.appointments)
    .innerJoin(s.patients, eq(s.patients.id, s.appointments.patientId))
    .innerJoin(s.procedures, eq(s.procedures.id, s.appointments.procedureId))
    .innerJoin(s.professionals, eq(s.professionals.id, s.appointments.professionalId))
    .where(and(
      eq(s.appointments.clinicId, clinicId), eq(s.appointments.status, 'agendado'), gt(s.appointments.startsAt, later(now, DAY)),
      sql`${s.patients.whatsapp} is not null`, sql`${s.appointments.createdAt} < ${ago(120).toISOString()}::timestamptz`,
      sql`not exists (select 1 from ${s.conversations} c where c.converted_appointment_id = ${s.appointments.id})`,
    ))
    .orderBy(s.appointments.startsAt, s.appointments.id)
    .limit(1);
  if (booked) {
    const id = newId();
    const phone = booked.whatsapp!;
    const first = booked.patientName.split(' ')[0];
    const day = calendar.localDay(booked.startsAt);
    const time = hhmm(calendar.minuteOfDay(booked.startsAt));
    const when = `${WEEKDAYS[weekdayOf(day)]} ${ddmm(day)} às ${time}`;
    const slotAlt1 = later(booked.startsAt, 2 * HOUR);
    const slotAlt2 = later(booked.startsAt, DAY);
    const label = (d: Date) => {
      const dd = calendar.localDay(d);
      return `${WEEKDAYS[weekdayOf(dd)].slice(0, 3)} ${ddmm(dd)} às ${hhmm(calendar.minuteOfDay(d))} com ${booked.professionalName}`;
    };
    const t0 = new Date(booked.createdAt.getTime() - 22 * MINUTE);
    script(id, phone, booked.patientId, [
      { who: 'paciente', text: `Oi! Queria agendar ${booked.procedureName.toLowerCase()}`, at: t0, sentiment: 0.6 },
      { who: 'anna', text: `Oi, ${first}! Eu sou a Anna, assistente virtual da Clínica Bella Pele 💕 ${booked.procedureName} sai por ${brl(booked.priceCents)}. Você tem interesse em fazer quando?`, at: secs(t0, 4) },
      { who: 'paciente', text: 'Quero fazer logo, essa semana ou na próxima', at: secs(t0, 95), sentiment: 0.5 },
      { who: 'anna', text: 'Ótimo! Qual dia e período ficam melhores para você?', at: secs(t0, 99) },
      { who: 'paciente', text: `${WEEKDAYS[weekdayOf(day)]} de ${Number(time.slice(0, 2)) < 12 ? 'manhã' : 'tarde'}`, at: secs(t0, 180), sentiment: 0.4 },
      {
        who: 'anna', text: `Tenho estes horários:\n1) ${label(booked.startsAt)}\n2) ${label(slotAlt1)}\n3) ${label(slotAlt2)}\nQual fica melhor?`,
        at: secs(t0, 184), quick: ['1', '2', '3'],
      },
      { who: 'paciente', text: '1', at: secs(t0, 260), sentiment: 0.2 },
      { who: 'anna', text: `Posso confirmar ${when} com ${booked.professionalName}? Este WhatsApp é o melhor contato?`, at: secs(t0, 263), quick: ['Sim', 'Não'] },
      { who: 'paciente', text: 'Sim, pode confirmar!', at: secs(t0, 330), sentiment: 0.8 },
      { who: 'anna', text: `Agendado ✅ ${booked.procedureName} ${when} com ${booked.professionalName}. Você recebe um lembrete 24 h antes. Até lá, ${first}!`, at: booked.createdAt },
    ]);
    conversations.push({
      id, clinicId, patientWhatsapp: phone, patientId: booked.patientId, contactName: booked.patientName, startedAt: t0,
      lastMessageAt: booked.createdAt, status: 'convertida', convertedAppointmentId: booked.id, closedAt: booked.createdAt,
      workflowId: `lead:${clinicId}:${phone}`, stage: 'done', firstReplyAt: secs(t0, 4), createdAt: t0,
    });
    qualifications.push({
      id: newId(), clinicId, conversationId: id, score: 88, interested: 'sim', procedureInterest: booked.procedureName, procedureId: booked.procedureId,
      interestWhen: 'essa semana ou na próxima', preferredDate: day, preferredTime: time, confirmedPhone: phone,
      scoreFactors: [
        { key: 'procedure', label: 'Procedimento oferecido pela clínica', points: 25 },
        { key: 'interest', label: 'Interesse confirmado', points: 20 },
        { key: 'urgency', label: 'Quer fazer nas próximas duas semanas', points: 15 },
        { key: 'date_fit', label: 'Há horários livres no dia preferido', points: 10 },
        { key: 'time', label: 'Informou o período do dia', points: 8 },
        { key: 'engagement', label: 'Respondeu rápido (mediana de 1 min)', points: 5 },
        { key: 'phone', label: 'Confirmou o WhatsApp como contato', points: 5 },
      ],
      suggestedSlots: [booked.startsAt, slotAlt1, slotAlt2].map((d) => ({ professionalId: booked.professionalId, startsAt: d.toISOString(), label: label(d) })),
      createdAt: t0, updatedAt: booked.createdAt,
    });
    usage(id, t0, [
      { engine: 'openai', purpose: 'analyze' }, { engine: 'openai', purpose: 'phrase', prompt: 820, completion: 70 },
      { engine: 'openai', purpose: 'analyze' }, { engine: 'openai', purpose: 'analyze' }, { engine: 'local', purpose: 'analyze' },
      { engine: 'openai', purpose: 'phrase', prompt: 790, completion: 60 },
    ]);
  }

  // 2) In the staff queue: score 45 (≤ the clinic's threshold) and a question for a person; 1 unread.
  {
    const id = newId();
    const phone = ANNA_SHOWCASE_PHONES.queue;
    const p = proc('Preenchimento labial');
    const t0 = ago(95);
    script(id, phone, null, [
      { who: 'paciente', text: 'Boa tarde! Quanto custa o preenchimento labial?', at: t0, sentiment: 0.1 },
      { who: 'anna', text: `Boa tarde! Eu sou a Anna, assistente virtual da Clínica Bella Pele 💕 ${p.name} sai por ${brl(p.priceCents)}. Você tem interesse em fazer quando?`, at: secs(t0, 6) },
      { who: 'paciente', text: 'Hmm, achei um pouco caro. Talvez mês que vem', at: secs(t0, 600), sentiment: -0.2 },
      { who: 'anna', text: 'Entendi! Qual período do dia costuma ser melhor para você?', at: secs(t0, 605), quick: ['Manhã', 'Tarde', 'Noite'] },
      { who: 'paciente', text: 'Tarde', at: secs(t0, 1500), sentiment: 0 },
      { who: 'anna', text: 'Anotado! Vou pedir para alguém da nossa equipe falar com você sobre valores e formas de pagamento, tudo bem? 😊', at: secs(t0, 1504), status: 'delivered' },
      { who: 'paciente', text: 'Pode ser. Vocês parcelam? E o inchaço dura quantos dias?', at: ago(25), sentiment: 0.1, unread: true },
    ]);
    conversations.push({
      id, clinicId, patientWhatsapp: phone, contactName: 'Larissa Mendes', startedAt: t0, lastMessageAt: ago(25), status: 'aberta',
      workflowId: `lead:${clinicId}:${phone}`, stage: 'staff_queue', needsStaff: true, firstReplyAt: secs(t0, 6), unreadCount: 1, createdAt: t0,
    });
    qualifications.push({
      id: newId(), clinicId, conversationId: id, score: 45, interested: 'talvez', procedureInterest: p.name, procedureId: p.id,
      interestWhen: 'mês que vem', preferredTime: 'tarde',
      scoreFactors: [
        { key: 'procedure', label: 'Procedimento oferecido pela clínica', points: 25 },
        { key: 'interest', label: 'Interesse: talvez', points: 10 },
        { key: 'urgency', label: 'Quer fazer só no mês que vem', points: 5 },
        { key: 'engagement', label: 'Respondeu todas as perguntas', points: 10 },
        { key: 'negative', label: 'Achou o preço alto', points: -5 },
      ],
      createdAt: t0, updatedAt: ago(25),
    });
    usage(id, t0, [
      { engine: 'openai', purpose: 'analyze' }, { engine: 'openai', purpose: 'analyze', outcome: 'timeout' }, { engine: 'local', purpose: 'analyze' },
      { engine: 'openai', purpose: 'phrase', prompt: 760, completion: 55 },
    ]);
  }

  // 3) Still qualifying: Anna asked the second question a few minutes ago.
  {
    const id = newId();
    const phone = ANNA_SHOWCASE_PHONES.qualifying;
    const p = proc('Limpeza de pele');
    const t0 = ago(9);
    script(id, phone, null, [
      { who: 'paciente', text: 'Oi! Vocês fazem limpeza de pele?', at: t0, sentiment: 0.4, unread: true },
      { who: 'anna', text: `Oi! Eu sou a Anna, assistente virtual da Clínica Bella Pele 💕 Fazemos sim: ${p.name} (${brl(p.priceCents)}, cerca de 1h30). Você tem interesse em fazer quando?`, at: secs(t0, 5), status: 'delivered' },
    ]);
    conversations.push({
      id, clinicId, patientWhatsapp: phone, contactName: 'Bianca Teixeira', startedAt: t0, lastMessageAt: secs(t0, 5), status: 'aberta',
      workflowId: `lead:${clinicId}:${phone}`, stage: 'qualifying', firstReplyAt: secs(t0, 5), unreadCount: 1, createdAt: t0,
    });
    qualifications.push({ id: newId(), clinicId, conversationId: id, procedureInterest: p.name, procedureId: p.id, createdAt: t0, updatedAt: secs(t0, 5) });
    usage(id, t0, [{ engine: 'local', purpose: 'analyze' }, { engine: 'local', purpose: 'phrase' }]);
  }

  // 4) Abandoned: stopped answering; the nudge went unanswered.
  {
    const id = newId();
    const phone = ANNA_SHOWCASE_PHONES.abandoned;
    const p = proc('Criolipólise');
    const t0 = ago(4 * 24 * 60);
    script(id, phone, null, [
      { who: 'paciente', text: 'Olá, quanto é a criolipólise?', at: t0, sentiment: 0.1 },
      { who: 'anna', text: `Olá! Eu sou a Anna, da Clínica Bella Pele 💕 ${p.name} sai por ${brl(p.priceCents)} a sessão. Você tem interesse em fazer quando?`, at: secs(t0, 8) },
      { who: 'paciente', text: 'Vou ver e te falo', at: secs(t0, 400), sentiment: -0.1 },
      { who: 'anna', text: 'Oi! Ainda tem interesse? Posso reservar um horário para você esta semana 😊', at: later(t0, 23 * HOUR), status: 'delivered' },
    ]);
    conversations.push({
      id, clinicId, patientWhatsapp: phone, contactName: 'Paula Martins', startedAt: t0, lastMessageAt: later(t0, 23 * HOUR), status: 'abandonada',
      closedAt: later(t0, 71 * HOUR), workflowId: `lead:${clinicId}:${phone}`, stage: 'done', firstReplyAt: secs(t0, 8), createdAt: t0,
    });
    qualifications.push({
      id: newId(), clinicId, conversationId: id, score: 30, interested: 'talvez', procedureInterest: p.name, procedureId: p.id,
      scoreFactors: [
        { key: 'procedure', label: 'Procedimento oferecido pela clínica', points: 25 },
        { key: 'interest', label: 'Interesse: talvez', points: 10 },
        { key: 'engagement', label: 'Parou de responder', points: -5 },
      ],
      createdAt: t0, updatedAt: later(t0, 23 * HOUR),
    });
    usage(id, t0, [{ engine: 'openai', purpose: 'analyze' }, { engine: 'openai', purpose: 'phrase', prompt: 700, completion: 50 }]);
  }

  // 5) Spam.
  {
    const id = newId();
    const phone = ANNA_SHOWCASE_PHONES.spam;
    const t0 = ago(2 * 24 * 60 + 30);
    script(id, phone, null, [
      { who: 'paciente', text: 'Seu CPF foi sorteado! Responda SIM para receber o prêmio http://premio.example', at: t0, sentiment: 0 },
      { who: 'anna', text: 'Olá! Sou a Anna, da Clínica Bella Pele. Posso ajudar com algum procedimento estético?', at: secs(t0, 5) },
    ]);
    conversations.push({
      id, clinicId, patientWhatsapp: phone, startedAt: t0, lastMessageAt: secs(t0, 5), status: 'spam', closedAt: secs(t0, 60),
      workflowId: `lead:${clinicId}:${phone}`, stage: 'done', firstReplyAt: secs(t0, 5), createdAt: t0,
    });
    usage(id, t0, [{ engine: 'local', purpose: 'analyze' }]);
  }

  await insertMany(tx, s.messageOutbox, outbox);
  await insertMany(tx, s.conversations, conversations);
  await insertMany(tx, s.conversationMessages, messages);
  await insertMany(tx, s.conversationQualifications, qualifications);
  await insertMany(tx, s.aiCalls, calls);

  // The older demo conversations predate the inbox columns: their first reply is Anna's first message,
  // and a closed conversation's journey is over (so the analytics' time to first reply covers them too).
  await tx.execute(sql`
    update conversations c set first_reply_at = (
      select min(m.sent_at) from conversation_messages m where m.conversation_id = c.id and m.sender <> 'paciente')
    where c.clinic_id = ${clinicId} and c.first_reply_at is null`);
  await tx.update(s.conversations).set({ stage: 'done' })
    .where(and(eq(s.conversations.clinicId, clinicId), sql`${s.conversations.status} <> 'aberta'`, eq(s.conversations.stage, 'qualifying')));
}
