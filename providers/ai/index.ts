// Anna's language-model side: OpenAI with the local engine as the fallback (see brain.ts).
export { createAnnaBrain, DEFAULT_TIMEOUT_MS, type AnnaBrain, type AnnaBrainDeps, type AnalyzeInput, type PhraseInput, type Engine, type FallbackReason } from './brain';
export { checkRewording, MAX_REPLY_CHARS, type GuardrailVerdict, type GuardrailRule } from './guardrails';
export { costMicroUsd, priceOf, MODEL_PRICES, DEFAULT_MODEL } from './pricing';
export { DEFAULT_RATE_PER_MINUTE, DEFAULT_MONTHLY_BUDGET_MICRO_USD, loadAnnaLimits, usageOf, monthStartUtc } from '../../services/ai-ledger';

import type { Env } from '../../config/env';
import type { Logger } from '../../config/logger';
import type { Db } from '../../db/client';
import { createAnnaBrain as create } from './brain';

/** The brain as configured by OPENAI_API_KEY / OPENAI_BASE_URL / OPENAI_MODEL (local engine only without the key). */
export function annaBrainFromEnv(env: Pick<Env, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_MODEL'>, db: Db, log?: Logger) {
  return create({ db, apiKey: env.OPENAI_API_KEY ?? null, baseURL: env.OPENAI_BASE_URL, defaultModel: env.OPENAI_MODEL, log });
}
