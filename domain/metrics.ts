// Pure arithmetic over daily figures: totals, average ticket, calendar days in a clinic's zone.
import { addLocalDays } from './timezone';

export interface Figures {
  revenueCents: number;
  appointments: number;
  noShows: number;
  conversions: number;
  newPatients: number;
  completed: number;
  averageTicketCents: number;
}
export interface DayFigures extends Figures {
  day: string; // YYYY-MM-DD
}

const ZERO: Figures = { revenueCents: 0, appointments: 0, noShows: 0, conversions: 0, newPatients: 0, completed: 0, averageTicketCents: 0 };

/** Average ticket = revenue per completed appointment, in whole centavos (half up). */
export function averageTicket(revenueCents: number, completed: number): number {
  return completed > 0 ? Math.round(revenueCents / completed) : 0;
}

export function summarize(days: Figures[]): Figures {
  const t = days.reduce(
    (acc, d) => ({
      ...acc,
      revenueCents: acc.revenueCents + d.revenueCents,
      appointments: acc.appointments + d.appointments,
      noShows: acc.noShows + d.noShows,
      conversions: acc.conversions + d.conversions,
      newPatients: acc.newPatients + d.newPatients,
      completed: acc.completed + d.completed,
    }),
    { ...ZERO },
  );
  return { ...t, averageTicketCents: averageTicket(t.revenueCents, t.completed) };
}


/** One entry per day from `from` to `to`, zeros where the rollup has no row. */
export function fillSeries(days: DayFigures[], from: string, to: string): DayFigures[] {
  const byDay = new Map(days.map((d) => [d.day, d]));
  const out: DayFigures[] = [];
  for (let day = from; day <= to; day = addLocalDays(day, 1)) out.push(byDay.get(day) ?? { day, ...ZERO });
  return out;
}
