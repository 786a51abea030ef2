// Benchmark (on demand: `npm run bench:lifetime`): the lifetime models of domain/lifetime on 100,000
// synthetic patients — fit BG/NBD and Gamma–Gamma, then score every patient (P(alive), churn risk,
// 12-month CLV in centavos). No database, no server: pure CPU, one thread.
//
// Baseline, measured in the same run on the same patients: one plain pass of each model's
// log-likelihood written the straightforward way (a loop over the patients calling logGamma for each,
// as a textbook implementation evaluates it once per optimiser step). The ratio fit / pass says how
// many such passes the whole fit costs, whatever the machine: it counts the optimiser's evaluations
// and restarts, discounted by the fit's grouping of patients by frequency (log-gammas once per distinct
// frequency, not once per patient). Scoring is reported against the same pass, and beside a sort of
// 100,000 numbers for a familiar scale. Each is timed alternately with its baseline, 5 rounds after a
// warm-up, and the median of the per-round ratios is printed (robust to a busy shared machine).
// Env: BENCH_LIFETIME_PATIENTS (100000).
import os from 'node:os';
import {
  blendChurnRisk, churnRiskFromAlive, customerLifetimeValue, fitBgNbd, fitGammaGamma, logGamma, probabilityAlive,
  simulateBgNbd, simulateGammaGamma, type BgNbdParams, type GammaGammaParams,
} from '../domain/lifetime';
import { createRandom } from '../domain/random';

const N = Number(process.env.BENCH_LIFETIME_PATIENTS ?? 100_000);

// Patients in days: the paper's CDNOW BG/NBD (α in weeks × 7) with first visits spread over a year,
// and a clinic's ticket of about R$ 300,00 (Gamma–Gamma in centavos, the paper's p and q).
const BG: BgNbdParams = { r: 0.243, alpha: 4.414 * 7, a: 0.793, b: 2.426 };
const GG: GammaGammaParams = { p: 6.25, q: 3.74, gamma: (30_000 * 2.74) / 6.25 };

type Patient = { frequency: number; recency: number; T: number; monetaryValue: number };

/** ln L of BG/NBD summed over the patients, the straightforward way (eq. 6, log-gammas per patient). */
function naiveBgNbdPass(p: BgNbdParams, patients: readonly Patient[]): number {
  let s = 0;
  for (const c of patients) {
    const x = c.frequency;
    const a1 = logGamma(p.r + x) - logGamma(p.r) + p.r * Math.log(p.alpha);
    const a2 = logGamma(p.a + p.b) + logGamma(p.b + x) - logGamma(p.b) - logGamma(p.a + p.b + x);
    const a3 = -(p.r + x) * Math.log(p.alpha + c.T);
    if (x === 0) s += a1 + a2 + a3;
    else {
      const a4 = Math.log(p.a) - Math.log(p.b + x - 1) - (p.r + x) * Math.log(p.alpha + c.recency);
      const m = Math.max(a3, a4);
      s += a1 + a2 + m + Math.log(Math.exp(a3 - m) + Math.exp(a4 - m));
    }
  }
  return s;
}

/** ln L of Gamma–Gamma summed over the patients with repeat spend, the straightforward way. */
function naiveGammaGammaPass(g: GammaGammaParams, patients: readonly Patient[]): number {
  let s = 0;
  for (const c of patients) {
    if (c.frequency === 0 || c.monetaryValue <= 0) continue;
    const px = g.p * c.frequency;
    s += logGamma(px + g.q) - logGamma(px) - logGamma(g.q) + g.q * Math.log(g.gamma) + (px - 1) * Math.log(c.monetaryValue)
      + px * Math.log(c.frequency) - (px + g.q) * Math.log(g.gamma + c.monetaryValue * c.frequency);
  }
  return s;
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Times `fn` and `baseline` alternately, `rounds` times after one warm-up of each, so that both see the
 * same load on a shared machine; reports the median of each and the median of the per-round ratios.
 */
function paired<T>(fn: () => T, baseline: () => unknown, rounds = 5): { ms: number; baseMs: number; ratio: number; value: T } {
  let value = fn();
  baseline();
  const ms: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    baseline();
    base.push(performance.now() - t);
    t = performance.now();
    value = fn();
    ms.push(performance.now() - t);
  }
  return { ms: median(ms), baseMs: median(base), ratio: median(ms.map((m, i) => m / base[i])), value };
}

function main() {
  let t = performance.now();
  const visits = simulateBgNbd(BG, N, 365, 'bench-lifetime');
  const spend = simulateGammaGamma(GG, visits, 'bench-lifetime');
  const patients: Patient[] = visits.map((v, i) => ({ frequency: v.frequency, recency: v.recency, T: v.T, monetaryValue: spend[i].monetaryValue }));
  const simulateMs = performance.now() - t;
  const repeat = patients.filter((p) => p.frequency > 0).length;

  const naiveBg = () => naiveBgNbdPass(BG, patients);
  const naiveGg = () => naiveGammaGammaPass(GG, patients);
  const sort = () => {
    const r = createRandom('sort');
    return Float64Array.from({ length: N }, () => r.next()).sort()[0];
  };

  const bgFit = paired(() => fitBgNbd(patients), naiveBg);
  const ggFit = paired(() => fitGammaGamma(patients), naiveGg);
  const bg = bgFit.value;
  const gg = ggFit.value;

  const scoreAll = () => {
    let clvTotal = 0;
    let riskTotal = 0;
    for (const c of patients) {
      const alive = probabilityAlive(bg, c);
      riskTotal += blendChurnRisk({ pAlive: alive, learned: null });
      clvTotal += customerLifetimeValue(bg, gg, c, { horizonMonths: 12, unitDays: 1 });
    }
    return { clvTotal, riskTotal };
  };
  const score = paired(scoreAll, naiveBg);
  const scoreVsSort = paired(scoreAll, sort, 3);
  const aliveOnly = paired(() => patients.reduce((s, c) => s + churnRiskFromAlive(probabilityAlive(bg, c)), 0), naiveBg);

  const pad = (s: string) => s.padEnd(58);
  const ms = (v: number) => `${v.toFixed(1).padStart(8)} ms`;
  console.log(`\n${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}; ${N.toLocaleString('en')} patients (${repeat.toLocaleString('en')} with repeat visits), simulated in ${simulateMs.toFixed(0)} ms\n`);
  console.log(`${pad('baseline: one naive BG/NBD log-likelihood pass')}${ms(bgFit.baseMs)}`);
  console.log(`${pad('baseline: one naive Gamma–Gamma log-likelihood pass')}${ms(ggFit.baseMs)}`);
  console.log(`${pad(`baseline: sort ${N.toLocaleString('en')} numbers (Float64Array)`)}${ms(scoreVsSort.baseMs)}`);
  console.log(`${pad('fitBgNbd')}${ms(bgFit.ms)}   ratio ${bgFit.ratio.toFixed(1)} naive BG/NBD passes`);
  console.log(`${pad('fitGammaGamma')}${ms(ggFit.ms)}   ratio ${ggFit.ratio.toFixed(1)} naive Gamma–Gamma passes`);
  console.log(`${pad('score: P(alive) + churn risk + 12-month CLV, all patients')}${ms(score.ms)}   ratio ${score.ratio.toFixed(1)} naive BG/NBD passes, ${scoreVsSort.ratio.toFixed(1)} sorts; ${((score.ms * 1000) / N).toFixed(2)} µs/patient`);
  console.log(`${pad('score: P(alive) + churn risk only')}${ms(aliveOnly.ms)}   ratio ${aliveOnly.ratio.toFixed(2)} naive BG/NBD passes`);
  const rel = (x: number, y: number) => `${((x / y - 1) * 100).toFixed(1)}%`;
  console.log(`\nrecovered BG/NBD r ${bg.r.toFixed(3)} (${rel(bg.r, BG.r)}), α ${bg.alpha.toFixed(2)} d (${rel(bg.alpha, BG.alpha)}), a ${bg.a.toFixed(3)} (${rel(bg.a, BG.a)}), b ${bg.b.toFixed(3)} (${rel(bg.b, BG.b)})`);
  console.log(`recovered Gamma–Gamma p ${gg.p.toFixed(2)} (${rel(gg.p, GG.p)}), q ${gg.q.toFixed(2)} (${rel(gg.q, GG.q)}), γ ${gg.gamma.toFixed(0)} (${rel(gg.gamma, GG.gamma)})`);
  console.log(`mean 12-month CLV R$ ${(score.value.clvTotal / N / 100).toFixed(2)}, mean churn risk ${(score.value.riskTotal / N).toFixed(1)}`);
}

main();
