// The demo clinic's reactivation history (`npm start`, after db/seed): a few past campaigns replayed on
// the seeded appointments so the Campanhas page has something true to show, then the churn model
// trained on their outcomes and today's scores.
//
// For each campaign day (45 to 105 days ago) the patients are scored as of that morning (scoreClinic
// with that instant, so the features are what the learner would have seen then), the inactive ones
// (60+ days without a visit, risk ≥ 50, each patient at most once) are split by the holdout of
// domain/lifetime (assignHoldout, 20% control, seeded per day), and the outcome is what the seeded
// history says: "voltou" when she booked an appointment within the 45-day window (any path) that was not
// cancelled, with its net payment as revenue once realised; "nao_voltou" otherwise. Nobody was messaged:
// the demo's arms differ only by chance, so its lift is near zero with a wide interval — which is what
// an honest measurement of no effect looks like. Idempotent: a clinic that has campaigns keeps them.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { assignHoldout } from '../../domain/lifetime';
import { addLocalDays, localDate, zonedTimeToUtc } from '../../domain/timezone';
import { scoreClinic, trainChurnModel, type ScoreClinicResult, type TrainChurnModelResult } from './scoring';

const CAMPAIGN_DAYS_BACK = [120, 105, 90, 75, 60, 45];
const WINDOW_DAYS = 45;
const INACTIVE_DAYS = 45;
const MIN_RISK = 50;
const DAILY_LIMIT = 40;
const HOLDOUT_SHARE = 0.2;

export interface DemoReactivation {
  campaigns: number;
  targets: number;
  training: TrainChurnModelResult | null;
  scoring: ScoreClinicResult;
}

export async function prepareDemoReactivation(db: Db, clinicId: string, now: Date): Promise<DemoReactivation> {
  const [clinic] = (await db.execute(sql`
    select c.timezone, (select count(*)::int from reactivation_campaigns r where r.clinic_id = c.id) as campaigns from clinics c where c.id = ${clinicId}::uuid
  `)) as unknown as { timezone: string; campaigns: number }[];
  if (!clinic) throw new Error(`prepareDemoReactivation: no clinic ${clinicId}`);
  let campaigns = 0;
  let targets = 0;
  let training: TrainChurnModelResult | null = null;
  if (clinic.campaigns === 0) {
    const today = localDate(now, clinic.timezone);
    const used = new Set<string>();
    for (const back of CAMPAIGN_DAYS_BACK) {
      const day = addLocalDays(today, -back);
      const at = zonedTimeToUtc(day, 9 * 60, clinic.timezone);
      const windowEnds = new Date(at.getTime() + WINDOW_DAYS * 86_400_000);
      await scoreClinic(db, clinicId, at);
      const candidates = (await db.execute(sql`
        select s.patient_id, s.risk, s.p_alive, s.clv_cents, s.model_version, s.factors, s.features, s.days_since_last_visit
        from patient_scores s
        where s.clinic_id = ${clinicId}::uuid and s.days_since_last_visit >= ${INACTIVE_DAYS} and s.risk >= ${MIN_RISK}
          and not exists (
            select 1 from appointments a where a.clinic_id = s.clinic_id and a.patient_id = s.patient_id
              and a.status in ('agendado', 'confirmado') and a.created_at <= ${at.toISOString()}::timestamptz and a.starts_at > ${at.toISOString()}::timestamptz
          )
        order by s.risk desc, s.patient_id
      `)) as unknown as { patient_id: string; risk: number; p_alive: number; clv_cents: number; model_version: number | null; factors: unknown; features: unknown; days_since_last_visit: number }[];
      const eligible = candidates.filter((c) => !used.has(c.patient_id));
      const chosen = eligible.slice(0, DAILY_LIMIT);
      if (!chosen.length) continue;
      const seed = `demo:${clinicId}:${day}`;
      const rows = chosen.map((c) => {
        used.add(c.patient_id);
        const arm = assignHoldout(c.patient_id, seed, HOLDOUT_SHARE);
        return { ...c, arm, seq: arm === 'contacted' ? 1 : null, workflow_id: arm === 'contacted' ? `reactivation:${c.patient_id}:1` : null };
      });
      const contacted = rows.filter((r) => r.arm === 'contacted').length;
      const [campaign] = (await db.execute(sql`
        insert into reactivation_campaigns (clinic_id, day, seed, holdout_share, eligible, contacted, control, deferred, created_at)
        values (${clinicId}::uuid, ${day}::date, ${seed}, ${HOLDOUT_SHARE}, ${eligible.length}, ${contacted}, ${rows.length - contacted},
                ${eligible.length - chosen.length}, ${at.toISOString()}::timestamptz)
        returning id
      `)) as unknown as { id: string }[];
      await db.execute(sql`
        with t as (
          select r.*, (
            select a.id from appointments a
            where a.clinic_id = ${clinicId}::uuid and a.patient_id = r.patient_id and a.status <> 'cancelado'
              and a.created_at >= ${at.toISOString()}::timestamptz and a.created_at < ${windowEnds.toISOString()}::timestamptz
            order by a.created_at, a.id limit 1
          ) as returned_id
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
            patient_id uuid, arm text, seq int, workflow_id text, risk int, p_alive float8, clv_cents int, model_version int, factors jsonb, features jsonb)
        )
        insert into reactivation_targets (clinic_id, campaign_id, patient_id, arm, seq, workflow_id, risk, p_alive, clv_cents, model_version, factors, features,
                                          status, sent_at, window_ends_at, outcome, returned_appointment_id, revenue_cents, outcome_at, created_at, updated_at)
        select ${clinicId}::uuid, ${campaign.id}::uuid, t.patient_id, t.arm, t.seq, t.workflow_id, t.risk, t.p_alive, t.clv_cents, t.model_version, t.factors, t.features,
               case when t.arm = 'contacted' then 'encerrada' else 'controle' end,
               case when t.arm = 'contacted' then ${at.toISOString()}::timestamptz end,
               ${windowEnds.toISOString()}::timestamptz,
               case when t.returned_id is null then 'nao_voltou' else 'voltou' end,
               t.returned_id,
               (select nullif(coalesce(sum(p.amount_cents - p.refunded_cents), 0), 0)::int from payments p join appointments a on a.id = p.appointment_id
                 where p.clinic_id = ${clinicId}::uuid and p.appointment_id = t.returned_id and a.status = 'realizado' and p.status in ('aprovado', 'reembolsado')),
               coalesce((select a.created_at from appointments a where a.id = t.returned_id), ${windowEnds.toISOString()}::timestamptz),
               ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz
        from t
      `);
      campaigns++;
      targets += rows.length;
    }
    training = await trainChurnModel(db, clinicId, now);
  }
  const scoring = await scoreClinic(db, clinicId, now);
  return { campaigns, targets, training, scoring };
}
