// What every part of the demo seed shares: the clinic's calendar, the seeded streams, row types, small formats.
import { formatBrl } from '../../domain/money';
import { foldAccents } from '../../domain/text';
import type { InferInsertModel } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Random } from '../../domain/random';
import { addLocalDays, createZone, naiveDayMs, weekdayOf } from '../../domain/timezone';
import type { Tx } from '../client';

export const TZ = 'America/Sao_Paulo';
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Serialises concurrent seeders (two processes starting on the same empty database); the showcase takes the next key. */
export const LOCK_KEY = 7_246_552_020;

export type Row<T extends PgTable> = InferInsertModel<T>;

/** Calendar days and wall-clock minutes in the clinic's zone (domain/timezone.ts), for one seed run. */
export interface ClinicCalendar {
  /** YYYY-MM-DD of an instant in the clinic's zone. */
  localDay(instant: Date): string;
  /** Minutes since local midnight of an instant. */
  minuteOfDay(instant: Date): number;
  /** The instant at `minutes` past local midnight of `day`. */
  atLocal(day: string, minutes: number): Date;
}

export function clinicCalendar(): ClinicCalendar {
  // One zone per run: it memoises offsets by instant.
  const zone = createZone(TZ);
  return {
    localDay: (instant) => zone.localDate(instant.getTime()),
    minuteOfDay: (instant) => zone.localParts(instant.getTime()).minute,
    atLocal: (day, minutes) => new Date(zone.toUtc(day, minutes)),
  };
}

export { addLocalDays as addDays, weekdayOf };
/** Whole calendar days from `from` to `to` (both YYYY-MM-DD). */
export const daysBetween = (from: string, to: string) => Math.round((naiveDayMs(to) - naiveDayMs(from)) / DAY);

export const WEEKDAYS = ['domingo', 'segunda', 'terça', 'quarta', 'quinta', 'sexta', 'sábado'];
export const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
export const ddmm = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}`;
export const brl = formatBrl;
export const later = (a: Date, ms: number) => new Date(a.getTime() + ms);
export const minDate = (a: Date, b: Date) => (a < b ? a : b);
export const maxDate = (a: Date, b: Date) => (a > b ? a : b);
export const ascii = foldAccents;

/** Version-4-shaped UUIDs from the seeded generator, so rows can reference each other before insert. */
export function uuidMaker(random: Random) {
  return () => {
    const b: number[] = [];
    for (let i = 0; i < 16; i++) b.push(random.int(0, 255));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const hex = b.map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}

export const hexId = (random: Random, length: number) => {
  let out = '';
  for (let i = 0; i < length; i++) out += random.int(0, 15).toString(16);
  return out;
};

/**
 * One run of the main demo: its two seeded streams (values and ids: the parts draw from them in the
 * order buildDemo calls them, so reordering the calls changes the demo for the same `now`), the
 * clinic's dates, and where every part records its analytics events.
 */
export interface SeedRun {
  random: Random;
  newId: () => string;
  calendar: ClinicCalendar;
  clinicId: string;
  clinicCreated: Date;
  now: Date;
  nowMs: number;
  today: string;
  /** First and last day with appointments. */
  firstDay: string;
  lastDay: string;
  /** 08:00 of the first day: where stand-alone leads and sales begin. */
  windowStart: number;
  event(kind: string, occurredAt: Date, patientId: string | null, data: Record<string, unknown>, description?: string): void;
  twilioSid(): string;
}

export async function insertMany<T extends PgTable>(tx: Tx, table: T, rows: Row<T>[], batch = 1000) {
  for (let i = 0; i < rows.length; i += batch) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await tx.insert(table).values(rows.slice(i, i + batch) as any);
  }
}
