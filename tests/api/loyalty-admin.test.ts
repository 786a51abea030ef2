// Administração → Fidelidade e reativação: admins set the points programme, the rewards and the
// reactivation rules; the ledger and the sweep read them (loyaltySettingsOf, reactivationSettingsOf);
// bad values are refused in pt-BR and change nothing; staff cannot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { clinics, rewards } from '../../db/schema';
import { loyaltySettingsOf } from '../../domain/loyalty';
import { reactivationSettingsOf } from '../../domain/reactivation';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createTestApp, login } from '../support/app';
import { createReminderClinic } from '../support/reminder-fixtures';

let tdb: TestDatabase;
let api: Awaited<ReturnType<typeof createTestApp>>;
let clinic: Awaited<ReturnType<typeof createReminderClinic>>;
let admin: string; let staff: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  api = await createTestApp(tdb.db);
  clinic = await createReminderClinic(tdb.db, 'Clínica Pontos');
  admin = await login(api.app, clinic.members.admin.email);
  staff = await login(api.app, clinic.members.staff.email);
});
afterAll(async () => { await api?.close(); await tdb?.drop(); });

const send = (method: string, path: string, token: string, body?: unknown) => api.app.request(`/api/admin/loyalty${path}`, {
  method, headers: bearer(token, { 'content-type': 'application/json' }), ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});
const settings = async () => (await tdb.db.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, clinic.clinic.id)))[0]!.s;

describe('loyalty and reactivation settings', () => {
  it('shows the defaults, saves the programme and the reactivation rules, and the readers use them', async () => {
    const first = await (await send('GET', '', admin)).json() as { loyalty: { pointsPerReal: number }; reactivation: { afterDays: number; corrected: string[] } };
    expect(first.loyalty).toMatchObject({ pointsPerReal: 1, expiryMonths: 12 });
    expect(first.reactivation).toMatchObject({ afterDays: 90, holdoutShare: 0.1, corrected: [] });
    expect((await send('PUT', '/loyalty', admin, { pointsPerReal: 1.5, expiryMonths: 6, tiers: { prata: 500, ouro: 1500, platina: 4000 } })).status).toBe(200);
    const rules = { afterDays: 120, minRisk: 75, cooldownDays: 90, dailyLimit: 30, holdoutShare: 0.2, followUpDays: 4, windowDays: 60, discountPercent: 20, couponValidityDays: 21 };
    expect((await send('PUT', '/reactivation', admin, rules)).status).toBe(200);
    const s = await settings();
    expect(loyaltySettingsOf(s)).toEqual({ pointsPerReal: 1.5, expiryMonths: 6, tiers: { prata: 500, ouro: 1500, platina: 4000 } });
    expect(reactivationSettingsOf(s)).toEqual({ ...rules, corrected: [] });
  });

  it('refuses bad values (tiers out of order, a 200% holdout, three decimals) and staff, changing nothing', async () => {
    const before = await settings();
    for (const [path, body] of [
      ['/loyalty', { pointsPerReal: 1, expiryMonths: 12, tiers: { prata: 5000, ouro: 1000, platina: 9000 } }],
      ['/loyalty', { pointsPerReal: 1.234, expiryMonths: 12, tiers: { prata: 1, ouro: 2, platina: 3 } }],
      ['/loyalty', { pointsPerReal: 1, expiryMonths: 'doze', tiers: { prata: 1, ouro: 2, platina: 3 } }],
      ['/reactivation', { afterDays: 500, minRisk: 70, cooldownDays: 90, dailyLimit: 30, holdoutShare: 2.0, followUpDays: 4, windowDays: 60, discountPercent: 20, couponValidityDays: 21 }],
      ['/reactivation', { afterDays: 90 }],
    ] as const) {
      const res = await send('PUT', path, admin, body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    }
    expect((await send('PUT', '/loyalty', staff, { pointsPerReal: 9, expiryMonths: 12, tiers: { prata: 1, ouro: 2, platina: 3 } })).status).toBe(403);
    expect(await settings()).toEqual(before);
  });

  it('adds a reward, refuses one with two discounts, and deactivates one', async () => {
    const res = await send('POST', '/rewards', admin, { name: 'Hidratação cortesia', pointsRequired: 800, discountPercent: 100, validityDays: 60, maxUses: 1 });
    expect(res.status).toBe(201);
    const r = await res.json() as { id: string; active: boolean };
    expect(r.active).toBe(true);
    const bad = await send('POST', '/rewards', admin, { name: 'Dois', pointsRequired: 100, discountPercent: 10, discountCents: 1000 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('um dos dois');
    expect((await send('PATCH', `/rewards/${r.id}/active`, admin, { active: false })).status).toBe(200);
    expect((await tdb.db.select().from(rewards).where(eq(rewards.id, r.id)))[0]!.active).toBe(false);
    expect((await send('PATCH', '/rewards/00000000-0000-4000-8000-000000000000/active', admin, { active: true })).status).toBe(404);
    const list = await (await send('GET', '', admin)).json() as { rewards: { name: string }[] };
    expect(list.rewards.map((x) => x.name)).toContain('Hidratação cortesia');
  });
});
