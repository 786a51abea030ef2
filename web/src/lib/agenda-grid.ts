// Turns the agenda's data (appointments, working hours, blocks, holidays) into columns of a time grid:
// one column per day (week view) or per professional (day view), positions in minutes of the day.
import type { Appointment, DateOverride, Holiday, Professional, TimeBlock } from '$lib/api-types';
import { BLOCK_KINDS, layoutLanes, type AppointmentStatus, type BlockKind } from '$lib/agenda';
import { formatTime, minuteToTime, weekdayOf, zonedParts } from '$lib/time';

export interface GridItem {
  id: string;
  start: number;
  end: number;
  lane: number;
  lanes: number;
  color: string;
  time: string;
  patient: string;
  detail: string;
  status: AppointmentStatus;
}

export interface GridBand {
  start: number;
  end: number;
  label: string;
  kind: 'block' | 'off';
}

export interface GridColumn {
  key: string;
  title: string;
  subtitle: string;
  /** Where the column header leads (a day opens its day view). */
  href: string | null;
  today: boolean;
  /** Holiday name: the column is greyed and says why. */
  holiday: string | null;
  items: GridItem[];
  bands: GridBand[];
}

export interface GridRange {
  start: number;
  end: number;
}

/** The part of [startIso, endIso) that falls on `day`, in minutes of that day; null when none does. */
export function spanOnDay(startIso: string, endIso: string, day: string, timeZone: string): { start: number; end: number } | null {
  const s = zonedParts(startIso, timeZone);
  const e = zonedParts(endIso, timeZone);
  if (e.day < day || (e.day === day && e.minute === 0 && s.day < day) || s.day > day) return null;
  const start = s.day < day ? 0 : s.minute;
  const end = e.day > day ? 1440 : e.minute;
  return end > start ? { start, end } : null;
}

export function appointmentItems(appointments: Appointment[], day: string, timeZone: string, showProfessional: boolean): GridItem[] {
  const spans = appointments.flatMap((a) => {
    const span = spanOnDay(a.startsAt, a.endsAt, day, timeZone);
    return span ? [{ ...span, a }] : [];
  });
  return layoutLanes(spans).map(({ item, lane, lanes }) => ({
    id: item.a.id,
    start: item.start,
    end: item.end,
    lane,
    lanes,
    color: item.a.professional.color,
    time: `${formatTime(item.a.startsAt, timeZone)}–${formatTime(item.a.endsAt, timeZone)}`,
    patient: item.a.patient.name,
    detail: showProfessional ? `${item.a.procedure.name} · ${item.a.professional.name}` : item.a.procedure.name,
    status: item.a.status as AppointmentStatus,
  }));
}

/** Blocks of the day as grey bands, with their kind and reason. */
export function blockBands(blocks: TimeBlock[], day: string, timeZone: string, prefix = ''): GridBand[] {
  return blocks.flatMap((b) => {
    const span = spanOnDay(b.startsAt, b.endsAt, day, timeZone);
    if (!span) return [];
    const kind = BLOCK_KINDS[b.kind as BlockKind] ?? 'Bloqueio';
    return [{ ...span, kind: 'block' as const, label: `${prefix}${kind}${b.reason ? `: ${b.reason}` : ''}` }];
  });
}

/** The date exception that applies to a professional on a day: their own, else the clinic's. */
export function overrideFor(overrides: DateOverride[], professionalId: string | null, day: string): DateOverride | null {
  return (
    overrides.find((o) => o.day === day && professionalId && o.professionalId === professionalId) ??
    overrides.find((o) => o.day === day && o.professionalId === null) ??
    null
  );
}

/**
 * The hours a professional does not work that day, as light bands: outside the weekly intervals, or
 * outside the special hours of a date exception (a closed exception greys the whole day).
 */
export function offHours(professional: Professional, day: string, override: DateOverride | null = null): GridBand[] {
  if (override?.closed) return [{ start: 0, end: 1440, kind: 'off', label: `Fechado${override.reason ? `: ${override.reason}` : ''}` }];
  const weekday = weekdayOf(day);
  const intervals = (override ? override.intervals : professional.hours.filter((h) => h.weekday === weekday)).slice().sort((a, b) => a.startMinute - b.startMinute);
  if (!intervals.length) return [{ start: 0, end: 1440, kind: 'off', label: 'Não atende neste dia' }];
  const bands: GridBand[] = [];
  let cursor = 0;
  for (const i of intervals) {
    if (i.startMinute > cursor) bands.push({ start: cursor, end: i.startMinute, kind: 'off', label: 'Fora do expediente' });
    cursor = Math.max(cursor, i.endMinute);
  }
  if (cursor < 1440) bands.push({ start: cursor, end: 1440, kind: 'off', label: 'Fora do expediente' });
  return bands;
}

/** The hours shown: the professionals' working hours and every appointment, in whole hours (at least 08–18). */
export function visibleRange(professionals: Professional[], columns: GridColumn[]): GridRange {
  let start = 8 * 60;
  let end = 18 * 60;
  for (const p of professionals) {
    for (const h of p.hours) {
      start = Math.min(start, h.startMinute);
      end = Math.max(end, h.endMinute);
    }
  }
  for (const c of columns) {
    for (const i of c.items) {
      start = Math.min(start, i.start);
      end = Math.max(end, i.end);
    }
  }
  return { start: Math.floor(start / 60) * 60, end: Math.min(1440, Math.ceil(end / 60) * 60) };
}

export function hourLabels(range: GridRange): string[] {
  const out: string[] = [];
  for (let m = range.start; m < range.end; m += 60) out.push(minuteToTime(m));
  return out;
}

/** What greys a whole day for the clinic: a holiday, or a clinic-wide closed exception. */
export function holidayOn(holidays: Holiday[], day: string, overrides: DateOverride[] = []): string | null {
  const holiday = holidays.find((h) => h.day === day)?.name;
  if (holiday) return holiday;
  const closed = overrides.find((o) => o.day === day && o.professionalId === null && o.closed);
  return closed ? `Fechado${closed.reason ? `: ${closed.reason}` : ''}` : null;
}
