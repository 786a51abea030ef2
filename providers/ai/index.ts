// Anna's language-model side: OpenAI with the local engine as the fallback (see brain.ts), counting
// its calls through the AiLedger port (ledger.ts).
export { createAnnaBrain, DEFAULT_TIMEOUT_MS, type AnnaBrain, type AnnaBrainDeps, type AnalyzeInput, type PhraseInput, type Engine, type FallbackReason } from './brain';
export { checkRewording, MAX_REPLY_CHARS, type GuardrailVerdict, type GuardrailRule } from './guardrails';
export { costMicroUsd, priceOf, MODEL_PRICES, DEFAULT_MODEL } from './pricing';
export type { AiLedger, AiOutcome, AiPurpose, Reservation } from './ledger';
