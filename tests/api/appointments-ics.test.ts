// iCalendar export: one appointment as .ics, and the secret-token feeds per professional and per
// clinic (public URL, rotation revokes the old token, admin only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createTestApp, login } from '../support/app';
import { createBookingClinic, NOW, sp, type BookingClinic } from '../support/appointment-fixtures';
import { auditLog, calendarFeeds } from '../../db/schema';

let tdb: TestDatabase;
let app: Awaited<ReturnType<typeof createTestApp>>;
let a: BookingClinic;
let b: BookingClinic;
let staff: string;
let admin: string;
let adminB: string;
const ids: Record<string, string> = {};

async function call(method: string, path: string, token?: string, body?: unknown) {
  const headers: Record<string, string> = token ? bearer(token) : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await app.app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: () => JSON.parse(text) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}
const feedPath = (url: string) => new URL(url).pathname;
/** Unfolds RFC 5545 continuation lines so assertions can read whole properties. */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');

beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await createTestApp(tdb.db, { now: () => NOW });
  a = await createBookingClinic(tdb.db, 'Clínica Calendário');
  b = await createBookingClinic(tdb.db, 'Clínica Vizinha');
  [staff, admin, adminB] = await Promise.all([login(app.app, a.members.staff.email), login(app.app, a.members.admin.email), login(app.app, b.members.admin.email)]);
  const book = async (key: string, professionalId: string, startsAt: string, token = staff, clinic = a) => {
    const res = await call('POST', '/api/appointments', token, { patientId: clinic.ana.id, procedureId: clinic.limpeza.id, professionalId, startsAt });
    expect(res.status).toBe(201);
    ids[key] = res.json().id;
  };
  await book('helena', a.helena.id, sp('2024-04-02', '10:00'));
  await book('bruno', a.bruno.id, sp('2024-04-02', '10:00'));
  await book('cancelled', a.helena.id, sp('2024-04-03', '10:00'));
  await call('POST', `/api/appointments/${ids.cancelled}/cancel`, staff, { reason: 'Paciente remarcará' });
  await book('otherClinic', b.helena.id, sp('2024-04-02', '10:00'), await login(app.app, b.members.staff.email), b);
});
afterAll(async () => {
  await app?.close();
  await tdb?.drop();
});

describe('GET /api/appointments/{id}/ics', () => {
  it('exports one appointment as an iCalendar file', async () => {
    const res = await call('GET', `/api/appointments/${ids.helena}/ics`, staff);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/calendar; charset=utf-8');
    const ics = unfold(res.text);
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics).toContain(`UID:appointment-${ids.helena}@tigre-crm`);
    expect(ics).toContain('DTSTART:20240402T130000Z');
    expect(ics).toContain('DTEND:20240402T140000Z');
    expect(ics).toContain('SUMMARY:Limpeza de pele · Ana Souza (Dra. Helena Prado)');
    expect(ics).toContain('STATUS:TENTATIVE');
    expect(ics).toContain('LOCATION:Clínica Calendário');
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    const cancelled = unfold((await call('GET', `/api/appointments/${ids.cancelled}/ics`, staff)).text);
    expect(cancelled).toContain('STATUS:CANCELLED');
    expect((await call('GET', `/api/appointments/${ids.otherClinic}/ics`, staff)).status).toBe(404);
    expect((await call('GET', `/api/appointments/${ids.helena}/ics`)).status).toBe(401);
  });
});

describe('calendar feeds', () => {
  it('only admins manage feeds', async () => {
    expect((await call('POST', '/api/admin/calendar-feeds', staff, {})).status).toBe(403);
    expect((await call('GET', '/api/admin/calendar-feeds', staff)).status).toBe(403);
  });

  it('a clinic feed (no body needed) lists every live appointment of the clinic, publicly by its secret URL', async () => {
    const res = await call('POST', '/api/admin/calendar-feeds', admin);
    expect(res.status).toBe(201);
    const feed = res.json();
    expect(feed).toMatchObject({ professionalId: null, professionalName: null });
    expect(feed.url).toMatch(/^http:\/\/127\.0\.0\.1:8787\/feeds\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(feed.webcalUrl).toBe(feed.url.replace('http://', 'webcal://'));

    const ics = await call('GET', feedPath(feed.url)); // no session
    expect(ics.status).toBe(200);
    expect(ics.type).toBe('text/calendar; charset=utf-8');
    const text = unfold(ics.text);
    expect(text).toContain(`UID:appointment-${ids.helena}@tigre-crm`);
    expect(text).toContain(`UID:appointment-${ids.bruno}@tigre-crm`);
    expect(text).not.toContain(ids.cancelled); // released time is not shown as busy
    expect(text).not.toContain(ids.otherClinic);
    expect(text).toContain('X-WR-CALNAME:Clínica Calendário');
    const [row] = await tdb.db.select().from(calendarFeeds).where(eq(calendarFeeds.id, feed.id));
    expect(row.tokenHash).not.toContain(feedPath(feed.url).slice(7, -4)); // only the hash is stored
  });

  it('a professional feed shows only theirs; rotating it kills the old URL and keeps the others', async () => {
    const first = (await call('POST', '/api/admin/calendar-feeds', admin, { professionalId: a.helena.id })).json();
    expect(first).toMatchObject({ professionalId: a.helena.id, professionalName: 'Dra. Helena Prado' });
    const text = unfold((await call('GET', feedPath(first.url))).text);
    expect(text).toContain(`UID:appointment-${ids.helena}@tigre-crm`);
    expect(text).not.toContain(ids.bruno);
    expect(text).toContain('SUMMARY:Limpeza de pele · Ana Souza\r\n');
    expect(text).toContain('X-WR-CALNAME:Clínica Calendário · Dra. Helena Prado');

    const rotated = await call('POST', '/api/admin/calendar-feeds', admin, { professionalId: a.helena.id });
    expect(rotated.status).toBe(201);
    const second = rotated.json();
    expect(second.url).not.toBe(first.url);
    const gone = await call('GET', feedPath(first.url));
    expect(gone.status).toBe(404);
    expect(gone.json().error.message).toBe('Feed de agenda não encontrado ou revogado.');
    expect((await call('GET', feedPath(second.url))).status).toBe(200);

    const [audit] = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entity, 'calendar_feed'), eq(auditLog.entityId, second.id)));
    expect(audit).toMatchObject({ action: 'rotate', after: { professionalId: a.helena.id } });
    expect(JSON.stringify(audit)).not.toContain(feedPath(second.url).slice(7, -4));

    const list = (await call('GET', '/api/admin/calendar-feeds', admin)).json();
    expect(list.feeds.map((f: { professionalName: string | null }) => f.professionalName)).toEqual([null, 'Dra. Helena Prado']);
    expect(JSON.stringify(list)).not.toMatch(/feeds\//);

    // Revoking: the URL stops working.
    expect((await call('DELETE', `/api/admin/calendar-feeds/${second.id}`, admin)).status).toBe(200);
    expect((await call('GET', feedPath(second.url))).status).toBe(404);
    expect((await call('DELETE', `/api/admin/calendar-feeds/${second.id}`, admin)).status).toBe(404);
  });

  it('refuses unknown tokens and another clinic’s professional', async () => {
    expect((await call('GET', `/feeds/${'x'.repeat(43)}.ics`)).status).toBe(404);
    expect((await call('GET', '/feeds/curto.ics')).status).toBe(404);
    expect((await call('GET', '/feeds/sem-extensao')).status).toBe(404);
    const res = await call('POST', '/api/admin/calendar-feeds', admin, { professionalId: b.helena.id });
    expect(res.status).toBe(404);
    expect(res.json().error.fields).toEqual({ professionalId: ['Profissional não encontrado nesta clínica.'] });
    expect((await call('POST', '/api/admin/calendar-feeds', admin, { professionalId: 'x' })).status).toBe(400);
    // The other clinic's admin cannot revoke this clinic's feeds.
    const feed = (await call('POST', '/api/admin/calendar-feeds', admin, { professionalId: a.bruno.id })).json();
    expect((await call('DELETE', `/api/admin/calendar-feeds/${feed.id}`, adminB)).status).toBe(404);
    expect((await call('GET', feedPath(feed.url))).status).toBe(200);
  });
});
