// The dashboard's daily rollups up to yesterday, computed from the seeded rows as the nightly job would.
import type * as s from '../schema';
import type { AppointmentDraft } from './agenda';
import type { PatientDraft } from './patients';
import { addDays, MINUTE, type Row, type SeedRun } from './support';

interface DayTotals { revenue: number; appointments: number; noShows: number; conversions: number; newPatients: number; completed: number }
const empty = (): DayTotals => ({ revenue: 0, appointments: 0, noShows: 0, conversions: 0, newPatients: 0, completed: 0 });

export function dailyRollups(
  run: SeedRun,
  rows: { payments: Row<typeof s.payments>[]; appointments: AppointmentDraft[]; conversations: Row<typeof s.conversations>[]; patients: PatientDraft[] },
): Row<typeof s.dailyMetrics>[] {
  const { newId, clinicId, firstDay, today, nowMs } = run;
  const metrics = new Map<string, DayTotals>();
  const bucket = (at: Date) => {
    const day = run.calendar.localDay(at);
    let m = metrics.get(day);
    if (!m) metrics.set(day, (m = empty()));
    return m;
  };
  for (const p of rows.payments) if (p.status === 'aprovado' && p.processedAt) bucket(p.processedAt).revenue += p.amountCents;
  for (const a of rows.appointments) {
    const m = bucket(a.row.startsAt);
    if (a.row.status !== 'cancelado') m.appointments++;
    if (a.row.status === 'no_show') m.noShows++;
    if (a.row.status === 'realizado') m.completed++;
  }
  for (const c of rows.conversations) if (c.status === 'convertida' && c.closedAt) bucket(c.closedAt).conversions++;
  for (const d of rows.patients) bucket(d.row.createdAt as Date).newPatients++;
  const dailyMetrics: Row<typeof s.dailyMetrics>[] = [];
  const computedAt = new Date(nowMs - 30 * MINUTE);
  for (let day = firstDay; day < today; day = addDays(day, 1)) {
    const m = metrics.get(day) ?? empty();
    dailyMetrics.push({
      id: newId(), clinicId, day, revenueCents: m.revenue, appointments: m.appointments, noShows: m.noShows, conversions: m.conversions,
      newPatients: m.newPatients, completed: m.completed, averageTicketCents: m.completed ? Math.round(m.revenue / m.completed) : 0, computedAt,
    });
  }
  return dailyMetrics;
}
