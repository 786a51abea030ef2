// Daily metrics rollup, run by a Temporal Schedule (hourly, recomputing yesterday and today) and for backfills.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { rollupDailyMetrics } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5 },
});

export interface DailyMetricsInput {
  from?: string;
  to?: string;
  clinicId?: string;
}

export async function dailyMetricsRollup(input: DailyMetricsInput = {}): Promise<{ rows: number; asOf: string }> {
  // The run's start time is deterministic on replay, unlike a clock read in an activity argument.
  const asOf = workflowInfo().runStartTime.toISOString();
  const { rows } = await rollupDailyMetrics({ ...input, asOf });
  return { rows, asOf };
}
