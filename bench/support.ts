// What the benchmarks share: percentiles over sorted samples, a fixed-concurrency pool, and a child
// process's memory read from /proc (Linux).
import fs from 'node:fs';

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
