// Survey comments' sentiment through the real `openai` client against the local fake server: the
// model's score and the drivers it copied from the comment (invented ones dropped), under the clinic's
// ai_calls ledger; a malformed answer, an out-of-range score, a 429 or no key answer null, so the NPS
// activity keeps the local lexicon (activities/nps.ts sentimentOf).
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client';
import { aiCalls, clinics } from '../../db/schema';
import { createAnnaBrain } from '../../providers/ai';
import { createAiLedger } from '../../services/ai-ledger';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { ok, rateLimited, startFakeOpenAI, type FakeOpenAI } from './fake-openai';

let tdb: TestDatabase;
let db: Db;
let fake: FakeOpenAI;
let clinicId: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
  fake = await startFakeOpenAI();
  [{ id: clinicId }] = await db.insert(clinics).values({ name: 'Clínica Sentimento' }).returning({ id: clinics.id });
});
afterAll(async () => { await fake?.close(); await tdb?.drop(); });

const brain = (apiKey: string | null = 'sk-test') => createAnnaBrain({ ledger: createAiLedger(db), apiKey, baseURL: fake.baseURL, timeoutMs: 2000 });
const rows = () => db.select().from(aiCalls).where(and(eq(aiCalls.clinicId, clinicId), eq(aiCalls.purpose, 'sentiment')));

describe('sentiment by the model', () => {
  it('returns the score, its label and only the drivers found in the comment, with an ai_calls row', async () => {
    fake.reply(ok({ score: -0.8, drivers: ['atrasou uma hora', 'péssimo atendimento', 'palavra inventada'] }));
    const r = await brain().sentiment({ clinicId, text: 'A doutora atrasou uma hora e foi um péssimo atendimento na recepção.' });
    expect(r).toEqual({ score: -0.8, label: 'negativo', drivers: ['atrasou uma hora', 'péssimo atendimento'] });
    const req = fake.requests.at(-1)!.body as { response_format: { json_schema: { name: string } }; messages: { role: string; content: string }[] };
    expect(req.response_format.json_schema.name).toBe('comment_sentiment');
    expect(req.messages.at(-1)!.content).toContain('péssimo atendimento');
    expect((await rows()).map((x) => x.outcome)).toEqual(['ok']);
  });

  it('answers null (the lexicon is used) on a malformed answer, a score out of range, a 429, and without a key', async () => {
    const before = fake.hits;
    fake.reply({ status: 200, json: { choices: [] } });
    expect(await brain().sentiment({ clinicId, text: 'Gostei muito' })).toBeNull();
    fake.reply(ok({ score: 3, drivers: [] }));
    expect(await brain().sentiment({ clinicId, text: 'Gostei muito' })).toBeNull();
    fake.reply(rateLimited());
    expect(await brain().sentiment({ clinicId, text: 'Gostei muito' })).toBeNull();
    expect(await brain(null).sentiment({ clinicId, text: 'Gostei muito' })).toBeNull();
    expect(await brain().sentiment({ clinicId, text: '   ' })).toBeNull();
    expect(fake.hits - before).toBe(3);
    expect((await rows()).map((x) => x.outcome).sort()).toEqual(['malformed', 'malformed', 'ok', 'rate_limited']);
  });
});
