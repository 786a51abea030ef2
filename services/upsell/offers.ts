// Upsell offers (upsell_offers): the row each `upsell:{patientId}:{n}` journey works on, reserved before
// the journey starts so n is the patient's n-th offer and a retried hand-over finds the same row.
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { patients, upsellOffers } from '../../db/schema';
import { upsellWorkflowId } from '../../workflows/definitions';

/** The offer for this survey (one per survey), or a new one numbered after the patient's last. */
export async function reserveOffer(tx: Tx, input: { clinicId: string; patientId: string; surveyId: string | null }) {
  // The patient's row lock orders two hand-overs of the same patient (their n must differ).
  await tx.select({ id: patients.id }).from(patients).where(eq(patients.id, input.patientId)).for('update');
  if (input.surveyId) {
    const [existing] = await tx.select({ id: upsellOffers.id, seq: upsellOffers.seq, workflowId: upsellOffers.workflowId }).from(upsellOffers)
      .where(and(eq(upsellOffers.clinicId, input.clinicId), eq(upsellOffers.surveyId, input.surveyId)));
    if (existing) return { offerId: existing.id, seq: existing.seq, workflowId: existing.workflowId, created: false };
  }
  const [{ last }] = await tx.select({ last: sql<number>`coalesce(max(${upsellOffers.seq}), 0)::int` }).from(upsellOffers)
    .where(and(eq(upsellOffers.clinicId, input.clinicId), eq(upsellOffers.patientId, input.patientId)));
  const seq = last + 1;
  const workflowId = upsellWorkflowId(input.patientId, seq);
  const [row] = await tx.insert(upsellOffers).values({
    clinicId: input.clinicId, patientId: input.patientId, seq, workflowId, surveyId: input.surveyId,
  }).returning({ id: upsellOffers.id });
  return { offerId: row.id, seq, workflowId, created: true };
}
