// Clinic scheduling setup through the real app: slot settings (admin only), holidays, date overrides; validation, tenancy, roles, audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createClinicWithMembers, createTestApp, login } from '../support/app';
import { auditLog, clinicDateOverrides, clinicHolidays, clinics, professionals } from '../../db/schema';
import { withClinic } from '../../db/tenancy';
import { clinicScheduling } from '../../services/catalog/settings';
import { DEFAULT_SLOT_SETTINGS, slotSettingsOf } from '../../domain/clinic-settings';
import { listDateOverrides } from '../../services/catalog/calendar';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

let tdb: TestDatabase;
let t: Awaited<ReturnType<typeof createTestApp>>;
let a: Awaited<ReturnType<typeof createClinicWithMembers>>;
let b: Awaited<ReturnType<typeof createClinicWithMembers>>;
const tokens = {} as Record<'admin' | 'staff' | 'view' | 'bAdmin', string>;
let profA: string;
let profB: string;

async function call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await t.app.request(path, {
    method,
    headers: bearer(token, body === undefined ? {} : { 'content-type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await createTestApp(tdb.db);
  a = await createClinicWithMembers(tdb.db, 'Clínica A');
  b = await createClinicWithMembers(tdb.db, 'Clínica B');
  tokens.admin = await login(t.app, a.members.admin.email);
  tokens.staff = await login(t.app, a.members.staff.email);
  tokens.view = await login(t.app, a.members.view.email);
  tokens.bAdmin = await login(t.app, b.members.admin.email);
  [{ id: profA }] = await tdb.db.insert(professionals).values({ clinicId: a.clinic.id, name: 'Dra. Helena' }).returning();
  [{ id: profB }] = await tdb.db.insert(professionals).values({ clinicId: b.clinic.id, name: 'Dra. Outra' }).returning();
});
afterAll(async () => {
  await t?.close();
  await tdb?.drop();
});

describe('slot settings', () => {
  it('reads the defaults when the clinic set nothing', async () => {
    const res = await call('GET', '/api/clinic/settings', tokens.view);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name: 'Clínica A', timezone: 'America/Sao_Paulo',
      slotSettings: { slotIntervalMinutes: 15, bufferBeforeMinutes: 0, bufferAfterMinutes: 10, minNoticeMinutes: 120, horizonDays: 60 },
      defaults: { ...DEFAULT_SLOT_SETTINGS },
    });
  });

  it('admin patches part of them; other settings keys are kept; audited', async () => {
    await tdb.db.update(clinics).set({ settings: { npsDelayHours: 24, reminders: { h24: true } } }).where(eq(clinics.id, a.clinic.id));
    const res = await call('PATCH', '/api/admin/clinic/settings', tokens.admin, { slotSettings: { slotIntervalMinutes: 30, bufferAfterMinutes: 0 } });
    expect(res.status).toBe(200);
    expect(res.body.slotSettings).toEqual({ slotIntervalMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minNoticeMinutes: 120, horizonDays: 60 });
    const again = await call('PATCH', '/api/admin/clinic/settings', tokens.admin, { slotSettings: { horizonDays: 90 }, timezone: 'America/Manaus' });
    expect(again.body).toMatchObject({ timezone: 'America/Manaus', slotSettings: { slotIntervalMinutes: 30, bufferAfterMinutes: 0, horizonDays: 90 } });
    const [row] = await tdb.db.select().from(clinics).where(eq(clinics.id, a.clinic.id));
    expect(row.settings).toEqual({
      npsDelayHours: 24, reminders: { h24: true },
      slotSettings: { slotIntervalMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, minNoticeMinutes: 120, horizonDays: 90 },
    });
    expect(row.timezone).toBe('America/Manaus');
    expect((await call('GET', '/api/clinic/settings', tokens.view)).body.slotSettings.horizonDays).toBe(90);
    const entries = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entity, 'clinic_settings'), eq(auditLog.clinicId, a.clinic.id)));
    expect(entries).toHaveLength(2);
    expect(entries.find((e) => (e.after as Json).timezone === 'America/Manaus')!.before).toMatchObject({ timezone: 'America/Sao_Paulo', slotSettings: { horizonDays: 60 } });
    // For the slot finder
    await withClinic(tdb.db, a.clinic.id, async (tx) => {
      expect(await clinicScheduling(tx, a.clinic.id)).toEqual({ timezone: 'America/Manaus', slotSettings: row.settings.slotSettings });
    });
  });

  it('refuses out-of-range values with pt-BR messages and changes nothing', async () => {
    const [before] = await tdb.db.select().from(clinics).where(eq(clinics.id, a.clinic.id));
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ slotSettings: { slotIntervalMinutes: 4 } }, 'slotSettings.slotIntervalMinutes', /entre 5 e 120/],
      [{ slotSettings: { slotIntervalMinutes: 121 } }, 'slotSettings.slotIntervalMinutes', /entre 5 e 120/],
      [{ slotSettings: { bufferBeforeMinutes: -1 } }, 'slotSettings.bufferBeforeMinutes', /entre 0 e 120/],
      [{ slotSettings: { bufferAfterMinutes: 121 } }, 'slotSettings.bufferAfterMinutes', /entre 0 e 120/],
      [{ slotSettings: { minNoticeMinutes: 10081 } }, 'slotSettings.minNoticeMinutes', /entre 0 e 10080/],
      [{ slotSettings: { horizonDays: 0 } }, 'slotSettings.horizonDays', /entre 1 e 365/],
      [{ slotSettings: { horizonDays: 366 } }, 'slotSettings.horizonDays', /entre 1 e 365/],
      [{ slotSettings: { horizonDays: 10.5 } }, 'slotSettings.horizonDays', /inteiro/],
      [{ slotSettings: { slotInterval: 10 } }, 'slotInterval', /não permitido/], // the shared hook names unknown keys without their path
      [{ timezone: 'Marte/Olympus' }, 'timezone', /Fuso horário inválido/],
      [{}, '_', /ao menos um campo/],
    ];
    for (const [body, field, message] of cases) {
      const res = await call('PATCH', '/api/admin/clinic/settings', tokens.admin, body);
      expect(res.status, field).toBe(400);
      expect(res.body.error.fields, field).toHaveProperty([field]);
      expect(res.body.error.fields[field].join(' '), field).toMatch(message);
    }
    const [after] = await tdb.db.select().from(clinics).where(eq(clinics.id, a.clinic.id));
    expect(after).toEqual(before);
  });

  it('staff and view cannot change clinic settings (403)', async () => {
    for (const token of [tokens.staff, tokens.view]) {
      const res = await call('PATCH', '/api/admin/clinic/settings', token, { slotSettings: { horizonDays: 30 } });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });

  it('each clinic sees and changes only its own settings', async () => {
    expect((await call('PATCH', '/api/admin/clinic/settings', tokens.bAdmin, { slotSettings: { minNoticeMinutes: 0 } })).status).toBe(200);
    expect((await call('GET', '/api/clinic/settings', tokens.view)).body.slotSettings.minNoticeMinutes).toBe(120);
    expect((await call('GET', '/api/clinic/settings', tokens.bAdmin)).body).toMatchObject({ name: 'Clínica B', slotSettings: { minNoticeMinutes: 0, horizonDays: 60 } });
  });

  it('stored values out of range fall back to the defaults', () => {
    expect(slotSettingsOf({ slotSettings: { slotIntervalMinutes: 1, horizonDays: 30 } as Json })).toEqual({ ...DEFAULT_SLOT_SETTINGS, horizonDays: 30 });
    expect(slotSettingsOf(null)).toEqual(DEFAULT_SLOT_SETTINGS);
  });
});

describe('holidays', () => {
  it('creates, refuses a duplicate day (409 pt-BR) and bad input, lists by range, deletes; audited', async () => {
    const xmas = await call('POST', '/api/clinic/holidays', tokens.staff, { day: '2026-12-25', name: 'Natal' });
    expect(xmas.status).toBe(201);
    expect(xmas.body).toMatchObject({ day: '2026-12-25', name: 'Natal' });
    expect((await call('POST', '/api/clinic/holidays', tokens.staff, { day: '2026-11-20', name: 'Consciência Negra' })).status).toBe(201);
    const dup = await call('POST', '/api/clinic/holidays', tokens.staff, { day: '2026-12-25', name: 'Natal de novo' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'conflict', message: 'Já existe um feriado em 25/12/2026.', fields: { day: ['Data já cadastrada como feriado.'] } });
    expect((await call('POST', '/api/clinic/holidays', tokens.bAdmin, { day: '2026-12-25', name: 'Natal' })).status).toBe(201);
    for (const body of [{ day: '2026-02-30', name: 'Nunca' }, { day: '2026-12-31', name: '' }, { day: '2026-12-31' }, { day: '2026-12-31', name: 'Réveillon', extra: 1 }]) {
      expect((await call('POST', '/api/clinic/holidays', tokens.staff, body)).status).toBe(400);
    }
    const list = await call('GET', '/api/clinic/holidays', tokens.view);
    expect(list.body.holidays.map((h: Json) => h.day)).toEqual(['2026-11-20', '2026-12-25']);
    const dec = await call('GET', '/api/clinic/holidays?from=2026-12-01&to=2026-12-31', tokens.view);
    expect(dec.body.holidays.map((h: Json) => h.name)).toEqual(['Natal']);
    expect((await call('GET', '/api/clinic/holidays?from=2026-12-31&to=2026-12-01', tokens.view)).status).toBe(400);

    expect((await call('DELETE', `/api/clinic/holidays/${xmas.body.id}`, tokens.staff)).status).toBe(204);
    expect((await call('DELETE', `/api/clinic/holidays/${xmas.body.id}`, tokens.staff)).status).toBe(404);
    const audit = await tdb.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, xmas.body.id));
    expect(audit.map((x) => x.action).sort()).toEqual(['create', 'delete']);
  });

  it("another clinic's holiday is 404 and stays; view cannot write", async () => {
    const [theirs] = await tdb.db.select().from(clinicHolidays).where(eq(clinicHolidays.clinicId, b.clinic.id));
    const res = await call('DELETE', `/api/clinic/holidays/${theirs.id}`, tokens.admin);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('Feriado não encontrado.');
    expect(await tdb.db.select().from(clinicHolidays).where(eq(clinicHolidays.id, theirs.id))).toHaveLength(1);
    expect((await call('GET', '/api/clinic/holidays', tokens.bAdmin)).body.holidays).toHaveLength(1);
    expect((await call('POST', '/api/clinic/holidays', tokens.view, { day: '2026-01-01', name: 'Ano-Novo' })).status).toBe(403);
  });
});

describe('date overrides', () => {
  it('clinic-wide closed day and a professional\'s special hours; listed with what applies to the professional', async () => {
    const closed = await call('POST', '/api/clinic/overrides', tokens.staff, { day: '2026-03-10', reason: 'Dedetização' });
    expect(closed.status).toBe(201);
    expect(closed.body).toMatchObject({ day: '2026-03-10', professionalId: null, closed: true, intervals: [], reason: 'Dedetização' });
    const special = await call('POST', '/api/clinic/overrides', tokens.staff, {
      day: '2026-03-14', professionalId: profA, closed: false,
      intervals: [{ startMinute: 840, endMinute: 1080 }, { startMinute: 480, endMinute: 720 }], reason: 'Mutirão de sábado',
    });
    expect(special.status).toBe(201);
    expect(special.body).toMatchObject({ professionalId: profA, closed: false, intervals: [{ startMinute: 480, endMinute: 720 }, { startMinute: 840, endMinute: 1080 }] });
    const off = await call('POST', '/api/clinic/overrides', tokens.staff, { day: '2026-03-10', professionalId: profA, closed: true });
    expect(off.status).toBe(201);

    const all = await call('GET', '/api/clinic/overrides', tokens.view);
    expect(all.body.overrides.map((o: Json) => [o.day, o.professionalId])).toEqual([['2026-03-10', null], ['2026-03-10', profA], ['2026-03-14', profA]]);
    const march14 = await call('GET', '/api/clinic/overrides?from=2026-03-11&to=2026-03-31', tokens.view);
    expect(march14.body.overrides.map((o: Json) => o.id)).toEqual([special.body.id]);
    const other = await tdb.db.insert(professionals).values({ clinicId: a.clinic.id, name: 'Outra' }).returning();
    const forOther = await call('GET', `/api/clinic/overrides?professionalId=${other[0].id}`, tokens.view);
    expect(forOther.body.overrides.map((o: Json) => o.id)).toEqual([closed.body.id]);
    await withClinic(tdb.db, a.clinic.id, async (tx) => {
      expect((await listDateOverrides(tx, { clinicWideOnly: true })).map((o) => o.id)).toEqual([closed.body.id]);
    });
    const audit = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entity, 'clinic_date_override'), eq(auditLog.entityId, special.body.id)));
    expect(audit).toHaveLength(1);
  });

  it('refuses inconsistent input (400 per field) and duplicates (409), changing nothing', async () => {
    const before = (await tdb.db.select().from(clinicDateOverrides)).length;
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ day: '2026-04-01', closed: true, intervals: [{ startMinute: 480, endMinute: 600 }] }, 'intervals', /Um dia fechado não tem horários/],
      [{ day: '2026-04-01', closed: false }, 'intervals', /ao menos um intervalo/],
      [{ day: '2026-04-01', intervals: [{ startMinute: 600, endMinute: 480 }] }, 'intervals.0.endMinute', /depois do início/],
      [{ day: '2026-04-01', intervals: [{ startMinute: 480, endMinute: 720 }, { startMinute: 600, endMinute: 900 }] }, 'intervals.1', /Intervalos sobrepostos: 08:00–12:00 e 10:00–15:00/],
      [{ day: '2026-04-01', intervals: [{ startMinute: 480, endMinute: 1441 }] }, 'intervals.0.endMinute', /entre 0 e 1440/],
      [{ day: '2026-04-31' }, 'day', /Data inválida/],
      [{ day: '2026-04-01', professionalId: profB }, 'professionalId', /Profissional não encontrado/],
      [{ day: '2026-04-01', professionalId: '00000000-0000-4000-8000-000000000000' }, 'professionalId', /Profissional não encontrado/],
    ];
    for (const [body, field, message] of cases) {
      const res = await call('POST', '/api/clinic/overrides', tokens.staff, body);
      expect(res.status, field).toBe(400);
      expect(res.body.error.fields[field]?.join(' '), field).toMatch(message);
    }
    const dupClinic = await call('POST', '/api/clinic/overrides', tokens.staff, { day: '2026-03-10', intervals: [{ startMinute: 480, endMinute: 600 }] });
    expect(dupClinic.status).toBe(409);
    expect(dupClinic.body.error.message).toBe('Já existe uma exceção em 10/03/2026 para a clínica toda. Remova-a antes de cadastrar outra.');
    const dupProf = await call('POST', '/api/clinic/overrides', tokens.staff, { day: '2026-03-14', professionalId: profA });
    expect(dupProf.status).toBe(409);
    expect(dupProf.body.error.message).toMatch(/para este profissional/);
    expect(await tdb.db.select().from(clinicDateOverrides)).toHaveLength(before);
  });

  it('deletes; another clinic\'s override is 404; view cannot write', async () => {
    const [mine] = await tdb.db.select().from(clinicDateOverrides).where(eq(clinicDateOverrides.clinicId, a.clinic.id));
    const theirs = await call('POST', '/api/clinic/overrides', tokens.bAdmin, { day: '2026-03-10', professionalId: profB });
    expect(theirs.status).toBe(201);
    expect((await call('DELETE', `/api/clinic/overrides/${theirs.body.id}`, tokens.admin)).status).toBe(404);
    expect(await tdb.db.select().from(clinicDateOverrides).where(eq(clinicDateOverrides.id, theirs.body.id))).toHaveLength(1);
    expect((await call('GET', '/api/clinic/overrides', tokens.admin)).body.overrides.map((o: Json) => o.id)).not.toContain(theirs.body.id);
    expect((await call('POST', '/api/clinic/overrides', tokens.view, { day: '2026-05-01' })).status).toBe(403);
    expect((await call('DELETE', `/api/clinic/overrides/${mine.id}`, tokens.view)).status).toBe(403);
    expect((await call('DELETE', `/api/clinic/overrides/${mine.id}`, tokens.staff)).status).toBe(204);
    expect(await tdb.db.select().from(clinicDateOverrides).where(eq(clinicDateOverrides.id, mine.id))).toHaveLength(0);
  });
});
