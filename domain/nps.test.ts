import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  surveySendAt,
  commentQuestion, detractorApology, formatDateBr, formatDiscount, lateAnswerAck, neutralFeedbackInvite, npsClass, npsScore, parseNpsReply,
  priceWithDiscount, professionalReference, promoterReviewInvite, reminderText, surveyPageQuestion, surveyQuestion, thanks, type SurveyFacts,
} from './nps';

describe('parseNpsReply: scores', () => {
  it.each([
    ['9', 9], ['nota 9', 9], ['Nota 9', 9], ['9/10', 9], ['10/10', 10], ['9 / 10', 9], ['Nota: 10!', 10], ['NOTA DEZ', 10], ['dez', 10], ['Dez!!', 10],
    ['nove', 9], ['zero', 0], ['0', 0], ['nota zero', 0], ['10 ❤️', 10], ['9️⃣', 9], ['🔟', 10], ['1️⃣0️⃣', 10], ['0️⃣', 0], ['dou 8', 8], ['uns 7', 7],
    ['eu dou 10', 10], ['Minha nota é 9', 9], ['acho que 8', 8], ['dou um 10', 10], ['10 de 10', 10], ['nota 10 de 10', 10], ['nota10', 10],
    ['10!!!', 10], ['  7  ', 7], ['７', 7], ['De 0 a 10? 9', 9], ['de 0 a 10 eu dou 8', 8], ['Sete.', 7], ['10 10 10', 10], ['nota -', null],
  ] as const)('%j → %s', (text, score) => {
    const r = parseNpsReply(text);
    expect(r.score).toBe(score);
  });

  it.each([
    ['8, foi ótimo', 8, 'foi ótimo'],
    ['10 ❤️', 10, '❤️'],
    ['Nota 10 para a Dra. Ana, amei!', 10, 'para a Dra. Ana, amei!'],
    ['Amei tudo, nota 10!', 10, 'Amei tudo!'],
    ['Amei tudo, nota 10, voltarei', 10, 'Amei tudo, voltarei'],
    ['9 - atendimento excelente, só atrasou um pouco', 9, 'atendimento excelente, só atrasou um pouco'],
    ['Foi ótimo, 9', 9, 'Foi ótimo'],
    ['6. Esperei 40 minutos', 6, 'Esperei 40 minutos'],
    ['Nota 3, fiz 2 sessões e nada mudou', 3, 'fiz 2 sessões e nada mudou'],
    ['dez! adorei a limpeza de pele', 10, 'adorei a limpeza de pele'],
  ] as const)('%j → %i with comment %j', (text, score, comment) => {
    expect(parseNpsReply(text)).toEqual({ score, comment });
  });

  it.each(['9', 'nota 9', 'Nota: 10!', '9/10', 'dou 8', 'uns 7', '🔟', 'de 0 a 10 eu dou 8'])('%j has no comment', (text) => {
    expect(parseNpsReply(text)).not.toHaveProperty('comment');
  });
});

describe('parseNpsReply: refusals', () => {
  it.each([
    ['', 'empty'], ['   ', 'empty'], ['\u200b', 'empty'],
    ['10000', 'out_of_range'], ['10.000', 'out_of_range'], ['-1', 'out_of_range'], ['nota -1', 'out_of_range'], ['11', 'out_of_range'],
    ['nota 11', 'out_of_range'], ['1️⃣1️⃣', 'out_of_range'], ['nota mil', 'out_of_range'], ['100', 'out_of_range'],
    ['nota', 'not_a_score'], ['😡', 'not_a_score'], ['👍', 'not_a_score'], ['obrigada!', 'not_a_score'], ['...', 'not_a_score'],
    ['(11) 98765-4321', 'not_a_score'], ['11 98765-4321', 'not_a_score'], ['+55 11 98765 4321', 'not_a_score'], ['11987654321', 'not_a_score'],
    ['10/12', 'not_a_score'], ['10/12/2024', 'not_a_score'], ['dia 10', 'not_a_score'], ['às 10h', 'not_a_score'], ['10:30', 'not_a_score'],
    ['Esperei 40 minutos', 'not_a_score'], ['esperei dez minutos', 'not_a_score'], ['5 estrelas', 'not_a_score'], ['100%', 'not_a_score'],
    ['R$ 10', 'not_a_score'], ['fiz 3 sessões', 'not_a_score'], ['zero dor, amei', 'not_a_score'], ['uma experiência ótima', 'not_a_score'],
    ['foi um ótimo atendimento', 'not_a_score'],
    ['7 ou 8', 'ambiguous'], ['7-8', 'ambiguous'], ['7 a 8', 'ambiguous'], ['entre 7 e 8', 'ambiguous'], ['nota 8 ou 9', 'ambiguous'],
    ['8, 9', 'ambiguous'], ['9,5', 'ambiguous'], ['8 ... 9', 'ambiguous'],
  ] as const)('%j → %s', (text, reason) => {
    expect(parseNpsReply(text)).toEqual({ score: null, reason });
  });

  it('never throws and always answers a well-formed result, whatever the Unicode', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }),
      fc.array(fc.constantFrom('nota', ' ', '9', '10', '/', '-', ',', 'dez', 'ou', '️⃣', '\u20e3', '🔟', '😡', '.', 'um', 'de'), { maxLength: 12 }).map((a) => a.join(''))), (s) => {
      const r = parseNpsReply(s);
      if (r.score === null) expect(['empty', 'out_of_range', 'not_a_score', 'ambiguous']).toContain(r.reason);
      else {
        expect(Number.isInteger(r.score) && r.score >= 0 && r.score <= 10).toBe(true);
        if ('comment' in r) expect(r.comment!.trim()).toBe(r.comment);
      }
    }), { numRuns: 3000 });
  });

  it('every score 0–10 is read back, alone or announced', () => {
    for (let n = 0; n <= 10; n++) {
      expect(parseNpsReply(String(n)).score).toBe(n);
      expect(parseNpsReply(`nota ${n}`).score).toBe(n);
      expect(parseNpsReply(`${n}/10`).score).toBe(n);
    }
  });

  it('does not choke on a very long message', () => {
    expect(parseNpsReply(`9 ${'muito bom '.repeat(5000)}`).score).toBe(9);
  });
  it('a non-string is empty', () => {
    expect(parseNpsReply(undefined as unknown as string)).toEqual({ score: null, reason: 'empty' });
  });
});

describe('npsClass and npsScore', () => {
  it('uses the brief\'s thresholds', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(npsClass)).toEqual([
      ...Array(7).fill('detractor'), 'neutral', 'neutral', 'promoter', 'promoter',
    ]);
  });
  it('refuses what is not a score', () => {
    for (const s of [-1, 11, 7.5, NaN]) expect(() => npsClass(s)).toThrow(RangeError);
    expect(() => npsScore([10, 11])).toThrow(RangeError);
  });
  it('is % promoters − % detractors, rounded', () => {
    expect(npsScore([])).toBeNull();
    expect(npsScore([10, 9, 8, 7])).toBe(50);
    expect(npsScore([0, 6, 7, 8])).toBe(-50);
    expect(npsScore([10, 0])).toBe(0);
    expect(npsScore([7])).toBe(0);
    expect(Object.is(npsScore([7]), 0)).toBe(true);
    expect(npsScore([10, 10, 10])).toBe(100);
    expect(npsScore([1, 2])).toBe(-100);
    expect(npsScore([10, 8, 8])).toBe(33); // 33.3
    expect(npsScore([10, 10, 8])).toBe(67); // 66.7
    expect(npsScore([10, 8, 8, 8, 8, 8, 8, 8])).toBe(13); // 12.5, half away from zero
    expect(npsScore([0, 8, 8, 8, 8, 8, 8, 8])).toBe(-13);
  });
  it('stays within −100…100 (property)', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 200 }), (scores) => {
      const s = npsScore(scores)!;
      expect(Number.isInteger(s)).toBe(true);
      expect(s).toBeGreaterThanOrEqual(-100);
      expect(s).toBeLessThanOrEqual(100);
    }));
  });
});

describe('survey texts', () => {
  const facts: SurveyFacts = {
    clinicName: 'Clínica Bella Pele', procedureName: 'limpeza de pele', professionalName: 'Ana', professionalGender: 'F',
    patientFirstName: 'Maria Souza', patientGender: 'F', link: 'https://x/n/abc',
  };

  it('asks 0–10, naming the clinic, the procedure and the professional', () => {
    const q = surveyQuestion(facts);
    expect(q).toBe(
      'Olá, Maria! Aqui é da Clínica Bella Pele. De 0 a 10, quanto você recomendaria a Clínica Bella Pele a amigos e familiares, ' +
      'pensando no seu atendimento de limpeza de pele com a Dra. Ana?\n\n' +
      'Responda só com o número (0 = nada provável, 10 = com certeza). Se preferir, responda por aqui: https://x/n/abc',
    );
  });
  it('genders the professional when known, else just the name', () => {
    expect(surveyQuestion({ ...facts, professionalName: 'João', professionalGender: 'M' })).toContain('com o Dr. João?');
    expect(surveyQuestion({ ...facts, professionalName: 'Kim Lee', professionalGender: null })).toContain('com Kim Lee?');
    expect(surveyQuestion({ ...facts, professionalName: 'Kim Lee', professionalGender: undefined })).toContain('com Kim Lee?');
    expect(professionalReference('Dra. Helena Prado')).toBe('a Dra. Helena Prado');
    expect(professionalReference('Dr. Paulo', 'M')).toBe('o Dr. Paulo');
    expect(professionalReference('Doutora Lia')).toBe('a Doutora Lia');
    expect(professionalReference('Drauzio Lima')).toBe('Drauzio Lima');
    expect(professionalReference('  ')).toBe('');
  });
  it('uses the clinic name\'s article, or none when the name does not tell', () => {
    expect(surveyQuestion({ ...facts, clinicName: 'Instituto Pele Viva' })).toContain('Aqui é do Instituto Pele Viva. De 0 a 10, quanto você recomendaria o Instituto Pele Viva a');
    expect(surveyQuestion({ ...facts, clinicName: 'Bella Pele' })).toContain('Aqui é de Bella Pele. De 0 a 10, quanto você recomendaria Bella Pele a');
    expect(surveyQuestion({ ...facts, clinicName: 'Espaço Lótus' })).toContain('recomendaria o Espaço Lótus');
  });
  it('copes with missing pieces', () => {
    const q = surveyQuestion({ ...facts, clinicName: '', procedureName: '', professionalName: '', patientFirstName: '' });
    expect(q).toContain('Olá! Aqui é da sua clínica. De 0 a 10, quanto você recomendaria nossa clínica a amigos e familiares, pensando no seu atendimento?');
  });
  it('the reminder asks the same question', () => {
    const r = reminderText(facts);
    expect(r).toContain('Olá, Maria! Ainda dá tempo de responder nossa pesquisa rápida: de 0 a 10, quanto você recomendaria a Clínica Bella Pele');
    expect(r).toContain('https://x/n/abc');
  });
  it('thanks agree with the patient, as stored in patients.gender', () => {
    expect(thanks('F')).toContain('nossa paciente');
    expect(thanks('M')).toContain('nosso paciente');
    expect(thanks('Outro')).toBe('Agradecemos sua resposta! Cuidar de você é muito importante para nós.');
    expect(thanks(null)).toBe(thanks('Outro'));
    expect(thanks(undefined)).toBe(thanks('Outro'));
    for (const g of ['F', 'M', 'Outro', null] as const) expect(thanks(g)).toMatch(/^Agradecemos/);
  });
  it('asks for a comment', () => expect(commentQuestion()).toMatch(/^Quer contar o que motivou sua nota\?/));
  it('apologises to a detractor with a coupon, dd/mm/aaaa and BRL', () => {
    const t = detractorApology({ couponCode: 'VOLTA15', discountLabel: formatDiscount({ percent: 15 }), validUntil: '2025-03-05' });
    expect(t).toContain('cupom de 15% de desconto no seu próximo atendimento: *VOLTA15* (válido até 05/03/2025)');
    expect(t).toContain('Sentimos muito');
    const brl = detractorApology({ couponCode: 'X', discountLabel: formatDiscount({ cents: 123456 }), validUntil: '2025-12-31' });
    expect(brl).toContain('cupom de R$ 1.234,56 de desconto');
    expect(formatDiscount({ percent: 12.5 })).toBe('12,5%');
    expect(() => detractorApology({ couponCode: 'X', discountLabel: '10%', validUntil: '31/12/2025' })).toThrow(RangeError);
    expect(() => detractorApology({ couponCode: ' ', discountLabel: '10%', validUntil: '2025-12-31' })).toThrow(RangeError);
    expect(formatDateBr('2024-02-29')).toBe('29/02/2024');
    expect(() => formatDateBr('2025-02-29')).toThrow(RangeError);
  });
  it('invites neutrals and promoters', () => {
    expect(neutralFeedbackInvite('https://f/1')).toMatch(/o que podemos melhorar\? https:\/\/f\/1$/);
    expect(promoterReviewInvite('Ana', 'https://g/r', 'F')).toContain('sua experiência com a Dra. Ana numa avaliação pública');
    expect(promoterReviewInvite('Kim', 'https://g/r')).toContain('sua experiência com Kim numa');
    expect(promoterReviewInvite('', 'https://g/r')).toContain('sua experiência numa');
    expect(promoterReviewInvite('Ana', 'https://g/r')).toMatch(/https:\/\/g\/r$/);
  });
  it('acknowledges a late answer', () => expect(lateAnswerAck()).toContain('pesquisa já foi encerrada'));
  it('every text is well-accented pt-BR without leftover placeholders or double spaces', () => {
    const all = [surveyQuestion(facts), reminderText(facts), thanks('F'), commentQuestion(), neutralFeedbackInvite('l'), promoterReviewInvite('Ana', 'l'), lateAnswerAck(),
      detractorApology({ couponCode: 'A', discountLabel: '10%', validUntil: '2025-01-01' })];
    for (const t of all) {
      expect(t).not.toMatch(/\{|\}|undefined|null| {2}|\s[,.!?]/);
      expect(t).not.toMatch(/\b(voce|nao|experiencia|opiniao|proximo|valido|ate|pesquisa rapida|atraves)\b/i);
    }
  });
});

describe('surveySendAt', () => {
  const tz = 'America/Sao_Paulo';
  it('sends now inside 09:00–20:00, else at the next 09:00, and never on a day with another survey', () => {
    expect(surveySendAt(new Date('2026-12-03T14:00:00Z'), tz, []).toISOString()).toBe('2026-12-03T14:00:00.000Z'); // 11:00
    expect(surveySendAt(new Date('2026-12-03T09:00:00Z'), tz, []).toISOString()).toBe('2026-12-03T12:00:00.000Z'); // 06:00 → 09:00
    expect(surveySendAt(new Date('2026-12-03T23:30:00Z'), tz, []).toISOString()).toBe('2026-12-04T12:00:00.000Z'); // 20:30 → tomorrow 09:00
    expect(surveySendAt(new Date('2026-12-03T14:00:00Z'), tz, ['2026-12-03']).toISOString()).toBe('2026-12-04T12:00:00.000Z');
    expect(surveySendAt(new Date('2026-12-03T14:00:00Z'), tz, ['2026-12-03', '2026-12-04']).toISOString()).toBe('2026-12-05T12:00:00.000Z');
  });
});

describe('the one-tap page and the offer', () => {
  it('asks the page\'s question without greeting or link', () => {
    expect(surveyPageQuestion({ clinicName: 'Clínica Bella Pele', procedureName: 'limpeza de pele', professionalName: 'Dra. Ana' }))
      .toBe('De 0 a 10, quanto você recomendaria a Clínica Bella Pele a amigos e familiares, pensando no seu atendimento de limpeza de pele com a Dra. Ana?');
    expect(surveyPageQuestion({ clinicName: 'Bella Pele', procedureName: '', professionalName: '' }))
      .toBe('De 0 a 10, quanto você recomendaria Bella Pele a amigos e familiares, pensando no seu atendimento?');
  });
  it('applies a coupon to a price: percent rounded half up, a value never below zero, nothing under the minimum', () => {
    expect(priceWithDiscount(45000, { percent: 10 })).toBe(40500);
    expect(priceWithDiscount(999, { percent: 12.5 })).toBe(874); // 124,875 off → 125
    expect(priceWithDiscount(3000, { cents: 5000 })).toBe(0);
    expect(priceWithDiscount(20000, { cents: 5000 }, 30000)).toBeNull();
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 100 }), (price, percent) => {
      const p = priceWithDiscount(price, { percent })!;
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(price);
    }));
  });
});
