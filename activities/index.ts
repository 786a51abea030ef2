// Every side effect a workflow needs, built from explicit dependencies so tests pass their own.
import type { Db } from '../db/client';
import { createMetricsActivities } from './metrics';
import { createCalendarActivities, localCalendarActivityDeps, type CalendarActivityDeps } from './calendar';

export interface ActivityDeps {
  db: Db;
  /** Google Calendar sync; without it the calendar activities work from the database alone. */
  calendar?: CalendarActivityDeps;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createMetricsActivities(deps),
    ...createCalendarActivities(deps.calendar ?? localCalendarActivityDeps(deps.db)),
  };
}

export type Activities = ReturnType<typeof createActivities>;
