// Backoff on Google's rate limits, the in-memory budget, the Pacific quota day, and the signed state.
import { describe, expect, it } from 'vitest';
import { isRetryable, memoryQuota, quotaDay, withBackoff } from './rate-limit';
import { CalendarQuotaExceeded, CalendarRateLimited } from './types';
import { channelToken, signState, verifyChannelToken, verifyState } from './signing';
import { googleWebhookUrl } from './index';

const gaxiosError = (status: number, reason?: string, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`HTTP ${status}`), {
    status,
    response: { status, headers: new Headers(headers), data: reason ? { error: { code: status, errors: [{ reason }] } } : {} },
  });

describe('withBackoff', () => {
  it('retries 429 and 403 rateLimitExceeded with growing delays, then succeeds', async () => {
    const waits: number[] = [];
    let calls = 0;
    const out = await withBackoff(async () => {
      calls++;
      if (calls === 1) throw gaxiosError(429);
      if (calls === 2) throw gaxiosError(403, 'rateLimitExceeded');
      if (calls === 3) throw gaxiosError(403, 'userRateLimitExceeded');
      return 'ok';
    }, { sleep: async (ms) => { waits.push(ms); }, random: () => 0 });
    expect(out).toBe('ok');
    expect(waits).toEqual([1000, 2000, 4000]);
  });

  it('honours Retry-After', async () => {
    const waits: number[] = [];
    let calls = 0;
    await withBackoff(async () => { if (calls++ === 0) throw gaxiosError(429, undefined, { 'retry-after': '7' }); }, { sleep: async (ms) => { waits.push(ms); } });
    expect(waits).toEqual([7000]);
  });

  it('gives up with CalendarRateLimited after the last retry', async () => {
    let calls = 0;
    await expect(withBackoff(async () => { calls++; throw gaxiosError(429); }, { retries: 2, sleep: async () => {} })).rejects.toBeInstanceOf(CalendarRateLimited);
    expect(calls).toBe(3);
  });

  it('does not retry other errors (403 forbidden, 404, 410, quota)', async () => {
    for (const err of [gaxiosError(403, 'forbidden'), gaxiosError(404, 'notFound'), gaxiosError(410, 'fullSyncRequired'), new CalendarQuotaExceeded('c', 'd', 1)]) {
      let calls = 0;
      await expect(withBackoff(async () => { calls++; throw err; }, { sleep: async () => {} })).rejects.toBe(err);
      expect(calls).toBe(1);
    }
    expect(isRetryable(gaxiosError(503))).toBe(true);
    expect(isRetryable(gaxiosError(403, 'quotaExceeded'))).toBe(false);
  });
});

describe('daily quota', () => {
  it('counts per clinic and refuses past the limit', async () => {
    const q = memoryQuota({ limit: 2, now: () => new Date('2026-03-10T12:00:00Z') });
    await q.take('a');
    await q.take('a');
    await expect(q.take('a')).rejects.toBeInstanceOf(CalendarQuotaExceeded);
    await q.take('b');
    expect(await q.usage('a')).toEqual({ day: '2026-03-10', used: 2, limit: 2 });
  });

  it('follows Google’s day (midnight Pacific time)', () => {
    expect(quotaDay(new Date('2026-03-10T06:59:00Z'))).toBe('2026-03-09'); // 23:59 PDT (UTC−7 since 8 March)
    expect(quotaDay(new Date('2026-03-10T07:00:00Z'))).toBe('2026-03-10');
    expect(quotaDay(new Date('2026-01-10T07:59:00Z'))).toBe('2026-01-09'); // 23:59 PST (UTC−8)
  });
});

describe('signed OAuth state and channel token', () => {
  const secret = 'segredo-de-teste-1234567890';
  const state = { clinicId: '11111111-2222-4333-8444-555555555555', professionalId: '21111111-2222-4333-8444-555555555555', userId: '31111111-2222-4333-8444-555555555555', expiresAt: Date.parse('2026-03-10T12:15:00Z') };
  const at = new Date('2026-03-10T12:00:00Z');

  it('round-trips, and refuses tampering, another key, and expiry', () => {
    const signed = signState(secret, { ...state, calendarId: 'agenda@group.calendar.google.com' });
    expect(verifyState(secret, signed, at)).toEqual({ ok: true, state: { ...state, calendarId: 'agenda@group.calendar.google.com' } });
    const [body, sig] = signed.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), p: '41111111-2222-4333-8444-555555555555' })).toString('base64url');
    expect(verifyState(secret, `${forged}.${sig}`, at)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyState('outro-segredo-1234567890', signed, at)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyState(secret, signed, new Date('2026-03-10T12:16:00Z'))).toEqual({ ok: false, reason: 'expired' });
    expect(verifyState(secret, 'lixo', at)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('channel tokens are derived from the channel id', () => {
    expect(verifyChannelToken(secret, 'ch-1', channelToken(secret, 'ch-1'))).toBe(true);
    expect(verifyChannelToken(secret, 'ch-2', channelToken(secret, 'ch-1'))).toBe(false);
    expect(verifyChannelToken(secret, 'ch-1', undefined)).toBe(false);
  });
});

describe('googleWebhookUrl', () => {
  it('push notifications only for a public https API', () => {
    expect(googleWebhookUrl('https://api.clinica.com.br/webhooks/google/oauth-callback')).toBe('https://api.clinica.com.br/webhooks/google/calendar');
    expect(googleWebhookUrl('http://127.0.0.1:8787/webhooks/google/oauth-callback')).toBeUndefined();
  });
});
