// Clinics for the churn and reactivation tests (and bench/scoring.ts): patients drawn from BG/NBD with
// known parameters (domain/lifetime simulateBgNbd), turned into realised appointments on distinct days
// with an approved payment each, inserted set-based (JSON batches) so 20,000 patients take seconds.
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { simulateBgNbd, simulateGammaGamma, type BgNbdParams, type GammaGammaParams, type SimulatedCustomer } from '../../domain/lifetime';
import { createRandom } from '../../domain/random';
import { addLocalDays, localDate, zonedTimeToUtc } from '../../domain/timezone';

export const TZ = 'America/Sao_Paulo';
const BATCH = 5_000;
const SLOTS_PER_PROFESSIONAL = 20;

export interface SimulatedPatient {
  id: string;
  /** What the simulation says (in whole days): the truth to compare the scores with. */
  truth: SimulatedCustomer;
  frequency: number;
  recency: number;
  T: number;
  visitDays: string[];
}

async function insertJson(db: Db, rows: unknown[], statement: (json: string) => ReturnType<typeof sql>) {
  for (let i = 0; i < rows.length; i += BATCH) await db.execute(statement(JSON.stringify(rows.slice(i, i + BATCH))));
}

/** A clinic with one procedure and no patients (professionals are added as the appointments need them). */
export async function insertClinic(db: Db, name: string): Promise<{ clinicId: string; procedureId: string }> {
  const [c] = (await db.execute(sql`insert into clinics (name, timezone) values (${name}, ${TZ}) returning id`)) as unknown as { id: string }[];
  const [p] = (await db.execute(sql`
    insert into procedures (clinic_id, name, category, duration_minutes, default_price_cents)
    values (${c.id}::uuid, 'Limpeza de pele', 'facial', 30, 18000) returning id
  `)) as unknown as { id: string }[];
  return { clinicId: c.id, procedureId: p.id };
}

export interface VisitPlan {
  /** Local days of the realised visits (any order, duplicates allowed: two visits on one day). */
  days: string[];
  /** Paid per visit, in centavos (0: no payment). */
  cents: number;
  createdDay?: string;
  name?: string;
}

/** A version-4 UUID from the seeded PRNG: the same fixture gets the same ids (and so the same order) every run. */
function seededUuid(rnd: ReturnType<typeof createRandom>): string {
  const b = Array.from({ length: 16 }, () => rnd.int(0, 255));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Inserts patients with realised, paid visits on the given local days; returns their ids in order.
 * With `idSeed` the ids are drawn from it (deterministic order by id), else random.
 */
export async function insertPatientsWithVisits(db: Db, clinic: { clinicId: string; procedureId: string }, plans: VisitPlan[], opts: { idSeed?: string } = {}): Promise<string[]> {
  const { clinicId, procedureId } = clinic;
  const idRandom = opts.idSeed ? createRandom(`${opts.idSeed}:ids`) : null;
  const ids = plans.map(() => (idRandom ? seededUuid(idRandom) : crypto.randomUUID()));
  const patients = plans.map((p, i) => ({
    id: ids[i], name: p.name ?? `Paciente Simulada ${i + 1}`, created_at: zonedTimeToUtc(p.createdDay ?? [...p.days].sort()[0] ?? '2020-01-01', 8 * 60, TZ).toISOString(),
  }));
  await insertJson(db, patients, (json) => sql`
    insert into patients (id, clinic_id, name, created_at)
    select r.id, ${clinicId}::uuid, r.name, r.created_at from jsonb_to_recordset(${json}::jsonb) as r(id uuid, name text, created_at timestamptz)
  `);
  // Appointments: per local day, slot k goes to professional ⌊k / 20⌋ at 08:00 + 30 min × (k mod 20).
  const perDay = new Map<string, number>();
  const appointments: { patient_id: string; starts_at: string; price: number; k: number }[] = [];
  plans.forEach((p, i) => {
    for (const day of p.days) {
      const k = perDay.get(day) ?? 0;
      perDay.set(day, k + 1);
      appointments.push({ patient_id: ids[i], starts_at: zonedTimeToUtc(day, 8 * 60 + 30 * (k % SLOTS_PER_PROFESSIONAL), TZ).toISOString(), price: p.cents, k });
    }
  });
  const needed = Math.max(1, ...[...perDay.values()].map((k) => Math.ceil(k / SLOTS_PER_PROFESSIONAL)));
  const existing = (await db.execute(sql`select id from professionals where clinic_id = ${clinicId}::uuid order by created_at, id`)) as unknown as { id: string }[];
  for (let i = existing.length; i < needed; i++) {
    const [pro] = (await db.execute(sql`insert into professionals (clinic_id, name) values (${clinicId}::uuid, ${`Profissional ${i + 1}`}) returning id`)) as unknown as { id: string }[];
    existing.push(pro);
  }
  const rows = appointments.map((a) => ({ ...a, professional_id: existing[Math.floor(a.k / SLOTS_PER_PROFESSIONAL)].id }));
  await insertJson(db, rows, (json) => sql`
    with a as (
      insert into appointments (clinic_id, patient_id, procedure_id, professional_id, starts_at, duration_minutes, status, price_cents, payment_status, completed_at)
      select ${clinicId}::uuid, r.patient_id, ${procedureId}::uuid, r.professional_id, r.starts_at, 30, 'realizado', r.price,
             case when r.price > 0 then 'pago'::appointment_payment_status else 'pendente'::appointment_payment_status end, r.starts_at
      from jsonb_to_recordset(${json}::jsonb) as r(patient_id uuid, professional_id uuid, starts_at timestamptz, price int)
      returning id, patient_id, starts_at, price_cents
    )
    insert into payments (clinic_id, appointment_id, patient_id, amount_cents, method, status, processed_at, created_at)
    select ${clinicId}::uuid, a.id, a.patient_id, a.price_cents, 'pix', 'aprovado', a.starts_at, a.starts_at from a where a.price_cents > 0
  `);
  return ids;
}

/**
 * `n` patients from BG/NBD(params) in days, observed for up to `maxDays` before `now`, each visit paid
 * per Gamma–Gamma(spend) in centavos (all her visits at her simulated average). Whole days: T is
 * floored, the last visit at round(recency), the other repeat visits on distinct random days between.
 */
export async function insertSimulatedClinic(db: Db, opts: {
  name: string; n: number; params: BgNbdParams; maxDays: number; seed: string; now: Date; spend?: GammaGammaParams;
}): Promise<{ clinicId: string; procedureId: string; patients: SimulatedPatient[] }> {
  const clinic = await insertClinic(db, opts.name);
  const sims = simulateBgNbd(opts.params, opts.n, opts.maxDays, opts.seed);
  const spends = simulateGammaGamma(opts.spend ?? { p: 6, q: 4, gamma: 15_000 * 3 / 6 }, sims.map((s) => ({ frequency: Math.max(1, s.frequency) })), `${opts.seed}:spend`);
  const rnd = createRandom(`${opts.seed}:days`);
  const today = localDate(opts.now, TZ);
  const patients: Omit<SimulatedPatient, 'id'>[] = sims.map((s) => {
    const T = Math.floor(s.T);
    let frequency = Math.min(s.frequency, T);
    let recency = frequency ? Math.min(T, Math.max(frequency, Math.round(s.recency))) : 0;
    if (!frequency) recency = 0;
    const offsets = new Set<number>([0]);
    if (frequency) {
      offsets.add(recency);
      while (offsets.size < frequency + 1) offsets.add(1 + Math.floor(rnd.next() * Math.max(1, recency - 1)));
    }
    frequency = offsets.size - 1;
    const first = addLocalDays(today, -T);
    return { truth: s, frequency, recency, T, visitDays: [...offsets].sort((a, b) => a - b).map((o) => addLocalDays(first, o)) };
  });
  const ids = await insertPatientsWithVisits(db, clinic, patients.map((p, i) => ({
    days: p.visitDays, cents: Math.max(100, Math.round(spends[i].monetaryValue)), name: `Paciente Simulada ${i + 1}`,
  })), { idSeed: opts.seed });
  return { ...clinic, patients: patients.map((p, i) => ({ ...p, id: ids[i] })) };
}

export interface TargetPlan {
  patientId: string;
  arm: 'contacted' | 'control';
  features: number[];
  outcome: 'voltou' | 'nao_voltou' | null;
  revenueCents?: number | null;
  risk?: number;
  seq?: number;
}

/** A campaign of `day` (reactivation_campaigns) with its targets; counts from the plans. Returns the campaign id. */
export async function insertCampaign(db: Db, clinicId: string, day: string, targets: TargetPlan[], opts: { windowDays?: number; holdoutShare?: number; eligible?: number } = {}): Promise<string> {
  const contacted = targets.filter((t) => t.arm === 'contacted').length;
  const [c] = (await db.execute(sql`
    insert into reactivation_campaigns (clinic_id, day, seed, holdout_share, eligible, contacted, control, created_at)
    values (${clinicId}::uuid, ${day}::date, ${`test:${day}`}, ${opts.holdoutShare ?? 0.1}, ${opts.eligible ?? targets.length}, ${contacted}, ${targets.length - contacted},
            ${zonedTimeToUtc(day, 9 * 60, TZ).toISOString()}::timestamptz)
    returning id
  `)) as unknown as { id: string }[];
  const sent = zonedTimeToUtc(day, 10 * 60, TZ);
  const windowEnds = new Date(sent.getTime() + (opts.windowDays ?? 45) * 86_400_000);
  const rows = targets.map((t) => ({
    patient_id: t.patientId, arm: t.arm, seq: t.arm === 'contacted' ? (t.seq ?? 1) : null,
    workflow_id: t.arm === 'contacted' ? `reactivation:${t.patientId}:${t.seq ?? 1}` : null,
    risk: t.risk ?? 80, features: t.features, status: t.arm === 'contacted' ? 'encerrada' : 'controle',
    outcome: t.outcome, revenue: t.outcome === 'voltou' ? (t.revenueCents ?? null) : null,
    outcome_at: t.outcome ? windowEnds.toISOString() : null,
  }));
  await insertJson(db, rows, (json) => sql`
    insert into reactivation_targets (clinic_id, campaign_id, patient_id, arm, seq, workflow_id, risk, p_alive, clv_cents, factors, features, status,
                                      sent_at, window_ends_at, outcome, revenue_cents, outcome_at, created_at)
    select ${clinicId}::uuid, ${c.id}::uuid, r.patient_id, r.arm, r.seq, r.workflow_id, r.risk, 0.2, 50000, '[]'::jsonb, r.features, r.status,
           case when r.arm = 'contacted' then ${sent.toISOString()}::timestamptz end, ${windowEnds.toISOString()}::timestamptz, r.outcome, r.revenue, r.outcome_at,
           ${sent.toISOString()}::timestamptz
    from jsonb_to_recordset(${json}::jsonb) as r(patient_id uuid, arm text, seq int, workflow_id text, risk int, features jsonb, status text, outcome text, revenue int, outcome_at timestamptz)
  `);
  return c.id;
}
