// The upsell journey with its real activities: the recommendation, the coupon and the booking link in the
// offer; booked through the link (signal), booked through another path (found at the reminder), refused
// by reply, ignored after the reminder, and not sent without marketing consent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { appointments, coupons, patients, upsellOffers } from '../../../db/schema';
import { withClinic } from '../../../db/tenancy';
import { reserveOffer } from '../../../services/upsell/offers';
import { verifyPatientLink } from '../../../domain/signed-links';
import { WORKFLOW_TYPES, upsellBookedSignal, type UpsellJourneyResult } from '../../../workflows/definitions';
import { LINK_SECRET } from '../../support/reminder-fixtures';
import { DAY, startNpsHarness, type NpsHarness } from './harness';

let h: NpsHarness;
beforeAll(async () => { h = await startNpsHarness(); }, 60_000);
afterAll(async () => { await h?.close(); });

async function offerFor(o: { marketing?: boolean } = { marketing: true }) {
  const p = await h.patient({ marketing: o.marketing, gender: 'F' });
  await h.visit(p.id, { agoMs: 40 * DAY });
  await h.visit(p.id);
  const offer = await withClinic(h.tdb.db, h.clinic.clinic.id, (tx) => reserveOffer(tx, { clinicId: h.clinic.clinic.id, patientId: p.id, surveyId: null }));
  const handle = await h.env.client.workflow.start(WORKFLOW_TYPES.upsell, {
    workflowId: offer.workflowId, taskQueue: h.taskQueue, args: [{ clinicId: h.clinic.clinic.id, patientId: p.id, offerId: offer.offerId }],
  });
  return { p, offer, handle, result: () => handle.result() as Promise<UpsellJourneyResult> };
}

async function offered(workflowId: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const s = await h.upsellState(workflowId);
    // Offered in the journey's state, and the offer row and its message committed (the reply path reads both).
    if (s?.stage === 'offered') {
      const [o] = await h.tdb.db.select({ status: upsellOffers.status, patientId: upsellOffers.patientId }).from(upsellOffers).where(eq(upsellOffers.workflowId, workflowId));
      if (o?.status === 'enviada' && (await h.outbox(o.patientId)).some((m) => m.template === 'upsell')) return s;
    }
    if (s?.stage === 'done' || Date.now() > deadline) throw new Error(`not offered: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const row = async (offerId: string) => (await h.tdb.db.select().from(upsellOffers).where(eq(upsellOffers.id, offerId)))[0];

describe('upsell journey', () => {
  it('offers one procedure with the reason stored, a 10% coupon and a signed booking link; the link booking signals agendou', async () => {
    const { p, offer, handle, result } = await offerFor();
    const s = await offered(offer.workflowId);
    const o = await row(offer.offerId);
    expect(o).toMatchObject({ status: 'enviada', procedureId: s.procedureId });
    expect(o.procedureId).not.toBe(h.clinic.limpeza.id); // she does it already
    expect(o.reasonText).toBeTruthy();
    const [coupon] = await h.tdb.db.select().from(coupons).where(eq(coupons.upsellOfferId, offer.offerId));
    expect(coupon).toMatchObject({ origin: 'upsell', percentOff: 10, patientId: p.id });
    const msg = (await h.outbox(p.id)).find((m) => m.template === 'upsell')!;
    expect(msg.purpose).toBe('marketing');
    expect(msg.body).toContain(coupon.code);
    expect(msg.body).toContain('não, obrigada');
    const token = /\/p\/agendar\/([\w-]+\.[\w-]+)/.exec(msg.body)![1];
    expect(verifyPatientLink(LINK_SECRET, 'booking', token, Date.now())).toMatchObject({ ok: true, id: offer.offerId });

    const [appt] = await h.tdb.db.insert(appointments).values({
      clinicId: h.clinic.clinic.id, patientId: p.id, procedureId: o.procedureId!, professionalId: h.clinic.helena.id,
      startsAt: new Date(Date.now() + 5 * DAY), durationMinutes: 30, priceCents: 120000, createdAt: new Date(await h.env.currentTimeMs()),
    }).returning();
    await handle.signal(upsellBookedSignal, { appointmentId: appt.id, at: new Date().toISOString() });
    expect(await result()).toMatchObject({ outcome: 'agendou', appointmentId: appt.id });
    expect(await row(offer.offerId)).toMatchObject({ status: 'agendou', appointmentId: appt.id, revenueCents: 120000 });
  });

  it('a booking through another path (dashboard, Anna) is found at the reminder: agendou, and no reminder goes', async () => {
    const { p, offer, result } = await offerFor();
    await offered(offer.workflowId);
    const o = await row(offer.offerId);
    await h.tdb.db.insert(appointments).values({
      clinicId: h.clinic.clinic.id, patientId: p.id, procedureId: o.procedureId!, professionalId: h.clinic.helena.id,
      startsAt: new Date(Date.now() + 9 * DAY), durationMinutes: 30, priceCents: 99000, createdAt: new Date(o.sentAt!.getTime() + 1000),
    });
    expect(await result()).toMatchObject({ outcome: 'agendou' });
    expect((await h.outbox(p.id)).map((m) => m.template)).toEqual(['upsell']);
  });

  it('"não, obrigada" in reply: recusou', async () => {
    const { p, offer, result } = await offerFor();
    await offered(offer.workflowId);
    const r = await h.reply(p.whatsapp!, 'Não, obrigada!');
    expect(r?.outcome).toBe('signalled');
    expect(r?.workflowId).toBe(offer.workflowId);
    expect(await result()).toMatchObject({ outcome: 'recusou' });
    expect((await row(offer.offerId)).status).toBe('recusou');
  });

  it('SAIR ends the offer at once as recusou (opt_out), without the reminder; an erased patient gets no reminder', async () => {
    const a = await offerFor();
    const b = await offerFor();
    await offered(a.offer.workflowId);
    await offered(b.offer.workflowId);
    await h.tdb.db.update(patients).set({ deletedAt: new Date() }).where(eq(patients.id, b.p.id));
    expect((await h.reply(a.p.whatsapp!, 'SAIR'))?.outcome).toBe('opt_out');
    const deadline = Date.now() + 20_000;
    while ((await h.upsellState(a.offer.workflowId))?.stage !== 'done' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect((await h.upsellState(a.offer.workflowId))?.stage).toBe('done'); // before any timer: the SAIR itself ended it
    expect(await a.result()).toMatchObject({ outcome: 'recusou', reason: 'opt_out' });
    expect(await row(a.offer.offerId)).toMatchObject({ status: 'recusou', skipReason: 'opt_out' });
    expect((await h.outbox(a.p.id)).map((m) => m.template)).toEqual(['upsell']);
    expect(await b.result()).toMatchObject({ outcome: 'ignorou', reason: 'gone' });
    expect((await h.outbox(b.p.id)).map((m) => m.template)).toEqual(['upsell']);
  });

  it('no answer: one reminder halfway, then ignorou', async () => {
    const { p, offer, result } = await offerFor();
    await offered(offer.workflowId);
    expect(await result()).toMatchObject({ outcome: 'ignorou' });
    expect((await h.outbox(p.id)).map((m) => m.template)).toEqual(['upsell', 'upsell_reminder']);
    const o = await row(offer.offerId);
    expect(Math.abs(o.reminderSentAt!.getTime() - o.sentAt!.getTime() - 7 * DAY)).toBeLessThan(60_000);
  });

  it('without marketing consent nothing is offered (nao_enviada, no coupon)', async () => {
    const { offer, result } = await offerFor({ marketing: false });
    expect(await result()).toMatchObject({ outcome: 'nao_enviada', reason: 'no_consent' });
    expect(await row(offer.offerId)).toMatchObject({ status: 'nao_enviada', skipReason: 'no_consent', couponId: null });
  });
});
