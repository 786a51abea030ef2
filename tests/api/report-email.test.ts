// The monthly report by e-mail: an admin turns it on with the recipients (bad ones refused in pt-BR,
// staff refused); on the 1st from 08:00 in the clinic's zone the report is due for last month, one e-mail
// per recipient with the figures and a signed link to the PDF, never twice; the link opens the PDF
// without signing in, a tampered one is 403 and an expired one 410.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, like } from 'drizzle-orm';
import pino from 'pino';
import { PDFParse } from 'pdf-parse';
import { loadEnv, secrets } from '../../config/env';
import { appointments, messageOutbox, payments } from '../../db/schema';
import { createReportActivities, monthlyReportDue } from '../../activities/reports';
import { createMessageSender } from '../../services/messaging/sender';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createTestApp, login } from '../support/app';
import { createReminderClinic } from '../support/reminder-fixtures';

const NOW = new Date('2030-12-01T12:00:00Z'); // 09:00 on the 1st in São Paulo
let tdb: TestDatabase;
let api: Awaited<ReturnType<typeof createTestApp>>;
let clinic: Awaited<ReturnType<typeof createReminderClinic>>;
let admin: string;
let staff: string;
let now = NOW;

beforeAll(async () => {
  tdb = await createTestDatabase();
  api = await createTestApp(tdb.db, { now: () => now });
  clinic = await createReminderClinic(tdb.db, 'Clínica Mensal');
  admin = await login(api.app, clinic.members.admin.email);
  staff = await login(api.app, clinic.members.staff.email);
  const [a] = await tdb.db.insert(appointments).values({
    clinicId: clinic.clinic.id, patientId: clinic.carla.id, procedureId: clinic.limpeza.id, professionalId: clinic.helena.id,
    startsAt: new Date('2030-11-14T13:00:00Z'), durationMinutes: 60, priceCents: 25000, status: 'realizado', paymentStatus: 'pago',
  }).returning();
  await tdb.db.insert(payments).values({ clinicId: clinic.clinic.id, patientId: clinic.carla.id, appointmentId: a!.id, amountCents: 25000, method: 'pix', status: 'aprovado', processedAt: new Date('2030-11-14T14:00:00Z') });
});
afterAll(async () => { await api?.close(); await tdb?.drop(); });

const put = (token: string, body: unknown) => api.app.request('/api/admin/report-settings', {
  method: 'PUT', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify(body),
});

describe('the monthly report by e-mail', () => {
  it('is due on the 1st from 08:00 local, catching up to the 3rd', () => {
    expect(monthlyReportDue(new Date('2030-12-01T10:30:00Z'), 'America/Sao_Paulo')).toBeNull(); // 07:30
    expect(monthlyReportDue(new Date('2030-12-01T11:00:00Z'), 'America/Sao_Paulo')).toBe('2030-11');
    expect(monthlyReportDue(new Date('2030-12-03T23:00:00Z'), 'America/Sao_Paulo')).toBe('2030-11');
    expect(monthlyReportDue(new Date('2030-12-04T12:00:00Z'), 'America/Sao_Paulo')).toBeNull();
    expect(monthlyReportDue(new Date('2031-01-01T12:00:00Z'), 'America/Sao_Paulo')).toBe('2030-12');
  });

  it('an admin sets the recipients; bad ones are refused in pt-BR and change nothing; staff may not', async () => {
    expect((await (await api.app.request('/api/admin/report-settings', { headers: bearer(admin) })).json())).toEqual({ monthlyEmail: { enabled: false, recipients: [] } });
    for (const body of [
      { monthlyEmail: { enabled: true, recipients: [] } },
      { monthlyEmail: { enabled: true, recipients: ['dona@clinica'] } },
      { monthlyEmail: { enabled: true, recipients: ['a@b.com', 'A@b.com'] } },
      { monthlyEmail: { enabled: 'sim', recipients: ['a@b.com'] } },
      { monthlyEmail: { enabled: true, recipients: Array.from({ length: 11 }, (_, i) => `p${i}@clinica.com.br`) } },
    ]) {
      const r = await put(admin, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect((await r.json()).error.message).toMatch(/[a-zá-ú]{3}/);
    }
    expect((await put(staff, { monthlyEmail: { enabled: true, recipients: ['x@y.com'] } })).status).toBe(403);
    const ok = await put(admin, { monthlyEmail: { enabled: true, recipients: [' Dona@Clinica.com.br ', 'gerente@clinica.com.br'] } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ monthlyEmail: { enabled: true, recipients: ['dona@clinica.com.br', 'gerente@clinica.com.br'] } });
  });

  it("sends last month's figures and the PDF's link to each recipient once; the link opens the PDF; tampered 403, expired 410", async () => {
    const env = loadEnv({ NODE_ENV: 'test' });
    const acts = createReportActivities({
      db: tdb.db, sender: createMessageSender({ db: tdb.db, env, log: pino({ level: 'silent' }) }),
      links: { secret: secrets(env).linkSecret, webBaseUrl: 'https://painel.clinica.test' }, clock: () => NOW,
    });
    const due = await acts.monthlyReportsDue({ at: NOW.toISOString() });
    expect(due).toContainEqual({ clinicId: clinic.clinic.id, month: '2030-11' });
    const first = await acts.sendMonthlyReport({ clinicId: clinic.clinic.id, month: '2030-11', at: NOW.toISOString() });
    expect(first.recipients).toBe(2);
    const again = await acts.sendMonthlyReport({ clinicId: clinic.clinic.id, month: '2030-11', at: NOW.toISOString() });
    expect(again.statuses).toEqual(['duplicate', 'duplicate']);
    const mails = await tdb.db.select().from(messageOutbox).where(and(eq(messageOutbox.clinicId, clinic.clinic.id), like(messageOutbox.idempotencyKey, 'report:monthly:%')));
    expect(mails.map((m) => m.to).sort()).toEqual(['dona@clinica.com.br', 'gerente@clinica.com.br']);
    const mail = mails[0]!;
    expect(mail).toMatchObject({ channel: 'email', subject: 'Relatório mensal de novembro de 2030 — Clínica Mensal', purpose: 'transactional' });
    expect(mail.body).toMatch(/Faturamento líquido: R\$\s250,00/);
    expect(mail.body).toContain('Atendimentos realizados: 1 de 1 agendamentos (0 faltas)');
    const token = /https:\/\/painel\.clinica\.test\/p\/relatorio\/([\w.-]+)/.exec(mail.body)![1]!;

    const pdf = await api.app.request(`/api/public/reports/monthly/${token}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const text = (await new PDFParse({ data: new Uint8Array(await pdf.arrayBuffer()) }).getText()).text.replace(/\s+/g, ' ');
    expect(text).toContain('Relatório mensal — novembro de 2030');
    expect(text).toMatch(/Faturamento líquido R\$\s250,00/);

    const tampered = `${token.slice(0, -2)}xx`;
    expect((await api.app.request(`/api/public/reports/monthly/${tampered}`)).status).toBe(403);
    now = new Date(NOW.getTime() + 31 * 86_400_000);
    const expired = await api.app.request(`/api/public/reports/monthly/${token}`);
    expect(expired.status).toBe(410);
    expect((await expired.json()).error.message).toContain('expirou');
    now = NOW;
  });
});
