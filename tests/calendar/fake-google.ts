// A fake Google on 127.0.0.1 (random port) speaking the wire format the real adapter uses: the OAuth
// token and revoke endpoints, and Calendar v3 events insert/patch/delete/list (sync and page tokens,
// 410 fullSyncRequired), freeBusy, events.watch and channels.stop. Test helpers act as the professional
// in Google (move, delete, add) and inject faults (429/403 rate limits, expired sync tokens).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import crypto from 'node:crypto';

export interface FakeEvent {
  id: string;
  status: 'confirmed' | 'tentative' | 'cancelled';
  summary?: string;
  description?: string;
  start?: { dateTime?: string; date?: string; timeZone?: string };
  end?: { dateTime?: string; date?: string; timeZone?: string };
  extendedProperties?: { private?: Record<string, string>; shared?: Record<string, string> };
  transparency?: string;
  updated: string;
  etag: string;
  /** Change counter (not sent): what sync tokens are compared with. */
  seq: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  authorization?: string;
}

const CLIENT = { id: 'fake-client-id', secret: 'fake-client-secret' };

export async function startFakeGoogle(opts: { pageSize?: number } = {}) {
  const calendars = new Map<string, Map<string, FakeEvent>>();
  let seq = 0;
  const expiredTokens = new Set<string>();
  let expireAll = false;
  const validAccess = new Set<string>();
  const refreshTokens = new Set<string>(['refresh-ok']);
  const codes = new Map<string, { refresh: string }>();
  const requests: RecordedRequest[] = [];
  const faults: Array<{ status: number; reason: string; path?: RegExp; method?: string }> = [];
  const channels = new Map<string, { id: string; resourceId: string; address: string; token?: string; stopped: boolean }>();
  let clock: () => Date = () => new Date();

  const cal = (id: string) => {
    let c = calendars.get(id);
    if (!c) calendars.set(id, (c = new Map()));
    return c;
  };
  const touch = (ev: FakeEvent) => {
    ev.seq = ++seq;
    ev.updated = clock().toISOString();
    ev.etag = `"${crypto.randomBytes(6).toString('hex')}"`;
  };
  const publicEvent = ({ seq: _s, ...ev }: FakeEvent) => ({ kind: 'calendar#event', ...ev });
  const newAccessToken = () => {
    const t = `access-${crypto.randomBytes(8).toString('hex')}`;
    validAccess.add(t);
    return t;
  };

  const googleError = (res: http.ServerResponse, status: number, reason: string, message: string, domain = 'global') => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify({ error: { errors: [{ domain, reason, message }], code: status, message } }));
  };
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(body));
  };

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const contentType = req.headers['content-type'] ?? '';
    let body: unknown = raw;
    if (raw && contentType.includes('json')) body = JSON.parse(raw);
    else if (raw && contentType.includes('x-www-form-urlencoded')) body = Object.fromEntries(new URLSearchParams(raw));
    requests.push({ method: req.method!, path: url.pathname, query: url.searchParams, body, authorization: req.headers.authorization });

    // ── OAuth ──────────────────────────────────────────────────────────────────────────────────
    if (url.pathname === '/token' && req.method === 'POST') {
      const form = body as Record<string, string>;
      if (form.client_id !== CLIENT.id || form.client_secret !== CLIENT.secret) return json(res, 401, { error: 'invalid_client' });
      if (form.grant_type === 'authorization_code') {
        const grant = codes.get(form.code);
        if (!grant) return json(res, 400, { error: 'invalid_grant', error_description: 'Bad Request' });
        codes.delete(form.code);
        return json(res, 200, { access_token: newAccessToken(), refresh_token: grant.refresh, expires_in: 3599, token_type: 'Bearer', scope: 'https://www.googleapis.com/auth/calendar.events https://www.googleapis.com/auth/calendar.freebusy' });
      }
      if (form.grant_type === 'refresh_token') {
        if (!refreshTokens.has(form.refresh_token)) return json(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
        return json(res, 200, { access_token: newAccessToken(), expires_in: 3599, token_type: 'Bearer', scope: 'https://www.googleapis.com/auth/calendar.events' });
      }
      return json(res, 400, { error: 'unsupported_grant_type' });
    }
    if (url.pathname === '/revoke' && req.method === 'POST') {
      const token = url.searchParams.get('token') ?? (body as Record<string, string>)?.token;
      if (token && refreshTokens.delete(token)) return json(res, 200, {});
      return json(res, 400, { error: 'invalid_token' });
    }

    // ── Calendar v3 ────────────────────────────────────────────────────────────────────────────
    if (!url.pathname.startsWith('/calendar/v3/')) return json(res, 404, { error: 'not found' });
    const bearer = req.headers.authorization?.replace(/^Bearer /, '');
    if (!bearer || !validAccess.has(bearer)) return googleError(res, 401, 'authError', 'Invalid Credentials');
    const fault = faults.findIndex((f) => (!f.path || f.path.test(url.pathname)) && (!f.method || f.method === req.method));
    if (fault >= 0) {
      const [f] = faults.splice(fault, 1);
      return googleError(res, f.status, f.reason, f.reason === 'rateLimitExceeded' ? 'Rate Limit Exceeded' : f.reason, 'usageLimits');
    }

    if (url.pathname === '/calendar/v3/freeBusy' && req.method === 'POST') {
      const q = body as { timeMin: string; timeMax: string; items: Array<{ id: string }> };
      const min = Date.parse(q.timeMin);
      const max = Date.parse(q.timeMax);
      const out: Record<string, unknown> = {};
      for (const { id } of q.items) {
        const c = calendars.get(id);
        if (!c) { out[id] = { errors: [{ domain: 'global', reason: 'notFound' }], busy: [] }; continue; }
        const busy = [...c.values()]
          .filter((e) => e.status !== 'cancelled' && e.transparency !== 'transparent' && e.start?.dateTime && e.end?.dateTime)
          .map((e) => ({ start: Date.parse(e.start!.dateTime!), end: Date.parse(e.end!.dateTime!) }))
          .filter((b) => b.end > min && b.start < max)
          .sort((a, b) => a.start - b.start)
          .map((b) => ({ start: new Date(b.start).toISOString(), end: new Date(b.end).toISOString() }));
        out[id] = { busy };
      }
      return json(res, 200, { kind: 'calendar#freeBusy', timeMin: q.timeMin, timeMax: q.timeMax, calendars: out });
    }
    if (url.pathname === '/calendar/v3/channels/stop' && req.method === 'POST') {
      const { id } = body as { id: string };
      const ch = channels.get(id);
      if (!ch) return googleError(res, 404, 'notFound', 'Channel not found');
      ch.stopped = true;
      res.writeHead(204).end();
      return;
    }

    const m = url.pathname.match(/^\/calendar\/v3\/calendars\/([^/]+)\/events(?:\/([^/]+))?$/);
    if (!m) return googleError(res, 404, 'notFound', 'Not Found');
    const calendarId = decodeURIComponent(m[1]);
    const eventId = m[2] ? decodeURIComponent(m[2]) : undefined;
    const events = cal(calendarId);

    if (eventId === 'watch' && req.method === 'POST') {
      const b = body as { id: string; address: string; token?: string; params?: { ttl?: string } };
      const resourceId = `res-${crypto.randomBytes(4).toString('hex')}`;
      channels.set(b.id, { id: b.id, resourceId, address: b.address, token: b.token, stopped: false });
      const expiration = String(clock().getTime() + Number(b.params?.ttl ?? 604800) * 1000);
      return json(res, 200, { kind: 'api#channel', id: b.id, resourceId, resourceUri: `${url.origin}/calendar/v3/calendars/${m[1]}/events`, expiration });
    }
    if (!eventId && req.method === 'POST') {
      const b = body as Partial<FakeEvent>;
      const id = b.id ?? crypto.randomBytes(10).toString('hex');
      if (events.has(id)) return googleError(res, 409, 'duplicate', 'The requested identifier already exists.');
      const ev: FakeEvent = { ...(b as FakeEvent), id, status: (b.status as FakeEvent['status']) ?? 'confirmed', updated: '', etag: '', seq: 0 };
      touch(ev);
      events.set(id, ev);
      return json(res, 200, publicEvent(ev));
    }
    if (eventId && req.method === 'PATCH') {
      const ev = events.get(eventId);
      if (!ev) return googleError(res, 404, 'notFound', 'Not Found');
      const b = body as Partial<FakeEvent>;
      Object.assign(ev, b, {
        extendedProperties: b.extendedProperties
          ? { private: { ...ev.extendedProperties?.private, ...b.extendedProperties.private }, shared: { ...ev.extendedProperties?.shared, ...b.extendedProperties.shared } }
          : ev.extendedProperties,
        id: ev.id,
      });
      touch(ev);
      return json(res, 200, publicEvent(ev));
    }
    if (eventId && req.method === 'GET') {
      const ev = events.get(eventId);
      return ev ? json(res, 200, publicEvent(ev)) : googleError(res, 404, 'notFound', 'Not Found');
    }
    if (eventId && req.method === 'DELETE') {
      const ev = events.get(eventId);
      if (!ev) return googleError(res, 404, 'notFound', 'Not Found');
      if (ev.status === 'cancelled') return googleError(res, 410, 'deleted', 'Resource has been deleted');
      ev.status = 'cancelled';
      touch(ev);
      res.writeHead(204).end();
      return;
    }
    if (!eventId && req.method === 'GET') {
      const syncToken = url.searchParams.get('syncToken');
      const pageToken = url.searchParams.get('pageToken');
      const showDeleted = url.searchParams.get('showDeleted') === 'true';
      const timeMin = url.searchParams.get('timeMin');
      const maxResults = Math.min(Number(url.searchParams.get('maxResults') ?? 250), opts.pageSize ?? 250);
      if (syncToken && timeMin) return googleError(res, 400, 'invalid', 'Sync token cannot be used with timeMin');
      let since = 0;
      let snapshot = seq;
      if (syncToken) {
        if (expireAll || expiredTokens.has(syncToken)) return googleError(res, 410, 'fullSyncRequired', 'Sync token is no longer valid, a full sync is required.');
        const parsed = syncToken.match(/^sync:(.+):(\d+)$/);
        if (!parsed || parsed[1] !== calendarId) return googleError(res, 400, 'invalid', 'Invalid sync token value.');
        since = Number(parsed[2]);
      }
      let offset = 0;
      if (pageToken) {
        const p = pageToken.match(/^page:(\d+):(\d+)$/);
        if (!p) return googleError(res, 400, 'invalid', 'Invalid page token value.');
        offset = Number(p[1]);
        snapshot = Number(p[2]);
      }
      const all = [...events.values()]
        .filter((e) => e.seq <= snapshot)
        .filter((e) => (syncToken ? e.seq > since : showDeleted || e.status !== 'cancelled'))
        .filter((e) => !timeMin || !e.end?.dateTime || Date.parse(e.end.dateTime) >= Date.parse(timeMin))
        .sort((a, b) => a.seq - b.seq);
      const items = all.slice(offset, offset + maxResults);
      const more = offset + maxResults < all.length;
      return json(res, 200, {
        kind: 'calendar#events',
        items: items.map(publicEvent),
        ...(more ? { nextPageToken: `page:${offset + maxResults}:${snapshot}` } : { nextSyncToken: `sync:${calendarId}:${snapshot}` }),
      });
    }
    return googleError(res, 405, 'methodNotAllowed', 'Method not allowed');
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    base,
    client: CLIENT,
    endpoints: { rootUrl: `${base}/`, tokenUrl: `${base}/token`, revokeUrl: `${base}/revoke`, authBaseUrl: `${base}/o/oauth2/v2/auth` },
    requests,
    calendars,
    channels,
    /** Requests to the Calendar API (what the quota counts). */
    apiRequests: () => requests.filter((r) => r.path.startsWith('/calendar/v3/')),
    setClock(fn: () => Date) { clock = fn; },
    /** A fresh access token, as if issued earlier. */
    issueAccessToken: newAccessToken,
    /** An authorization code the consent screen would give, bound to a refresh token. */
    issueCode(refresh = `refresh-${crypto.randomBytes(4).toString('hex')}`) {
      const code = `code-${crypto.randomBytes(6).toString('hex')}`;
      codes.set(code, { refresh });
      refreshTokens.add(refresh);
      return code;
    },
    revokeRefreshToken(token: string) { refreshTokens.delete(token); },
    hasRefreshToken(token: string) { return refreshTokens.has(token); },
    /** Sync tokens handed out so far stop working (410). */
    expireSyncTokens() { expireAll = true; },
    acceptSyncTokens() { expireAll = false; expiredTokens.clear(); },
    /** The next matching Calendar API request fails with this status/reason. */
    fail(status: number, reason: string, path?: RegExp, method?: string) { faults.push({ status, reason, path, method }); },
    event(calendarId: string, id: string) { return calendars.get(calendarId)?.get(id); },
    /** The professional drags the event in Google. */
    moveEvent(calendarId: string, id: string, start: Date, end: Date) {
      const ev = cal(calendarId).get(id)!;
      ev.start = { ...ev.start, dateTime: start.toISOString() };
      ev.end = { ...ev.end, dateTime: end.toISOString() };
      touch(ev);
    },
    /** The professional deletes the event in Google. */
    deleteEvent(calendarId: string, id: string) {
      const ev = cal(calendarId).get(id)!;
      ev.status = 'cancelled';
      touch(ev);
    },
    /** Something else in the professional's calendar (a dentist appointment, a meeting). */
    addEvent(calendarId: string, e: { summary: string; start: Date; end: Date; privateProps?: Record<string, string> }) {
      const ev: FakeEvent = {
        id: crypto.randomBytes(10).toString('hex'), status: 'confirmed', summary: e.summary,
        start: { dateTime: e.start.toISOString() }, end: { dateTime: e.end.toISOString() },
        ...(e.privateProps ? { extendedProperties: { private: e.privateProps } } : {}),
        updated: '', etag: '', seq: 0,
      };
      touch(ev);
      cal(calendarId).set(ev.id, ev);
      return ev;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeGoogle = Awaited<ReturnType<typeof startFakeGoogle>>;
