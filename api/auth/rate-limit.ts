// Failed-login limiter: a fixed number of failures per key within a window (in memory, per API process).
export class FailureLimiter {
  private failures = new Map<string, number[]>();
  constructor(private readonly max: number, private readonly windowMs: number) {}

  private recent(key: string, now: number) {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }
  /** Seconds until the key may try again, or 0 when it may try now. */
  retryAfter(key: string, now = Date.now()): number {
    const list = this.recent(key, now);
    if (list.length < this.max) return 0;
    return Math.ceil((list[0] + this.windowMs - now) / 1000);
  }
  fail(key: string, now = Date.now()) {
    this.recent(key, now);
    this.failures.set(key, [...(this.failures.get(key) ?? []), now]);
  }
  reset(key: string) {
    this.failures.delete(key);
  }
}
