// Daily metrics rollup: one idempotent upsert per clinic and local day into daily_metrics.
import type { Db } from '../db/client';
import { rollupFigures } from '../db/daily-figures';

export interface RollupInput {
  /** Local calendar days (clinic time zone), inclusive, YYYY-MM-DD. When absent: yesterday and today around `asOf`. */
  from?: string;
  to?: string;
  /** Instant that defines "today" in each clinic's zone (ISO). */
  asOf: string;
  clinicId?: string;
}

export interface RollupResult {
  rows: number;
}

/**
 * The figures are defined in domain/kpis.ts and computed by db/daily-figures.ts, the same query the
 * dashboard runs for a day not rolled up yet. Without from/to: yesterday and today, plus the recent days
 * whose leads converted or whose appointments changed since yesterday (their cohorts moved).
 */
export function createMetricsActivities(deps: { db: Db; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return {
    async rollupDailyMetrics(input: RollupInput): Promise<RollupResult> {
      const sel = input.from || input.to
        ? { range: true as const, from: input.from, to: input.to, asOf: input.asOf, clinicId: input.clinicId }
        : { asOf: input.asOf, clinicId: input.clinicId };
      return { rows: await rollupFigures(deps.db, sel, now()) };
    },
  };
}
