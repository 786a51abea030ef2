// Anna's brain with the real `openai` client against a local fake server: structured analysis, fallbacks
// to the local engine (429, malformed, timeout, errors), the per-clinic rate limit and monthly budget,
// the phrase guardrails, and one ai_calls row per attempt and per local answer.
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { aiCalls, clinics, conversations } from '../../db/schema';
import type { ClinicSettings } from '../../db/schema/identity';
import { analyzeMessage } from '../../domain/anna/engine';
import { loadEnv } from '../../config/env';
import { createAnnaBrain } from '../../providers/ai';
import { annaBrainFromEnv, createAiLedger } from '../../services/ai-ledger';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { completion, ok, rateLimited, startFakeOpenAI, type FakeOpenAI } from './fake-openai';
import { context, knowledge, LIMPEZA, slots, TOXINA } from './knowledge';

let tdb: TestDatabase;
let db: Db;
let fake: FakeOpenAI;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake?.close();
  await tdb?.drop();
});
afterEach(() => {
  fake.setDefault({ status: 500, json: { error: { message: 'no scripted reply', type: 'server_error' } } });
});

async function clinic(settings: ClinicSettings = {}) {
  const [c] = await db.insert(clinics).values({ name: 'Clínica Bella Pele', settings }).returning();
  const [conv] = await db.insert(conversations).values({ clinicId: c.id, patientWhatsapp: '+5511987654321' }).returning();
  return { clinicId: c.id, conversationId: conv.id };
}

const rows = (clinicId: string) => db.select().from(aiCalls).where(eq(aiCalls.clinicId, clinicId)).orderBy(asc(aiCalls.createdAt), asc(aiCalls.engine));

const brain = (over: Partial<Parameters<typeof createAnnaBrain>[0]> = {}) =>
  createAnnaBrain({ ledger: createAiLedger(db), apiKey: 'sk-test-anna', baseURL: fake.baseURL, timeoutMs: 2000, ...over });

/** A complete structured answer (all keys, nulls for what the message did not say). */
function modelAnswer(over: Record<string, unknown> = {}, extracted: Record<string, unknown> = {}) {
  return {
    extracted: { procedure: null, interest: null, interestWhen: null, preferredDate: null, preferredPeriod: null, preferredTime: null, phoneConfirmed: null, otherPhone: null, name: null, ...extracted },
    intent: 'answer', slotChoice: null, questions: [], sentiment: 0, empty: false, ...over,
  };
}

const TEXT = 'Oi! Queria fazer botox, sexta à tarde umas 15h dá? Quanto custa?';

describe('analyze', () => {
  it("returns the model's structured answer and records tokens and cost", async () => {
    const { clinicId, conversationId } = await clinic();
    const ctx = context(clinicId);
    fake.reply(ok(modelAnswer(
      { intent: 'answer', questions: [{ topic: 'price', procedureId: TOXINA }], sentiment: 0.6 },
      { procedure: { id: TOXINA, name: 'botox' }, interest: 'sim', preferredDate: '2026-12-04', preferredPeriod: 'tarde', preferredTime: '15:00' },
    ), { prompt: 1000, completion: 200 }));
    const before = fake.hits;
    const result = await brain().analyze({ clinicId, conversationId, text: TEXT, ctx });
    expect(fake.hits).toBe(before + 1);
    expect(result).toEqual({
      engine: 'openai',
      extracted: { procedure: { id: TOXINA, name: 'Toxina botulínica' }, interest: 'sim', preferredDate: '2026-12-04', preferredPeriod: 'tarde', preferredTime: '15:00' },
      intent: 'answer', slotChoice: null, questions: [{ topic: 'price', procedureId: TOXINA }], sentiment: 0.6, empty: false,
    });

    const req = fake.requests.at(-1)!;
    expect(req.headers.authorization).toBe('Bearer sk-test-anna');
    expect(req.body.model).toBe('gpt-4o-mini');
    expect(req.body.response_format.type).toBe('json_schema');
    expect(req.body.response_format.json_schema.strict).toBe(true);
    expect(req.body.response_format.json_schema.schema.properties.extracted.properties.procedure.anyOf[0].properties.id.enum).toContain(TOXINA);
    expect(req.body.messages.at(-1)).toEqual({ role: 'user', content: TEXT });
    expect(JSON.stringify(req.body.messages)).toContain('2026-11-29 (domingo)');

    const recorded = await rows(clinicId);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      engine: 'openai', model: 'gpt-4o-mini', purpose: 'analyze', outcome: 'ok', conversationId,
      promptTokens: 1000, completionTokens: 200, costMicroUsd: 270, error: null,
    });
    expect(recorded[0].latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("uses the clinic's model and prices it", async () => {
    const { clinicId } = await clinic({ anna: { model: 'gpt-4o' } });
    fake.reply(ok(modelAnswer({ intent: 'greeting', sentiment: 0.2 }), { prompt: 2000, completion: 100 }));
    const result = await brain({ defaultModel: 'gpt-4.1-mini' }).analyze({ clinicId, conversationId: null, text: 'Bom dia!', ctx: context(clinicId) });
    expect(result).toMatchObject({ engine: 'openai', intent: 'greeting', sentiment: 0.2 });
    expect(fake.requests.at(-1)!.body.model).toBe('gpt-4o');
    expect(await rows(clinicId)).toMatchObject([{ engine: 'openai', model: 'gpt-4o', conversationId: null, costMicroUsd: 2000 * 2.5 + 100 * 10 }]);
  });

  it("sanitizes the model's answer: unknown procedure id → null, impossible date and slot dropped", async () => {
    const { clinicId, conversationId } = await clinic();
    const ctx = context(clinicId, { stage: 'choosing_slot', offeredSlots: slots });
    fake.reply(ok(modelAnswer(
      { intent: 'choose_slot', slotChoice: 5, sentiment: -7, questions: [{ topic: 'procedure_details', procedureId: 'proc-inventado' }, { topic: 'duration', procedureId: LIMPEZA }] },
      { procedure: { id: 'proc-inventado', name: 'Bioestimulador' }, preferredDate: '2026-13-40', preferredTime: '9h' },
    )));
    const result = await brain().analyze({ clinicId, conversationId, text: 'quero o bioestimulador no horário 5', ctx });
    expect(result).toEqual({
      engine: 'openai',
      extracted: { procedure: { id: null, name: 'Bioestimulador' } },
      intent: 'unknown', slotChoice: null, sentiment: -1, empty: false,
      questions: [{ topic: 'procedure_details', procedureId: null }, { topic: 'duration', procedureId: LIMPEZA }],
    });
  });

  it('falls back to the local engine on a 429 (one OpenAI row rate_limited, one local row)', async () => {
    const { clinicId, conversationId } = await clinic();
    const ctx = context(clinicId);
    fake.reply(rateLimited());
    const before = fake.hits;
    const result = await brain().analyze({ clinicId, conversationId, text: TEXT, ctx });
    expect(fake.hits).toBe(before + 1); // maxRetries 0: no retry
    expect(result).toEqual({ ...analyzeMessage(TEXT, ctx), engine: 'local', fallbackReason: 'rate_limited' });
    const recorded = await rows(clinicId);
    expect(recorded.map((r) => `${r.engine}:${r.outcome}`).sort()).toEqual(['local:rate_limited', 'openai:rate_limited']);
    const openai = recorded.find((r) => r.engine === 'openai')!;
    const local = recorded.find((r) => r.engine === 'local')!;
    expect(openai).toMatchObject({ outcome: 'rate_limited', costMicroUsd: 0, promptTokens: 0, conversationId });
    expect(openai.error).toContain('429');
    expect(local).toMatchObject({ outcome: 'rate_limited', model: null, purpose: 'analyze', conversationId });
    expect(local.error).toMatch(/^rate_limited: /);
  });

  it.each([
    ['content that is not JSON', ok('Claro! O paciente quer botox na sexta.'), true],
    ['JSON outside the schema (unknown intent)', ok(modelAnswer({ intent: 'comprar' })), true],
    ['JSON missing keys', ok({ intent: 'answer', sentiment: 0.5 }), true],
    ['a refusal', { status: 200, json: completion(null, { prompt: 300, completion: 5 }, { refusal: 'Não posso ajudar com isso.' }) }, true],
    ['an answer cut off by max tokens', { status: 200, json: completion('{"extracted": {', { prompt: 300, completion: 800 }, { finishReason: 'length' }) }, true],
    ['a response body without choices', { status: 200, json: { id: 'x', object: 'chat.completion' } }, false],
  ] as const)('falls back cleanly on %s (outcome malformed)', async (_label, reply, hasUsage) => {
    const { clinicId, conversationId } = await clinic();
    const ctx = context(clinicId);
    fake.reply(reply);
    const result = await brain().analyze({ clinicId, conversationId, text: TEXT, ctx });
    expect(result).toEqual({ ...analyzeMessage(TEXT, ctx), engine: 'local', fallbackReason: 'malformed' });
    const recorded = await rows(clinicId);
    const openai = recorded.find((r) => r.engine === 'openai')!;
    expect(openai.outcome).toBe('malformed');
    expect(openai.costMicroUsd > 0).toBe(hasUsage); // the tokens were billed all the same
    expect(recorded.find((r) => r.engine === 'local')).toMatchObject({ outcome: 'malformed' });
  });

  it.each([
    ['never answers', { hang: true } as const],
    ['sends headers but never ends the body', { stall: true } as const],
  ])('gives up after timeoutMs when the server %s (outcome timeout)', async (_label, reply) => {
    const { clinicId, conversationId } = await clinic();
    const ctx = context(clinicId);
    fake.reply(reply);
    const started = Date.now();
    const result = await brain({ timeoutMs: 300 }).analyze({ clinicId, conversationId, text: TEXT, ctx });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2500);
    expect(result).toEqual({ ...analyzeMessage(TEXT, ctx), engine: 'local', fallbackReason: 'timeout' });
    const openai = (await rows(clinicId)).find((r) => r.engine === 'openai')!;
    expect(openai.outcome).toBe('timeout');
    expect(openai.latencyMs).toBeGreaterThanOrEqual(250);
  });

  it('falls back on a server error (outcome error)', async () => {
    const { clinicId } = await clinic();
    const ctx = context(clinicId);
    fake.reply({ status: 500, json: { error: { message: 'The server had an error', type: 'server_error' } } });
    const result = await brain().analyze({ clinicId, conversationId: null, text: TEXT, ctx });
    expect(result).toEqual({ ...analyzeMessage(TEXT, ctx), engine: 'local', fallbackReason: 'error' });
    expect((await rows(clinicId)).find((r) => r.engine === 'openai')).toMatchObject({ outcome: 'error' });
  });

  it('answers locally without an API key, recording only a local row', async () => {
    const { clinicId, conversationId } = await clinic();
    const ctx = context(clinicId);
    const before = fake.hits;
    const result = await createAnnaBrain({ ledger: createAiLedger(db), apiKey: null, baseURL: fake.baseURL }).analyze({ clinicId, conversationId, text: TEXT, ctx });
    expect(result).toEqual({ ...analyzeMessage(TEXT, ctx), engine: 'local' });
    expect(fake.hits).toBe(before);
    expect(await rows(clinicId)).toMatchObject([{ engine: 'local', outcome: 'ok', error: null, purpose: 'analyze', conversationId }]);
  });

  it('does not call OpenAI for an empty (media-only) message', async () => {
    const { clinicId } = await clinic();
    const ctx = context(clinicId);
    const before = fake.hits;
    const result = await brain().analyze({ clinicId, conversationId: null, text: '  ', ctx });
    expect(result).toEqual({ ...analyzeMessage('  ', ctx), engine: 'local' });
    expect(result.empty).toBe(true);
    expect(fake.hits).toBe(before);
    expect(await rows(clinicId)).toMatchObject([{ engine: 'local', outcome: 'ok', error: null }]);
  });

  it('is configured from OPENAI_API_KEY / OPENAI_BASE_URL / OPENAI_MODEL', async () => {
    const { clinicId } = await clinic();
    const ctx = context(clinicId);
    const before = fake.hits;
    expect((await annaBrainFromEnv(loadEnv({}), db).analyze({ clinicId, conversationId: null, text: 'oi', ctx })).engine).toBe('local');
    expect(fake.hits).toBe(before);
    fake.reply(ok(modelAnswer({ intent: 'greeting' })));
    const env = loadEnv({ OPENAI_API_KEY: 'sk-env', OPENAI_BASE_URL: fake.baseURL, OPENAI_MODEL: 'gpt-4.1-mini' });
    expect((await annaBrainFromEnv(env, db).analyze({ clinicId, conversationId: null, text: 'oi', ctx })).engine).toBe('openai');
    expect(fake.requests.at(-1)!.body.model).toBe('gpt-4.1-mini');
    expect(fake.requests.at(-1)!.headers.authorization).toBe('Bearer sk-env');
  });
});

describe('limits', () => {
  it('sends at most 20 calls a minute per clinic (shared by every brain); the 21st is local', async () => {
    const { clinicId, conversationId } = await clinic();
    const other = await clinic();
    const ctx = context(clinicId);
    let clock = new Date('2026-11-29T13:00:00.000Z');
    const now = () => clock;
    fake.setDefault(ok(modelAnswer({ intent: 'greeting' }), { prompt: 100, completion: 10 }));
    const [a, b] = [brain({ now }), brain({ now })]; // two processes
    const before = fake.hits;
    for (let i = 0; i < 20; i++) {
      clock = new Date(Date.parse('2026-11-29T13:00:00.000Z') + i * 2000);
      expect((await (i % 2 ? a : b).analyze({ clinicId, conversationId, text: 'oi', ctx })).engine).toBe('openai');
    }
    expect(fake.hits).toBe(before + 20);

    clock = new Date('2026-11-29T13:00:50.000Z');
    const refused = await a.analyze({ clinicId, conversationId, text: 'oi', ctx });
    expect(refused).toEqual({ ...analyzeMessage('oi', ctx), engine: 'local', fallbackReason: 'local_rate_limit' });
    expect(fake.hits).toBe(before + 20);
    expect((await b.phrase({ clinicId, conversationId, draft: 'Olá!', knowledge: knowledge(clinicId), history: [] })).fallbackReason).toBe('local_rate_limit');
    expect(fake.hits).toBe(before + 20);

    // Another clinic has its own window.
    expect((await a.analyze({ clinicId: other.clinicId, conversationId: null, text: 'oi', ctx: context(other.clinicId) })).engine).toBe('openai');

    // 60 s after the first call, one slot frees up (sliding window).
    clock = new Date('2026-11-29T13:01:00.500Z');
    expect((await a.analyze({ clinicId, conversationId, text: 'oi', ctx })).engine).toBe('openai');
    expect((await a.analyze({ clinicId, conversationId, text: 'oi', ctx })).fallbackReason).toBe('local_rate_limit');

    const recorded = await rows(clinicId);
    expect(recorded.filter((r) => r.engine === 'openai')).toHaveLength(21);
    expect(recorded.filter((r) => r.outcome === 'local_rate_limit').map((r) => [r.engine, r.purpose])).toEqual([['local', 'analyze'], ['local', 'phrase'], ['local', 'analyze']]);
  });

  it('holds under concurrency and honours the clinic setting', async () => {
    const { clinicId } = await clinic({ anna: { ratePerMinute: 5 } });
    fake.setDefault(ok(modelAnswer({ intent: 'greeting' }), { prompt: 100, completion: 10 }));
    const before = fake.hits;
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => brain().analyze({ clinicId, conversationId: null, text: `oi ${i}`, ctx: context(clinicId) })));
    expect(results.filter((r) => r.engine === 'openai')).toHaveLength(5);
    expect(results.filter((r) => r.fallbackReason === 'local_rate_limit')).toHaveLength(7);
    expect(fake.hits).toBe(before + 5);
  });

  it('stops calling OpenAI once the monthly budget is spent (UTC month)', async () => {
    const { clinicId, conversationId } = await clinic({ anna: { monthlyBudgetMicroUsd: 1000 } });
    const ctx = context(clinicId);
    const now = () => new Date('2026-11-29T13:00:00.000Z');
    // Last month's spending does not count.
    await db.insert(aiCalls).values({ clinicId, engine: 'openai', model: 'gpt-4o-mini', purpose: 'analyze', outcome: 'ok', costMicroUsd: 50_000, createdAt: new Date('2026-10-31T23:59:00Z') });
    fake.reply(ok(modelAnswer({ intent: 'greeting' }), { prompt: 4000, completion: 1000 })); // 600 + 600 = 1200 micro-USD
    const before = fake.hits;
    expect((await brain({ now }).analyze({ clinicId, conversationId, text: 'oi', ctx })).engine).toBe('openai');
    expect(fake.hits).toBe(before + 1);

    const result = await brain({ now }).analyze({ clinicId, conversationId, text: TEXT, ctx });
    expect(result).toEqual({ ...analyzeMessage(TEXT, ctx), engine: 'local', fallbackReason: 'budget_exceeded' });
    const phrased = await brain({ now }).phrase({ clinicId, conversationId, draft: 'Olá! Tudo bem?', knowledge: knowledge(clinicId), history: [] });
    expect(phrased).toEqual({ text: 'Olá! Tudo bem?', engine: 'local', fallbackReason: 'budget_exceeded' });
    expect(fake.hits).toBe(before + 1);
    const local = (await rows(clinicId)).filter((r) => r.engine === 'local');
    expect(local.map((r) => r.outcome)).toEqual(['budget_exceeded', 'budget_exceeded']);
    expect(local[0].error).toContain('1200 de 1000');

    // A new month, a new budget.
    fake.reply(ok(modelAnswer({ intent: 'greeting' })));
    expect((await brain({ now: () => new Date('2026-12-01T00:00:01Z') }).analyze({ clinicId, conversationId, text: 'oi', ctx })).engine).toBe('openai');
  });
});

describe('phrase', () => {
  const draft = 'Olá, Maria! A Toxina botulínica custa R$ 1.200,00 e o sinal é R$ 300,00. Para pagar: https://pay.example.com/l/abc123. Posso reservar ter 01/12 às 10:00?';
  const history = [
    { sender: 'paciente' as const, body: 'Oi, quanto custa o botox?' },
    { sender: 'anna' as const, body: 'Olá! Sou a Anna, da Clínica Bella Pele.' },
  ];

  it('uses a good rewording and records it', async () => {
    const { clinicId, conversationId } = await clinic();
    const good = 'Oi, Maria! 😊 A toxina botulínica sai por R$ 1.200,00, com sinal de R$ 300,00. É só pagar aqui: https://pay.example.com/l/abc123. Posso reservar ter 01/12 às 10:00 pra você?';
    fake.reply(ok(`"${good}"`, { prompt: 600, completion: 80 }));
    const result = await brain().phrase({ clinicId, conversationId, draft, knowledge: knowledge(clinicId), history });
    expect(result).toEqual({ text: good, engine: 'openai' });
    const req = fake.requests.at(-1)!;
    expect(req.body.response_format).toBeUndefined();
    expect(req.body.messages[0].role).toBe('system');
    expect(req.body.messages[0].content).toContain('Nunca prometa resultados');
    expect(req.body.messages[0].content).toContain('Nunca informe preço');
    expect(req.body.messages.at(-1).content).toContain(`RASCUNHO:\n${draft}`);
    expect(req.body.messages.at(-1).content).toContain('Paciente: Oi, quanto custa o botox?');
    expect(await rows(clinicId)).toMatchObject([{ engine: 'openai', purpose: 'phrase', outcome: 'ok', promptTokens: 600, completionTokens: 80, costMicroUsd: 138, conversationId }]);
  });

  it.each([
    ['an invented price', 'Oi, Maria! Essa semana sai por R$ 990,00, sinal R$ 300,00: https://pay.example.com/l/abc123. Reservo ter 01/12 às 10:00?', 'price'],
    ['a promise of results', 'Oi, Maria! Resultado garantido e natural! R$ 1.200,00, sinal R$ 300,00: https://pay.example.com/l/abc123. Reservo ter 01/12 às 10:00?', 'promise'],
    ['a changed link', 'Oi, Maria! R$ 1.200,00, sinal R$ 300,00: https://pay.example.com/l/abc124. Reservo ter 01/12 às 10:00?', 'url'],
    ['a moved slot', 'Oi, Maria! R$ 1.200,00, sinal R$ 300,00: https://pay.example.com/l/abc123. Reservo ter 01/12 às 11:00?', 'schedule'],
  ])('returns the draft when the rewording has %s (outcome guardrail)', async (_label, bad, rule) => {
    const { clinicId, conversationId } = await clinic();
    fake.reply(ok(bad, { prompt: 600, completion: 80 }));
    const result = await brain().phrase({ clinicId, conversationId, draft, knowledge: knowledge(clinicId), history });
    expect(result).toEqual({ text: draft, engine: 'local', fallbackReason: 'guardrail' });
    const recorded = await rows(clinicId);
    const openai = recorded.find((r) => r.engine === 'openai')!;
    expect(openai).toMatchObject({ outcome: 'guardrail', costMicroUsd: 138 });
    expect(openai.error).toMatch(new RegExp(`^${rule}: `));
    expect(recorded.find((r) => r.engine === 'local')).toMatchObject({ outcome: 'guardrail', purpose: 'phrase' });
  });

  it('returns the draft on a 429 and without an API key', async () => {
    const { clinicId, conversationId } = await clinic();
    fake.reply(rateLimited());
    expect(await brain().phrase({ clinicId, conversationId, draft, knowledge: knowledge(clinicId), history })).toEqual({ text: draft, engine: 'local', fallbackReason: 'rate_limited' });
    const before = fake.hits;
    expect(await createAnnaBrain({ ledger: createAiLedger(db), baseURL: fake.baseURL }).phrase({ clinicId, conversationId, draft, knowledge: knowledge(clinicId), history })).toEqual({ text: draft, engine: 'local' });
    expect(fake.hits).toBe(before);
    const recorded = await db.select().from(aiCalls).where(and(eq(aiCalls.clinicId, clinicId), eq(aiCalls.engine, 'local')));
    expect(recorded.map((r) => [r.outcome, r.error === null]).sort()).toEqual([['ok', true], ['rate_limited', false]]);
  });
});
