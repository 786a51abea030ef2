// Procedure queries: the catalogue with today's price, price history, and the price valid on a given day.
import { and, asc, desc, eq, gte, inArray, isNull, lte, or, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { clinics, procedurePrices, procedures } from '../../db/schema';
import { localDate } from '../../domain/timezone';

export type ProcedureCategory = (typeof procedures.$inferSelect)['category'];

export interface ProcedureView {
  id: string;
  name: string;
  description: string | null;
  durationMinutes: number;
  defaultPriceCents: number;
  costCents: number | null;
  category: ProcedureCategory;
  active: boolean;
  imageUrl: string | null;
  /** The price on the day asked for (today in the clinic's zone): a dated price, else the default. */
  currentPriceCents: number;
  createdAt: string;
  updatedAt: string;
}

export interface PriceView {
  id: string;
  priceCents: number;
  validFrom: string;
  validTo: string | null;
  createdAt: string;
}

export interface PriceQuote {
  procedureId: string;
  day: string;
  priceCents: number;
  /** 'dated': a procedure_prices row covers the day; 'default': the procedure's default price. */
  source: 'dated' | 'default';
  priceId: string | null;
  validFrom: string | null;
  validTo: string | null;
}

/** Join condition: the dated price of the procedure that covers `day` (at most one: exclusion constraint). */
const coveringPrice = (day: string): SQL =>
  and(
    eq(procedurePrices.procedureId, procedures.id),
    eq(procedurePrices.clinicId, procedures.clinicId),
    lte(procedurePrices.validFrom, day),
    or(isNull(procedurePrices.validTo), gte(procedurePrices.validTo, day)),
  )!;

/**
 * The price of a procedure on a local calendar day (YYYY-MM-DD, the clinic's zone): the dated price
 * whose [validFrom, validTo] contains the day wins, else the procedure's default price.
 * null when the procedure does not exist (or belongs to another clinic under withClinic).
 */
export async function quotePrice(tx: DbOrTx, procedureId: string, day: string): Promise<PriceQuote | null> {
  const [row] = await tx
    .select({
      defaultPriceCents: procedures.defaultPriceCents,
      priceId: procedurePrices.id, priceCents: procedurePrices.priceCents, validFrom: procedurePrices.validFrom, validTo: procedurePrices.validTo,
    })
    .from(procedures)
    .leftJoin(procedurePrices, coveringPrice(day))
    .where(eq(procedures.id, procedureId))
    .orderBy(desc(procedurePrices.validFrom))
    .limit(1);
  if (!row) return null;
  return row.priceId != null
    ? { procedureId, day, priceCents: row.priceCents!, source: 'dated', priceId: row.priceId, validFrom: row.validFrom, validTo: row.validTo }
    : { procedureId, day, priceCents: row.defaultPriceCents, source: 'default', priceId: null, validFrom: null, validTo: null };
}

/** Price in centavos of `procedureId` on local day `day` (YYYY-MM-DD); null when the procedure is unknown. */
export async function priceOn(tx: DbOrTx, procedureId: string, day: string): Promise<number | null> {
  return (await quotePrice(tx, procedureId, day))?.priceCents ?? null;
}

/** Price in centavos for an appointment starting at `startsAt` (its local day in the clinic's zone). */
export async function priceAt(tx: DbOrTx, procedureId: string, startsAt: Date): Promise<number | null> {
  const [row] = await tx
    .select({ timezone: clinics.timezone })
    .from(procedures).innerJoin(clinics, eq(clinics.id, procedures.clinicId))
    .where(eq(procedures.id, procedureId));
  return row ? priceOn(tx, procedureId, localDate(startsAt, row.timezone)) : null;
}

/** Procedures with their price on `day`, by name. */
export async function listProcedures(
  tx: DbOrTx,
  opts: { day: string; active?: boolean; category?: ProcedureCategory; ids?: string[] },
): Promise<ProcedureView[]> {
  if (opts.ids && opts.ids.length === 0) return [];
  const rows = await tx
    .select({ p: procedures, datedPriceCents: procedurePrices.priceCents })
    .from(procedures)
    .leftJoin(procedurePrices, coveringPrice(opts.day))
    .where(and(
      opts.active === undefined ? undefined : eq(procedures.active, opts.active),
      opts.category ? eq(procedures.category, opts.category) : undefined,
      opts.ids ? inArray(procedures.id, opts.ids) : undefined,
    ))
    .orderBy(asc(procedures.name), asc(procedures.id));
  return rows.map(({ p, datedPriceCents }) => toProcedureView(p, datedPriceCents ?? p.defaultPriceCents));
}

export async function getProcedure(tx: DbOrTx, id: string, day: string): Promise<ProcedureView | null> {
  const [row] = await listProcedures(tx, { day, ids: [id] });
  return row ?? null;
}

export function toProcedureView(p: typeof procedures.$inferSelect, currentPriceCents: number): ProcedureView {
  return {
    id: p.id, name: p.name, description: p.description, durationMinutes: p.durationMinutes, defaultPriceCents: p.defaultPriceCents,
    costCents: p.costCents, category: p.category, active: p.active, imageUrl: p.imageUrl, currentPriceCents,
    createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString(),
  };
}

export async function listPrices(tx: DbOrTx, procedureId: string): Promise<PriceView[]> {
  const rows = await tx.select().from(procedurePrices).where(eq(procedurePrices.procedureId, procedureId)).orderBy(asc(procedurePrices.validFrom));
  return rows.map(toPriceView);
}

export function toPriceView(r: typeof procedurePrices.$inferSelect): PriceView {
  return { id: r.id, priceCents: r.priceCents, validFrom: r.validFrom, validTo: r.validTo, createdAt: r.createdAt.toISOString() };
}

/** Dated prices of the procedure whose validity meets [from, to] (to null = open-ended), except `exceptId`. */
export async function overlappingPrices(tx: DbOrTx, procedureId: string, from: string, to: string | null, exceptId?: string) {
  const rows = await tx
    .select()
    .from(procedurePrices)
    .where(and(
      eq(procedurePrices.procedureId, procedureId),
      to === null ? undefined : lte(procedurePrices.validFrom, to),
      or(isNull(procedurePrices.validTo), gte(procedurePrices.validTo, from)),
    ))
    .orderBy(asc(procedurePrices.validFrom));
  return rows.filter((r) => r.id !== exceptId);
}
