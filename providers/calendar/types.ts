// The calendar provider's contract: what activities and the API call, the shapes they exchange, its errors.

/** OAuth tokens as Google returns them (the shape stored encrypted in calendar_connections). */
export interface OAuthTokens {
  access_token?: string | null;
  refresh_token?: string | null;
  /** Epoch milliseconds. */
  expiry_date?: number | null;
  scope?: string;
  token_type?: string | null;
  id_token?: string | null;
}

/** The Google account a professional connected; `onTokens` persists a refreshed access token. */
export interface CalendarAccount {
  clinicId: string;
  tokens: OAuthTokens;
  onTokens?: (tokens: OAuthTokens) => Promise<void> | void;
}

/** One professional's calendar in that account. */
export interface ProfessionalCalendar extends CalendarAccount {
  calendarId: string;
}

/** Our appointment, as much of it as the calendar event shows (see mapping.ts for what is left out). */
export interface AppointmentEvent {
  appointmentId: string;
  clinicId: string;
  patientName: string;
  procedureName: string;
  professionalName?: string;
  startsAt: Date;
  durationMinutes: number;
  /** The clinic's IANA zone (clinics.timezone). */
  timeZone: string;
  status: 'agendado' | 'confirmado' | 'realizado' | 'cancelado' | 'no_show';
  clinicName?: string;
  /** The event already pushed for this appointment (appointments.google_event_id). */
  googleEventId?: string | null;
}

/** An event read back from the provider, normalised (mapping.ts `fromGoogleEvent`). */
export interface ExternalEvent {
  id: string;
  status: 'confirmed' | 'tentative' | 'cancelled';
  /** Absent for an all-day event or a deleted one Google no longer describes. */
  start?: Date;
  end?: Date;
  allDay: boolean;
  /** When it last changed in the provider. */
  updated?: Date;
  /** Our appointment id, from the private extended property we set; absent on events we did not create. */
  appointmentId?: string;
  clinicId?: string;
  /** The start we last pushed (private property): differs from `start` once someone moved it in Google. */
  pushedStartsAt?: Date;
}

export interface BusyInterval {
  start: Date;
  end: Date;
}

export interface ChangesPage {
  events: ExternalEvent[];
  nextSyncToken: string;
  /** True when listed without a sync token (the whole calendar from `fullSyncFrom`). */
  full: boolean;
}

export interface WatchChannel {
  channelId: string;
  resourceId: string;
  expiresAt: Date;
}

export interface CalendarProvider {
  readonly kind: 'google' | 'local';
  /** Google's consent page for `state` (offline access, so a refresh token comes back). */
  authUrl(state: string): string;
  /** The authorization code from the consent redirect → tokens (with a refresh token). */
  exchangeCode(code: string): Promise<OAuthTokens>;
  /** Creates or updates the appointment's event; returns the event id to store in google_event_id. */
  upsertEvent(calendar: ProfessionalCalendar, event: AppointmentEvent): Promise<string>;
  /** Deletes the event; an event already gone is not an error. */
  deleteEvent(calendar: ProfessionalCalendar, eventId: string): Promise<void>;
  /** Busy intervals per calendar id in [from, to). */
  freeBusy(account: CalendarAccount, calendarIds: string[], from: Date, to: Date): Promise<Record<string, BusyInterval[]>>;
  /**
   * Every change since `syncToken` (all pages), or the whole calendar from `fullSyncFrom` when no token.
   * Throws SyncTokenExpired (HTTP 410) when the token is no longer valid: the caller then lists in full.
   */
  listChanges(calendar: ProfessionalCalendar, syncToken?: string | null, opts?: { fullSyncFrom?: Date }): Promise<ChangesPage>;
  /** Push notifications for the calendar's events to `webhookUrl` (https), signed with `token`. */
  watch?(calendar: ProfessionalCalendar, opts: { channelId: string; token: string; webhookUrl: string; ttlSeconds?: number }): Promise<WatchChannel>;
  stopWatch?(account: CalendarAccount, channel: { channelId: string; resourceId: string }): Promise<void>;
  /** Revokes the account's grant (disconnect). */
  revoke?(tokens: OAuthTokens): Promise<void>;
}

/** The sync token expired (Google answers 410 fullSyncRequired): list everything again. */
export class SyncTokenExpired extends Error {
  readonly name = 'SyncTokenExpired';
  constructor() {
    super('Sync token is no longer valid, a full sync is required.');
  }
}

/** The clinic used its daily Google request budget: nothing more is sent until the next Google day. */
export class CalendarQuotaExceeded extends Error {
  readonly name = 'CalendarQuotaExceeded';
  constructor(readonly clinicId: string, readonly day: string, readonly limit: number) {
    super(`Google Calendar daily quota of ${limit} requests used for clinic ${clinicId} on ${day}`);
  }
}

/** The professional revoked access in Google (or the refresh token expired): they must reconnect. */
export class CalendarAuthRevoked extends Error {
  readonly name = 'CalendarAuthRevoked';
  constructor(message = 'Google refused the refresh token (invalid_grant)') {
    super(message);
  }
}

/** Google kept answering "rate limited" after every backoff attempt. */
export class CalendarRateLimited extends Error {
  readonly name = 'CalendarRateLimited';
}

