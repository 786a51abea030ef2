// Staying inside Google's limits: a per-clinic daily request budget (the QuotaCounter port; kept in
// PostgreSQL by services/calendar-quota.ts), and exponential backoff with jitter when Google answers
// 429 or 403 rateLimitExceeded.
import { CalendarQuotaExceeded, CalendarRateLimited } from './types';

/** The brief's budget: 1000 Calendar API requests per clinic per day. */
export const DEFAULT_DAILY_LIMIT = 1000;

export interface QuotaUsage {
  day: string;
  used: number;
  limit: number;
}

/** Every Calendar API request takes one unit first; `take` throws CalendarQuotaExceeded when none is left. */
export interface QuotaCounter {
  take(clinicId: string): Promise<void>;
  usage(clinicId: string): Promise<QuotaUsage>;
}

/** Google resets daily quotas at midnight Pacific time; the budget follows the same day. */
export function quotaDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** In memory (tests, scripts). */
export function memoryQuota(opts: { limit?: number; now?: () => Date } = {}): QuotaCounter & { counts: Map<string, number> } {
  const limit = opts.limit ?? DEFAULT_DAILY_LIMIT;
  const now = opts.now ?? (() => new Date());
  const counts = new Map<string, number>();
  return {
    counts,
    async take(clinicId) {
      const day = quotaDay(now());
      const key = `${clinicId}|${day}`;
      const used = counts.get(key) ?? 0;
      if (used >= limit) throw new CalendarQuotaExceeded(clinicId, day, limit);
      counts.set(key, used + 1);
    },
    async usage(clinicId) {
      const day = quotaDay(now());
      return { day, used: counts.get(`${clinicId}|${day}`) ?? 0, limit };
    },
  };
}

/** Status and error reasons of a googleapis (gaxios) error: `{ error: { code, errors: [{ reason }] } }`. */
export function googleError(err: unknown): { status?: number; reasons: string[]; retryAfterMs?: number } {
  const e = err as { status?: number; code?: number | string; response?: { status?: number; data?: unknown; headers?: unknown } };
  const status = e?.response?.status ?? (typeof e?.status === 'number' ? e.status : undefined);
  const data = e?.response?.data as { error?: { errors?: Array<{ reason?: string }>; status?: string } | string } | undefined;
  const reasons: string[] = [];
  if (data && typeof data.error === 'object') {
    for (const x of data.error.errors ?? []) if (x.reason) reasons.push(x.reason);
    if (data.error.status) reasons.push(data.error.status);
  } else if (data && typeof data.error === 'string') {
    reasons.push(data.error); // OAuth endpoint errors: { error: 'invalid_grant' }
  }
  let retryAfterMs: number | undefined;
  const headers = e?.response?.headers as { get?: (k: string) => string | null } | Record<string, string> | undefined;
  const retryAfter = typeof (headers as { get?: unknown })?.get === 'function'
    ? (headers as { get: (k: string) => string | null }).get('retry-after')
    : (headers as Record<string, string> | undefined)?.['retry-after'];
  if (retryAfter && /^\d+$/.test(retryAfter)) retryAfterMs = Number(retryAfter) * 1000;
  return { status, reasons, retryAfterMs };
}

const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'RESOURCE_EXHAUSTED']);

/** Worth waiting and retrying: too many requests right now, or a transient server error. */
export function isRetryable(err: unknown): boolean {
  const { status, reasons } = googleError(err);
  if (status === 429) return true;
  if (status === 403) return reasons.some((r) => RATE_REASONS.has(r));
  return status === 500 || status === 502 || status === 503 || status === 504;
}

export interface BackoffOptions {
  /** Retries after the first attempt (Google suggests a handful with exponential delays). */
  retries?: number;
  baseMs?: number;
  maxMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` and retries it while Google rate-limits it, waiting base·2^n (capped) plus up to 1 s of
 * jitter, or Retry-After when given. Each attempt is a new request (and takes its own quota unit).
 * After the last retry a rate-limit answer becomes CalendarRateLimited; other errors pass through.
 */
export async function withBackoff<T>(attempt: () => Promise<T>, opts: BackoffOptions = {}): Promise<T> {
  const retries = opts.retries ?? 5;
  const baseMs = opts.baseMs ?? 1000;
  const maxMs = opts.maxMs ?? 32_000;
  const sleep = opts.sleep ?? realSleep;
  const random = opts.random ?? Math.random;
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isRetryable(err)) throw err;
      if (n >= retries) {
        const { status, reasons } = googleError(err);
        throw new CalendarRateLimited(`Google Calendar still limiting after ${retries + 1} attempts (${status} ${reasons.join(',')})`);
      }
      const hinted = googleError(err).retryAfterMs;
      await sleep(hinted ?? Math.min(maxMs, baseMs * 2 ** n) + Math.floor(random() * 1000));
    }
  }
}
