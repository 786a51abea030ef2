// Lifetime value and churn models for the clinic's patients: the one module the rest of the project
// imports (the other files of this folder are its parts). Pure and deterministic: numbers in, numbers
// out; randomness only from domain/random.ts with a seed.
//
// - bgnbd.ts        BG/NBD: fit, P(alive), expected visits (Fader, Hardie & Lee 2005)
// - gamma-gamma.ts  Gamma–Gamma spend per visit (Fader, Hardie & Lee 2005, "RFM and CLV")
// - clv.ts          customer lifetime value over a horizon, in centavos
// - churn.ts        churn risk 0–100 from P(alive), blended with a learned probability
// - logistic.ts     logistic-regression learner and its top factors ("why this score")
// - evaluation.ts   AUC, calibration table + Brier, holdout and k-fold splits
// - holdout.ts      campaign control groups by hash, lift with a Newcombe interval, its revenue
// - simulate.ts     synthetic patients from both models (tests, benchmark)
// - special.ts      log-gamma, digamma, log-sum-exp, ₂F₁, normal quantile
// - optimize.ts     L-BFGS and the multi-start fit driver
export * from './bgnbd';
export * from './gamma-gamma';
export * from './simulate';
export * from './special';
export { parametersAtBound, LOG_PARAM_BOUND, minimize, type FitOptions, type MinimizeOptions, type MinimizeResult, type Objective } from './optimize';
export * from './clv';
export * from './logistic';
export * from './evaluation';
export * from './churn';
export * from './holdout';
