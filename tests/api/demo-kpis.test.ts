// The demo clinic's numbers as its owner sees them: the seeded rollups are the rollup's own figures
// (the same as the live ones), every day keeps the KPI invariants, refunds are netted on their day, and
// every month with realised, paid visits has its professionals' commissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { appointments, commissionEntries, dailyMetrics, payments, professionals } from '../../db/schema';
import { figuresOf } from '../../db/daily-figures';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../../db/seed';
import { brokenInvariants, sumFigures } from '../../domain/kpis';
import { addLocalDays, localDate } from '../../domain/timezone';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createTestApp, login } from '../support/app';

const NOW = new Date('2026-12-03T15:00:00Z');
let tdb: TestDatabase;
let api: Awaited<ReturnType<typeof createTestApp>>;
let clinicId: string;
let admin: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  ({ clinicId } = await seedDemo(tdb.db, { now: NOW, dataKey: Buffer.alloc(32, 7), linkSecret: 'test-link-secret-0123456789' }));
  api = await createTestApp(tdb.db, { now: () => NOW });
  admin = await login(api.app, DEMO_USERS[0].email, DEMO_PASSWORD);
}, 120_000);
afterAll(async () => {
  await api?.close();
  await tdb?.drop();
});

describe('the demo clinic', () => {
  it('has rollups up to yesterday that equal the live figures and keep the invariants', async () => {
    const today = localDate(NOW, 'America/Sao_Paulo');
    const rows = await tdb.db.select().from(dailyMetrics).where(eq(dailyMetrics.clinicId, clinicId));
    expect(rows.length).toBeGreaterThan(150);
    expect(rows.every((r) => r.day < today)).toBe(true);
    for (const { id: _i, clinicId: _c, computedAt: _t, ...f } of rows) expect(brokenInvariants(f), f.day).toEqual([]);
    const days = rows.map((r) => r.day).sort().slice(-40);
    const live = await figuresOf(tdb.db, { clinicId, days });
    const stored = new Map(rows.map(({ id: _i, computedAt: _t, ...r }) => [r.day, r]));
    for (const l of live) expect(l).toEqual(stored.get(l.day));
    // Refunded deposits are netted on the refund's day.
    expect(rows.reduce((s, r) => s + r.refundsCents, 0)).toBeGreaterThan(0);

    const res = await api.app.request(`/api/dashboard/kpis?from=${addLocalDays(today, -29)}&to=${today}`, { headers: bearer(admin) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { totals: ReturnType<typeof sumFigures>; series: ReturnType<typeof sumFigures>[]; live: string[] };
    expect(body.live).toEqual([today]);
    expect(body.totals).toEqual(sumFigures(body.series));
    expect(body.totals.revenueCents).toBe(body.totals.grossRevenueCents - body.totals.refundsCents);
  });

  it('reports reminders with replies only to the reminders sent in the period, so no rate passes 100%', async () => {
    const today = localDate(NOW, 'America/Sao_Paulo');
    for (const [from, to] of [[addLocalDays(today, -29), today], [today, today], [addLocalDays(today, -180), today]]) {
      const res = await api.app.request(`/api/reminders/report?from=${from}&to=${to}`, { headers: bearer(admin) });
      expect(res.status).toBe(200);
      const { channels } = (await res.json()) as { channels: { channel: string; sent: number; answered: number; answerRate: number | null; reminded: number; successRate: number | null }[] };
      for (const c of channels) {
        expect(c.answered, `${from} ${c.channel}`).toBeLessThanOrEqual(c.sent);
        expect(c.answerRate).toBe(c.sent ? Math.round((c.answered / c.sent) * 1000) / 1000 : null);
        if (c.successRate !== null) expect(c.successRate).toBeLessThanOrEqual(1);
      }
      expect(channels.find((c) => c.channel === 'total')!.sent).toBeGreaterThan(from === today ? -1 : 0);
    }
  });

  it('accrues each realised, paid visit’s commission, listed in the month the money came in', async () => {
    const entries = await tdb.db.select().from(commissionEntries).where(eq(commissionEntries.clinicId, clinicId));
    expect(entries.length).toBeGreaterThan(100);
    // Exactly one entry per approved payment of a realised visit, at the professional's rate.
    const paid = await tdb.db.select({ id: payments.id, amountCents: payments.amountCents, bps: professionals.commissionBps })
      .from(payments).innerJoin(appointments, eq(appointments.id, payments.appointmentId))
      .innerJoin(professionals, eq(professionals.id, appointments.professionalId))
      .where(and(eq(payments.clinicId, clinicId), eq(payments.status, 'aprovado'), eq(appointments.status, 'realizado')));
    expect(entries).toHaveLength(paid.length);
    const byPayment = new Map(entries.map((e) => [e.paymentId, e.amountCents]));
    for (const p of paid) expect(byPayment.get(p.id)).toBe(Math.round((p.amountCents * p.bps) / 10000));
    // No commission for a visit that did not happen.
    const unrealised = await tdb.db.select({ n: sql<number>`count(*)::int` }).from(commissionEntries)
      .innerJoin(payments, eq(payments.id, commissionEntries.paymentId)).innerJoin(appointments, eq(appointments.id, payments.appointmentId))
      .where(and(eq(commissionEntries.clinicId, clinicId), inArray(appointments.status, ['agendado', 'confirmado', 'cancelado', 'no_show'])));
    expect(unrealised[0]!.n).toBe(0);

    const lastMonth = addLocalDays(`${localDate(NOW, 'America/Sao_Paulo').slice(0, 7)}-01`, -1).slice(0, 7);
    const res = await api.app.request(`/api/commissions?month=${lastMonth}`, { headers: bearer(admin) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { professionals: { name: string; totalCents: number }[] };
    expect(body.professionals.length).toBe(3);
    expect(body.professionals.every((p) => p.totalCents > 0)).toBe(true);
  });
});
