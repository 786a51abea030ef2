// The calendar activities on a real database against the fake Google: the first sync exports upcoming
// appointments, a move or a deletion made in Google reaches the appointment and its journey, an expired
// sync token leads to a full resync, conflicts keep the clinic's time, the quota stops the calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { appointments, auditLog, calendarConnections, googleQuota } from '../../db/schema';
import { decrypt } from '../../db/crypto';
import { createCalendarActivities, GOOGLE_CANCEL_REASON, localCalendarActivityDeps } from '../../activities/calendar';
import { createCalendarProvider } from '../../providers/calendar';
import { eventIdFor } from '../../providers/calendar/mapping';
import { quotaDay } from '../../providers/calendar/rate-limit';
import { pgQuota } from '../../services/calendar-quota';
import { channelToken } from '../../providers/calendar/signing';
import { createExternalBusy } from '../../api/routes/google';
import { localCalendarProvider } from '../../providers/calendar/local';
import { startFakeGoogle, type FakeGoogle } from './fake-google';
import { connectedClinic, inDays, journeySpy, testSecrets } from './support';

let tdb: TestDatabase;
let google: FakeGoogle;

const provider = (limit = 1000) => createCalendarProvider({
  clientId: google.client.id, clientSecret: google.client.secret, redirectUrl: 'http://127.0.0.1/cb',
  quota: pgQuota(tdb.db, { limit }), endpoints: google.endpoints, sleep: async () => {},
});
const activitiesFor = (journeys = journeySpy(), limit = 1000) => ({
  journeys,
  ...createCalendarActivities({ db: tdb.db, calendar: provider(limit), journeys, quota: pgQuota(tdb.db, { limit }), ...testSecrets }),
});
const row = async (id: string) => (await tdb.db.select().from(appointments).where(eq(appointments.id, id)))[0];
const connection = async (professionalId: string) =>
  (await tdb.db.select().from(calendarConnections).where(eq(calendarConnections.professionalId, professionalId)))[0];

beforeAll(async () => {
  tdb = await createTestDatabase();
  google = await startFakeGoogle({ pageSize: 3 });
});
afterAll(async () => {
  await google?.close();
  await tdb?.drop();
});

describe('syncCalendar', () => {
  let clinic: Awaited<ReturnType<typeof connectedClinic>>;
  let act: ReturnType<typeof activitiesFor>;
  let ana: { id: string };
  let bia: { id: string };
  let carla: { id: string };

  beforeAll(async () => {
    clinic = await connectedClinic(tdb.db, google, 'Clínica Sincronizada');
    const p1 = await clinic.patient('Ana Souza', new Date());
    const p2 = await clinic.patient('Beatriz Lima', new Date());
    const p3 = await clinic.patient('Carla Dias', new Date());
    ana = await clinic.appointment(p1.id, inDays(2, 13), 'agendado');
    bia = await clinic.appointment(p2.id, inDays(3, 13), 'confirmado');
    carla = await clinic.appointment(p3.id, inDays(4, 13), 'agendado');
    await clinic.appointment(p1.id, inDays(-10, 13), 'realizado'); // past: not exported
    act = activitiesFor();
  });

  it('the first sync exports the upcoming appointments and stores their event ids and the sync token', async () => {
    const result = await act.syncCalendar({ professionalId: clinic.professional.id, reason: 'connect' });
    expect(result).toMatchObject({ status: 'synced', full: true, pushed: 3, moved: 0, cancelled: 0 });
    for (const a of [ana, bia, carla]) {
      const r = await row(a.id);
      expect(r.googleEventId).toBe(eventIdFor(a.id));
      expect(google.event(clinic.calendarId, r.googleEventId!)?.summary).toMatch(/^Toxina botulínica — /);
    }
    const conn = await connection(clinic.professional.id);
    expect(conn.syncToken).toMatch(/^sync:/);
    expect(conn.lastFullSyncAt).not.toBeNull();
    expect(conn.lastError).toBeNull();
  });

  it('an appointment moved in Google gets the new time, an audit entry and a journey reschedule', async () => {
    const newStart = inDays(2, 17);
    const before = await row(ana.id);
    google.moveEvent(clinic.calendarId, eventIdFor(ana.id), newStart, new Date(newStart.getTime() + 30 * 60_000));
    act.journeys.calls.length = 0;

    const result = await act.syncCalendar({ professionalId: clinic.professional.id, reason: 'push' });
    expect(result).toMatchObject({ status: 'synced', full: false, moved: 1, cancelled: 0 });
    const after = await row(ana.id);
    expect(after.startsAt).toEqual(newStart);
    expect(after.endsAt).toEqual(new Date(newStart.getTime() + 30 * 60_000));
    expect(after.status).toBe('agendado');
    expect(after.journeySyncPendingSince).not.toBeNull(); // the journey driver clears it once told
    expect(act.journeys.calls).toEqual([{ op: 'reschedule', appointmentId: ana.id, arg: newStart }]);
    const [entry] = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entityId, ana.id), eq(auditLog.action, 'update')));
    expect(entry).toMatchObject({ entity: 'appointment', userId: null, before: { startsAt: before.startsAt.toISOString() }, after: { startsAt: newStart.toISOString(), via: 'google_calendar' } });
  });

  it('an appointment deleted in Google is cancelled ("Removido no Google Agenda") and its journey cancelled', async () => {
    google.deleteEvent(clinic.calendarId, eventIdFor(bia.id));
    act.journeys.calls.length = 0;
    const result = await act.syncCalendar({ professionalId: clinic.professional.id, reason: 'push' });
    expect(result).toMatchObject({ status: 'synced', cancelled: 1, moved: 0 });
    const r = await row(bia.id);
    expect(r).toMatchObject({ status: 'cancelado', cancelReason: GOOGLE_CANCEL_REASON });
    expect(GOOGLE_CANCEL_REASON).toBe('Removido no Google Agenda');
    expect(r.cancelledAt).not.toBeNull();
    expect(r.googleEventId).toBeNull(); // the event is gone in Google: nothing left to remove
    expect(act.journeys.calls).toEqual([{ op: 'cancel', appointmentId: bia.id, arg: 'Removido no Google Agenda' }]);
  });

  it('the echo of what we already have changes nothing (no journey call, no Google write)', async () => {
    act.journeys.calls.length = 0;
    const writes = () => google.apiRequests().filter((r) => r.method !== 'GET').length;
    const w = writes();
    const result = await act.syncCalendar({ professionalId: clinic.professional.id, reason: 'push' });
    expect(result).toMatchObject({ status: 'synced', moved: 0, cancelled: 0, pushed: 0, removed: 0 });
    expect(act.journeys.calls).toEqual([]);
    expect(writes()).toBe(w);
  });

  it('an expired sync token (410) leads to a full resync that still applies the pending move', async () => {
    const newStart = inDays(4, 19);
    google.moveEvent(clinic.calendarId, eventIdFor(carla.id), newStart, new Date(newStart.getTime() + 30 * 60_000));
    google.expireSyncTokens();
    const oldToken = (await connection(clinic.professional.id)).syncToken;
    act.journeys.calls.length = 0;

    const result = await act.syncCalendar({ professionalId: clinic.professional.id, reason: 'schedule' });
    google.acceptSyncTokens();
    expect(result).toMatchObject({ status: 'synced', tokenExpired: true, full: true, moved: 1 });
    expect((await row(carla.id)).startsAt).toEqual(newStart);
    expect(act.journeys.calls).toEqual([{ op: 'reschedule', appointmentId: carla.id, arg: newStart }]);
    const listCalls = google.apiRequests().filter((r) => r.method === 'GET' && r.path.endsWith('/events'));
    expect(listCalls.some((r) => r.query.get('syncToken') === oldToken)).toBe(true);
    expect(listCalls.at(-1)!.query.get('syncToken')).toBeNull();
    expect((await connection(clinic.professional.id)).syncToken).not.toBe(oldToken);
  });

  it('a move onto time the clinic already booked keeps the clinic’s time and puts it back in Google', async () => {
    const taken = (await row(carla.id)).startsAt;
    google.moveEvent(clinic.calendarId, eventIdFor(ana.id), taken, new Date(taken.getTime() + 30 * 60_000));
    const anaBefore = await row(ana.id);
    act.journeys.calls.length = 0;

    const result = await act.syncCalendar({ professionalId: clinic.professional.id, reason: 'push' });
    expect(result).toMatchObject({ status: 'synced', conflicts: 1, moved: 0 });
    expect((await row(ana.id)).startsAt).toEqual(anaBefore.startsAt);
    expect(google.event(clinic.calendarId, eventIdFor(ana.id))!.start?.dateTime).toBe(anaBefore.startsAt.toISOString());
    expect(act.journeys.calls).toEqual([]);
    const conflicts = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entityId, ana.id), eq(auditLog.action, 'sync_conflict')));
    expect(conflicts).toHaveLength(1);
  });

  it('other events in the calendar are left alone', async () => {
    const congress = google.addEvent(clinic.calendarId, { summary: 'Congresso', start: inDays(5, 12), end: inDays(5, 20) });
    const result = await act.syncCalendar({ professionalId: clinic.professional.id, reason: 'push' });
    expect(result).toMatchObject({ status: 'synced', moved: 0, cancelled: 0, conflicts: 0, orphansRemoved: 0 });
    expect(google.event(clinic.calendarId, congress.id)).toMatchObject({ status: 'confirmed', seq: congress.seq });
    expect(google.apiRequests().filter((r) => r.path.endsWith(`/events/${congress.id}`))).toEqual([]);
  });
});

describe('daily full reconciliation', () => {
  it('removes events of appointments the clinic no longer has and pushes moves made here', async () => {
    const clinic = await connectedClinic(tdb.db, google, 'Clínica Conciliada');
    const act = activitiesFor();
    const p = await clinic.patient('Fernanda Luz', new Date());
    const gone = await clinic.appointment(p.id, inDays(3, 12), 'agendado');
    const moved = await clinic.appointment(p.id, inDays(4, 12), 'agendado');
    await act.syncCalendar({ professionalId: clinic.professional.id });

    await tdb.db.delete(appointments).where(eq(appointments.id, gone.id));
    await tdb.db.update(appointments).set({ startsAt: inDays(4, 18) }).where(eq(appointments.id, moved.id)); // no push
    // A day later the sync lists everything again.
    await tdb.db.update(calendarConnections).set({ lastFullSyncAt: new Date(Date.now() - 25 * 3600_000) }).where(eq(calendarConnections.id, clinic.connection.id));
    const result = await act.syncCalendar({ professionalId: clinic.professional.id, reason: 'schedule' });
    expect(result).toMatchObject({ status: 'synced', full: true, orphansRemoved: 1, pushed: 1, moved: 0 });
    expect(google.event(clinic.calendarId, eventIdFor(gone.id))!.status).toBe('cancelled');
    expect(google.event(clinic.calendarId, eventIdFor(moved.id))!.start?.dateTime).toBe(inDays(4, 18).toISOString());
    expect((await row(moved.id)).startsAt).toEqual(inDays(4, 18)); // ours stood
  });
});

describe('push notification channels', () => {
  it('with a public https webhook, the sync opens a channel, keeps it, and polling then backs off', async () => {
    const clinic = await connectedClinic(tdb.db, google, 'Clínica Notificada');
    const journeys = journeySpy();
    const act = createCalendarActivities({
      db: tdb.db, calendar: provider(), journeys, quota: pgQuota(tdb.db), ...testSecrets, webhookUrl: 'https://crm.example/webhooks/google/calendar',
    });
    await act.syncCalendar({ professionalId: clinic.professional.id, reason: 'connect' });
    const conn = await connection(clinic.professional.id);
    expect(conn.channelId).toBeTruthy();
    expect(conn.channelExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 6 * 86400_000);
    expect(google.channels.get(conn.channelId!)).toMatchObject({
      address: 'https://crm.example/webhooks/google/calendar', token: channelToken(testSecrets.linkSecret, conn.channelId!), resourceId: conn.channelResourceId,
    });

    await act.syncCalendar({ professionalId: clinic.professional.id, reason: 'push' });
    expect((await connection(clinic.professional.id)).channelId).toBe(conn.channelId); // not renewed yet
    expect(await act.syncCalendar({ professionalId: clinic.professional.id, reason: 'schedule' })).toMatchObject({ status: 'skipped', reason: 'push_channel_active' });

    // Close to expiry: a new channel replaces the old one, which is stopped.
    await tdb.db.update(calendarConnections).set({ channelExpiresAt: new Date(Date.now() + 3600_000) }).where(eq(calendarConnections.id, clinic.connection.id));
    await act.syncCalendar({ professionalId: clinic.professional.id, reason: 'push' });
    const renewed = await connection(clinic.professional.id);
    expect(renewed.channelId).not.toBe(conn.channelId);
    expect(google.channels.get(conn.channelId!)!.stopped).toBe(true);
  });
});

describe('pushAppointment / removeAppointment', () => {
  it('pushes a new appointment, updates it after a change here, and removes it once cancelled', async () => {
    const clinic = await connectedClinic(tdb.db, google, 'Clínica Push');
    const act = activitiesFor();
    const patient = await clinic.patient('Diana Reis', new Date());
    const a = await clinic.appointment(patient.id, inDays(6, 14), 'agendado');

    expect(await act.pushAppointment({ appointmentId: a.id })).toEqual({ status: 'pushed', eventId: eventIdFor(a.id) });
    expect((await row(a.id)).googleEventId).toBe(eventIdFor(a.id));

    await tdb.db.update(appointments).set({ startsAt: inDays(6, 16) }).where(eq(appointments.id, a.id));
    await act.pushAppointment({ appointmentId: a.id });
    expect(google.event(clinic.calendarId, eventIdFor(a.id))!.start?.dateTime).toBe(inDays(6, 16).toISOString());

    await tdb.db.update(appointments).set({ status: 'cancelado' }).where(eq(appointments.id, a.id));
    expect(await act.pushAppointment({ appointmentId: a.id })).toEqual({ status: 'removed', eventId: eventIdFor(a.id) });
    expect(google.event(clinic.calendarId, eventIdFor(a.id))!.status).toBe('cancelled');
    expect((await row(a.id)).googleEventId).toBeNull();
    expect(await act.removeAppointment({ appointmentId: a.id })).toEqual({ status: 'skipped', reason: 'no_event' });
  });

  it('does nothing without a connection or without Google credentials', async () => {
    const clinic = await connectedClinic(tdb.db, google, 'Clínica Sem Conexão');
    await tdb.db.update(calendarConnections).set({ status: 'disconnected', encryptedTokens: null }).where(eq(calendarConnections.id, clinic.connection.id));
    const patient = await clinic.patient('Elisa Prado', new Date());
    const a = await clinic.appointment(patient.id, inDays(6, 14), 'agendado');
    expect(await activitiesFor().pushAppointment({ appointmentId: a.id })).toEqual({ status: 'skipped', reason: 'not_connected' });
    const local = createCalendarActivities(localCalendarActivityDeps(tdb.db));
    expect(await local.pushAppointment({ appointmentId: a.id })).toEqual({ status: 'skipped', reason: 'local' });
    expect(await local.syncCalendar({ professionalId: clinic.professional.id })).toMatchObject({ status: 'skipped', reason: 'local' });
    expect(await local.removeAppointment({ appointmentId: a.id })).toEqual({ status: 'skipped', reason: 'local' });
  });
});

describe('limits', () => {
  it('stops calling Google when the clinic’s daily quota is used up, and reports it', async () => {
    const clinic = await connectedClinic(tdb.db, google, 'Clínica Econômica');
    for (let i = 0; i < 4; i++) {
      const p = await clinic.patient(`Paciente ${i}`, new Date());
      await clinic.appointment(p.id, inDays(2 + i, 15), 'agendado');
    }
    const act = activitiesFor(journeySpy(), 3);
    const before = google.apiRequests().length;
    const result = await act.syncCalendar({ professionalId: clinic.professional.id, reason: 'manual' });
    expect(result).toMatchObject({ status: 'quota_exhausted', pushed: 2 }); // 1 list + 2 inserts = 3
    expect(google.apiRequests().length - before).toBe(3);
    const [q] = await tdb.db.select().from(googleQuota).where(and(eq(googleQuota.clinicId, clinic.clinic.id), eq(googleQuota.day, quotaDay(new Date()))));
    expect(q.requests).toBe(3);
    const conn = await connection(clinic.professional.id);
    expect(conn.lastError).toContain('Limite diário de 3 requisições');
    expect(conn.syncToken).toBeNull(); // not advanced: the next day re-reads from the same point

    // Once used up, nothing reaches Google; a scheduled poll does not even try near the limit.
    expect(await act.pushAppointment({ appointmentId: (await tdb.db.select().from(appointments).where(eq(appointments.clinicId, clinic.clinic.id)))[0].id }))
      .toEqual({ status: 'quota_exhausted' });
    expect(google.apiRequests().length - before).toBe(3);
  });

  it('an event Google refuses does not block the others, and is reported', async () => {
    const clinic = await connectedClinic(tdb.db, google, 'Clínica Recusada');
    for (let i = 0; i < 2; i++) await clinic.appointment((await clinic.patient(`Paciente ${i}`, new Date())).id, inDays(2 + i, 15), 'agendado');
    google.fail(403, 'forbidden', /\/events$/, 'POST');
    const result = await activitiesFor().syncCalendar({ professionalId: clinic.professional.id });
    expect(result).toMatchObject({ status: 'synced', pushed: 1, pushErrors: 1 });
    expect((await connection(clinic.professional.id)).lastError).toContain('1 agendamento(s) não puderam ser enviados');
    const again = await activitiesFor().syncCalendar({ professionalId: clinic.professional.id }); // no event id yet: tried again
    expect(again).toMatchObject({ status: 'synced', pushed: 1, pushErrors: 0 });
    expect((await connection(clinic.professional.id)).lastError).toBeNull();
  });

  it('access revoked in Google marks the connection for reconnection', async () => {
    const clinic = await connectedClinic(tdb.db, google, 'Clínica Revogada');
    google.revokeRefreshToken('refresh-ok');
    try {
      // force a refresh: the stored access token is expired
      const { encrypt } = await import('../../db/crypto');
      await tdb.db.update(calendarConnections)
        .set({ encryptedTokens: encrypt(testSecrets.dataKey, JSON.stringify({ access_token: 'velho', refresh_token: 'refresh-ok', expiry_date: 1 })) })
        .where(eq(calendarConnections.id, clinic.connection.id));
      const result = await activitiesFor().syncCalendar({ professionalId: clinic.professional.id });
      expect(result).toMatchObject({ status: 'auth_revoked' });
      const conn = await connection(clinic.professional.id);
      expect(conn.status).toBe('error');
      expect(conn.lastError).toContain('Conecte a agenda novamente');
    } finally {
      google.issueCode('refresh-ok'); // re-allow the shared refresh token for other tests
    }
  });

  it('refreshed access tokens are stored encrypted', async () => {
    const clinic = await connectedClinic(tdb.db, google, 'Clínica Renovada');
    const { encrypt } = await import('../../db/crypto');
    await tdb.db.update(calendarConnections)
      .set({ encryptedTokens: encrypt(testSecrets.dataKey, JSON.stringify({ access_token: 'expirado', refresh_token: 'refresh-ok', expiry_date: Date.now() - 1000 })) })
      .where(eq(calendarConnections.id, clinic.connection.id));
    await activitiesFor().syncCalendar({ professionalId: clinic.professional.id });
    const conn = await connection(clinic.professional.id);
    expect(conn.encryptedTokens).not.toContain('access-');
    const tokens = JSON.parse(decrypt(testSecrets.dataKey, conn.encryptedTokens!));
    expect(tokens.access_token).toMatch(/^access-/);
    expect(tokens.refresh_token).toBe('refresh-ok');
  });
});

describe('externalBusy (slot finding)', () => {
  it('returns the connected professionals’ Google busy times, cached; nothing without Google or on failure', async () => {
    const clinic = await connectedClinic(tdb.db, google, 'Clínica Ocupada');
    google.addEvent(clinic.calendarId, { summary: 'Dentista', start: inDays(8, 15), end: inDays(8, 16) });
    // Our own appointment, pushed to Google, is busy from the database, not again from Google.
    const ours = await clinic.appointment((await clinic.patient('Gabi Nunes', new Date())).id, inDays(8, 10), 'agendado');
    await activitiesFor().pushAppointment({ appointmentId: ours.id });
    expect(google.event(clinic.calendarId, eventIdFor(ours.id))).toBeDefined();
    const busy = createExternalBusy({ db: tdb.db, calendar: provider(), dataKey: testSecrets.dataKey });
    const from = inDays(8, 0);
    const to = inDays(9, 0);
    const other = '00000000-0000-4000-8000-000000000000';
    expect(await busy([clinic.professional.id, other], from, to)).toEqual([
      { professionalId: clinic.professional.id, start: inDays(8, 15), end: inDays(8, 16), kind: 'external' },
    ]);
    const calls = google.apiRequests().length;
    await busy([clinic.professional.id], from, to);
    expect(google.apiRequests().length).toBe(calls); // cached

    const local = createExternalBusy({ db: tdb.db, calendar: localCalendarProvider, dataKey: testSecrets.dataKey });
    expect(await local([clinic.professional.id], from, to)).toEqual([]);

    google.fail(500, 'backendError');
    google.fail(500, 'backendError');
    google.fail(500, 'backendError');
    google.fail(500, 'backendError');
    google.fail(500, 'backendError');
    google.fail(500, 'backendError');
    const failing = createExternalBusy({ db: tdb.db, calendar: provider(), dataKey: testSecrets.dataKey, log: { warn() {} } });
    expect(await failing([clinic.professional.id], from, to)).toEqual([]);
  });
});
