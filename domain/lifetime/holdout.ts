// Campaign holdouts: which patients a campaign leaves out on purpose (the control group), and what the
// campaign changed — the difference of return rates with a confidence interval, and its value. Pure.
//
// Assignment hashes (campaign seed, patient id) — FNV-1a, then one step of the mulberry32 mixer of
// domain/random.ts — to a uniform number in [0, 1); below `share` is control. So a patient is in the
// same group every time for one campaign, independently across campaigns, and nothing is stored.
import { createRandom, seedFrom } from '../random';
import { normalQuantile } from './special';

/** 'control' (not contacted, for comparison) or 'contacted', fixed per (patientId, campaignSeed). share in [0, 1], else RangeError. */
export function assignHoldout(patientId: string, campaignSeed: string, share: number): 'control' | 'contacted' {
  if (typeof patientId !== 'string' || patientId.length === 0) throw new RangeError('assignHoldout needs a patient id');
  if (typeof campaignSeed !== 'string' || campaignSeed.length === 0) throw new RangeError('assignHoldout needs a campaign seed');
  if (!Number.isFinite(share) || share < 0 || share > 1) throw new RangeError(`assignHoldout: share must be in [0, 1] (got ${share})`);
  const u = createRandom(seedFrom(`${campaignSeed}\u001f${patientId}`)).next();
  return u < share ? 'control' : 'contacted';
}

export interface GroupOutcome {
  n: number;
  returned: number;
}

export interface Lift {
  /** Return rate contacted − return rate control; null when a group is empty. */
  lift: number | null;
  low: number | null;
  high: number | null;
}

function checkGroup(g: GroupOutcome, what: string): void {
  if (!Number.isInteger(g.n) || g.n < 0 || !Number.isInteger(g.returned) || g.returned < 0 || g.returned > g.n) {
    throw new RangeError(`${what}: need integers 0 ≤ returned ≤ n (got returned ${g.returned}, n ${g.n})`);
  }
}

/** Wilson score interval of x/n. */
function wilson(x: number, n: number, z: number): [number, number] {
  const p = x / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * The campaign's lift in return rate, p₁ − p₂ (contacted − control), with Newcombe's hybrid score
 * interval (method 10 of Newcombe 1998, from the two Wilson intervals): unlike the Wald interval it
 * stays within [−1, 1] and behaves at 0 or n returns and small groups. Either group empty: all null.
 * confidence in (0, 1), default 0.95.
 */
export function liftWithInterval(groups: { contacted: GroupOutcome; control: GroupOutcome }, confidence = 0.95): Lift {
  checkGroup(groups.contacted, 'contacted');
  checkGroup(groups.control, 'control');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`liftWithInterval: confidence must be in (0, 1) (got ${confidence})`);
  const { contacted, control } = groups;
  if (contacted.n === 0 || control.n === 0) return { lift: null, low: null, high: null };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p1 = contacted.returned / contacted.n;
  const p2 = control.returned / control.n;
  const [l1, u1] = wilson(contacted.returned, contacted.n, z);
  const [l2, u2] = wilson(control.returned, control.n, z);
  const d = p1 - p2;
  return {
    lift: d,
    low: d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
    high: d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
  };
}

/**
 * What the lift is worth: extra returns = lift × contacted patients, × the value of one return (e.g.
 * the mean ticket, or a CLV) in centavos, rounded to integer centavos — with the interval's ends. All
 * null when the lift is.
 */
export function revenueAtLift(lift: Lift, contactedN: number, valuePerReturnCents: number): { cents: number | null; low: number | null; high: number | null } {
  if (!Number.isInteger(contactedN) || contactedN < 0) throw new RangeError(`revenueAtLift: contactedN must be a non-negative integer (got ${contactedN})`);
  if (!Number.isFinite(valuePerReturnCents) || valuePerReturnCents < 0) throw new RangeError(`revenueAtLift: valuePerReturnCents must be ≥ 0 (got ${valuePerReturnCents})`);
  const money = (l: number | null) => (l === null ? null : Math.round(l * contactedN * valuePerReturnCents));
  return { cents: money(lift.lift), low: money(lift.low), high: money(lift.high) };
}
