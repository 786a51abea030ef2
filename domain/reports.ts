// The arithmetic of the procedures and professionals reports (issue #13): margins, averages, rates and
// occupancy from the counts and sums the services read. Pure; rates come from kpis.share, so a part is
// always counted within its whole and an empty whole gives null, never a division by zero.
import { averageTicket, share } from './kpis';

/** Days a realised visit needs to be "followed by another booking" in the rebooking rate. */
export const REBOOKING_DAYS = 60;

/** Whole centavos of sum / count, rounded half away from zero; null without a count. */
export function averageCents(sumCents: number, count: number): number | null {
  if (count === 0) return null;
  const q = Math.round(Math.abs(sumCents) / count);
  return sumCents < 0 ? -q : q;
}

/** Net revenue ÷ paid visits (domain/kpis averageTicket); null without paid visits. */
export function ticketCents(netRevenueCents: number, paidVisits: number): number | null {
  return paidVisits > 0 ? averageTicket(netRevenueCents, paidVisits) : null;
}

export interface MarginInput {
  netRevenueCents: number;
  /** What one session costs the clinic; null when the clinic has not told us. */
  costCents: number | null;
  realisedVisits: number;
  commissionCents: number;
}

/** Margin = net revenue − cost × realised visits − commission (net of reversals); null when the cost is unknown. */
export function marginCents(m: MarginInput): number | null {
  if (m.costCents === null) return null;
  return m.netRevenueCents - m.costCents * m.realisedVisits - m.commissionCents;
}

/** Margin as a share of net revenue; null when either is unknown or revenue is not positive. */
export function marginShare(margin: number | null, netRevenueCents: number): number | null {
  return margin === null || netRevenueCents <= 0 ? null : margin / netRevenueCents;
}

/** Average charged ÷ list price (0.9 = charged 10% under the list price); null when either is missing or the list price is 0. */
export function chargedToList(averageChargedCents: number | null, listPriceCents: number | null): number | null {
  return averageChargedCents === null || listPriceCents === null || listPriceCents === 0 ? null : averageChargedCents / listPriceCents;
}

export interface NpsCounts {
  /** Answers in time (late answers are never counted). */
  answered: number;
  promoters: number;
  detractors: number;
}

/** NPS = % promoters − % detractors of the answers, rounded as domain/nps npsScore; null without answers. */
export function npsOf(c: NpsCounts): number | null {
  if (c.promoters + c.detractors > c.answered) throw new RangeError('promoters + detractors > answered');
  if (c.answered === 0) return null;
  const exact = ((c.promoters - c.detractors) * 100) / c.answered;
  const r = Math.sign(exact) * Math.round(Math.abs(exact));
  return r === 0 ? 0 : r;
}

/** Average stars, two decimals; null without reviews. */
export function averageRating(sumStars: number, count: number): number | null {
  return count === 0 ? null : Math.round((sumStars / count) * 100) / 100;
}

export interface StatusCounts {
  /** Every appointment of the period, whatever became of it. */
  booked: number;
  cancelled: number;
  noShows: number;
}

/** No-shows ÷ appointments not cancelled (domain/kpis noShowRate). */
export const noShowRate = (c: StatusCounts) => share(c.noShows, c.booked - c.cancelled);
/** Cancelled ÷ booked. */
export const cancellationRate = (c: StatusCounts) => share(c.cancelled, c.booked);

// ─────────────────────────────────────────── Occupancy ───────────────────────────────────────────

export interface Interval {
  start: Date;
  end: Date;
}
type Span = [number, number];

/** Sorted, disjoint union of intervals (touching ones joined); empty ones dropped. */
function union(list: readonly Interval[]): Span[] {
  const spans = list.map((i): Span => [i.start.getTime(), i.end.getTime()]).filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: Span[] = [];
  for (const [a, b] of spans) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** a − b, both sorted and disjoint. */
function subtract(a: Span[], b: Span[]): Span[] {
  const out: Span[] = [];
  let j = 0;
  for (const [s0, e] of a) {
    let s = s0;
    while (j < b.length && b[j][1] <= s) j++;
    for (let k = j; k < b.length && b[k][0] < e; k++) {
      if (b[k][0] > s) out.push([s, b[k][0]]);
      s = Math.max(s, b[k][1]);
      if (s >= e) break;
    }
    if (s < e) out.push([s, e]);
  }
  return out;
}

/** Total length (ms) of a ∩ b, both sorted and disjoint. */
function overlap(a: Span[], b: Span[]): number {
  let i = 0;
  let j = 0;
  let total = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i][0], b[j][0]);
    const hi = Math.min(a[i][1], b[j][1]);
    if (hi > lo) total += hi - lo;
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return total;
}

const length = (s: Span[]) => s.reduce((t, [a, b]) => t + b - a, 0);
const minutes = (ms: number) => Math.round(ms / 60_000);

export interface OccupancyInput {
  /** Working time of the period (domain/slots workingWindows: weekly hours or the day's override, no holidays). */
  windows: readonly Interval[];
  /** Time blocks (férias, almoço, curso…): not available. */
  blocks: readonly Interval[];
  /** The period's appointments that were not cancelled (no-shows included: the time was held for them). */
  booked: readonly Interval[];
}

export interface Occupancy {
  /** Working time minus blocks. */
  availableMinutes: number;
  /** Length of every booked appointment (two that overlap, e.g. a no-show and the one booked over it, both count). */
  bookedMinutes: number;
  /** Booked time inside the available time, each minute once: the numerator of the occupancy. */
  bookedInHoursMinutes: number;
  /** bookedInHoursMinutes ÷ availableMinutes (0…1); null without available time. */
  occupancy: number | null;
}

/**
 * Occupancy = booked minutes ÷ available minutes. The numerator only counts booked time inside the
 * available time (a visit booked on a Sunday the professional does not work, or over a block, is in
 * bookedMinutes but not in the rate), so the part stays within its whole and the rate within 0…1.
 */
export function occupancy(o: OccupancyInput): Occupancy {
  const available = subtract(union(o.windows), union(o.blocks));
  const availableMs = length(available);
  const bookedMinutes = minutes(o.booked.reduce((t, b) => t + Math.max(0, b.end.getTime() - b.start.getTime()), 0));
  const inHours = minutes(overlap(available, union(o.booked)));
  const availableMinutes = minutes(availableMs);
  return { availableMinutes, bookedMinutes, bookedInHoursMinutes: inHours, occupancy: occupancyRate(inHours, availableMinutes) };
}

/** A sum of occupancies (a totals row): booked-in-hours over available, from the summed minutes. */
export function occupancyRate(bookedInHoursMinutes: number, availableMinutes: number): number | null {
  return share(Math.min(bookedInHoursMinutes, availableMinutes), availableMinutes);
}

// ─────────────────────────────────────────── Cohorts ───────────────────────────────────────────

/** Months a cohort is followed after the month of its first visit (+1 … +12). */
export const COHORT_OFFSETS = 12;
/** At most this many monthly cohorts in one report. */
export const MAX_COHORTS = 24;

/** 'AAAA-MM' → a month number (year × 12 + month − 1), so months subtract. */
export function monthIndex(month: string): number {
  const m = /^(\d{4})-(\d{2})/.exec(month);
  if (!m) throw new RangeError(`monthIndex(${month}): not AAAA-MM`);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

const MONTH_NAMES = ['janeiro', 'fevereiro', 'março', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro', 'novembro', 'dezembro'];
/** 'AAAA-MM' → 'novembro de 2026' (lower case, as in a sentence). */
export const monthName = (month: string) => `${MONTH_NAMES[Number(month.slice(5, 7)) - 1] ?? month.slice(5, 7)} de ${month.slice(0, 4)}`;

/** The month `n` months after 'AAAA-MM'. */
export function addMonths(month: string, n: number): string {
  const i = monthIndex(month) + n;
  return `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** Every month from the one of `fromDay` to the one of `toDay`, inclusive ('AAAA-MM'). */
export function monthsOf(fromDay: string, toDay: string): string[] {
  const out: string[] = [];
  for (let i = monthIndex(fromDay); i <= monthIndex(toDay); i++) out.push(addMonths('0000-01', i));
  return out;
}

export type OffsetState = 'complete' | 'incomplete' | 'future';

/** Where month +offset of a cohort stands today: over, under way (figures so far) or not begun (no figure). */
export function offsetState(cohortMonth: string, offset: number, currentMonth: string): OffsetState {
  const d = monthIndex(cohortMonth) + offset - monthIndex(currentMonth);
  return d < 0 ? 'complete' : d === 0 ? 'incomplete' : 'future';
}

export interface CohortCounts {
  /** 'AAAA-MM' of the first realised visit. */
  month: string;
  /** Patients whose first realised visit is in the cohort. */
  size: number;
  /** returned[k − 1]: patients of the cohort with a realised visit in month +k (k = 1…12). */
  returned: readonly number[];
  /** revenue[k]: the cohort's net revenue of month +k (k = 0…12); money before the first visit's month is in month 0. */
  revenueCents: readonly number[];
}

export interface CohortFigures {
  month: string;
  size: number;
  /** Share of the cohort with a realised visit in month +k, k = 1…12 (index k − 1); null when the month has not begun. */
  retention: (number | null)[];
  returned: (number | null)[];
  /** Offsets (1…12) whose month is under way today: their share can still grow. */
  incompleteOffsets: number[];
  /** Cumulative net revenue per patient up to the end of month +k, k = 0…12 (index k); null when the month has not begun. */
  revenuePerPatientCents: (number | null)[];
  /** Cumulative net revenue of the cohort, same indices. */
  cumulativeRevenueCents: (number | null)[];
}

/** A cohort's retention shares and cumulative revenue per patient from its counts, as of `currentMonth`. */
export function cohortFigures(c: CohortCounts, currentMonth: string): CohortFigures {
  if (c.returned.length !== COHORT_OFFSETS || c.revenueCents.length !== COHORT_OFFSETS + 1) throw new RangeError('cohortFigures: 12 returned counts and 13 revenues');
  const retention: (number | null)[] = [];
  const returned: (number | null)[] = [];
  const incompleteOffsets: number[] = [];
  for (let k = 1; k <= COHORT_OFFSETS; k++) {
    const state = offsetState(c.month, k, currentMonth);
    if (state === 'incomplete') incompleteOffsets.push(k);
    const n = state === 'future' ? null : c.returned[k - 1]!;
    returned.push(n);
    retention.push(n === null ? null : share(n, c.size));
  }
  const cumulativeRevenueCents: (number | null)[] = [];
  const revenuePerPatientCents: (number | null)[] = [];
  let total = 0;
  for (let k = 0; k <= COHORT_OFFSETS; k++) {
    total += c.revenueCents[k]!;
    const reached = offsetState(c.month, k, currentMonth) !== 'future';
    cumulativeRevenueCents.push(reached ? total : null);
    revenuePerPatientCents.push(reached ? averageCents(total, c.size) : null);
  }
  return { month: c.month, size: c.size, retention, returned, incompleteOffsets, revenuePerPatientCents, cumulativeRevenueCents };
}

/**
 * The cohorts together, offset by offset: patients with a visit in month +k ÷ patients of the cohorts that
 * have reached month +k (so a young cohort does not pull the average down with months it has not lived).
 */
export function pooledCohorts(rows: readonly CohortFigures[]): { size: number; retention: (number | null)[]; revenuePerPatientCents: (number | null)[] } {
  const retention: (number | null)[] = [];
  for (let k = 1; k <= COHORT_OFFSETS; k++) {
    const reached = rows.filter((r) => r.returned[k - 1] !== null);
    retention.push(share(reached.reduce((t, r) => t + r.returned[k - 1]!, 0), reached.reduce((t, r) => t + r.size, 0)));
  }
  const revenuePerPatientCents: (number | null)[] = [];
  for (let k = 0; k <= COHORT_OFFSETS; k++) {
    const reached = rows.filter((r) => r.cumulativeRevenueCents[k] !== null);
    revenuePerPatientCents.push(averageCents(reached.reduce((t, r) => t + r.cumulativeRevenueCents[k]!, 0), reached.reduce((t, r) => t + r.size, 0)));
  }
  return { size: rows.reduce((t, r) => t + r.size, 0), retention, revenuePerPatientCents };
}

// ─────────────────────────────────────── Lifetime value ────────────────────────────────────────

export const ALIVE_BINS = 10;

/** The bin (0…bins − 1) of a probability: [0, 0.1), [0.1, 0.2) … [0.9, 1]; 1 falls in the last. */
export function probabilityBin(p: number, bins = ALIVE_BINS): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probabilityBin(${p}): not a probability`);
  return Math.min(bins - 1, Math.floor(p * bins + 1e-9));
}

export interface HistogramBin {
  from: number;
  to: number;
  count: number;
  /** count ÷ every counted value; null when there is none. */
  share: number | null;
}

/** A histogram of probabilities in `bins` equal bins from the count of each bin (missing bins are 0). */
export function probabilityHistogram(counts: ReadonlyMap<number, number> | readonly number[], bins = ALIVE_BINS): HistogramBin[] {
  const at = (i: number) => (Array.isArray(counts) ? (counts as readonly number[])[i] : (counts as ReadonlyMap<number, number>).get(i)) ?? 0;
  const total = Array.from({ length: bins }, (_, i) => at(i)).reduce((t, n) => t + n, 0);
  return Array.from({ length: bins }, (_, i) => ({
    from: Math.round((i / bins) * 1e6) / 1e6, to: Math.round(((i + 1) / bins) * 1e6) / 1e6, count: at(i), share: share(at(i), total),
  }));
}

/** The histogram of a list of probabilities. */
export function histogramOf(values: readonly number[], bins = ALIVE_BINS): HistogramBin[] {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[probabilityBin(v, bins)]! += 1;
  return probabilityHistogram(counts, bins);
}

/** Lifetime value ÷ acquisition cost; null when either is unknown or the cost is not positive. */
export function clvToCost(clvCents: number | null, acquisitionCostCents: number | null): number | null {
  return clvCents === null || acquisitionCostCents === null || acquisitionCostCents <= 0 ? null : clvCents / acquisitionCostCents;
}

// ─────────────────────────────────────────── Funnel ────────────────────────────────────────────

export interface FunnelStepInput<K extends string = string> {
  key: K;
  count: number;
  /**
   * The part of the previous step this one is measured against (default: all of it). The "returned" step
   * is measured over the realised visits old enough to be judged (censoring, as the rebooking rate).
   */
  base?: number;
}

export interface FunnelStep<K extends string = string> {
  key: K;
  count: number;
  /** What the conversion is over: the previous step's count (or its judged part); null for the first step. */
  base: number | null;
  /** count ÷ base; null for the first step or over nothing. */
  conversion: number | null;
  /** count ÷ the first step's count. */
  ofFirst: number | null;
}

/**
 * A funnel's conversions, each over the step before it. Every step must be a subset of the one before
 * (and of its base); otherwise kpis.share throws, as a part counted outside its whole is a counting error.
 */
export function funnelSteps<K extends string>(steps: readonly FunnelStepInput<K>[]): FunnelStep<K>[] {
  const first = steps[0]?.count ?? 0;
  return steps.map((s, i) => {
    if (i === 0) return { key: s.key, count: s.count, base: null, conversion: null, ofFirst: share(s.count, s.count) };
    const prev = steps[i - 1]!.count;
    const base = s.base ?? prev;
    if (base > prev) throw new RangeError(`funnelSteps: the base of ${s.key} (${base}) exceeds the previous step (${prev})`);
    return { key: s.key, count: s.count, base, conversion: share(s.count, base), ofFirst: share(s.count, first) };
  });
}
