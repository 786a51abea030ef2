// Bad input is a 4xx with the documented error shape and changes nothing, never a 500: a JSON key
// `__proto__` (issue #18) and any PostgreSQL data exception, e.g. a time-zone offset beyond ±15:59 (#19).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createClinicWithMembers, createTestApp, login } from '../support/app';
import { patients } from '../../db/schema';

let tdb: TestDatabase;
let t: Awaited<ReturnType<typeof createTestApp>>;
let token: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await createTestApp(tdb.db);
  const clinic = await createClinicWithMembers(tdb.db, 'Clínica Entrada Ruim');
  token = await login(t.app, clinic.members.admin.email);
});
afterAll(async () => {
  await t?.close();
  await tdb?.drop();
});

async function send(method: string, path: string, raw?: string) {
  const res = await t.app.request(path, {
    method, headers: bearer(token, raw === undefined ? {} : { 'content-type': 'application/json' }), body: raw,
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string; fields?: Record<string, string[]> } } };
}

describe('bad input never answers 500', () => {
  it.each([
    ['PATCH', '/api/me', '{"__proto__": {"x": 1}, "name": "Ana"}'],
    ['POST', '/api/patients', '{"name": "Ana Souza", "__proto__": {"admin": true}}'],
    ['POST', '/api/appointments', '{"__proto__": 1}'],
    ['PUT', '/api/admin/anna-settings', '{"__proto__": {"threshold": 1}}'],
    ['PUT', '/api/admin/payment-settings', '{"constructor": {"prototype": {}}, "__proto__": []}'],
  ])('%s %s with a __proto__ key → 400 validation_failed', async (method, path, raw) => {
    const before = (await tdb.db.select({ n: count() }).from(patients))[0].n;
    const r = await send(method, path, raw);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.error?.code).toBe('validation_failed');
    expect(r.body.error?.fields?.['__proto__']).toEqual(['Campo não permitido.']);
    expect(({} as Record<string, unknown>).admin).toBeUndefined(); // nothing polluted
    expect((await tdb.db.select({ n: count() }).from(patients))[0].n).toBe(before);
  });

  it.each([
    '/api/notifications?after=4646-07-04T14:20:10-23:04',
    '/api/notifications?after=2026-12-02T10:00:00%2B16:00',
  ])('GET %s (offset PostgreSQL refuses) → 400', async (path) => {
    const r = await send('GET', path);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.error?.code).toBe('validation_failed');
    expect(r.body.error?.message).toMatch(/inválid/);
  });
});
