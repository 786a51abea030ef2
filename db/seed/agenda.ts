// The agenda: holidays and time blocks, six months of bookings back and three weeks ahead, and how each turned out.
import type * as s from '../schema';
import type { CatalogProcedure, CatalogProfessional, DemoCatalog } from './catalog';
import { CANCEL_REASONS } from './data';
import type { PatientDraft } from './patients';
import { addDays, daysBetween, DAY, HOUR, later, minDate, MINUTE, weekdayOf, type Row, type SeedRun } from './support';

export type TimeBlockRow = Row<typeof s.professionalTimeBlocks> & { id: string; startsAt: Date; endsAt: Date; createdAt: Date };

export interface AppointmentDraft {
  row: Row<typeof s.appointments> & { id: string; startsAt: Date; durationMinutes: number; createdAt: Date };
  day: string;
  startMinute: number;
  endsAt: Date;
  patient: PatientDraft;
  procedure: CatalogProcedure;
  professional: CatalogProfessional;
}

/** Easter Sunday (anonymous Gregorian algorithm), for the movable holidays. */
function easter(year: number): string {
  const a = year % 19, b = Math.floor(year / 100), c = year % 100, d = Math.floor(b / 4), e = b % 4;
  const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31), day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** National holidays plus São Paulo's (city and state) in `year`. */
function holidaysOf(year: number): { day: string; name: string }[] {
  const e = easter(year);
  const fixed: [string, string][] = [
    ['01-01', 'Confraternização Universal'], ['01-25', 'Aniversário de São Paulo'], ['04-21', 'Tiradentes'],
    ['05-01', 'Dia do Trabalho'], ['07-09', 'Revolução Constitucionalista'], ['09-07', 'Independência do Brasil'],
    ['10-12', 'Nossa Senhora Aparecida'], ['11-02', 'Finados'], ['11-15', 'Proclamação da República'],
    ['11-20', 'Dia da Consciência Negra'], ['12-25', 'Natal'],
  ];
  return [
    ...fixed.map(([md, name]) => ({ day: `${year}-${md}`, name })),
    { day: addDays(e, -48), name: 'Carnaval' },
    { day: addDays(e, -47), name: 'Carnaval' },
    { day: addDays(e, -2), name: 'Sexta-feira Santa' },
    { day: addDays(e, 60), name: 'Corpus Christi' },
  ];
}

/** Days nobody works: the professionals' own blocks (holidays, a course, a meeting) and the clinic's holidays. */
export function demoClosures(run: SeedRun, catalog: DemoCatalog) {
  const { newId, clinicId, today, firstDay, lastDay } = run;
  const at = run.calendar.atLocal;
  const [camila, renata, patricia] = catalog.professionals;
  const timeBlocks: TimeBlockRow[] = [
    { id: newId(), clinicId, professionalId: camila.id, startsAt: at(addDays(today, -63), 0), endsAt: at(addDays(today, -56), 0), kind: 'ferias' as const, reason: 'Férias', createdAt: at(addDays(today, -120), 10 * 60) },
    { id: newId(), clinicId, professionalId: patricia.id, startsAt: at(addDays(today, -20), 8 * 60), endsAt: at(addDays(today, -20), 12 * 60), kind: 'pessoal' as const, reason: 'Consulta médica', createdAt: at(addDays(today, -30), 10 * 60) },
    { id: newId(), clinicId, professionalId: renata.id, startsAt: at(addDays(today, 9), 14 * 60), endsAt: at(addDays(today, 9), 19 * 60), kind: 'curso' as const, reason: 'Curso de atualização em bioestimuladores', createdAt: at(addDays(today, -10), 10 * 60) },
    { id: newId(), clinicId, professionalId: camila.id, startsAt: at(addDays(today, 4), 12 * 60), endsAt: at(addDays(today, 4), 14 * 60), kind: 'reuniao' as const, reason: 'Reunião com fornecedor', createdAt: at(addDays(today, -3), 10 * 60) },
  ];
  const years = new Set([Number(firstDay.slice(0, 4)), Number(lastDay.slice(0, 4))]);
  const holidays = [...years].flatMap(holidaysOf).filter((h) => h.day >= addDays(firstDay, -30) && h.day <= addDays(lastDay, 30));
  const holidayRows: Row<typeof s.clinicHolidays>[] = holidays.map((h) => ({ id: newId(), clinicId, day: h.day, name: h.name }));
  return { timeBlocks, holidays: holidayRows, holidayDays: new Set(holidays.map((h) => h.day)) };
}

/** Per professional and working day, a few non-overlapping bookings of patients who were coming then; in start order. */
export function bookAppointments(
  run: SeedRun, catalog: DemoCatalog, closures: { timeBlocks: TimeBlockRow[]; holidayDays: Set<string> }, drafts: PatientDraft[],
): AppointmentDraft[] {
  const { random, newId, clinicId, today, firstDay, lastDay, nowMs, calendar } = run;
  const appointments: AppointmentDraft[] = [];
  const blocksOf = (profId: string) => closures.timeBlocks.filter((b) => b.professionalId === profId);
  for (let day = firstDay; day <= lastDay; day = addDays(day, 1)) {
    if (closures.holidayDays.has(day)) continue;
    const weekday = weekdayOf(day);
    const ahead = daysBetween(today, day);
    for (const prof of catalog.professionals) {
      const intervals = prof.hours[weekday];
      if (!intervals) continue;
      let target =
        ahead < 0
          ? random.weighted([[0, 1], [1, 3], [2, 4], [3, 3], [4, 1]] as const)
          : ahead <= 7
            ? random.weighted([[1, 3], [2, 4], [3, 3], [4, 1]] as const)
            : random.weighted([[0, 3], [1, 4], [2, 2], [3, 1]] as const);
      if (ahead < -120 && target > 0 && random.chance(0.4)) target--; // the clinic has been growing
      const starts = random.shuffle(intervals.flatMap(([a, b]) => Array.from({ length: (b - a) / 15 }, (_, k) => a + 15 * k)));
      const placed: [number, number][] = [];
      const procs = prof.procedures.map((k) => catalog.procByKey.get(k)!);
      for (const start of starts) {
        if (placed.length >= target) break;
        const proc = random.weighted(procs.map((p) => [p, p.weight] as const));
        const end = start + proc.durationMinutes;
        if (!intervals.some(([a, b]) => start >= a && end <= b)) continue;
        if (placed.some(([a, b]) => start < b && end > a)) continue;
        const startsAt = calendar.atLocal(day, start);
        const endsAt = later(startsAt, proc.durationMinutes * MINUTE);
        if (blocksOf(prof.id).some((b) => startsAt < b.endsAt && endsAt > b.startsAt)) continue;
        const eligible = drafts.filter(
          (p) => p.weight > 0 && p.joinDay <= day && (p.leaveDay === null || day <= p.leaveDay) &&
            !p.busy.some(([a, b]) => startsAt.getTime() < b && endsAt.getTime() > a),
        );
        if (eligible.length === 0) continue;
        const patient = random.weighted(eligible.map((p) => [p, p.weight] as const));
        patient.busy.push([startsAt.getTime(), endsAt.getTime()]);
        placed.push([start, end]);
        const leadDays = random.weighted([[0, 1], [1, 3], [2, 3], [4, 3], [7, 3], [14, 2], [21, 1]] as const);
        const createdAt = minDate(new Date(startsAt.getTime() - leadDays * DAY - random.int(1, 8) * HOUR), new Date(nowMs - random.int(1, 48) * HOUR));
        appointments.push({
          day, startMinute: start, endsAt, patient, procedure: proc, professional: prof,
          row: {
            id: newId(), clinicId, patientId: patient.row.id, procedureId: proc.id, professionalId: prof.id, startsAt,
            durationMinutes: proc.durationMinutes, priceCents: catalog.priceOn(proc, calendar.localDay(createdAt)), createdAt,
            source: random.weighted([['painel', 56], ['whatsapp', 26], ['link', 18]] as const),
          },
        });
      }
    }
  }
  return appointments.sort((a, b) => a.row.startsAt.getTime() - b.row.startsAt.getTime());
}

/** The appointment's status; a cancelled one gets its time and reason. */
export function settleStatus(run: SeedRun, a: AppointmentDraft) {
  const { random, nowMs } = run;
  const r = a.row;
  const past = a.endsAt.getTime() <= nowMs;
  const startMs = r.startsAt.getTime();
  const status: s.AppointmentStatus = past
    ? random.weighted([['realizado', 82], ['no_show', 7], ['cancelado', 11]] as const)
    : random.chance(0.05)
      ? 'cancelado'
      : startMs - nowMs < 2 * DAY && random.chance(0.65) ? 'confirmado' : 'agendado';
  r.status = status;
  r.updatedAt = r.createdAt;
  run.event('appointment_booked', r.createdAt, a.patient.row.id, { appointmentId: r.id, procedure: a.procedure.key, source: r.source });
  if (status === 'cancelado') {
    const cancelMs = Math.min(nowMs - MINUTE, Math.max(r.createdAt.getTime() + HOUR, startMs - random.int(2, 72) * HOUR));
    r.cancelledAt = new Date(cancelMs);
    r.cancelReason = random.pick(CANCEL_REASONS);
    r.updatedAt = r.cancelledAt;
    run.event('appointment_cancelled', r.cancelledAt, a.patient.row.id, { appointmentId: r.id, reason: r.cancelReason });
  }
}

/** A visit that took place ends completed; a missed one is marked half an hour after its start. */
export function settleOutcome(run: SeedRun, a: AppointmentDraft) {
  const r = a.row;
  if (r.status === 'realizado') {
    r.completedAt = a.endsAt;
    r.updatedAt = a.endsAt;
    run.event('appointment_completed', a.endsAt, a.patient.row.id, { appointmentId: r.id, procedure: a.procedure.key, priceCents: r.priceCents });
  } else if (r.status === 'no_show') {
    r.updatedAt = later(r.startsAt, 30 * MINUTE);
    run.event('no_show', r.updatedAt, a.patient.row.id, { appointmentId: r.id });
  }
}
