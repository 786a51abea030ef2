import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyzeMessage, answerQuestions, mergeQualification, missingQuestions, replies, scoreLead, formatMoney, formatOpeningHours } from './engine';
import { emptyQualification, type ClinicKnowledge, type Engagement, type KnownProcedure, type MessageAnalysis, type Qualification, type QuestionTopic } from './types';
import { ctx, knowledge, procedures, slots, WED } from './fixtures.test-helpers';

const q = (over: Partial<Qualification> = {}): Qualification => ({ ...emptyQualification(), ...over });
const eng = (over: Partial<Engagement> = {}): Engagement => ({ patientMessages: 1, meanSentiment: 0, medianReplySeconds: null, slotsOnPreferredDate: null, ...over });

/** Runs a whole conversation through analyzeMessage + mergeQualification. */
function converse(messages: [string, Partial<Parameters<typeof ctx>[0]>?][]): Qualification {
  let known = emptyQualification();
  for (const [text, over] of messages) known = mergeQualification(known, analyzeMessage(text, ctx({ known, ...(over ?? {}) })).extracted);
  return known;
}

describe('mergeQualification', () => {
  it('later answers win; null/undefined never erase', () => {
    const a = q({ interest: 'talvez', preferredPeriod: 'manha', name: 'Maria' });
    const m = mergeQualification(a, { interest: 'sim', preferredPeriod: undefined, name: null as never });
    expect(m).toEqual({ ...a, interest: 'sim' });
    expect(a.interest).toBe('talvez'); // not mutated
  });
  it('a new time updates the period; a new contradicting period drops the old time', () => {
    expect(mergeQualification(q({ preferredPeriod: 'manha' }), { preferredTime: '15:00' })).toMatchObject({ preferredTime: '15:00', preferredPeriod: 'tarde' });
    expect(mergeQualification(q({ preferredPeriod: 'tarde', preferredTime: '15:00' }), { preferredPeriod: 'manha' })).toMatchObject({ preferredTime: null, preferredPeriod: 'manha' });
  });
  it('confirming the WhatsApp number clears another number', () => {
    expect(mergeQualification(q({ phoneConfirmed: false, otherPhone: '+5511987654321' }), { phoneConfirmed: true })).toMatchObject({ phoneConfirmed: true, otherPhone: null });
  });
  it('property: every non-null extracted field is kept, every other known field is unchanged', () => {
    const field = fc.constantFrom<keyof Qualification>('interest', 'interestWhen', 'name', 'preferredDate');
    fc.assert(fc.property(fc.dictionary(field, fc.option(fc.string({ minLength: 1, maxLength: 5 }), { nil: undefined })), (ex) => {
      const known = q({ interest: 'sim', interestWhen: 'hoje', name: 'Ana', preferredDate: '2026-12-03' });
      const m = mergeQualification(known, ex as Partial<Qualification>);
      for (const k of ['interest', 'interestWhen', 'name', 'preferredDate'] as const) expect(m[k]).toBe(ex[k] ?? known[k]);
    }));
  });
});

describe('missingQuestions', () => {
  it('asks the four in order', () => expect(missingQuestions(q())).toEqual(['procedure', 'interest', 'date', 'time']));
  it('interest nao → nothing more to ask', () => expect(missingQuestions(q({ interest: 'nao' }))).toEqual([]));
  it('date answered by preferredDate or a schedulable interestWhen; time by period or time', () => {
    expect(missingQuestions(q({ procedure: { id: 'x', name: 'X' }, interest: 'sim', interestWhen: 'semana que vem' }))).toEqual(['time']);
    expect(missingQuestions(q({ procedure: { id: 'x', name: 'X' }, interest: 'sim', interestWhen: 'mês que vem', preferredTime: '10:00' }))).toEqual([]);
    expect(missingQuestions(q({ interest: 'talvez', preferredDate: '2026-12-04', preferredPeriod: 'noite' }))).toEqual(['procedure']);
    expect(missingQuestions(q({ procedure: { id: null, name: 'Criolipólise' }, interest: 'sim', interestWhen: 'quando der' }))).toEqual(['date', 'time']);
  });
  it('one message can answer everything', () => {
    const known = converse([['quero fazer botox semana que vem de manhã']]);
    expect(missingQuestions(known)).toEqual([]);
  });
});

describe('scoreLead', () => {
  const k = knowledge();
  it('the motivated lead scores > 70 and the factors sum to the score', () => {
    const known = converse([['quero fazer botox semana que vem de manhã'], ['pode ser esse número', { lastQuestion: 'phone' }]]);
    expect(known.phoneConfirmed).toBe(true);
    const s = scoreLead(known, eng({ patientMessages: 2 }), k, WED);
    expect(s.score).toBeGreaterThan(70);
    expect(s.factors.reduce((a, f) => a + f.points, 0)).toBe(s.score);
    expect(s.factors.map((f) => f.key)).toEqual(['procedure', 'interest', 'urgency', 'date_fit', 'time', 'engagement', 'sentiment', 'phone']);
    expect(s.factors.find((f) => f.key === 'procedure')).toMatchObject({ points: 25 });
  });
  it('the undecided lead scores ≤ 70', () => {
    const known = converse([['talvez, só pesquisando preço, não sei quando']]);
    const s = scoreLead(known, eng({ patientMessages: 1 }), k, WED);
    expect(s.score).toBeLessThanOrEqual(70);
    expect(s.score).toBe(8);
  });
  it('no interest drives the score to the floor', () => {
    const s = scoreLead(q({ procedure: { id: 'p-botox', name: 'Botox' }, interest: 'nao' }), eng(), k, WED);
    expect(s.score).toBe(0);
    expect(s.factors.find((f) => f.key === 'negative')?.points).toBe(-40);
  });
  it('bands: urgency within 7 / 30 / later days, closed day, not offered', () => {
    const base = q({ procedure: { id: 'p-botox', name: 'Botox' }, interest: 'sim' });
    const pts = (qq: Qualification, key: string, e = eng()) => scoreLead(qq, e, k, WED).factors.find((f) => f.key === key)!.points;
    expect(pts({ ...base, preferredDate: '2026-12-09' }, 'urgency')).toBe(15);
    expect(pts({ ...base, preferredDate: '2026-12-20' }, 'urgency')).toBe(8);
    expect(pts({ ...base, preferredDate: '2027-03-01' }, 'urgency')).toBe(2);
    expect(pts({ ...base, interestWhen: 'este mês' }, 'urgency')).toBe(8);
    expect(pts({ ...base, preferredDate: '2026-12-06' }, 'date_fit')).toBe(0); // domingo: closed
    expect(pts({ ...base, preferredDate: '2026-12-05' }, 'date_fit')).toBe(5); // sábado: open
    expect(pts({ ...base, preferredDate: '2026-12-05' }, 'date_fit', eng({ slotsOnPreferredDate: 0 }))).toBe(0);
    expect(pts({ ...base, procedure: { id: null, name: 'Criolipólise' } }, 'procedure')).toBe(5);
    expect(pts(base, 'engagement', eng({ patientMessages: 4, medianReplySeconds: 120 }))).toBe(10);
    expect(pts(base, 'engagement', eng({ patientMessages: 4, medianReplySeconds: 900 }))).toBe(5);
    expect(pts(base, 'sentiment', eng({ meanSentiment: 0.64 }))).toBe(6);
    expect(pts(base, 'sentiment', eng({ meanSentiment: -0.5 }))).toBe(-5);
  });
  it('property: integer in 0..100, equals the clamped sum of the factors, every label in pt-BR text', () => {
    const qual = fc.record({
      procedure: fc.constantFrom(null, { id: 'p-botox', name: 'Botox' }, { id: null, name: 'Crio' }),
      interest: fc.constantFrom(null, 'sim', 'nao', 'talvez'),
      interestWhen: fc.constantFrom(null, 'semana que vem', 'este mês', 'sei lá'),
      preferredDate: fc.constantFrom(null, '2026-12-01', '2026-12-04', '2027-05-05', 'lixo'),
      preferredPeriod: fc.constantFrom(null, 'manha', 'noite'),
      preferredTime: fc.constantFrom(null, '10:00'),
      phoneConfirmed: fc.constantFrom(null, true, false),
      otherPhone: fc.constantFrom(null, '+5511987654321'),
      name: fc.constantFrom(null, 'Ana'),
    }) as fc.Arbitrary<Qualification>;
    const e = fc.record({ patientMessages: fc.nat(50), meanSentiment: fc.double({ min: -1, max: 1, noNaN: true }), medianReplySeconds: fc.option(fc.nat(5000), { nil: null }), slotsOnPreferredDate: fc.option(fc.nat(5), { nil: null }) });
    fc.assert(fc.property(qual, e, (qq, ee) => {
      const s = scoreLead(qq, ee, k, WED);
      expect(Number.isInteger(s.score)).toBe(true);
      expect(s.score).toBe(Math.max(0, Math.min(100, s.factors.reduce((a, f) => a + f.points, 0))));
      for (const f of s.factors) { expect(f.label.length).toBeGreaterThan(3); expect(Number.isInteger(f.points)).toBe(true); }
      expect(scoreLead(qq, ee, k, WED)).toEqual(s);
    }));
  });
});

describe('answerQuestions', () => {
  const k = knowledge();
  const ask = (topics: [QuestionTopic, string | null][], qq: Qualification = q()) => answerQuestions(topics.map(([topic, procedureId]) => ({ topic, procedureId })), k, qq);
  it('price from priceCents, or "depende de avaliação" when null; never invented', () => {
    expect(ask([['price', 'p-botox']])).toBe('Toxina Botulínica (Botox) custa R$ 1.200,00.');
    expect(ask([['price', 'p-peeling']])).toContain('R$ 250,50');
    expect(ask([['price', 'p-labial']])).toBe('O valor de Preenchimento Labial depende de avaliação; a equipe informa.');
    expect(ask([['price', null]], q({ procedure: { id: 'p-limpeza', name: 'Limpeza' } }))).toContain('R$ 180,00');
    expect(ask([['price', null]], q({ procedure: { id: null, name: 'Criolipólise' } }))).toContain('Não realizamos Criolipólise');
  });
  it('address with maps link, or asks the team', () => {
    expect(ask([['address', null]])).toBe('Estamos em Av. Paulista, 1000, sala 12, Bela Vista, São Paulo/SP. Mapa: https://maps.example.com/bella');
    expect(answerQuestions([{ topic: 'address', procedureId: null }], knowledge({ address: null, mapsUrl: null }), q())).toContain('equipe');
  });
  it('hours grouped by weekday', () => {
    expect(ask([['hours', null]])).toBe('Nosso horário de atendimento: seg a sex 09:00–18:00, sáb 09:00–13:00.');
    expect(formatOpeningHours({ 1: ['08:00-12:00', '13:00-17:00'], 3: ['08:00-12:00'], 4: ['08:00-12:00'] })).toBe('seg 08:00–12:00 e 13:00–17:00, qua e qui 08:00–12:00');
    expect(formatOpeningHours({})).toBeNull();
  });
  it('procedure details never promise results; duration, list, payment methods', () => {
    const d = ask([['procedure_details', 'p-botox']])!;
    expect(d).toContain('Aplicação de toxina botulínica');
    expect(d).toContain('30 min');
    expect(d).toContain('Os resultados variam de pessoa para pessoa; a avaliação é feita pela profissional.');
    expect(ask([['duration', 'p-limpeza']])).toBe('A sessão de Limpeza de Pele Profunda dura cerca de 1 h 30 min.');
    expect(ask([['procedures_list', null]])).toContain('Toxina Botulínica (Botox), Limpeza de Pele Profunda');
    expect(ask([['payment_methods', null]])).toBe('Aceitamos cartão (crédito/débito) e Pix; as condições de parcelamento a equipe confirma para o seu caso.');
    expect(answerQuestions([], k, q())).toBeNull();
  });
  it('end to end: "quanto custa o botox? aceita pix?"', () => {
    const a = analyzeMessage('quanto custa o botox? aceita pix?', ctx());
    expect(answerQuestions(a.questions, k, q())).toBe('Toxina Botulínica (Botox) custa R$ 1.200,00.\nAceitamos cartão (crédito/débito) e Pix; as condições de parcelamento a equipe confirma para o seu caso.');
  });
});

describe('replies', () => {
  const k = knowledge();
  it('greeting introduces Anna and asks the first missing question', () => {
    const r = replies.greeting(k, ['procedure', 'interest', 'date', 'time'], 'Maria Silva');
    expect(r.text).toContain('Olá, Maria!');
    expect(r.text).toContain('Anna, assistente virtual da Clínica Bella Pele');
    expect(r.text).toContain('Qual procedimento você tem interesse?');
    expect(r.text).not.toContain('Prefere manhã');
  });
  it('ask asks only what is missing (and combines date + time)', () => {
    expect(replies.ask(['time'], q()).text).toBe('Prefere manhã, tarde ou noite?');
    expect(replies.ask(['time'], q()).quickReplies).toEqual(['Manhã', 'Tarde', 'Noite']);
    expect(replies.ask(['date', 'time'], q()).text).toMatch(/dia e qual período/);
    expect(replies.ask(['interest', 'date', 'time'], q()).text).toBe('Você tem interesse em agendar? (sim / não / talvez) E para quando?');
    expect(replies.ask(['procedure'], q(), k).text).toBe('Qual procedimento você tem interesse? Temos, por exemplo: Toxina Botulínica (Botox), Limpeza de Pele Profunda, Preenchimento Labial, Peeling Químico, Drenagem Linfática e outros.');
    expect(replies.ask(['phone'], q(), k, { phone: '+5511987654321' }).text).toBe('Posso enviar a confirmação e os lembretes para este número (+55 11 98765-4321)?');
  });
  it('offerSlots lists the labels, with short buttons (WhatsApp: 20 characters) the engine reads back; confirm, booked with address', () => {
    const r = replies.offerSlots(slots);
    expect(r.quickReplies![0]).toBe('qui 03/12 10:00');
    for (const b of r.quickReplies!) expect(b.length).toBeLessThanOrEqual(20);
    r.quickReplies!.forEach((b, i) => {
      const a = analyzeMessage(b, ctx({ stage: 'choosing_slot', offeredSlots: slots }));
      expect(a).toMatchObject({ intent: 'choose_slot', slotChoice: i + 1 });
    });
    expect(r.text).toContain('1. qui 03/12 às 10:00 com Dra. Ana');
    expect(replies.offerSlots([]).text).toBe(replies.noSlots().text);
    expect(replies.confirmSlot(slots[0], 'Botox').text).toBe('Posso confirmar Botox em qui 03/12 às 10:00 com Dra. Ana?');
    const b = replies.booked(slots[1], 'Botox', k).text;
    expect(b).toContain('sex 04/12 às 14:30');
    expect(b).toContain('Av. Paulista, 1000');
  });
  it('deposit link formats the amount; handoff / human / notOffered / fallback', () => {
    expect(replies.depositLink(20000, 'https://pay.example/x', 'hoje às 18:00').text).toContain('R$ 200,00');
    expect(replies.staffHandoff().text).toContain('uma pessoa da nossa equipe vai falar com você');
    expect(replies.humanRequested().text).toMatch(/equipe/);
    expect(replies.notOffered('Criolipólise', k).text).toContain('não realizamos Criolipólise');
    expect(replies.fallback(['time'], q()).text).toBe('Desculpe, não entendi muito bem. Prefere manhã, tarde ou noite?');
    expect(replies.abandoned()).toBeNull();
    expect(replies.followUp('Ana Souza').text).toContain('Oi, Ana!');
  });
  it('booked uses the clinic zone (New York)', () => {
    expect(replies.booked({ ...slots[0], startsAt: '2026-03-09T14:00:00Z' }, 'Botox', knowledge({ timeZone: 'America/New_York' })).text).toContain('seg 09/03 às 10:00');
  });
  it('formatMoney', () => {
    expect(formatMoney(123456)).toBe('R$ 1.234,56');
    expect(formatMoney(5)).toBe('R$ 0,05');
    expect(formatMoney(100000000)).toBe('R$ 1.000.000,00');
  });
});

describe('property: no price that is not in the knowledge', () => {
  const procArb = fc.record({
    id: fc.uuid(),
    name: fc.constantFrom('Botox', 'Limpeza de Pele', 'Peeling', 'Drenagem', 'Laser CO2', 'Hydrafacial', 'Preenchimento Labial', 'Massagem'),
    category: fc.constantFrom('facial', 'corporal', 'capilar', 'outra'),
    durationMinutes: fc.integer({ min: 10, max: 300 }),
    priceCents: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: null }),
    depositCents: fc.integer({ min: 0, max: 100_000 }),
    description: fc.option(fc.constantFrom('Procedimento facial.', 'Sessão relaxante', 'Custa pouco'), { nil: null }),
  }) as fc.Arbitrary<KnownProcedure>;
  const topics: QuestionTopic[] = ['price', 'address', 'hours', 'procedure_details', 'procedures_list', 'payment_methods', 'duration'];
  const amounts = (s: string) => [...s.matchAll(/R\$ ?(-?[\d.]+,\d{2})/g)].map((m) => Number(m[1].replace(/\./g, '').replace(',', '')));

  it('every "R$" amount in any reply or answer is some priceCents (or the deposit passed in)', () => {
    fc.assert(fc.property(fc.array(procArb, { maxLength: 8 }), fc.integer({ min: 0, max: 100_000 }), fc.nat(7), (procs, deposit, pick) => {
      const k: ClinicKnowledge = { ...knowledge(), procedures: procs };
      const allowed = new Set(procs.map((p) => p.priceCents).filter((c): c is number => c !== null));
      const p0 = procs[pick % Math.max(1, procs.length)];
      const qq = q({ procedure: p0 ? { id: p0.id, name: p0.name } : null });
      const texts: string[] = [];
      const questions: MessageAnalysis['questions'] = topics.flatMap((topic) => [{ topic, procedureId: null }, ...procs.map((p) => ({ topic, procedureId: p.id }))]);
      texts.push(answerQuestions(questions, k, qq) ?? '', answerQuestions(questions, k, q()) ?? '');
      for (const text of ['quanto custa?', 'qual o valor do botox', 'preço da limpeza de pele e do peeling', 'valores?']) {
        const a = analyzeMessage(text, ctx({ knowledge: k, known: qq }));
        texts.push(answerQuestions(a.questions, k, qq) ?? '');
      }
      const r = replies;
      texts.push(
        r.greeting(k, ['procedure'], 'Ana').text, r.ask(['procedure', 'interest'], qq, k).text, r.ask(['interest'], qq, k).text, r.offerSlots(slots).text,
        r.noSlots().text, r.confirmSlot(slots[0], p0?.name ?? 'X').text, r.askName().text, r.paymentReceived().text, r.paymentExpired().text,
        r.booked(slots[0], p0?.name ?? 'X', k).text, r.staffHandoff().text, r.followUp('Ana').text, r.nudge().text, r.spamStop().text,
        r.notOffered('Criolipólise', k).text, r.slotTaken().text, r.humanRequested().text, r.fallback(['procedure'], qq, k).text, r.goodbye().text, r.insult().text,
      );
      for (const t of texts) for (const cents of amounts(t)) expect(allowed.has(cents), `${cents} in "${t}"`).toBe(true);
      const dep = r.depositLink(deposit, 'https://pay.example/x', 'amanhã').text;
      expect(amounts(dep)).toEqual([deposit]);
    }), { numRuns: 150 });
  });
  it('answers always name a price when asked about a priced procedure', () => {
    fc.assert(fc.property(fc.array(procArb, { minLength: 1, maxLength: 5 }), (procs) => {
      const k: ClinicKnowledge = { ...knowledge(), procedures: procs };
      for (const p of procs) {
        const text = answerQuestions([{ topic: 'price', procedureId: p.id }], k, q())!;
        if (p.priceCents === null) expect(text).not.toContain('R$');
        else expect(amounts(text)).toEqual([p.priceCents]);
      }
    }));
  });
});

describe('property: analyzeMessage never throws and stays in range', () => {
  it('for arbitrary Unicode text and stages', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400, unit: 'grapheme' }), fc.constantFrom('qualifying', 'choosing_slot', 'confirming_slot', 'asking_name', 'awaiting_payment', 'staff_queue', 'done'), (text, stage) => {
      const a = analyzeMessage(text, ctx({ stage: stage as never, offeredSlots: slots, lastQuestion: 'phone' }));
      expect(a.sentiment).toBeGreaterThanOrEqual(-1);
      expect(a.sentiment).toBeLessThanOrEqual(1);
      if (a.slotChoice !== null) expect(a.slotChoice).toBeGreaterThanOrEqual(1);
      if (a.extracted.preferredDate) expect(a.extracted.preferredDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (a.extracted.preferredTime) expect(a.extracted.preferredTime).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
    }), { numRuns: 300 });
  });
  it('worst case for fuzzy matching: 2,000 characters of near-miss procedure words', () => {
    const words = ['limpesa', 'preenximento', 'botoxx', 'drenajem', 'microagulhamentu', 'harmonisacao', 'peelling', 'criolipolize'];
    const text = Array.from({ length: 600 }, (_, i) => words[(i * 5) % words.length] + (i % 3 === 0 ? '' : 's')).join(' ');
    analyzeMessage(text, ctx());
    let best = Infinity;
    for (let i = 0; i < 3; i++) { const t0 = performance.now(); analyzeMessage(text, ctx()); best = Math.min(best, performance.now() - t0); }
    expect(best).toBeLessThan(50);
  });
});

it('procedures fixture is shared', () => expect(procedures.length).toBe(6));
