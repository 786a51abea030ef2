// The Campanhas API against the real PostgreSQL, as staff call it: the at-risk list (sorted, filtered,
// paged, accent-insensitive name search, CSV with pt-BR headers), the campaigns with their lift and
// revenue (and the total over the closed ones), the model's versions, one patient's score; bad input is a
// 400 in pt-BR, another clinic's patient a 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createClinicWithMembers, createTestApp, login } from '../support/app';
import { insertCampaign, insertPatientsWithVisits, TZ, type TargetPlan } from '../support/reactivation';
import { patients, procedures } from '../../db/schema';
import { scoreClinic, trainChurnModel } from '../../services/reactivation/scoring';
import { AT_RISK_CSV_HEADER } from '../../services/reactivation/reports';
import { liftWithInterval } from '../../domain/lifetime';
import { SCORE_FEATURE_NAMES } from '../../domain/patient-score';
import { createRandom } from '../../domain/random';
import { addLocalDays, localDate } from '../../domain/timezone';

let tdb: TestDatabase;
let db: TestDatabase['db'];
let t: Awaited<ReturnType<typeof createTestApp>>;
let staff: string;
let clinicId: string;
let otherPatientId: string;
let ids: string[];
const today = localDate(new Date(), TZ);

const get = (path: string, token = staff) => t.app.request(path, { headers: bearer(token) });
interface AtRisk { total: number; patients: { patientId: string; name: string; risk: number; clvCents: number; daysSinceLastVisit: number | null; factors: { label: string }[]; modelVersion: number | null; lastVisitAt: string | null }[] }
const atRisk = async (query = '') => {
  const res = await get(`/api/reactivation/at-risk${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as AtRisk;
};

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
  t = await createTestApp(db);
  const a = await createClinicWithMembers(db, 'Clínica Campanhas');
  clinicId = a.clinic.id;
  staff = await login(t.app, a.members.staff.email);
  const [proc] = await db.insert(procedures).values({ clinicId, name: 'Toxina botulínica', category: 'facial', durationMinutes: 30, defaultPriceCents: 120_000 }).returning();
  const clinic = { clinicId, procedureId: proc.id };
  // A regular, two who lapsed long ago (one with an accent in her name), one who never came.
  ids = await insertPatientsWithVisits(db, clinic, [
    { name: 'Carla Assídua', days: [-120, -90, -60, -30, -5].map((d) => addLocalDays(today, d)), cents: 45_000 },
    { name: 'Júlia Sumida', days: [-500, -470, -440].map((d) => addLocalDays(today, d)), cents: 123_456 },
    { name: 'Marta Distante', days: [-400, -300].map((d) => addLocalDays(today, d)), cents: 30_000 },
    { name: '=Renata Fórmula', days: [addLocalDays(today, -250)], cents: 20_000 },
  ]);
  await db.insert(patients).values({ clinicId, name: 'Nunca Veio', createdAt: new Date(Date.now() - 30 * 86_400_000) });
  await scoreClinic(db, clinicId, new Date());

  const other = await createClinicWithMembers(db, 'Clínica Vizinha');
  const [p] = await db.insert(patients).values({ clinicId: other.clinic.id, name: 'Júlia de Outra Clínica' }).returning();
  otherPatientId = p.id;
  await scoreClinic(db, other.clinic.id, new Date());
});
afterAll(async () => { await t.close(); await tdb.drop(); });

describe('GET /api/reactivation/at-risk', () => {
  it('lists the clinic\'s scored patients by risk, with reasons, value and last visit', async () => {
    const r = await atRisk();
    expect(r.total).toBe(5);
    expect(r.patients.map((p) => p.risk)).toEqual([...r.patients.map((p) => p.risk)].sort((x, y) => y - x));
    const risk = (name: string) => r.patients.find((p) => p.name === name)!.risk;
    expect(risk('Carla Assídua')).toBeLessThan(Math.min(risk('Júlia Sumida'), risk('Marta Distante'), risk('=Renata Fórmula')));
    expect(r.patients.every((p) => p.factors.length > 0 && p.factors.every((f) => f.label))).toBe(true);
    expect(r.patients.some((p) => p.name === 'Júlia de Outra Clínica')).toBe(false);
    const never = r.patients.find((p) => p.name === 'Nunca Veio')!;
    expect(never).toMatchObject({ lastVisitAt: null, daysSinceLastVisit: null });
    const julia = r.patients.find((p) => p.name === 'Júlia Sumida')!;
    expect(julia.daysSinceLastVisit).toBe(440);
  });

  it('filters by minimum risk and name (accents and case aside), sorts by value or inactivity, pages', async () => {
    const all = await atRisk();
    const cut = all.patients[1].risk;
    const high = await atRisk(`?minRisk=${cut}`);
    expect(high.patients.every((p) => p.risk >= cut)).toBe(true);
    expect(high.total).toBe(all.patients.filter((p) => p.risk >= cut).length);
    expect((await atRisk('?q=JULIA')).patients.map((p) => p.name)).toEqual(['Júlia Sumida']);
    expect((await atRisk('?q=' + encodeURIComponent('%'))).total).toBe(0);
    const byClv = await atRisk('?sort=clv');
    expect(byClv.patients.map((p) => p.clvCents)).toEqual([...byClv.patients.map((p) => p.clvCents)].sort((x, y) => y - x));
    const byInactive = await atRisk('?sort=inactive');
    expect(byInactive.patients.slice(0, 3).map((p) => p.name)).toEqual(['Júlia Sumida', 'Marta Distante', '=Renata Fórmula']);
    expect(byInactive.patients.at(-1)?.name).toBe('Nunca Veio'); // nulls last
    const page = await atRisk('?limit=2&offset=2');
    expect(page.total).toBe(5);
    expect(page.patients.map((p) => p.patientId)).toEqual(all.patients.slice(2, 4).map((p) => p.patientId));
    expect((await atRisk('?limit=2&offset=50')).total).toBe(5);
    expect((await atRisk('?visited=true')).patients.map((p) => p.name).sort()).toEqual(['=Renata Fórmula', 'Carla Assídua', 'Júlia Sumida', 'Marta Distante']);
    expect((await atRisk('?visited=false')).patients.map((p) => p.name)).toEqual(['Nunca Veio']);
  });

  it('bad input is a 400 in pt-BR with the field, never a 500', async () => {
    for (const [query, field, message] of [
      ['?minRisk=abc', 'minRisk', 'O risco mínimo deve ser um número de 0 a 100.'],
      ['?minRisk=101', 'minRisk', 'O risco mínimo deve ser de 0 a 100.'],
      ['?minRisk=5.5', 'minRisk', 'O risco mínimo deve ser um número inteiro de 0 a 100.'],
      ['?sort=nome', 'sort', 'Ordene por risk (risco), clv (valor) ou inactive (tempo sem vir).'],
      ['?limit=0', 'limit', 'O limite: mínimo 1.'],
      ['?offset=-1', 'offset', 'O deslocamento: mínimo 0.'],
      ['?format=xlsx', 'format', 'Use format=json ou format=csv.'],
      [`?q=${'a'.repeat(101)}`, 'q', 'A busca pode ter no máximo 100 caracteres.'],
      ['?cor=azul', 'cor', 'Campo não permitido.'],
      ['?visited=sim', 'visited', 'Use visited=true (só quem já veio) ou visited=false (só quem nunca veio).'],
    ] as const) {
      const res = await get(`/api/reactivation/at-risk${query}`);
      expect([query, res.status]).toEqual([query, 400]);
      const body = (await res.json()) as { error: { code: string; message: string; fields: Record<string, string[]> } };
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.message).toBe('Dados inválidos: verifique os campos destacados.');
      expect(body.error.fields[field]).toEqual([message]);
    }
    expect((await get('/api/reactivation/at-risk?q=%00')).status).toBe(400);
    expect((await t.app.request('/api/reactivation/at-risk')).status).toBe(401);
  });

  it('exports CSV: text/csv, pt-BR headers, ";" separator, money as 1234,56, dates dd/mm/aaaa, formulas defused', async () => {
    const res = await get('/api/reactivation/at-risk?format=csv&sort=inactive&limit=1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="pacientes-em-risco-${today}.csv"`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 BOM: Excel reads the accents
    const lines = new TextDecoder().decode(bytes).trimEnd().split('\r\n');
    expect(lines[0]).toBe('Paciente;Telefone;Última visita;Dias sem vir;Risco (0–100);Chance de ainda ser paciente (%);Visitas esperadas em 12 meses;Valor esperado em 12 meses (R$);Ticket médio (R$);Principais fatores;Versão do modelo');
    expect(lines[0].split(';')).toEqual(AT_RISK_CSV_HEADER);
    expect(lines).toHaveLength(6); // every patient of the filter, whatever the limit
    const julia = lines[1].split(';');
    expect(julia[0]).toBe('Júlia Sumida');
    const [y, m, d] = addLocalDays(today, -440).split('-');
    expect(julia[2]).toBe(`${d}/${m}/${y}`);
    expect(julia[3]).toBe('440');
    expect(julia[7]).toMatch(/^\d+,\d{2}$/);
    expect(julia[8]).toBe('1234,56');
    expect(julia[10]).toBe('base');
    expect(lines.find((l) => l.includes('Renata'))!.startsWith("'=Renata Fórmula;")).toBe(true);
  });
});

describe('GET /api/reactivation/campaigns', () => {
  it('per campaign: the arms, return rates, lift with its interval and revenue; the total over closed campaigns', async () => {
    const rnd = createRandom('api-campaigns');
    const extra = await insertPatientsWithVisits(db, { clinicId, procedureId: (await db.select().from(procedures).where(eq(procedures.clinicId, clinicId)))[0].id },
      Array.from({ length: 150 }, (_, i) => ({ name: `Alvo ${i}`, days: [addLocalDays(today, -200 - (i % 30))], cents: 10_000 })));
    const features = () => SCORE_FEATURE_NAMES.map(() => rnd.next());
    // Closed: 100 contacted (30 came back, R$ 250 each), 20 in control (2 came back, R$ 100 each).
    const closed: TargetPlan[] = extra.slice(0, 120).map((patientId, i) => i < 100
      ? { patientId, arm: 'contacted', features: features(), outcome: i < 30 ? 'voltou' : 'nao_voltou', revenueCents: 25_000 }
      : { patientId, arm: 'control', features: features(), outcome: i < 102 ? 'voltou' : 'nao_voltou', revenueCents: 10_000 });
    await insertCampaign(db, clinicId, addLocalDays(today, -80), closed);
    // Open: the window still runs; 2 of 18 contacted came back so far.
    // Closed without a control group (too few eligible that day): in the totals, not in the lift.
    await insertCampaign(db, clinicId, addLocalDays(today, -60), extra.slice(140).map((patientId, i) => ({ patientId, arm: 'contacted' as const, features: features(), outcome: i < 5 ? 'voltou' as const : 'nao_voltou' as const, revenueCents: 10_000, seq: 3 })));
    const open: TargetPlan[] = extra.slice(120, 140).map((patientId, i) => i < 18
      ? { patientId, arm: 'contacted', features: features(), outcome: i < 2 ? 'voltou' : null, revenueCents: 18_000, seq: 2 }
      : { patientId, arm: 'control', features: features(), outcome: null });
    await insertCampaign(db, clinicId, addLocalDays(today, -3), open);

    const res = await get('/api/reactivation/campaigns');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { campaigns: { day: string; closed: boolean; contacted: number; control: number; arms: { contacted: { n: number; returned: number; open: number; returnRate: number; revenueCents: number }; control: { n: number; returned: number; revenueCents: number } }; lift: { lift: number; low: number; high: number }; liftRevenue: { cents: number } }[]; total: { campaigns: number; lift: { lift: number; low: number; high: number }; arms: { contacted: { n: number; revenueCents: number } } } };
    expect(body.campaigns.map((c) => [c.day, c.closed])).toEqual([[addLocalDays(today, -3), false], [addLocalDays(today, -60), true], [addLocalDays(today, -80), true]]);
    const [recent, noControl, old] = body.campaigns;
    expect(noControl.lift).toEqual({ lift: null, low: null, high: null });
    expect(old).toMatchObject({ contacted: 100, control: 20, arms: { contacted: { n: 100, returned: 30, open: 0, returnRate: 0.3, revenueCents: 750_000 }, control: { n: 20, returned: 2, revenueCents: 20_000 } } });
    const expected = liftWithInterval({ contacted: { n: 100, returned: 30 }, control: { n: 20, returned: 2 } });
    expect(old.lift.lift).toBeCloseTo(0.2, 12);
    expect(old.lift).toEqual(expected);
    expect(old.lift.low).toBeLessThan(0.2);
    expect(old.lift.high).toBeGreaterThan(0.2);
    expect(old.liftRevenue.cents).toBe(Math.round(0.2 * 100 * 25_000));
    expect(recent.arms.contacted).toMatchObject({ n: 18, returned: 2, open: 16 });
    expect(body.total).toMatchObject({
      campaigns: 2, comparable: 1, lift: expected, arms: { contacted: { n: 110, revenueCents: 800_000 } }, compared: { contacted: { n: 100, returned: 30 }, control: { n: 20, returned: 2 } },
    });
    expect((await get('/api/reactivation/campaigns?limit=1')).status).toBe(200);
    expect((await get('/api/reactivation/campaigns?limit=x')).status).toBe(400);
  });
});

describe('GET /api/reactivation/models and the patient\'s score', () => {
  it('lists the model versions with AUC, Brier, calibration and labelled weights', async () => {
    expect(((await (await get('/api/reactivation/models')).json()) as { models: unknown[] }).models).toEqual([]);
    const r = await trainChurnModel(db, clinicId, new Date());
    expect(r.trained).toBe(true);
    const res = await get('/api/reactivation/models');
    expect(res.status).toBe(200);
    const { models } = (await res.json()) as { models: { version: number; examples: number; auc: number | null; inUse: boolean; belowMinimum: boolean; brier: number; calibration: { bins: unknown[] }; weights: { name: string; label: string; weight: number }[] }[] };
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({ version: 1, examples: 130, inUse: (models[0].auc ?? 1) >= 0.55, belowMinimum: (models[0].auc ?? 1) < 0.55 });
    expect(models[0].calibration.bins.length).toBeGreaterThan(0);
    expect(models[0].weights).toHaveLength(SCORE_FEATURE_NAMES.length);
    expect(models[0].weights.find((w) => w.name === 'inactivityRatio')?.label).toBe('Dias sem vir ÷ intervalo habitual');
    const abs = models[0].weights.map((w) => Math.abs(w.weight));
    expect(abs).toEqual([...abs].sort((x, y) => y - x));
  });

  it('GET /api/patients/{id}/score: the score, factors and CLV; 404 in pt-BR outside the clinic', async () => {
    const res = await get(`/api/patients/${ids[1]}/score`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { patientId: string; score: { risk: number; pAlive: number; clvCents: number; factors: { label: string }[]; modelVersion: number | null } };
    expect(body.patientId).toBe(ids[1]);
    expect(body.score.risk).toBeGreaterThan(50);
    expect(body.score.pAlive).toBeGreaterThanOrEqual(0);
    expect(body.score.factors[0].label).toMatch(/^sem visitas há 1 ano e 2 meses/);
    for (const id of [otherPatientId, '00000000-0000-4000-8000-000000000000']) {
      const r = await get(`/api/patients/${id}/score`);
      expect(r.status).toBe(404);
      expect(await r.json()).toEqual({ error: { code: 'not_found', message: 'Paciente não encontrado nesta clínica.' } });
    }
    expect((await get('/api/patients/nao-e-id/score')).status).toBe(400);
    const [fresh] = await db.insert(patients).values({ clinicId, name: 'Ainda Sem Pontuação' }).returning();
    expect(await (await get(`/api/patients/${fresh.id}/score`)).json()).toEqual({ patientId: fresh.id, score: null });
  });
});

it('the OpenAPI document describes the four routes', async () => {
  const res = await t.app.request('/openapi.json');
  expect(res.status).toBe(200);
  const doc = (await res.json()) as { paths: Record<string, { get?: { responses: Record<string, { content?: Record<string, unknown> }> } }> };
  for (const path of ['/api/reactivation/at-risk', '/api/reactivation/campaigns', '/api/reactivation/models', '/api/patients/{id}/score']) expect(doc.paths[path]?.get, path).toBeDefined();
  expect(Object.keys(doc.paths['/api/reactivation/at-risk'].get!.responses['200'].content!)).toEqual(['application/json', 'text/csv']);
});
