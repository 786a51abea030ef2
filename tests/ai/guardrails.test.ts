// Guardrails of a model-worded reply, the price table and the schema/sanitizing of an analysis (no database).
import { describe, expect, it } from 'vitest';
import { analysisJsonSchema, modelAnalysisSchema, sanitizeAnalysis, type ModelAnalysis } from '../../providers/ai/analysis';
import { checkRewording, extractMoneyCents, extractSchedule, extractUrls } from '../../providers/ai/guardrails';
import { costMicroUsd, priceOf } from '../../providers/ai/pricing';
import { monthStartUtc } from '../../services/ai-ledger';
import { context, knowledge, LASER, LIMPEZA, slots, TOXINA } from './knowledge';

const k = knowledge('c1');
const draft = 'Olá! A Toxina botulínica custa R$ 1.200,00 e o sinal é de R$ 300,00. Para pagar: https://pay.example.com/l/abc123?x=1. Posso reservar ter 01/12 às 10:00?';

describe('money amounts', () => {
  it('reads the usual Brazilian ways of writing an amount', () => {
    expect(extractMoneyCents('R$ 1.200,00 ou R$1200 ou R$ 99,9 ou R$ 1,2 mil, 350 reais, 2 mil reais')).toEqual([120000, 120000, 9990, 120000, 35000, 200000]);
    expect(extractMoneyCents('sessão de 30 minutos, às 10:00, dia 01/12')).toEqual([]);
  });
});

describe('checkRewording', () => {
  it('accepts a warmer wording that keeps the facts', () => {
    const out = 'Oi! 😊 A toxina botulínica sai por R$ 1.200,00, com sinal de R$ 300,00. O link para pagar é https://pay.example.com/l/abc123?x=1. Posso reservar ter 01/12 às 10:00 pra você?';
    expect(checkRewording(out, draft, k)).toEqual({ ok: true });
  });

  it("accepts another procedure's price from the clinic's data", () => {
    const out = 'Oi! A toxina botulínica custa R$ 1.200,00 (sinal R$ 300,00); a limpeza de pele, R$ 250,00. Pague em https://pay.example.com/l/abc123?x=1. Posso reservar ter 01/12 às 10:00?';
    expect(checkRewording(out, draft, k)).toEqual({ ok: true });
  });

  it.each([
    ['an invented price', 'Oi! Hoje sai por R$ 990,00, sinal R$ 300,00: https://pay.example.com/l/abc123?x=1. Posso reservar ter 01/12 às 10:00?', 'price'],
    ['an invented amount in reais', 'Oi! Custa 1.100 reais (R$ 1.200,00 com sinal R$ 300,00): https://pay.example.com/l/abc123?x=1. Reservo ter 01/12 às 10:00?', 'price'],
    ['a promise of results', 'Oi! Resultado garantido por R$ 1.200,00, sinal R$ 300,00: https://pay.example.com/l/abc123?x=1. Reservo ter 01/12 às 10:00?', 'promise'],
    ['"100%"', 'Oi! 100% de satisfação. R$ 1.200,00, sinal R$ 300,00: https://pay.example.com/l/abc123?x=1. Reservo ter 01/12 às 10:00?', 'promise'],
    ['"sem risco"', 'Oi! É sem risco nenhum. R$ 1.200,00, sinal R$ 300,00: https://pay.example.com/l/abc123?x=1. Reservo ter 01/12 às 10:00?', 'promise'],
    ['"permanente"', 'Oi! Efeito permanente! R$ 1.200,00, sinal R$ 300,00: https://pay.example.com/l/abc123?x=1. Reservo ter 01/12 às 10:00?', 'promise'],
    ['a changed link', 'Oi! R$ 1.200,00, sinal R$ 300,00: https://pay.example.com/l/abc124?x=1. Reservo ter 01/12 às 10:00?', 'url'],
    ['a dropped link', 'Oi! R$ 1.200,00, sinal R$ 300,00. Reservo ter 01/12 às 10:00?', 'url'],
    ['an added link', 'Oi! R$ 1.200,00, sinal R$ 300,00: https://pay.example.com/l/abc123?x=1 (veja https://insta.example.com/bella). Reservo ter 01/12 às 10:00?', 'url'],
    ['a moved time', 'Oi! R$ 1.200,00, sinal R$ 300,00: https://pay.example.com/l/abc123?x=1. Reservo ter 01/12 às 11:00?', 'schedule'],
    ['a moved date', 'Oi! R$ 1.200,00, sinal R$ 300,00: https://pay.example.com/l/abc123?x=1. Reservo qua 02/12 às 10:00?', 'schedule'],
    ['an invented phone', 'Oi! R$ 1.200,00, sinal R$ 300,00: https://pay.example.com/l/abc123?x=1. Reservo ter 01/12 às 10:00? Dúvidas: (11) 99999-0000', 'phone'],
    ['an empty text', '   ', 'empty'],
    ['a text over 1,000 characters', `${'Oi! '.repeat(260)}R$ 1.200,00, sinal R$ 300,00: https://pay.example.com/l/abc123?x=1. Reservo ter 01/12 às 10:00?`, 'length'],
  ])('rejects %s', (_label, out, rule) => {
    const verdict = checkRewording(out, draft, k);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? null : verdict.rule).toBe(rule);
  });

  it("does not read a procedure's own name as a promise, nor a word the draft already says", () => {
    const d = 'A Depilação a laser definitiva está disponível. Quer saber mais?';
    expect(checkRewording('Temos sim a Depilação a laser definitiva! Quer saber mais? 😊', d, k)).toEqual({ ok: true });
    expect(checkRewording('Temos sim, e o resultado é definitivo! Quer saber mais?', 'Temos sim. Quer saber mais?', k).ok).toBe(false);
  });

  it('keeps the clinic phone allowed and reads link and schedule parts apart', () => {
    expect(checkRewording('Pode ligar para (11) 3333-4444 quando quiser!', 'Pode ligar para a clínica quando quiser.', k)).toEqual({ ok: true });
    expect(extractUrls('Veja https://a.example.com/x/1, e www.b.example.com.')).toEqual(['https://a.example.com/x/1', 'www.b.example.com']);
    expect(extractSchedule('ter 1/12 às 10h, ou 14h30, ou 09:00 — https://x.example.com/10/12')).toEqual({ dates: new Set(['01/12']), times: new Set(['10:00', '14:30', '09:00']) });
  });
});

describe('pricing', () => {
  it('costs tokens from the price table, in micro-USD', () => {
    expect(costMicroUsd('gpt-4o-mini', 1_000_000, 1_000_000)).toBe(750_000);
    expect(costMicroUsd('gpt-4o-mini', 1000, 200)).toBe(270);
    expect(costMicroUsd('gpt-4o', 1000, 200)).toBe(4500);
    expect(costMicroUsd('gpt-4.1-mini', 1000, 200)).toBe(720);
    expect(costMicroUsd('gpt-4.1', 1000, 200)).toBe(3600);
    expect(costMicroUsd('gpt-4o-mini', 0, 0)).toBe(0);
    expect(costMicroUsd('gpt-4o-mini', 1, 0)).toBe(1); // rounded up
  });

  it("prices dated snapshots as their model and unknown models at gpt-4o-mini's prices", () => {
    expect(priceOf('gpt-4o-2024-08-06')).toEqual({ price: priceOf('gpt-4o').price, known: true });
    expect(priceOf('modelo-novo')).toEqual({ price: priceOf('gpt-4o-mini').price, known: false });
    expect(costMicroUsd('modelo-novo', 1000, 200)).toBe(270);
  });

  it('restarts the monthly budget on the 1st (UTC)', () => {
    expect(monthStartUtc(new Date('2026-12-01T02:00:00Z')).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(monthStartUtc(new Date('2026-11-30T23:59:59Z')).toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });
});

describe('analysis schema and sanitizing', () => {
  const ctx = context('c1', { stage: 'choosing_slot', offeredSlots: slots });
  const raw = (over: Partial<ModelAnalysis['extracted']> = {}, rest: Partial<ModelAnalysis> = {}): ModelAnalysis => ({
    extracted: { procedure: null, interest: null, interestWhen: null, preferredDate: null, preferredPeriod: null, preferredTime: null, phoneConfirmed: null, otherPhone: null, name: null, ...over },
    intent: 'answer', slotChoice: null, questions: [], sentiment: 0, empty: false, ...rest,
  });

  it("offers only the clinic's procedure ids (or null) in the strict schema", () => {
    const schema = analysisJsonSchema(ctx) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const id = schema.properties.extracted.properties.procedure.anyOf[0].properties.id;
    expect(id.enum).toEqual([TOXINA, LIMPEZA, LASER, null]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(Object.keys(schema.properties));
  });

  it('keeps known ids, maps an exact name, nulls unknown ids and drops invalid values', () => {
    const a = sanitizeAnalysis(raw({ procedure: { id: 'inventado', name: 'Harmonização facial' }, preferredDate: '2026-02-30', preferredTime: '25:00', otherPhone: '123', name: '4242' }, {
      intent: 'choose_slot', slotChoice: 4, sentiment: 3, questions: [{ topic: 'price', procedureId: 'inventado' }, { topic: 'price', procedureId: null }, { topic: 'duration', procedureId: TOXINA }],
    }), ctx);
    expect(a).toEqual({
      extracted: { procedure: { id: null, name: 'Harmonização facial' } },
      intent: 'unknown', slotChoice: null, sentiment: 1, empty: false,
      questions: [{ topic: 'price', procedureId: null }, { topic: 'duration', procedureId: TOXINA }],
    });
    const b = sanitizeAnalysis(raw({ procedure: { id: null, name: 'limpeza de pele' }, preferredDate: '2026-12-04', preferredTime: '9:30', otherPhone: '(11) 98888-7777', name: ' Maria  Souza ' }, { intent: 'choose_slot', slotChoice: 2, sentiment: -0.456 }), ctx);
    expect(b).toEqual({
      extracted: { procedure: { id: LIMPEZA, name: 'Limpeza de pele' }, preferredDate: '2026-12-04', preferredTime: '09:30', otherPhone: '+5511988887777', phoneConfirmed: false, name: 'Maria Souza' },
      intent: 'choose_slot', slotChoice: 2, sentiment: -0.46, empty: false, questions: [],
    });
  });

  it('rejects JSON that does not follow the schema', () => {
    expect(modelAnalysisSchema.safeParse({ ...raw(), intent: 'comprar' }).success).toBe(false);
    const { sentiment: _s, ...missing } = raw();
    expect(modelAnalysisSchema.safeParse(missing).success).toBe(false);
    expect(modelAnalysisSchema.safeParse(raw()).success).toBe(true);
  });
});
