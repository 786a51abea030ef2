// What the upsell recommender (domain/upsell.ts) needs, read from the clinic's records: the patient's
// realised visits and what she paid, every realised visit of the clinic (the statistics, last 3 years),
// the catalogue with today's prices, costs and commissions, and the clinic's contraindication rules.
import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { appointments, clinics, payments, procedures, professionals } from '../../db/schema';
import { afterVisitSettingsOf } from '../../domain/clinic-settings';
import { recommendUpsell, type UpsellInput, type UpsellResult } from '../../domain/upsell';
import { localDate } from '../../domain/timezone';
import { priceOn } from '../catalog/procedures';

const STATS_YEARS = 3;

export async function loadUpsellInput(tx: Tx, clinicId: string, patientId: string, now: Date): Promise<UpsellInput> {
  const [clinic] = await tx.select({ timeZone: clinics.timezone, settings: clinics.settings }).from(clinics).where(eq(clinics.id, clinicId));
  const since = new Date(now.getTime() - STATS_YEARS * 365 * 86_400_000);
  const [history, clinicVisits, catalogue, paid, people] = await Promise.all([
    tx.select({ procedureId: appointments.procedureId, startsAt: appointments.startsAt, priceCents: appointments.priceCents }).from(appointments)
      .where(and(eq(appointments.clinicId, clinicId), eq(appointments.patientId, patientId), eq(appointments.status, 'realizado'))),
    tx.select({ patientId: appointments.patientId, procedureId: appointments.procedureId, startsAt: appointments.startsAt }).from(appointments)
      .where(and(eq(appointments.clinicId, clinicId), eq(appointments.status, 'realizado'), gte(appointments.startsAt, since))),
    tx.select().from(procedures).where(eq(procedures.clinicId, clinicId)),
    tx.select({ cents: sql<number>`coalesce(sum(${payments.amountCents} - ${payments.refundedCents}), 0)::int` }).from(payments)
      .where(and(eq(payments.clinicId, clinicId), eq(payments.patientId, patientId), inArray(payments.status, ['aprovado', 'reembolsado']))),
    tx.select({ bps: professionals.commissionBps }).from(professionals).where(and(eq(professionals.clinicId, clinicId), eq(professionals.active, true))),
  ]);
  const today = localDate(now, clinic.timeZone);
  const priced = await Promise.all(catalogue.map(async (p) => ({
    id: p.id, name: p.name, category: p.category, active: p.active, costCents: p.costCents, commissionBps: null, durationMinutes: p.durationMinutes,
    priceCents: (await priceOn(tx, p.id, today)) ?? p.defaultPriceCents,
  })));
  const defaultCommissionBps = people.length ? Math.round(people.reduce((s, p) => s + p.bps, 0) / people.length) : 0;
  return {
    timeZone: clinic.timeZone, now,
    history: history.map((h) => ({ procedureId: h.procedureId, startsAt: h.startsAt.toISOString(), priceCents: h.priceCents ?? 0 })),
    clinicVisits: clinicVisits.map((v) => ({ patientId: v.patientId, procedureId: v.procedureId, startsAt: v.startsAt.toISOString() })),
    procedures: priced, defaultCommissionBps,
    value: { paidCents: paid[0]?.cents ?? 0, visits: history.length },
    rules: afterVisitSettingsOf(clinic.settings).upsellContraindications,
  };
}

export async function recommendFor(tx: Tx, clinicId: string, patientId: string, now: Date): Promise<UpsellResult> {
  return recommendUpsell(await loadUpsellInput(tx, clinicId, patientId, now));
}
