// The Google integration endpoints: connect (302 to Google with a signed state), the public OAuth
// callback (tampered/expired state → 400, tokens stored encrypted), list, sync now, disconnect, and the
// push-notification webhook (channel token checked, duplicate deliveries ignored).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { auditLog, calendarConnections } from '../../db/schema';
import { decrypt } from '../../db/crypto';
import { createCalendarProvider } from '../../providers/calendar';
import { localCalendarProvider } from '../../providers/calendar/local';
import { memoryQuota } from '../../providers/calendar/rate-limit';
import { channelToken, signState, verifyState } from '../../providers/calendar/signing';
import { startFakeGoogle, type FakeGoogle } from './fake-google';
import { clinicWithTeam, createGoogleTestApp, testSecrets } from './support';

let tdb: TestDatabase;
let google: FakeGoogle;
let app: Awaited<ReturnType<typeof createGoogleTestApp>>;
let team: Awaited<ReturnType<typeof clinicWithTeam>>;
const syncs: Array<{ professionalId: string; clinicId: string; reason: string }> = [];
let syncFails = false;

beforeAll(async () => {
  tdb = await createTestDatabase();
  google = await startFakeGoogle();
  const calendar = createCalendarProvider({
    clientId: google.client.id, clientSecret: google.client.secret, redirectUrl: 'http://127.0.0.1:8787/webhooks/google/oauth-callback',
    quota: memoryQuota(), endpoints: google.endpoints, sleep: async () => {},
  });
  app = await createGoogleTestApp(tdb.db, {
    calendar, quota: memoryQuota(),
    triggerSync: async (professionalId, clinicId, reason) => {
      if (syncFails) throw new Error('temporal down');
      syncs.push({ professionalId, clinicId, reason });
      return `calendar-sync:${professionalId}`;
    },
  });
  team = await clinicWithTeam(tdb.db, 'Clínica Conectada');
});
afterAll(async () => {
  await google?.close();
  await tdb?.drop();
});

const connection = async () => (await tdb.db.select().from(calendarConnections).where(eq(calendarConnections.professionalId, team.professional.id)))[0];
const stateFor = (over: Partial<Parameters<typeof signState>[1]> = {}) => signState(testSecrets.linkSecret, {
  clinicId: team.clinic.id, professionalId: team.professional.id, userId: team.userIds.staff, expiresAt: Date.now() + 60_000, ...over,
});

describe('GET /api/integrations/google/connect', () => {
  it('redirects staff to Google’s consent page with a signed, expiring state', async () => {
    const res = await app.request(`/api/integrations/google/connect?professionalId=${team.professional.id}`, { headers: team.auth('staff') });
    expect(res.status).toBe(302);
    const url = new URL(res.headers.get('location')!);
    expect(url.origin + url.pathname).toBe(google.endpoints.authBaseUrl);
    expect(url.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:8787/webhooks/google/oauth-callback');
    const checked = verifyState(testSecrets.linkSecret, url.searchParams.get('state')!, new Date());
    expect(checked).toMatchObject({ ok: true, state: { clinicId: team.clinic.id, professionalId: team.professional.id, userId: team.userIds.staff } });
    expect(verifyState(testSecrets.linkSecret, url.searchParams.get('state')!, new Date(Date.now() + 16 * 60_000))).toEqual({ ok: false, reason: 'expired' });
  });

  it('gives the URL as JSON for the dashboard', async () => {
    const res = await app.request(`/api/integrations/google/connect?professionalId=${team.professional.id}&format=json`, { headers: team.auth('admin') });
    expect(res.status).toBe(200);
    expect((await res.json()).url).toContain(google.endpoints.authBaseUrl);
  });

  it('refuses the view role, strangers, unknown or foreign professionals, and bad ids', async () => {
    const other = await clinicWithTeam(tdb.db, 'Outra Clínica');
    const q = (id: string) => `/api/integrations/google/connect?professionalId=${id}`;
    expect((await app.request(q(team.professional.id), { headers: team.auth('view') })).status).toBe(403);
    expect((await app.request(q(team.professional.id))).status).toBe(401);
    const foreign = await app.request(q(other.professional.id), { headers: team.auth('staff') });
    expect(foreign.status).toBe(404);
    expect((await foreign.json()).error.message).toBe('Profissional não encontrado.');
    const bad = await app.request(q('123'), { headers: team.auth('staff') });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: 'validation_failed', fields: { professionalId: ['Identificador inválido.'] } });
  });

  it('without Google credentials: 503 with a pt-BR explanation', async () => {
    const local = await createGoogleTestApp(tdb.db, { calendar: localCalendarProvider, quota: memoryQuota(), triggerSync: async () => '' });
    const res = await local.request(`/api/integrations/google/connect?professionalId=${team.professional.id}`, { headers: team.auth('staff') });
    expect(res.status).toBe(503);
    expect((await res.json()).error).toMatchObject({ code: 'unavailable', message: expect.stringContaining('não está configurada') });
  });
});

describe('GET /webhooks/google/oauth-callback', () => {
  it('a tampered, foreign-signed, expired or missing state is a 400 and stores nothing', async () => {
    const good = stateFor();
    const [body, sig] = good.split('.');
    const other = await clinicWithTeam(tdb.db, 'Clínica Alvo');
    const forgedBody = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), c: other.clinic.id, p: other.professional.id })).toString('base64url');
    const cases = [
      `${forgedBody}.${sig}`,
      signState('outro-segredo-que-nao-e-o-nosso', { clinicId: team.clinic.id, professionalId: team.professional.id, userId: team.userIds.staff, expiresAt: Date.now() + 60_000 }),
      stateFor({ expiresAt: Date.now() - 1 }),
      'nada-assinado',
    ];
    for (const state of cases) {
      const res = await app.request(`/webhooks/google/oauth-callback?state=${encodeURIComponent(state)}&code=${google.issueCode()}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('Link de autorização inválido ou expirado') });
    }
    expect((await app.request(`/webhooks/google/oauth-callback?code=x`)).status).toBe(400);
    expect(await tdb.db.select().from(calendarConnections)).toEqual([]);
  });

  it('consent denied or a bad code: 400, nothing stored', async () => {
    const denied = await app.request(`/webhooks/google/oauth-callback?state=${encodeURIComponent(stateFor())}&error=access_denied`);
    expect(denied.status).toBe(400);
    expect((await denied.json()).error.message).toContain('negado');
    const badCode = await app.request(`/webhooks/google/oauth-callback?state=${encodeURIComponent(stateFor())}&code=codigo-inventado`);
    expect(badCode.status).toBe(400);
    expect(await tdb.db.select().from(calendarConnections)).toEqual([]);
  });

  it('stores the tokens encrypted, audits the connection and starts the first sync', async () => {
    const code = google.issueCode('refresh-da-helena');
    const res = await app.request(`/webhooks/google/oauth-callback?state=${encodeURIComponent(stateFor())}&code=${code}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Agenda Google conectada');
    const conn = await connection();
    expect(conn).toMatchObject({ status: 'connected', calendarId: 'primary', clinicId: team.clinic.id, connectedBy: team.userIds.staff, syncToken: null });
    expect(conn.encryptedTokens).not.toContain('refresh-da-helena');
    expect(JSON.parse(decrypt(testSecrets.dataKey, conn.encryptedTokens!))).toMatchObject({ refresh_token: 'refresh-da-helena', access_token: expect.stringMatching(/^access-/) });
    expect(syncs.at(-1)).toEqual({ professionalId: team.professional.id, clinicId: team.clinic.id, reason: 'connect' });
    const [entry] = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entity, 'calendar_connection'), eq(auditLog.action, 'connect')));
    expect(entry).toMatchObject({ clinicId: team.clinic.id, userId: team.userIds.staff, entityId: conn.id });
    // the same code cannot be replayed
    expect((await app.request(`/webhooks/google/oauth-callback?state=${encodeURIComponent(stateFor())}&code=${code}`)).status).toBe(400);
  });
});

describe('list and sync now', () => {
  it('lists the clinic’s connections and the day’s quota', async () => {
    const res = await app.request('/api/integrations/google', { headers: team.auth('view') });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ configured: true, quota: { used: 0, limit: 1000 } });
    expect(body.connections).toEqual([expect.objectContaining({ professionalId: team.professional.id, professionalName: 'Dra. Helena Prado', status: 'connected', pushNotifications: false })]);
  });

  it('starts a sync (202), or says 503 when Temporal is away; view role may not', async () => {
    const path = `/api/integrations/google/${team.professional.id}/sync`;
    const res = await app.request(path, { method: 'POST', headers: team.auth('staff') });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ workflowId: `calendar-sync:${team.professional.id}` });
    expect(syncs.at(-1)!.reason).toBe('manual');
    syncFails = true;
    try {
      expect((await app.request(path, { method: 'POST', headers: team.auth('staff') })).status).toBe(503);
    } finally {
      syncFails = false;
    }
    expect((await app.request(path, { method: 'POST', headers: team.auth('view') })).status).toBe(403);
  });
});

describe('POST /webhooks/google/calendar', () => {
  const notify = (headers: Record<string, string>) => app.request('/webhooks/google/calendar', { method: 'POST', headers });

  it('checks the channel token, acknowledges the handshake, syncs once per message', async () => {
    await tdb.db.update(calendarConnections).set({ channelId: 'canal-123', channelResourceId: 'res-1', channelExpiresAt: new Date(Date.now() + 86400_000) })
      .where(eq(calendarConnections.professionalId, team.professional.id));
    const token = channelToken(testSecrets.linkSecret, 'canal-123');
    const base = { 'x-goog-channel-id': 'canal-123', 'x-goog-resource-id': 'res-1' };

    expect((await notify({ ...base, 'x-goog-channel-token': 'falso', 'x-goog-resource-state': 'exists', 'x-goog-message-number': '2' })).status).toBe(403);
    expect((await notify({ 'x-goog-resource-state': 'exists' })).status).toBe(403);

    const handshake = await notify({ ...base, 'x-goog-channel-token': token, 'x-goog-resource-state': 'sync', 'x-goog-message-number': '1' });
    expect(await handshake.json()).toEqual({ ok: true, action: 'handshake' });

    const before = syncs.length;
    const first = await notify({ ...base, 'x-goog-channel-token': token, 'x-goog-resource-state': 'exists', 'x-goog-message-number': '2' });
    expect(await first.json()).toEqual({ ok: true, action: 'sync_started' });
    expect(syncs.slice(before)).toEqual([{ professionalId: team.professional.id, clinicId: team.clinic.id, reason: 'push' }]);
    const again = await notify({ ...base, 'x-goog-channel-token': token, 'x-goog-resource-state': 'exists', 'x-goog-message-number': '2' });
    expect(await again.json()).toEqual({ ok: true, action: 'duplicate' });
    expect(syncs.length).toBe(before + 1);

    const stale = await notify({ 'x-goog-channel-id': 'canal-antigo', 'x-goog-channel-token': channelToken(testSecrets.linkSecret, 'canal-antigo'), 'x-goog-resource-state': 'exists' });
    expect(await stale.json()).toEqual({ ok: true, action: 'ignored' });
  });
});

describe('DELETE /api/integrations/google/{professionalId}', () => {
  it('revokes the grant, stops the channel, forgets the tokens and audits; a second call is 404', async () => {
    google.channels.set('canal-123', { id: 'canal-123', resourceId: 'res-1', address: 'https://x', stopped: false });
    const path = `/api/integrations/google/${team.professional.id}`;
    expect((await app.request(path, { method: 'DELETE', headers: team.auth('view') })).status).toBe(403);
    const res = await app.request(path, { method: 'DELETE', headers: team.auth('staff') });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ professionalId: team.professional.id, status: 'disconnected' });
    expect(google.hasRefreshToken('refresh-da-helena')).toBe(false);
    expect(google.channels.get('canal-123')!.stopped).toBe(true);
    expect(await connection()).toMatchObject({ status: 'disconnected', encryptedTokens: null, syncToken: null, channelId: null });
    const entries = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entity, 'calendar_connection'), eq(auditLog.action, 'disconnect')));
    expect(entries).toHaveLength(1);
    const second = await app.request(path, { method: 'DELETE', headers: team.auth('staff') });
    expect(second.status).toBe(404);
    expect((await second.json()).error.message).toBe('Este profissional não tem agenda Google conectada.');
  });
});
