// The real Google adapter (googleapis + google-auth-library) against a local fake Google: OAuth code
// exchange and refresh, events insert/patch/delete, freeBusy, incremental listing with sync and page
// tokens, 410 → full resync, push channels, rate-limit backoff and the daily quota.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCalendarProvider, CalendarAuthRevoked, CalendarQuotaExceeded, SyncTokenExpired, type AppointmentEvent, type CalendarProvider, type OAuthTokens, type ProfessionalCalendar } from '../../providers/calendar';
import { eventIdFor } from '../../providers/calendar/mapping';
import { memoryQuota } from '../../providers/calendar/rate-limit';
import { startFakeGoogle, type FakeGoogle } from './fake-google';

const CLINIC = '11111111-2222-4333-8444-555555555555';
let google: FakeGoogle;
let quota: ReturnType<typeof memoryQuota>;
let provider: CalendarProvider;
const sleeps: number[] = [];

const makeProvider = (q = quota) => createCalendarProvider({
  clientId: google.client.id, clientSecret: google.client.secret, redirectUrl: 'http://127.0.0.1:8787/webhooks/google/oauth-callback',
  quota: q, endpoints: google.endpoints, sleep: async (ms) => { sleeps.push(ms); },
});

const calendarFor = (tokens?: OAuthTokens, calendarId = 'primary'): ProfessionalCalendar & { saved: OAuthTokens[] } => {
  const saved: OAuthTokens[] = [];
  return {
    clinicId: CLINIC, calendarId, saved,
    tokens: tokens ?? { access_token: google.issueAccessToken(), refresh_token: 'refresh-ok', expiry_date: Date.now() + 3600_000 },
    onTokens: (t) => { saved.push(t); },
  };
};

const appointment = (over: Partial<AppointmentEvent> = {}): AppointmentEvent => ({
  appointmentId: '3f2a9c1e-8b7d-4e6f-9a1b-2c3d4e5f6a7b', clinicId: CLINIC, patientName: 'Ana Souza', procedureName: 'Botox',
  startsAt: new Date('2026-03-10T13:00:00Z'), durationMinutes: 45, timeZone: 'America/Sao_Paulo', status: 'agendado', ...over,
});

beforeAll(async () => { google = await startFakeGoogle({ pageSize: 2 }); });
afterAll(async () => google?.close());
beforeEach(() => {
  google.calendars.clear();
  google.requests.length = 0;
  google.acceptSyncTokens();
  sleeps.length = 0;
  quota = memoryQuota({ limit: 1000 });
  provider = makeProvider();
});

describe('OAuth', () => {
  it('sends the professional to the consent page with our state, offline access and calendar scopes', () => {
    const url = new URL(provider.authUrl('estado-assinado'));
    expect(url.origin + url.pathname).toBe(google.endpoints.authBaseUrl);
    expect(url.searchParams.get('state')).toBe('estado-assinado');
    expect(url.searchParams.get('access_type')).toBe('offline');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('client_id')).toBe(google.client.id);
    expect(url.searchParams.get('scope')).toContain('https://www.googleapis.com/auth/calendar.events');
  });

  it('exchanges the code for tokens (with a refresh token) at the token endpoint', async () => {
    const tokens = await provider.exchangeCode(google.issueCode('refresh-abc'));
    expect(tokens.refresh_token).toBe('refresh-abc');
    expect(tokens.access_token).toMatch(/^access-/);
    expect(tokens.expiry_date).toBeGreaterThan(Date.now());
    await expect(provider.exchangeCode('codigo-falso')).rejects.toThrow();
  });

  it('refreshes an expired access token before calling, and hands the new one over to be stored', async () => {
    const cal = calendarFor({ access_token: 'access-expired', refresh_token: 'refresh-ok', expiry_date: Date.now() - 60_000 });
    await provider.upsertEvent(cal, appointment());
    const tokenCalls = google.requests.filter((r) => r.path === '/token');
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0].body).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'refresh-ok' });
    expect(cal.saved).toHaveLength(1);
    expect(cal.saved[0].access_token).toMatch(/^access-/);
    expect(cal.saved[0].refresh_token).toBe('refresh-ok');
    expect(google.apiRequests()[0].authorization).toBe(`Bearer ${cal.saved[0].access_token}`);
  });

  it('refreshes after a 401 on a token that looked valid', async () => {
    const cal = calendarFor({ access_token: 'access-revoked-early', refresh_token: 'refresh-ok', expiry_date: Date.now() + 3600_000 });
    await provider.deleteEvent(cal, 'nenhum');
    expect(google.requests.filter((r) => r.path === '/token')).toHaveLength(1);
    expect(cal.saved).toHaveLength(1);
  });

  it('a revoked refresh token becomes CalendarAuthRevoked', async () => {
    const cal = calendarFor({ access_token: 'access-expired', refresh_token: 'refresh-revogado', expiry_date: Date.now() - 60_000 });
    await expect(provider.upsertEvent(cal, appointment())).rejects.toBeInstanceOf(CalendarAuthRevoked);
  });
});

describe('events', () => {
  it('creates the event with our deterministic id, updates it, and deletes it', async () => {
    const cal = calendarFor();
    const id = await provider.upsertEvent(cal, appointment());
    expect(id).toBe(eventIdFor('3f2a9c1e-8b7d-4e6f-9a1b-2c3d4e5f6a7b'));
    const created = google.event('primary', id)!;
    expect(created.summary).toBe('Botox — Ana Souza');
    expect(created.start).toEqual({ dateTime: '2026-03-10T13:00:00.000Z', timeZone: 'America/Sao_Paulo' });
    expect(google.apiRequests().at(-1)!.query.get('sendUpdates')).toBe('none');

    const again = await provider.upsertEvent(cal, appointment({ googleEventId: id, startsAt: new Date('2026-03-11T15:00:00Z'), status: 'confirmado' }));
    expect(again).toBe(id);
    expect(google.apiRequests().at(-1)!.method).toBe('PATCH');
    expect(google.event('primary', id)!.end?.dateTime).toBe('2026-03-11T15:45:00.000Z');
    expect(google.event('primary', id)!.extendedProperties?.private?.tigreStartsAt).toBe('2026-03-11T15:00:00.000Z');

    await provider.deleteEvent(cal, id);
    expect(google.event('primary', id)!.status).toBe('cancelled');
    await provider.deleteEvent(cal, id); // 410 already deleted: fine
    await provider.deleteEvent(cal, 'inexistente'); // 404: fine
  });

  it('a retried insert whose first answer was lost updates the same event instead of duplicating it', async () => {
    const cal = calendarFor();
    await provider.upsertEvent(cal, appointment());
    const id = await provider.upsertEvent(cal, appointment({ procedureName: 'Preenchimento' })); // no stored id: insert → 409 → patch
    expect(google.calendars.get('primary')!.size).toBe(1);
    expect(google.event('primary', id)!.summary).toBe('Preenchimento — Ana Souza');
    expect(google.apiRequests().map((r) => r.method)).toEqual(['POST', 'POST', 'PATCH']);
  });

  it('a stored event id that Google no longer knows is created again', async () => {
    const id = await provider.upsertEvent(calendarFor(), appointment({ googleEventId: 'sumiu' }));
    expect(id).toBe(eventIdFor('3f2a9c1e-8b7d-4e6f-9a1b-2c3d4e5f6a7b'));
    expect(google.apiRequests().map((r) => r.method)).toEqual(['PATCH', 'POST']);
  });
});

describe('freeBusy', () => {
  it('returns the busy intervals of each calendar in the window; an unreadable calendar gives none', async () => {
    google.addEvent('primary', { summary: 'Dentista', start: new Date('2026-03-10T15:00:00Z'), end: new Date('2026-03-10T16:00:00Z') });
    google.addEvent('primary', { summary: 'Fora da janela', start: new Date('2026-03-12T15:00:00Z'), end: new Date('2026-03-12T16:00:00Z') });
    const busy = await provider.freeBusy(calendarFor(), ['primary', 'desconhecida'], new Date('2026-03-10T00:00:00Z'), new Date('2026-03-11T00:00:00Z'));
    expect(busy).toEqual({ primary: [{ start: new Date('2026-03-10T15:00:00Z'), end: new Date('2026-03-10T16:00:00Z') }], desconhecida: [] });
  });
});

describe('listChanges', () => {
  it('lists everything page by page, then only what changed since the sync token', async () => {
    const cal = calendarFor();
    for (let i = 0; i < 5; i++) google.addEvent('primary', { summary: `Evento ${i}`, start: new Date(Date.UTC(2026, 2, 10 + i, 12)), end: new Date(Date.UTC(2026, 2, 10 + i, 13)) });
    const full = await provider.listChanges(cal, null);
    expect(full.full).toBe(true);
    expect(full.events).toHaveLength(5);
    expect(google.apiRequests().filter((r) => r.method === 'GET')).toHaveLength(3); // pages of 2

    const moved = [...google.calendars.get('primary')!.values()][1];
    google.moveEvent('primary', moved.id, new Date('2026-03-20T12:00:00Z'), new Date('2026-03-20T13:00:00Z'));
    const gone = [...google.calendars.get('primary')!.values()][3];
    google.deleteEvent('primary', gone.id);

    const delta = await provider.listChanges(cal, full.nextSyncToken);
    expect(delta.full).toBe(false);
    expect(delta.events.map((e) => [e.id, e.status])).toEqual([[moved.id, 'confirmed'], [gone.id, 'cancelled']]);
    expect(delta.events[0].start).toEqual(new Date('2026-03-20T12:00:00Z'));
    expect(google.apiRequests().at(-1)!.query.get('syncToken')).toBe(full.nextSyncToken);
    expect(delta.nextSyncToken).not.toBe(full.nextSyncToken);

    const none = await provider.listChanges(cal, delta.nextSyncToken);
    expect(none.events).toEqual([]);
  });

  it('an expired sync token (410 fullSyncRequired) throws SyncTokenExpired; a full listing works again', async () => {
    const cal = calendarFor();
    google.addEvent('primary', { summary: 'A', start: new Date('2026-03-10T12:00:00Z'), end: new Date('2026-03-10T13:00:00Z') });
    const first = await provider.listChanges(cal, null);
    google.expireSyncTokens();
    await expect(provider.listChanges(cal, first.nextSyncToken)).rejects.toBeInstanceOf(SyncTokenExpired);
    const again = await provider.listChanges(cal, null, { fullSyncFrom: new Date('2026-03-01T00:00:00Z') });
    expect(again.events).toHaveLength(1);
    expect(google.apiRequests().at(-1)!.query.get('timeMin')).toBe('2026-03-01T00:00:00.000Z');
  });
});

describe('push channels', () => {
  it('opens a channel with our token and stops it', async () => {
    const cal = calendarFor();
    const ch = await provider.watch!(cal, { channelId: 'canal-1', token: 'tok', webhookUrl: 'https://crm.example/webhooks/google/calendar', ttlSeconds: 3600 });
    expect(ch.channelId).toBe('canal-1');
    expect(ch.resourceId).toMatch(/^res-/);
    expect(ch.expiresAt.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect(google.channels.get('canal-1')).toMatchObject({ address: 'https://crm.example/webhooks/google/calendar', token: 'tok' });
    await provider.stopWatch!(cal, { channelId: 'canal-1', resourceId: ch.resourceId });
    expect(google.channels.get('canal-1')!.stopped).toBe(true);
  });
});

describe('rate limits and quota', () => {
  it('backs off on 429 and 403 rateLimitExceeded, each attempt counted against the quota', async () => {
    google.fail(429, 'rateLimitExceeded');
    google.fail(403, 'rateLimitExceeded');
    const id = await provider.upsertEvent(calendarFor(), appointment());
    expect(google.event('primary', id)).toBeDefined();
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeGreaterThanOrEqual(2000);
    expect((await quota.usage(CLINIC)).used).toBe(3);
    expect(google.apiRequests()).toHaveLength(3);
  });

  it('stops calling Google once the clinic’s daily budget is used', async () => {
    const small = memoryQuota({ limit: 2 });
    const p = makeProvider(small);
    const cal = calendarFor();
    await p.upsertEvent(cal, appointment());
    await p.deleteEvent(cal, eventIdFor('3f2a9c1e-8b7d-4e6f-9a1b-2c3d4e5f6a7b'));
    const before = google.apiRequests().length;
    await expect(p.listChanges(cal, null)).rejects.toBeInstanceOf(CalendarQuotaExceeded);
    expect(google.apiRequests()).toHaveLength(before);
  });
});
