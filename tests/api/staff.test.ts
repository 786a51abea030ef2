// Professionals through the real app on a real PostgreSQL: profile and commission, weekly hours, time blocks,
// procedures performed; validation, tenancy, roles, audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createClinicWithMembers, createTestApp, login } from '../support/app';
import {
  auditLog, professionalProcedures, professionalTimeBlocks, professionalWorkingHours, professionals, procedures,
} from '../../db/schema';
import { percentToBps } from '../../services/catalog/professionals';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

let tdb: TestDatabase;
let t: Awaited<ReturnType<typeof createTestApp>>;
let a: Awaited<ReturnType<typeof createClinicWithMembers>>;
let b: Awaited<ReturnType<typeof createClinicWithMembers>>;
const tokens = {} as Record<'admin' | 'staff' | 'view' | 'bAdmin', string>;
let procA: string[]; // clinic A's procedures
let procB: string; // clinic B's procedure

async function call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await t.app.request(path, {
    method,
    headers: bearer(token, body === undefined ? {} : { 'content-type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function newProfessional(body: Record<string, unknown>, token = tokens.staff) {
  const res = await call('POST', '/api/professionals', token, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const hoursOf = async (id: string) =>
  (await tdb.db.select().from(professionalWorkingHours).where(eq(professionalWorkingHours.professionalId, id)))
    .map(({ weekday, startMinute, endMinute }) => ({ weekday, startMinute, endMinute }))
    .sort((x, y) => x.weekday - y.weekday || x.startMinute - y.startMinute);

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await createTestApp(tdb.db);
  a = await createClinicWithMembers(tdb.db, 'Clínica A');
  b = await createClinicWithMembers(tdb.db, 'Clínica B');
  tokens.admin = await login(t.app, a.members.admin.email);
  tokens.staff = await login(t.app, a.members.staff.email);
  tokens.view = await login(t.app, a.members.view.email);
  tokens.bAdmin = await login(t.app, b.members.admin.email);
  const rows = await tdb.db.insert(procedures).values([
    { clinicId: a.clinic.id, name: 'Toxina botulínica', category: 'facial', durationMinutes: 30, defaultPriceCents: 120000 },
    { clinicId: a.clinic.id, name: 'Drenagem linfática', category: 'corporal', durationMinutes: 60, defaultPriceCents: 18000 },
    { clinicId: a.clinic.id, name: 'Peeling', category: 'facial', durationMinutes: 40, defaultPriceCents: 30000, active: false },
  ]).returning();
  procA = rows.map((r) => r.id);
  const [other] = await tdb.db.insert(procedures).values({ clinicId: b.clinic.id, name: 'Toxina botulínica', category: 'facial', durationMinutes: 30, defaultPriceCents: 99000 }).returning();
  procB = other.id;
});
afterAll(async () => {
  await t?.close();
  await tdb?.drop();
});

describe('commission', () => {
  it('converts percent with up to 2 decimals to basis points', () => {
    expect(percentToBps(15.5)).toBe(1550);
    expect(percentToBps(0.01)).toBe(1);
    expect(percentToBps(33.33)).toBe(3333);
    expect(percentToBps(100)).toBe(10000);
    expect(percentToBps(0)).toBe(0);
    expect(percentToBps(15.555)).toBeNull();
    expect(percentToBps(100.01)).toBeNull();
    expect(percentToBps(-0.5)).toBeNull();
    expect(percentToBps(Number.NaN)).toBeNull();
  });

  it('stores 15.5 % as 1550 bps and returns 15.5; refuses >2 decimals and out of 0–100', async () => {
    const p = await newProfessional({ name: 'Dra. Camila Rocha', commissionPercent: 15.5, phone: '(11) 98765-4321', email: 'Camila@Clinica.com.br', specialty: 'Dermatologia' });
    expect(p).toMatchObject({ name: 'Dra. Camila Rocha', commissionPercent: 15.5, phone: '+5511987654321', email: 'camila@clinica.com.br', color: '#6366f1', active: true, procedures: [], hours: [] });
    const [row] = await tdb.db.select().from(professionals).where(eq(professionals.id, p.id));
    expect(row.commissionBps).toBe(1550);

    for (const [value, message] of [[15.555, /no máximo 2 casas decimais/], [101, /entre 0 e 100%/], [-1, /entre 0 e 100%/], ['15', /Informe a comissão/]] as const) {
      const res = await call('PATCH', `/api/professionals/${p.id}`, tokens.staff, { commissionPercent: value });
      expect(res.status, String(value)).toBe(400);
      expect(res.body.error.fields.commissionPercent.join(' ')).toMatch(message);
    }
    const ok = await call('PATCH', `/api/professionals/${p.id}`, tokens.staff, { commissionPercent: 33.33 });
    expect(ok.status).toBe(200);
    expect(ok.body.commissionPercent).toBe(33.33);
    const [after] = await tdb.db.select().from(professionals).where(eq(professionals.id, p.id));
    expect(after.commissionBps).toBe(3333);
    const [entry] = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entityId, p.id), eq(auditLog.action, 'update')));
    expect(entry.before).toMatchObject({ commissionBps: 1550 });
    expect(entry.after).toMatchObject({ commissionBps: 3333 });
  });
});

describe('professionals CRUD', () => {
  it('creates with procedures and hours in one call; lists with both; gets one', async () => {
    const p = await newProfessional({
      name: 'Dra. Renata Alves', color: '#ff8800', procedureIds: [procA[0], procA[1], procA[0]],
      hours: [{ weekday: 2, startMinute: 840, endMinute: 1080 }, { weekday: 2, startMinute: 540, endMinute: 720 }],
    });
    expect(p.procedures.map((x: Json) => x.name)).toEqual(['Drenagem linfática', 'Toxina botulínica']);
    expect(p.hours).toEqual([{ weekday: 2, startMinute: 540, endMinute: 720 }, { weekday: 2, startMinute: 840, endMinute: 1080 }]);
    const list = await call('GET', '/api/professionals', tokens.view);
    expect(list.status).toBe(200);
    const found = list.body.professionals.find((x: Json) => x.id === p.id);
    expect(found).toMatchObject({ color: '#ff8800', hours: p.hours });
    expect(found.procedures).toHaveLength(2);
    expect((await call('GET', `/api/professionals/${p.id}`, tokens.view)).body).toEqual(found);
  });

  it('filters by active; refuses bad fields and unknown ids', async () => {
    const p = await newProfessional({ name: 'Patrícia Gomes', active: false });
    const active = await call('GET', '/api/professionals?active=true', tokens.view);
    expect(active.body.professionals.map((x: Json) => x.id)).not.toContain(p.id);
    const inactive = await call('GET', '/api/professionals?active=false', tokens.view);
    expect(inactive.body.professionals.map((x: Json) => x.id)).toEqual([p.id]);

    const before = (await tdb.db.select().from(professionals)).length;
    const bad: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ name: 'X' }, 'name', /ao menos 2 caracteres/],
      [{ name: 'Ana', phone: '123' }, 'phone', /Telefone inválido/],
      [{ name: 'Ana', email: 'nao-e-email' }, 'email', /e-mail válido/],
      [{ name: 'Ana', color: 'azul' }, 'color', /#rrggbb/],
      [{ name: 'Ana', commissionPercent: 120 }, 'commissionPercent', /entre 0 e 100%/],
      [{ name: 'Ana', procedureIds: [procA[0], '00000000-0000-4000-8000-000000000000'] }, 'procedureIds.1', /Procedimento não encontrado/],
      [{ name: 'Ana', procedureIds: [procB] }, 'procedureIds.0', /Procedimento não encontrado/],
      [{ name: 'Ana', userId: b.members.staff.id }, 'userId', /não é membro desta clínica/],
      [{ name: 'Ana', hours: [{ weekday: 1, startMinute: 600, endMinute: 540 }] }, 'hours.0.endMinute', /depois do início/],
    ];
    for (const [body, field, message] of bad) {
      const res = await call('POST', '/api/professionals', tokens.staff, body);
      expect(res.status, field).toBe(400);
      expect(res.body.error.fields[field]?.join(' '), field).toMatch(message);
    }
    expect(await tdb.db.select().from(professionals)).toHaveLength(before);
    expect((await call('PATCH', `/api/professionals/${p.id}`, tokens.staff, {})).status).toBe(400);
    const missing = await call('GET', '/api/professionals/00000000-0000-4000-8000-000000000000', tokens.view);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('Profissional não encontrado.');
  });

  it('links a professional to a member of the clinic', async () => {
    const p = await newProfessional({ name: 'Recepção que atende', userId: a.members.staff.id });
    expect(p.userId).toBe(a.members.staff.id);
    const cleared = await call('PATCH', `/api/professionals/${p.id}`, tokens.staff, { userId: null, active: false });
    expect(cleared.body).toMatchObject({ userId: null, active: false });
  });
});

describe('working hours', () => {
  let prof: Json;
  beforeAll(async () => {
    prof = await newProfessional({ name: 'Dra. Helena Prado', hours: [{ weekday: 1, startMinute: 480, endMinute: 1020 }] });
  });
  const put = (hours: unknown, id = prof.id, token = tokens.staff) => call('PUT', `/api/professionals/${id}/hours`, token, { hours });

  it('replaces all hours, several intervals a day, touching intervals allowed; audited', async () => {
    const hours = [
      { weekday: 1, startMinute: 780, endMinute: 1080 }, { weekday: 1, startMinute: 480, endMinute: 720 },
      { weekday: 3, startMinute: 540, endMinute: 720 }, { weekday: 3, startMinute: 720, endMinute: 900 },
      { weekday: 6, startMinute: 480, endMinute: 720 },
    ];
    const res = await put(hours);
    expect(res.status).toBe(200);
    const sorted = [
      { weekday: 1, startMinute: 480, endMinute: 720 }, { weekday: 1, startMinute: 780, endMinute: 1080 },
      { weekday: 3, startMinute: 540, endMinute: 720 }, { weekday: 3, startMinute: 720, endMinute: 900 },
      { weekday: 6, startMinute: 480, endMinute: 720 },
    ];
    expect(res.body.hours).toEqual(sorted);
    expect(await hoursOf(prof.id)).toEqual(sorted);
    const [entry] = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entityId, prof.id), eq(auditLog.entity, 'professional_hours')));
    expect(entry.before).toEqual([{ weekday: 1, startMinute: 480, endMinute: 1020 }]);
    expect(entry.after).toEqual(sorted);
  });

  it('refuses overlapping intervals with 400 naming the weekday, and keeps the old hours', async () => {
    const before = await hoursOf(prof.id);
    const res = await put([
      { weekday: 2, startMinute: 480, endMinute: 720 },
      { weekday: 1, startMinute: 480, endMinute: 720 }, { weekday: 1, startMinute: 700, endMinute: 900 },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', message: 'Horários sobrepostos na segunda-feira: 08:00–12:00 e 11:40–15:00.' });
    expect(res.body.error.fields['hours.2']).toBeDefined();
    const sunday = await put([{ weekday: 0, startMinute: 480, endMinute: 720 }, { weekday: 0, startMinute: 480, endMinute: 600 }]);
    expect(sunday.body.error.message).toMatch(/^Horários sobrepostos no domingo/);
    expect(await hoursOf(prof.id)).toEqual(before);
  });

  it('refuses end before start, out of 0–1440, bad weekday (400 per field)', async () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [[{ weekday: 1, startMinute: 720, endMinute: 720 }], 'hours.0.endMinute', /depois do início/],
      [[{ weekday: 1, startMinute: 1000, endMinute: 1500 }], 'hours.0.endMinute', /entre 0 e 1440/],
      [[{ weekday: 1, startMinute: -10, endMinute: 600 }], 'hours.0.startMinute', /entre 0 e 1440/],
      [[{ weekday: 7, startMinute: 480, endMinute: 600 }], 'hours.0.weekday', /0 = domingo/],
      [[{ weekday: 1, startMinute: 480.5, endMinute: 600 }], 'hours.0.startMinute', /minutos inteiros/],
    ];
    for (const [hours, field, message] of cases) {
      const res = await put(hours);
      expect(res.status, field).toBe(400);
      expect(res.body.error.fields[field]?.join(' '), field).toMatch(message);
    }
  });

  it('an empty list clears the week', async () => {
    const other = await newProfessional({ name: 'Folguista', hours: [{ weekday: 5, startMinute: 480, endMinute: 600 }] });
    expect((await put([], other.id)).body.hours).toEqual([]);
    expect(await hoursOf(other.id)).toEqual([]);
  });
});

describe('procedures performed', () => {
  it('replaces the list; an unknown or other clinic\'s procedure is 400 with its field, nothing changed', async () => {
    const p = await newProfessional({ name: 'Dra. Lúcia Melo', procedureIds: [procA[0]] });
    const res = await call('PUT', `/api/professionals/${p.id}/procedures`, tokens.staff, { procedureIds: [procA[1], procA[2]] });
    expect(res.status).toBe(200);
    expect(res.body.procedures).toEqual([
      { id: procA[1], name: 'Drenagem linfática', active: true }, { id: procA[2], name: 'Peeling', active: false },
    ]);
    const bad = await call('PUT', `/api/professionals/${p.id}/procedures`, tokens.staff, { procedureIds: [procA[0], procB, '00000000-0000-4000-8000-000000000000'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('Procedimento não encontrado: verifique a lista de procedimentos.');
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['procedureIds.1', 'procedureIds.2']);
    expect((await call('PUT', `/api/professionals/${p.id}/procedures`, tokens.staff, { procedureIds: ['x'] })).status).toBe(400);
    const rows = await tdb.db.select().from(professionalProcedures).where(eq(professionalProcedures.professionalId, p.id));
    expect(rows.map((r) => r.procedureId).sort()).toEqual([procA[1], procA[2]].sort());
    const [entry] = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entityId, p.id), eq(auditLog.entity, 'professional_procedures')));
    expect(entry.before).toEqual([procA[0]]);
  });
});

describe('time blocks', () => {
  let prof: Json;
  beforeAll(async () => {
    prof = await newProfessional({ name: 'Dra. Beatriz Costa' });
  });
  const create = (body: unknown, id = prof.id, token = tokens.staff) => call('POST', `/api/professionals/${id}/blocks`, token, body);

  it('creates, lists by range, deletes; audited', async () => {
    const lunch = await create({ startsAt: '2026-03-02T12:00:00-03:00', endsAt: '2026-03-02T13:00:00-03:00', kind: 'almoco', reason: 'Almoço' });
    expect(lunch.status).toBe(201);
    expect(lunch.body).toMatchObject({ startsAt: '2026-03-02T15:00:00.000Z', endsAt: '2026-03-02T16:00:00.000Z', kind: 'almoco', reason: 'Almoço', professionalId: prof.id });
    const vacation = await create({ startsAt: '2026-07-01T00:00:00-03:00', endsAt: '2026-07-15T00:00:00-03:00', kind: 'ferias' });
    expect(vacation.status).toBe(201);
    const other = await create({ startsAt: '2026-03-05T09:00:00Z', endsAt: '2026-03-05T10:00:00Z' });
    expect(other.body.kind).toBe('outro');

    const march = await call('GET', `/api/professionals/${prof.id}/blocks?from=2026-03-01T00:00:00-03:00&to=2026-04-01T00:00:00-03:00`, tokens.view);
    expect(march.status).toBe(200);
    expect(march.body.blocks.map((x: Json) => x.id)).toEqual([lunch.body.id, other.body.id]);
    // a block that only overlaps the range's edge is included
    const edge = await call('GET', `/api/professionals/${prof.id}/blocks?from=2026-07-14T00:00:00Z`, tokens.view);
    expect(edge.body.blocks.map((x: Json) => x.id)).toEqual([vacation.body.id]);
    expect((await call('GET', `/api/professionals/${prof.id}/blocks`, tokens.view)).body.blocks).toHaveLength(3);

    expect((await call('DELETE', `/api/professionals/${prof.id}/blocks/${other.body.id}`, tokens.staff)).status).toBe(204);
    expect((await call('DELETE', `/api/professionals/${prof.id}/blocks/${other.body.id}`, tokens.staff)).status).toBe(404);
    const audit = await tdb.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, other.body.id));
    expect(audit.map((x) => x.action).sort()).toEqual(['create', 'delete']);
  });

  it('refuses end before start, a bad kind, a date without offset (400) and creates nothing', async () => {
    const before = (await tdb.db.select().from(professionalTimeBlocks)).length;
    const backwards = await create({ startsAt: '2026-03-02T13:00:00-03:00', endsAt: '2026-03-02T12:00:00-03:00' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.fields.endsAt).toEqual(['O fim do bloqueio deve ser depois do início.']);
    expect((await create({ startsAt: '2026-03-02T13:00:00Z', endsAt: '2026-03-02T13:00:00Z' })).status).toBe(400);
    const kind = await create({ startsAt: '2026-03-02T12:00:00Z', endsAt: '2026-03-02T13:00:00Z', kind: 'maintenance' });
    expect(kind.status).toBe(400);
    expect(kind.body.error.fields.kind[0]).toMatch(/Tipo deve ser um de: ferias, folga, almoco/);
    expect((await create({ startsAt: '2026-03-02 12:00', endsAt: '2026-03-02T13:00:00Z' })).status).toBe(400);
    expect((await create({ startsAt: '2026-01-01T00:00:00Z', endsAt: '2027-06-01T00:00:00Z' })).status).toBe(400);
    expect(await tdb.db.select().from(professionalTimeBlocks)).toHaveLength(before);
    const range = await call('GET', `/api/professionals/${prof.id}/blocks?from=2026-04-01T00:00:00Z&to=2026-03-01T00:00:00Z`, tokens.view);
    expect(range.status).toBe(400);
  });
});

describe('tenancy and roles', () => {
  it("another clinic's professional is 404 on every route, and nothing changes", async () => {
    const theirs = await newProfessional({ name: 'Profissional da B', commissionPercent: 10, procedureIds: [procB], hours: [{ weekday: 1, startMinute: 480, endMinute: 600 }] }, tokens.bAdmin);
    const [theirBlock] = await tdb.db.insert(professionalTimeBlocks).values({
      clinicId: b.clinic.id, professionalId: theirs.id, startsAt: new Date('2026-03-02T12:00:00Z'), endsAt: new Date('2026-03-02T13:00:00Z'),
    }).returning();
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', `/api/professionals/${theirs.id}`],
      ['PATCH', `/api/professionals/${theirs.id}`, { commissionPercent: 99 }],
      ['PUT', `/api/professionals/${theirs.id}/hours`, { hours: [] }],
      ['PUT', `/api/professionals/${theirs.id}/procedures`, { procedureIds: [] }],
      ['GET', `/api/professionals/${theirs.id}/blocks`],
      ['POST', `/api/professionals/${theirs.id}/blocks`, { startsAt: '2026-03-03T12:00:00Z', endsAt: '2026-03-03T13:00:00Z' }],
      ['DELETE', `/api/professionals/${theirs.id}/blocks/${theirBlock.id}`],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(method, path, tokens.admin, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    // B's block under one of A's professionals: 404 as well
    const mine = (await call('GET', '/api/professionals', tokens.admin)).body.professionals[0];
    expect((await call('DELETE', `/api/professionals/${mine.id}/blocks/${theirBlock.id}`, tokens.admin)).status).toBe(404);

    const [row] = await tdb.db.select().from(professionals).where(eq(professionals.id, theirs.id));
    expect(row.commissionBps).toBe(1000);
    expect(await hoursOf(theirs.id)).toHaveLength(1);
    expect(await tdb.db.select().from(professionalProcedures).where(eq(professionalProcedures.professionalId, theirs.id))).toHaveLength(1);
    expect(await tdb.db.select().from(professionalTimeBlocks).where(eq(professionalTimeBlocks.professionalId, theirs.id))).toHaveLength(1);
    const names = (await call('GET', '/api/professionals', tokens.bAdmin)).body.professionals.map((x: Json) => x.name);
    expect(names).toEqual(['Profissional da B']);
  });

  it('view can read but not write (403)', async () => {
    const p = (await call('GET', '/api/professionals', tokens.view)).body.professionals[0];
    const writes: Array<[string, string, unknown?]> = [
      ['POST', '/api/professionals', { name: 'Nova' }],
      ['PATCH', `/api/professionals/${p.id}`, { name: 'Outro nome' }],
      ['PUT', `/api/professionals/${p.id}/hours`, { hours: [] }],
      ['PUT', `/api/professionals/${p.id}/procedures`, { procedureIds: [] }],
      ['POST', `/api/professionals/${p.id}/blocks`, { startsAt: '2026-03-03T12:00:00Z', endsAt: '2026-03-03T13:00:00Z' }],
    ];
    for (const [method, path, body] of writes) {
      const res = await call(method, path, tokens.view, body);
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect((await call('GET', `/api/professionals/${p.id}`, tokens.view)).body.name).toBe(p.name);
  });
});
