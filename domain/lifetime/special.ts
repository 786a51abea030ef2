// Special functions for the lifetime models, in plain floating point and without dependencies:
// log-gamma, digamma, log-beta, log-sum-exp, the Gaussian hypergeometric function 2F1 and the normal
// quantile. Each is written for the ranges the models reach (positive shape parameters from 1e-6 to
// 1e6, counts of visits up to thousands) and tested against closed forms.

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

// Lanczos approximation, g = 7, n = 9 (the coefficients of Numerical Recipes / Boost's "lanczos13"
// ancestor): about 15 significant digits for x ≥ 0.5.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/**
 * ln |Γ(x)| for real x that is not 0 or a negative integer (those give +Infinity). Lanczos for x ≥ 0.5,
 * the reflection formula below; for large x the Stirling series (no overflow, no loss of digits).
 */
export function logGamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0.5) {
    // Γ(x) Γ(1−x) = π / sin(πx)
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  if (x >= 15) {
    // Stirling: (x−½) ln x − x + ½ ln 2π + 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷); error < 1e-16 relative here.
    const inv = 1 / x;
    const inv2 = inv * inv;
    const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)));
    return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + series;
  }
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The sign of Γ(x): 1 for x > 0, alternating between the poles for x < 0 (0 at a pole). */
export function gammaSign(x: number): number {
  if (x > 0) return 1;
  if (Number.isInteger(x)) return 0;
  return Math.floor(x) % 2 === 0 ? 1 : -1;
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a+b), for a, b > 0. */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * ln Γ(x + n) − ln Γ(x) for x > 0 and n ≥ 0: a sum of logs when n is a small integer (exact to
 * rounding and free of the cancellation of two large log-gammas), the log-gamma difference otherwise.
 */
export function logGammaRatio(x: number, n: number): number {
  if (n === 0) return 0;
  if (Number.isInteger(n) && n <= 64) {
    let s = 0;
    for (let k = 0; k < n; k++) s += Math.log(x + k);
    return s;
  }
  return logGamma(x + n) - logGamma(x);
}

/** ψ(x) = d/dx ln Γ(x), for x > 0: recurrence up to x ≥ 10, then the asymptotic series (error < 1e-14). */
export function digamma(x: number): number {
  if (!(x > 0)) {
    if (Number.isNaN(x) || (x <= 0 && Number.isInteger(x))) return NaN;
    // ψ(1−x) − ψ(x) = π cot(πx)
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  let shift = 0;
  while (x < 10) {
    shift += 1 / x;
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series = inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))));
  return Math.log(x) - 0.5 * inv - series - shift;
}

/** ψ(x + n) − ψ(x), the derivative of logGammaRatio in x; a sum of reciprocals for small integer n. */
export function digammaDiff(x: number, n: number): number {
  if (n === 0) return 0;
  if (Number.isInteger(n) && n <= 64) {
    let s = 0;
    for (let k = 0; k < n; k++) s += 1 / (x + k);
    return s;
  }
  return digamma(x + n) - digamma(x);
}

/** ln(e^a + e^b) without overflow or underflow. */
export function logSumExp2(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** ln Σ e^{xᵢ} without overflow or underflow (−Infinity for an empty list). */
export function logSumExp(xs: readonly number[]): number {
  let max = -Infinity;
  for (const x of xs) if (x > max) max = x;
  if (max === -Infinity || !Number.isFinite(max)) return max;
  let s = 0;
  for (const x of xs) s += Math.exp(x - max);
  return max + Math.log(s);
}

/** The largest number of terms a hypergeometric series may take before it is declared not converged. */
export const HYP2F1_MAX_TERMS = 1_000_000;
const EPS = 1e-16;

/**
 * The Gauss series Σ (a)ₙ(b)ₙ/((c)ₙ n!) zⁿ for |z| < 1. Converged when two consecutive terms are below
 * 1e-16 of the running sum (and past the point where the term ratio shrinks); a series that does not
 * converge within HYP2F1_MAX_TERMS throws a RangeError rather than return a wrong number.
 */
function gaussSeries(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  let magnitude = 1;
  let small = 0;
  for (let n = 0; n < HYP2F1_MAX_TERMS; n++) {
    term *= ((a + n) * (b + n)) / ((c + n) * (n + 1)) * z;
    sum += term;
    magnitude += Math.abs(term);
    if (!Number.isFinite(sum)) throw new RangeError(`hyp2f1(${a}, ${b}; ${c}; ${z}) overflowed`);
    // Terms grow while n is below ~|ab/c| / (1−|z|); only count small terms once they shrink.
    const shrinking = Math.abs((a + n + 1) * (b + n + 1) * z) < Math.abs((c + n + 1) * (n + 2));
    if (term === 0 || (shrinking && Math.abs(term) <= EPS * Math.abs(sum) && ++small >= 2)) {
      // Terms of both signs that cancel: more than 8 of the 16 digits lost is not an answer.
      if (magnitude > 1e8 * Math.abs(sum)) throw new RangeError(`hyp2f1(${a}, ${b}; ${c}; ${z}): the series cancels (terms up to ${magnitude.toPrecision(3)} for a sum of ${sum.toPrecision(3)})`);
      return sum;
    }
    if (!shrinking || Math.abs(term) > EPS * Math.abs(sum)) small = 0;
  }
  throw new RangeError(`hyp2f1(${a}, ${b}; ${c}; ${z}): series did not converge in ${HYP2F1_MAX_TERMS} terms`);
}

/**
 * The Gaussian hypergeometric function ₂F₁(a, b; c; z) for real parameters and real z < 1 (c not 0 or
 * a negative integer). Regions:
 * - z < 0: Pfaff's transformation ₂F₁(a,b;c;z) = (1−z)^(−a) ₂F₁(a, c−b; c; z/(z−1)) (or the same with
 *   a and b swapped, whichever keeps the new second parameter ≥ 0, so that the terms keep one sign),
 *   whose argument is in [0, 1) — then one of the cases below;
 * - 0 ≤ z ≤ 0.9, and beyond wherever the connection formula is ill-conditioned: the Gauss series
 *   directly (slow near 1 but convergent; checked, capped at HYP2F1_MAX_TERMS);
 * - z > 0.9 with s = c−a−b in 0.01 ≤ |s| < 1 and a, b, c−a, c−b > 0: the connection formula to 1−z
 *   (Abramowitz & Stegun 15.3.6), which converges fast — kept only when its two terms cancel by less
 *   than 3 digits, else the direct series. Outside those conditions its terms are large and cancel
 *   (its gammas approach poles, or the auxiliary series have negative c), which loses most digits —
 *   measured against mpmath, so it is not used there.
 * A terminating series (a or b a non-positive integer) is summed exactly for any z in [−1, 1).
 * Accurate to ~1e-13 where the terms keep one sign (the models' case: a, b, c > 0, z in [0, 1)); with
 * mixed signs a cancellation that would leave fewer than 8 digits is a RangeError (see gaussSeries).
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (![a, b, c, z].every(Number.isFinite)) throw new RangeError('hyp2f1 needs finite arguments');
  if (c <= 0 && Number.isInteger(c)) throw new RangeError(`hyp2f1: c = ${c} is a pole`);
  if (z >= 1) throw new RangeError(`hyp2f1 is implemented for z < 1 (got ${z})`);
  if (z === 0 || a === 0 || b === 0) return 1;
  const terminating = (a < 0 && Number.isInteger(a)) || (b < 0 && Number.isInteger(b));
  if (terminating && z >= -1) return gaussSeries(a, b, c, z);
  if (z < 0) {
    const w = z / (z - 1);
    if (c - b >= 0 || c - a < 0) return Math.pow(1 - z, -a) * hyp2f1(a, c - b, c, w);
    return Math.pow(1 - z, -b) * hyp2f1(c - a, b, c, w);
  }
  const s = c - a - b;
  const wellConditioned = Math.abs(s) >= 0.01 && Math.abs(s) < 1 && a > 0 && b > 0 && c - a > 0 && c - b > 0;
  if (z <= 0.9 || !wellConditioned) return gaussSeries(a, b, c, z);
  // A&S 15.3.6: F(a,b;c;z) = Γ(c)Γ(s)/(Γ(c−a)Γ(c−b)) F(a,b;1−s;1−z)
  //                        + (1−z)^s Γ(c)Γ(−s)/(Γ(a)Γ(b)) F(c−a,c−b;1+s;1−z),   s = c−a−b.
  const w = 1 - z;
  const lc = logGamma(c);
  const f1 = gaussSeries(a, b, 1 - s, w);
  const f2 = gaussSeries(c - a, c - b, 1 + s, w);
  const t1 = gammaSign(s) * Math.exp(lc + logGamma(s) - logGamma(c - a) - logGamma(c - b)) * f1;
  const t2 = gammaSign(-s) * Math.exp(lc + logGamma(-s) - logGamma(a) - logGamma(b) + s * Math.log(w)) * f2;
  // The two terms grow like 1/|s| and cancel; beyond 3 digits lost, sum the series directly instead.
  if (Math.max(Math.abs(t1), Math.abs(t2)) <= 1e3 * Math.abs(t1 + t2)) return t1 + t2;
  return gaussSeries(a, b, c, z);
}

/**
 * The standard normal quantile Φ⁻¹(p) for 0 < p < 1 (Wichura's AS 241, PPND16: about 16 digits).
 * p = 0 or 1 give ∓Infinity; anything else outside [0, 1] is a RangeError.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile needs 0 ≤ p ≤ 1 (got ${p})`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r
      + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r + 133.14166789178437745) * r
      + 3.387132872796366608))
      / (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r
        + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r + 42.313330701600911252) * r + 1);
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x = (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r
      + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r + 4.6303378461565452959) * r
      + 1.42343711074968357734)
      / (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r
        + 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r + 2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    x = (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r
      + 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r + 5.4637849111641143699) * r
      + 6.6579046435011037772)
      / (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r
        + 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r + 0.59983220655588793769) * r + 1);
  }
  return q < 0 ? -x : x;
}
