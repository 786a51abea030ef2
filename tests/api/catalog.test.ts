// Procedures and dated prices through the real app on a real PostgreSQL: CRUD, validation, price on a date, tenancy, roles, audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createClinicWithMembers, createTestApp, login } from '../support/app';
import { appointments, auditLog, patients, procedurePrices, procedures, professionals } from '../../db/schema';
import { withClinic } from '../../db/tenancy';
import { priceAt, priceOn, quotePrice } from '../../services/catalog/procedures';

// Response bodies are checked by assertions, not by types.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

// Fixed clock: "today" in São Paulo is 2026-02-10.
const NOW = new Date('2026-02-10T15:00:00Z');

let tdb: TestDatabase;
let t: Awaited<ReturnType<typeof createTestApp>>;
let a: Awaited<ReturnType<typeof createClinicWithMembers>>;
let b: Awaited<ReturnType<typeof createClinicWithMembers>>;
const tokens = {} as Record<'admin' | 'staff' | 'view' | 'bAdmin', string>;

async function call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await t.app.request(path, {
    method,
    headers: bearer(token, body === undefined ? {} : { 'content-type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const botox = { name: 'Toxina botulínica', category: 'facial', durationMinutes: 30, defaultPriceCents: 120000 };

async function newProcedure(body: Record<string, unknown>, token = tokens.staff) {
  const res = await call('POST', '/api/procedures', token, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await createTestApp(tdb.db, { now: () => NOW });
  a = await createClinicWithMembers(tdb.db, 'Clínica A');
  b = await createClinicWithMembers(tdb.db, 'Clínica B');
  tokens.admin = await login(t.app, a.members.admin.email);
  tokens.staff = await login(t.app, a.members.staff.email);
  tokens.view = await login(t.app, a.members.view.email);
  tokens.bAdmin = await login(t.app, b.members.admin.email);
});
afterAll(async () => {
  await t?.close();
  await tdb?.drop();
});

describe('procedures CRUD', () => {
  it('creates a procedure (staff), returns it with today\'s price, and audits it', async () => {
    const p = await newProcedure({ ...botox, description: 'Rugas de expressão', costCents: 30000, imageUrl: 'https://cdn.example.com/botox.jpg' });
    expect(p).toMatchObject({ ...botox, description: 'Rugas de expressão', costCents: 30000, active: true, imageUrl: 'https://cdn.example.com/botox.jpg', currentPriceCents: 120000 });
    const [row] = await tdb.db.select().from(procedures).where(eq(procedures.id, p.id));
    expect(row.clinicId).toBe(a.clinic.id);
    const audit = await tdb.db.select().from(auditLog).where(eq(auditLog.entityId, p.id));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'create', entity: 'procedure', userId: a.members.staff.id, clinicId: a.clinic.id });
  });

  it('refuses bad input with pt-BR messages per field and creates nothing', async () => {
    const before = (await tdb.db.select().from(procedures)).length;
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ ...botox, name: 'Peeling', defaultPriceCents: -1 }, 'defaultPriceCents', /não pode ser negativo/],
      [{ ...botox, name: 'Peeling', defaultPriceCents: 10.5 }, 'defaultPriceCents', /inteiro de centavos/],
      [{ ...botox, name: 'Peeling', costCents: -5 }, 'costCents', /não pode ser negativo/],
      [{ ...botox, name: 'Peeling', category: 'dental' }, 'category', /facial, corporal, capilar ou outra/],
      [{ ...botox, name: 'Peeling', durationMinutes: 0 }, 'durationMinutes', /ao menos 5 minutos/],
      [{ ...botox, name: 'P' }, 'name', /ao menos 2 caracteres/],
      [{ ...botox, name: 'Peeling', imageUrl: 'javascript:alert(1)' }, 'imageUrl', /http\(s\)/],
      [{ ...botox, name: 'Peeling', price: 10 }, 'price', /não permitido/],
      [{ category: 'facial' }, 'name', /Informe o nome/],
    ];
    for (const [body, field, message] of cases) {
      const res = await call('POST', '/api/procedures', tokens.staff, body);
      expect(res.status, field).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.fields[field]?.join(' '), field).toMatch(message);
    }
    expect(await tdb.db.select().from(procedures)).toHaveLength(before);
  });

  it('refuses a second procedure with the same name (409, pt-BR) in the same clinic only', async () => {
    const res = await call('POST', '/api/procedures', tokens.staff, botox);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'conflict', message: 'Já existe um procedimento chamado "Toxina botulínica".' });
    expect((await call('POST', '/api/procedures', tokens.bAdmin, botox)).status).toBe(201);
  });

  it('lists with filters (active, category) and gets one with its prices', async () => {
    await newProcedure({ name: 'Drenagem linfática', category: 'corporal', durationMinutes: 60, defaultPriceCents: 18000 });
    const hair = await newProcedure({ name: 'Mesoterapia capilar', category: 'capilar', durationMinutes: 45, defaultPriceCents: 25000, active: false });
    const all = await call('GET', '/api/procedures', tokens.view);
    expect(all.status).toBe(200);
    expect(all.body.procedures.map((p: Json) => p.name)).toEqual(['Drenagem linfática', 'Mesoterapia capilar', 'Toxina botulínica']);
    const active = await call('GET', '/api/procedures?active=true', tokens.view);
    expect(active.body.procedures.map((p: Json) => p.name)).toEqual(['Drenagem linfática', 'Toxina botulínica']);
    const corporal = await call('GET', '/api/procedures?category=corporal', tokens.view);
    expect(corporal.body.procedures.map((p: Json) => p.name)).toEqual(['Drenagem linfática']);
    const one = await call('GET', `/api/procedures/${hair.id}`, tokens.view);
    expect(one.body).toMatchObject({ id: hair.id, active: false, prices: [] });
    expect((await call('GET', '/api/procedures?category=dental', tokens.view)).status).toBe(400);
    expect((await call('GET', '/api/procedures?active=sim', tokens.view)).status).toBe(400);
    expect((await call('GET', '/api/procedures/nao-e-uuid', tokens.view)).status).toBe(400);
    const missing = await call('GET', '/api/procedures/00000000-0000-4000-8000-000000000000', tokens.view);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe('Procedimento não encontrado.');
  });

  it('updates (partial), refuses an empty patch and a taken name, audits before/after', async () => {
    const p = await newProcedure({ name: 'Limpeza de pele', category: 'facial', durationMinutes: 60, defaultPriceCents: 15000 });
    const res = await call('PATCH', `/api/procedures/${p.id}`, tokens.staff, { defaultPriceCents: 16000, description: 'Com extração' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ defaultPriceCents: 16000, description: 'Com extração', currentPriceCents: 16000, name: 'Limpeza de pele' });
    expect((await call('PATCH', `/api/procedures/${p.id}`, tokens.staff, {})).status).toBe(400);
    const taken = await call('PATCH', `/api/procedures/${p.id}`, tokens.staff, { name: 'Toxina botulínica' });
    expect(taken.status).toBe(409);
    expect((await call('PATCH', `/api/procedures/${p.id}`, tokens.staff, { defaultPriceCents: -100 })).status).toBe(400);
    const [row] = await tdb.db.select().from(procedures).where(eq(procedures.id, p.id));
    expect(row).toMatchObject({ name: 'Limpeza de pele', defaultPriceCents: 16000 });
    const [entry] = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entityId, p.id), eq(auditLog.action, 'update')));
    expect(entry.before).toMatchObject({ defaultPriceCents: 15000 });
    expect(entry.after).toMatchObject({ defaultPriceCents: 16000 });
  });

  it('deactivates; deletes only a procedure never used (otherwise 409, still there)', async () => {
    const unused = await newProcedure({ name: 'Peeling químico', category: 'facial', durationMinutes: 40, defaultPriceCents: 30000 });
    const used = await newProcedure({ name: 'Criolipólise', category: 'corporal', durationMinutes: 60, defaultPriceCents: 90000 });
    const [prof] = await tdb.db.insert(professionals).values({ clinicId: a.clinic.id, name: 'Dra. Helena' }).returning();
    const [patient] = await tdb.db.insert(patients).values({ clinicId: a.clinic.id, name: 'Maria' }).returning();
    await tdb.db.insert(appointments).values({
      clinicId: a.clinic.id, patientId: patient.id, procedureId: used.id, professionalId: prof.id,
      startsAt: new Date('2026-01-05T13:00:00Z'), durationMinutes: 60, priceCents: 90000, status: 'realizado',
    });

    const off = await call('POST', `/api/procedures/${used.id}/deactivate`, tokens.staff);
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);

    const refused = await call('DELETE', `/api/procedures/${used.id}`, tokens.staff);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/não pode ser excluído. Desative-o/);
    expect(await tdb.db.select().from(procedures).where(eq(procedures.id, used.id))).toHaveLength(1);

    expect((await call('DELETE', `/api/procedures/${unused.id}`, tokens.staff)).status).toBe(204);
    expect(await tdb.db.select().from(procedures).where(eq(procedures.id, unused.id))).toHaveLength(0);
    expect((await call('GET', `/api/procedures/${unused.id}`, tokens.view)).status).toBe(404);
    const actions = await tdb.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entity, 'procedure'));
    expect(actions.map((x) => x.action)).toEqual(expect.arrayContaining(['deactivate', 'delete']));
  });
});

describe('dated prices', () => {
  let proc: Json;
  beforeAll(async () => {
    proc = await newProcedure({ name: 'Preenchimento labial', category: 'facial', durationMinutes: 45, defaultPriceCents: 150000 });
  });
  const addPrice = (body: unknown, id = proc.id, token = tokens.staff) => call('POST', `/api/procedures/${id}/prices`, token, body);
  const priceOnDay = async (day: string) => (await call('GET', `/api/procedures/${proc.id}/price?date=${day}`, tokens.view)).body;

  it('adds back-to-back ranges; the range covering the day wins, else the default price', async () => {
    expect((await addPrice({ priceCents: 100000, validFrom: '2026-01-01', validTo: '2026-01-31' })).status).toBe(201);
    expect((await addPrice({ priceCents: 130000, validFrom: '2026-02-01', validTo: '2026-02-28' })).status).toBe(201);
    const open = await addPrice({ priceCents: 170000, validFrom: '2026-03-01' });
    expect(open.status).toBe(201);
    expect(open.body).toMatchObject({ priceCents: 170000, validFrom: '2026-03-01', validTo: null });

    expect(await priceOnDay('2025-12-31')).toMatchObject({ priceCents: 150000, source: 'default', priceId: null });
    expect(await priceOnDay('2026-01-01')).toMatchObject({ priceCents: 100000, source: 'dated', validFrom: '2026-01-01', validTo: '2026-01-31' });
    expect(await priceOnDay('2026-01-31')).toMatchObject({ priceCents: 100000 });
    expect(await priceOnDay('2026-02-01')).toMatchObject({ priceCents: 130000 });
    expect(await priceOnDay('2026-02-28')).toMatchObject({ priceCents: 130000 });
    expect(await priceOnDay('2026-03-01')).toMatchObject({ priceCents: 170000 });
    expect(await priceOnDay('2030-12-31')).toMatchObject({ priceCents: 170000, source: 'dated' });
    // no date: today in the clinic's zone (2026-02-10)
    expect((await call('GET', `/api/procedures/${proc.id}/price`, tokens.view)).body).toMatchObject({ day: '2026-02-10', priceCents: 130000 });
    // the catalogue shows today's price
    const list = await call('GET', '/api/procedures', tokens.view);
    expect(list.body.procedures.find((p: Json) => p.id === proc.id)).toMatchObject({ defaultPriceCents: 150000, currentPriceCents: 130000 });
    const onDay = await call('GET', '/api/procedures?date=2026-01-15', tokens.view);
    expect(onDay.body.procedures.find((p: Json) => p.id === proc.id).currentPriceCents).toBe(100000);
    const history = await call('GET', `/api/procedures/${proc.id}/prices`, tokens.view);
    expect(history.body.prices.map((p: Json) => [p.validFrom, p.validTo, p.priceCents])).toEqual([
      ['2026-01-01', '2026-01-31', 100000], ['2026-02-01', '2026-02-28', 130000], ['2026-03-01', null, 170000],
    ]);
  });

  it('refuses an overlapping range with 409 naming the existing price, and nothing changes', async () => {
    const before = await tdb.db.select().from(procedurePrices).where(eq(procedurePrices.procedureId, proc.id));
    const res = await addPrice({ priceCents: 99000, validFrom: '2026-01-20', validTo: '2026-02-05' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'conflict', message: 'O período se sobrepõe ao preço de R$ 1.000,00 vigente de 01/01/2026 até 31/01/2026. Encerre aquele preço antes ou escolha outras datas.' });
    const openEnded = await addPrice({ priceCents: 99000, validFrom: '2027-01-01' });
    expect(openEnded.status).toBe(409);
    expect(openEnded.body.error.message).toMatch(/R\$ 1\.700,00 vigente de 01\/03\/2026 sem data final/);
    expect(await tdb.db.select().from(procedurePrices).where(eq(procedurePrices.procedureId, proc.id))).toHaveLength(before.length);
  });

  it('refuses end before start, a negative price and impossible dates (400)', async () => {
    const backwards = await addPrice({ priceCents: 1000, validFrom: '2025-06-10', validTo: '2025-06-01' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.fields.validTo).toEqual(['A data final deve ser igual ou posterior à data inicial.']);
    const negative = await addPrice({ priceCents: -1, validFrom: '2025-06-01' });
    expect(negative.status).toBe(400);
    expect(negative.body.error.fields.priceCents).toEqual(['O preço não pode ser negativo.']);
    expect((await addPrice({ priceCents: 1000, validFrom: '2025-02-29' })).status).toBe(400);
    expect((await addPrice({ priceCents: 1000, validFrom: '01/06/2025' })).status).toBe(400);
    expect((await call('GET', `/api/procedures/${proc.id}/price?date=2026-02-30`, tokens.view)).status).toBe(400);
  });

  it('closes an open-ended price; the default applies after it; closing cannot overlap or go before the start', async () => {
    const [open] = await tdb.db.select().from(procedurePrices).where(and(eq(procedurePrices.procedureId, proc.id), eq(procedurePrices.validFrom, '2026-03-01')));
    const closed = await call('POST', `/api/procedures/${proc.id}/prices/${open.id}/close`, tokens.staff, { validTo: '2026-03-31' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ validFrom: '2026-03-01', validTo: '2026-03-31' });
    expect(await priceOnDay('2026-03-31')).toMatchObject({ priceCents: 170000 });
    expect(await priceOnDay('2026-04-01')).toMatchObject({ priceCents: 150000, source: 'default' });

    const early = await call('POST', `/api/procedures/${proc.id}/prices/${open.id}/close`, tokens.staff, { validTo: '2026-02-15' });
    expect(early.status).toBe(400);
    expect(early.body.error.message).toMatch(/01\/03\/2026/);

    // A later price, then an attempt to stretch March into it.
    expect((await addPrice({ priceCents: 180000, validFrom: '2026-04-10' })).status).toBe(201);
    const stretch = await call('POST', `/api/procedures/${proc.id}/prices/${open.id}/close`, tokens.staff, { validTo: '2026-04-15' });
    expect(stretch.status).toBe(409);
    expect(stretch.body.error.message).toMatch(/R\$ 1\.800,00 vigente de 10\/04\/2026/);
    expect(await priceOnDay('2026-04-05')).toMatchObject({ source: 'default' });

    const unknown = await call('POST', `/api/procedures/${proc.id}/prices/00000000-0000-4000-8000-000000000000/close`, tokens.staff, { validTo: '2026-04-15' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('Preço não encontrado.');
  });

  it('deletes a price entered by mistake', async () => {
    const added = await addPrice({ priceCents: 5000, validFrom: '2024-01-01', validTo: '2024-01-02' });
    expect((await call('DELETE', `/api/procedures/${proc.id}/prices/${added.body.id}`, tokens.staff)).status).toBe(204);
    expect((await call('DELETE', `/api/procedures/${proc.id}/prices/${added.body.id}`, tokens.staff)).status).toBe(404);
    const audit = await tdb.db.select().from(auditLog).where(eq(auditLog.entityId, added.body.id));
    expect(audit.map((x) => x.action).sort()).toEqual(['create', 'delete']);
  });

  it('the database refuses overlaps even without the API check (exclusion constraint → 409 in the app)', async () => {
    await expect(tdb.db.insert(procedurePrices).values({ clinicId: a.clinic.id, procedureId: proc.id, priceCents: 1, validFrom: '2026-01-10', validTo: '2026-01-12' }))
      .rejects.toMatchObject({ cause: { code: '23P01' } });
  });

  it('priceOn / quotePrice / priceAt for the appointments code', async () => {
    await withClinic(tdb.db, a.clinic.id, async (tx) => {
      expect(await priceOn(tx, proc.id, '2026-01-15')).toBe(100000);
      expect(await priceOn(tx, proc.id, '2025-01-15')).toBe(150000);
      expect(await priceOn(tx, '00000000-0000-4000-8000-000000000000', '2026-01-15')).toBeNull();
      expect(await quotePrice(tx, proc.id, '2026-02-01')).toMatchObject({ priceCents: 130000, source: 'dated' });
      // 2026-02-01T01:30Z is still 31/01 22:30 in São Paulo: January's price
      expect(await priceAt(tx, proc.id, new Date('2026-02-01T01:30:00Z'))).toBe(100000);
      expect(await priceAt(tx, proc.id, new Date('2026-02-01T03:30:00Z'))).toBe(130000);
    });
    // Another clinic cannot see it.
    await withClinic(tdb.db, b.clinic.id, async (tx) => {
      expect(await priceOn(tx, proc.id, '2026-01-15')).toBeNull();
    });
  });
});

describe('tenancy and roles', () => {
  it("another clinic's procedure and price ids are 404 for every route, and nothing changes", async () => {
    const theirs = await newProcedure({ name: 'Microagulhamento', category: 'facial', durationMinutes: 60, defaultPriceCents: 40000 }, tokens.bAdmin);
    const theirPrice = (await call('POST', `/api/procedures/${theirs.id}/prices`, tokens.bAdmin, { priceCents: 35000, validFrom: '2026-01-01' })).body;
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', `/api/procedures/${theirs.id}`],
      ['PATCH', `/api/procedures/${theirs.id}`, { defaultPriceCents: 1 }],
      ['POST', `/api/procedures/${theirs.id}/deactivate`],
      ['DELETE', `/api/procedures/${theirs.id}`],
      ['GET', `/api/procedures/${theirs.id}/price?date=2026-01-10`],
      ['GET', `/api/procedures/${theirs.id}/prices`],
      ['POST', `/api/procedures/${theirs.id}/prices`, { priceCents: 1, validFrom: '2028-01-01' }],
      ['POST', `/api/procedures/${theirs.id}/prices/${theirPrice.id}/close`, { validTo: '2026-01-31' }],
      ['DELETE', `/api/procedures/${theirs.id}/prices/${theirPrice.id}`],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(method, path, tokens.admin, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    // A's price id under A's procedure path with B's price: also 404
    const mine = (await call('GET', '/api/procedures', tokens.admin)).body.procedures[0];
    expect((await call('POST', `/api/procedures/${mine.id}/prices/${theirPrice.id}/close`, tokens.admin, { validTo: '2026-01-31' })).status).toBe(404);
    const [row] = await tdb.db.select().from(procedures).where(eq(procedures.id, theirs.id));
    expect(row).toMatchObject({ active: true, defaultPriceCents: 40000 });
    expect(await tdb.db.select().from(procedurePrices).where(eq(procedurePrices.procedureId, theirs.id))).toMatchObject([{ validTo: null, priceCents: 35000 }]);
    // B's list does not show A's procedures
    const names = (await call('GET', '/api/procedures', tokens.bAdmin)).body.procedures.map((p: Json) => p.name);
    expect(names).toEqual(['Microagulhamento', 'Toxina botulínica']);
  });

  it('view can read but not write (403)', async () => {
    const p = (await call('GET', '/api/procedures', tokens.view)).body.procedures[0];
    const writes: Array<[string, string, unknown?]> = [
      ['POST', '/api/procedures', { ...botox, name: 'Novo' }],
      ['PATCH', `/api/procedures/${p.id}`, { defaultPriceCents: 1 }],
      ['POST', `/api/procedures/${p.id}/deactivate`],
      ['DELETE', `/api/procedures/${p.id}`],
      ['POST', `/api/procedures/${p.id}/prices`, { priceCents: 1, validFrom: '2029-01-01' }],
    ];
    for (const [method, path, body] of writes) {
      const res = await call(method, path, tokens.view, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.error.message).toBe('Seu perfil não tem permissão para esta ação.');
    }
    expect((await call('GET', `/api/procedures/${p.id}/prices`, tokens.view)).status).toBe(200);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = await (await t.app.request('/openapi.json')).json() as Json;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/procedures', '/api/procedures/{id}', '/api/procedures/{id}/price', '/api/procedures/{id}/prices', '/api/procedures/{id}/prices/{priceId}/close',
      '/api/professionals', '/api/professionals/{id}/hours', '/api/professionals/{id}/blocks', '/api/clinic/settings', '/api/clinic/holidays',
      '/api/clinic/overrides', '/api/admin/clinic/settings',
    ]));
  });
});
