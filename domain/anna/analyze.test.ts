import { describe, expect, it } from 'vitest';
import { analyzeMessage, normalizeText } from './engine';
import type { AnalysisContext, MessageAnalysis, Qualification } from './types';
import { ctx, knowledge, slots, WED } from './fixtures.test-helpers';

type Row = [text: string, expected: Partial<Qualification>, intent?: MessageAnalysis['intent'], over?: Partial<AnalysisContext>, absent?: (keyof Qualification)[]];

const botox = { id: 'p-botox', name: 'Toxina Botulínica (Botox)' };
const limpeza = { id: 'p-limpeza', name: 'Limpeza de Pele Profunda' };
const labial = { id: 'p-labial', name: 'Preenchimento Labial' };

// Now = Wednesday 2026-12-02 12:00 São Paulo.
const extraction: Row[] = [
  ['quero fazer botox semana que vem de manhã', { procedure: botox, interest: 'sim', interestWhen: 'semana que vem', preferredDate: '2026-12-07', preferredPeriod: 'manha' }, 'answer'],
  ['Botox', { procedure: botox }, 'answer', {}, ['interest']],
  ['botoxx', { procedure: botox }],
  ['botoks', { procedure: botox }],
  ['queria fazer btx', { procedure: botox, interest: 'sim' }],
  ['toxina botulínica', { procedure: botox }],
  ['limpesa de pele', { procedure: limpeza }],
  ['limpeza', { procedure: limpeza }],
  ['preenxhimento labial', { procedure: labial }],
  ['quero fazer a boca', { procedure: labial, interest: 'sim' }],
  ['ácido hialurônico', { procedure: labial }],
  ['preenchimento', { procedure: labial }],
  ['peling', { procedure: { id: 'p-peeling', name: 'Peeling Químico' } }],
  ['drenagem', { procedure: { id: 'p-drenagem', name: 'Drenagem Linfática' } }],
  ['sculptra', { procedure: { id: 'p-bio', name: 'Bioestimulador de Colágeno' } }],
  ['vcs fazem criolipólise?', { procedure: { id: null, name: 'Criolipólise' } }],
  ['quero harmonizacao facial', { procedure: { id: null, name: 'Harmonização facial' }, interest: 'sim' }],
  ['depilação a lazer', { procedure: { id: null, name: 'Depilação a laser' } }],
  ['fios de pdo', { procedure: { id: null, name: 'Fios de PDO' } }],
  ['skin booster', { procedure: { id: null, name: 'Skinbooster' } }],
  ['microagulhamento', { procedure: { id: null, name: 'Microagulhamento' } }],
  ['para de mandar mensagem', {}, 'stop', {}, ['procedure']],
  // interest
  ['tenho interesse', { interest: 'sim' }, 'answer'],
  ['com certeza!', { interest: 'sim' }],
  ['bora', { interest: 'sim' }],
  ['👍', { interest: 'sim' }, 'answer'],
  ['sim', { interest: 'sim' }, 'answer', { lastQuestion: 'interest' }],
  ['s', { interest: 'sim' }, 'answer', { lastQuestion: 'interest' }],
  ['talvez', { interest: 'talvez' }],
  ['to pensando ainda', { interest: 'talvez' }],
  ['não sei ainda', { interest: 'talvez' }],
  ['depende do preço', { interest: 'talvez' }],
  ['não quero', { interest: 'nao' }],
  ['nao tenho interesse, obg', { interest: 'nao' }],
  ['só pesquisando', { interest: 'nao' }],
  ['não', { interest: 'nao' }, 'answer', { lastQuestion: 'interest' }],
  ['n', { interest: 'nao' }, 'answer', { lastQuestion: 'interest' }],
  ['talvez, só pesquisando preço, não sei quando', { interest: 'talvez' }, 'answer', {}, ['preferredDate']],
  // dates (Wednesday 2026-12-02)
  ['hoje', { preferredDate: '2026-12-02' }],
  ['amanhã', { preferredDate: '2026-12-03' }],
  ['amanha', { preferredDate: '2026-12-03' }],
  ['amnh cedo', { preferredDate: '2026-12-03', preferredPeriod: 'manha' }],
  ['depois de amanhã à tarde', { preferredDate: '2026-12-04', preferredPeriod: 'tarde' }],
  ['sexta', { preferredDate: '2026-12-04' }],
  ['sexta-feira', { preferredDate: '2026-12-04' }],
  ['pode ser na sex', { preferredDate: '2026-12-04' }],
  ['na segunda', { preferredDate: '2026-12-07' }],
  ['próxima terça', { preferredDate: '2026-12-08' }],
  ['quarta', { preferredDate: '2026-12-09' }],
  ['sábado de manhã', { preferredDate: '2026-12-05', preferredPeriod: 'manha' }],
  ['fim de semana', { interestWhen: 'fim de semana', preferredDate: '2026-12-05' }],
  ['dia 12', { preferredDate: '2026-12-12' }],
  ['dia 1', { preferredDate: '2027-01-01' }],
  ['12/07', { preferredDate: '2027-07-12' }],
  ['25/12', { preferredDate: '2026-12-25' }],
  ['12/07/2027', { preferredDate: '2027-07-12' }],
  ['semana q vem', { interestWhen: 'semana que vem', preferredDate: '2026-12-07' }],
  ['próxima semana', { interestWhen: 'semana que vem', preferredDate: '2026-12-07' }],
  ['sexta da semana que vem', { interestWhen: 'semana que vem', preferredDate: '2026-12-11' }],
  ['este mês ainda', { interestWhen: 'este mês' }, 'answer', {}, ['preferredDate']],
  ['mês que vem', { interestWhen: 'mês que vem', preferredDate: '2027-01-01' }],
  ['dia 15 de janeiro', { preferredDate: '2027-01-15' }],
  ['daqui a 3 dias', { preferredDate: '2026-12-05' }],
  // periods and times
  ['de manhã', { preferredPeriod: 'manha' }],
  ['manhã', { preferredPeriod: 'manha' }],
  ['à tarde', { preferredPeriod: 'tarde' }],
  ['depois do almoço', { preferredPeriod: 'tarde' }],
  ['fim da tarde', { preferredPeriod: 'tarde' }],
  ['a noite', { preferredPeriod: 'noite' }],
  ['depois do trabalho', { preferredPeriod: 'noite' }],
  ['após as 18h', { preferredPeriod: 'noite' }, 'answer', {}, ['preferredTime']],
  ['às 15h', { preferredTime: '15:00', preferredPeriod: 'tarde' }],
  ['15:30', { preferredTime: '15:30', preferredPeriod: 'tarde' }],
  ['3 da tarde', { preferredTime: '15:00', preferredPeriod: 'tarde' }],
  ['10h30 pode ser?', { preferredTime: '10:30', preferredPeriod: 'manha' }],
  ['as 9', { preferredTime: '09:00', preferredPeriod: 'manha' }],
  ['meio-dia', { preferredTime: '12:00', preferredPeriod: 'tarde' }],
  ['boa tarde', {}, 'greeting', {}, ['preferredPeriod']],
  ['de noite não posso', {}, undefined, {}, ['preferredPeriod']],
  ['nao, de manha nao da, so a tarde', { preferredPeriod: 'tarde' }],
  ['manhã não, prefiro à noite', { preferredPeriod: 'noite' }],
  ['eu trabalho até as 18h, só consigo à noite', { preferredPeriod: 'noite' }, 'answer', {}, ['preferredTime']],
  ['demora 2 horas?', {}, 'question', {}, ['preferredTime']],
  ['quero tirar as rugas da testa', { procedure: botox, interest: 'sim' }],
  ['vcs fazem preenchimento de olheiras?', { procedure: { id: null, name: 'Preenchimento de olheiras' } }],
  ['agora não posso, depois te respondo', { interest: 'talvez' }],
  ['tô sem grana esse mês', { interest: 'talvez' }, 'answer', {}, ['interestWhen']],
  ['só ano que vem', { interestWhen: 'ano que vem', preferredDate: '2027-01-01' }],
  ['pode ser', { interest: 'sim' }, 'answer', { lastQuestion: 'interest' }],
  ['amanhã não, só sexta', { preferredDate: '2026-12-04' }],
  ['hoje nao da, amanha sim', { preferredDate: '2026-12-03' }],
  ['não posso na segunda, pode ser quarta?', { preferredDate: '2026-12-09' }],
  ['vamos ver', { interest: 'talvez' }],
  ['qualquer dia de manhã', { interestWhen: 'o quanto antes', preferredPeriod: 'manha' }],
  ['eu sou a mãe da Ana', {}, undefined, {}, ['name']],
  ['aqui é a Bet, vi a divulgação de vocês', { name: 'Bet' }, 'answer'],
  // several answers in one message, slang, emojis
  ['oi! vc faz limpeza de pele? queria amanhã 14h 😊', { procedure: limpeza, interest: 'sim', preferredDate: '2026-12-03', preferredTime: '14:00', preferredPeriod: 'tarde' }, 'answer'],
  ['blz, quero botox dia 10 de tarde', { procedure: botox, interest: 'sim', preferredDate: '2026-12-10', preferredPeriod: 'tarde' }],
  ['meu nome é maria da silva e quero botoxx na sexta', { name: 'Maria da Silva', procedure: botox, interest: 'sim', preferredDate: '2026-12-04' }],
  ['Sou a Joana, queria saber do peeling', { name: 'Joana', procedure: { id: 'p-peeling', name: 'Peeling Químico' } }, 'answer', {}, ['interest']],
  ['aqui é o Pedro', { name: 'Pedro' }],
  ['me chamo Ana Paula Souza', { name: 'Ana Paula Souza' }],
  ['maria joana silva', { name: 'Maria Joana Silva' }, 'answer', { stage: 'asking_name' }],
  ['JOÃO DOS SANTOS', { name: 'João dos Santos' }, 'answer', { stage: 'asking_name' }],
  ['sim quero', {}, 'affirm', { stage: 'asking_name' }, ['name']],
  // phone
  ['pode ser esse número', { phoneConfirmed: true }, 'affirm', { lastQuestion: 'phone' }],
  ['esse mesmo', { phoneConfirmed: true }, 'affirm', { lastQuestion: 'phone' }],
  ['sim', { phoneConfirmed: true }, 'affirm', { lastQuestion: 'phone' }, ['interest']],
  ['meu número é (11) 98765-4321', { phoneConfirmed: false, otherPhone: '+5511987654321' }, 'answer'],
  ['não, liga no 21 99876 5432', { phoneConfirmed: false, otherPhone: '+5521998765432' }, 'answer', { lastQuestion: 'phone' }],
  ['+55 31 3222-1234', { phoneConfirmed: false, otherPhone: '+553132221234' }],
  ['não', {}, 'deny', { lastQuestion: 'phone' }, ['phoneConfirmed', 'interest']],
  ['sim, pode ser', { phoneConfirmed: true }, 'affirm', { stage: 'asking_name', lastQuestion: 'phone' }, ['name', 'interest']],
  ['pode ser esse mesmo', { phoneConfirmed: true }, 'affirm', { stage: 'asking_name', lastQuestion: 'phone' }, ['name']],
  ['11 91234-5678', { phoneConfirmed: false, otherPhone: '+5511912345678' }, 'answer', { stage: 'asking_name', lastQuestion: 'phone' }],
];

describe('analyzeMessage — extraction table (pt-BR, now = qua 02/12/2026 12:00 São Paulo)', () => {
  it.each(extraction)('%s', (text, expected, intent, over, absent) => {
    const a = analyzeMessage(text, ctx(over ?? {}));
    expect(a.extracted).toMatchObject(expected);
    for (const k of absent ?? []) expect(a.extracted[k], `${k} should not be extracted`).toBeUndefined();
    if (intent) expect(a.intent).toBe(intent);
    expect(a.empty).toBe(false);
  });
  it('has at least 60 rows', () => expect(extraction.length).toBeGreaterThanOrEqual(60));
});

describe('relative dates across month/year ends and zones', () => {
  const at = (now: string, timeZone: string, text: string) => analyzeMessage(text, ctx({ now, knowledge: knowledge({ timeZone }) })).extracted;
  it('year end (qui 31/12/2026)', () => {
    const now = '2026-12-31T12:00:00Z';
    expect(at(now, 'America/Sao_Paulo', 'amanhã').preferredDate).toBe('2027-01-01');
    expect(at(now, 'America/Sao_Paulo', 'mês que vem').preferredDate).toBe('2027-01-01');
    expect(at(now, 'America/Sao_Paulo', 'dia 5').preferredDate).toBe('2027-01-05');
    expect(at(now, 'America/Sao_Paulo', 'semana que vem').preferredDate).toBe('2027-01-04');
    expect(at(now, 'America/Sao_Paulo', 'sexta').preferredDate).toBe('2027-01-01');
    expect(at(now, 'America/Sao_Paulo', '10/01').preferredDate).toBe('2027-01-10');
    expect(at(now, 'America/Sao_Paulo', 'hoje').preferredDate).toBe('2026-12-31');
  });
  it('month end: "dia 30" on 31/01 skips February; 29/02 goes to the next leap year', () => {
    const now = '2027-01-31T15:00:00Z';
    expect(at(now, 'America/Sao_Paulo', 'dia 30').preferredDate).toBe('2027-03-30');
    expect(at(now, 'America/Sao_Paulo', 'dia 31').preferredDate).toBe('2027-01-31');
    expect(at(now, 'America/Sao_Paulo', 'amanhã').preferredDate).toBe('2027-02-01');
    expect(at(now, 'America/Sao_Paulo', '29/02').preferredDate).toBe('2028-02-29');
  });
  it('the local day, not the UTC day: 02:00Z on 01/12 is still 30/11 in São Paulo and New York', () => {
    const now = '2026-12-01T02:00:00Z';
    expect(at(now, 'America/Sao_Paulo', 'hoje').preferredDate).toBe('2026-11-30');
    expect(at(now, 'America/Sao_Paulo', 'amanhã').preferredDate).toBe('2026-12-01');
    expect(at(now, 'America/New_York', 'amanhã').preferredDate).toBe('2026-12-01');
    expect(at(now, 'Europe/Lisbon', 'amanhã').preferredDate).toBe('2026-12-02');
  });
  it('New York DST: spring forward (08/03/2026) and fall back (01/11/2026)', () => {
    expect(at('2026-03-08T04:30:00Z', 'America/New_York', 'hoje').preferredDate).toBe('2026-03-07'); // 23:30 EST sat
    expect(at('2026-03-08T04:30:00Z', 'America/New_York', 'amanhã').preferredDate).toBe('2026-03-08');
    expect(at('2026-03-08T07:30:00Z', 'America/New_York', 'hoje').preferredDate).toBe('2026-03-08'); // 03:30 EDT
    expect(at('2026-03-08T07:30:00Z', 'America/New_York', 'segunda').preferredDate).toBe('2026-03-09');
    expect(at('2026-11-01T05:30:00Z', 'America/New_York', 'hoje').preferredDate).toBe('2026-11-01'); // 01:30 EDT
    expect(at('2026-11-01T06:30:00Z', 'America/New_York', 'amanhã').preferredDate).toBe('2026-11-02'); // 01:30 EST
    expect(at('2026-11-01T03:30:00Z', 'America/New_York', 'hoje').preferredDate).toBe('2026-10-31'); // 23:30 EDT sat
    expect(at('2026-11-01T03:30:00Z', 'America/New_York', 'semana que vem').preferredDate).toBe('2026-11-02');
  });
  it('an invalid now never throws and extracts no date', () => {
    const a = analyzeMessage('amanhã de manhã', ctx({ now: 'ontem' }));
    expect(a.extracted.preferredDate).toBeUndefined();
    expect(a.extracted.preferredPeriod).toBe('manha');
  });
});

describe('slot choice (stage choosing_slot)', () => {
  const choose = (text: string, over: Partial<AnalysisContext> = {}) => analyzeMessage(text, ctx({ stage: 'choosing_slot', offeredSlots: slots, ...over }));
  it.each([
    ['1', 1], ['2', 2], ['3', 3], ['opção 2', 2], ['a primeira', 1], ['segunda opção', 2], ['a segunda', 2], ['pode ser a última', 3],
    ['o das 10h', 1], ['14:30', 2], ['as 9', 3], ['quinta', 1], ['sexta às 14h30', 2], ['segunda-feira', 3], ['na segunda', 3], ['com a Bia', 2], ['dia 07/12', 3],
  ] as const)('%s → slot %i', (text, n) => {
    const a = choose(text);
    expect(a.intent).toBe('choose_slot');
    expect(a.slotChoice).toBe(n);
  });
  it.each(['nenhum', 'outro horário', 'tem outro dia?', 'nenhum desses me serve', 'não posso nesses', 'sábado', 'às 16h'])('%s → other_slots', (text) => {
    const a = choose(text);
    expect(a.intent).toBe('other_slots');
    expect(a.slotChoice).toBeNull();
  });
  it('an ambiguous time matches no single slot (two slots at 10:00)', () => {
    const two = [slots[0], { ...slots[1], startsAt: '2026-12-04T13:00:00Z', label: 'sex 04/12 às 10:00 com Dra. Bia' }];
    expect(choose('o das 10h', { offeredSlots: two }).slotChoice).toBeNull();
    expect(choose('o das 10h de sexta', { offeredSlots: two }).slotChoice).toBe(2);
  });
  it('"4" when only three were offered is not a choice', () => expect(choose('4').slotChoice).toBeNull());
  it('slot times are read in the clinic zone (New York, right after DST)', () => {
    const ny = [
      { professionalId: 'x', professionalName: 'Dr. X', startsAt: '2026-03-09T14:00:00Z', label: 'seg 09/03 às 10:00' },
      { professionalId: 'x', professionalName: 'Dr. X', startsAt: '2026-03-06T15:00:00Z', label: 'sex 06/03 às 10:00' },
    ];
    const a = choose('segunda às 10h', { offeredSlots: ny, now: '2026-03-05T12:00:00Z', knowledge: knowledge({ timeZone: 'America/New_York' }) });
    expect(a.slotChoice).toBe(1);
  });
});

describe('yes/no by stage and last question', () => {
  it.each([
    ['sim', 'confirming_slot', 'affirm'], ['pode confirmar', 'confirming_slot', 'affirm'], ['👍', 'confirming_slot', 'affirm'], ['ok', 'confirming_slot', 'affirm'],
    ['não', 'confirming_slot', 'deny'], ['não posso', 'confirming_slot', 'deny'], ['nao, prefiro outro', 'confirming_slot', 'deny'],
  ] as const)('%s in %s → %s', (text, stage, intent) => {
    const a = analyzeMessage(text, ctx({ stage }));
    expect(a.intent).toBe(intent);
    expect(a.extracted.interest).toBeUndefined();
  });
});

describe('questions', () => {
  it.each([
    ['quanto custa o botox?', 'price', 'p-botox'],
    ['qual o valor da limpeza de pele', 'price', 'p-limpeza'],
    ['preço?', 'price', null],
    ['onde fica a clínica?', 'address', null],
    ['qual o endereço', 'address', null],
    ['localização pfv', 'address', null],
    ['horário de funcionamento?', 'hours', null],
    ['abre sábado?', 'hours', null],
    ['que horas abre', 'hours', null],
    ['como funciona o peeling?', 'procedure_details', 'p-peeling'],
    ['dói?', 'procedure_details', null],
    ['quanto tempo dura o botox?', 'procedure_details', 'p-botox'],
    ['quais procedimentos vocês fazem?', 'procedures_list', null],
    ['aceita pix?', 'payment_methods', null],
    ['parcela?', 'payment_methods', null],
    ['quanto tempo demora a sessão de drenagem?', 'duration', 'p-drenagem'],
    ['qual o investimento?', 'price', null],
    ['tem desconto?', 'price', null],
    ['qual a diferença entre botox e bioestimulador?', 'procedure_details', 'p-botox'],
  ] as const)('%s → %s', (text, topic, pid) => {
    const a = analyzeMessage(text, ctx());
    expect(a.questions).toContainEqual({ topic, procedureId: pid });
    expect(a.intent).toBe('question');
  });
  it('uses the known procedure when the question names none', () => {
    const a = analyzeMessage('e quanto custa?', ctx({ known: { ...ctx().known, procedure: { id: 'p-botox', name: 'Botox' } } }));
    expect(a.questions).toEqual([{ topic: 'price', procedureId: 'p-botox' }]);
  });
  it('"quanto tempo demora" is not a price question', () => {
    expect(analyzeMessage('quanto tempo demora?', ctx()).questions.map((q) => q.topic)).toEqual(['duration']);
  });
  it('"abre sábado?" does not pick a date', () => expect(analyzeMessage('abre sábado?', ctx()).extracted).toEqual({}));
  it('answer + question in one message: intent answer, questions kept', () => {
    const a = analyzeMessage('quero botox amanhã, aceita pix?', ctx());
    expect(a.intent).toBe('answer');
    expect(a.questions).toEqual([{ topic: 'payment_methods', procedureId: null }]);
  });
});

describe('intents: greeting, human, stop, spam, insult', () => {
  it.each([
    ['oi', 'greeting'], ['Olá!', 'greeting'], ['bom dia', 'greeting'], ['boa tarde, tudo bem?', 'greeting'], ['oiii', 'greeting'],
    ['quero falar com uma pessoa', 'human'], ['tem atendente?', 'human'], ['quero falar com um humano', 'human'], ['pode me ligar?', 'human'],
    ['não quero mais', 'stop'], ['para de mandar mensagem', 'stop'], ['tchau', 'stop'], ['me tira dessa lista', 'stop'],
    ['GANHE DINHEIRO com cripto, clique aqui', 'spam'], ['renda extra trabalhando em casa https://bit.ly/xyz', 'spam'], ['https://promo-shop.xyz/oferta', 'spam'],
    ['asdfghjklç', 'spam'], ['zzzzzzzzzzzzzzzzzz', 'spam'], ['compre agora '.repeat(40), 'spam'],
    ['sua idiota', 'insult'], ['robô burra', 'insult'], ['vai se foder', 'insult'], ['isso é um lixo', 'insult'], ['porra de robô', 'insult'], ['que merda de atendimento', 'insult'], ['porra que demora', 'unknown'], ['caralho', 'unknown'],
    ['kkkkkkkkkk', 'unknown'], ['hmm', 'unknown'], ['olá, vi o anúncio no instagram', 'greeting'], ['puta que pariu que caro', 'unknown'],
    ['https://www.instagram.com/p/Cxyz/ quero igual', 'answer'], ['sigam meu perfil www.promo.net', 'spam'],
  ] as const)('%s → %s', (text, intent) => expect(analyzeMessage(text, ctx()).intent).toBe(intent));
  it('spam extracts nothing', () => expect(analyzeMessage('botox grátis? ganhe dinheiro com bitcoin', ctx()).extracted).toEqual({}));
  it('an expletive inside a real answer is not an insult', () => {
    const a = analyzeMessage('porra, quero botox amanhã', ctx());
    expect(a.intent).toBe('answer');
    expect(a.sentiment).toBeLessThan(0);
  });
  it('a bare expletive is impatience, not an insult: negative sentiment', () => {
    expect(analyzeMessage('porra que demora', ctx()).sentiment).toBeLessThan(-0.5);
  });
  it('"não quero mais" also records interest nao', () => expect(analyzeMessage('não quero mais', ctx()).extracted.interest).toBe('nao'));
  it('an e-mail is not a spam link', () => expect(analyzeMessage('meu email é maria@gmail.com', ctx()).intent).not.toBe('spam'));
});

describe('sentiment', () => {
  it.each([
    ['amei, muito obrigada! 😍', 1], ['ótimo atendimento', 1], ['👍', 1], ['adorei 🥰🥰', 1], ['vcs são top demais', 1],
    ['não gostei', -1], ['péssimo', -1], ['que demora 😡', -1], ['muito caro 😒', -1], ['estou decepcionada 😢', -1],
    ['amanhã às 10h', 0], ['bom dia', 0], ['quero botox', 0], ['', 0],
  ] as const)('%s → sign %i', (text, sign) => {
    const s = analyzeMessage(text, ctx()).sentiment;
    expect(s).toBeGreaterThanOrEqual(-1);
    expect(s).toBeLessThanOrEqual(1);
    expect(Math.sign(s)).toBe(sign);
  });
  it('intensifiers strengthen', () => {
    expect(analyzeMessage('muito bom', ctx()).sentiment).toBeGreaterThan(analyzeMessage('bom', ctx()).sentiment);
  });
  it('is clamped for a flood of emojis', () => {
    expect(analyzeMessage('😍'.repeat(500), ctx()).sentiment).toBeLessThanOrEqual(1);
    expect(analyzeMessage('😡'.repeat(500), ctx()).sentiment).toBeGreaterThanOrEqual(-1);
  });
});

describe('empty and robustness', () => {
  it.each(['', '   ', '\n\t', '😂😂', '🌸', '...', '?!'])('%j is empty', (text) => {
    const a = analyzeMessage(text, ctx());
    expect(a.empty).toBe(true);
    expect(a.extracted).toEqual({});
  });
  it('a meaningful emoji is not empty', () => expect(analyzeMessage('👍', ctx()).empty).toBe(false));
  /** Best of 3 runs (after a warm-up), so a busy shared machine does not fail a cost check. */
  const fastest = (fn: () => unknown) => {
    fn();
    let best = Infinity;
    for (let i = 0; i < 3; i++) { const t0 = performance.now(); fn(); best = Math.min(best, performance.now() - t0); }
    return best;
  };
  it('a 10,000-character message returns quickly and does not throw', () => {
    const filler = Array.from({ length: 2000 }, (_, i) => ['palavra', 'texto', 'coisa', 'assunto', 'detalhe', 'ideia', 'pergunta'][i % 7] + (i % 97)).join(' ');
    const long = `quero fazer botox amanhã de manhã, mas antes queria saber se dói e quanto custa ${filler}`.slice(0, 10_000);
    expect(long.length).toBe(10_000);
    const a = analyzeMessage(long, ctx());
    expect(a.extracted.procedure?.id).toBe('p-botox');
    expect(a.extracted.preferredDate).toBe('2026-12-03');
    expect(fastest(() => analyzeMessage(long, ctx()))).toBeLessThan(50);
    const repeated = 'quero fazer botox '.repeat(600);
    expect(analyzeMessage(repeated, ctx()).intent).toBe('spam'); // very long repeated text
    expect(fastest(() => analyzeMessage(repeated, ctx()))).toBeLessThan(50);
    const noise = Array.from({ length: 10_000 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 2000))).join('');
    expect(() => analyzeMessage(noise, ctx())).not.toThrow();
    expect(fastest(() => analyzeMessage(noise, ctx({ stage: 'choosing_slot', offeredSlots: slots })))).toBeLessThan(50);
  });
  it('never throws on odd input (lone surrogates, null context fields)', () => {
    expect(() => analyzeMessage('\ud800 oi \udfff', ctx())).not.toThrow();
    expect(() => analyzeMessage('oi', { ...ctx(), knowledge: undefined as never })).not.toThrow();
    expect(() => analyzeMessage(undefined as never, ctx())).not.toThrow();
    expect(analyzeMessage('amanhã', ctx({ knowledge: knowledge({ timeZone: 'Nowhere/Nada' }) })).extracted.preferredDate).toBe('2026-12-03');
  });
  it('is deterministic', () => {
    const a = analyzeMessage('quero botox sexta 15h', ctx());
    expect(analyzeMessage('quero botox sexta 15h', ctx())).toEqual(a);
    expect(WED).toBe('2026-12-02T15:00:00Z');
  });
});

describe('property: Brazilian phone formats in a message → otherPhone in E.164', () => {
  it('(DD) 9XXXX-XXXX, DD 9XXXXXXXX, +55 DD 9XXXX XXXX …', async () => {
    const fc = (await import('fast-check')).default;
    const ddd = fc.constantFrom('11', '21', '31', '41', '51', '61', '71', '81', '85', '92');
    const digits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 }).map((d) => d.join(''));
    const fmt = fc.constantFrom(
      (a: string, n: string) => `(${a}) 9${n.slice(0, 4)}-${n.slice(4)}`,
      (a: string, n: string) => `${a} 9${n}`,
      (a: string, n: string) => `+55 ${a} 9${n.slice(0, 4)} ${n.slice(4)}`,
      (a: string, n: string) => `+55 (${a}) 9${n.slice(0, 4)}-${n.slice(4)}`,
      (a: string, n: string) => `0${a} 9${n.slice(0, 4)}.${n.slice(4)}`,
    );
    const lead = fc.constantFrom('meu número é ', 'anota: ', 'liga nesse ', 'pode usar o ', '');
    fc.assert(fc.property(ddd, digits, fmt, lead, (a, n, f, l) => {
      const x = analyzeMessage(`${l}${f(a, n)}`, ctx({ lastQuestion: 'phone' }));
      expect(x.extracted.otherPhone).toBe(`+55${a}9${n}`);
      expect(x.extracted.phoneConfirmed).toBe(false);
    }));
  });
});

describe('normalizeText', () => {
  it('lower-cases, strips accents and punctuation, collapses spaces', () => {
    expect(normalizeText('  Olá,   Botóx!!  Ação? ')).toBe('ola botox acao');
    expect(normalizeText('Preço: R$ 1.200,00 😍')).toBe('preco r 1 200 00');
    expect(normalizeText('')).toBe('');
  });
});
