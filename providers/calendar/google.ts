// The real Google Calendar adapter (googleapis): OAuth consent and token refresh, events pushed with
// deterministic ids, freeBusy, incremental pull with sync tokens (410 → SyncTokenExpired), push channels.
// Every Calendar API request takes a unit of the clinic's daily quota and backs off when rate-limited.
// The calendar module alone (not the whole `googleapis` index, ~1 s to load) is imported.
import { auth as googleAuth, calendar as calendarApi, type calendar_v3 } from 'googleapis/build/src/apis/calendar';
import { eventIdFor, fromGoogleEvent, toGoogleEvent } from './mapping';
import { googleError, withBackoff, type QuotaCounter } from './rate-limit';
import {
  CalendarAuthRevoked, SyncTokenExpired,
  type CalendarAccount, type CalendarProvider, type ExternalEvent, type OAuthTokens, type ProfessionalCalendar,
} from './types';

/** Events read and written, and free/busy: nothing else in the professional's account. */
export const SCOPES = ['https://www.googleapis.com/auth/calendar.events', 'https://www.googleapis.com/auth/calendar.freebusy'];

/** Where Google lives; tests point these at a local fake server. */
export interface GoogleEndpoints {
  /** Calendar API base, e.g. http://127.0.0.1:PORT/ (googleapis `rootUrl`). */
  rootUrl?: string;
  /** OAuth token endpoint (google-auth-library `endpoints.oauth2TokenUrl`). */
  tokenUrl?: string;
  authBaseUrl?: string;
  revokeUrl?: string;
}

export interface GoogleCalendarOptions {
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  quota: QuotaCounter;
  endpoints?: GoogleEndpoints;
  sleep?: (ms: number) => Promise<void>;
  /** Per-request timeout (ms); freeBusy uses the shorter `freeBusyTimeoutMs` (it sits in slot finding). */
  timeoutMs?: number;
  freeBusyTimeoutMs?: number;
}

const status = (err: unknown) => googleError(err).status;

export function createGoogleCalendarProvider(opts: GoogleCalendarOptions): CalendarProvider {
  const endpoints = opts.endpoints ?? {};
  const oauthClient = (tokens?: OAuthTokens) => {
    const client = new googleAuth.OAuth2({
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      redirectUri: opts.redirectUrl,
      endpoints: {
        ...(endpoints.tokenUrl ? { oauth2TokenUrl: endpoints.tokenUrl } : {}),
        ...(endpoints.authBaseUrl ? { oauth2AuthBaseUrl: endpoints.authBaseUrl } : {}),
        ...(endpoints.revokeUrl ? { oauth2RevokeUrl: endpoints.revokeUrl } : {}),
      },
    });
    // With an expiry date the library refreshes ahead of expiry and never on its own after a 401/403
    // (it would also do so on a 403 rate limit, outside our backoff and quota); unknown = refresh first.
    if (tokens) client.setCredentials({ ...tokens, expiry_date: tokens.expiry_date ?? 1 });
    return client;
  };

  /**
   * One Calendar API call for an account: quota unit, backoff, token refresh through the OAuth client,
   * and the refreshed tokens handed to `onTokens` (stored encrypted by the caller).
   */
  async function run<T>(account: CalendarAccount, call: (api: calendar_v3.Calendar) => Promise<T>, timeoutMs = opts.timeoutMs ?? 20_000): Promise<T> {
    const client = oauthClient(account.tokens);
    // Our own backoff decides about retries (each attempt counts against the quota), so gaxios' is off.
    const api = calendarApi({ version: 'v3', auth: client, rootUrl: endpoints.rootUrl, retry: false, timeout: timeoutMs });
    const before = account.tokens.access_token;
    const persistRefreshed = async () => {
      const creds = client.credentials;
      if (!creds.access_token || creds.access_token === before) return;
      const merged: OAuthTokens = { ...account.tokens, ...creds, refresh_token: creds.refresh_token ?? account.tokens.refresh_token };
      account.tokens = merged;
      await account.onTokens?.(merged);
    };
    try {
      let reauthorised = false;
      const result = await withBackoff(async () => {
        await opts.quota.take(account.clinicId);
        try {
          return await call(api);
        } catch (err) {
          // 401 with an access token that looked valid (revoked early, clock skew): refresh once, retry.
          if (status(err) !== 401 || reauthorised || !client.credentials.refresh_token) throw err;
          reauthorised = true;
          client.setCredentials({ ...client.credentials, expiry_date: 1 });
          await opts.quota.take(account.clinicId);
          return call(api);
        }
      }, { sleep: opts.sleep });
      await persistRefreshed();
      return result;
    } catch (err) {
      await persistRefreshed().catch(() => {});
      const { status: code, reasons } = googleError(err);
      if (reasons.includes('invalid_grant') || code === 401) throw new CalendarAuthRevoked(`Google refused the credentials (${code ?? ''} ${reasons.join(',')})`.trim());
      throw err;
    }
  }

  return {
    kind: 'google',

    authUrl(state) {
      return oauthClient().generateAuthUrl({ access_type: 'offline', prompt: 'consent', include_granted_scopes: true, scope: SCOPES, state });
    },

    async exchangeCode(code) {
      const { tokens } = await oauthClient().getToken(code);
      return tokens;
    },

    async upsertEvent(cal, event) {
      const body = toGoogleEvent(event);
      const ownId = eventIdFor(event.appointmentId);
      const patch = (eventId: string) =>
        run(cal, (api) => api.events.patch({ calendarId: cal.calendarId, eventId, sendUpdates: 'none', requestBody: body }));
      if (event.googleEventId) {
        try {
          return (await patch(event.googleEventId)).data.id ?? event.googleEventId;
        } catch (err) {
          if (status(err) !== 404) throw err; // gone for good: create it again below
        }
      }
      try {
        const res = await run(cal, (api) => api.events.insert({ calendarId: cal.calendarId, sendUpdates: 'none', requestBody: { ...body, id: ownId } }));
        return res.data.id ?? ownId;
      } catch (err) {
        // Our deterministic id exists already (a retried insert, or an event deleted in Google): update it.
        if (status(err) !== 409) throw err;
        return (await patch(ownId)).data.id ?? ownId;
      }
    },

    async deleteEvent(cal, eventId) {
      try {
        await run(cal, (api) => api.events.delete({ calendarId: cal.calendarId, eventId, sendUpdates: 'none' }));
      } catch (err) {
        const code = status(err);
        if (code !== 404 && code !== 410) throw err; // 410 = already deleted
      }
    },

    async freeBusy(account, calendarIds, from, to) {
      if (calendarIds.length === 0) return {};
      const res = await run(
        account,
        (api) => api.freebusy.query({ requestBody: { timeMin: from.toISOString(), timeMax: to.toISOString(), items: calendarIds.map((id) => ({ id })) } }),
        opts.freeBusyTimeoutMs ?? 5_000,
      );
      const out: Record<string, { start: Date; end: Date }[]> = {};
      for (const id of calendarIds) {
        const entry = res.data.calendars?.[id];
        // A calendar Google could not read (entry.errors) contributes nothing: the database still applies.
        out[id] = (entry?.errors?.length ? [] : entry?.busy ?? [])
          .filter((b) => b.start && b.end)
          .map((b) => ({ start: new Date(b.start!), end: new Date(b.end!) }));
      }
      return out;
    },

    async listChanges(cal, syncToken, listOpts = {}) {
      const events: ExternalEvent[] = [];
      let pageToken: string | undefined;
      let nextSyncToken: string | undefined;
      do {
        let res;
        try {
          res = await run(cal, (api) =>
            api.events.list({
              calendarId: cal.calendarId,
              showDeleted: true,
              maxResults: 250,
              ...(syncToken ? { syncToken } : listOpts.fullSyncFrom ? { timeMin: listOpts.fullSyncFrom.toISOString() } : {}),
              ...(pageToken ? { pageToken } : {}),
            }),
          );
        } catch (err) {
          if (syncToken && status(err) === 410) throw new SyncTokenExpired();
          throw err;
        }
        for (const item of res.data.items ?? []) {
          const ev = fromGoogleEvent(item);
          if (ev) events.push(ev);
        }
        pageToken = res.data.nextPageToken ?? undefined;
        nextSyncToken = res.data.nextSyncToken ?? nextSyncToken;
      } while (pageToken);
      if (!nextSyncToken) throw new Error('Google Calendar events.list ended without a nextSyncToken');
      return { events, nextSyncToken, full: !syncToken };
    },

    async watch(cal: ProfessionalCalendar, w) {
      const res = await run(cal, (api) =>
        api.events.watch({
          calendarId: cal.calendarId,
          requestBody: { id: w.channelId, type: 'web_hook', address: w.webhookUrl, token: w.token, params: { ttl: String(w.ttlSeconds ?? 7 * 24 * 3600) } },
        }),
      );
      return {
        channelId: w.channelId,
        resourceId: res.data.resourceId ?? '',
        expiresAt: new Date(res.data.expiration ? Number(res.data.expiration) : Date.now() + (w.ttlSeconds ?? 7 * 24 * 3600) * 1000),
      };
    },

    async stopWatch(account, channel) {
      try {
        await run(account, (api) => api.channels.stop({ requestBody: { id: channel.channelId, resourceId: channel.resourceId } }));
      } catch (err) {
        if (status(err) !== 404) throw err;
      }
    },

    async revoke(tokens) {
      const token = tokens.refresh_token ?? tokens.access_token;
      if (!token) return;
      try {
        await oauthClient().revokeToken(token);
      } catch (err) {
        if (status(err) !== 400) throw err; // already revoked or expired
      }
    },
  };
}
