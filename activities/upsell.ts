// The upsell journey's side effects (workflows/upsell.ts): choosing the one procedure (the recommender
// over the clinic's records), the coupon and the consented photo, the offer's messages with the signed
// direct-booking link, finding a booking made through any path, and the outcome on upsell_offers.
// Marketing only: nothing is offered on a channel without the patient's marketing consent.
import { ApplicationFailure } from '@temporalio/common';
import { and, eq, gte, ne } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { withClinic } from '../db/tenancy';
import { appointments, clinics, coupons, patients, procedures, upsellOffers } from '../db/schema';
import { formatDiscount } from '../domain/nps';
import { patientLinkUrl, signPatientLink } from '../domain/signed-links';
import { localDate } from '../domain/timezone';
import { afterVisitSettingsOf } from '../domain/clinic-settings';
import { upsellOfferText, upsellReminderText } from '../domain/upsell';
import { issueCoupon } from '../services/coupons';
import type { LinkSigning } from '../services/feedback/messages';
import { marketingChannel } from '../services/consent';
import { recommendFor } from '../services/upsell/recommend';
import type { MessageSender, SendStatus } from '../providers/messaging/types';
import type { UpsellOutcome } from '../workflows/definitions';

const DAY = 86_400_000;

/** Before/after photos with publicity consent (services/photos), for the offer's message. */
export interface UpsellPhotos {
  /** The most recent consented 'depois' photo of the procedure, if any. */
  pick(clinicId: string, procedureId: string): Promise<{ photoId: string } | null>;
  /** A URL the messaging provider can fetch now (presigned, short-lived); null if the photo is gone or no longer consented. */
  url(clinicId: string, photoId: string): Promise<string | null>;
}

export interface UpsellActivityDeps {
  db: Db;
  sender: MessageSender;
  links: LinkSigning;
  photos?: UpsellPhotos;
  clock?: () => Date;
}

export type UpsellPreparation =
  | { action: 'offer'; procedureId: string; sentAt: string; expiresAt: string }
  | { action: 'skip'; reason: 'no_consent' | 'no_recommendation' | 'gone' }
  | { action: 'over'; status: string };

export function createUpsellActivities(deps: UpsellActivityDeps) {
  const clock = deps.clock ?? (() => new Date());

  async function offerFacts(tx: Tx, offerId: string) {
    const [o] = await tx.select({
      offer: upsellOffers, patientName: patients.name, patientGender: patients.gender, whatsapp: patients.whatsapp, phone: patients.phone,
      email: patients.email, deletedAt: patients.deletedAt, clinicName: clinics.name, timeZone: clinics.timezone, settings: clinics.settings,
    }).from(upsellOffers)
      .innerJoin(patients, eq(patients.id, upsellOffers.patientId))
      .innerJoin(clinics, eq(clinics.id, upsellOffers.clinicId))
      .where(eq(upsellOffers.id, offerId));
    if (!o) throw ApplicationFailure.nonRetryable(`offer ${offerId} not found`, 'OfferNotFound');
    return o;
  }

  return {
    /** Picks the procedure, issues the discount coupon, picks a consented photo and opens the offer (once). */
    /** `at`: the journey's time (the workflow clock). */
    async prepareUpsellOffer(input: { clinicId: string; offerId: string; at?: string }): Promise<UpsellPreparation> {
      const now = input.at ? new Date(input.at) : clock();
      return withClinic(deps.db, input.clinicId, async (tx): Promise<UpsellPreparation> => {
        await tx.select({ id: upsellOffers.id }).from(upsellOffers).where(eq(upsellOffers.id, input.offerId)).for('update');
        const f = await offerFacts(tx, input.offerId);
        if (f.offer.status === 'enviada' && f.offer.procedureId && f.offer.sentAt && f.offer.expiresAt) {
          return { action: 'offer', procedureId: f.offer.procedureId, sentAt: f.offer.sentAt.toISOString(), expiresAt: f.offer.expiresAt.toISOString() };
        }
        if (f.offer.status !== 'aguardando') return { action: 'over', status: f.offer.status };
        const skip = async (reason: 'no_consent' | 'no_recommendation' | 'gone'): Promise<UpsellPreparation> => {
          await tx.update(upsellOffers).set({ status: 'nao_enviada', skipReason: reason, outcomeAt: now }).where(eq(upsellOffers.id, input.offerId));
          return { action: 'skip', reason };
        };
        if (f.deletedAt) return skip('gone');
        if (!(await marketingChannel(tx, input.clinicId, { id: f.offer.patientId, whatsapp: f.whatsapp, phone: f.phone, email: f.email }))) return skip('no_consent');
        const result = await recommendFor(tx, input.clinicId, f.offer.patientId, now);
        const rec = result.recommendation;
        if (!rec) return skip('no_recommendation');
        const settings = afterVisitSettingsOf(f.settings);
        const expiresAt = new Date(now.getTime() + settings.upsellOfferDays * DAY);
        const coupon = settings.upsellDiscountPercent > 0
          ? await issueCoupon(tx, {
            clinicId: input.clinicId, origin: 'upsell', patientId: f.offer.patientId, upsellOfferId: input.offerId, now,
            rule: { discount: { percent: settings.upsellDiscountPercent }, validityDays: settings.upsellOfferDays, minChargeCents: 0 },
          })
          : null;
        const photo = deps.photos ? await deps.photos.pick(input.clinicId, rec.procedureId) : null;
        await tx.update(upsellOffers).set({
          procedureId: rec.procedureId, reason: { ...rec.reason, score: rec.score, excluded: result.excluded } as unknown as Record<string, unknown>,
          reasonText: rec.reason.text, couponId: coupon?.id ?? null, photoId: photo?.photoId ?? null,
          status: 'enviada', sentAt: now, expiresAt,
        }).where(eq(upsellOffers.id, input.offerId));
        return { action: 'offer', procedureId: rec.procedureId, sentAt: now.toISOString(), expiresAt: expiresAt.toISOString() };
      });
    },

    /** The offer (or its reminder) on the first channel with marketing consent, with the photo and the booking link. */
    async sendUpsellMessage(input: { clinicId: string; offerId: string; kind: 'offer' | 'reminder'; at?: string }): Promise<{ status: SendStatus | 'skipped_no_contact' | 'skipped_closed' | 'skipped_gone' }> {
      const now = input.at ? new Date(input.at) : clock();
      const prepared = await withClinic(deps.db, input.clinicId, async (tx) => {
        const f = await offerFacts(tx, input.offerId);
        if (f.offer.status !== 'enviada' || !f.offer.procedureId || !f.offer.expiresAt) return { closed: true as const };
        if (f.deletedAt) return { closed: true as const, gone: true }; // erased since the offer: nothing more goes to her
        const [proc] = await tx.select({ name: procedures.name }).from(procedures).where(eq(procedures.id, f.offer.procedureId));
        const [coupon] = f.offer.couponId ? await tx.select().from(coupons).where(eq(coupons.id, f.offer.couponId)) : [];
        const target = await marketingChannel(tx, input.clinicId, { id: f.offer.patientId, whatsapp: f.whatsapp, phone: f.phone, email: f.email });
        return { closed: false as const, f, proc, coupon, target };
      });
      if (prepared.closed) return { status: 'gone' in prepared ? 'skipped_gone' : 'skipped_closed' };
      const { f, proc, coupon, target } = prepared;
      // No channel with consent any more (an opt-out since the offer): the outbox records the skip.
      const channel = target?.channel ?? 'whatsapp';
      const to = target?.to ?? f.whatsapp ?? f.phone ?? f.email;
      if (!to) return { status: 'skipped_no_contact' };
      const token = signPatientLink(deps.links.secret, 'booking', input.offerId, f.offer.expiresAt!.getTime());
      const mediaUrl = input.kind === 'offer' && f.offer.photoId && deps.photos && channel !== 'email' ? await deps.photos.url(input.clinicId, f.offer.photoId) : null;
      const facts = {
        patientFirstName: f.patientName, patientGender: f.patientGender, procedureName: proc?.name ?? 'um novo tratamento', clinicName: f.clinicName,
        discountLabel: coupon ? formatDiscount(coupon.percentOff != null ? { percent: coupon.percentOff } : { cents: coupon.amountOffCents! }) : null,
        couponCode: coupon?.code ?? null,
        validUntil: localDate(new Date(f.offer.expiresAt!.getTime() - 1), f.timeZone).split('-').reverse().join('/'),
        link: patientLinkUrl(deps.links.webBaseUrl, 'booking', token), withPhoto: !!mediaUrl,
      };
      const result = await deps.sender.send({
        clinicId: input.clinicId, patientId: f.offer.patientId, channel, to, purpose: 'marketing',
        body: input.kind === 'offer' ? upsellOfferText(facts) : upsellReminderText(facts),
        ...(channel === 'email' ? { subject: `${f.clinicName}: uma sugestão para você` } : {}),
        templateKey: input.kind === 'offer' ? 'upsell' : 'upsell_reminder', ...(mediaUrl ? { mediaUrl } : {}),
        idempotencyKey: `upsell:${input.offerId}:${input.kind}`,
      });
      if (input.kind === 'reminder' && result.status !== 'skipped_opt_out' && result.status !== 'skipped_no_consent') {
        await withClinic(deps.db, input.clinicId, (tx) => tx.update(upsellOffers).set({ reminderSentAt: now }).where(eq(upsellOffers.id, input.offerId)));
      }
      return { status: result.status };
    },

    /** A booking of the offered procedure by this patient since the offer, through any path (link, dashboard, Anna). */
    async findUpsellBooking(input: { clinicId: string; offerId: string }): Promise<{ appointmentId: string; priceCents: number } | null> {
      return withClinic(deps.db, input.clinicId, async (tx) => {
        const f = await offerFacts(tx, input.offerId);
        if (!f.offer.procedureId || !f.offer.sentAt) return null;
        const [a] = await tx.select({ id: appointments.id, priceCents: appointments.priceCents }).from(appointments)
          .where(and(eq(appointments.patientId, f.offer.patientId), eq(appointments.procedureId, f.offer.procedureId),
            gte(appointments.createdAt, f.offer.sentAt), ne(appointments.status, 'cancelado')))
          .orderBy(appointments.createdAt).limit(1);
        return a ? { appointmentId: a.id, priceCents: a.priceCents ?? 0 } : null;
      });
    },

    /** The outcome, once (an offer already closed keeps its outcome). */
    async finishUpsellOffer(input: { clinicId: string; offerId: string; outcome: Exclude<UpsellOutcome, 'nao_enviada'>; appointmentId?: string; revenueCents?: number; reason?: string }) {
      return withClinic(deps.db, input.clinicId, async (tx) => {
        const [row] = await tx.update(upsellOffers).set({
          status: input.outcome, outcomeAt: clock(), appointmentId: input.appointmentId ?? null, revenueCents: input.revenueCents ?? null,
          ...(input.reason ? { skipReason: input.reason } : {}),
        }).where(and(eq(upsellOffers.id, input.offerId), eq(upsellOffers.status, 'enviada'))).returning({ id: upsellOffers.id });
        return { recorded: !!row };
      });
    },
  };
}

export type UpsellActivities = ReturnType<typeof createUpsellActivities>;
