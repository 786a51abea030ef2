// A report's period as the dashboard asks for it: local days (the clinic's time zone) from and to,
// inclusive, defaulting to the last N days up to today; at most two years; the start before the end.
// One place for every report (feedback, loyalty, reports), so "período" means the same everywhere.
import type { Tx } from '../../db/client';
import { addLocalDays, localDate, localDayBounds } from '../../domain/timezone';
import { ApiError } from '../errors';
import { clinicScheduling } from './settings';

export interface ResolvedPeriod {
  /** Start of the first day and end of the last day, as instants. */
  from: Date;
  to: Date;
  fromDay: string;
  toDay: string;
  timeZone: string;
}

export const MAX_PERIOD_DAYS = 731;

export async function resolvePeriod(tx: Tx, clinicId: string, q: { from?: string; to?: string }, now: Date, defaultDays = 90): Promise<ResolvedPeriod> {
  const timeZone = (await clinicScheduling(tx, clinicId))?.timezone ?? 'America/Sao_Paulo';
  const toDay = q.to ?? localDate(now, timeZone);
  const fromDay = q.from ?? addLocalDays(toDay, -(defaultDays - 1));
  if (fromDay > toDay) throw new ApiError(400, 'validation_failed', 'A data inicial deve ser anterior à final.', { from: ['A data inicial deve ser anterior à final.'] });
  if (Date.parse(toDay) - Date.parse(fromDay) > MAX_PERIOD_DAYS * 86_400_000) {
    throw new ApiError(400, 'validation_failed', 'O período pode ter no máximo 2 anos.', { from: ['O período pode ter no máximo 2 anos.'] });
  }
  return { from: localDayBounds(fromDay, timeZone).start, to: localDayBounds(toDay, timeZone).end, fromDay, toDay, timeZone };
}
