// Campanhas › Fidelidade: the period's points by kind and month (clinic's time zone) from the ledger,
// members per tier today (erased patients are not members), rewards redeemed and their coupons used;
// a bad period is refused in pt-BR.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coupons, loyaltyAccounts, loyaltyTransactions, patients, payments, rewards } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createTestApp, login } from '../support/app';
import { createReminderClinic } from '../support/reminder-fixtures';

const NOW = new Date('2030-06-15T15:00:00Z');
let tdb: TestDatabase;
let api: Awaited<ReturnType<typeof createTestApp>>;
let clinic: Awaited<ReturnType<typeof createReminderClinic>>;
let viewer: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  api = await createTestApp(tdb.db, { now: () => NOW });
  clinic = await createReminderClinic(tdb.db, 'Clínica Pontos');
  const other = await createReminderClinic(tdb.db, 'Clínica Vizinha');
  viewer = await login(api.app, clinic.members.view.email);
  const c = clinic.clinic.id;
  const [ana, bia, gone] = await tdb.db.insert(patients).values([
    { clinicId: c, name: 'Ana Prata', whatsapp: '+5511990000001' },
    { clinicId: c, name: 'Bia Ouro', whatsapp: '+5511990000002' },
    { clinicId: c, name: 'Paciente removido', deletedAt: new Date('2030-05-01T00:00:00Z') },
  ]).returning();
  const [a1, a2, a3] = await tdb.db.insert(loyaltyAccounts).values([
    { clinicId: c, patientId: ana!.id, balance: 300, lifetimePoints: 900, tier: 'prata' },
    { clinicId: c, patientId: bia!.id, balance: 0, lifetimePoints: 2000, tier: 'ouro' },
    { clinicId: c, patientId: gone!.id, balance: 50, lifetimePoints: 50, tier: 'bronze' },
  ]).returning();
  const [otherP] = await tdb.db.insert(patients).values({ clinicId: other.clinic.id, name: 'De outra clínica' }).returning();
  const [otherAcc] = await tdb.db.insert(loyaltyAccounts).values({ clinicId: other.clinic.id, patientId: otherP!.id, balance: 999, lifetimePoints: 999 }).returning();
  const [reward] = await tdb.db.insert(rewards).values({ clinicId: c, name: 'Limpeza de pele grátis', pointsRequired: 500, discountCents: 25000 }).returning();
  const [pay] = await tdb.db.insert(payments).values({ clinicId: c, patientId: ana!.id, amountCents: 5000, method: 'pix' }).returning();
  const mk = (code: string, used: boolean) => ({
    clinicId: c, code, origin: 'loyalty', amountOffCents: 25000, validUntil: new Date('2030-12-31T00:00:00Z'),
    ...(used ? { redeemedAt: new Date('2030-06-10T12:00:00Z'), redeemedPaymentId: pay!.id, redeemedDiscountCents: 25000 } : {}),
  });
  const [used, open] = await tdb.db.insert(coupons).values([mk('PONTOS-AAA111', true), mk('PONTOS-BBB222', false)]).returning();
  // 31/05 23:30 in São Paulo is 01/06 02:30 UTC: it belongs to May.
  await tdb.db.insert(loyaltyTransactions).values([
    { clinicId: c, accountId: a1!.id, kind: 'creditados', points: 400, createdAt: new Date('2030-06-01T02:30:00Z') },
    { clinicId: c, accountId: a1!.id, kind: 'creditados', points: 600, createdAt: new Date('2030-06-05T12:00:00Z') },
    { clinicId: c, accountId: a2!.id, kind: 'creditados', points: 1000, createdAt: new Date('2030-04-20T12:00:00Z') },
    { clinicId: c, accountId: a1!.id, kind: 'resgatados', points: 500, rewardId: reward!.id, couponId: used!.id, createdAt: new Date('2030-06-06T12:00:00Z') },
    { clinicId: c, accountId: a2!.id, kind: 'resgatados', points: 500, rewardId: reward!.id, couponId: open!.id, createdAt: new Date('2030-05-06T12:00:00Z') },
    { clinicId: c, accountId: a2!.id, kind: 'expirados', points: 500, createdAt: new Date('2030-06-07T12:00:00Z') },
    { clinicId: c, accountId: a1!.id, kind: 'estornados', points: 200, createdAt: new Date('2030-06-08T12:00:00Z') },
    { clinicId: c, accountId: a3!.id, kind: 'creditados', points: 50, createdAt: new Date('2029-01-01T12:00:00Z') }, // outside every period below
    { clinicId: other.clinic.id, accountId: otherAcc!.id, kind: 'creditados', points: 999, createdAt: new Date('2030-06-02T12:00:00Z') },
  ]);
});
afterAll(async () => { await api?.close(); await tdb?.drop(); });

const get = (q: string) => api.app.request(`/api/loyalty/overview${q}`, { headers: bearer(viewer) });

describe('loyalty overview', () => {
  it("sums the period's ledger by kind and by local month, members per tier and rewards; a view-only member may read it", async () => {
    const r = await get('?from=2030-05-01&to=2030-06-15');
    expect(r.status).toBe(200);
    const o = await r.json();
    expect(o.totals).toEqual({
      creditados: { points: 1000, entries: 2 }, resgatados: { points: 1000, entries: 2 }, expirados: { points: 500, entries: 1 }, estornados: { points: 200, entries: 1 },
    });
    expect(o.net).toBe(1000 - 1000 - 500 - 200);
    expect(o.redemptionRate).toBe(1);
    expect(o.months).toEqual([
      { month: '2030-05', creditados: 400, resgatados: 500, expirados: 0, estornados: 0 },
      { month: '2030-06', creditados: 600, resgatados: 500, expirados: 500, estornados: 200 },
    ]);
    expect(o.members).toEqual([
      { tier: 'bronze', members: 0, withBalance: 0, balance: 0 },
      { tier: 'prata', members: 1, withBalance: 1, balance: 300 },
      { tier: 'ouro', members: 1, withBalance: 0, balance: 0 },
      { tier: 'platina', members: 0, withBalance: 0, balance: 0 },
    ]);
    expect(o).toMatchObject({ membersTotal: 2, outstandingPoints: 300 });
    expect(o.rewards).toEqual([expect.objectContaining({ name: 'Limpeza de pele grátis', redemptions: 2, points: 1000, couponsUsed: 1 })]);
  });

  it('defaults to the last 12 months; an empty period has zeros and no rate', async () => {
    const all = await (await get('')).json();
    expect(all).toMatchObject({ from: '2029-06-16', to: '2030-06-15' });
    expect(all.totals.creditados.points).toBe(2000);
    const empty = await (await get('?from=2030-01-01&to=2030-01-31')).json();
    expect(empty).toMatchObject({ net: 0, redemptionRate: null, months: [], rewards: [] });
  });

  it('refuses a bad period with a pt-BR message and a code', async () => {
    for (const q of ['?from=2030-06-10&to=2030-06-01', '?from=2000-01-01&to=2030-01-01', '?from=ontem', '?from=2030-02-30', '?de=2030-01-01']) {
      const r = await get(q);
      expect(r.status, q).toBe(400);
      const body = await r.json();
      expect(body.error.code, q).toBe('validation_failed');
      expect(body.error.message, q).toMatch(/[a-zá-ú]{3}/);
    }
  });
});
