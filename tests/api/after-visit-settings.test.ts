// Administração → pós-atendimento: admins set the NPS reminder/expiry, the consent basis, the
// detractors' coupon, the upsell window and contraindications; the journeys read the saved values
// (afterVisitSettingsOf); bad values and another clinic's procedures are refused in pt-BR and change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { clinics } from '../../db/schema';
import { afterVisitSettingsOf } from '../../domain/clinic-settings';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createTestApp, login } from '../support/app';
import { createReminderClinic } from '../support/reminder-fixtures';

let tdb: TestDatabase;
let api: Awaited<ReturnType<typeof createTestApp>>;
let clinic: Awaited<ReturnType<typeof createReminderClinic>>;
let other: Awaited<ReturnType<typeof createReminderClinic>>;
let admin: string; let staff: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  api = await createTestApp(tdb.db);
  clinic = await createReminderClinic(tdb.db, 'Clínica Depois');
  other = await createReminderClinic(tdb.db, 'Clínica Outra');
  admin = await login(api.app, clinic.members.admin.email);
  staff = await login(api.app, clinic.members.staff.email);
});
afterAll(async () => { await api?.close(); await tdb?.drop(); });

const put = (token: string, body: unknown) => api.app.request('/api/admin/after-visit-settings', {
  method: 'PUT', headers: bearer(token, { 'content-type': 'application/json' }), body: JSON.stringify(body),
});

describe('after-visit settings', () => {
  it('shows the defaults, saves an admin\'s values, and the journeys read them', async () => {
    const first = await (await api.app.request('/api/admin/after-visit-settings', { headers: bearer(admin) })).json() as { effective: Record<string, unknown> };
    expect(first.effective).toMatchObject({ npsReminderHours: 48, npsExpiryDays: 7, npsBasis: 'transactional', upsellOfferDays: 14, detractorCoupon: { discount: { percent: 15 }, validityDays: 30 } });
    const body = {
      npsDelayHours: 6, upsellDiscountPercent: 20,
      npsReminderHours: 24, npsExpiryDays: 5, npsBasis: 'marketing', upsellOfferDays: 10,
      detractorCoupon: { discount: { cents: 5000 }, validityDays: 60, minChargeCents: 20000 },
      upsellContraindications: [{ kind: 'min_gap_days', days: 30, categories: ['facial'] }, { kind: 'never_together', a: clinic.limpeza.id, b: clinic.limpeza.id, days: 7 }],
    };
    const res = await put(admin, body);
    expect(res.status).toBe(200);
    const [row] = await tdb.db.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, clinic.clinic.id));
    const eff = afterVisitSettingsOf(row.s);
    expect(row.s).toMatchObject({ npsDelayHours: 6, upsellDiscountPercent: 20 });
    expect(eff).toMatchObject({ npsDelayHours: 6, upsellDiscountPercent: 20, npsReminderHours: 24, npsExpiryDays: 5, npsBasis: 'marketing', upsellOfferDays: 10, detractorCoupon: { discount: { cents: 5000 }, validityDays: 60, minChargeCents: 20000 } });
    expect(eff.upsellContraindications).toHaveLength(2);

    const texts = { question: 'Oi {paciente}! Nota de 0 a 10 para {a_clinica}? {link}', thanks: '{Obrigada|Obrigado|Valeu}, de coração!' };
    const saved = await put(admin, { ...body, texts });
    expect(saved.status).toBe(200);
    const [row2] = await tdb.db.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, clinic.clinic.id));
    expect(afterVisitSettingsOf(row2.s).texts).toEqual(texts);
    expect(((await saved.json()) as { effective: { texts: unknown } }).effective.texts).toEqual(texts);
    // A PUT replaces: without the delay, it is back to the default 24 h.
    await put(admin, { texts });
    const got = await (await api.app.request('/api/admin/after-visit-settings', { headers: bearer(admin) })).json() as { settings: Record<string, unknown>; effective: Record<string, unknown> };
    expect(got.settings).toEqual({ texts });
    expect(got.effective).toMatchObject({ npsDelayHours: 24, upsellDiscountPercent: 10 });
  });

  it('refuses a text with an unknown variable, an apology without {cupom}, a form invitation without {link}', async () => {
    const before = (await tdb.db.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, clinic.clinic.id)))[0].s;
    const cases: [unknown, string, string][] = [
      [{ question: 'Oi {nome}' }, 'texts.question', 'a variável {nome} não existe'],
      [{ apology: 'Desculpe!' }, 'texts.apology', 'precisa conter {cupom}'],
      [{ feedback: 'Conte pra gente' }, 'texts.feedback', 'precisa conter {link}'],
      [{ thanks: 'Obrigad{a|o}' }, 'texts.thanks', 'precisa de 3 opções'],
      [{ review: 12 }, 'texts.review', 'informe um texto'],
      [{ promo: 'x' }, 'promo', 'Campo não permitido'],
    ];
    for (const [texts, field, message] of cases) {
      const res = await put(admin, { texts });
      expect([JSON.stringify(texts), res.status]).toEqual([JSON.stringify(texts), 400]);
      const err = await res.json() as { error: { code: string; message: string; fields?: Record<string, string[]> } };
      expect(err.error.code).toBe('validation_failed');
      const all = JSON.stringify(err.error);
      expect(all).toContain(field.split('.').at(-1));
      expect(all).toContain(message);
    }
    const after = (await tdb.db.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, clinic.clinic.id)))[0].s;
    expect(after).toEqual(before);
  });

  it('refuses staff, bad values and another clinic\'s procedures, changing nothing', async () => {
    const before = (await tdb.db.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, clinic.clinic.id)))[0].s;
    expect((await put(staff, { npsReminderHours: 12 })).status).toBe(403);
    for (const bad of [
      { npsReminderHours: 0 }, { npsDelayHours: -1 }, { upsellDiscountPercent: 101 }, { npsExpiryDays: 'sete' }, { npsBasis: 'sempre' }, { detractorCoupon: { discount: { percent: 15, cents: 100 } } },
      { detractorCoupon: { discount: { percent: 120 } } }, { upsellContraindications: [{ kind: 'talvez' }] }, { extra: true },
      { upsellContraindications: [{ kind: 'never_together', a: other.limpeza.id, b: clinic.limpeza.id }] },
    ]) {
      const res = await put(admin, bad);
      expect([JSON.stringify(bad), res.status]).toEqual([JSON.stringify(bad), 400]);
      const err = await res.json() as { error: { code: string; message: string } };
      expect(err.error.code).toBe('validation_failed');
    }
    const after = (await tdb.db.select({ s: clinics.settings }).from(clinics).where(eq(clinics.id, clinic.clinic.id)))[0].s;
    expect(after).toEqual(before);
  });

  it('lists the editable texts with their defaults and variables, and previews a text with its problems', async () => {
    const got = await (await api.app.request('/api/admin/after-visit-settings', { headers: bearer(admin) })).json() as { texts: { kind: string; default: string; variables: { name: string; required: boolean }[] }[] };
    expect(got.texts.map((t) => t.kind)).toEqual(['question', 'reminder', 'thanks', 'apology', 'feedback', 'review']);
    expect(got.texts.find((t) => t.kind === 'apology')!.variables).toContainEqual(expect.objectContaining({ name: 'cupom', required: true }));
    const preview = (body: unknown) => api.app.request('/api/admin/after-visit-settings/preview', { method: 'POST', headers: bearer(admin, { 'content-type': 'application/json' }), body: JSON.stringify(body) });
    const ok = await (await preview({ kind: 'thanks', text: '{Obrigada|Obrigado|Valeu}, {paciente}! {a_clinica} agradece.', patientGender: 'M' })).json();
    expect(ok).toEqual({ body: 'Obrigado, Maria! a Clínica Depois agradece.', problems: [] });
    const bad = await (await preview({ kind: 'apology', text: 'Desculpe, {nome}' })).json() as { problems: string[] };
    expect(bad.problems).toEqual([expect.stringContaining('{nome} não existe'), expect.stringContaining('precisa conter {cupom}')]);
    expect((await preview({ kind: 'outro', text: 'x' })).status).toBe(400);
    expect((await api.app.request('/api/admin/after-visit-settings/preview', { method: 'POST', headers: bearer(staff, { 'content-type': 'application/json' }), body: JSON.stringify({ kind: 'thanks', text: 'x' }) })).status).toBe(403);
  });
});
