// Per-clinic limits on model calls, kept in ai_calls so they hold across API and worker processes:
// at most `ratePerMinute` OpenAI calls in any 60 s (sliding window) and `monthlyBudgetMicroUsd` spent
// since the 1st of the month (UTC). A call is reserved (its row inserted) before it is made, under a
// per-clinic advisory lock, so concurrent callers see each other's in-flight calls.
import { and, eq, sql } from 'drizzle-orm';
import type { Env } from '../config/env';
import type { Logger } from '../config/logger';
import type { Db } from '../db/client';
import { aiCalls, clinics } from '../db/schema';
import { annaLimitsOf, type AnnaLimits } from '../domain/clinic-settings';
import { createAnnaBrain } from '../providers/ai/brain';
import type { AiLedger, AiOutcome, AiPurpose, Reservation } from '../providers/ai/ledger';

export const WINDOW_MS = 60_000;

/** The ledger the brain counts its calls in (providers/ai/ledger.ts), over ai_calls. */
export function createAiLedger(db: Db): AiLedger {
  return {
    limits: (clinicId) => loadAnnaLimits(db, clinicId),
    reserve: (input) => reserveCall(db, input),
    finish: (id, result) => finishCall(db, id, result),
    recordLocal: (input) => recordLocal(db, input),
  };
}

/** The clinic's Anna model and limits (ClinicSettings.anna), defaults for what is unset or invalid. */
export async function loadAnnaLimits(db: Db, clinicId: string): Promise<AnnaLimits> {
  const [row] = await db.select({ settings: clinics.settings }).from(clinics).where(eq(clinics.id, clinicId)).limit(1);
  return annaLimitsOf(row?.settings);
}

/** 00:00 UTC of the 1st of `now`'s month (UTC): where the monthly budget restarts. */
export function monthStartUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export interface Usage {
  /** OpenAI calls (any outcome, in flight included) in (now − 60 s, now]. */
  callsLastMinute: number;
  /** Cost of every call since monthStartUtc(now). */
  spentThisMonthMicroUsd: number;
}

export async function usageOf(db: Pick<Db, 'select'>, clinicId: string, now: Date): Promise<Usage> {
  const windowStart = new Date(now.getTime() - WINDOW_MS).toISOString();
  const monthStart = monthStartUtc(now).toISOString();
  const [row] = await db
    .select({
      recent: sql<number>`(count(*) filter (where ${aiCalls.engine} = 'openai' and ${aiCalls.createdAt} > ${windowStart}::timestamptz))::int`,
      spent: sql<number>`(coalesce(sum(${aiCalls.costMicroUsd}) filter (where ${aiCalls.createdAt} >= ${monthStart}::timestamptz), 0))::float8`,
    })
    .from(aiCalls)
    .where(and(eq(aiCalls.clinicId, clinicId), sql`${aiCalls.createdAt} >= least(${windowStart}::timestamptz, ${monthStart}::timestamptz)`));
  return { callsLastMinute: Number(row?.recent ?? 0), spentThisMonthMicroUsd: Number(row?.spent ?? 0) };
}

/** Marks a reserved call whose process died before it finished. */
export const IN_FLIGHT = 'em andamento (processo interrompido antes da resposta)';

/**
 * Checks the budget and the rate and, when both allow, inserts the call's row (engine 'openai',
 * outcome 'error' with IN_FLIGHT until `finishCall` sets the real one), all under one per-clinic
 * transaction-scoped advisory lock.
 */
export async function reserveCall(
  db: Db,
  input: { clinicId: string; conversationId: string | null; purpose: AiPurpose; model: string; now: Date; limits: AnnaLimits },
): Promise<Reservation> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`anna-ai:${input.clinicId}`}, 0))`);
    const usage = await usageOf(tx, input.clinicId, input.now);
    if (usage.spentThisMonthMicroUsd >= input.limits.monthlyBudgetMicroUsd) {
      return { ok: false, outcome: 'budget_exceeded', detail: `orçamento mensal atingido: ${usage.spentThisMonthMicroUsd} de ${input.limits.monthlyBudgetMicroUsd} micro-USD` } as const;
    }
    if (usage.callsLastMinute >= input.limits.ratePerMinute) {
      return { ok: false, outcome: 'local_rate_limit', detail: `${usage.callsLastMinute} chamadas no último minuto (limite ${input.limits.ratePerMinute})` } as const;
    }
    const [row] = await tx
      .insert(aiCalls)
      .values({
        clinicId: input.clinicId, conversationId: input.conversationId, engine: 'openai', model: input.model, purpose: input.purpose,
        outcome: 'error', error: IN_FLIGHT, createdAt: input.now,
      })
      .returning({ id: aiCalls.id });
    return { ok: true, id: row.id } as const;
  });
}

export async function finishCall(
  db: Db,
  id: string,
  result: { outcome: AiOutcome; model: string; promptTokens: number; completionTokens: number; costMicroUsd: number; latencyMs: number; error: string | null },
): Promise<void> {
  await db.update(aiCalls).set({ ...result, error: result.error?.slice(0, 1000) ?? null }).where(eq(aiCalls.id, id));
}

/** The row of an answer the local engine gave: `outcome` says why (ok = OpenAI is not configured). */
export async function recordLocal(
  db: Db,
  input: { clinicId: string; conversationId: string | null; purpose: AiPurpose; outcome: AiOutcome; error: string | null; latencyMs: number; now: Date },
): Promise<void> {
  await db.insert(aiCalls).values({
    clinicId: input.clinicId, conversationId: input.conversationId, engine: 'local', model: null, purpose: input.purpose,
    outcome: input.outcome, error: input.error?.slice(0, 1000) ?? null, latencyMs: input.latencyMs, createdAt: input.now,
  });
}

/** The brain as configured by OPENAI_API_KEY / OPENAI_BASE_URL / OPENAI_MODEL (local engine only without the key). */
export function annaBrainFromEnv(env: Pick<Env, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_MODEL'>, db: Db, log?: Logger) {
  return createAnnaBrain({ ledger: createAiLedger(db), apiKey: env.OPENAI_API_KEY ?? null, baseURL: env.OPENAI_BASE_URL, defaultModel: env.OPENAI_MODEL, log });
}
