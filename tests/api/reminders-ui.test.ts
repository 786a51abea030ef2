// The reminders' dashboard API: the clinic's texts (CRUD, variable and length rules, preview, test send
// through the local outbox), the report per channel on fixture data, the clinic notifications (list and
// live stream), and the appointment journey's state on the dev server (running and not found).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { inject } from 'vitest';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { analyticsEvents, appointmentConfirmations, appointments, auditLog, messageOutbox, messageTemplates, users } from '../../db/schema';
import { withClinic } from '../../db/tenancy';
import { createActivities } from '../../activities';
import { workflowsPath } from '../../worker/worker';
import { appointmentJourney } from '../../workflows/appointment';
import { appointmentWorkflowId } from '../../workflows/definitions';
import { resolveTemplate } from '../../services/templates';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createTestApp, login } from '../support/app';
import { bookAppointment, createReminderClinic, fakeSender, LINK_SECRET, WEB_BASE } from '../support/reminder-fixtures';

let tdb: TestDatabase;
let t: Awaited<ReturnType<typeof createTestApp>>;
let clinic: Awaited<ReturnType<typeof createReminderClinic>>;
let other: Awaited<ReturnType<typeof createReminderClinic>>;
let admin: string, staff: string, view: string, otherAdmin: string;
const json = (token: string) => bearer(token, { 'content-type': 'application/json' });

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await createTestApp(tdb.db);
  clinic = await createReminderClinic(tdb.db, 'Clínica Modelos');
  other = await createReminderClinic(tdb.db, 'Clínica Vizinha');
  admin = await login(t.app, clinic.members.admin.email);
  view = await login(t.app, clinic.members.view.email);
  staff = await login(t.app, clinic.members.staff.email);
  otherAdmin = await login(t.app, other.members.admin.email);
});
afterAll(async () => {
  await t.close();
  await tdb.drop();
});

describe('reminder templates', () => {
  it('lists every step × channel with the defaults marked', async () => {
    const res = await t.app.request('/api/reminders/templates', { headers: bearer(view) });
    expect(res.status).toBe(200);
    const body = await res.json() as { templates: Array<{ key: string; channel: string; isDefault: boolean; sentByJourney: boolean; body: string }>; variables: Array<{ name: string }> };
    expect(body.templates).toHaveLength(9);
    expect(body.templates.every((x) => x.isDefault)).toBe(true);
    expect(body.templates.find((x) => x.key === 'reminder_24h' && x.channel === 'whatsapp')).toMatchObject({ sentByJourney: true });
    expect(body.templates.find((x) => x.key === 'reminder_24h' && x.channel === 'sms')).toMatchObject({ sentByJourney: false });
    expect(body.variables.map((v) => v.name)).toContain('link_confirmar');
  });

  it('saves the clinic text, resolves it for the activities, and restores the default', async () => {
    const text = 'Oi {paciente}! Amanhã, {data} às {hora}: {procedimento}. Confirme: {link_confirmar}';
    const put = await t.app.request('/api/reminders/templates/reminder_24h/whatsapp', { method: 'PUT', headers: json(admin), body: JSON.stringify({ body: text }) });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ isDefault: false, body: text, warnings: [] });
    const get = await t.app.request('/api/reminders/templates/reminder_24h/whatsapp', { headers: bearer(view) });
    expect(await get.json()).toMatchObject({ isDefault: false, body: text });
    // The resolver the activities use; the other clinic still has the default.
    const own = await withClinic(tdb.db, clinic.clinic.id, (tx) => resolveTemplate(tx, clinic.clinic.id, 'reminder_24h', 'whatsapp'));
    expect(own).toMatchObject({ body: text, isDefault: false });
    const theirs = await withClinic(tdb.db, other.clinic.id, (tx) => resolveTemplate(tx, other.clinic.id, 'reminder_24h', 'whatsapp'));
    expect(theirs?.isDefault).toBe(true);
    expect(await withClinic(tdb.db, other.clinic.id, (tx) => resolveTemplate(tx, other.clinic.id, 'reminder_24h', 'sms'))).toBeNull();
    const audit = await tdb.db.select().from(auditLog).where(and(eq(auditLog.clinicId, clinic.clinic.id), eq(auditLog.entity, 'message_template')));
    expect(audit.length).toBe(1);

    const del = await t.app.request('/api/reminders/templates/reminder_24h/whatsapp', { method: 'DELETE', headers: bearer(admin) });
    expect(await del.json()).toMatchObject({ isDefault: true });
    expect(await tdb.db.select().from(messageTemplates).where(eq(messageTemplates.clinicId, clinic.clinic.id))).toHaveLength(0);
  });

  it('refuses unknown variables (listing the allowed ones), long WhatsApp texts, a subject outside e-mail, and view-only members', async () => {
    const bad = await t.app.request('/api/reminders/templates/reminder_2h/sms', { method: 'PUT', headers: json(admin), body: JSON.stringify({ body: 'Oi {nome}, {hora}' }) });
    expect(bad.status).toBe(400);
    const err = await bad.json() as { error: { code: string; message: string; fields: Record<string, string[]> } };
    expect(err.error.code).toBe('validation_failed');
    expect(err.error.message).toContain('{nome}');
    expect(err.error.message).toContain('{paciente}');
    const long = await t.app.request('/api/reminders/templates/reminder_24h/whatsapp', { method: 'PUT', headers: json(admin), body: JSON.stringify({ body: 'a'.repeat(1025) }) });
    expect(long.status).toBe(400);
    const subject = await t.app.request('/api/reminders/templates/reminder_2h/sms', { method: 'PUT', headers: json(admin), body: JSON.stringify({ body: 'Oi', subject: 'x' }) });
    expect(subject.status).toBe(400);
    const badKey = await t.app.request('/api/reminders/templates/reminder_1h/sms', { method: 'PUT', headers: json(admin), body: JSON.stringify({ body: 'Oi' }) });
    expect(badKey.status).toBe(400);
    const forbidden = await t.app.request('/api/reminders/templates/reminder_2h/sms', { method: 'PUT', headers: json(view), body: JSON.stringify({ body: 'Oi' }) });
    expect(forbidden.status).toBe(403);
    expect(await tdb.db.select().from(messageTemplates)).toHaveLength(0);
    // A long SMS is saved with a warning.
    const sms = await t.app.request('/api/reminders/templates/reminder_2h/sms', { method: 'PUT', headers: json(admin), body: JSON.stringify({ body: `{paciente} ${'x'.repeat(330)} {link_confirmar}` }) });
    expect(sms.status).toBe(200);
    expect(((await sms.json()) as { warnings: string[] }).warnings[0]).toContain('320');
  });

  it('previews with sample data and with a real appointment', async () => {
    const sample = await t.app.request('/api/reminders/templates/preview', { method: 'POST', headers: json(staff), body: JSON.stringify({ key: 'reminder_2h', channel: 'email' }) });
    expect(sample.status).toBe(200);
    const s = await sample.json() as { subject: string; body: string; source: string };
    expect(s.source).toBe('sample');
    expect(s.subject).toContain('Limpeza de pele');
    expect(s.body).toContain('Maria');
    expect(s.body).not.toMatch(/\{[a-z_]+\}/);

    const { row } = await bookAppointment(tdb.db, clinic, new Date(Date.now() + 3 * 86_400_000));
    const real = await t.app.request('/api/reminders/templates/preview', {
      method: 'POST', headers: json(staff), body: JSON.stringify({ key: 'reminder_24h', channel: 'whatsapp', body: 'Oi {paciente}: {link_confirmar} {foo}', appointmentId: row.id }),
    });
    const r = await real.json() as { body: string; source: string; errors: Record<string, string[]> };
    expect(r.source).toBe('appointment');
    expect(r.body).toMatch(/^Oi Carla: http:\/\/.+\/p\/c\//);
    expect(r.errors.body?.[0]).toContain('{foo}');
    const missing = await t.app.request('/api/reminders/templates/preview', { method: 'POST', headers: json(otherAdmin), body: JSON.stringify({ key: 'reminder_24h', channel: 'whatsapp', appointmentId: row.id }) });
    expect(missing.status).toBe(404);
  });

  it('sends a test to the signed-in member through the local outbox', async () => {
    const noPhone = await t.app.request('/api/reminders/templates/test', { method: 'POST', headers: json(admin), body: JSON.stringify({ key: 'reminder_24h', channel: 'whatsapp' }) });
    expect(noPhone.status).toBe(400);
    await tdb.db.update(users).set({ phone: '+5511999990000' }).where(eq(users.id, clinic.members.admin.id));
    const res = await t.app.request('/api/reminders/templates/test', { method: 'POST', headers: json(admin), body: JSON.stringify({ key: 'reminder_24h', channel: 'whatsapp' }) });
    expect(res.status).toBe(201);
    const out = await res.json() as { status: string; outboxId: string; to: string; body: string };
    expect(out).toMatchObject({ status: 'sent', to: '+5511999990000' });
    const [row] = await tdb.db.select().from(messageOutbox).where(eq(messageOutbox.id, out.outboxId));
    expect(row).toMatchObject({ status: 'sent', template: 'test_reminder_24h', to: '+5511999990000', patientId: null });
    expect(row!.idempotencyKey).toMatch(new RegExp(`^test:${clinic.members.admin.id}:\\d+$`));
    const mail = await t.app.request('/api/reminders/templates/test', { method: 'POST', headers: json(admin), body: JSON.stringify({ key: 'reminder_2h', channel: 'email' }) });
    expect(mail.status).toBe(201);
    expect(await mail.json()).toMatchObject({ to: clinic.members.admin.email, subject: expect.stringContaining('[Teste]') });
  });
});

describe('reminders report', () => {
  it('counts per channel and computes the success rate', async () => {
    const c = await createReminderClinic(tdb.db, 'Clínica Relatório');
    const token = await login(t.app, c.members.admin.email);
    const at = new Date('2026-03-10T15:00:00Z');
    const statuses = ['confirmado', 'realizado', 'cancelado', 'no_show', 'agendado'] as const;
    const booked: Awaited<ReturnType<typeof bookAppointment>>['row'][] = [];
    for (const [i, status] of statuses.entries()) {
      const { row } = await bookAppointment(tdb.db, c, new Date(at.getTime() + (i + 1) * 86_400_000));
      await tdb.db.update(appointments).set({ status, ...(status === 'confirmado' ? { confirmedAt: at } : {}) }).where(eq(appointments.id, row.id));
      booked.push(row);
    }
    const out = (appointmentId: string, channel: 'whatsapp' | 'sms' | 'email', status: 'sent' | 'delivered' | 'read' | 'failed', template = 'reminder_24h') => ({
      clinicId: c.clinic.id, appointmentId, patientId: c.carla.id, channel, to: channel === 'email' ? 'carla@example.com' : '+5511987650001',
      body: 'x', template, status, idempotencyKey: `${appointmentId}:${channel}:${template}`, createdAt: at,
      ...(status === 'delivered' || status === 'read' ? { deliveredAt: at } : {}), ...(status === 'read' ? { readAt: at } : {}),
    });
    await tdb.db.insert(messageOutbox).values([
      out(booked[0]!.id, 'whatsapp', 'read'), out(booked[1]!.id, 'whatsapp', 'delivered'), out(booked[2]!.id, 'whatsapp', 'sent'),
      out(booked[3]!.id, 'whatsapp', 'read'), out(booked[4]!.id, 'whatsapp', 'failed'),
      out(booked[3]!.id, 'sms', 'delivered', 'reminder_2h'), out(booked[0]!.id, 'sms', 'sent', 'reminder_2h'),
      // A test send never counts, nor does a message outside the period.
      { ...out(booked[0]!.id, 'whatsapp', 'sent', 'test_reminder_24h') },
      { ...out(booked[1]!.id, 'email', 'sent', 'reminder_2h'), createdAt: new Date('2026-05-01T12:00:00Z'), idempotencyKey: 'late' },
    ]);
    await tdb.db.insert(appointmentConfirmations).values([
      { clinicId: c.clinic.id, appointmentId: booked[0]!.id, kind: 'lembrete_24h', channel: 'whatsapp', sentAt: at, response: 'confirmou', respondedAt: at },
      { clinicId: c.clinic.id, appointmentId: booked[2]!.id, kind: 'lembrete_24h', channel: 'whatsapp', sentAt: at, response: 'cancelou', respondedAt: at },
      // Replies that are not to a reminder sent in the period never count: to a failed send, to a reminder
      // of another month, to a confirmation message, or to nothing the outbox holds.
      { clinicId: c.clinic.id, appointmentId: booked[4]!.id, kind: 'lembrete_24h', channel: 'whatsapp', sentAt: at, response: 'confirmou', respondedAt: at },
      { clinicId: c.clinic.id, appointmentId: booked[1]!.id, kind: 'lembrete_2h', channel: 'email', sentAt: new Date('2026-05-01T12:00:00Z'), response: 'confirmou', respondedAt: at },
      { clinicId: c.clinic.id, appointmentId: booked[3]!.id, kind: 'confirmacao', channel: 'sms', sentAt: at, response: 'confirmou', respondedAt: at },
      ...Array.from({ length: 5 }, () => ({ clinicId: c.clinic.id, appointmentId: booked[1]!.id, kind: 'lembrete_2h' as const, channel: 'whatsapp' as const, sentAt: at, response: 'confirmou' as const, respondedAt: at })),
    ]);
    const res = await t.app.request('/api/reminders/report?from=2026-03-01&to=2026-03-31', { headers: bearer(token) });
    expect(res.status).toBe(200);
    const body = await res.json() as { channels: Array<Record<string, number | string | null>>; rule: string };
    const wa = body.channels.find((x) => x.channel === 'whatsapp')!;
    expect(wa).toMatchObject({ sent: 4, delivered: 3, read: 2, failed: 1, reminded: 4, confirmed: 1, attended: 1, cancelled: 1, noShow: 1, answered: 2, answerRate: 0.5, successRate: 0.5 });
    const sms = body.channels.find((x) => x.channel === 'sms')!;
    expect(sms).toMatchObject({ sent: 2, delivered: 1, reminded: 2, confirmed: 1, noShow: 1, answered: 0, answerRate: 0, successRate: 0.5 });
    expect(body.channels.find((x) => x.channel === 'email')).toMatchObject({ sent: 0, reminded: 0, answered: 0, answerRate: null, successRate: null });
    expect(body.channels.find((x) => x.channel === 'total')).toMatchObject({ sent: 6, reminded: 4, answered: 2, answerRate: 0.333, successRate: 0.5 });
    for (const ch of body.channels) expect(Number(ch.answered)).toBeLessThanOrEqual(Number(ch.sent));
    expect(body.rule).toContain('Taxa de sucesso');
    // Another clinic sees nothing of it; a reversed period is a 400.
    const theirs = await (await t.app.request('/api/reminders/report?from=2026-03-01&to=2026-03-31', { headers: bearer(otherAdmin) })).json() as { channels: Array<{ sent: number }> };
    expect(theirs.channels.every((x) => x.sent === 0)).toBe(true);
    expect((await t.app.request('/api/reminders/report?from=2026-04-01&to=2026-03-01', { headers: bearer(token) })).status).toBe(400);
    expect((await t.app.request('/api/reminders/report?from=ontem', { headers: bearer(token) })).status).toBe(400);
  });
});

describe('notifications', () => {
  it('lists the clinic notices and streams new ones', async () => {
    const c = await createReminderClinic(tdb.db, 'Clínica Avisos');
    const token = await login(t.app, c.members.staff.email);
    await tdb.db.insert(analyticsEvents).values({ clinicId: c.clinic.id, kind: 'appointment_cancelled', description: 'Carla Mendes cancelou.', patientId: c.carla.id, data: { appointmentId: null } });
    await tdb.db.insert(analyticsEvents).values({ clinicId: c.clinic.id, kind: 'appointment_booked', description: 'não é aviso' });
    const res = await t.app.request('/api/notifications', { headers: bearer(token) });
    expect(res.status).toBe(200);
    const list = await res.json() as { notifications: Array<{ title: string; description: string }>; cursor: string };
    expect(list.notifications).toHaveLength(1);
    expect(list.notifications[0]).toMatchObject({ title: 'Agendamento cancelado', description: 'Carla Mendes cancelou.' });
    const none = await (await t.app.request(`/api/notifications?after=${encodeURIComponent(list.cursor)}`, { headers: bearer(token) })).json() as { notifications: unknown[] };
    expect(none.notifications).toHaveLength(0);
    expect((await t.app.request('/api/notifications?after=ontem', { headers: bearer(token) })).status).toBe(400);
    expect(((await (await t.app.request('/api/notifications', { headers: bearer(otherAdmin) })).json()) as { notifications: unknown[] }).notifications).toHaveLength(0);

    const abort = new AbortController();
    const stream = await t.app.request(`/api/notifications/stream?after=${encodeURIComponent(list.cursor)}`, { headers: bearer(token), signal: abort.signal });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    await tdb.db.insert(analyticsEvents).values({ clinicId: c.clinic.id, kind: 'appointment_no_show', description: 'Carla Mendes não compareceu.', patientId: c.carla.id });
    const deadline = Date.now() + 8000;
    while (!text.includes('event: notification') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    abort.abort();
    await reader.cancel().catch(() => {});
    expect(text).toContain('event: ready');
    expect(text).toContain('event: notification');
    expect(text).toContain('não compareceu');
  }, 15_000);
});

describe('appointment journey state', () => {
  it('answers running: false for an appointment without a journey, and 404 for another clinic\'s', async () => {
    const { row } = await bookAppointment(tdb.db, clinic, new Date(Date.now() + 5 * 86_400_000));
    const res = await t.app.request(`/api/journeys/appointments/${row.id}`, { headers: bearer(view) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      running: false, state: null, workflowId: `appointment:${row.id}`,
      temporalUrl: `http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(`appointment:${row.id}`)}`,
    });
    expect((await t.app.request(`/api/journeys/appointments/${row.id}`, { headers: bearer(otherAdmin) })).status).toBe(404);
    expect((await t.app.request('/api/journeys/appointments/nao-e-uuid', { headers: bearer(view) })).status).toBe(400);
  });

  it('says when the journey exists but does not answer its query in time (no worker)', async () => {
    const { row, input } = await bookAppointment(tdb.db, clinic, new Date(Date.now() + 4 * 86_400_000));
    const handle = await t.temporal.workflow.start(appointmentJourney, { workflowId: appointmentWorkflowId(row.id), taskQueue: `no-worker-${row.id}`, args: [input] });
    try {
      const started = Date.now();
      const res = await t.app.request(`/api/journeys/appointments/${row.id}`, { headers: bearer(view) });
      expect(Date.now() - started).toBeLessThan(6000);
      expect(await res.json()).toMatchObject({ running: true, workflowStatus: 'RUNNING', state: null, stateError: expect.stringContaining('não respondeu') });
    } finally {
      await handle.terminate('test over');
    }
  }, 20_000);

  it('documents the new routes in the OpenAPI document', async () => {
    const doc = await (await t.app.request('/openapi.json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/reminders/templates', '/api/reminders/templates/{key}/{channel}', '/api/reminders/templates/preview', '/api/reminders/templates/test',
      '/api/reminders/report', '/api/notifications', '/api/journeys/appointments/{id}',
    ]));
  });

  it('shows the next step of a running journey (worker on the dev server)', async () => {
    const { row, input } = await bookAppointment(tdb.db, clinic, new Date(Date.now() + 3 * 86_400_000));
    const taskQueue = `test-journey-ui-${row.id}`;
    const native = await NativeConnection.connect({ address: inject('temporalAddress') });
    const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
    const worker = await Worker.create({
      connection: native, taskQueue, workflowBundle: await bundleWorkflowCode({ workflowsPath, logger: quiet }),
      activities: createActivities({ db: tdb.db, sender: fakeSender(), links: { secret: LINK_SECRET, webBaseUrl: WEB_BASE } }),
    });
    await worker.runUntil(async () => {
      const handle = await t.temporal.workflow.start(appointmentJourney, { workflowId: appointmentWorkflowId(row.id), taskQueue, args: [input] });
      try {
        let body: { running: boolean; state: { nextStep: { step: string; at: string } | null; status: string } | null } | undefined;
        for (let i = 0; i < 20; i++) {
          body = await (await t.app.request(`/api/journeys/appointments/${row.id}`, { headers: bearer(view) })).json() as typeof body;
          if (body?.state?.nextStep) break;
          await new Promise((r) => setTimeout(r, 250));
        }
        expect(body).toMatchObject({ running: true, state: { status: 'agendado', nextStep: { step: 'reminder_24h' } } });
        expect(Date.parse(body!.state!.nextStep!.at)).toBe(row.startsAt.getTime() - 86_400_000);
      } finally {
        await handle.terminate('test over');
      }
    });
    await native.close();
  }, 60_000);
});
