// Conversations with Anna: every WhatsApp booking came from one; plus leads that went nowhere, some still open, and spam.
import type * as s from '../schema';
import type { AppointmentDraft } from './agenda';
import type { CatalogProcedure } from './catalog';
import { LEAD_OPENERS, SPAM_MESSAGES, type DemoProcedure } from './data';
import type { PhoneBook } from './patients';
import { brl, DAY, ddmm, hhmm, HOUR, later, MINUTE, WEEKDAYS, weekdayOf, type Row, type SeedRun } from './support';

export interface ConversationRows {
  conversations: Row<typeof s.conversations>[];
  messages: Row<typeof s.conversationMessages>[];
  qualifications: Row<typeof s.conversationQualifications>[];
}

const GOALS: Record<string, readonly string[]> = {
  facial: ['Quero um resultado natural', 'Quero parecer mais descansada', 'Melhorar as manchas e a textura da pele'],
  corporal: ['Diminuir o inchaço', 'Quero me sentir bem para o verão', 'Tratar a flacidez'],
  capilar: ['Meu cabelo está caindo muito'],
  outra: ['Quero cuidar de mim'],
};

export function demoConversations(run: SeedRun, appointments: AppointmentDraft[], procedures: CatalogProcedure[], mobile: PhoneBook): ConversationRows {
  const { random, newId, clinicId, nowMs, windowStart } = run;
  const conversations: ConversationRows['conversations'] = [];
  const messages: ConversationRows['messages'] = [];
  const qualifications: ConversationRows['qualifications'] = [];
  const say = (conversationId: string, sender: 'anna' | 'paciente', body: string, at: Date, sentiment: number | null = null) => {
    messages.push({
      id: newId(), clinicId, conversationId, sender, body, kind: 'texto', sentAt: at, read: at.getTime() < nowMs - 10 * MINUTE,
      readAt: at.getTime() < nowMs - 10 * MINUTE ? later(at, random.int(1, 10) * MINUTE) : null,
      sentimentScore: sentiment, providerMessageId: run.twilioSid(),
    });
  };
  const opener = (proc: DemoProcedure) => random.pick(LEAD_OPENERS).replace('{procedimento}', proc.name.toLowerCase());

  // Bookings made on WhatsApp: Anna's four questions, then the appointment.
  for (const a of appointments.filter((x) => x.row.source === 'whatsapp')) {
    const r = a.row;
    const id = newId();
    const phone = a.patient.row.whatsapp ?? a.patient.row.phone!;
    const bookedAt = r.createdAt;
    let t = new Date(bookedAt.getTime() - random.int(12, 60) * MINUTE);
    const startedAt = t;
    const step = () => (t = later(t, random.int(20, 300) * 1000));
    const pos = () => Math.round((0.3 + random.next() * 0.6) * 100) / 100;
    say(id, 'paciente', opener(a.procedure), t, pos());
    say(id, 'anna', `Olá, ${a.patient.first}! Eu sou a Anna, assistente virtual da Clínica Bella Pele 💕 Posso te fazer 4 perguntinhas rápidas para encontrar o melhor horário?`, step());
    say(id, 'paciente', random.pick(['Pode sim!', 'Claro', 'Pode']), step(), pos());
    say(id, 'anna', `1) Você já fez ${a.procedure.name.toLowerCase()} antes?`, step());
    say(id, 'paciente', random.pick(['Nunca fiz', 'Já fiz uma vez, faz uns meses', 'Sim, faço sempre']), step(), pos());
    say(id, 'anna', '2) Qual resultado você espera?', step());
    say(id, 'paciente', random.pick(GOALS[a.procedure.category]), step(), pos());
    say(id, 'anna', '3) Qual dia e período ficam melhores para você?', step());
    say(id, 'paciente', `${WEEKDAYS[weekdayOf(a.day)]} de ${a.startMinute < 12 * 60 ? 'manhã' : 'tarde'}, se der`, step(), pos());
    say(id, 'anna', `Perfeito! Tenho ${WEEKDAYS[weekdayOf(a.day)]}, ${ddmm(a.day)}, às ${hhmm(a.startMinute)} com ${a.professional.name}. O valor é ${brl(r.priceCents)}. 4) Confirma seu nome completo para eu reservar?`, step());
    say(id, 'paciente', a.patient.row.name, step(), null);
    const confirmAt = later(bookedAt, random.int(10, 50) * 1000);
    say(id, 'anna', `Agendado ✅ ${a.procedure.name} em ${ddmm(a.day)} às ${hhmm(a.startMinute)} com ${a.professional.name}. Você recebe um lembrete 24 h antes. Até lá!`, confirmAt);
    conversations.push({
      id, clinicId, patientWhatsapp: phone, patientId: a.patient.row.id, startedAt, lastMessageAt: confirmAt, status: 'convertida',
      convertedAppointmentId: r.id, closedAt: confirmAt, workflowId: `lead:${clinicId}:${phone}`, createdAt: startedAt,
    });
    qualifications.push({
      id: newId(), clinicId, conversationId: id, score: random.int(72, 98), interested: 'sim', procedureInterest: a.procedure.name,
      procedureId: a.procedure.id, preferredDate: a.day, preferredTime: hhmm(a.startMinute), confirmedPhone: phone, createdAt: startedAt, updatedAt: confirmAt,
    });
    run.event('lead_converted', confirmAt, a.patient.row.id, { conversationId: id, appointmentId: r.id });
    a.patient.contactAt = a.patient.contactAt && a.patient.contactAt > confirmAt ? a.patient.contactAt : confirmAt;
  }

  // Leads that stopped answering, some still open, and a little spam.
  const leadKinds = [
    ...Array.from({ length: 64 }, () => 'abandonada' as const),
    ...Array.from({ length: 9 }, () => 'aberta' as const),
    ...Array.from({ length: 6 }, () => 'spam' as const),
  ];
  for (const kind of leadKinds) {
    const id = newId();
    const phone = mobile(random.weighted([['11', 85], ['13', 5], ['21', 5], ['31', 5]] as const));
    let t =
      kind === 'aberta'
        ? new Date(nowMs - random.int(20, 36 * 60) * MINUTE)
        : new Date(windowStart + random.next() * (nowMs - 3 * DAY - windowStart));
    const startedAt = t;
    const step = () => (t = later(t, random.int(30, 900) * 1000));
    if (kind === 'spam') {
      say(id, 'paciente', random.pick(SPAM_MESSAGES), t, 0);
      say(id, 'anna', 'Olá! Sou a Anna, da Clínica Bella Pele. Posso ajudar com algum procedimento estético?', step());
      conversations.push({ id, clinicId, patientWhatsapp: phone, startedAt, lastMessageAt: t, status: 'spam', closedAt: later(t, HOUR), createdAt: startedAt });
      continue;
    }
    const proc = random.weighted(procedures.map((p) => [p, p.weight] as const));
    say(id, 'paciente', opener(proc), t, Math.round(random.next() * 60) / 100);
    say(id, 'anna', `Oi! Eu sou a Anna, assistente virtual da Clínica Bella Pele 💕 ${proc.name} sai por ${brl(proc.priceCents)}. Posso te fazer 4 perguntinhas para achar o melhor horário?`, step());
    const answers = random.int(0, 3);
    if (answers >= 1) {
      say(id, 'paciente', random.pick(['Pode', 'Hmm, achei um pouco caro', 'Pode sim, mas só consigo depois do trabalho']), step(), Math.round((random.next() * 1.2 - 0.4) * 100) / 100);
      say(id, 'anna', `1) Você já fez ${proc.name.toLowerCase()} antes?`, step());
    }
    if (answers >= 2) {
      say(id, 'paciente', random.pick(['Nunca', 'Já, em outra clínica']), step(), 0.2);
      say(id, 'anna', '2) Qual resultado você espera?', step());
    }
    const last = t;
    const nudgeAt = later(last, 23 * HOUR);
    if (kind === 'abandonada') {
      say(id, 'anna', 'Oi! Ainda tem interesse? Posso reservar um horário para você esta semana 😊', nudgeAt);
    }
    const lastMessageAt = kind === 'abandonada' ? nudgeAt : last;
    conversations.push({
      id, clinicId, patientWhatsapp: phone, startedAt, lastMessageAt, status: kind,
      closedAt: kind === 'abandonada' ? later(nudgeAt, 48 * HOUR) : null, workflowId: `lead:${clinicId}:${phone}`, createdAt: startedAt,
    });
    qualifications.push({
      id: newId(), clinicId, conversationId: id, score: kind === 'aberta' ? random.int(40, 75) : random.int(10, 60),
      interested: random.pick(['talvez', 'talvez', 'nao', 'sim'] as const), procedureInterest: proc.name, procedureId: proc.id,
      createdAt: startedAt, updatedAt: lastMessageAt,
    });
    if (kind === 'abandonada') run.event('lead_abandoned', later(nudgeAt, 48 * HOUR), null, { conversationId: id });
  }
  return { conversations, messages, qualifications };
}
