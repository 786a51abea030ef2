// Calendar provider: the real Google adapter when credentials are set, otherwise the local one (the
// database is the source of truth). Types and errors in types.ts; the pure mappings in mapping.ts.
import type { CalendarProvider } from './types';
import type { QuotaCounter } from './rate-limit';
import { createGoogleCalendarProvider, type GoogleEndpoints } from './google';
import { localCalendarProvider } from './local';

export * from './types';
export { SCOPES } from './google';

export interface CalendarProviderOptions {
  clientId?: string;
  clientSecret?: string;
  /** Where Google redirects after consent (GOOGLE_REDIRECT_URL). */
  redirectUrl: string;
  /** The clinic's daily request budget; every Calendar API request takes one. */
  quota: QuotaCounter;
  /** Tests: the fake server's base URLs. */
  endpoints?: GoogleEndpoints;
  /** Tests: no real waiting between backoff attempts. */
  sleep?: (ms: number) => Promise<void>;
}

/** The Google adapter when GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET are set; otherwise the local one. */
export function createCalendarProvider(opts: CalendarProviderOptions): CalendarProvider {
  if (opts.clientId && opts.clientSecret) {
    return createGoogleCalendarProvider({ ...opts, clientId: opts.clientId, clientSecret: opts.clientSecret });
  }
  return localCalendarProvider;
}

/** The OAuth callback path, under the public webhooks (outside the session middleware). */
export const OAUTH_CALLBACK_PATH = '/webhooks/google/oauth-callback';

/**
 * Push notifications need a public https address: the redirect URL's origin (the same public API)
 * + /webhooks/google/calendar; none when it is plain http (development: the 10-minute poll does the work).
 */
export function googleWebhookUrl(redirectUrl: string): string | undefined {
  const url = new URL(redirectUrl);
  return url.protocol === 'https:' ? `${url.origin}/webhooks/google/calendar` : undefined;
}
