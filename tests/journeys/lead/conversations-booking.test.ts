// Scripted conversations that end in a booking: all answers at once, one by one, typos and slang,
// changes of mind, other slots, picking by position or by time, declining the proposed slot, and a
// question in the middle of choosing.
import { expect } from 'vitest';
import { eq } from 'drizzle-orm';
import { conversationQualifications } from '../../../db/schema';
import { byTime, describeScripts, type Script } from './scripts';

const SLOTS = /Tenho estes horários disponíveis/;
const BOOKED = /Agendado! ✅/;
const PHONE_Q = /Posso enviar a confirmação e os lembretes para este número/;
const ADDRESS = /Rua Augusta, 1500/;

const scripts: Script[] = [
  {
    name: 'hot lead says everything in one message and books the first slot',
    turns: [
      { patient: 'Oi, quero fazer botox semana que vem de manhã', opts: { profileName: 'Mariana' },
        expect: { stage: 'qualifying', lastQuestion: 'phone', annaSaysMatch: [/Olá, Mariana!/, /Anna/, /Clínica Bella Anna/, PHONE_Q], annaSaysNot: [/Qual procedimento/, /Qual dia/], quickReplies: 2, qualification: { procedure: 'botox', preferredPeriod: 'manha', interest: 'sim' } } },
      { patient: 'sim', expect: { stage: 'choosing_slot', quickReplies: 3, slotsPeriod: 'manha', score: 'hot', annaSaysMatch: [SLOTS] } },
      { patient: '1', expect: { stage: 'confirming_slot', chosenSlot: 1, annaSaysMatch: [/Posso confirmar Toxina botulínica/] } },
      { patient: 'sim', expect: { stage: 'asking_name', lastQuestion: 'name', annaSaysMatch: [/nome completo/] } },
      { patient: 'Mariana Alves', expect: { annaSaysMatch: [BOOKED, /Toxina botulínica/, ADDRESS] } },
    ],
    final: { outcome: 'convertida', scoreBand: 'hot', annaMessageCount: 5, appointment: { procedure: 'botox', period: 'manha', patientName: 'Mariana Alves' } },
  },
  {
    name: 'answers one question per message',
    turns: [
      { patient: 'oi', expect: { stage: 'qualifying', lastQuestion: 'procedure', annaSaysMatch: [/Qual procedimento/, /Limpeza de pele/, /Toxina botulínica/, /Depilação a laser/] } },
      { patient: 'limpeza de pele', expect: { lastQuestion: 'interest', quickReplies: 3, annaSaysMatch: [/interesse em agendar Limpeza de pele/] } },
      { patient: 'sim', expect: { lastQuestion: 'date', annaSaysMatch: [/Qual dia e qual período/] } },
      { patient: 'amanhã', expect: { lastQuestion: 'time', annaSaysMatch: [/manhã, tarde ou noite/], annaSaysNot: [/Qual dia/] } },
      { patient: 'à tarde', expect: { lastQuestion: 'phone', annaSaysMatch: [PHONE_Q] } },
      { patient: 'pode ser esse número', expect: { stage: 'choosing_slot', quickReplies: 3, slotsPeriod: 'tarde', score: 'hot' } },
      { patient: '2', expect: { stage: 'confirming_slot', chosenSlot: 2 } },
      { patient: 'sim', expect: { stage: 'asking_name' } },
      { patient: 'Fernanda Costa', expect: { annaSaysMatch: [BOOKED, /Limpeza de pele/] } },
    ],
    final: { outcome: 'convertida', scoreBand: 'hot', annaMessageCount: 9, appointment: { procedure: 'limpeza', period: 'tarde', patientName: 'Fernanda Costa' } },
  },
  {
    name: 'typos: "qria fazer botoks", "amanha di manha", and "a segunda opção"',
    turns: [
      { patient: 'oii qria fazer botoks', expect: { qualification: { procedure: 'botox' }, annaSaysNot: [/Qual procedimento/] } },
      { patient: 'quero sim, amanha di manha', expect: { lastQuestion: 'phone', qualification: { preferredPeriod: 'manha', interest: 'sim' } } },
      { patient: 's', expect: { stage: 'choosing_slot', slotsPeriod: 'manha' } },
      { patient: 'a segunda opção', expect: { stage: 'confirming_slot', chosenSlot: 2 } },
      { patient: 'isso', expect: { stage: 'asking_name' } },
      { patient: 'Joana Prado', expect: { annaSaysMatch: [BOOKED] } },
    ],
    final: { outcome: 'convertida', scoreBand: 'hot', annaMessageCount: 6, appointment: { procedure: 'botox', period: 'manha', patientName: 'Joana Prado' } },
  },
  {
    name: 'typos and slang: "limpesa de pele", "vc", "blz", 👍 and "o das 10h"',
    turns: [
      { patient: 'bom dia! vc faz limpesa de pele?', expect: { qualification: { procedure: 'limpeza' }, annaSaysNot: [/Qual procedimento/] } },
      { patient: 'blz, quero sim 👍 sexta de manha', expect: { lastQuestion: 'phone', qualification: { interest: 'sim', preferredPeriod: 'manha' } } },
      { patient: '👍', expect: { stage: 'choosing_slot', slotsPeriod: 'manha', quickReplies: 3 } },
      { patient: ({ state }) => byTime(state!.offeredSlots[2]), expect: { stage: 'confirming_slot', chosenSlot: 3 } },
      { patient: 'blz', expect: { stage: 'asking_name' } },
      { patient: 'Rafaela Gomes', expect: { annaSaysMatch: [BOOKED] } },
    ],
    final: { outcome: 'convertida', scoreBand: 'hot', annaMessageCount: 6, appointment: { procedure: 'limpeza', period: 'manha', patientName: 'Rafaela Gomes' } },
  },
  {
    name: 'several answers in one message, name included: no name question before booking',
    turns: [
      { patient: 'Boa tarde! Meu nome é Paula Reis, quero marcar limpeza de pele amanhã às 15h', expect: { lastQuestion: 'phone', qualification: { name: 'Paula Reis', procedure: 'limpeza', preferredPeriod: 'tarde' }, annaSaysMatch: [/Olá, Paula!/] } },
      { patient: 'pode ser este número sim', expect: { stage: 'choosing_slot', slotsPeriod: 'tarde' } },
      { patient: '1', expect: { stage: 'confirming_slot', chosenSlot: 1 } },
      { patient: 'pode confirmar', expect: { annaSaysMatch: [BOOKED], annaSaysNot: [/nome completo/] } },
    ],
    final: { outcome: 'convertida', scoreBand: 'hot', annaMessageCount: 4, appointment: { procedure: 'limpeza', period: 'tarde', patientName: 'Paula Reis' } },
  },
  {
    name: 'changes the procedure while qualifying (limpeza → botox)',
    turns: [
      { patient: 'oi, quero fazer limpeza de pele', expect: { qualification: { procedure: 'limpeza', interest: 'sim' } } },
      { patient: 'pensando melhor, prefiro botox', expect: { qualification: { procedure: 'botox' }, annaSaysNot: [/não realizamos/i] } },
      { patient: 'sexta de manhã', expect: { lastQuestion: 'phone' } },
      { patient: 'sim', expect: { stage: 'choosing_slot', slotsPeriod: 'manha' } },
      { patient: '1', expect: { stage: 'confirming_slot', annaSaysMatch: [/Toxina botulínica/], annaSaysNot: [/Limpeza de pele/] } },
      { patient: 'sim', expect: { stage: 'asking_name' } },
      { patient: 'Larissa Nunes' },
    ],
    final: { outcome: 'convertida', scoreBand: 'hot', annaMessageCount: 7, appointment: { procedure: 'botox', period: 'manha' } },
  },
  {
    name: 'changes the period after seeing the slots (manhã → tarde)',
    turns: [
      { patient: 'quero botox amanhã de manhã', expect: { lastQuestion: 'phone' } },
      { patient: 'sim', expect: { stage: 'choosing_slot', slotsPeriod: 'manha' } },
      { patient: 'na verdade prefiro à tarde', expect: { stage: 'choosing_slot', slotsPeriod: 'tarde', slotsChanged: true, quickReplies: 3, annaSaysMatch: [SLOTS] } },
      { patient: '2', expect: { stage: 'confirming_slot', chosenSlot: 2 } },
      { patient: 'sim', expect: { stage: 'asking_name' } },
      { patient: 'Camila Rocha', expect: { annaSaysMatch: [BOOKED] } },
    ],
    final: { outcome: 'convertida', scoreBand: 'hot', annaMessageCount: 6, appointment: { procedure: 'botox', period: 'tarde' } },
  },
  {
    name: 'asks for "outro horário" and gets new slots',
    turns: [
      { patient: 'Olá! Quero agendar limpeza de pele na quinta à tarde', expect: { lastQuestion: 'phone' } },
      { patient: 'sim, pode ser esse', expect: { stage: 'choosing_slot', slotsPeriod: 'tarde' } },
      { patient: 'tem outro horário?', expect: { stage: 'choosing_slot', slotsChanged: true, quickReplies: 3 } },
      { patient: '3', expect: { stage: 'confirming_slot', chosenSlot: 3 } },
      { patient: 'sim', expect: { stage: 'asking_name' } },
      { patient: 'Bianca Freitas', expect: { annaSaysMatch: [BOOKED] } },
    ],
    final: { outcome: 'convertida', scoreBand: 'hot', annaMessageCount: 6, appointment: { procedure: 'limpeza', period: 'tarde' } },
  },
  {
    name: 'declines the proposed slot, then picks another one',
    turns: [
      // Wednesday afternoon: no other script books it, so Dr. Bruno's afternoon is free.
      { patient: 'quero fazer depilacao laser na quarta à tarde', expect: { qualification: { procedure: 'laser', preferredPeriod: 'tarde' }, lastQuestion: 'phone' } },
      { patient: 'sim', expect: { stage: 'choosing_slot', slotsPeriod: 'tarde' } },
      { patient: 'a primeira', expect: { stage: 'confirming_slot', chosenSlot: 1 } },
      { patient: 'não, esse não dá', expect: { stage: 'choosing_slot', slotsChanged: true, slotsPeriod: 'tarde', quickReplies: 3, annaSaysNot: [BOOKED] } },
      { patient: 'a segunda', expect: { stage: 'confirming_slot', chosenSlot: 2 } },
      { patient: 'sim', expect: { stage: 'asking_name' } },
      { patient: 'Renata Lopes', expect: { annaSaysMatch: [BOOKED, /Depilação a laser/] } },
    ],
    final: { outcome: 'convertida', scoreBand: 'hot', annaMessageCount: 7, appointment: { procedure: 'laser', period: 'tarde' } },
  },
  {
    name: 'asks the price while choosing a slot, then picks one',
    turns: [
      { patient: 'oi quero botox sexta de manhã', expect: { lastQuestion: 'phone' } },
      { patient: 'pode ser', expect: { stage: 'choosing_slot' } },
      { patient: 'quanto custa?', expect: { stage: 'choosing_slot', annaSaysMatch: [/R\$ 1\.200,00/, SLOTS], quickReplies: 3 } },
      { patient: 'a primeira', expect: { stage: 'confirming_slot', chosenSlot: 1 } },
      { patient: 'sim', expect: { stage: 'asking_name' } },
      { patient: 'Tatiane Moraes', expect: { annaSaysMatch: [BOOKED] } },
    ],
    final: { outcome: 'convertida', scoreBand: 'hot', annaMessageCount: 6, appointment: { procedure: 'botox', period: 'manha' } },
  },
  {
    name: 'changes the day after choosing a slot, before confirming',
    turns: [
      { patient: 'Oi! limpeza de pele amanhã de manhã, tenho interesse sim', expect: { lastQuestion: 'phone' } },
      { patient: 'sim', expect: { stage: 'choosing_slot', slotsPeriod: 'manha' } },
      { patient: '1', expect: { stage: 'confirming_slot' } },
      { patient: 'pensando bem, prefiro sexta à tarde', expect: { stage: 'choosing_slot', slotsPeriod: 'tarde', quickReplies: 3 } },
      { patient: '1', expect: { stage: 'confirming_slot', chosenSlot: 1 } },
      { patient: 'sim', expect: { stage: 'asking_name' } },
      { patient: 'Daniela Pires', expect: { annaSaysMatch: [BOOKED] } },
    ],
    final: { outcome: 'convertida', scoreBand: 'hot', annaMessageCount: 7, appointment: { procedure: 'limpeza', period: 'tarde' } },
  },
  {
    // Only Dr. Bruno performs the 90-minute laser: on a free morning 08:00, 09:30 and 10:30 fit.
    name: 'asks for the laser on a morning: all three slots offered are in the morning',
    turns: [
      { patient: 'oi, quero depilação a laser na quarta de manhã', expect: { lastQuestion: 'phone', qualification: { procedure: 'laser', preferredPeriod: 'manha' } } },
      { patient: 'sim', expect: { stage: 'choosing_slot', quickReplies: 3, slotsPeriod: 'manha' } },
    ],
    final: { outcome: 'open', stage: 'choosing_slot', scoreBand: 'hot', annaMessageCount: 2 },
  },
  {
    name: 'asks "tem outro horário?" while Anna asks to confirm a slot',
    turns: [
      { patient: 'oi, quero botox na quinta de manhã', expect: { lastQuestion: 'phone' } },
      { patient: 'sim', expect: { stage: 'choosing_slot', slotsPeriod: 'manha' } },
      { patient: '1', expect: { stage: 'confirming_slot', chosenSlot: 1 } },
      { patient: 'hmm, tem outro horário?', expect: { stage: 'choosing_slot', slotsChanged: true, quickReplies: 3, annaSaysMatch: [SLOTS] } },
    ],
    final: { outcome: 'open', stage: 'choosing_slot', scoreBand: 'hot', annaMessageCount: 4 },
  },
  {
    name: 'gives another contact number instead of the WhatsApp one',
    turns: [
      { patient: 'quero botox sexta de manhã', expect: { lastQuestion: 'phone' } },
      { patient: 'não, prefiro o número 11 91234-5678', expect: { stage: 'choosing_slot', annaSaysNot: [PHONE_Q] } },
      { patient: '1', expect: { stage: 'confirming_slot' } },
      { patient: 'sim', expect: { stage: 'asking_name', annaSaysNot: [PHONE_Q] } },
      { patient: 'Sofia Martins', expect: { annaSaysMatch: [BOOKED] } },
    ],
    final: { outcome: 'convertida', scoreBand: 'hot', annaMessageCount: 5, appointment: { procedure: 'botox', period: 'manha', patientName: 'Sofia Martins' } },
    async check({ h, conversationId }) {
      const [q] = await h.tdb.db.select().from(conversationQualifications).where(eq(conversationQualifications.conversationId, conversationId));
      expect(q.confirmedPhone).toBe('+5511912345678');
    },
  },
];

describeScripts('scripted conversations: booking', scripts);
