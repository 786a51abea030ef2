// What the Campanhas page reads (issue #12): patients at risk from patient_scores, the campaigns with
// their measured lift, the churn model's versions, one patient's score, and the at-risk CSV. Runs in the
// caller's clinic transaction (row-level security applies).
//
// Campaign arithmetic: the two arms are compared as assigned (intention to treat): "contacted" is every
// patient the holdout put in the contacted arm, including those whose message could not be sent; the
// control arm was never contacted. Return rate = returned / patients of the arm; lift = contacted rate −
// control rate with Newcombe's 95% interval (domain/lifetime liftWithInterval); revenue = the sum of
// revenueCents of the returned, and the extra revenue the lift stands for = lift × contacted × the mean
// revenue of a contacted return (revenueAtLift). While a campaign's window is open the counts are the
// returns so far (`closed` false until every target has its outcome). The total adds up the closed
// campaigns; its lift pools those of them that had a control group.
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { tableToCsv, type ExportTable } from '../exports/table';
import type { ScoreFactor } from '../../db/schema';
import { liftWithInterval, revenueAtLift, type Lift } from '../../domain/lifetime';
import { FEATURE_LABELS } from '../../domain/patient-score';
import { MIN_MODEL_AUC } from './scoring';

export type AtRiskSort = 'risk' | 'clv' | 'inactive';

export interface AtRiskQuery {
  minRisk?: number;
  /** true: only patients with a realised visit; false: only those who never came; absent: both. */
  visited?: boolean;
  q?: string;
  sort?: AtRiskSort;
  limit: number;
  offset: number;
}

export interface AtRiskPatient {
  patientId: string;
  name: string;
  phone: string | null;
  lastVisitAt: string | null;
  daysSinceLastVisit: number | null;
  risk: number;
  pAlive: number;
  expectedVisits: number;
  clvCents: number;
  averageTicketCents: number;
  modelVersion: number | null;
  factors: ScoreFactor[];
  scoredAt: string;
}

const ORDER: Record<AtRiskSort, ReturnType<typeof sql.raw>> = {
  risk: sql.raw('s.risk desc, s.clv_cents desc, s.patient_id'),
  clv: sql.raw('s.clv_cents desc, s.risk desc, s.patient_id'),
  inactive: sql.raw('s.days_since_last_visit desc nulls last, s.risk desc, s.patient_id'),
};

/** LIKE's wildcards taken literally. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

interface AtRiskRow {
  patient_id: string; name: string; phone: string | null; last_visit_at: Date | null; days_since_last_visit: number | null; risk: number; p_alive: number;
  expected_visits: number; clv_cents: number; average_ticket_cents: number; model_version: number | null; factors: ScoreFactor[]; scored_at: Date; total: number;
}

/** Scored, non-deleted patients with risk ≥ minRisk (and the name containing q), sorted, one page, with the total. */
export async function atRiskPatients(tx: Tx, clinicId: string, query: AtRiskQuery): Promise<{ total: number; patients: AtRiskPatient[] }> {
  const q = query.q?.trim() ? `%${likeEscape(query.q.trim())}%` : null;
  const visited = query.visited ?? null;
  const rows = (await tx.execute(sql`
    select s.patient_id, p.name, coalesce(p.whatsapp, p.phone) as phone, s.last_visit_at, s.days_since_last_visit, s.risk, s.p_alive,
           s.expected_visits, s.clv_cents, s.average_ticket_cents, s.model_version, s.factors, s.scored_at, count(*) over ()::int as total
    from patient_scores s
    join patients p on p.clinic_id = s.clinic_id and p.id = s.patient_id and p.deleted_at is null
    where s.clinic_id = ${clinicId}::uuid and s.risk >= ${query.minRisk ?? 0}
      and (${q}::text is null or p.search_name like tigre_unaccent(lower(${q}::text)))
      and (${visited}::boolean is null or (s.last_visit_at is not null) = ${visited}::boolean)
    order by ${ORDER[query.sort ?? 'risk']}
    limit ${query.limit} offset ${query.offset}
  `)) as unknown as AtRiskRow[];
  let total = rows[0]?.total ?? 0;
  if (!rows.length && query.offset > 0) {
    const [c] = (await tx.execute(sql`
      select count(*)::int as n from patient_scores s join patients p on p.clinic_id = s.clinic_id and p.id = s.patient_id and p.deleted_at is null
      where s.clinic_id = ${clinicId}::uuid and s.risk >= ${query.minRisk ?? 0} and (${q}::text is null or p.search_name like tigre_unaccent(lower(${q}::text)))
        and (${visited}::boolean is null or (s.last_visit_at is not null) = ${visited}::boolean)
    `)) as unknown as { n: number }[];
    total = c?.n ?? 0;
  }
  return {
    total,
    patients: rows.map((r) => ({
      patientId: r.patient_id, name: r.name, phone: r.phone, lastVisitAt: r.last_visit_at ? new Date(r.last_visit_at).toISOString() : null,
      daysSinceLastVisit: r.days_since_last_visit, risk: r.risk, pAlive: r.p_alive, expectedVisits: r.expected_visits, clvCents: r.clv_cents,
      averageTicketCents: r.average_ticket_cents, modelVersion: r.model_version, factors: r.factors, scoredAt: new Date(r.scored_at).toISOString(),
    })),
  };
}

/** The at-risk list as an export table (services/exports): CSV or XLSX with the same columns. */
export function atRiskTable(patients: AtRiskPatient[]): ExportTable<AtRiskPatient> {
  return {
    sheet: 'Pacientes em risco',
    rows: [patients],
    columns: [
      { header: 'Paciente', type: 'text', value: (p) => p.name },
      { header: 'Telefone', type: 'phone', value: (p) => p.phone },
      { header: 'Última visita', type: 'day', value: (p) => (p.lastVisitAt ? new Date(p.lastVisitAt) : null) },
      { header: 'Dias sem vir', type: 'integer', value: (p) => p.daysSinceLastVisit },
      { header: 'Risco (0–100)', type: 'integer', value: (p) => p.risk },
      { header: 'Chance de ainda ser paciente (%)', type: 'integer', value: (p) => Math.round(p.pAlive * 100) },
      { header: 'Visitas esperadas em 12 meses', type: 'decimal', value: (p) => Math.round(p.expectedVisits * 10) / 10 },
      { header: 'Valor esperado em 12 meses (R$)', type: 'money', value: (p) => p.clvCents },
      { header: 'Ticket médio (R$)', type: 'money', value: (p) => p.averageTicketCents },
      { header: 'Principais fatores', type: 'text', value: (p) => p.factors.map((f) => f.label).join(' | '), width: 60 },
      { header: 'Versão do modelo', type: 'text', value: (p) => (p.modelVersion === null ? 'base' : `v${p.modelVersion}`) },
    ],
  };
}

export const AT_RISK_CSV_HEADER = atRiskTable([]).columns.map((c) => c.header);

/** The at-risk list as CSV (UTF-8 with BOM, `;`, CRLF), dates in the clinic's zone as dd/mm/aaaa. */
export const atRiskCsv = (patients: AtRiskPatient[], timeZone: string): Promise<string> => tableToCsv(atRiskTable(patients), { timeZone });

export interface ArmSummary {
  n: number;
  returned: number;
  /** Targets still waiting for their outcome. */
  open: number;
  returnRate: number | null;
  revenueCents: number;
}

export interface CampaignSummary {
  id: string;
  day: string;
  holdoutShare: number;
  eligible: number;
  /** Journeys started and patients held out, as the sweep recorded them. */
  contacted: number;
  control: number;
  deferred: number;
  arms: { contacted: ArmSummary; control: ArmSummary };
  lift: Lift;
  /** Extra revenue the lift stands for (with its interval), in centavos. */
  liftRevenue: { cents: number | null; low: number | null; high: number | null };
  windowEndsAt: string | null;
  closed: boolean;
}

export interface CampaignTotals {
  /** Closed campaigns, and those of them with both arms (the lift pools only these). */
  campaigns: number;
  comparable: number;
  /** Summed over every closed campaign. */
  arms: { contacted: ArmSummary; control: ArmSummary };
  /** Summed over the comparable ones: what the lift compares. */
  compared: { contacted: ArmSummary; control: ArmSummary };
  lift: Lift;
  liftRevenue: { cents: number | null; low: number | null; high: number | null };
}

interface CampaignRow {
  id: string; day: string; holdout_share: number; eligible: number; contacted: number; control: number; deferred: number;
  c_n: number; c_returned: number; c_open: number; c_revenue: number; k_n: number; k_returned: number; k_open: number; k_revenue: number;
  window_ends_at: Date | null;
}

const arm = (n: number, returned: number, open: number, revenueCents: number): ArmSummary => ({ n, returned, open, returnRate: n ? returned / n : null, revenueCents });

function measured(contacted: ArmSummary, control: ArmSummary) {
  const lift = liftWithInterval({ contacted: { n: contacted.n, returned: contacted.returned }, control: { n: control.n, returned: control.returned } });
  const perReturn = contacted.returned ? contacted.revenueCents / contacted.returned : 0;
  return { lift, liftRevenue: revenueAtLift(lift, contacted.n, perReturn) };
}

/** Every campaign, newest first (at most `limit`), and the total over the closed ones. */
export async function campaignSummaries(tx: Tx, clinicId: string, limit: number): Promise<{ campaigns: CampaignSummary[]; total: CampaignTotals }> {
  const rows = (await tx.execute(sql`
    select c.id, c.day::text as day, c.holdout_share, c.eligible, c.contacted, c.control, c.deferred,
           count(t.id) filter (where t.arm = 'contacted')::int as c_n,
           count(t.id) filter (where t.arm = 'contacted' and t.outcome = 'voltou')::int as c_returned,
           count(t.id) filter (where t.arm = 'contacted' and t.outcome is null)::int as c_open,
           coalesce(sum(t.revenue_cents) filter (where t.arm = 'contacted' and t.outcome = 'voltou'), 0)::float8 as c_revenue,
           count(t.id) filter (where t.arm = 'control')::int as k_n,
           count(t.id) filter (where t.arm = 'control' and t.outcome = 'voltou')::int as k_returned,
           count(t.id) filter (where t.arm = 'control' and t.outcome is null)::int as k_open,
           coalesce(sum(t.revenue_cents) filter (where t.arm = 'control' and t.outcome = 'voltou'), 0)::float8 as k_revenue,
           max(t.window_ends_at) as window_ends_at
    from reactivation_campaigns c
    left join reactivation_targets t on t.clinic_id = c.clinic_id and t.campaign_id = c.id
    where c.clinic_id = ${clinicId}::uuid
    group by c.id
    order by c.day desc
  `)) as unknown as CampaignRow[];
  const campaigns = rows.map((r): CampaignSummary => {
    const contacted = arm(r.c_n, r.c_returned, r.c_open, r.c_revenue);
    const control = arm(r.k_n, r.k_returned, r.k_open, r.k_revenue);
    const windowEndsAt = r.window_ends_at ? new Date(r.window_ends_at) : null;
    return {
      id: r.id, day: r.day, holdoutShare: r.holdout_share, eligible: r.eligible, contacted: r.contacted, control: r.control, deferred: r.deferred,
      arms: { contacted, control }, ...measured(contacted, control),
      windowEndsAt: windowEndsAt?.toISOString() ?? null,
      closed: r.c_open + r.k_open === 0 && r.c_n + r.k_n > 0,
    };
  });
  const closed = campaigns.filter((c) => c.closed);
  // The lift pools the closed campaigns that had a control group: a campaign without one adds contacted
  // patients of another period with nothing to compare them with.
  const comparable = closed.filter((c) => c.arms.contacted.n > 0 && c.arms.control.n > 0);
  const sum = (list: CampaignSummary[], k: 'contacted' | 'control') => arm(
    list.reduce((s, c) => s + c.arms[k].n, 0), list.reduce((s, c) => s + c.arms[k].returned, 0), 0, list.reduce((s, c) => s + c.arms[k].revenueCents, 0),
  );
  const contacted = sum(closed, 'contacted');
  const control = sum(closed, 'control');
  return {
    campaigns: campaigns.slice(0, limit),
    total: {
      campaigns: closed.length, comparable: comparable.length, arms: { contacted, control },
      compared: { contacted: sum(comparable, 'contacted'), control: sum(comparable, 'control') },
      ...measured(sum(comparable, 'contacted'), sum(comparable, 'control')),
    },
  };
}

export interface ModelVersion {
  version: number;
  trainedAt: string;
  examples: number;
  positives: number;
  auc: number | null;
  brier: number | null;
  calibration: { bins: { low: number; high: number; count: number; meanPredicted: number; observed: number }[]; ece: number } | null;
  /** The learner's weights on standardised features, largest first, with what each feature is. */
  weights: { name: string; label: string; weight: number }[];
  /** The version the scores use now (the latest with a held-out AUC ≥ MIN_MODEL_AUC or unknown). */
  inUse: boolean;
  /** Kept but not used: its held-out AUC is below MIN_MODEL_AUC. */
  belowMinimum: boolean;
}

export async function modelVersions(tx: Tx, clinicId: string, limit = 20): Promise<ModelVersion[]> {
  const rows = (await tx.execute(sql`
    select version, trained_at, examples, positives, auc, brier, calibration, model from churn_models
    where clinic_id = ${clinicId}::uuid order by version desc limit ${limit}
  `)) as unknown as { version: number; trained_at: Date; examples: number; positives: number; auc: number | null; brier: number | null; calibration: ModelVersion['calibration']; model: { names: string[]; weights: number[] } }[];
  const usable = (auc: number | null) => auc === null || auc >= MIN_MODEL_AUC;
  const inUse = rows.find((r) => usable(r.auc))?.version ?? null;
  return rows.map((r) => ({
    version: r.version, trainedAt: new Date(r.trained_at).toISOString(), examples: r.examples, positives: r.positives, auc: r.auc, brier: r.brier,
    calibration: r.calibration,
    weights: (r.model?.names ?? []).map((name, i) => ({ name, label: FEATURE_LABELS[name] ?? name, weight: r.model.weights[i] ?? 0 }))
      .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)),
    inUse: r.version === inUse,
    belowMinimum: !usable(r.auc),
  }));
}

export interface PatientScore {
  risk: number;
  pAlive: number;
  expectedVisits: number;
  clvCents: number;
  averageTicketCents: number;
  lastVisitAt: string | null;
  daysSinceLastVisit: number | null;
  modelVersion: number | null;
  factors: ScoreFactor[];
  scoredAt: string;
}

/** The patient's score, or null when she has not been scored yet (the caller checks she is the clinic's). */
export async function patientScore(tx: Tx, clinicId: string, patientId: string): Promise<PatientScore | null> {
  const [r] = (await tx.execute(sql`
    select risk, p_alive, expected_visits, clv_cents, average_ticket_cents, last_visit_at, days_since_last_visit, model_version, factors, scored_at
    from patient_scores where clinic_id = ${clinicId}::uuid and patient_id = ${patientId}::uuid
  `)) as unknown as Omit<AtRiskRow, 'patient_id' | 'name' | 'phone' | 'total'>[];
  if (!r) return null;
  return {
    risk: r.risk, pAlive: r.p_alive, expectedVisits: r.expected_visits, clvCents: r.clv_cents, averageTicketCents: r.average_ticket_cents,
    lastVisitAt: r.last_visit_at ? new Date(r.last_visit_at).toISOString() : null, daysSinceLastVisit: r.days_since_last_visit, modelVersion: r.model_version,
    factors: r.factors, scoredAt: new Date(r.scored_at).toISOString(),
  };
}
