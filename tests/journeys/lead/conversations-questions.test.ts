// Scripted conversations about the clinic rather than a booking: prices, address, hours and payment
// methods answered from the clinic's data only, procedures the clinic does not offer, leads who are
// not interested or only looking (staff queue and follow-up), a request for a person, off-topic
// messages and a lead who says goodbye.
import { describeScripts, type Script } from './scripts';

const SLOTS = /Tenho estes horários disponíveis/;
const PHONE_Q = /Posso enviar a confirmação e os lembretes para este número/;
const OFFERED = [/Limpeza de pele/, /Toxina botulínica/, /Depilação a laser/];
const HANDOFF = /uma pessoa da nossa equipe/;

const scripts: Script[] = [
  {
    name: 'asks price, address, hours and payment methods, then wants to book',
    turns: [
      { patient: 'oi, quanto custa o botox?', expect: { stage: 'qualifying', annaSaysMatch: [/Toxina botulínica custa R\$ 1\.200,00/, /Anna/] } },
      { patient: 'e onde fica a clínica?', expect: { stage: 'qualifying', annaSaysMatch: [/Rua Augusta, 1500/] } },
      { patient: 'que horas vocês abrem?', expect: { annaSaysMatch: [/seg a sex 08:00–12:00 e 13:00–18:00/, /sáb 08:00–12:00/], annaSaysNot: [/dom/] } },
      { patient: 'aceita pix? dá pra parcelar no cartão?', expect: { annaSaysMatch: [/Pix/, /cartão/] } },
      { patient: 'quero sim, sexta de manhã', expect: { lastQuestion: 'phone', annaSaysMatch: [PHONE_Q], qualification: { procedure: 'botox', interest: 'sim', preferredPeriod: 'manha' } } },
    ],
    final: { outcome: 'open', stage: 'qualifying', scoreBand: 'hot', annaMessageCount: 5 },
  },
  {
    name: 'asks which procedures there are and what they cost',
    turns: [
      { patient: 'Olá! Quais procedimentos vocês fazem? E quanto custa cada um?', expect: { annaSaysMatch: [/Limpeza de pele R\$ 250,00/, /Toxina botulínica R\$ 1\.200,00/, /Depilação a laser R\$ 400,00/] } },
    ],
    final: { outcome: 'open', stage: 'qualifying', scoreBand: 'cold', annaMessageCount: 1 },
  },
  {
    name: 'asks for harmonização facial (not offered), then chooses limpeza de pele',
    turns: [
      { patient: 'Oi, quero fazer harmonização facial', expect: { stage: 'qualifying', lastQuestion: 'procedure', annaSaysMatch: [/não realizamos Harmonização facial/i, ...OFFERED], annaSaysNot: [SLOTS, /R\$/] } },
      { patient: 'ah, então quero limpeza de pele', expect: { qualification: { procedure: 'limpeza', interest: 'sim' }, annaSaysNot: [/não realizamos/i] } },
      { patient: 'amanhã de manhã', expect: { lastQuestion: 'phone' } },
      { patient: 'sim', expect: { stage: 'choosing_slot', slotsPeriod: 'manha', quickReplies: 3 } },
    ],
    final: { outcome: 'open', stage: 'choosing_slot', scoreBand: 'hot', annaMessageCount: 4 },
  },
  {
    name: 'asks the price of a procedure the clinic does not offer: no price invented',
    turns: [
      { patient: 'quanto custa harmonização facial?', expect: { annaSaysMatch: [/Não realizamos Harmonização facial/i, ...OFFERED], annaSaysNot: [/R\$/] } },
    ],
    final: { outcome: 'open', stage: 'qualifying', scoreBand: 'cold', annaMessageCount: 1 },
  },
  {
    name: 'asks for lipo: told what the clinic offers, then not interested',
    turns: [
      { patient: 'vcs fazem lipo?', expect: { annaSaysMatch: OFFERED, annaSaysNot: [/R\$/, SLOTS, /Posso confirmar/] } },
      { patient: 'não tenho interesse nesses, obrigada', expect: { annaSaysNot: [SLOTS, /Qual dia/] } },
    ],
    final: { outcome: 'staff_queue', scoreBand: 'cold', annaMessageCount: 2 },
  },
  {
    name: 'not interested from the first message',
    turns: [
      { patient: 'Oi, recebi a mensagem de vocês mas não tenho interesse', expect: { qualification: { interest: 'nao' }, annaSaysNot: [SLOTS, /Qual dia/, /Qual procedimento/] } },
    ],
    final: { outcome: 'staff_queue', scoreBand: 'cold', annaMessageCount: 1 },
  },
  {
    name: '"talvez, só pesquisando": cold lead to the staff queue, follow-up after 24 h',
    turns: [
      { patient: 'oi, talvez... só pesquisando preço de limpeza de pele', expect: { qualification: { interest: 'talvez', procedure: 'limpeza' }, annaSaysMatch: [/R\$ 250,00/] } },
      { patient: 'não sei ainda quando' },
      { patient: 'sei lá, vou ver' },
      { patient: 'pode ser este número', expect: { stage: 'staff_queue', score: 'cold', annaSaysMatch: [HANDOFF], annaSaysNot: [SLOTS] } },
      { sleepHours: 23, expect: { newAnnaMessages: 0 } },
      { sleepHours: 2, expect: { newAnnaMessages: 1, annaSaysMatch: [/ainda tem interesse em agendar/], quickReplies: 3 } },
    ],
    final: { outcome: 'staff_queue', scoreBand: 'cold', annaMessageCount: 5 },
  },
  {
    name: 'asks for a person in the first message',
    turns: [
      { patient: 'quero falar com um atendente', expect: { stage: 'staff_queue', annaSaysMatch: [HANDOFF, /Anna/], annaSaysNot: [/Obrigada pelas informações/, SLOTS] } },
    ],
    final: { outcome: 'staff_queue', scoreBand: 'cold', annaMessageCount: 1 },
  },
  {
    name: 'asks for a person mid-conversation; Anna then stays quiet',
    turns: [
      { patient: 'oi quero botox', expect: { stage: 'qualifying' } },
      { patient: 'prefiro falar com uma pessoa de verdade', expect: { stage: 'staff_queue', annaSaysMatch: [HANDOFF] } },
      { patient: 'alô?', expect: { newAnnaMessages: 0, stage: 'staff_queue' } },
    ],
    final: { outcome: 'staff_queue', scoreBand: 'cold', annaMessageCount: 2 },
  },
  {
    name: 'asks whether the laser hurts and how long it takes: duration from the clinic, no promises',
    turns: [
      { patient: 'a depilação a laser dói? quanto tempo demora a sessão?', expect: { qualification: { procedure: 'laser' }, annaSaysMatch: [/1 h 30 min/], annaSaysNot: [/garant/i, /R\$/] } },
    ],
    final: { outcome: 'open', stage: 'qualifying', scoreBand: 'cold', annaMessageCount: 1 },
  },
  {
    name: 'off-topic message while choosing a slot: Anna repeats the same slots',
    turns: [
      { patient: 'quero limpeza de pele sexta à tarde', expect: { lastQuestion: 'phone' } },
      { patient: 'sim', expect: { stage: 'choosing_slot', slotsPeriod: 'tarde' } },
      { patient: 'vc viu o jogo do corinthians ontem?', expect: { stage: 'choosing_slot', annaSaysMatch: [/não entendi/, SLOTS], quickReplies: 3 } },
      { patient: 'kkk desculpa, a primeira', expect: { stage: 'confirming_slot', chosenSlot: 1 } },
    ],
    final: { outcome: 'open', stage: 'confirming_slot', scoreBand: 'hot', annaMessageCount: 4 },
  },
  {
    name: 'says goodbye mid-conversation: encerrada',
    turns: [
      { patient: 'oi, queria saber da depilação a laser', expect: { stage: 'qualifying' } },
      { patient: 'não quero mais, obrigada. tchau', expect: { annaSaysMatch: [/Obrigada pelo contato/] } },
    ],
    final: { outcome: 'encerrada', scoreBand: 'cold', annaMessageCount: 2 },
  },
  {
    name: 'asks the prices of two procedures in one message (with slang "qnt")',
    turns: [
      { patient: 'qnt custa a limpeza de pele e o laser?', expect: { annaSaysMatch: [/R\$ 250,00/, /R\$ 400,00/], annaSaysNot: [/R\$ 1\.200,00/] } },
    ],
    final: { outcome: 'open', stage: 'qualifying', scoreBand: 'cold', annaMessageCount: 1 },
  },
  {
    name: 'wants the evening, when the clinic is closed: Anna says so and offers what there is',
    turns: [
      { patient: 'quero limpeza de pele amanhã à noite', expect: { lastQuestion: 'phone', qualification: { preferredPeriod: 'noite' } } },
      { patient: 'sim', expect: { stage: 'choosing_slot', quickReplies: 3, annaSaysMatch: [SLOTS, /noite|18:00/] } },
    ],
    final: { outcome: 'open', stage: 'choosing_slot', scoreBand: 'hot', annaMessageCount: 2 },
  },
  {
    name: 'a cold lead answers the follow-up and books',
    turns: [
      { patient: 'oi, só pesquisando, talvez faça uma limpeza de pele', expect: { qualification: { interest: 'talvez' } } },
      { patient: 'não sei ainda' },
      { patient: 'vou ver' },
      { patient: 'pode ser este número', expect: { stage: 'staff_queue', score: 'cold' } },
      { sleepHours: 24.5, expect: { newAnnaMessages: 1, annaSaysMatch: [/ainda tem interesse/] } },
      { patient: 'sim! quero agendar amanhã de manhã', expect: { stage: 'choosing_slot', slotsPeriod: 'manha', quickReplies: 3, score: 'hot' } },
      { patient: '1', expect: { stage: 'confirming_slot' } },
      { patient: 'sim', expect: { stage: 'asking_name' } },
      { patient: 'Vanessa Dias', expect: { annaSaysMatch: [/Agendado! ✅/] } },
    ],
    final: { outcome: 'convertida', scoreBand: 'hot', annaMessageCount: 9, appointment: { procedure: 'limpeza', period: 'manha', patientName: 'Vanessa Dias' } },
  },
];

describeScripts('scripted conversations: questions and cold leads', scripts);
