// The reactivation journey's side effects (workflows/reactivation.ts) and the daily sweep's
// (workflows/reactivationSweep.ts): scoring and sweeping each clinic, starting the journeys of the
// contacted (never the control group), preparing the "saudade" message (her last visit, the coupon,
// a consented before/after photo of that procedure, the signed booking link), sending it and its one
// follow-up, finding a return through any path, and recording the outcome on reactivation_targets.
// Marketing only: nothing goes out on a channel without the patient's marketing consent.
import { ApplicationFailure } from '@temporalio/common';
import { and, desc, eq, gte, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { withClinic } from '../db/tenancy';
import { appointments, clinics, coupons, inboundMessages, patients, procedures, professionals, reactivationCampaigns, reactivationTargets } from '../db/schema';
import { notInterestedAck, reactivationSettingsOf, saudadeFollowUp, saudadeMessage } from '../domain/reactivation';
import { patientLinkUrl, signPatientLink } from '../domain/signed-links';
import { localDate } from '../domain/timezone';
import { issueCoupon } from '../services/coupons';
import type { LinkSigning } from '../services/feedback/messages';
import { marketingChannel } from '../services/consent';
import { closeWindows, returnWithin, sweepClinic, type ClinicSweep } from '../services/reactivation/sweep';
import type { MessageSender, SendStatus } from '../providers/messaging/types';
import { startReactivationJourney } from '../journeys/handovers';
import type { WorkflowClient } from '@temporalio/client';
import type { ReactivationOutcome } from '../workflows/definitions';
import type { UpsellPhotos } from './upsell';

const DAY = 86_400_000;
/** Journey starts the sweep keeps in flight at once. */
export const SWEEP_START_CONCURRENCY = 8;

export interface ReactivationActivityDeps {
  db: Db;
  sender: MessageSender;
  links: LinkSigning;
  photos?: UpsellPhotos;
  /** The sweep starts the journeys; without a client it cannot (and says so). */
  temporal?: { workflow: Pick<WorkflowClient, 'start'> };
  taskQueue?: string;
  searchAttributes?: boolean;
  /** Scores the clinic's patients before the sweep reads them (services/reactivation/scoring.ts). */
  score?: (db: Db, clinicId: string, now: Date) => Promise<unknown>;
  clock?: () => Date;
}

export type ReactivationPreparation =
  | { action: 'send'; sentAt: string; followUpAt: string; windowEndsAt: string }
  | { action: 'skip'; reason: 'no_consent' | 'gone' | 'not_found' }
  | { action: 'over'; status: string };

/** Her last realised visit: the procedure (if still offered), the professional, when. */
export async function lastVisitOf(tx: Tx, clinicId: string, patientId: string) {
  const [v] = await tx.select({
    startsAt: appointments.startsAt, procedureId: procedures.id, procedure: procedures.name, procedureActive: procedures.active, professional: professionals.name,
  }).from(appointments)
    .innerJoin(procedures, eq(procedures.id, appointments.procedureId))
    .innerJoin(professionals, eq(professionals.id, appointments.professionalId))
    .where(and(eq(appointments.clinicId, clinicId), eq(appointments.patientId, patientId), eq(appointments.status, 'realizado')))
    .orderBy(desc(appointments.startsAt)).limit(1);
  return v ?? null;
}

export function createReactivationActivities(deps: ReactivationActivityDeps) {
  const clock = deps.clock ?? (() => new Date());

  async function targetFacts(tx: Tx, targetId: string) {
    const [t] = await tx.select({
      target: reactivationTargets, patientName: patients.name, patientGender: patients.gender, whatsapp: patients.whatsapp, phone: patients.phone,
      email: patients.email, deletedAt: patients.deletedAt, clinicName: clinics.name, timeZone: clinics.timezone, settings: clinics.settings,
    }).from(reactivationTargets)
      .innerJoin(patients, eq(patients.id, reactivationTargets.patientId))
      .innerJoin(clinics, eq(clinics.id, reactivationTargets.clinicId))
      .where(eq(reactivationTargets.id, targetId));
    return t ?? null;
  }

  return {
    /** The clinics to sweep now: between 10h and 20h in their own time zone, not yet swept today. */
    async reactivationClinicsDue(input: { at: string }): Promise<string[]> {
      const now = new Date(input.at);
      const all = await deps.db.select({ id: clinics.id, timezone: clinics.timezone }).from(clinics);
      const swept = new Set((await deps.db.select({ clinicId: reactivationCampaigns.clinicId, day: reactivationCampaigns.day }).from(reactivationCampaigns)
        .where(gte(reactivationCampaigns.createdAt, new Date(now.getTime() - 2 * DAY)))).map((r) => `${r.clinicId}:${r.day}`));
      return all.filter((c) => {
        const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: c.timezone, hour: '2-digit', hourCycle: 'h23' }).format(now));
        return hour >= 10 && hour < 20 && !swept.has(`${c.id}:${localDate(now, c.timezone)}`);
      }).map((c) => c.id);
    },

    /** Scores the clinic (when a scorer is configured), closes ended windows and sweeps today: who to contact. */
    async sweepReactivation(input: { clinicId: string; at?: string }): Promise<ClinicSweep & { started: number; closed: number; timings: { pickMs: number; startMs: number } }> {
      const now = input.at ? new Date(input.at) : clock();
      if (deps.score) await deps.score(deps.db, input.clinicId, now);
      const t0 = performance.now();
      const { sweep, closed } = await withClinic(deps.db, input.clinicId, async (tx) => {
        const c = await closeWindows(tx, input.clinicId, now);
        return { sweep: await sweepClinic(tx, input.clinicId, now), closed: c.closed };
      });
      const t1 = performance.now();
      if (sweep.toStart.length && !deps.temporal) throw ApplicationFailure.nonRetryable('temporal client not configured for the reactivation journeys', 'TemporalNotConfigured');
      // A few starts in flight at once (bench/sweep.ts: one at a time ran at the server's round-trip, not its rate).
      let started = 0;
      let next = 0;
      await Promise.all(Array.from({ length: Math.min(SWEEP_START_CONCURRENCY, sweep.toStart.length) }, async () => {
        while (next < sweep.toStart.length) {
          const t = sweep.toStart[next++]!;
          const r = await startReactivationJourney(deps.temporal!, {
            clinicId: input.clinicId, patientId: t.patientId, targetId: t.targetId, workflowId: t.workflowId, taskQueue: deps.taskQueue, searchAttributes: deps.searchAttributes,
          });
          if (r.started) started++;
        }
      }));
      const timings = { pickMs: Math.round(t1 - t0), startMs: Math.round(performance.now() - t1) };
      return { ...sweep, toStart: [], started, closed, timings };
    },

    /** The message's coupon and photo, once; the target moves to enviada with its follow-up and window. */
    async prepareReactivation(input: { clinicId: string; targetId: string; at?: string }): Promise<ReactivationPreparation> {
      const now = input.at ? new Date(input.at) : clock();
      return withClinic(deps.db, input.clinicId, async (tx): Promise<ReactivationPreparation> => {
        await tx.select({ id: reactivationTargets.id }).from(reactivationTargets).where(eq(reactivationTargets.id, input.targetId)).for('update');
        const f = await targetFacts(tx, input.targetId);
        if (!f) return { action: 'skip', reason: 'not_found' };
        const t = f.target;
        if (t.status === 'enviada' && t.sentAt && t.followUpAt) {
          return { action: 'send', sentAt: t.sentAt.toISOString(), followUpAt: t.followUpAt.toISOString(), windowEndsAt: t.windowEndsAt.toISOString() };
        }
        if (t.status !== 'aguardando') return { action: 'over', status: t.status };
        const skip = async (reason: 'no_consent' | 'gone'): Promise<ReactivationPreparation> => {
          // Not contacted after all: no outcome to learn from (she never got the message).
          await tx.update(reactivationTargets).set({ status: 'nao_enviada', skipReason: reason, outcomeAt: now }).where(eq(reactivationTargets.id, t.id));
          return { action: 'skip', reason };
        };
        if (f.deletedAt) return skip('gone');
        if (!(await marketingChannel(tx, input.clinicId, { id: t.patientId, whatsapp: f.whatsapp, phone: f.phone, email: f.email }))) return skip('no_consent');
        const s = reactivationSettingsOf(f.settings);
        const coupon = s.discountPercent > 0
          ? await issueCoupon(tx, {
            clinicId: input.clinicId, origin: 'reactivation', patientId: t.patientId, now,
            rule: { discount: { percent: s.discountPercent }, validityDays: s.couponValidityDays, minChargeCents: 0 },
          })
          : null;
        const last = await lastVisitOf(tx, input.clinicId, t.patientId);
        const photo = deps.photos && last ? await deps.photos.pick(input.clinicId, last.procedureId) : null;
        const followUpAt = new Date(now.getTime() + s.followUpDays * DAY);
        const windowEndsAt = new Date(now.getTime() + s.windowDays * DAY);
        await tx.update(reactivationTargets).set({
          status: 'enviada', sentAt: now, followUpAt, windowEndsAt, couponId: coupon?.id ?? null, photoId: photo?.photoId ?? null,
        }).where(eq(reactivationTargets.id, t.id));
        return { action: 'send', sentAt: now.toISOString(), followUpAt: followUpAt.toISOString(), windowEndsAt: windowEndsAt.toISOString() };
      });
    },

    /** The saudade message, its follow-up, or the answer to "não tenho interesse", on her marketing channel. */
    async sendReactivationMessage(input: { clinicId: string; targetId: string; kind: 'saudade' | 'follow_up' | 'not_interested' }): Promise<{ status: SendStatus | 'skipped_no_contact' | 'skipped_closed' | 'skipped_answered' | 'skipped_gone' }> {
      const prepared = await withClinic(deps.db, input.clinicId, async (tx) => {
        const f = await targetFacts(tx, input.targetId);
        if (!f || !f.target.sentAt) return null;
        if (f.deletedAt) return 'gone' as const; // erased since the sweep: nothing more goes to her
        const [coupon] = f.target.couponId ? await tx.select().from(coupons).where(eq(coupons.id, f.target.couponId)) : [];
        const target = await marketingChannel(tx, input.clinicId, { id: f.target.patientId, whatsapp: f.whatsapp, phone: f.phone, email: f.email });
        const last = await lastVisitOf(tx, input.clinicId, f.target.patientId);
        // She wrote back since the message (a question Anna or the staff answer): no nudge on top of it.
        // Without a consented channel any more (SAIR), the sender records the skip instead.
        const [answered] = input.kind === 'follow_up' && target
          ? await tx.select({ id: inboundMessages.id }).from(inboundMessages)
            .where(and(eq(inboundMessages.clinicId, input.clinicId), eq(inboundMessages.patientId, f.target.patientId), gte(inboundMessages.receivedAt, f.target.sentAt))).limit(1)
          : [];
        return { f, coupon, target, last, answered: !!answered };
      });
      if (!prepared) return { status: 'skipped_closed' };
      if (prepared === 'gone') return { status: 'skipped_gone' };
      if (prepared.answered) return { status: 'skipped_answered' };
      const { f, coupon, target, last } = prepared;
      const channel = target?.channel ?? 'whatsapp';
      const to = target?.to ?? f.whatsapp ?? f.phone ?? f.email;
      if (!to) return { status: 'skipped_no_contact' };
      const token = signPatientLink(deps.links.secret, 'booking', f.target.id, f.target.windowEndsAt.getTime());
      const bookingUrl = patientLinkUrl(deps.links.webBaseUrl, 'booking', token);
      const couponFacts = coupon && !coupon.redeemedAt && !coupon.revokedAt
        ? {
          code: coupon.code, discount: coupon.percentOff != null ? { percent: coupon.percentOff } : { cents: coupon.amountOffCents! },
          validUntil: localDate(new Date(coupon.validUntil.getTime() - 1), f.timeZone),
        }
        : null;
      const sentAt = f.target.sentAt!;
      const body = input.kind === 'saudade'
        ? saudadeMessage({
          patientName: f.patientName, patientGender: f.patientGender as 'F' | 'M' | 'Outro' | null, clinicName: f.clinicName,
          lastProcedure: last?.procedure ?? null, lastProfessional: last?.professional ?? null,
          daysSinceLastVisit: last ? Math.max(0, Math.floor((sentAt.getTime() - last.startsAt.getTime()) / DAY)) : 0,
          coupon: couponFacts, bookingUrl,
        })
        : input.kind === 'follow_up' ? saudadeFollowUp({ patientName: f.patientName, coupon: couponFacts, bookingUrl }) : notInterestedAck();
      const mediaUrl = input.kind === 'saudade' && f.target.photoId && deps.photos && channel !== 'email' ? await deps.photos.url(input.clinicId, f.target.photoId) : null;
      const result = await deps.sender.send({
        clinicId: input.clinicId, patientId: f.target.patientId, channel, to, purpose: input.kind === 'not_interested' ? 'transactional' : 'marketing', body,
        ...(channel === 'email' ? { subject: `${f.clinicName}: estamos com saudade de você` } : {}),
        templateKey: input.kind === 'saudade' ? 'reactivation' : input.kind === 'follow_up' ? 'reactivation_follow_up' : 'reactivation_ack',
        ...(mediaUrl ? { mediaUrl } : {}),
        idempotencyKey: `reactivation:${input.targetId}:${input.kind}`,
      });
      return { status: result.status };
    },

    /** A booking by her since the message, through any path (the link, the dashboard, Anna), within the window. */
    async findReactivationReturn(input: { clinicId: string; targetId: string }): Promise<{ appointmentId: string } | null> {
      return withClinic(deps.db, input.clinicId, async (tx) => {
        const f = await targetFacts(tx, input.targetId);
        if (!f?.target.sentAt) return null;
        if (f.target.returnedAppointmentId) return { appointmentId: f.target.returnedAppointmentId };
        const back = await returnWithin(tx, input.clinicId, f.target.patientId, f.target.sentAt, f.target.windowEndsAt);
        return back ? { appointmentId: back.id } : null;
      });
    },

    /** The outcome, once: voltou / nao_voltou (training examples), sem_interesse (a nao_voltou that lowers future contact). */
    /** `reason`: 'opt_out' (SAIR), 'gone' (the patient was erased mid-journey: closed as nao_voltou, no more messages). */
    async finishReactivation(input: { clinicId: string; targetId: string; outcome: Exclude<ReactivationOutcome, 'nao_enviada'>; appointmentId?: string; at?: string; reason?: 'opt_out' | 'gone' }) {
      const now = input.at ? new Date(input.at) : clock();
      return withClinic(deps.db, input.clinicId, async (tx) => {
        const [row] = await tx.update(reactivationTargets).set({
          status: input.outcome === 'sem_interesse' ? 'sem_interesse' : 'encerrada',
          outcome: input.outcome === 'voltou' ? 'voltou' : 'nao_voltou', outcomeAt: now,
          ...(input.reason ? { skipReason: input.reason } : input.outcome === 'sem_interesse' ? { skipReason: 'sem_interesse' } : {}),
          ...(input.appointmentId ? { returnedAppointmentId: input.appointmentId } : {}),
        }).where(and(eq(reactivationTargets.id, input.targetId), isNull(reactivationTargets.outcome))).returning({ id: reactivationTargets.id });
        return { recorded: !!row };
      });
    },
  };
}

export type ReactivationActivities = ReturnType<typeof createReactivationActivities>;
