// Shared pieces of the catalog/staff/clinic routes: strict day and interval schemas, pt-BR formatting, PostgreSQL error codes.
import { z } from '@hono/zod-openapi';
import { pgError } from '../../db/errors';
import { formatBrl } from '../../domain/money';
import type { ApiError } from '../../services/errors';

/** A calendar day YYYY-MM-DD that really exists (2026-02-30 is refused). */
export function isRealDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const IsoDay = z
  .string({ message: 'Informe uma data no formato AAAA-MM-DD.' })
  .refine(isRealDay, 'Data inválida: use o formato AAAA-MM-DD.')
  .openapi({ example: '2026-03-15' });

/** An instant with its offset (ISO 8601), e.g. 2026-03-15T12:00:00-03:00. */
export const IsoInstant = z
  .string({ message: 'Informe data e hora ISO 8601, ex. 2026-03-15T12:00:00-03:00.' })
  .pipe(z.iso.datetime({ offset: true, message: 'Data e hora inválidas: use ISO 8601 com fuso, ex. 2026-03-15T12:00:00-03:00.' }))
  .openapi({ example: '2026-03-15T12:00:00-03:00' });

export const IdParam = z.object({ id: z.uuid({ message: 'Identificador inválido.' }) });

export const Interval = z
  .strictObject({
    startMinute: z.number({ message: 'Informe o início em minutos desde a meia-noite.' }).int('Use minutos inteiros.').min(0, 'O início deve ser entre 0 e 1440.').max(1440, 'O início deve ser entre 0 e 1440.'),
    endMinute: z.number({ message: 'Informe o fim em minutos desde a meia-noite.' }).int('Use minutos inteiros.').min(0, 'O fim deve ser entre 0 e 1440.').max(1440, 'O fim deve ser entre 0 e 1440.'),
  })
  .refine((i) => i.startMinute < i.endMinute, { message: 'O fim deve ser depois do início.', path: ['endMinute'] })
  .openapi('Interval', { example: { startMinute: 480, endMinute: 720 } });

export const WEEKDAY_NAMES = ['domingo', 'segunda-feira', 'terça-feira', 'quarta-feira', 'quinta-feira', 'sexta-feira', 'sábado'] as const;

/** 570 → "09:30". */
export function formatMinute(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** 2026-03-15 → "15/03/2026". */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

/**
 * The first pair of overlapping intervals (touching ends are fine: 08:00–12:00 and 12:00–18:00),
 * as indexes into `intervals`, or null.
 */
export function firstOverlap(intervals: ReadonlyArray<{ startMinute: number; endMinute: number }>): [number, number] | null {
  const order = intervals.map((_, i) => i).sort((a, b) => intervals[a].startMinute - intervals[b].startMinute || a - b);
  for (let k = 1; k < order.length; k++) {
    const prev = intervals[order[k - 1]];
    const cur = intervals[order[k]];
    if (cur.startMinute < prev.endMinute) return [order[k - 1], order[k]];
  }
  return null;
}


/** Runs `work`; a PostgreSQL constraint violation named in `byConstraint` becomes that (pt-BR) ApiError. */
export async function translateConstraints<T>(work: Promise<T>, byConstraint: Record<string, () => ApiError>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    const { constraint } = pgError(err);
    const make = constraint ? byConstraint[constraint] : undefined;
    throw make ? make() : err;
  }
}

/** 123450 → "R$ 1.234,50". */
export const formatCents = formatBrl;
