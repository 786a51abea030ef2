// Google Calendar activities: push an appointment (create/update), remove it, and pull what changed in
// Google (incremental with the stored sync token, full resync on 410 and once a day) into our
// appointments, one transaction per change, telling the appointment journey through injected functions.
import crypto from 'node:crypto';
import { and, eq, gte, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { decrypt, encrypt } from '../db/crypto';
import { withClinic } from '../db/tenancy';
import { appointments, auditLog, calendarConnections, clinics, patients, procedures, professionals } from '../db/schema';
import {
  CalendarAuthRevoked, CalendarQuotaExceeded, SyncTokenExpired,
  type AppointmentEvent, type CalendarProvider, type ChangesPage, type ExternalEvent, type OAuthTokens, type ProfessionalCalendar,
} from '../providers/calendar';
import { localCalendarProvider } from '../providers/calendar/local';
import { changeFor, eventIdFor, type CalendarChange } from '../providers/calendar/mapping';
import { googleError, type QuotaCounter } from '../providers/calendar/rate-limit';
import { channelToken } from '../providers/calendar/signing';

/** The cancel reason recorded when the event was deleted in Google. */
export const GOOGLE_CANCEL_REASON = 'Removido no Google Agenda';

/** The appointment journey (api/journeys.ts), told after each change commits. */
export interface JourneySignals {
  reschedule(appointmentId: string, startsAt: Date): Promise<unknown>;
  cancel(appointmentId: string, reason: string): Promise<unknown>;
}

interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
const silent: Log = { info() {}, warn() {}, error() {} };

export interface CalendarActivityDeps {
  db: Db;
  calendar: CalendarProvider;
  journeys: JourneySignals;
  /** secrets(env).dataKey: the OAuth tokens are stored encrypted with it. */
  dataKey: Buffer;
  /** secrets(env).linkSecret: push channel tokens are derived from it. */
  linkSecret: string;
  /** The clinic budget, to keep a reserve for pushes when polling (pgQuota(db)). */
  quota?: QuotaCounter;
  /** Public https URL of POST /webhooks/google/calendar; push channels are opened only when set. */
  webhookUrl?: string;
  now?: () => Date;
  log?: Log;
}

export type SyncReason = 'schedule' | 'push' | 'manual' | 'connect';

export interface SyncResult {
  professionalId: string;
  status: 'synced' | 'skipped' | 'quota_exhausted' | 'auth_revoked';
  reason?: string;
  full?: boolean;
  tokenExpired?: boolean;
  events?: number;
  moved?: number;
  cancelled?: number;
  conflicts?: number;
  /** Our appointments pushed to Google (created or updated) / whose event was deleted. */
  pushed?: number;
  removed?: number;
  /** Appointments Google refused (reported in last_error; retried by the daily full reconciliation). */
  pushErrors?: number;
  orphansRemoved?: number;
  journeyErrors?: number;
}

export interface PushResult {
  status: 'pushed' | 'removed' | 'skipped' | 'quota_exhausted' | 'auth_revoked';
  eventId?: string;
  reason?: string;
}

/**
 * The appointment journey's delivery marker (api/journeys.ts `journeySyncPending`, inlined: activities do
 * not import the API): set in the change's transaction, cleared by the journey driver once it has told
 * the workflow, re-sent by its retry loop if that fails.
 */
const journeyPending = () => ({ journeySyncPendingSince: sql`clock_timestamp()` as unknown as Date, journeySyncError: null });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A full listing reaches this far back (events moved into the distant past do not matter). */
const FULL_SYNC_LOOKBACK_MS = 30 * DAY;
/** Polling keeps this share of the daily budget for pushing our own changes. */
const POLL_RESERVE = 0.2;
/** Appointments without an event pushed per sync, at most (the rest on the next runs). */
const EXPORT_BATCH = 50;

type Connection = typeof calendarConnections.$inferSelect;

export function createCalendarActivities(deps: CalendarActivityDeps) {
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? silent;
  const { db } = deps;

  const calendarOf = (conn: Connection): ProfessionalCalendar => ({
    clinicId: conn.clinicId,
    calendarId: conn.calendarId,
    tokens: JSON.parse(decrypt(deps.dataKey, conn.encryptedTokens!)) as OAuthTokens,
    onTokens: async (tokens) => {
      await db.update(calendarConnections)
        .set({ encryptedTokens: encrypt(deps.dataKey, JSON.stringify(tokens)) })
        .where(and(eq(calendarConnections.id, conn.id), eq(calendarConnections.status, 'connected')));
    },
  });

  const connectionOf = async (professionalId: string) => {
    const [conn] = await db.select().from(calendarConnections)
      .where(and(eq(calendarConnections.professionalId, professionalId), eq(calendarConnections.status, 'connected')));
    return conn;
  };

  const recordError = (conn: Connection, message: string, status?: 'error') =>
    db.update(calendarConnections)
      .set({ lastError: message, lastErrorAt: now(), ...(status ? { status } : {}) })
      .where(eq(calendarConnections.id, conn.id));

  /** Quota and revoked access are states to report, not failures to retry (retrying cannot help today). */
  async function reported<T extends { status: string }>(conn: Connection, err: unknown, partial: Omit<T, 'status'>): Promise<T> {
    if (err instanceof CalendarQuotaExceeded) {
      await recordError(conn, `Limite diário de ${err.limit} requisições ao Google Agenda atingido; a sincronização continua amanhã.`);
      log.warn({ clinicId: conn.clinicId, professionalId: conn.professionalId, day: err.day }, 'google calendar quota exhausted');
      return { ...partial, status: 'quota_exhausted' } as unknown as T;
    }
    if (err instanceof CalendarAuthRevoked) {
      await recordError(conn, 'O Google recusou o acesso a esta agenda (permissão revogada ou expirada). Conecte a agenda novamente.', 'error');
      log.warn({ clinicId: conn.clinicId, professionalId: conn.professionalId }, 'google calendar access revoked');
      return { ...partial, status: 'auth_revoked' } as unknown as T;
    }
    throw err;
  }

  /** The appointment with what its event shows. Owner connection: the activity serves every clinic. */
  async function appointmentEvent(appointmentId: string) {
    const [row] = await db
      .select({
        appointmentId: appointments.id, clinicId: appointments.clinicId, professionalId: appointments.professionalId,
        startsAt: appointments.startsAt, durationMinutes: appointments.durationMinutes, status: appointments.status,
        googleEventId: appointments.googleEventId, patientName: patients.name, procedureName: procedures.name,
        professionalName: professionals.name, clinicName: clinics.name, timeZone: clinics.timezone,
      })
      .from(appointments)
      .innerJoin(patients, and(eq(patients.clinicId, appointments.clinicId), eq(patients.id, appointments.patientId)))
      .innerJoin(procedures, and(eq(procedures.clinicId, appointments.clinicId), eq(procedures.id, appointments.procedureId)))
      .innerJoin(professionals, and(eq(professionals.clinicId, appointments.clinicId), eq(professionals.id, appointments.professionalId)))
      .innerJoin(clinics, eq(clinics.id, appointments.clinicId))
      .where(eq(appointments.id, appointmentId));
    return row as (AppointmentEvent & { professionalId: string }) | undefined;
  }

  /** Bookkeeping only: google_event_id changes without touching updated_at (which dates business changes). */
  const setEventId = (appointmentId: string, eventId: string | null) =>
    db.update(appointments).set({ googleEventId: eventId, updatedAt: sql`${appointments.updatedAt}` }).where(eq(appointments.id, appointmentId));

  async function pushTo(cal: ProfessionalCalendar, event: AppointmentEvent): Promise<string> {
    const eventId = await deps.calendar.upsertEvent(cal, event);
    if (eventId && eventId !== event.googleEventId) await setEventId(event.appointmentId, eventId);
    return eventId;
  }

  async function removeFrom(cal: ProfessionalCalendar, appointmentId: string, eventId: string) {
    await deps.calendar.deleteEvent(cal, eventId);
    await setEventId(appointmentId, null);
  }

  async function pushAppointment(input: { appointmentId: string }): Promise<PushResult> {
    if (deps.calendar.kind === 'local') return { status: 'skipped', reason: 'local' };
    const event = await appointmentEvent(input.appointmentId);
    if (!event) return { status: 'skipped', reason: 'not_found' };
    if (event.status === 'cancelado' || event.status === 'no_show') return removeAppointment(input);
    const conn = await connectionOf(event.professionalId);
    if (!conn) return { status: 'skipped', reason: 'not_connected' };
    try {
      return { status: 'pushed', eventId: await pushTo(calendarOf(conn), event) };
    } catch (err) {
      return reported<PushResult>(conn, err, {});
    }
  }

  /**
   * Deletes the appointment's event (cancelled or no-show). With `professionalId`, from that
   * professional's calendar instead: after a reassignment, the previous professional's copy.
   */
  async function removeAppointment(input: { appointmentId: string; professionalId?: string }): Promise<PushResult> {
    if (deps.calendar.kind === 'local') return { status: 'skipped', reason: 'local' };
    const event = await appointmentEvent(input.appointmentId);
    if (!event) return { status: 'skipped', reason: 'not_found' };
    const fromOther = input.professionalId !== undefined && input.professionalId !== event.professionalId;
    const eventId = fromOther ? event.googleEventId ?? eventIdFor(event.appointmentId) : event.googleEventId;
    if (!eventId) return { status: 'skipped', reason: 'no_event' };
    const conn = await connectionOf(fromOther ? input.professionalId! : event.professionalId);
    if (!conn || conn.clinicId !== event.clinicId) return { status: 'skipped', reason: 'not_connected' };
    try {
      if (fromOther) await deps.calendar.deleteEvent(calendarOf(conn), eventId);
      else await removeFrom(calendarOf(conn), event.appointmentId, eventId);
      return { status: 'removed', eventId };
    } catch (err) {
      return reported<PushResult>(conn, err, {});
    }
  }

  async function listCalendarConnections(): Promise<Array<{ clinicId: string; professionalId: string }>> {
    return db.select({ clinicId: calendarConnections.clinicId, professionalId: calendarConnections.professionalId })
      .from(calendarConnections).where(eq(calendarConnections.status, 'connected'))
      .orderBy(calendarConnections.clinicId, calendarConnections.professionalId);
  }

  const currentOf = (tx: Tx, conn: Connection, appointmentId: string, lock = false) => {
    const q = tx.select({ id: appointments.id, startsAt: appointments.startsAt, status: appointments.status, updatedAt: appointments.updatedAt })
      .from(appointments)
      .where(and(eq(appointments.id, appointmentId), eq(appointments.professionalId, conn.professionalId)));
    return (lock ? q.for('update') : q).then((rows) => rows[0]);
  };

  const audit = (tx: Tx, conn: Connection, action: string, entityId: string, before: unknown, after: unknown, eventId: string) =>
    tx.insert(auditLog).values({ clinicId: conn.clinicId, userId: null, action, entity: 'appointment', entityId, before, after, requestId: `google-sync:${eventId}` });

  const isConflict = (err: unknown) => {
    const code = (err as { code?: string; cause?: { code?: string } })?.cause?.code ?? (err as { code?: string })?.code;
    return code === '23P01';
  };

  /**
   * Applies one Google change in its own transaction (re-checked against the locked row, so a change
   * made here meanwhile wins), then tells the journey. Returns what happened.
   */
  async function apply(
    conn: Connection, cal: ProfessionalCalendar, ev: ExternalEvent,
    result: Required<Pick<SyncResult, 'moved' | 'cancelled' | 'conflicts' | 'pushed' | 'orphansRemoved' | 'journeyErrors'>>,
  ): Promise<string | undefined> {
    if (!ev.appointmentId) return undefined;
    if (!UUID.test(ev.appointmentId) || (ev.clinicId && ev.clinicId !== conn.clinicId)) return undefined;
    let change: CalendarChange;
    try {
      change = await withClinic(db, conn.clinicId, async (tx) => {
        const current = await currentOf(tx, conn, ev.appointmentId!, true);
        const c = changeFor(ev, current);
        if (c.kind === 'moved') {
          await tx.update(appointments).set({ startsAt: c.startsAt, ...journeyPending() }).where(eq(appointments.id, c.appointmentId));
          await audit(tx, conn, 'update', c.appointmentId, { startsAt: c.previousStartsAt.toISOString() }, { startsAt: c.startsAt.toISOString(), via: 'google_calendar' }, c.eventId);
        } else if (c.kind === 'deleted') {
          await tx.update(appointments)
            .set({ status: 'cancelado', cancelReason: GOOGLE_CANCEL_REASON, cancelledAt: now(), googleEventId: null, ...journeyPending() })
            .where(eq(appointments.id, c.appointmentId));
          await audit(tx, conn, 'update', c.appointmentId, { status: current!.status }, { status: 'cancelado', cancelReason: GOOGLE_CANCEL_REASON, via: 'google_calendar' }, c.eventId);
        }
        return c;
      });
    } catch (err) {
      if (!isConflict(err)) throw err;
      // Moved in Google onto time the clinic already gave to someone else: the clinic's calendar wins,
      // Google gets our time back, and the audit log says why.
      result.conflicts++;
      await withClinic(db, conn.clinicId, (tx) =>
        audit(tx, conn, 'sync_conflict', ev.appointmentId!, null, { attemptedStartsAt: ev.start?.toISOString(), via: 'google_calendar', message: 'Horário ocupado na clínica; movimento no Google desfeito.' }, ev.id));
      const event = await appointmentEvent(ev.appointmentId);
      if (event) { await pushTo(cal, event); result.pushed++; }
      return ev.appointmentId;
    }

    switch (change.kind) {
      case 'moved':
        result.moved++;
        await tell(() => deps.journeys.reschedule(change.appointmentId, change.startsAt), change.appointmentId, result);
        break;
      case 'deleted':
        result.cancelled++;
        await tell(() => deps.journeys.cancel(change.appointmentId, GOOGLE_CANCEL_REASON), change.appointmentId, result);
        break;
      case 'stale': {
        const event = await appointmentEvent(change.appointmentId);
        if (event) { await pushTo(cal, event); result.pushed++; }
        break;
      }
      case 'unknown':
        // Our event for an appointment the clinic no longer has at all: remove it. (One that belongs to
        // another professional is left alone: two professionals may share one Google calendar.)
        if (change.reason === 'not_found' && ev.status !== 'cancelled') {
          const [exists] = await withClinic(db, conn.clinicId, (tx) =>
            tx.select({ id: appointments.id }).from(appointments).where(eq(appointments.id, ev.appointmentId!)));
          if (!exists) {
            await deps.calendar.deleteEvent(cal, ev.id);
            result.orphansRemoved++;
          }
        }
        break;
      default:
        return undefined;
    }
    return change.kind === 'unknown' ? undefined : change.appointmentId;
  }

  /** The journey is told after the commit; if that fails, the marker set in the transaction stays for the retry loop. */
  async function tell(fn: () => Promise<unknown>, appointmentId: string, result: { journeyErrors: number }) {
    try {
      await fn();
    } catch (err) {
      result.journeyErrors++;
      log.error({ err, appointmentId }, 'appointment journey not told about a Google Calendar change');
    }
  }

  async function syncCalendar(input: { professionalId: string; reason?: SyncReason }): Promise<SyncResult> {
    const { professionalId } = input;
    const reason = input.reason ?? 'manual';
    if (deps.calendar.kind === 'local') return { professionalId, status: 'skipped', reason: 'local' };
    const conn = await connectionOf(professionalId);
    if (!conn) return { professionalId, status: 'skipped', reason: 'not_connected' };
    const at = now();
    const fullDue = !conn.syncToken || !conn.lastFullSyncAt || at.getTime() - conn.lastFullSyncAt.getTime() > DAY;

    if (reason === 'schedule' && !fullDue) {
      // A live push channel already triggers a sync per change; polling is then only a safety net.
      const channelLive = conn.channelExpiresAt && conn.channelExpiresAt.getTime() > at.getTime();
      if (channelLive && conn.lastSyncedAt && at.getTime() - conn.lastSyncedAt.getTime() < HOUR) {
        return { professionalId, status: 'skipped', reason: 'push_channel_active' };
      }
      if (deps.quota) {
        const usage = await deps.quota.usage(conn.clinicId);
        if (usage.used >= usage.limit * (1 - POLL_RESERVE)) return { professionalId, status: 'skipped', reason: 'quota_reserve' };
      }
    }

    const cal = calendarOf(conn);
    const counts = { moved: 0, cancelled: 0, conflicts: 0, pushed: 0, removed: 0, pushErrors: 0, orphansRemoved: 0, journeyErrors: 0 };
    let page: ChangesPage | undefined;
    let tokenExpired = false;
    try {
      const fullSyncFrom = new Date(at.getTime() - FULL_SYNC_LOOKBACK_MS);
      if (fullDue) {
        page = await deps.calendar.listChanges(cal, null, { fullSyncFrom });
      } else {
        try {
          page = await deps.calendar.listChanges(cal, conn.syncToken, { fullSyncFrom });
        } catch (err) {
          if (!(err instanceof SyncTokenExpired)) throw err;
          tokenExpired = true;
          await db.update(calendarConnections).set({ syncToken: null }).where(eq(calendarConnections.id, conn.id));
          page = await deps.calendar.listChanges(cal, null, { fullSyncFrom });
        }
      }

      const seen = new Set<string>();
      const handled = new Set<string>();
      for (const ev of page.events) {
        if (ev.appointmentId) seen.add(ev.appointmentId);
        const done = await apply(conn, cal, ev, counts);
        if (done) handled.add(done);
      }

      // Our side, so Google follows the clinic even when nobody called pushAppointment: appointments
      // without an event yet (booked before connecting, or a lost push), changed since the last sync,
      // cancelled with an event still in Google, or (after a full listing) whose event is missing.
      const since = conn.lastSyncedAt?.getTime() ?? 0;
      const upcoming = await db.select({ id: appointments.id, status: appointments.status, googleEventId: appointments.googleEventId, updatedAt: appointments.updatedAt })
        .from(appointments)
        .where(and(
          eq(appointments.clinicId, conn.clinicId), eq(appointments.professionalId, conn.professionalId),
          gte(appointments.startsAt, new Date(at.getTime() - HOUR)),
        ))
        .orderBy(appointments.startsAt);
      let budget = EXPORT_BATCH;
      for (const a of upcoming) {
        if (budget <= 0) break;
        if (handled.has(a.id)) continue;
        const open = a.status === 'agendado' || a.status === 'confirmado';
        try {
          if (open && (!a.googleEventId || a.updatedAt.getTime() > since || (page.full && !seen.has(a.id)))) {
            const event = await appointmentEvent(a.id);
            if (event) { budget--; await pushTo(cal, event); counts.pushed++; }
          } else if ((a.status === 'cancelado' || a.status === 'no_show') && a.googleEventId) {
            budget--;
            await removeFrom(cal, a.id, a.googleEventId);
            counts.removed++;
          }
        } catch (err) {
          // Google refusing one event (400/403/404) must not block the rest; transient errors retry the activity.
          const code = googleError(err).status;
          if (err instanceof CalendarQuotaExceeded || err instanceof CalendarAuthRevoked || !code || code >= 500 || code === 429) throw err;
          counts.pushErrors++;
          log.warn({ err, appointmentId: a.id, status: code }, 'appointment not pushed to Google Calendar');
        }
      }
    } catch (err) {
      return reported<SyncResult>(conn, err, { professionalId, full: page?.full, tokenExpired, events: page?.events.length, ...counts });
    }

    // Compare-and-set: a concurrent sync that stored a newer token first keeps it.
    await db.update(calendarConnections)
      .set({
        ...(page.full ? { lastFullSyncAt: at } : {}),
        syncToken: page.nextSyncToken, lastSyncedAt: at,
        ...(counts.pushErrors
          ? { lastError: `${counts.pushErrors} agendamento(s) não puderam ser enviados ao Google Agenda; nova tentativa na próxima conciliação diária.`, lastErrorAt: at }
          : { lastError: null, lastErrorAt: null }),
      })
      .where(and(eq(calendarConnections.id, conn.id),
        tokenExpired || fullDue ? sql`true` : sql`${calendarConnections.syncToken} is not distinct from ${conn.syncToken}`));
    // Push notifications are an optimisation: if Google refuses the channel, polling still does the job.
    await renewChannel(conn, cal, at).catch((err) => log.warn({ err, professionalId }, 'google push channel not opened'));
    const result: SyncResult = { professionalId, status: 'synced', full: page.full, tokenExpired, events: page.events.length, ...counts };
    log.info({ clinicId: conn.clinicId, ...result, reason }, 'google calendar synced');
    return result;
  }

  /** Opens a push channel, or replaces one that expires within a day (Google channels last about a week). */
  async function renewChannel(conn: Connection, cal: ProfessionalCalendar, at: Date) {
    if (!deps.webhookUrl || !deps.calendar.watch) return;
    if (conn.channelExpiresAt && conn.channelExpiresAt.getTime() - at.getTime() > DAY) return;
    const channelId = crypto.randomUUID();
    const channel = await deps.calendar.watch(cal, { channelId, token: channelToken(deps.linkSecret, channelId), webhookUrl: deps.webhookUrl });
    await db.update(calendarConnections)
      .set({ channelId: channel.channelId, channelResourceId: channel.resourceId, channelExpiresAt: channel.expiresAt })
      .where(eq(calendarConnections.id, conn.id));
    if (conn.channelId && conn.channelResourceId && deps.calendar.stopWatch) {
      await deps.calendar.stopWatch(cal, { channelId: conn.channelId, resourceId: conn.channelResourceId }).catch((err) =>
        log.warn({ err, channelId: conn.channelId }, 'old google push channel not stopped'));
    }
  }

  return { pushAppointment, removeAppointment, listCalendarConnections, syncCalendar };
}

export type CalendarActivities = ReturnType<typeof createCalendarActivities>;

/**
 * Deps for a worker without Google (tests, no credentials): every calendar activity answers
 * "skipped: local", so the schedule's runs are harmless and the database stays the only calendar.
 */
export function localCalendarActivityDeps(db: Db): CalendarActivityDeps {
  return {
    db, calendar: localCalendarProvider, dataKey: Buffer.alloc(32), linkSecret: '',
    journeys: { reschedule: async () => undefined, cancel: async () => undefined },
  };
}
