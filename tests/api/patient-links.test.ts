// The public confirm/cancel links (no login): a valid link shows the appointment and acts once; a second
// click shows the current state; a tampered, expired or pre-reschedule link changes nothing; the write is
// audited with no user and reaches the journey through api/journeys.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { loadEnv, secrets } from '../../config/env';
import { appointmentConfirmations, appointments, auditLog } from '../../db/schema';
import { signAppointmentLink, type LinkAction } from '../../domain/signed-links';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { createTestApp } from '../support/app';
import { bookAppointment, createReminderClinic } from '../support/reminder-fixtures';

const HOUR = 3_600_000;
const NOW = new Date('2030-03-04T12:00:00Z');
const secret = secrets(loadEnv({ NODE_ENV: 'test' })).linkSecret;

let tdb: TestDatabase;
let api: Awaited<ReturnType<typeof createTestApp>>;
let clinic: Awaited<ReturnType<typeof createReminderClinic>>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  api = await createTestApp(tdb.db, { now: () => NOW });
  clinic = await createReminderClinic(tdb.db, 'Clínica Links');
});
afterAll(async () => {
  await api?.close();
  await tdb?.drop();
});

const token = (id: string, action: LinkAction, startsAt: Date) => signAppointmentLink(secret, { appointmentId: id, action, exp: startsAt.getTime() });
const get = (t: string) => api.app.request(`/api/public/appointments/${t}`);
const post = (t: string, action: LinkAction, body?: unknown) =>
  api.app.request(`/api/public/appointments/${t}/${action}`, {
    method: 'POST', ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
const row = async (id: string) => (await tdb.db.select().from(appointments).where(eq(appointments.id, id)))[0]!;

describe('public appointment links', () => {
  it('shows the appointment without login; confirms once; a second click shows "already confirmed"', async () => {
    const { row: appt } = await bookAppointment(tdb.db, clinic, new Date(NOW.getTime() + 26 * HOUR));
    await tdb.db.insert(appointmentConfirmations).values({ clinicId: clinic.clinic.id, appointmentId: appt.id, kind: 'lembrete_24h', channel: 'whatsapp' });
    const t = token(appt.id, 'confirm', appt.startsAt);

    const view = await get(t);
    expect(view.status).toBe(200);
    expect(await view.json()).toMatchObject({
      action: 'confirm', state: 'pending', canAct: true, message: expect.stringContaining('Confirme sua presença'),
      appointment: {
        status: 'agendado', patientFirstName: 'Carla', procedure: 'Limpeza de pele', time: '11:00', timezone: 'America/Sao_Paulo',
        clinic: { name: 'Clínica Links', phone: '(11) 3234-5678', mapUrl: expect.stringContaining('google.com/maps') },
      },
    });

    const first = await post(t, 'confirm');
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ outcome: 'done', state: 'confirmed', canAct: false, appointment: { status: 'confirmado' } });
    const r = await row(appt.id);
    expect(r.status).toBe('confirmado');
    expect(r.confirmedAt?.toISOString()).toBe(NOW.toISOString());
    expect(r.journeySyncPendingSince).toBeNull(); // the journey was told (the marker cleared)
    const handle = api.temporal.workflow.getHandle(`appointment:${appt.id}`);
    const history = await handle.fetchHistory();
    const signals = history.events!.filter((e) => e.workflowExecutionSignaledEventAttributes).map((e) => e.workflowExecutionSignaledEventAttributes!.signalName);
    expect(signals).toContain('statusChanged');
    const audit = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entityId, appt.id), eq(auditLog.action, 'confirm_by_patient')));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ userId: null, after: { status: 'confirmado', via: 'link' } });
    const [logged] = await tdb.db.select().from(appointmentConfirmations).where(eq(appointmentConfirmations.appointmentId, appt.id));
    expect(logged.response).toBe('confirmou');

    const second = await post(t, 'confirm');
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ outcome: 'already', state: 'confirmed', message: expect.stringContaining('já está confirmada') });
    expect(await tdb.db.select().from(auditLog).where(and(eq(auditLog.entityId, appt.id), eq(auditLog.action, 'confirm_by_patient')))).toHaveLength(1);
    await handle.terminate('fim do teste');
  });

  it('cancels with an optional reason (the slot is released); again → already cancelled; the confirm link then says cancelled', async () => {
    const { row: appt } = await bookAppointment(tdb.db, clinic, new Date(NOW.getTime() + 30 * HOUR));
    const t = token(appt.id, 'cancel', appt.startsAt);
    expect(await (await get(t)).json()).toMatchObject({ action: 'cancel', state: 'pending', canAct: true, message: expect.stringContaining('fica livre') });

    const res = await post(t, 'cancel', { reason: 'Vou viajar' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: 'done', state: 'cancelled', appointment: { status: 'cancelado' } });
    const r = await row(appt.id);
    expect(r).toMatchObject({ status: 'cancelado', cancelReason: 'Cancelado pelo paciente (link): Vou viajar', journeySyncPendingSince: null });
    expect(await tdb.db.select().from(auditLog).where(and(eq(auditLog.entityId, appt.id), eq(auditLog.action, 'cancel_by_patient')))).toHaveLength(1);

    expect(await (await post(t, 'cancel')).json()).toMatchObject({ outcome: 'already', state: 'cancelled' });
    const confirm = await post(token(appt.id, 'confirm', appt.startsAt), 'confirm');
    expect(await confirm.json()).toMatchObject({ outcome: 'not_possible', state: 'cancelled', canAct: false, message: expect.stringContaining('cancelado') });
    expect((await row(appt.id)).status).toBe('cancelado');
  });

  it('refuses a tampered link (400), a link used for the other action (400), an expired one and one from before a reschedule (410): nothing changes', async () => {
    const { row: appt } = await bookAppointment(tdb.db, clinic, new Date(NOW.getTime() + 50 * HOUR));
    const good = token(appt.id, 'confirm', appt.startsAt);
    const [body, sig] = good.split('.') as [string, string];
    const forged = `${Buffer.from(JSON.stringify({ a: appt.id, t: 'x', e: appt.startsAt.getTime() })).toString('base64url')}.${sig}`;
    for (const bad of [`${body}.${sig.slice(0, -2)}xx`, forged, 'nao-e-um-token-valido', `${body}x.${sig}`]) {
      for (const res of [await get(bad), await post(bad, 'cancel'), await post(bad, 'confirm')]) {
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({ error: { code: expect.stringMatching(/^(link_invalid|validation_failed)$/), message: expect.any(String) } });
      }
    }
    const wrong = await post(good, 'cancel');
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { code: 'link_wrong_action' } });

    // Expired: the appointment time has passed.
    const { row: past } = await bookAppointment(tdb.db, clinic, new Date(NOW.getTime() - HOUR));
    const expired = await post(token(past.id, 'confirm', past.startsAt), 'confirm');
    expect(expired.status).toBe(410);
    expect(await expired.json()).toEqual({ error: { code: 'link_expired', message: expect.stringContaining('expirou') } });

    // Outdated: the appointment moved after the link was sent.
    await tdb.db.update(appointments).set({ startsAt: new Date(appt.startsAt.getTime() + 2 * HOUR) }).where(eq(appointments.id, appt.id));
    const outdated = await post(good, 'confirm');
    expect(outdated.status).toBe(410);
    expect(await outdated.json()).toMatchObject({ error: { code: 'link_outdated', message: expect.stringContaining('remarcado') } });
    expect((await get(good)).status).toBe(410);

    expect((await row(appt.id)).status).toBe('agendado');
    expect((await row(past.id)).status).toBe('agendado');
    expect(await tdb.db.select().from(auditLog).where(eq(auditLog.entityId, appt.id))).toHaveLength(0);
  });

  it('validates the cancel reason (pt-BR 400) and needs no session for /api/public only', async () => {
    const { row: appt } = await bookAppointment(tdb.db, clinic, new Date(NOW.getTime() + 70 * HOUR));
    const t = token(appt.id, 'cancel', appt.startsAt);
    const long = await post(t, 'cancel', { reason: 'x'.repeat(501) });
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ error: { code: 'validation_failed', fields: { reason: ['O motivo deve ter no máximo 500 caracteres.'] } } });
    const extra = await post(t, 'cancel', { reason: 'ok', hack: true });
    expect(extra.status).toBe(400);
    expect((await row(appt.id)).status).toBe('agendado');
    expect((await api.app.request('/api/appointments')).status).toBe(401);
  });
});
