// Daily figures over a period: totals (domain/kpis definitions) and the calendar days in a clinic's zone.
import { sumFigures, ZERO_FIGURES, type Figures } from './kpis';
import { addLocalDays } from './timezone';

export type { Figures } from './kpis';
export interface DayFigures extends Figures {
  day: string; // YYYY-MM-DD
}

/** A period's totals: additive figures summed, net revenue and ticket recomputed from the sums (never averaged). */
export const summarize = (days: readonly Figures[]): Figures => sumFigures(days);

/** One entry per day from `from` to `to`, zeros where there is no row. */
export function fillSeries(days: DayFigures[], from: string, to: string): DayFigures[] {
  const byDay = new Map(days.map((d) => [d.day, d]));
  const out: DayFigures[] = [];
  for (let day = from; day <= to; day = addLocalDays(day, 1)) out.push(byDay.get(day) ?? { day, ...ZERO_FIGURES });
  return out;
}
