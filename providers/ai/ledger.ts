// The port through which the brain counts its model calls: the clinic's limits, a reservation before
// each OpenAI call (rate and budget checked atomically), its result after, and the local engine's
// answers. Implemented over ai_calls by services/ai-ledger.ts; the adapter knows no table.
import type { AnnaLimits } from '../../domain/clinic-settings';

export type { AnnaLimits } from '../../domain/clinic-settings';

export type AiPurpose = 'analyze' | 'phrase' | 'sentiment';
export type AiOutcome = 'ok' | 'rate_limited' | 'local_rate_limit' | 'budget_exceeded' | 'timeout' | 'error' | 'malformed' | 'guardrail';

export type Reservation =
  | { ok: true; id: string }
  | { ok: false; outcome: 'local_rate_limit' | 'budget_exceeded'; detail: string };

export interface AiLedger {
  limits(clinicId: string): Promise<AnnaLimits>;
  reserve(input: { clinicId: string; conversationId: string | null; purpose: AiPurpose; model: string; now: Date; limits: AnnaLimits }): Promise<Reservation>;
  finish(id: string, result: { outcome: AiOutcome; model: string; promptTokens: number; completionTokens: number; costMicroUsd: number; latencyMs: number; error: string | null }): Promise<void>;
  recordLocal(input: { clinicId: string; conversationId: string | null; purpose: AiPurpose; outcome: AiOutcome; error: string | null; latencyMs: number; now: Date }): Promise<void>;
}
