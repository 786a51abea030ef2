// The daily reactivation sweep of one clinic (issue #12): who is eligible today (domain/reactivation.ts
// over the patients' latest scores), the randomised holdout (domain/lifetime assignHoldout, seeded by
// clinic and day, so the assignment can be re-derived), the daily limit, and the rows the journeys and
// the lift report read: one reactivation_campaigns row per clinic and local day (a second sweep the
// same day changes nothing and returns the same journeys to start) and one reactivation_targets row per
// patient picked, contacted or control. Windows that closed get their outcome here too (the control
// group's, and any contacted one whose journey could not record it), and returns get their revenue once
// the visit is realised.
import { and, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { clinics, reactivationCampaigns, reactivationTargets } from '../../db/schema';
import { assignHoldout } from '../../domain/lifetime';
import { ineligibility, reactivationSettingsOf, type EligibilityFacts, type Ineligible, type ReactivationSettings } from '../../domain/reactivation';
import { localDate } from '../../domain/timezone';
import { reactivationWorkflowId } from '../../workflows/definitions';

const DAY = 86_400_000;

export interface SweepTarget { targetId: string; patientId: string; workflowId: string }

export interface ClinicSweep {
  day: string;
  campaignId: string;
  eligible: number;
  contacted: number;
  control: number;
  deferred: number;
  /** The contacted targets whose journey may not have started yet (starting them again is a no-op). */
  toStart: SweepTarget[];
  /** Settings that were out of range and fell back to their default. */
  corrected: string[];
  /** Why the others were not picked, counted. */
  skipped: Partial<Record<Ineligible, number>>;
  created: boolean;
}

interface Candidate extends EligibilityFacts {
  patientId: string;
  pAlive: number;
  clvCents: number;
  modelVersion: number | null;
  factors: unknown;
  features: number[];
  lastNotInterested: boolean;
}

/** The patients with a score worth looking at today, with every fact eligibility needs (one query). */
async function candidates(tx: Tx, clinicId: string, now: Date, s: ReactivationSettings): Promise<Candidate[]> {
  const iso = now.toISOString();
  const rows = await tx.execute<{
    patient_id: string; risk: number; p_alive: number; clv_cents: number; model_version: number | null; factors: unknown; features: number[];
    deleted: boolean; days_since_last_visit: number | null; open_appointment: boolean; reachable: boolean; in_after_visit: boolean;
    days_since_last_reactivation: number | null; last_not_interested: boolean;
  }>(sql`
    select s.patient_id, s.risk, s.p_alive, s.clv_cents, s.model_version, s.factors, s.features,
      (p.deleted_at is not null) as deleted,
      (select floor(extract(epoch from (${iso}::timestamptz - max(a.starts_at))) / 86400)::int
         from appointments a where a.clinic_id = s.clinic_id and a.patient_id = s.patient_id and a.status = 'realizado') as days_since_last_visit,
      exists (select 1 from appointments a where a.clinic_id = s.clinic_id and a.patient_id = s.patient_id
                and a.status in ('agendado', 'confirmado') and a.starts_at > ${iso}::timestamptz) as open_appointment,
      exists (select 1 from consents c where c.clinic_id = s.clinic_id and c.patient_id = s.patient_id and c.granted and c.revoked_at is null
                and ((c.channel = 'whatsapp' and coalesce(p.whatsapp, p.phone) is not null) or (c.channel = 'sms' and coalesce(p.phone, p.whatsapp) is not null)
                     or (c.channel = 'email' and p.email is not null))) as reachable,
      (exists (select 1 from nps_surveys n where n.clinic_id = s.clinic_id and n.patient_id = s.patient_id and n.status in ('aguardando', 'enviada'))
        or exists (select 1 from upsell_offers u where u.clinic_id = s.clinic_id and u.patient_id = s.patient_id and u.status in ('aguardando', 'enviada'))
        or exists (select 1 from reactivation_targets r where r.clinic_id = s.clinic_id and r.patient_id = s.patient_id and r.outcome is null)) as in_after_visit,
      (select floor(extract(epoch from (${iso}::timestamptz - max(r.created_at))) / 86400)::int
         from reactivation_targets r where r.clinic_id = s.clinic_id and r.patient_id = s.patient_id) as days_since_last_reactivation,
      coalesce((select r.skip_reason = 'sem_interesse' from reactivation_targets r where r.clinic_id = s.clinic_id and r.patient_id = s.patient_id
         order by r.created_at desc limit 1), false) as last_not_interested
    from patient_scores s join patients p on p.id = s.patient_id and p.clinic_id = s.clinic_id
    where s.clinic_id = ${clinicId}::uuid and s.risk > ${s.minRisk}
      and (s.days_since_last_visit is null or s.days_since_last_visit >= ${s.afterDays})`);
  return [...rows].map((r) => ({
    patientId: r.patient_id, risk: r.risk, pAlive: r.p_alive, clvCents: r.clv_cents, modelVersion: r.model_version, factors: r.factors, features: r.features,
    deleted: r.deleted, daysSinceLastVisit: r.days_since_last_visit, openAppointment: r.open_appointment, marketingReachable: r.reachable,
    inAfterVisitJourney: r.in_after_visit, daysSinceLastReactivation: r.days_since_last_reactivation, lastNotInterested: r.last_not_interested,
  }));
}

/** "Não tenho interesse" last time: three times the cooldown before she is asked again. */
const NOT_INTERESTED_COOLDOWN_FACTOR = 3;

/**
 * Sweeps one clinic for its local day. Run inside the clinic's transaction; the caller starts the
 * journeys of `toStart` after the commit. Idempotent per (clinic, day).
 */
export async function sweepClinic(tx: Tx, clinicId: string, now: Date): Promise<ClinicSweep> {
  const [clinic] = await tx.select({ settings: clinics.settings, timezone: clinics.timezone }).from(clinics).where(eq(clinics.id, clinicId));
  if (!clinic) throw new Error(`clinic ${clinicId} not found`);
  const settings = reactivationSettingsOf(clinic.settings);
  const day = localDate(now, clinic.timezone);
  // One sweep per clinic-day at a time: the second waits here, then finds the campaign.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`reactivation-sweep:${clinicId}:${day}`}))`);
  const [existing] = await tx.select().from(reactivationCampaigns).where(and(eq(reactivationCampaigns.clinicId, clinicId), eq(reactivationCampaigns.day, day)));
  if (existing) {
    const pending = await tx.select({ targetId: reactivationTargets.id, patientId: reactivationTargets.patientId, workflowId: reactivationTargets.workflowId })
      .from(reactivationTargets).where(and(eq(reactivationTargets.campaignId, existing.id), eq(reactivationTargets.arm, 'contacted'), eq(reactivationTargets.status, 'aguardando')));
    return {
      day, campaignId: existing.id, eligible: existing.eligible, contacted: existing.contacted, control: existing.control, deferred: existing.deferred,
      toStart: pending.map((p) => ({ targetId: p.targetId, patientId: p.patientId, workflowId: p.workflowId! })), corrected: settings.corrected, skipped: {}, created: false,
    };
  }

  const skipped: Partial<Record<Ineligible, number>> = {};
  const eligible = (await candidates(tx, clinicId, now, settings)).filter((c) => {
    const cooldownDays = c.lastNotInterested ? settings.cooldownDays * NOT_INTERESTED_COOLDOWN_FACTOR : settings.cooldownDays;
    const why = ineligibility(c, { ...settings, cooldownDays });
    if (why) skipped[why] = (skipped[why] ?? 0) + 1;
    return !why;
  });
  // Most at risk first, then the most valuable: the daily limit keeps the ones it is most worth reaching.
  eligible.sort((a, b) => b.risk - a.risk || b.clvCents - a.clvCents || (a.patientId < b.patientId ? -1 : 1));
  const seed = `${clinicId}:${day}`;
  // The holdout is drawn over the picked ones, before the limit cuts the contacted: both arms come from
  // the same patients, so the comparison holds.
  const share = settings.holdoutShare;
  const take = Math.min(eligible.length, Math.ceil(settings.dailyLimit / Math.max(0.01, 1 - share)));
  const picked = eligible.slice(0, take).map((c) => ({ ...c, arm: share > 0 ? assignHoldout(c.patientId, seed, share) : ('contacted' as const) }));
  let contactedLeft = settings.dailyLimit;
  const rows = picked.filter((c) => c.arm === 'control' || contactedLeft-- > 0);

  const [campaign] = await tx.insert(reactivationCampaigns).values({
    clinicId, day, seed, holdoutShare: share, eligible: eligible.length,
    contacted: rows.filter((r) => r.arm === 'contacted').length, control: rows.filter((r) => r.arm === 'control').length,
    deferred: eligible.length - rows.length, createdAt: now,
  }).returning();

  const contactedIds = rows.filter((r) => r.arm === 'contacted').map((r) => r.patientId);
  const seqs = new Map<string, number>();
  if (contactedIds.length) {
    const prev = await tx.select({ patientId: reactivationTargets.patientId, seq: sql<number>`max(${reactivationTargets.seq})::int` }).from(reactivationTargets)
      .where(and(eq(reactivationTargets.clinicId, clinicId), inArray(reactivationTargets.patientId, contactedIds))).groupBy(reactivationTargets.patientId);
    for (const p of prev) seqs.set(p.patientId, p.seq ?? 0);
  }
  const windowEndsAt = new Date(now.getTime() + settings.windowDays * DAY);
  const values = rows.map((r) => {
    const seq = r.arm === 'contacted' ? (seqs.get(r.patientId) ?? 0) + 1 : null;
    return {
      clinicId, campaignId: campaign!.id, patientId: r.patientId, arm: r.arm, seq, workflowId: seq ? reactivationWorkflowId(r.patientId, seq) : null,
      risk: r.risk, pAlive: r.pAlive, clvCents: r.clvCents, modelVersion: r.modelVersion, factors: r.factors as never, features: r.features,
      status: r.arm === 'contacted' ? 'aguardando' : 'controle', windowEndsAt,
      // The sweep's clock, not the database's: every later comparison (cooldown, window) uses the same one.
      createdAt: now,
    };
  });
  const inserted: SweepTarget[] = [];
  for (let i = 0; i < values.length; i += 500) {
    const batch = await tx.insert(reactivationTargets).values(values.slice(i, i + 500))
      .returning({ targetId: reactivationTargets.id, patientId: reactivationTargets.patientId, workflowId: reactivationTargets.workflowId, arm: reactivationTargets.arm });
    for (const b of batch) if (b.arm === 'contacted') inserted.push({ targetId: b.targetId, patientId: b.patientId, workflowId: b.workflowId! });
  }
  return {
    day, campaignId: campaign!.id, eligible: eligible.length, contacted: campaign!.contacted, control: campaign!.control, deferred: campaign!.deferred,
    toStart: inserted, corrected: settings.corrected, skipped, created: true,
  };
}

/** A booking by the patient within [from, until), through any path, not cancelled: the earliest. */
export async function returnWithin(tx: Tx, clinicId: string, patientId: string, from: Date, until: Date) {
  const rows = await tx.execute<{ id: string; status: string }>(sql`
    select a.id, a.status from appointments a
    where a.clinic_id = ${clinicId}::uuid and a.patient_id = ${patientId}::uuid and a.status <> 'cancelado'
      and a.created_at >= ${from.toISOString()}::timestamptz and a.created_at < ${until.toISOString()}::timestamptz
    order by a.created_at limit 1`);
  return [...rows][0] ?? null;
}

/** What a return brought in: the approved payments (less refunds) of the appointment, once realised. */
async function revenueOf(tx: Tx, appointmentId: string): Promise<number | null> {
  const [r] = [...(await tx.execute<{ realised: boolean; cents: number }>(sql`
    select (a.status = 'realizado') as realised,
      coalesce((select sum(p.amount_cents - p.refunded_cents) from payments p where p.appointment_id = a.id and p.status in ('aprovado', 'reembolsado')), 0)::int as cents
    from appointments a where a.id = ${appointmentId}::uuid`))];
  return r?.realised ? r.cents : null;
}

/**
 * Closes the windows that ended: each target without an outcome gets voltou (a booking within the
 * window) or nao_voltou; and a return whose visit is now realised gets its revenue.
 */
export async function closeWindows(tx: Tx, clinicId: string, now: Date): Promise<{ closed: number; revenue: number }> {
  const due = await tx.select().from(reactivationTargets)
    .where(and(eq(reactivationTargets.clinicId, clinicId), isNull(reactivationTargets.outcome), lte(reactivationTargets.windowEndsAt, now)));
  let closed = 0;
  for (const t of due) {
    // A contacted journey still running records its own outcome (it wakes at the window's end).
    if (t.arm === 'contacted' && (t.status === 'aguardando' || t.status === 'enviada') && now.getTime() - t.windowEndsAt.getTime() < DAY) continue;
    const back = await returnWithin(tx, clinicId, t.patientId, t.sentAt ?? t.createdAt, t.windowEndsAt);
    await tx.update(reactivationTargets).set({
      outcome: back ? 'voltou' : 'nao_voltou', returnedAppointmentId: back?.id ?? null, outcomeAt: now,
      // The control group stays 'controle' and a message never sent stays 'nao_enviada' (the lift counts both as assigned).
      ...(t.status === 'aguardando' || t.status === 'enviada' ? { status: 'encerrada' } : {}),
    }).where(and(eq(reactivationTargets.id, t.id), isNull(reactivationTargets.outcome)));
    closed++;
  }
  const pending = await tx.select({ id: reactivationTargets.id, appointmentId: reactivationTargets.returnedAppointmentId }).from(reactivationTargets)
    .where(and(eq(reactivationTargets.clinicId, clinicId), eq(reactivationTargets.outcome, 'voltou'), isNull(reactivationTargets.revenueCents)));
  let revenue = 0;
  for (const p of pending) {
    if (!p.appointmentId) continue;
    const cents = await revenueOf(tx, p.appointmentId);
    if (cents === null) continue;
    await tx.update(reactivationTargets).set({ revenueCents: cents }).where(eq(reactivationTargets.id, p.id));
    revenue++;
  }
  return { closed, revenue };
}
