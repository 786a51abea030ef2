// What the benchmarks share: percentiles over sorted samples, a fixed-concurrency pool, a child
// process's memory read from /proc (Linux), waiting for a count to reach a target, and a throw-away
// stack (embedded PostgreSQL with a migrated `bench` database and a Temporal dev server).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDatabase, startEmbeddedPostgres } from '../db/embedded';
import { migrateDatabase } from '../db/migrate';
import { freePort, startTemporalDevServer } from '../scripts/temporal-dev';

/** The p-th percentile (nearest rank) of ascending samples; NaN when there are none. */
export const pct = (sorted: number[], p: number): number =>
  (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : Number.NaN);

/** Runs `fn` over `items` with at most `n` at a time, in order of start. */
export async function pool<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}

/** A process's resident memory (VmRSS) or its peak (VmHWM), in MB. */
export function procMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

/** Polls `progress` until it reaches `target` (a line every 30 s); throws after `timeoutMs`. */
export async function until(what: string, progress: () => Promise<number>, target: number, timeoutMs = 45 * 60_000): Promise<void> {
  const started = Date.now();
  let shown = started;
  for (;;) {
    const n = await progress();
    if (n >= target) return;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: ${n} of ${target} after ${timeoutMs / 1000} s`);
    if (Date.now() - shown > 30_000) {
      shown = Date.now();
      console.log(`  ${what}: ${n}/${target} after ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A throw-away stack: embedded PostgreSQL (a migrated `bench` database) and a Temporal dev server; `stop` removes both. */
export async function benchStack(name: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tigre-bench-${name}-`));
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: await freePort(), persistent: false });
  const temporal = await startTemporalDevServer({ port: await freePort(), logFile: path.join(dir, 'temporal.log') });
  await ensureDatabase(pg.adminUrl, 'bench');
  const url = pg.urlFor('bench');
  await migrateDatabase(url);
  return {
    dir, url, temporal,
    async stop() {
      await temporal.stop();
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
