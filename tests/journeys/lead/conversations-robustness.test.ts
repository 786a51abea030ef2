// Scripted conversations about time and robustness: silence (one nudge, then abandonment at 72 h),
// an answer after the nudge, the laser's deposit paid and not paid, spam and insults, staff takeover
// and hand-back, the same MessageSid twice, media-only and very long messages, and a known patient.
import { expect } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { conversationMessages, paymentCheckouts, patients, payments } from '../../../db/schema';
import { describeScripts, type Script } from './scripts';

const SLOTS = /Tenho estes horários disponíveis/;
const BOOKED = /Agendado! ✅/;
const PHONE_Q = /Posso enviar a confirmação e os lembretes para este número/;
const NUDGE = /Ainda está por aí\?/;
const SPAM_STOP = /exclusivo para atendimento da clínica/;

const filler = ['Gostaria de entender melhor como funciona', 'minha pele é oleosa', 'tenho manchas de sol', 'já fiz peeling uma vez',
  'trabalho o dia todo', 'moro perto do metrô'];
let long = 'Oi, quero fazer limpeza de pele amanhã de manhã. ';
for (let i = 0; long.length < 8000; i++) long += `${filler[i % filler.length]} (${i}). `;

const scripts: Script[] = [
  {
    name: 'never answers: one nudge after 24 h, abandoned at 72 h',
    turns: [
      { patient: 'Olá', expect: { stage: 'qualifying', newAnnaMessages: 1 } },
      { sleepHours: 23, expect: { newAnnaMessages: 0 } },
      { sleepHours: 2, expect: { newAnnaMessages: 1, annaSaysMatch: [NUDGE] } },
    ],
    final: { outcome: 'abandonada', scoreBand: 'cold', annaMessageCount: 2, closedAfterHours: [71.9, 72.5] },
  },
  {
    name: 'goes silent after the slots: one nudge, then abandoned',
    turns: [
      { patient: 'quero botox amanhã de manhã', expect: { lastQuestion: 'phone' } },
      { patient: 'sim', expect: { stage: 'choosing_slot' } },
    ],
    final: { outcome: 'abandonada', scoreBand: 'hot', annaMessageCount: 3, annaSaysMatch: [NUDGE], closedAfterHours: [71.9, 72.5] },
  },
  {
    name: 'answers after the nudge and books',
    turns: [
      { patient: 'oi, quero limpeza de pele', expect: { stage: 'qualifying' } },
      { sleepHours: 25, expect: { newAnnaMessages: 1, annaSaysMatch: [NUDGE] } },
      { patient: 'desculpa a demora! sexta à tarde', expect: { lastQuestion: 'phone', annaSaysMatch: [PHONE_Q] } },
      { patient: 'sim', expect: { stage: 'choosing_slot', slotsPeriod: 'tarde' } },
      { patient: '1', expect: { stage: 'confirming_slot', chosenSlot: 1 } },
      { patient: 'sim', expect: { stage: 'asking_name' } },
      { patient: 'Aline Ramos', expect: { annaSaysMatch: [BOOKED] } },
    ],
    final: { outcome: 'convertida', scoreBand: 'hot', annaMessageCount: 7, appointment: { procedure: 'limpeza', period: 'tarde', patientName: 'Aline Ramos' } },
  },
  {
    name: 'laser with a 20% deposit: pays the link and is booked',
    turns: [
      { patient: 'Boa tarde! quero depilação a laser amanhã à tarde, meu nome é Paula Reis', expect: { lastQuestion: 'phone', qualification: { procedure: 'laser', name: 'Paula Reis' } } },
      { patient: 'sim', expect: { stage: 'choosing_slot', slotsPeriod: 'tarde' } },
      { patient: '1', expect: { stage: 'confirming_slot' } },
      { patient: 'sim', expect: { stage: 'awaiting_payment', annaSaysMatch: [/sinal de R\$ 80,00/, /https:\/\//, /Pix/], annaSaysNot: [BOOKED] } },
      { pay: true, expect: { annaSaysMatch: [/Pagamento recebido/, BOOKED, /Depilação a laser/] } },
    ],
    final: { outcome: 'convertida', scoreBand: 'hot', annaMessageCount: 5, appointment: { procedure: 'laser', period: 'tarde', patientName: 'Paula Reis', deposit: 8000 } },
  },
  {
    name: 'laser deposit not paid: after 60 min the slot is released and new slots offered',
    turns: [
      { patient: 'oi! queria marcar depilacao laser, terça à tarde. Me chamo Lívia Souza', expect: { lastQuestion: 'phone', qualification: { procedure: 'laser', name: 'Lívia Souza' } } },
      { patient: 'pode ser este número', expect: { stage: 'choosing_slot', slotsPeriod: 'tarde' } },
      { patient: '2', expect: { stage: 'confirming_slot', chosenSlot: 2 } },
      { patient: 'confirmo', expect: { stage: 'awaiting_payment', annaSaysMatch: [/R\$ 80,00/] } },
      { sleepHours: 0.5, expect: { newAnnaMessages: 0, stage: 'awaiting_payment' } },
      { sleepHours: 0.6, expect: { newAnnaMessages: 1, stage: 'choosing_slot', annaSaysMatch: [/prazo/, SLOTS], quickReplies: 3 } },
    ],
    final: { outcome: 'open', stage: 'choosing_slot', scoreBand: 'hot', annaMessageCount: 5 },
    async check({ h, conversationId }) {
      const rows = await h.tdb.db.select().from(payments).where(eq(payments.conversationId, conversationId));
      expect(rows).toHaveLength(1);
      expect(rows[0].status).not.toBe('aprovado');
      expect(rows[0].appointmentId).toBeNull();
      const checkouts = await h.tdb.db.select().from(paymentCheckouts).where(eq(paymentCheckouts.paymentId, rows[0].id));
      expect(checkouts.map((c) => c.status)).toEqual(['expirado']);
    },
  },
  {
    name: 'spam link: marked spam, and the number stays quiet',
    turns: [
      { patient: 'ganhe dinheiro fácil bit.ly/xxx', expect: { annaSaysMatch: [SPAM_STOP], newAnnaMessages: 1 } },
      { patient: 'oi??', expect: { routed: 'spam_quiet', newAnnaMessages: 0 } },
    ],
    final: { outcome: 'spam', scoreBand: 'none', annaMessageCount: 1 },
  },
  {
    name: 'insults Anna: spam, Anna stops answering',
    turns: [
      { patient: 'oi', expect: { stage: 'qualifying' } },
      { patient: 'sua idiota, lixo de clínica', expect: { newAnnaMessages: 1 } },
      { patient: 'oi de novo', expect: { routed: 'spam_quiet', newAnnaMessages: 0 } },
    ],
    final: { outcome: 'spam', scoreBand: 'cold', annaMessageCount: 2 },
  },
  {
    name: 'staff takes over mid-conversation and hands back: Anna resumes with what was said',
    turns: [
      { patient: 'Oi! quero saber de limpeza de pele', expect: { stage: 'qualifying', newAnnaMessages: 1 } },
      { takeover: true, expect: { takenOver: true, newAnnaMessages: 0 } },
      { patient: 'quero agendar sexta de manhã', expect: { takenOver: true, newAnnaMessages: 0 } },
      { handBack: true, expect: { takenOver: false, newAnnaMessages: 0 } },
      { patient: 'ok', expect: { newAnnaMessages: 1, annaSaysNot: [/Qual dia/, /manhã, tarde ou noite/, /Qual procedimento/] } },
      { patient: 'sim', expect: { stage: 'choosing_slot', slotsPeriod: 'manha' } },
    ],
    final: { outcome: 'open', stage: 'choosing_slot', scoreBand: 'hot', annaMessageCount: 3 },
  },
  {
    name: 'the same MessageSid twice mid-conversation gets one reply',
    turns: [
      { patient: 'oi quero botox', opts: { messageSid: 'a' } },
      { patient: 'amanhã de manhã', opts: { messageSid: 'b' }, expect: { lastQuestion: 'phone', newAnnaMessages: 1 } },
      { patient: 'amanhã de manhã', opts: { messageSid: 'b' }, expect: { ignored: true, newAnnaMessages: 0 } },
      { patient: 'sim', opts: { messageSid: 'c' }, expect: { stage: 'choosing_slot', newAnnaMessages: 1 } },
    ],
    final: { outcome: 'open', stage: 'choosing_slot', scoreBand: 'hot', annaMessageCount: 3 },
    async check({ h, conversationId }) {
      const rows = await h.tdb.db.select().from(conversationMessages)
        .where(and(eq(conversationMessages.conversationId, conversationId), eq(conversationMessages.sender, 'paciente')));
      expect(rows).toHaveLength(3);
    },
  },
  {
    name: 'a photo without text, then text again',
    turns: [
      { patient: 'oi', expect: { lastQuestion: 'procedure' } },
      { patient: '', opts: { mediaUrls: ['https://api.twilio.com/media/ME1'] }, expect: { newAnnaMessages: 1, annaSaysMatch: [/só mensagens de texto/] } },
      { patient: 'quero limpeza de pele', expect: { qualification: { procedure: 'limpeza' }, annaSaysMatch: [/Qual dia e qual período/] } },
    ],
    final: { outcome: 'open', stage: 'qualifying', scoreBand: [0, 70], annaMessageCount: 3 },
  },
  {
    name: 'a very long message (8,000 characters) is read and answered once',
    turns: [
      { patient: long, expect: { newAnnaMessages: 1, lastQuestion: 'phone', qualification: { procedure: 'limpeza', preferredPeriod: 'manha' } } },
      { patient: 'sim', expect: { stage: 'choosing_slot', slotsPeriod: 'manha' } },
    ],
    final: { outcome: 'open', stage: 'choosing_slot', scoreBand: 'hot', annaMessageCount: 2 },
    async check({ h, conversationId }) {
      const rows = await h.tdb.db.select().from(conversationMessages)
        .where(and(eq(conversationMessages.conversationId, conversationId), eq(conversationMessages.sender, 'paciente')));
      expect(rows[0].body.length).toBeLessThanOrEqual(4097);
    },
  },
  {
    name: 'a known patient without an open appointment asks for a new procedure: her name is used',
    phone: (h) => h.clinic.carla.whatsapp!,
    turns: [
      { patient: 'Oi, boa tarde! Queria agendar uma limpeza de pele', expect: { annaSaysMatch: [/Olá, Carla!/], qualification: { name: 'Carla Mendes' } } },
      { patient: 'sexta de manhã', expect: { lastQuestion: 'phone' } },
      { patient: 'sim', expect: { stage: 'choosing_slot', slotsPeriod: 'manha' } },
      { patient: '2', expect: { stage: 'confirming_slot' } },
      { patient: 'sim', expect: { annaSaysMatch: [BOOKED], annaSaysNot: [/nome completo/] } },
    ],
    final: { outcome: 'convertida', scoreBand: 'hot', annaMessageCount: 5, appointment: { procedure: 'limpeza', period: 'manha', patientName: 'Carla Mendes' } },
    async check({ h }) {
      const same = await h.tdb.db.select().from(patients).where(and(eq(patients.clinicId, h.clinic.clinic.id), eq(patients.whatsapp, h.clinic.carla.whatsapp!)));
      expect(same.map((p) => p.id)).toEqual([h.clinic.carla.id]);
    },
  },
  {
    // "PARAR" is also the channel's opt-out keyword: the lead asked Anna to stop, so no nudge may follow.
    name: 'writes "PARAR" mid-conversation: Anna stops and sends nothing more',
    turns: [
      { patient: 'oi, quero botox', expect: { stage: 'qualifying', newAnnaMessages: 1 } },
      { patient: 'PARAR', expect: { newAnnaMessages: [0, 1], annaSaysNot: [/\?/] } },
    ],
    final: { outcome: 'encerrada', scoreBand: 'cold', annaMessageCount: [1, 2], annaSaysNot: [NUDGE] },
  },
  {
    name: 'laser: asks for another time while the deposit link is open, then pays once',
    turns: [
      { patient: 'quero depilação a laser quinta à tarde, sou a Marta Vieira', expect: { lastQuestion: 'phone', qualification: { name: 'Marta Vieira' } } },
      { patient: 'sim', expect: { stage: 'choosing_slot', slotsPeriod: 'tarde' } },
      { patient: '1', expect: { stage: 'confirming_slot' } },
      { patient: 'sim', expect: { stage: 'awaiting_payment', annaSaysMatch: [/R\$ 80,00/] } },
      { patient: 'tem outro horário?', expect: { stage: 'choosing_slot', quickReplies: 3, slotsChanged: true } },
      { patient: '2', expect: { stage: 'confirming_slot', chosenSlot: 2 } },
      { patient: 'sim', expect: { stage: 'awaiting_payment', annaSaysMatch: [/R\$ 80,00/] } },
      { pay: true, expect: { annaSaysMatch: [/Pagamento recebido/, BOOKED] } },
    ],
    final: { outcome: 'convertida', scoreBand: 'hot', annaMessageCount: 8, appointment: { procedure: 'laser', patientName: 'Marta Vieira', deposit: 8000 } },
    async check({ h, conversationId }) {
      const rows = await h.tdb.db.select().from(payments).where(eq(payments.conversationId, conversationId));
      expect(rows, 'one deposit, not two').toHaveLength(1);
    },
  },
  {
    name: 'two messages in a row before Anna answers: one greeting, both read',
    turns: [
      { burst: ['oi', 'quero botox amanhã de manhã'], expect: { newAnnaMessages: [1, 2], qualification: { procedure: 'botox', preferredPeriod: 'manha' } } },
      { patient: 'sim', expect: { stage: 'choosing_slot', slotsPeriod: 'manha' } },
    ],
    final: { outcome: 'open', stage: 'choosing_slot', scoreBand: 'hot', annaMessageCount: [2, 3] },
    async check({ h, phone }) {
      const all = await h.annaMessages(phone);
      expect(all.filter((m) => /Eu sou a Anna/.test(m.body)), 'Anna introduces herself once').toHaveLength(1);
    },
  },
];

describeScripts('scripted conversations: time and robustness', scripts, {
  // The laser asks a deposit of 20% (R$ 80,00).
  settings: (h) => ({ payments: { deposits: { [h.clinic.laser.id]: { bps: 2000 } } } }),
});
