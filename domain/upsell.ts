// The upsell recommender (issue #11, brief flow 5 "Upsell Inteligente"): the ONE procedure to offer a
// patient after a good visit, or none, with the numbers behind it and the procedures left out and why.
// Pure: the caller reads the realised appointments and the catalogue and passes `now`.
//
// Statistics (over the clinic's whole realised history up to `now`; calendar days in the clinic's zone):
// - Co-occurrence A→B: of the patients who ever did A, those who also did B (any order, any day).
//     support = n(A∧B) / N    confidence = n(A∧B) / n(A)    lift = confidence / (n(B) / N)
//   N = patients with at least one realised visit; n(X) = patients who did X at least once.
// - Sequence A→B: B was the NEXT different procedure after A — the first later day on which she did
//   something other than A (repeats of A move "her last A" forward; a day with A and B together after
//   an earlier A counts). Support, confidence and lift as above with n(A→B) = patients with that step;
//   medianDays = median, over those patients, of the days from her latest A to that first B.
// - Rhythm: per patient and procedure, the median of the days between her consecutive visits of it
//   (distinct days); a rhythm needs at least MIN_VISITS_FOR_RHYTHM visits.
//
// Score of an eligible candidate C:
//   score(C) = likelihood(C) × margin(C) in reais × priceFit(C)
//   likelihood(C) = max over A in her history (A ≠ C) of confidence(A→C) × lift(A→C) of the sequence;
//                   only when no A gives sequence evidence and she has never done C (for her, "also
//                   did C" would be true already), CO_OCCURRENCE_WEIGHT × the same over the
//                   co-occurrence (reason 'co_occurrence'). A pair is evidence only with at least
//                   `minPatients` (default DEFAULT_MIN_PATIENTS) patients behind it.
//   margin(C)     = price − cost − price × commissionBps / 10000 (applyBps, rounded to the centavo);
//                   cost null → price − commission, and the reason says the cost is missing.
//   priceFit(C)   = min(1, PRICE_STRETCH × ticket / price), ticket = paid / visits (her observed CLV per
//                   visit; the mean price of her history when no payment is known; 1 with neither):
//                   up to twice her usual ticket costs nothing, pricier offers fade, so a high-value
//                   patient may get a pricier suggestion.
//   Ties: higher score (rounded to 1e-6), then higher margin, then the smaller procedure id.
//
// Worked example. N = 50 patients; 20 did Limpeza de pele, 10 Peeling, 10 Botox; after Limpeza, 8 went
// on to Peeling and 6 to Botox. Peeling R$ 380,00, cost R$ 90,00, commission 15%; Botox R$ 1.200,00,
// cost R$ 420,00, commission 15%.
//   Peeling: confidence 8/20 = 0.40, lift 0.40 / (10/50) = 2.0 → likelihood 0.80;
//            margin 38000 − 9000 − 5700 = 23300 (R$ 233,00)
//   Botox:   confidence 6/20 = 0.30, lift 0.30 / (10/50) = 1.5 → likelihood 0.45;
//            margin 120000 − 42000 − 18000 = 60000 (R$ 600,00)
//   She paid R$ 880,00 in 4 visits (ticket R$ 220,00): Peeling fit min(1, 44000/38000) = 1 → 0.80 × 233 =
//   186.4; Botox fit 44000/120000 = 0.3667 → 0.45 × 600 × 0.3667 = 99.0 → Peeling. A patient with a
//   R$ 1.500,00 ticket fits both (1): Botox 270 beats Peeling 186.4 → Botox.
//
// Never recommended (each in `excluded` with the first reason, in this order): an inactive procedure; one
// a min_gap_days rule forbids (she did a procedure of the rule's group fewer than `days` calendar days
// before `now`: "not two injectables within N days", and with a one-procedure group "not again within N
// days"); one a never_together rule pairs with something she did (within `days`, or ever when the rule
// gives no window: the clinic said never); one she does on a rhythm and whose last visit is fewer days ago
// than her median interval; one without a positive margin.
//
// No evidence for any candidate (a new clinic, a new patient, too few patients in common): the 'popular'
// fallback — in her most frequent category (all categories when she has none or it has nothing
// eligible), a procedure she has not done yet first, then the most patients, then margin, then id;
// its score is the share of the clinic's patients who did it.
import { applyBps, formatBrl } from './money';
import { createZone, daysBetween, type Zone } from './timezone';

export type ProcedureCategory = 'facial' | 'corporal' | 'capilar' | 'outra';

export const CATEGORY_LABELS: Readonly<Record<ProcedureCategory, string>> = {
  facial: 'Facial', corporal: 'Corporal', capilar: 'Capilar', outra: 'Outros',
};

/** A pair is evidence only with at least this many patients behind it. */
export const DEFAULT_MIN_PATIENTS = 3;
/** Co-occurrence is weaker evidence than a sequence (it has no order, no timing). */
export const CO_OCCURRENCE_WEIGHT = 0.5;
/** A price up to this multiple of her usual ticket is not penalised. */
export const PRICE_STRETCH = 2;
/** Visits of one procedure (on distinct days) before her repeats count as a rhythm. */
export const MIN_VISITS_FOR_RHYTHM = 2;

/** One realised appointment (status 'realizado') of the patient. */
export interface PatientVisit {
  procedureId: string;
  /** appointments.starts_at, ISO 8601. */
  startsAt: string;
  /** appointments.price_cents: used for her ticket only when no payment is known. */
  priceCents: number;
}

/** One realised appointment of any patient of the clinic (the statistics). */
export interface ClinicVisit {
  patientId: string;
  procedureId: string;
  startsAt: string;
}

/** A procedure of the catalogue as it is today. */
export interface UpsellProcedure {
  id: string;
  name: string;
  category: ProcedureCategory;
  active: boolean;
  /** Today's price (procedure_prices, else default_price_cents). */
  priceCents: number;
  /** procedures.cost_cents: what a session costs the clinic; null when not registered. */
  costCents: number | null;
  /** The commission that applies, in basis points; null → the input's defaultCommissionBps. */
  commissionBps: number | null;
  /** Not scored; carried so the caller can offer a slot. */
  durationMinutes: number;
}

/** Her observed value (CLV): what she paid (approved payments, refunds excluded) and her visits. */
export interface PatientValue {
  paidCents: number;
  visits: number;
}

/** Rules the clinic sets; `days` are calendar days counted back from the day of `now`. */
export type ContraindicationRule =
  | {
      kind: 'min_gap_days';
      /** The group: procedures of these categories and these ids. */
      categories?: readonly ProcedureCategory[];
      procedureIds?: readonly string[];
      /** No procedure of the group if she did one of the group fewer than `days` days ago. */
      days: number;
    }
  | {
      kind: 'never_together';
      a: string;
      b: string;
      /** Fewer than `days` days apart is "together"; absent: ever in her history. */
      days?: number;
    };

export interface UpsellInput {
  /** The clinic's IANA zone (calendar days are counted there). */
  timeZone: string;
  now: Date;
  /** The patient's realised visits (later than `now` are ignored). */
  history: readonly PatientVisit[];
  /** Every realised visit of the clinic (later than `now` are ignored). */
  clinicVisits: readonly ClinicVisit[];
  /** The catalogue; ids are unique. */
  procedures: readonly UpsellProcedure[];
  defaultCommissionBps?: number;
  value: PatientValue;
  rules?: readonly ContraindicationRule[];
  minPatients?: number;
}

export interface PairStat {
  from: string;
  to: string;
  /** Patients behind the pair: n(A∧B) for co-occurrence, n(A→B) for a sequence. */
  patients: number;
  support: number;
  confidence: number;
  lift: number;
}

export interface SequenceStat extends PairStat {
  medianDays: number;
}

export interface PairTable<S extends PairStat> {
  /** N: patients with at least one visit. */
  totalPatients: number;
  /** n(X): patients who did X at least once. */
  patientsWith: ReadonlyMap<string, number>;
  /** from → to → statistic (only pairs seen at least once). */
  pairs: ReadonlyMap<string, ReadonlyMap<string, S>>;
}

export interface Rhythm {
  procedureId: string;
  /** Distinct days she did it. */
  visits: number;
  /** Median days between consecutive visits; null below MIN_VISITS_FOR_RHYTHM. */
  medianDays: number | null;
  lastDate: string;
}

export type UpsellReasonCode = 'sequence' | 'co_occurrence' | 'popular';

export interface UpsellEvidence {
  /** The procedure of her history the statistic starts from (null for 'popular'). */
  fromProcedureId: string | null;
  /** Patients behind the statistic (for 'popular': patients who did the procedure). */
  patients: number;
  totalPatients: number;
  support: number | null;
  confidence: number | null;
  lift: number | null;
  /** Sequence only: median days from A to the procedure. */
  medianDays: number | null;
  likelihood: number | null;
  priceCents: number;
  costCents: number | null;
  costKnown: boolean;
  commissionBps: number;
  commissionCents: number;
  marginCents: number;
  ticketCents: number | null;
  priceFit: number;
  /** 'popular' only: the category it was chosen in (null: all categories). */
  category: ProcedureCategory | null;
}

export interface UpsellReason {
  code: UpsellReasonCode;
  /** pt-BR, for staff. */
  text: string;
  evidence: UpsellEvidence;
}

export interface UpsellRecommendation {
  procedureId: string;
  reason: UpsellReason;
  score: number;
}

export type ExclusionCode = 'inactive' | 'min_gap' | 'never_together' | 'within_rhythm' | 'no_margin';

export interface UpsellExclusion {
  procedureId: string;
  why: ExclusionCode;
  /** pt-BR, for staff. */
  text: string;
}

export interface UpsellResult {
  recommendation: UpsellRecommendation | null;
  /** Every candidate with evidence, best first (the recommendation is the first); [] in the fallback. */
  ranked: UpsellRecommendation[];
  /** Catalogue procedures left out, by procedure id. */
  excluded: UpsellExclusion[];
}

// ---------------------------------------------------------------------------------------------------
// Calendar days and small helpers

interface DatedVisit {
  patientId: string;
  procedureId: string;
  date: string;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Visits with their local calendar day, dropping unparseable ones and those after `nowMs`. */
function dated(visits: readonly { patientId: string; procedureId: string; startsAt: string }[], zone: Zone, nowMs = Infinity): DatedVisit[] {
  const out: DatedVisit[] = [];
  for (const v of visits) {
    const ms = Date.parse(v.startsAt);
    if (!Number.isFinite(ms) || ms > nowMs) continue;
    out.push({ patientId: v.patientId, procedureId: v.procedureId, date: zone.localDate(ms) });
  }
  return out.sort((a, b) => byString(a.patientId, b.patientId) || byString(a.date, b.date) || byString(a.procedureId, b.procedureId));
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}

/** One patient's visits as days in order, each with its distinct procedures (sorted). */
function daysOf(visits: readonly DatedVisit[]): { date: string; procedures: string[] }[] {
  const byDate = groupBy(visits, (v) => v.date);
  return [...byDate.keys()].sort(byString).map((date) => ({
    date,
    procedures: [...new Set(byDate.get(date)!.map((v) => v.procedureId))].sort(byString),
  }));
}

function setPair<S>(pairs: Map<string, Map<string, S>>, from: string, to: string, s: S) {
  let inner = pairs.get(from);
  if (!inner) pairs.set(from, (inner = new Map()));
  inner.set(to, s);
}

function patientsWithOf(visits: readonly DatedVisit[]): { total: number; patientsWith: Map<string, number>; sets: Map<string, Set<string>> } {
  const sets = new Map<string, Set<string>>();
  for (const v of visits) {
    let s = sets.get(v.patientId);
    if (!s) sets.set(v.patientId, (s = new Set()));
    s.add(v.procedureId);
  }
  const patientsWith = new Map<string, number>();
  for (const s of sets.values()) for (const p of s) patientsWith.set(p, (patientsWith.get(p) ?? 0) + 1);
  return { total: sets.size, patientsWith, sets };
}

function pairStat(from: string, to: string, patients: number, total: number, nFrom: number, nTo: number): PairStat {
  return { from, to, patients, support: patients / total, confidence: patients / nFrom, lift: (patients * total) / (nFrom * nTo) };
}

// ---------------------------------------------------------------------------------------------------
// Statistics

function coOccurrenceOf(visits: readonly DatedVisit[]): PairTable<PairStat> {
  const { total, patientsWith, sets } = patientsWithOf(visits);
  const counts = new Map<string, Map<string, number>>();
  for (const s of sets.values()) {
    for (const a of s) for (const b of s) {
      if (a !== b) setPair(counts, a, b, (counts.get(a)?.get(b) ?? 0) + 1);
    }
  }
  const pairs = new Map<string, Map<string, PairStat>>();
  for (const [a, inner] of counts) for (const [b, n] of inner) {
    setPair(pairs, a, b, pairStat(a, b, n, total, patientsWith.get(a)!, patientsWith.get(b)!));
  }
  return { totalPatients: total, patientsWith, pairs };
}

function sequencesOf(visits: readonly DatedVisit[]): PairTable<SequenceStat> {
  const { total, patientsWith } = patientsWithOf(visits);
  /** from → to → one interval per patient (her first such step). */
  const intervals = new Map<string, Map<string, number[]>>();
  for (const own of groupBy(visits, (v) => v.patientId).values()) {
    /** procedure → the day of her latest visit of it whose next different procedure is still to come */
    const open = new Map<string, string>();
    const seen = new Set<string>();
    for (const day of daysOf(own)) {
      for (const [a, since] of [...open]) {
        const next = day.procedures.filter((p) => p !== a);
        if (next.length === 0) continue;
        for (const b of next) {
          const key = `${a}\u0000${b}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const list = intervals.get(a)?.get(b);
          if (list) list.push(daysBetween(since, day.date));
          else setPair(intervals, a, b, [daysBetween(since, day.date)]);
        }
        open.delete(a);
      }
      for (const p of day.procedures) open.set(p, day.date);
    }
  }
  const pairs = new Map<string, Map<string, SequenceStat>>();
  for (const [a, inner] of intervals) for (const [b, days] of inner) {
    const s = pairStat(a, b, days.length, total, patientsWith.get(a)!, patientsWith.get(b)!);
    setPair(pairs, a, b, { ...s, medianDays: median(days)! });
  }
  return { totalPatients: total, patientsWith, pairs };
}

function rhythmsOf(visits: readonly DatedVisit[]): Map<string, Rhythm> {
  const out = new Map<string, Rhythm>();
  for (const [procedureId, list] of groupBy(visits, (v) => v.procedureId)) {
    const dates = [...new Set(list.map((v) => v.date))].sort(byString);
    const gaps = dates.slice(1).map((d, i) => daysBetween(dates[i], d));
    out.set(procedureId, {
      procedureId,
      visits: dates.length,
      medianDays: dates.length >= MIN_VISITS_FOR_RHYTHM ? median(gaps) : null,
      lastDate: dates[dates.length - 1],
    });
  }
  return out;
}

/** Co-occurrence over realised visits (the day does not matter; an unreadable startsAt drops the visit). */
export function coOccurrence(visits: readonly ClinicVisit[]): PairTable<PairStat> {
  return coOccurrenceOf(dated(visits, createZone('UTC')));
}

/** Sequences (next different procedure) over realised visits, days counted in `timeZone`. */
export function sequences(visits: readonly ClinicVisit[], timeZone: string): PairTable<SequenceStat> {
  return sequencesOf(dated(visits, createZone(timeZone)));
}

/** One patient's rhythm per procedure. */
export function rhythms(visits: readonly { procedureId: string; startsAt: string }[], timeZone: string): Map<string, Rhythm> {
  return rhythmsOf(dated(visits.map((v) => ({ patientId: '', procedureId: v.procedureId, startsAt: v.startsAt })), createZone(timeZone)));
}

// ---------------------------------------------------------------------------------------------------
// Money and texts

export interface Margin {
  priceCents: number;
  costCents: number | null;
  commissionBps: number;
  commissionCents: number;
  marginCents: number;
}

const clampBps = (bps: number) => (Number.isFinite(bps) ? Math.min(10000, Math.max(0, Math.round(bps))) : 0);

/** price − cost − commission (cost null: price − commission). */
export function marginOf(p: Pick<UpsellProcedure, 'priceCents' | 'costCents' | 'commissionBps'>, defaultCommissionBps = 0): Margin {
  const price = Number.isFinite(p.priceCents) ? Math.round(p.priceCents) : 0;
  const cost = p.costCents != null && Number.isFinite(p.costCents) ? Math.round(p.costCents) : null;
  const bps = clampBps(p.commissionBps ?? defaultCommissionBps);
  const commission = applyBps(price, bps);
  return { priceCents: price, costCents: cost, commissionBps: bps, commissionCents: commission, marginCents: price - (cost ?? 0) - commission };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const num = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1).replace('.', ','));
const dias = (n: number) => (Number.isFinite(n) ? `${num(n)} ${n === 1 ? 'dia' : 'dias'}` : 'todo o histórico');
const marginText = (m: Margin) => `margem ${formatBrl(m.marginCents)}${m.costCents == null ? ' (custo não cadastrado: preço menos comissão)' : ''}`;

/** A rule's window: malformed (negative, not a number) counts as the whole history, to stay on the safe side. */
const windowOf = (days: number | undefined) => (days != null && Number.isFinite(days) && days >= 0 ? days : Infinity);

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

// ---------------------------------------------------------------------------------------------------
// The recommendation

interface Candidate {
  procedure: UpsellProcedure;
  margin: Margin;
}

export function recommendUpsell(input: UpsellInput): UpsellResult {
  const zone = createZone(input.timeZone);
  const nowMs = input.now.getTime();
  const today = zone.localDate(nowMs);
  const minPatients = Math.max(1, Math.floor(input.minPatients ?? DEFAULT_MIN_PATIENTS));
  const catalog = [...input.procedures].sort((a, b) => byString(a.id, b.id));
  const byId = new Map(catalog.map((p) => [p.id, p]));
  const name = (id: string) => byId.get(id)?.name ?? id;

  const clinic = dated(input.clinicVisits, zone, nowMs);
  const co = coOccurrenceOf(clinic);
  const seq = sequencesOf(clinic);
  const mine = dated(input.history.map((v) => ({ patientId: '', procedureId: v.procedureId, startsAt: v.startsAt })), zone, nowMs);
  const rhythm = rhythmsOf(mine);
  const myProcedures = [...rhythm.keys()].sort(byString);

  /** Her latest visit among procedures matching `inGroup` (ties: the smaller id), or null. */
  const lastOf = (inGroup: (procedureId: string) => boolean) => {
    let best: { procedureId: string; date: string } | null = null;
    for (const r of rhythm.values()) {
      if (!inGroup(r.procedureId)) continue;
      if (!best || r.lastDate > best.date || (r.lastDate === best.date && r.procedureId < best.procedureId)) best = { procedureId: r.procedureId, date: r.lastDate };
    }
    return best;
  };

  const excluded: UpsellExclusion[] = [];
  const candidates: Candidate[] = [];
  for (const p of catalog) {
    const exclusion = exclusionOf(p);
    if (exclusion) excluded.push({ procedureId: p.id, ...exclusion });
    else candidates.push({ procedure: p, margin: marginOf(p, input.defaultCommissionBps) });
  }

  function exclusionOf(p: UpsellProcedure): { why: ExclusionCode; text: string } | null {
    if (!p.active) return { why: 'inactive', text: 'Procedimento inativo no catálogo' };
    for (const rule of input.rules ?? []) {
      if (rule.kind === 'min_gap_days') {
        const cats = new Set<string>(rule.categories ?? []);
        const ids = new Set(rule.procedureIds ?? []);
        const inGroup = (id: string) => ids.has(id) || (byId.has(id) && cats.has(byId.get(id)!.category));
        if (!inGroup(p.id)) continue;
        const last = lastOf(inGroup);
        const window = windowOf(rule.days);
        if (!last) continue;
        const ago = daysBetween(last.date, today);
        if (ago < window) {
          const group = [...[...cats].sort(byString).map((c) => CATEGORY_LABELS[c as ProcedureCategory] ?? c), ...[...ids].sort(byString).map(name)].join(', ');
          return { why: 'min_gap', text: `Regra da clínica: intervalo mínimo (${dias(window)}) entre procedimentos do grupo ${group}; o último, ${name(last.procedureId)}, foi há ${dias(ago)}` };
        }
      } else if (rule.kind === 'never_together') {
        if (rule.a === rule.b || (p.id !== rule.a && p.id !== rule.b)) continue;
        const other = p.id === rule.a ? rule.b : rule.a;
        const last = lastOf((id) => id === other);
        if (!last) continue;
        const window = windowOf(rule.days);
        const ago = daysBetween(last.date, today);
        if (ago < window) {
          const apart = Number.isFinite(window) ? `nunca com menos de ${dias(window)} entre si` : 'nunca juntos';
          return { why: 'never_together', text: `Regra da clínica: ${p.name} e ${name(other)} ${apart}; a paciente fez ${name(other)} há ${dias(ago)}` };
        }
      }
    }
    const r = rhythm.get(p.id);
    if (r && r.medianDays != null) {
      const ago = daysBetween(r.lastDate, today);
      if (ago < r.medianDays) {
        return { why: 'within_rhythm', text: `Ela faz ${p.name} a cada ${dias(r.medianDays)} (mediana entre ${r.visits} visitas); a última foi há ${dias(ago)}` };
      }
    }
    const m = marginOf(p, input.defaultCommissionBps);
    if (m.marginCents <= 0) return { why: 'no_margin', text: `Sem margem positiva ao preço de hoje (${marginText(m)})` };
    return null;
  }

  // Her usual ticket: what she paid per visit, else the mean price of her visits.
  const paidPerVisit = input.value.visits > 0 && input.value.paidCents > 0 ? input.value.paidCents / input.value.visits : NaN;
  const prices = input.history.map((v) => v.priceCents).filter((x) => Number.isFinite(x) && x > 0);
  const meanPrice = prices.length > 0 ? prices.reduce((a, b) => a + b, 0) / prices.length : NaN;
  const ticket = Number.isFinite(paidPerVisit) ? paidPerVisit : Number.isFinite(meanPrice) ? meanPrice : null;
  const priceFit = (price: number) => (ticket == null || price <= 0 ? 1 : Math.min(1, (PRICE_STRETCH * ticket) / price));

  const baseEvidence = (c: Candidate) => ({
    priceCents: c.margin.priceCents, costCents: c.margin.costCents, costKnown: c.margin.costCents != null,
    commissionBps: c.margin.commissionBps, commissionCents: c.margin.commissionCents, marginCents: c.margin.marginCents,
    ticketCents: ticket == null ? null : Math.round(ticket), priceFit: round6(priceFit(c.margin.priceCents)),
  });

  /** The strongest pair from her procedures to `to` in `table` (ties: more patients, then the smaller id). */
  function strongest<S extends PairStat>(table: PairTable<S>, to: string): S | null {
    let best: S | null = null;
    for (const a of myProcedures) {
      if (a === to) continue;
      const s = table.pairs.get(a)?.get(to);
      if (!s || s.patients < minPatients) continue;
      const l = s.confidence * s.lift;
      const bl = best ? best.confidence * best.lift : -1;
      if (l > bl || (l === bl && s.patients > best!.patients)) best = s;
    }
    return best;
  }

  const ranked: UpsellRecommendation[] = [];
  for (const c of candidates) {
    const s = strongest(seq, c.procedure.id);
    const o = s || rhythm.has(c.procedure.id) ? null : strongest(co, c.procedure.id);
    const stat = s ?? o;
    if (!stat) continue;
    const likelihood = stat.confidence * stat.lift * (s ? 1 : CO_OCCURRENCE_WEIGHT);
    const score = round6(likelihood * (c.margin.marginCents / 100) * priceFit(c.margin.priceCents));
    const from = name(stat.from);
    const text = s
      ? `Após ${from}, ${pct(s.confidence)} das pacientes fizeram ${c.procedure.name} em seguida (mediana de ${dias(s.medianDays)} depois); ${marginText(c.margin)}`
      : `Das pacientes que fizeram ${from}, ${pct(stat.confidence)} também fizeram ${c.procedure.name}; ${marginText(c.margin)}`;
    ranked.push({
      procedureId: c.procedure.id,
      score,
      reason: {
        code: s ? 'sequence' : 'co_occurrence',
        text,
        evidence: {
          fromProcedureId: stat.from, patients: stat.patients, totalPatients: co.totalPatients,
          support: stat.support, confidence: stat.confidence, lift: stat.lift, medianDays: s ? s.medianDays : null,
          likelihood: round6(likelihood), ...baseEvidence(c), category: null,
        },
      },
    });
  }
  const marginById = new Map(candidates.map((c) => [c.procedure.id, c.margin.marginCents]));
  ranked.sort((a, b) => b.score - a.score || marginById.get(b.procedureId)! - marginById.get(a.procedureId)! || byString(a.procedureId, b.procedureId));
  if (ranked.length > 0) return { recommendation: ranked[0], ranked, excluded };
  return { recommendation: popular(), ranked, excluded };

  function popular(): UpsellRecommendation | null {
    if (candidates.length === 0) return null;
    const category = favouriteCategory();
    const inCategory = category ? candidates.filter((c) => c.procedure.category === category) : [];
    const pool = inCategory.length > 0 ? inCategory : candidates;
    const chosenCategory = inCategory.length > 0 ? category : null;
    const done = (c: Candidate) => (rhythm.has(c.procedure.id) ? 1 : 0);
    const n = (c: Candidate) => co.patientsWith.get(c.procedure.id) ?? 0;
    const best = [...pool].sort((a, b) => done(a) - done(b) || n(b) - n(a) || b.margin.marginCents - a.margin.marginCents || byString(a.procedure.id, b.procedure.id))[0];
    const patients = n(best);
    const where = chosenCategory ? `em ${CATEGORY_LABELS[chosenCategory]}` : 'na clínica';
    const text = co.totalPatients === 0
      ? `Clínica ainda sem histórico de atendimentos: sugerido ${best.procedure.name}, o de maior margem ${where}; ${marginText(best.margin)}`
      : patients > 0
        ? `Sem dados suficientes de sequência ou coocorrência para o histórico dela: ${best.procedure.name} é o mais procurado ${where} (${patients} de ${co.totalPatients} pacientes); ${marginText(best.margin)}`
        : `Sem dados suficientes de sequência ou coocorrência para o histórico dela: sugerido ${best.procedure.name}, o de maior margem ${where} (ainda sem pacientes na clínica); ${marginText(best.margin)}`;
    const share = co.totalPatients > 0 ? patients / co.totalPatients : 0;
    return {
      procedureId: best.procedure.id,
      score: round6(share),
      reason: {
        code: 'popular',
        text,
        evidence: {
          fromProcedureId: null, patients, totalPatients: co.totalPatients, support: null, confidence: null, lift: null,
          medianDays: null, likelihood: null, ...baseEvidence(best), category: chosenCategory,
        },
      },
    };
  }

  /** Her most frequent category by visits (ties: the most recent, then the label order of the enum). */
  function favouriteCategory(): ProcedureCategory | null {
    const tally = new Map<ProcedureCategory, { visits: number; last: string }>();
    for (const v of mine) {
      const p = byId.get(v.procedureId);
      if (!p) continue;
      const t = tally.get(p.category) ?? { visits: 0, last: '' };
      tally.set(p.category, { visits: t.visits + 1, last: v.date > t.last ? v.date : t.last });
    }
    const order = Object.keys(CATEGORY_LABELS) as ProcedureCategory[];
    const ranking = [...tally.entries()].sort(([ca, a], [cb, b]) => b.visits - a.visits || byString(b.last, a.last) || order.indexOf(ca) - order.indexOf(cb));
    return ranking.length > 0 ? ranking[0][0] : null;
  }
}

// ---------------------------------------------------------------------------------------------------
// The offer's message (pt-BR, to the patient)

export interface UpsellMessageFacts {
  patientFirstName: string;
  procedureName: string;
  clinicName: string;
  /** "10%" (formatDiscount in domain/nps.ts), absent without a discount. */
  discountLabel?: string | null;
  couponCode?: string | null;
  /** Last day of the offer, dd/mm/aaaa. */
  validUntil: string;
  link: string;
  /** A before/after photo goes with the message. */
  withPhoto?: boolean;
  /** The patient's, for the reply she may send ("não, obrigada"). */
  patientGender?: 'F' | 'M' | 'Outro' | null;
}

/** The recommendation in the patient's words: one procedure, the discount and the direct booking link. */
export function upsellOfferText(f: UpsellMessageFacts): string {
  const name = String(f.patientFirstName ?? '').trim().split(/\s+/)[0];
  const hello = name ? `Oi, ${name}!` : 'Oi!';
  const photo = f.withPhoto ? ' Veja na foto um resultado real de uma paciente nossa (publicada com autorização).' : '';
  const discount = f.discountLabel && f.couponCode
    ? ` Para você, que gostou do atendimento, ${f.discountLabel} de desconto com o cupom *${f.couponCode}* até ${f.validUntil}.`
    : ` A oferta vale até ${f.validUntil}.`;
  return (
    `${hello} Que bom que você gostou da sua experiência ${clinicPhrase(f.clinicName)}. ` +
    `Pensando no seu cuidado, achamos que você vai adorar conhecer: *${f.procedureName}*.${photo}${discount}\n\n` +
    `Escolha um horário e agende em um toque: ${f.link}\n\nSe não tiver interesse, é só responder "não, ${f.patientGender === 'F' ? 'obrigada' : f.patientGender === 'M' ? 'obrigado' : 'obrigado(a)'}".`
  );
}

/** The reminder halfway through the offer. */
export function upsellReminderText(f: UpsellMessageFacts): string {
  const name = String(f.patientFirstName ?? '').trim().split(/\s+/)[0];
  const discount = f.discountLabel && f.couponCode ? ` com ${f.discountLabel} de desconto (cupom *${f.couponCode}*)` : '';
  return `${name ? `Oi, ${name}!` : 'Oi!'} Passando para lembrar: ${f.procedureName}${discount} até ${f.validUntil}. Agende em um toque: ${f.link}`;
}

/** "na Clínica Bella Pele", "no Instituto X", "com a gente". */
function clinicPhrase(clinicName: string): string {
  const name = String(clinicName ?? '').trim();
  if (!name) return 'com a gente';
  const head = name.split(/\s+/)[0].normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  if (['clinica', 'casa', 'estetica', 'academia'].includes(head)) return `na ${name}`;
  if (['instituto', 'espaco', 'centro', 'studio', 'estudio', 'consultorio', 'spa', 'nucleo', 'grupo', 'salao'].includes(head)) return `no ${name}`;
  return `com a equipe ${name}`;
}

/** A patient turning the offer down ("não, obrigada", "sem interesse", "agora não"): the offer ends as recusou. */
export function isUpsellRefusal(text: string): boolean {
  const t = String(text ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z ]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (!t || t.length > 80) return false;
  return /^(nao|n|no|nope)( (obrigad[oa]|obg|valeu|quero|tenho interesse|agora|por enquanto|precisa))*$/.test(t)
    || /\b(sem interesse|nao tenho interesse|nao quero|agora nao|nao obrigad[oa]|dispenso|nao me interessa)\b/.test(t);
}
