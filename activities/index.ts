// Every side effect a workflow needs, built from explicit dependencies so tests pass their own.
import type { Db } from '../db/client';
import { createMetricsActivities } from './metrics';

export interface ActivityDeps {
  db: Db;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createMetricsActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
