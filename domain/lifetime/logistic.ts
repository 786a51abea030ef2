// A small logistic-regression learner for churn ("did this patient not come back?") from a handful of
// features per patient, and the "why this score" behind one prediction. Pure and deterministic.
//
// Model: P(label = 1 | x) = σ(bias + Σ wⱼ zⱼ), zⱼ = (xⱼ − meanⱼ) / scaleⱼ — features standardised with
// the training mean and (population) standard deviation, a constant feature getting scale 1 (its z is
// then always 0 and its weight 0). Fit: minimise the mean log-loss + (l2/2)·Σ wⱼ² (the bias is not
// penalised) by Newton's method with step halving; L2 keeps the weights finite on separable data.
//
// Bad input is a RangeError: no examples, features of different lengths, non-finite values, labels
// other than 0/1, or a single class (the bias would run to ±∞: nothing to learn).

export interface LogisticExample {
  features: readonly number[];
  label: 0 | 1;
}

export interface LogisticModel {
  /** One weight per standardised feature. */
  weights: number[];
  bias: number;
  featureMeans: number[];
  featureScales: number[];
}

export interface LogisticOptions {
  /** L2 penalty on the standardised weights, ≥ 0 (default 1e-3). */
  l2?: number;
  /** Newton iterations at most (default 100; it usually converges in under 15). */
  iterations?: number;
}

const sigmoid = (t: number) => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));
/** ln(1 + e^t) without overflow. */
const softplus = (t: number) => (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t)));

function checkFeatures(features: readonly number[], d: number, where: string): void {
  if (!Array.isArray(features) || features.length !== d) throw new RangeError(`${where}: expected ${d} features (got ${Array.isArray(features) ? features.length : typeof features})`);
  features.forEach((v, j) => {
    if (!Number.isFinite(v)) throw new RangeError(`${where}: feature ${j} is not a finite number (${v})`);
  });
}

/** Solves the symmetric positive-definite system A x = b by Cholesky (A is overwritten). */
function solveSpd(A: number[][], b: number[]): number[] {
  const n = b.length;
  for (let j = 0; j < n; j++) {
    let s = A[j][j];
    for (let k = 0; k < j; k++) s -= A[j][k] * A[j][k];
    A[j][j] = Math.sqrt(Math.max(s, 1e-300));
    for (let i = j + 1; i < n; i++) {
      let t = A[i][j];
      for (let k = 0; k < j; k++) t -= A[i][k] * A[j][k];
      A[i][j] = t / A[j][j];
    }
  }
  const y = b.slice();
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) y[i] -= A[i][k] * y[k];
    y[i] /= A[i][i];
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) y[i] -= A[k][i] * y[k];
    y[i] /= A[i][i];
  }
  return y;
}

/** Fits the model (see the header). Deterministic: the same examples give the same model. */
export function fitLogistic(examples: readonly LogisticExample[], opts: LogisticOptions = {}): LogisticModel {
  const l2 = opts.l2 ?? 1e-3;
  const iterations = opts.iterations ?? 100;
  if (!Number.isFinite(l2) || l2 < 0) throw new RangeError(`fitLogistic: l2 must be a finite number ≥ 0 (got ${l2})`);
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError(`fitLogistic: iterations must be a positive integer (got ${iterations})`);
  if (!Array.isArray(examples) || examples.length === 0) throw new RangeError('fitLogistic needs at least one example');
  const n = examples.length;
  const d = Array.isArray(examples[0].features) ? examples[0].features.length : 0;
  let positives = 0;
  examples.forEach((e, i) => {
    checkFeatures(e.features, d, `example ${i}`);
    if (e.label !== 0 && e.label !== 1) throw new RangeError(`example ${i}: label must be 0 or 1 (got ${String(e.label)})`);
    positives += e.label;
  });
  if (positives === 0 || positives === n) throw new RangeError(`fitLogistic needs both labels (got ${positives} of ${n} with label 1)`);

  const featureMeans = Array.from({ length: d }, (_, j) => examples.reduce((s, e) => s + e.features[j], 0) / n);
  const featureScales = featureMeans.map((m, j) => {
    const sd = Math.sqrt(examples.reduce((s, e) => s + (e.features[j] - m) ** 2, 0) / n);
    return sd > 1e-12 * Math.max(1, Math.abs(m)) ? sd : 1;
  });
  // Design matrix with the bias column last.
  const Z = examples.map((e): number[] => [...e.features.map((v: number, j: number) => (v - featureMeans[j]) / featureScales[j]), 1]);
  const y = examples.map((e) => e.label);
  const p = d + 1;
  const beta = new Array<number>(p).fill(0);
  beta[d] = Math.log(positives / (n - positives));

  const loss = (b: readonly number[]) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      let eta = 0;
      for (let j = 0; j < p; j++) eta += Z[i][j] * b[j];
      s += softplus(eta) - y[i] * eta;
    }
    let pen = 0;
    for (let j = 0; j < d; j++) pen += b[j] * b[j];
    return s / n + 0.5 * l2 * pen;
  };
  let current = loss(beta);
  for (let it = 0; it < iterations; it++) {
    const g = new Array<number>(p).fill(0);
    const H = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (let i = 0; i < n; i++) {
      let eta = 0;
      for (let j = 0; j < p; j++) eta += Z[i][j] * beta[j];
      const mu = sigmoid(eta);
      const w = mu * (1 - mu);
      const r = mu - y[i];
      for (let j = 0; j < p; j++) {
        g[j] += (r * Z[i][j]) / n;
        for (let k = 0; k <= j; k++) H[j][k] += (w * Z[i][j] * Z[i][k]) / n;
      }
    }
    for (let j = 0; j < d; j++) {
      g[j] += l2 * beta[j];
      H[j][j] += l2;
    }
    H[d][d] += 1e-12; // the bias has no penalty; keep the system definite on separable data
    if (Math.max(...g.map(Math.abs)) < 1e-10) break;
    for (let j = 0; j < p; j++) for (let k = j + 1; k < p; k++) H[j][k] = H[k][j];
    const step = solveSpd(H, g);
    let t = 1;
    let next = beta.map((v, j) => v - t * step[j]);
    let value = loss(next);
    while (!(value <= current) && t > 1e-10) {
      t /= 2;
      next = beta.map((v, j) => v - t * step[j]);
      value = loss(next);
    }
    if (!(value <= current)) break;
    const improvement = current - value;
    beta.splice(0, p, ...next);
    current = value;
    if (improvement < 1e-15 * Math.max(1, current)) break;
  }
  return { weights: beta.slice(0, d), bias: beta[d], featureMeans, featureScales };
}

function checkModel(model: LogisticModel, features: readonly number[]): void {
  const d = model.weights.length;
  if (model.featureMeans.length !== d || model.featureScales.length !== d) throw new RangeError('logistic model: weights, means and scales differ in length');
  checkFeatures(features, d, 'features');
}

/** P(label = 1) for one feature vector (same features, same order as in training). */
export function predictLogistic(model: LogisticModel, features: readonly number[]): number {
  checkModel(model, features);
  let eta = model.bias;
  for (let j = 0; j < features.length; j++) eta += model.weights[j] * ((features[j] - model.featureMeans[j]) / model.featureScales[j]);
  return sigmoid(eta);
}

export interface Factor {
  name: string;
  index: number;
  /** wⱼ·zⱼ: how much this feature moves the log-odds from those of an average patient. */
  contribution: number;
  /** +1: raises the score (more likely label 1), −1: lowers it, 0: no effect. */
  sign: 1 | -1 | 0;
}

/**
 * The k features that move this patient's log-odds the most away from an average patient's (by
 * |weight × standardised value|, ties by feature order), with their direction: "why this score".
 * k is clamped to [0, number of features].
 */
export function topFactors(model: LogisticModel, features: readonly number[], names: readonly string[], k: number): Factor[] {
  checkModel(model, features);
  if (names.length !== features.length) throw new RangeError(`topFactors: ${names.length} names for ${features.length} features`);
  if (!Number.isFinite(k)) throw new RangeError(`topFactors: k must be a number (got ${k})`);
  const count = Math.max(0, Math.min(features.length, Math.floor(k)));
  return features
    .map((v, j): Factor => {
      const contribution = model.weights[j] * ((v - model.featureMeans[j]) / model.featureScales[j]);
      return { name: names[j], index: j, contribution, sign: contribution > 0 ? 1 : contribution < 0 ? -1 : 0 };
    })
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.index - b.index)
    .slice(0, count);
}
