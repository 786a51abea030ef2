// Sign-in, sessions, RBAC, validation and tenancy through the real app on a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createClinicWithMembers, createTestApp, login, TEST_PASSWORD } from '../support/app';
import { auditLog, sessions, users } from '../../db/schema';

// Response bodies are checked by assertions, not by types.
const anyJson = (v: unknown): any => v;

let tdb: TestDatabase;
let t: Awaited<ReturnType<typeof createTestApp>>;
let a: Awaited<ReturnType<typeof createClinicWithMembers>>;
let b: Awaited<ReturnType<typeof createClinicWithMembers>>;

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  t.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await createTestApp(tdb.db);
  a = await createClinicWithMembers(tdb.db, 'Clínica A');
  b = await createClinicWithMembers(tdb.db, 'Clínica B');
});
afterAll(async () => {
  await t?.close();
  await tdb?.drop();
});

describe('login', () => {
  it('signs in with the right password: token, httpOnly SameSite cookie, profile', async () => {
    const res = await post('/api/auth/login', { email: a.members.admin.email.toUpperCase(), password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    const body = await res.json().then(anyJson);
    expect(body.role).toBe('admin');
    expect(body.clinic.name).toBe('Clínica A');
    expect(body.token).toMatch(/^[\w-]{40,}$/);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/tigre_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const expires = new Date(body.expiresAt).getTime() - Date.now();
    expect(expires).toBeGreaterThan(23.9 * 3600_000);
    expect(expires).toBeLessThanOrEqual(24 * 3600_000);
  });

  it('refuses a wrong password and an unknown e-mail with the same pt-BR error', async () => {
    for (const body of [{ email: a.members.staff.email, password: 'errada' }, { email: 'ninguem@x.test', password: 'errada' }]) {
      const res = await post('/api/auth/login', body);
      expect(res.status).toBe(401);
      expect(await res.json().then(anyJson)).toEqual({ error: { code: 'invalid_credentials', message: 'E-mail ou senha inválidos.' } });
    }
  });

  it('treats SQL-ish input as data', async () => {
    const bad = await post('/api/auth/login', { email: "' OR 1=1 --", password: 'x' });
    expect(bad.status).toBe(400);
    expect((await bad.json().then(anyJson)).error.fields.email).toBeDefined();
    const res = await post('/api/auth/login', { email: a.members.view.email, password: "' OR '1'='1" });
    expect(res.status).toBe(401);
  });

  it('rate limits repeated failures for one e-mail with 429 and Retry-After', async () => {
    const email = b.members.view.email;
    for (let i = 0; i < 5; i++) expect((await post('/api/auth/login', { email, password: `errada${i}` })).status).toBe(401);
    const blocked = await post('/api/auth/login', { email, password: TEST_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await blocked.json().then(anyJson)).error.code).toBe('too_many_attempts');
    // failed attempts were audited for the clinic
    const rows = await tdb.db.select().from(auditLog).where(eq(auditLog.userId, b.members.view.id));
    expect(rows.filter((r) => r.action === 'login_failed')).toHaveLength(5);
  });

  it('logout ends the session', async () => {
    const token = await login(t.app, a.members.staff.email);
    expect((await t.app.request('/api/auth/logout', { method: 'POST', headers: bearer(token) })).status).toBe(204);
    const res = await t.app.request('/api/me', { headers: bearer(token) });
    expect(res.status).toBe(401);
    expect((await res.json().then(anyJson)).error.code).toBe('unauthenticated');
  });

  it('accepts the session cookie as well as the bearer header', async () => {
    const token = await login(t.app, a.members.view.email);
    const res = await t.app.request('/api/me', { headers: { cookie: `tigre_session=${token}` } });
    expect(res.status).toBe(200);
    expect((await res.json().then(anyJson)).role).toBe('view');
  });
});

describe('sessions', () => {
  it('401 without a token, 401 session_expired after 24h', async () => {
    expect((await t.app.request('/api/me')).status).toBe(401);
    const token = await login(t.app, a.members.admin.email);
    const later = await createTestApp(tdb.db, { now: () => new Date(Date.now() + 24 * 3600_000 + 1000) });
    try {
      const res = await later.app.request('/api/me', { headers: bearer(token) });
      expect(res.status).toBe(401);
      expect((await res.json().then(anyJson)).error).toEqual({ code: 'session_expired', message: 'Sua sessão expirou. Faça login novamente.' });
      expect(await tdb.db.select().from(sessions).where(eq(sessions.userId, a.members.admin.id))).toHaveLength(1); // the first test's session only
    } finally {
      await later.close();
    }
  });
});

describe('profile', () => {
  it('updates name and phone (normalized to E.164) and audits before/after', async () => {
    const token = await login(t.app, a.members.view.email);
    const res = await t.app.request('/api/me', { method: 'PATCH', headers: bearer(token, { 'content-type': 'application/json' }), body: JSON.stringify({ name: 'Beatriz Lima', phone: '(11) 98765-4321' }) });
    expect(res.status).toBe(200);
    const body = await res.json().then(anyJson);
    expect(body.user).toMatchObject({ name: 'Beatriz Lima', phone: '+5511987654321' });
    const [entry] = await tdb.db.select().from(auditLog).where(eq(auditLog.entityId, a.members.view.id));
    expect(entry).toMatchObject({ action: 'update', entity: 'user', clinicId: a.clinic.id, userId: a.members.view.id });
    expect(entry.before).toMatchObject({ name: 'view Clínica A', phone: null });
    expect(entry.after).toMatchObject({ name: 'Beatriz Lima', phone: '+5511987654321' });
    expect(entry.requestId).toBeTruthy();
  });

  it.each([
    ['an invalid phone', { phone: '123' }, 'phone'],
    ['an unknown field', { name: 'Ana Paula', role: 'admin' }, 'role'],
    ['a too short name', { name: 'A' }, 'name'],
    ['an empty body', {}, '_'],
  ])('refuses %s with 400 and field errors, changing nothing', async (_label, body, field) => {
    const token = await login(t.app, a.members.staff.email);
    const [before] = await tdb.db.select().from(users).where(eq(users.id, a.members.staff.id));
    const res = await t.app.request('/api/me', { method: 'PATCH', headers: bearer(token, { 'content-type': 'application/json' }), body: JSON.stringify(body) });
    expect(res.status).toBe(400);
    const err = (await res.json().then(anyJson)).error;
    expect(err.code).toBe('validation_failed');
    expect(err.fields[field]?.length).toBeGreaterThan(0);
    const [after] = await tdb.db.select().from(users).where(eq(users.id, a.members.staff.id));
    expect(after).toEqual(before);
  });

  it('answers malformed JSON with 400 malformed_json and oversized bodies with 413', async () => {
    const token = await login(t.app, a.members.staff.email);
    const malformed = await t.app.request('/api/me', { method: 'PATCH', headers: bearer(token, { 'content-type': 'application/json' }), body: '{"name": "Ana' });
    expect(malformed.status).toBe(400);
    expect((await malformed.json().then(anyJson)).error.code).toBe('malformed_json');
    const huge = await t.app.request('/api/me', { method: 'PATCH', headers: bearer(token, { 'content-type': 'application/json' }), body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(huge.status).toBe(413);
    expect((await huge.json().then(anyJson)).error.code).toBe('payload_too_large');
  });
});

describe('roles', () => {
  it('view reads but cannot write; staff cannot administer; admin can', async () => {
    const view = await login(t.app, a.members.view.email);
    const staff = await login(t.app, a.members.staff.email);
    const admin = await login(t.app, a.members.admin.email);
    expect((await t.app.request('/api/dashboard/kpis', { headers: bearer(view) })).status).toBe(200);
    const viewWrite = await t.app.request('/api/dashboard/refresh', { method: 'POST', headers: bearer(view) });
    expect(viewWrite.status).toBe(403);
    expect((await viewWrite.json().then(anyJson)).error.code).toBe('forbidden');
    expect((await t.app.request('/api/admin/members', { headers: bearer(staff) })).status).toBe(403);
    const newMember = { name: 'Nova Pessoa', email: 'nova@a.test', role: 'staff', password: 'senha-forte-123' };
    expect((await post('/api/admin/members', newMember, bearer(staff))).status).toBe(403);
    expect(await tdb.db.select().from(users).where(eq(users.email, 'nova@a.test'))).toHaveLength(0);
    const created = await post('/api/admin/members', newMember, bearer(admin));
    expect(created.status).toBe(201);
    expect(await login(t.app, 'nova@a.test', 'senha-forte-123')).toBeTruthy();
    expect((await post('/api/admin/members', newMember, bearer(admin))).status).toBe(409);
  });
});

describe('tenancy', () => {
  it("an admin of clinic A sees only A's members and audit, and cannot touch B's membership", async () => {
    const admin = await login(t.app, a.members.admin.email);
    const members = (await (await t.app.request('/api/admin/members', { headers: bearer(admin) })).json().then(anyJson)).members as Array<{ email: string }>;
    expect(members.length).toBeGreaterThanOrEqual(3);
    expect(members.every((m) => !m.email.includes('clinica-b'))).toBe(true);
    const audit = (await (await t.app.request('/api/admin/audit?limit=200', { headers: bearer(admin) })).json().then(anyJson)).entries as Array<{ userId: string }>;
    const bIds = Object.values(b.members).map((m) => m.id);
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.some((e) => bIds.includes(e.userId))).toBe(false);
    const res = await t.app.request(`/api/admin/members/${b.members.staff.membershipId}`, {
      method: 'PATCH', headers: bearer(admin, { 'content-type': 'application/json' }), body: JSON.stringify({ role: 'admin' }),
    });
    expect(res.status).toBe(404);
    const bad = await t.app.request('/api/admin/members/not-a-uuid', { method: 'PATCH', headers: bearer(admin, { 'content-type': 'application/json' }), body: JSON.stringify({ role: 'admin' }) });
    expect(bad.status).toBe(400);
  });
});

describe('operations', () => {
  it('/health reports PostgreSQL and Temporal', async () => {
    const res = await t.app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json().then(anyJson)).toMatchObject({ status: 'ok', postgres: { ok: true }, temporal: { ok: true } });
  });
  it('serves the OpenAPI document and the docs page offline', async () => {
    const doc = await (await t.app.request('/openapi.json')).json().then(anyJson);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/me', '/api/dashboard/kpis', '/health']));
    const page = await t.app.request('/docs');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/docs/assets/swagger-ui-bundle.js');
    expect((await t.app.request('/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
  });
  it('unknown routes get a JSON 404', async () => {
    const res = await t.app.request('/api/nada', { headers: bearer(await login(t.app, a.members.view.email)) });
    expect(res.status).toBe(404);
    expect((await res.json().then(anyJson)).error.code).toBe('not_found');
  });
});

describe('hostile text', () => {
  it('answers a NUL character with 400, not 500, and changes nothing', async () => {
    const token = await login(t.app, a.members.staff.email);
    const [before] = await tdb.db.select().from(users).where(eq(users.id, a.members.staff.id));
    const res = await t.app.request('/api/me', { method: 'PATCH', headers: bearer(token, { 'content-type': 'application/json' }), body: JSON.stringify({ name: 'Mari\u0000ana' }) });
    expect(res.status).toBe(400);
    expect((await res.json().then(anyJson)).error.message).toBe('O texto contém caracteres inválidos.');
    const [after] = await tdb.db.select().from(users).where(eq(users.id, a.members.staff.id));
    expect(after).toEqual(before);
  });

  it('gives zod type errors in Portuguese', async () => {
    const res = await post('/api/auth/login', { password: 'x' });
    expect(res.status).toBe(400);
    expect((await res.json().then(anyJson)).error.fields.email).toEqual(['Campo obrigatório.']);
  });
});
