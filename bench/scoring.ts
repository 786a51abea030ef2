// Benchmark (on demand: `npm run bench:scoring`): scoreClinic on a clinic of BENCH_SCORING_PATIENTS
// patients simulated from known BG/NBD parameters (tests/support/reactivation.ts), in a throw-away
// database: the first run (inserts every score), a second run (updates them all) and one with a trained
// model blended in, each beside a plain `select` of the clinic's realised appointments (the floor any
// scoring must read) so the ratio says what the scoring costs on this machine. Also prints the AUC of
// the risk against who truly left.
// Env: BENCH_SCORING_PATIENTS (20000), DATABASE_URL (else embedded PostgreSQL).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { connect } from '../db/client';
import { dropDatabase, ensureDatabase, startEmbeddedPostgres } from '../db/embedded';
import { migrateDatabase } from '../db/migrate';
import { auc, fitLogistic } from '../domain/lifetime';
import { SCORE_FEATURE_NAMES } from '../domain/patient-score';
import { freePort } from '../scripts/temporal-dev';
import { scoreClinic } from '../services/reactivation/scoring';
import { insertSimulatedClinic } from '../tests/support/reactivation';

const N = Number(process.env.BENCH_SCORING_PATIENTS ?? 20_000);
const TRUE = { r: 0.9, alpha: 70, a: 0.7, b: 2.2 };

async function main() {
  let adminUrl = process.env.DATABASE_URL;
  let stop = async () => {};
  if (!adminUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tigre-bench-scoring-'));
    fs.chmodSync(dir, 0o755);
    const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'data'), port: await freePort(), persistent: false });
    adminUrl = pg.adminUrl;
    stop = async () => { await pg.stop(); fs.rmSync(dir, { recursive: true, force: true }); };
  }
  const name = `tigre_bench_scoring_${process.pid}`;
  await ensureDatabase(adminUrl, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  const database = connect(url.toString(), { max: 4 });
  const db = database.db;
  try {
    const now = new Date();
    let t = performance.now();
    const sim = await insertSimulatedClinic(db, { name: 'Clínica Benchmark', n: N, params: TRUE, maxDays: 730, seed: 'bench-scoring', now });
    const visits = sim.patients.reduce((s, p) => s + p.visitDays.length, 0);
    console.log(`fixture: ${N} patients, ${visits} realised visits and payments in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await db.execute(sql`analyze`);

    const floor = async () => {
      const t0 = performance.now();
      await db.execute(sql`select patient_id, starts_at from appointments where clinic_id = ${sim.clinicId}::uuid and status = 'realizado'`);
      return performance.now() - t0;
    };
    const run = async (label: string) => {
      const base = await floor();
      const t0 = performance.now();
      const r = await scoreClinic(db, sim.clinicId, now);
      const ms = performance.now() - t0;
      console.log(`${label}: ${r.scored} patients in ${ms.toFixed(0)} ms (${((ms / r.scored) * 1000).toFixed(0)} µs each; method ${r.method}${r.modelVersion ? `, model v${r.modelVersion}` : ''}); reading the visits alone ${base.toFixed(0)} ms (× ${(ms / base).toFixed(1)})`);
      console.log(`  phases: read ${r.phases.readMs} ms, fit ${r.phases.fitMs} ms, score ${r.phases.scoreMs} ms, write ${r.phases.writeMs} ms`);
      return r;
    };
    const first = await run('first scoring (insert)');
    console.log(`  fitted ${JSON.stringify(first.params?.bgNbd)} (true ${JSON.stringify(TRUE)})`);
    await run('second scoring (update)');

    const rows = (await db.execute(sql`select patient_id, risk, features from patient_scores where clinic_id = ${sim.clinicId}::uuid`)) as unknown as { patient_id: string; risk: number; features: number[] }[];
    const risk = new Map(rows.map((r) => [r.patient_id, r.risk]));
    const churned = sim.patients.map((p) => (p.truth.alive ? 0 : 1) as 0 | 1);
    console.log(`  AUC of risk vs truly churned: ${auc(sim.patients.map((p) => risk.get(p.id)!), churned).toFixed(3)}`);

    const m = fitLogistic(rows.slice(0, 2000).map((r) => ({ features: r.features, label: (r.features[6] > 2 ? 1 : 0) as 0 | 1 })));
    await db.execute(sql`
      insert into churn_models (clinic_id, version, trained_at, examples, positives, auc, brier, model)
      values (${sim.clinicId}::uuid, 1, now(), 2000, 1000, 0.8, 0.15,
              ${JSON.stringify({ names: SCORE_FEATURE_NAMES, weights: m.weights, bias: m.bias, featureMeans: m.featureMeans, featureScales: m.featureScales })}::jsonb)
    `);
    await run('with a trained model');
  } finally {
    await database.close();
    await dropDatabase(adminUrl, name).catch(() => {});
    await stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
