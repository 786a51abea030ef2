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
