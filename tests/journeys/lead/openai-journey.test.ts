// The lead journey with the OpenAI adapter (the real `openai` client against a local fake server):
// the model's structured answer drives the journey; a 429 and a malformed reply fall back to the local
// engine without stalling; a rewording that invents a price is refused by the guardrails and the
// local draft goes out instead. Every call is in ai_calls with its tokens and cost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { aiCalls } from '../../../db/schema';
import { createAnnaBrain } from '../../../providers/ai';
import { createAiLedger } from '../../../services/ai-ledger';
import { ok, rateLimited, startFakeOpenAI, type FakeOpenAI } from '../../ai/fake-openai';
import { startLeadHarness, type LeadHarness } from './harness';

let h: LeadHarness;
let fake: FakeOpenAI;

const answer = (extracted: Record<string, unknown>, over: Record<string, unknown> = {}) => ({
  extracted: {
    procedure: null, interest: null, interestWhen: null, preferredDate: null, preferredPeriod: null, preferredTime: null,
    phoneConfirmed: null, otherPhone: null, name: null, ...extracted,
  },
  intent: 'answer', slotChoice: null, questions: [], sentiment: 0.4, empty: false, ...over,
});

beforeAll(async () => {
  fake = await startFakeOpenAI();
  h = await startLeadHarness({
    name: 'Clínica IA',
    phraseReplies: true,
    brain: (db) => createAnnaBrain({ ledger: createAiLedger(db), apiKey: 'sk-test', baseURL: fake.baseURL, timeoutMs: 2000 }),
  });
}, 120_000);
afterAll(async () => { await h?.close(); await fake?.close(); });

describe('lead journey with OpenAI', () => {
  it('uses the model\'s extraction, and falls back to the local engine on 429 and on a malformed reply', async () => {
    const phone = h.newPhone();
    // 1) the model reads a message the local engine would not ("aquela aplicação pra rugas da testa")
    fake.setDefault((req) => (req.body.response_format ? ok(answer({})) : ok('Oi! Tudo bem? 😊')));
    fake.reply(ok(answer({ procedure: { id: h.clinic.botox.id, name: 'Toxina botulínica' }, interest: 'sim', interestWhen: 'semana que vem', preferredPeriod: 'manha' })));
    let s = await h.say(phone, 'oi, queria aquela aplicação pra rugas da testa, semana que vem de manhã');
    expect(s?.qualification.procedure?.id).toBe(h.clinic.botox.id);
    expect(s?.lastEngine).toEqual({ engine: 'openai' });
    // 2) 429 on the analysis: the local engine reads "sim" as the phone confirmation, the journey goes on
    fake.reply(rateLimited());
    s = await h.say(phone, 'sim');
    expect(s?.lastEngine).toEqual({ engine: 'local', fallbackReason: 'rate_limited' });
    expect(s?.qualification.phoneConfirmed).toBe(true);
    expect(s?.stage).toBe('choosing_slot');
    // 3) malformed JSON: local engine again; "1" picks the first slot
    fake.reply({ status: 200, json: { id: 'x', object: 'chat.completion', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: '{"extracted": ', refusal: null }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } } });
    s = await h.say(phone, '1');
    expect(s?.lastEngine).toEqual({ engine: 'local', fallbackReason: 'malformed' });
    expect(s?.stage).toBe('confirming_slot');
    const conv = await h.conversation(phone);
    const calls = await h.tdb.db.select().from(aiCalls).where(and(eq(aiCalls.conversationId, conv!.id), eq(aiCalls.purpose, 'analyze')));
    expect(calls.filter((c) => c.engine === 'openai').map((c) => c.outcome)).toEqual(expect.arrayContaining(['ok', 'rate_limited', 'malformed']));
    expect(calls.find((c) => c.engine === 'openai' && c.outcome === 'ok')!.costMicroUsd).toBeGreaterThan(0);
  }, 60_000);

  it('sends the local draft when the model\'s wording invents a price', async () => {
    const phone = h.newPhone();
    fake.setDefault((req) => (req.body.response_format
      ? ok(answer({ procedure: { id: h.clinic.limpeza.id, name: 'Limpeza de pele' } }, { intent: 'question', questions: [{ topic: 'price', procedureId: h.clinic.limpeza.id }] }))
      : ok('Olá! A limpeza de pele sai por apenas R$ 99,00 hoje, resultado garantido!')));
    await h.say(phone, 'quanto custa a limpeza?');
    const sent = await h.annaMessages(phone);
    expect(sent.at(-1)!.body).toContain('R$ 250,00');
    expect(sent.map((m) => m.body).join('\n')).not.toMatch(/R\$ 99|garantido/);
    const conv = await h.conversation(phone);
    const phrased = await h.tdb.db.select().from(aiCalls).where(and(eq(aiCalls.conversationId, conv!.id), eq(aiCalls.purpose, 'phrase'), eq(aiCalls.engine, 'openai')));
    expect(phrased.some((c) => c.outcome === 'guardrail')).toBe(true);
  }, 60_000);
});
