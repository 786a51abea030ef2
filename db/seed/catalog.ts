// What the clinic offers and who does it: procedures with their price history, professionals with their hours.
import type * as s from '../schema';
import { PROCEDURES, PROFESSIONALS, type DemoProcedure, type DemoProfessional } from './data';
import { addDays, type Row, type SeedRun } from './support';

export type CatalogProcedure = DemoProcedure & { id: string };
export type CatalogProfessional = DemoProfessional & { id: string };

export interface DemoCatalog {
  procedures: CatalogProcedure[];
  procByKey: Map<string, CatalogProcedure>;
  professionals: CatalogProfessional[];
  /** The day the current prices took effect. */
  priceChange: string;
  oldPrice(p: DemoProcedure): number;
  /** The price list in force on `day`. */
  priceOn(p: DemoProcedure, day: string): number;
  rows: {
    procedures: Row<typeof s.procedures>[];
    procedurePrices: Row<typeof s.procedurePrices>[];
    professionals: Row<typeof s.professionals>[];
    workingHours: Row<typeof s.professionalWorkingHours>[];
    professionalProcedures: Row<typeof s.professionalProcedures>[];
  };
}

export function demoCatalog(run: SeedRun): DemoCatalog {
  const { newId, clinicId, clinicCreated, calendar, today } = run;
  // Current prices took effect 75 days ago; the old ones were ~8% lower.
  const priceChange = addDays(today, -75);
  const procedures = PROCEDURES.map((p) => ({ ...p, id: newId() }));
  const procByKey = new Map(procedures.map((p) => [p.key, p]));
  const oldPrice = (p: DemoProcedure) => Math.round((p.priceCents * 0.92) / 1000) * 1000;
  const priceOn = (p: DemoProcedure, day: string) => (day < priceChange ? oldPrice(p) : p.priceCents);
  const procedureRows = procedures.map((p) => ({
    id: p.id, clinicId, name: p.name, description: p.description, durationMinutes: p.durationMinutes, defaultPriceCents: p.priceCents,
    costCents: p.costCents, category: p.category, active: true, createdAt: clinicCreated, updatedAt: calendar.atLocal(priceChange, 9 * 60),
  }));
  const procedurePrices = procedures.flatMap((p) => [
    { id: newId(), clinicId, procedureId: p.id, priceCents: oldPrice(p), validFrom: calendar.localDay(clinicCreated), validTo: addDays(priceChange, -1), createdAt: clinicCreated },
    { id: newId(), clinicId, procedureId: p.id, priceCents: p.priceCents, validFrom: priceChange, validTo: null, createdAt: calendar.atLocal(addDays(priceChange, -7), 11 * 60) },
  ]);

  const professionals = PROFESSIONALS.map((p) => ({ ...p, id: newId() }));
  const professionalRows = professionals.map((p) => ({
    id: p.id, clinicId, name: p.name, email: p.email, phone: p.phone, specialty: p.specialty, commissionBps: p.commissionBps,
    color: p.color, active: true, createdAt: clinicCreated, updatedAt: clinicCreated,
  }));
  const workingHours = professionals.flatMap((p) =>
    Object.entries(p.hours).flatMap(([weekday, intervals]) =>
      intervals.map(([startMinute, endMinute]) => ({ id: newId(), clinicId, professionalId: p.id, weekday: Number(weekday), startMinute, endMinute })),
    ),
  );
  const professionalProcedures = professionals.flatMap((p) =>
    p.procedures.map((key) => ({ clinicId, professionalId: p.id, procedureId: procByKey.get(key)!.id })),
  );

  return {
    procedures, procByKey, professionals, priceChange, oldPrice, priceOn,
    rows: { procedures: procedureRows, procedurePrices, professionals: professionalRows, workingHours, professionalProcedures },
  };
}
