// /api/admin/anna-settings: admin-only settings of the WhatsApp assistant, validated in pt-BR, saved
// without touching the clinic's other settings, with this month's AI usage read from ai_calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createClinicWithMembers, createTestApp, login } from '../support/app';
import { aiCalls, auditLog, clinics } from '../../db/schema';

let tdb: TestDatabase;
let t: Awaited<ReturnType<typeof createTestApp>>;
let clinicId: string;
let admin: string; let staff: string; let otherAdmin: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await createTestApp(tdb.db);
  const a = await createClinicWithMembers(tdb.db, 'Clínica Anna Config');
  const b = await createClinicWithMembers(tdb.db, 'Clínica Vizinha');
  clinicId = a.clinic.id;
  await tdb.db.update(clinics).set({ settings: { whatsappNumber: '+5511900000000', qualificationThreshold: 60 } }).where(eq(clinics.id, clinicId));
  admin = await login(t.app, a.members.admin.email);
  staff = await login(t.app, a.members.staff.email);
  otherAdmin = await login(t.app, b.members.admin.email);
});
afterAll(async () => { await t.close(); await tdb.drop(); });

const put = (token: string, body: unknown) =>
  t.app.request('/api/admin/anna-settings', { method: 'PUT', headers: bearer(token, { 'content-type': 'application/json' }), body: JSON.stringify(body) });
const get = (token: string) => t.app.request('/api/admin/anna-settings', { headers: bearer(token) });

describe('anna settings', () => {
  it('reads the stored values, the effective ones with defaults, and this month\'s AI usage', async () => {
    await tdb.db.insert(aiCalls).values([
      { clinicId, engine: 'openai', model: 'gpt-4o-mini', purpose: 'analyze', outcome: 'ok', promptTokens: 1000, completionTokens: 200, costMicroUsd: 270 },
      { clinicId, engine: 'local', purpose: 'analyze', outcome: 'rate_limited' },
    ]);
    const res = await get(admin);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.settings).toEqual({ qualificationThreshold: 60 });
    expect(body.effective).toMatchObject({ enabled: true, qualificationThreshold: 60, nudgeAfterHours: 24, abandonAfterHours: 72, model: 'gpt-4o-mini', ratePerMinute: 20 });
    expect(body.usage).toMatchObject({ calls: 2, openaiCalls: 1, fallbacks: 1, promptTokens: 1000, completionTokens: 200, costMicroUsd: 270 });
    expect(body.openaiConfigured).toBe(false);
  });

  it('saves only its own keys and audits the change', async () => {
    const res = await put(admin, { enabled: true, qualificationThreshold: 75, nudgeAfterHours: 12, abandonAfterHours: 48, model: 'gpt-4.1-mini', ratePerMinute: 10, monthlyBudgetMicroUsd: 5_000_000 });
    expect(res.status).toBe(200);
    expect((await res.json()).effective).toMatchObject({ qualificationThreshold: 75, nudgeAfterHours: 12, abandonAfterHours: 48, model: 'gpt-4.1-mini', ratePerMinute: 10 });
    const [row] = await tdb.db.select().from(clinics).where(eq(clinics.id, clinicId));
    expect(row.settings.whatsappNumber).toBe('+5511900000000');
    expect(row.settings.qualificationThreshold).toBe(75);
    expect(row.settings.anna).toMatchObject({ nudgeAfterHours: 12, model: 'gpt-4.1-mini', monthlyBudgetMicroUsd: 5_000_000 });
    const audits = await tdb.db.select().from(auditLog).where(eq(auditLog.entity, 'clinic_anna_settings'));
    expect(audits).toHaveLength(1);
    // Leaving the threshold out returns it to the default.
    expect((await (await put(admin, { enabled: false })).json()).effective).toMatchObject({ enabled: false, qualificationThreshold: 70 });
  });

  it('refuses bad values with pt-BR messages and changes nothing', async () => {
    const before = (await tdb.db.select().from(clinics).where(eq(clinics.id, clinicId)))[0].settings;
    for (const [body, field] of [
      [{ qualificationThreshold: 101 }, 'qualificationThreshold'],
      [{ nudgeAfterHours: 0 }, 'nudgeAfterHours'],
      [{ nudgeAfterHours: 48, abandonAfterHours: 24 }, 'abandonAfterHours'],
      [{ model: 'gpt 4o; drop table' }, 'model'],
      [{ monthlyBudgetMicroUsd: -1 }, 'monthlyBudgetMicroUsd'],
      [{ ratePerMinute: 1.5 }, 'ratePerMinute'],
      [{ unknown: true }, null],
    ] as const) {
      const res = await put(admin, body);
      expect(res.status).toBe(400);
      const err = await res.json();
      expect(err.error.code).toBe('validation_failed');
      expect(err.error.message).toMatch(/[a-zà-ú]/i);
      if (field) expect(Object.keys(err.error.fields ?? {})).toContain(field);
    }
    expect((await tdb.db.select().from(clinics).where(eq(clinics.id, clinicId)))[0].settings).toEqual(before);
  });

  it('is for admins only, and each clinic sees its own', async () => {
    expect((await put(staff, { enabled: true })).status).toBe(403);
    const other = await (await get(otherAdmin)).json();
    expect(other.usage.calls).toBe(0);
    expect(other.settings).toEqual({});
  });
});
