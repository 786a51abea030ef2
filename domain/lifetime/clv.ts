// Customer lifetime value over a horizon: BG/NBD's expected visits month by month times Gamma–Gamma's
// expected spend per visit, discounted monthly — Fader, Hardie & Lee's "RFM and CLV" recipe with a
// finite horizon (a clinic plans a year ahead, not forever).
//
//   CLV = Σ_{i=1..H} (E[visits in (0, i·M]] − E[visits in (0, (i−1)·M]]) · E[spend] / (1 + d)^i
//
// Units, the one thing to get right:
// - Time: the BG/NBD fit and the customer's recency and T are in the caller's unit; `unitDays` says how
//   many days that unit is (1 = days, the default; 7 = weeks). A month is M = 365.25/12 = 30.4375 days,
//   i.e. 30.4375 / unitDays model units. Visits in month i are discounted as if paid at its end.
// - Money: monetaryValue (mean spend of the repeat visits) and the Gamma–Gamma fit in centavos; the
//   result is integer centavos (Math.round: half a centavo rounds up).
// - monthlyDiscountRate d: 0.01 by default (≈ 12.7% a year, near Brazil's policy rate); 0 for none.
import { expectedPurchasesIfAlive, probabilityAlive, type BgNbdParams, type RfCustomer } from './bgnbd';
import { expectedAverageValue, type GammaGammaParams } from './gamma-gamma';

export const DAYS_PER_MONTH = 365.25 / 12;

export interface ClvOptions {
  /** Months ahead, an integer from 1 to 600 (default 12). */
  horizonMonths?: number;
  /** Discount per month, 0 ≤ d < 1 (default 0.01). */
  monthlyDiscountRate?: number;
  /** Days per model time unit (default 1: the fit is in days; 7 for weeks). */
  unitDays?: number;
}

export interface ClvCustomer extends RfCustomer {
  /** Mean spend of the repeat visits in centavos (0 when frequency is 0). */
  monetaryValue: number;
}

export interface ClvDetail {
  /** The discounted value in integer centavos. */
  cents: number;
  /** Expected visits over the horizon (undiscounted). */
  expectedVisits: number;
  /** Expected spend per visit in centavos (not rounded). */
  expectedValuePerVisit: number;
  probabilityAlive: number;
}

/** CLV and the numbers behind it; RangeError for bad options or a customer the models reject. */
export function customerLifetimeValueDetail(bg: BgNbdParams, gg: GammaGammaParams, c: ClvCustomer, opts: ClvOptions = {}): ClvDetail {
  const horizon = opts.horizonMonths ?? 12;
  const d = opts.monthlyDiscountRate ?? 0.01;
  const unitDays = opts.unitDays ?? 1;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > 600) throw new RangeError(`horizonMonths must be an integer from 1 to 600 (got ${horizon})`);
  if (!Number.isFinite(d) || d < 0 || d >= 1) throw new RangeError(`monthlyDiscountRate must be in [0, 1) (got ${d})`);
  if (!Number.isFinite(unitDays) || unitDays <= 0) throw new RangeError(`unitDays must be a finite number > 0 (got ${unitDays})`);
  const value = expectedAverageValue(gg, c);
  const alive = probabilityAlive(bg, c); // also validates bg and c
  const month = DAYS_PER_MONTH / unitDays;
  let previous = 0;
  let total = 0;
  for (let i = 1; i <= horizon; i++) {
    const cumulative = alive * expectedPurchasesIfAlive(bg, c.frequency, c.T, i * month);
    total += Math.max(0, cumulative - previous) / Math.pow(1 + d, i);
    previous = cumulative;
  }
  return { cents: Math.round(total * value), expectedVisits: previous, expectedValuePerVisit: value, probabilityAlive: alive };
}

/**
 * Expected discounted spend of a patient over the next `horizonMonths` (default 12), in integer
 * centavos. See the header for the units: the BG/NBD time unit is `unitDays` days (default 1), money
 * is in centavos, the default discount is 1% a month.
 */
export function customerLifetimeValue(bg: BgNbdParams, gg: GammaGammaParams, c: ClvCustomer, opts: ClvOptions = {}): number {
  return customerLifetimeValueDetail(bg, gg, c, opts).cents;
}
