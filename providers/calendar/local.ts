// Without Google credentials: the database is the calendar's only source of truth (plus the .ics feed).
// Nothing is pushed, nothing is busy elsewhere, nothing changes outside; connecting is not possible.
import type { CalendarProvider } from './types';

export class CalendarNotConfigured extends Error {
  readonly name = 'CalendarNotConfigured';
  constructor() {
    super('Google Calendar is not configured (GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET)');
  }
}

export const localCalendarProvider: CalendarProvider = {
  kind: 'local',
  authUrl() {
    throw new CalendarNotConfigured();
  },
  async exchangeCode() {
    throw new CalendarNotConfigured();
  },
  /** Nothing to push to: the appointment row is the calendar. Returns no id to store. */
  async upsertEvent() {
    return '';
  },
  async deleteEvent() {},
  async freeBusy(_account, calendarIds) {
    return Object.fromEntries(calendarIds.map((id) => [id, []]));
  },
  async listChanges() {
    return { events: [], nextSyncToken: 'local', full: true };
  },
};
