// Who is drifting away, and what she is worth (issue #12): each patient's churn risk, P(alive), expected
// visits and 12-month lifetime value, with the reasons, written to patient_scores — what the at-risk list
// and the daily reactivation sweep read (the sweep calls scoreClinic first) — and the weekly refit of the
// clinic's churn learner on its campaigns' outcomes (trainChurnModel → churn_models).
//
// History, in the clinic's local days: a visit is a day with a realised appointment (two on one day count
// once); frequency = visit days − 1, recency = last − first visit day, T = today − first visit day.
// Spend is approved payments net of refunds (amount − refunded), placed on the day of their appointment
// (else the day they were processed); the monetary value for Gamma–Gamma is the spend after the first
// visit day per repeat visit. BG/NBD and Gamma–Gamma are fitted on the clinic's own patients; when BG/NBD
// cannot be fitted or ends at (or heads to) the edge of the search (too little history) every patient is scored by
// the fallback of domain/patient-score.ts, and when Gamma–Gamma cannot, the value per visit is her
// average ticket shrunk towards the clinic's. A patient who never came is always scored by the fallback
// (from the days since her registration), with lastVisitAt null. With a trained model (the clinic's
// latest churn_models version) the risk is blended with its prediction and the factors are its top 3;
// without one (or when the latest ranked its held-out fold no better than chance) they are the fallback's
// reasons in words.
//
// All set-based: one query reads every patient's facts, the models run in memory (visit expectations
// cached per (frequency, T)), and the scores are upserted in batches of 5,000 rows from one JSON
// parameter each. Idempotent: the same data and `now` give the same rows.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import {
  auc, blendChurnRisk, calibration, churnRiskFromAlive, expectedAverageValue, fitBgNbd, fitGammaGamma, fitLogistic, holdoutSplit,
  parametersAtBound, predictLogistic, topFactors, type BgNbdParams, type GammaGammaParams, type LogisticModel,
} from '../../domain/lifetime';
import {
  SCORE_FEATURE_NAMES, daysInactive, explainScore, heuristicAlive, heuristicClv, heuristicExpectedVisits, leadInterval, median, modelFactors,
  scoreAlive, scoreFeatures, shrunkTicket, usualInterval, visitsIfAlive, type PatientFacts, type ScoreFactor,
} from '../../domain/patient-score';

const BATCH = 5_000;
/**
 * A fitted parameter beyond e^±9.2 (10⁴ or 10⁻⁴; in days, a plausible α is tens to hundreds, r and b
 * near 1) means the likelihood is running off towards a limit model, as at parametersAtBound: fallback.
 */
const DEGENERATE_LOG_PARAM = 9.2;
const INT_MAX = 2_147_483_647;
/** Fewer outcomes than this and no model is trained (the held-out fold would be a handful). */
export const MIN_TRAINING_EXAMPLES = 30;
export const TRAINING_HOLDOUT_SHARE = 0.2;
/** Below this held-out AUC a trained version is not used for scoring (see latestModel). */
export const MIN_MODEL_AUC = 0.55;

export interface ScoreClinicResult {
  scored: number;
  /** The churn_models version blended in (null: BG/NBD or the fallback alone). */
  modelVersion: number | null;
  method: 'bg_nbd' | 'heuristic';
  /** The fitted models (null with the fallback); gammaGamma null when spend used the fallback. */
  params: { bgNbd: BgNbdParams; gammaGamma: GammaGammaParams | null } | null;
  /** Why the fallback was used: no_history, fit_failed:…, at_bound:<parameters>, degenerate:<parameters>; null with BG/NBD. */
  fallbackReason: string | null;
  /** The clinic's usual interval between visits (days), used for patients with fewer than two visit days. */
  clinicIntervalDays: number | null;
  ms: number;
  /** Where the time went: reading the facts, fitting, scoring in memory, writing patient_scores. */
  phases: { readMs: number; fitMs: number; scoreMs: number; writeMs: number };
}

interface FactRow {
  patient_id: string;
  visit_days: number | null;
  t_days: number | null;
  recency_days: number | null;
  since_last: number | null;
  since_registered: number;
  last_visit_at: Date | string | null;
  own_interval: number | null;
  total_spend: number | null;
  repeat_spend: number | null;
  nps_score: number | null;
  nps_class: string | null;
  comment_sentiment: string | null;
  no_shows: number | null;
  cancellations: number | null;
  replied: boolean | null;
  contacts: number | null;
  returned: boolean | null;
}

interface StoredModel { version: number; model: { names: string[]; weights: number[]; bias: number; featureMeans: number[]; featureScales: number[] } }

/** Every non-deleted patient's facts as of `now`, in one statement. */
async function readFacts(db: Db, clinicId: string, now: Date): Promise<FactRow[]> {
  const at = now.toISOString();
  const rows = await db.execute(sql`
    with params as (
      select c.timezone as tz, (${at}::timestamptz at time zone c.timezone)::date as today from clinics c where c.id = ${clinicId}::uuid
    ),
    days as (
      select a.patient_id, (a.starts_at at time zone p.tz)::date as d, max(a.starts_at) as at
      from appointments a cross join params p
      where a.clinic_id = ${clinicId}::uuid and a.status = 'realizado' and a.starts_at <= ${at}::timestamptz
      group by 1, 2
    ),
    gaps as (
      select patient_id, d, at, d - lag(d) over (partition by patient_id order by d) as gap from days
    ),
    visits as (
      select patient_id, min(d) as first_day, max(d) as last_day, max(at) as last_at, count(*)::int as n,
             (percentile_cont(0.5) within group (order by gap) filter (where gap is not null))::float8 as own_interval
      from gaps group by 1
    ),
    spend as (
      select pay.patient_id,
             sum(pay.amount_cents - pay.refunded_cents)::float8 as total,
             (sum(pay.amount_cents - pay.refunded_cents) filter (
               where coalesce((a.starts_at at time zone p.tz)::date, (coalesce(pay.processed_at, pay.created_at) at time zone p.tz)::date) > v.first_day
             ))::float8 as repeat_total
      from payments pay cross join params p
      left join appointments a on a.clinic_id = pay.clinic_id and a.id = pay.appointment_id
      left join visits v on v.patient_id = pay.patient_id
      where pay.clinic_id = ${clinicId}::uuid and pay.status in ('aprovado', 'reembolsado') and coalesce(pay.processed_at, pay.created_at) <= ${at}::timestamptz
      group by 1
    ),
    statuses as (
      select patient_id, count(*) filter (where status = 'no_show')::int as no_shows, count(*) filter (where status = 'cancelado')::int as cancellations
      from appointments
      where clinic_id = ${clinicId}::uuid and status in ('no_show', 'cancelado') and starts_at <= ${at}::timestamptz
      group by 1
    ),
    last_nps as (
      select distinct on (patient_id) patient_id, score, nps_class
      from nps_surveys
      where clinic_id = ${clinicId}::uuid and answered and score is not null and coalesce(answered_at, created_at) <= ${at}::timestamptz
      order by patient_id, coalesce(answered_at, created_at) desc, id
    ),
    last_comment as (
      select distinct on (patient_id) patient_id, sentiment_label
      from nps_surveys
      where clinic_id = ${clinicId}::uuid and comment is not null and sentiment_label is not null
        and coalesce(comment_at, answered_at, created_at) <= ${at}::timestamptz
      order by patient_id, coalesce(comment_at, answered_at, created_at) desc, id
    ),
    last_out as (
      select patient_id, max(coalesce(sent_at, created_at)) as at
      from message_outbox
      where clinic_id = ${clinicId}::uuid and patient_id is not null and status in ('sent', 'delivered', 'read')
        and coalesce(sent_at, created_at) <= ${at}::timestamptz
      group by 1
    ),
    replies as (
      select o.patient_id, exists (
        select 1 from inbound_messages i
        where i.clinic_id = ${clinicId}::uuid and i.patient_id = o.patient_id and i.received_at > o.at and i.received_at <= ${at}::timestamptz
      ) as replied
      from last_out o
    ),
    reactivations as (
      select patient_id, count(*) filter (where arm = 'contacted')::int as contacts, coalesce(bool_or(arm = 'contacted' and outcome = 'voltou'), false) as returned
      from reactivation_targets
      where clinic_id = ${clinicId}::uuid and created_at <= ${at}::timestamptz
      group by 1
    )
    select pt.id as patient_id,
           v.n as visit_days, (p.today - v.first_day)::int as t_days, (v.last_day - v.first_day)::int as recency_days,
           (p.today - v.last_day)::int as since_last, greatest(0, p.today - (pt.created_at at time zone p.tz)::date)::int as since_registered,
           v.last_at as last_visit_at, v.own_interval,
           s.total as total_spend, s.repeat_total as repeat_spend,
           n.score as nps_score, n.nps_class, lc.sentiment_label as comment_sentiment,
           st.no_shows, st.cancellations, r.replied, ra.contacts, ra.returned
    from patients pt
    cross join params p
    left join visits v on v.patient_id = pt.id
    left join spend s on s.patient_id = pt.id
    left join statuses st on st.patient_id = pt.id
    left join last_nps n on n.patient_id = pt.id
    left join last_comment lc on lc.patient_id = pt.id
    left join replies r on r.patient_id = pt.id
    left join reactivations ra on ra.patient_id = pt.id
    where pt.clinic_id = ${clinicId}::uuid and pt.deleted_at is null
    order by pt.id
  `);
  return rows as unknown as FactRow[];
}

/**
 * The version the scores use: the latest whose held-out AUC is at least MIN_MODEL_AUC (or unknown: a
 * fold of one class). A version that ranked its held-out outcomes no better than chance is kept and
 * shown, but blending it in would only add noise to the risk.
 */
async function latestModel(db: Db, clinicId: string): Promise<StoredModel | null> {
  const rows = (await db.execute(sql`
    select version, model from churn_models
    where clinic_id = ${clinicId}::uuid and (auc is null or auc >= ${MIN_MODEL_AUC})
    order by version desc limit 1
  `)) as unknown as StoredModel[];
  return rows[0] ?? null;
}

function factsOf(r: FactRow): PatientFacts {
  const visitDays = r.visit_days ?? 0;
  return {
    visitDays,
    frequency: Math.max(0, visitDays - 1),
    recency: visitDays ? (r.recency_days ?? 0) : 0,
    T: visitDays ? (r.t_days ?? 0) : 0,
    daysSinceLastVisit: visitDays ? (r.since_last ?? 0) : null,
    daysSinceRegistered: r.since_registered ?? 0,
    ownIntervalDays: r.own_interval ?? null,
    lastNpsScore: r.nps_score ?? null,
    lastNpsDetractor: r.nps_class === 'detractor',
    lastCommentNegative: r.comment_sentiment === 'negativo',
    noShows: r.no_shows ?? 0,
    cancellations: r.cancellations ?? 0,
    repliedLastMessage: r.replied ?? null,
    reactivationContacts: r.contacts ?? 0,
    returnedAfterReactivation: r.returned ?? false,
  };
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 1);
const finite = (x: number, fallback = 0) => (Number.isFinite(x) ? x : fallback);
const centsInt = (x: number) => Math.min(INT_MAX, Math.max(0, Math.round(finite(x))));

/** The model's features in its own `names` order (a name it has that the score lacks gets its mean: no effect). */
function modelVector(model: StoredModel['model'], features: readonly number[]): number[] {
  return model.names.map((name, j) => {
    const i = SCORE_FEATURE_NAMES.indexOf(name);
    return i >= 0 ? features[i] : model.featureMeans[j];
  });
}

function usableModel(m: StoredModel | null): (StoredModel & { learner: LogisticModel }) | null {
  if (!m?.model || !Array.isArray(m.model.names) || !Array.isArray(m.model.weights)) return null;
  const { names, weights, bias, featureMeans, featureScales } = m.model;
  if (weights.length !== names.length || featureMeans?.length !== names.length || featureScales?.length !== names.length || !Number.isFinite(bias)) return null;
  return { ...m, learner: { weights, bias, featureMeans, featureScales } };
}

/** BG/NBD for the clinic, or why not. */
function fitClinic(customers: { frequency: number; recency: number; T: number }[]): { bg: BgNbdParams | null; reason: string | null } {
  if (!customers.some((c) => c.frequency > 0)) return { bg: null, reason: 'no_history' };
  try {
    const fit = fitBgNbd(customers);
    const bound = parametersAtBound(fit);
    if (bound.length) return { bg: null, reason: `at_bound:${bound.join(',')}` };
    // Short of the edge but heading there (e.g. b ≈ 10⁵: "nobody leaves", every P(alive) ≈ 1): the same verdict.
    const degenerate = (['r', 'alpha', 'a', 'b'] as const).filter((k) => Math.abs(Math.log(fit[k])) > DEGENERATE_LOG_PARAM);
    if (degenerate.length) return { bg: null, reason: `degenerate:${degenerate.join(',')}` };
    return { bg: { r: fit.r, alpha: fit.alpha, a: fit.a, b: fit.b }, reason: null };
  } catch (err) {
    return { bg: null, reason: `fit_failed:${err instanceof Error ? err.message : String(err)}` };
  }
}

function fitSpend(customers: { frequency: number; monetaryValue: number }[]): GammaGammaParams | null {
  const paying = customers.filter((c) => c.frequency > 0 && c.monetaryValue > 0);
  if (paying.length < 2) return null;
  try {
    const fit = fitGammaGamma(paying);
    if (parametersAtBound(fit).length) return null;
    return { p: fit.p, q: fit.q, gamma: fit.gamma };
  } catch {
    return null;
  }
}

interface ScoreRow {
  patient_id: string;
  risk: number;
  p_alive: number;
  expected_visits: number;
  clv_cents: number;
  average_ticket_cents: number;
  last_visit_at: string | null;
  days_since_last_visit: number | null;
  model_version: number | null;
  factors: ScoreFactor[];
  features: number[];
}

/**
 * Scores every non-deleted patient of the clinic as of `now` and upserts patient_scores (see the
 * header); the scores of patients deleted since are removed. Never throws for thin or odd history: a
 * clinic without patients scores 0, one without returns gets the fallback.
 */
export async function scoreClinic(db: Db, clinicId: string, now: Date): Promise<ScoreClinicResult> {
  const started = performance.now();
  const rows = await readFacts(db, clinicId, now);
  const stored = usableModel(await latestModel(db, clinicId));
  const facts = rows.map(factsOf);
  const read = performance.now();

  const visited = facts.filter((f) => f.visitDays > 0);
  const clinicInterval = median(visited.map((f) => f.ownIntervalDays).filter((d): d is number => d !== null && d > 0));
  const { bg, reason } = fitClinic(visited.map((f) => ({ frequency: f.frequency, recency: f.recency, T: f.T })));

  // Spend per visit: Gamma–Gamma on the repeat visits' average, else her ticket shrunk towards the clinic's.
  const tickets = rows.map((r, i) => (facts[i].visitDays > 0 ? Math.max(0, finite(r.total_spend ?? 0)) / facts[i].visitDays : 0));
  const paidTickets = tickets.filter((t, i) => t > 0 && facts[i].visitDays > 0);
  const clinicTicket = paidTickets.length ? paidTickets.reduce((s, t) => s + t, 0) / paidTickets.length : 0;
  const monetary = rows.map((r, i) => (facts[i].frequency > 0 ? Math.max(0, finite(r.repeat_spend ?? 0)) / facts[i].frequency : 0));
  const gg = bg ? fitSpend(facts.map((f, i) => ({ frequency: f.frequency, monetaryValue: monetary[i] }))) : null;
  const fitted = performance.now();

  const cache = new Map<string, { visits: number; discounted: number } | null>();
  const ifAlive = (x: number, T: number) => {
    const key = `${x}:${T}`;
    let v = cache.get(key);
    if (v === undefined) {
      try {
        v = visitsIfAlive(bg!, x, T);
      } catch {
        v = null;
      }
      cache.set(key, v);
    }
    return v;
  };

  const out: ScoreRow[] = rows.map((r, i) => {
    const f = facts[i];
    const u = f.visitDays > 0 ? usualInterval(f.ownIntervalDays, clinicInterval, f.frequency) : leadInterval(clinicInterval);
    const ticket = tickets[i];
    let valuePerVisit = f.visitDays > 0 ? shrunkTicket(ticket, f.visitDays, clinicTicket) : clinicTicket;
    if (gg && f.visitDays > 0) {
      try {
        valuePerVisit = expectedAverageValue(gg, { frequency: f.frequency, monetaryValue: monetary[i] });
      } catch {
        // q ≤ 1 leaves the expectation infinite: keep the shrunk ticket.
      }
    }
    let pAlive: number;
    let expectedVisits: number;
    let clv: number;
    const outlook = bg && f.visitDays > 0 ? ifAlive(f.frequency, f.T) : null;
    if (bg && outlook) {
      pAlive = clamp01(scoreAlive(bg, f));
      expectedVisits = pAlive * outlook.visits;
      clv = pAlive * outlook.discounted * valuePerVisit;
    } else {
      pAlive = heuristicAlive(daysInactive(f), u);
      expectedVisits = heuristicExpectedVisits(pAlive, u);
      clv = heuristicClv(pAlive, u, valuePerVisit);
    }
    expectedVisits = Math.max(0, finite(expectedVisits));
    const features = scoreFeatures(f, pAlive, expectedVisits, u).map((x) => finite(x));
    let risk: number;
    let factors: ScoreFactor[];
    if (stored) {
      const x = modelVector(stored.model, features);
      const learned = clamp01(predictLogistic(stored.learner, x));
      risk = blendChurnRisk({ pAlive, learned });
      factors = modelFactors(topFactors(stored.learner, x, stored.model.names, x.length), f, features, u, 3);
    } else {
      risk = churnRiskFromAlive(pAlive);
      factors = explainScore(f, u, 3);
    }
    const lastVisit = r.last_visit_at ? new Date(r.last_visit_at) : null;
    return {
      patient_id: r.patient_id,
      risk: Math.min(100, Math.max(0, Math.round(risk))),
      p_alive: pAlive,
      expected_visits: expectedVisits,
      clv_cents: centsInt(clv),
      average_ticket_cents: centsInt(ticket),
      last_visit_at: lastVisit ? lastVisit.toISOString() : null,
      days_since_last_visit: f.daysSinceLastVisit,
      model_version: stored?.version ?? null,
      factors,
      features,
    };
  });

  const computed = performance.now();
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`patient-scores:${clinicId}`}, 0))`);
    await tx.execute(sql`
      delete from patient_scores s using patients p
      where s.clinic_id = ${clinicId}::uuid and p.clinic_id = s.clinic_id and p.id = s.patient_id and p.deleted_at is not null
    `);
    for (let i = 0; i < out.length; i += BATCH) {
      const batch = JSON.stringify(out.slice(i, i + BATCH));
      await tx.execute(sql`
        insert into patient_scores (clinic_id, patient_id, risk, p_alive, expected_visits, clv_cents, average_ticket_cents, last_visit_at,
                                    days_since_last_visit, model_version, factors, features, scored_at)
        select ${clinicId}::uuid, r.patient_id, r.risk, r.p_alive, r.expected_visits, r.clv_cents, r.average_ticket_cents, r.last_visit_at,
               r.days_since_last_visit, r.model_version, r.factors, r.features, ${now.toISOString()}::timestamptz
        from jsonb_to_recordset(${batch}::jsonb) as r(
          patient_id uuid, risk int, p_alive float8, expected_visits float8, clv_cents int, average_ticket_cents int, last_visit_at timestamptz,
          days_since_last_visit int, model_version int, factors jsonb, features jsonb)
        on conflict (clinic_id, patient_id) do update set
          risk = excluded.risk, p_alive = excluded.p_alive, expected_visits = excluded.expected_visits, clv_cents = excluded.clv_cents,
          average_ticket_cents = excluded.average_ticket_cents, last_visit_at = excluded.last_visit_at,
          days_since_last_visit = excluded.days_since_last_visit, model_version = excluded.model_version, factors = excluded.factors,
          features = excluded.features, scored_at = excluded.scored_at
      `);
    }
  });

  return {
    scored: out.length,
    modelVersion: stored?.version ?? null,
    method: bg ? 'bg_nbd' : 'heuristic',
    params: bg ? { bgNbd: bg, gammaGamma: gg } : null,
    fallbackReason: reason,
    clinicIntervalDays: clinicInterval,
    ms: Math.round(performance.now() - started),
    phases: {
      readMs: Math.round(read - started), fitMs: Math.round(fitted - read), scoreMs: Math.round(computed - fitted), writeMs: Math.round(performance.now() - computed),
    },
  };
}

export type TrainChurnModelResult =
  | { trained: true; version: number; examples: number; positives: number; heldOut: number; auc: number | null; brier: number | null; ece: number | null }
  | { trained: false; reason: 'too_few_examples' | 'single_class'; message: string; examples: number; positives: number };

/**
 * Refits the clinic's churn learner on its campaigns' outcomes: every reactivation target with an
 * outcome (contacted and control alike), label 1 = nao_voltou, on the features stored when she was
 * targeted. Needs MIN_TRAINING_EXAMPLES with both labels; 20% are held out (seeded by the clinic id, so
 * the same outcomes give the same split) for the AUC, Brier score and calibration table; the learner is
 * fitted on the rest (L2 penalty 10/n, between 0.001 and 1: firm while outcomes are few) and stored as
 * the next churn_models version. Targets whose features are of another
 * shape (an older feature list) are left out.
 */
export async function trainChurnModel(db: Db, clinicId: string, now: Date): Promise<TrainChurnModelResult> {
  const names = SCORE_FEATURE_NAMES;
  const rows = (await db.execute(sql`
    select features, outcome from reactivation_targets
    where clinic_id = ${clinicId}::uuid and outcome is not null and coalesce(outcome_at, window_ends_at) <= ${now.toISOString()}::timestamptz
    order by created_at, patient_id, id
  `)) as unknown as { features: unknown; outcome: string }[];
  const examples = rows
    .filter((r) => Array.isArray(r.features) && r.features.length === names.length && r.features.every((x) => typeof x === 'number' && Number.isFinite(x)))
    .map((r) => ({ features: r.features as number[], label: (r.outcome === 'nao_voltou' ? 1 : 0) as 0 | 1 }));
  const positives = examples.filter((e) => e.label === 1).length;
  if (examples.length < MIN_TRAINING_EXAMPLES) {
    return {
      trained: false, reason: 'too_few_examples', examples: examples.length, positives,
      message: `São necessários pelo menos ${MIN_TRAINING_EXAMPLES} desfechos de campanhas para treinar o modelo; há ${examples.length}.`,
    };
  }
  const split = holdoutSplit(examples.length, `churn-model:${clinicId}`, TRAINING_HOLDOUT_SHARE);
  const train = split.train.map((i) => examples[i]);
  const trainPositives = train.filter((e) => e.label === 1).length;
  if (positives === 0 || positives === examples.length || trainPositives === 0 || trainPositives === train.length) {
    return {
      trained: false, reason: 'single_class', examples: examples.length, positives,
      message: 'Os desfechos são todos iguais (todas voltaram ou nenhuma voltou): ainda não há o que aprender.',
    };
  }
  // Stronger shrinkage while the outcomes are few (a dozen features on a few dozen outcomes would learn noise).
  const learner = fitLogistic(train, { l2: Math.min(1, Math.max(1e-3, 10 / train.length)) });
  const test = split.test.map((i) => examples[i]);
  const scores = test.map((e) => predictLogistic(learner, e.features));
  const labels = test.map((e) => e.label);
  const bothInTest = labels.includes(0) && labels.includes(1);
  const aucValue = bothInTest ? auc(scores, labels) : null;
  const cal = test.length ? calibration(scores, labels, 10) : null;
  const model = { names: [...names], weights: learner.weights, bias: learner.bias, featureMeans: learner.featureMeans, featureScales: learner.featureScales };
  const calibrationJson = cal
    ? {
      bins: cal.bins.filter((b) => b.count > 0).map((b) => ({ low: b.low, high: b.high, count: b.count, meanPredicted: b.meanPredicted ?? 0, observed: b.observedRate ?? 0 })),
      ece: cal.ece,
    }
    : null;

  const version = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`churn-model:${clinicId}`}, 0))`);
    const [{ next }] = (await tx.execute(sql`
      select coalesce(max(version), 0)::int + 1 as next from churn_models where clinic_id = ${clinicId}::uuid
    `)) as unknown as { next: number }[];
    await tx.execute(sql`
      insert into churn_models (clinic_id, version, trained_at, examples, positives, auc, brier, calibration, model)
      values (${clinicId}::uuid, ${next}, ${now.toISOString()}::timestamptz, ${examples.length}, ${positives}, ${aucValue}, ${cal?.brier ?? null},
              ${calibrationJson ? JSON.stringify(calibrationJson) : null}::jsonb, ${JSON.stringify(model)}::jsonb)
    `);
    return next;
  });
  return { trained: true, version, examples: examples.length, positives, heldOut: test.length, auc: aucValue, brier: cal?.brier ?? null, ece: cal?.ece ?? null };
}
