// What a chat completion costs, in millionths of a US dollar (OpenAI bills in USD per million tokens).

/** USD per 1M tokens (OpenAI's list prices for standard, non-cached input). */
export interface ModelPrice {
  inputPerMillionUsd: number;
  outputPerMillionUsd: number;
}

export const DEFAULT_MODEL = 'gpt-4o-mini';

export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o-mini': { inputPerMillionUsd: 0.15, outputPerMillionUsd: 0.6 },
  'gpt-4o': { inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 },
  'gpt-4.1-mini': { inputPerMillionUsd: 0.4, outputPerMillionUsd: 1.6 },
  'gpt-4.1': { inputPerMillionUsd: 2, outputPerMillionUsd: 8 },
  'gpt-4.1-nano': { inputPerMillionUsd: 0.1, outputPerMillionUsd: 0.4 },
};

/**
 * The price of `model`: an exact entry, else a dated snapshot of a known model
 * ('gpt-4o-mini-2024-07-18' → 'gpt-4o-mini'), else gpt-4o-mini's prices (`known: false`).
 */
export function priceOf(model: string): { price: ModelPrice; known: boolean } {
  const exact = MODEL_PRICES[model];
  if (exact) return { price: exact, known: true };
  const snapshot = /^(.*)-\d{4}-\d{2}-\d{2}$/.exec(model)?.[1];
  if (snapshot && MODEL_PRICES[snapshot]) return { price: MODEL_PRICES[snapshot], known: true };
  return { price: MODEL_PRICES[DEFAULT_MODEL], known: false };
}

/**
 * Cost of one call in micro-USD, rounded up (a call never costs 0 once it used tokens).
 * 1M tokens at $X → X·1e6 micro-USD, so one token costs X micro-USD.
 */
export function costMicroUsd(model: string, promptTokens: number, completionTokens: number): number {
  const { price } = priceOf(model);
  const p = Math.max(0, Math.trunc(promptTokens) || 0);
  const c = Math.max(0, Math.trunc(completionTokens) || 0);
  return Math.max(0, Math.ceil(p * price.inputPerMillionUsd + c * price.outputPerMillionUsd - 1e-9));
}
