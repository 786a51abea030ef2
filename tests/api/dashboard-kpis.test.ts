// The dashboard's KPIs as properties over generated clinics (fast-check): every figure matches its
// definition (domain/kpis.ts) computed by hand from the generated rows, the invariants hold for every day
// and for the period, the period's totals are the sum of its days, and the daily rollup stores exactly
// what the dashboard showed live for the same days.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { and, eq } from 'drizzle-orm';
import { appointments, conversations, dailyMetrics, patients, paymentRefunds, payments, procedures, professionals } from '../../db/schema';
import { createMetricsActivities } from '../../activities/metrics';
import { brokenInvariants, derive, sumFigures, type Figures } from '../../domain/kpis';
import { addLocalDays, localDate } from '../../domain/timezone';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createClinicWithMembers, createTestApp, login } from '../support/app';

const NOW = new Date('2026-12-03T15:00:00Z'); // 12:00 on 03/12 in São Paulo
const TZ = 'America/Sao_Paulo';
const TODAY = localDate(NOW, TZ);
const FROM = addLocalDays(TODAY, -6);
const DAYS = Array.from({ length: 7 }, (_, i) => addLocalDays(FROM, i));
const HOUR = 3_600_000;

let tdb: TestDatabase;
let api: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  api = await createTestApp(tdb.db, { now: () => NOW });
});
afterAll(async () => {
  await api?.close();
  await tdb?.drop();
});

/** A local time in São Paulo (UTC−3 all year since 2019). */
const at = (day: string, minute: number) => new Date(Date.parse(`${day}T00:00:00-03:00`) + minute * 60_000);
const dayOf = (d: Date) => localDate(d, TZ);

const appointmentArb = fc.record({
  day: fc.integer({ min: 0, max: 6 }),
  status: fc.constantFrom('agendado', 'confirmado', 'realizado', 'cancelado', 'no_show' as const),
  paid: fc.boolean(),
});
const paymentArb = fc.record({
  day: fc.integer({ min: 0, max: 6 }),
  minute: fc.integer({ min: 0, max: 1439 }),
  amountCents: fc.integer({ min: 1, max: 500_000 }),
  status: fc.constantFrom('aprovado', 'aprovado', 'recusado', 'pendente' as const),
  // Refunds as shares of what is left, each some hours after the charge (possibly another day).
  refunds: fc.array(fc.record({ share: fc.double({ min: 0.01, max: 1, noNaN: true }), hoursLater: fc.integer({ min: 0, max: 80 }) }), { maxLength: 2 }),
});
const conversationArb = fc.record({
  day: fc.integer({ min: 0, max: 6 }),
  minute: fc.integer({ min: 0, max: 1439 }),
  status: fc.constantFrom('aberta', 'convertida', 'abandonada', 'spam' as const),
});
const clinicArb = fc.record({
  appointments: fc.array(appointmentArb, { maxLength: 30 }),
  payments: fc.array(paymentArb, { maxLength: 12 }),
  conversations: fc.array(conversationArb, { maxLength: 12 }),
  patients: fc.array(fc.record({ day: fc.integer({ min: 0, max: 6 }), minute: fc.integer({ min: 0, max: 1439 }) }), { maxLength: 6 }),
});
type Generated = typeof clinicArb extends fc.Arbitrary<infer T> ? T : never;

/** Writes the generated rows for a new clinic; returns the clinic and, per local day, the figures by definition. */
async function writeClinic(g: Generated, n: number) {
  const db = tdb.db;
  const { clinic, members } = await createClinicWithMembers(db, `Clínica Propriedade ${n}`);
  const [prof] = await db.insert(professionals).values({ clinicId: clinic.id, name: 'Dra. Helena Prado' }).returning();
  const [proc] = await db.insert(procedures).values({ clinicId: clinic.id, name: 'Limpeza de pele', category: 'facial', durationMinutes: 30, defaultPriceCents: 25000 }).returning();
  const [patient] = await db.insert(patients).values({ clinicId: clinic.id, name: 'Carla Dias', createdAt: new Date('2026-01-05T12:00:00Z') }).returning();
  const base = { clinicId: clinic.id, patientId: patient.id, procedureId: proc.id, professionalId: prof.id, durationMinutes: 30, priceCents: 25000 };
  // A past appointment the converted conversations point at (outside the period).
  const [old] = await db.insert(appointments).values({ ...base, startsAt: new Date('2026-10-01T13:00:00Z'), status: 'cancelado' }).returning();

  const expected = new Map(DAYS.map((d) => [d, derive({ grossRevenueCents: 0, refundsCents: 0, appointments: 0, completed: 0, noShows: 0, cancelled: 0, paidVisits: 0, leads: 0, conversions: 0, newPatients: 0 })]));
  const bump = (day: string, f: (x: Figures) => void) => { const x = expected.get(day); if (x) f(x); };

  // Appointments 31 minutes apart (one professional, no overlap), some late in the evening: another UTC day.
  if (g.appointments.length) {
    await db.insert(appointments).values(g.appointments.map((a, i) => ({
      ...base, startsAt: at(DAYS[a.day]!, 60 + i * 45), status: a.status, paymentStatus: a.paid ? 'pago' as const : 'pendente' as const,
    })));
  }
  g.appointments.forEach((a, i) => bump(dayOf(at(DAYS[a.day]!, 60 + i * 45)), (x) => {
    x.appointments++;
    if (a.status === 'realizado') { x.completed++; if (a.paid) x.paidVisits++; }
    if (a.status === 'no_show') x.noShows++;
    if (a.status === 'cancelado') x.cancelled++;
  }));

  for (const p of g.payments) {
    const paidAt = at(DAYS[p.day]!, p.minute);
    const [row] = await db.insert(payments).values({ clinicId: clinic.id, patientId: patient.id, amountCents: p.amountCents, method: 'pix', status: p.status, processedAt: p.status === 'pendente' ? null : paidAt, createdAt: paidAt }).returning();
    if (p.status !== 'aprovado') continue;
    bump(dayOf(paidAt), (x) => { x.grossRevenueCents += p.amountCents; });
    let refunded = 0;
    for (const r of p.refunds) {
      const amount = Math.min(p.amountCents - refunded, Math.max(1, Math.floor((p.amountCents - refunded) * r.share)));
      if (amount <= 0) break;
      const refundAt = new Date(paidAt.getTime() + r.hoursLater * HOUR);
      await db.insert(paymentRefunds).values({ clinicId: clinic.id, paymentId: row!.id, amountCents: amount, reason: 'Devolução', createdAt: refundAt });
      refunded += amount;
      bump(dayOf(refundAt), (x) => { x.refundsCents += amount; });
    }
    if (refunded) {
      await db.update(payments).set({ refundedCents: refunded, ...(refunded === p.amountCents ? { status: 'reembolsado' as const, refundedAt: paidAt } : {}) }).where(eq(payments.id, row!.id));
    }
  }

  for (const [i, cv] of g.conversations.entries()) {
    const startedAt = at(DAYS[cv.day]!, cv.minute);
    await db.insert(conversations).values({
      clinicId: clinic.id, patientWhatsapp: `+551199${String(i).padStart(7, '0')}`, status: cv.status, startedAt, lastMessageAt: startedAt,
      closedAt: cv.status === 'aberta' ? null : new Date(startedAt.getTime() + 30 * HOUR), convertedAppointmentId: cv.status === 'convertida' ? old!.id : null,
    });
    bump(dayOf(startedAt), (x) => { if (cv.status !== 'spam') x.leads++; if (cv.status === 'convertida') x.conversions++; });
  }

  if (g.patients.length) await db.insert(patients).values(g.patients.map((p, i) => ({ clinicId: clinic.id, name: `Paciente ${i}`, createdAt: at(DAYS[p.day]!, p.minute) })));
  for (const p of g.patients) bump(dayOf(at(DAYS[p.day]!, p.minute)), (x) => { x.newPatients++; });

  for (const [d, x] of expected) expected.set(d, derive(x));
  return { clinic, admin: members.admin.email, expected };
}

type Kpis = { totals: Figures; previous: Figures; series: (Figures & { day: string })[]; live: string[]; definitions: Record<string, { label: string; definition: string }> };

async function kpis(token: string, from = FROM, to = TODAY): Promise<Kpis> {
  const res = await api.app.request(`/api/dashboard/kpis?from=${from}&to=${to}`, { headers: bearer(token) });
  expect(res.status).toBe(200);
  return (await res.json()) as Kpis;
}

describe('dashboard KPIs (properties over generated clinics)', () => {
  it('match their definitions, keep their invariants, add up, and the rollup stores what was shown live', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(clinicArb, async (g) => {
        const { clinic, admin, expected } = await writeClinic(g, ++n);
        const token = await login(api.app, admin);

        // Before any rollup every day is computed live.
        const live = await kpis(token);
        expect(live.live).toEqual(DAYS);
        for (const d of live.series) {
          const { day, ...figures } = d;
          expect(figures, day).toEqual(expected.get(day));
          expect(brokenInvariants(figures), day).toEqual([]);
        }
        expect(live.totals).toEqual(sumFigures(live.series));
        expect(brokenInvariants(live.totals)).toEqual([]);

        // The rollup stores the same figures; the dashboard then reads them (today stays live) and shows the same.
        const { rollupDailyMetrics } = createMetricsActivities({ db: tdb.db, now: () => NOW });
        await rollupDailyMetrics({ from: FROM, to: TODAY, asOf: NOW.toISOString(), clinicId: clinic.id });
        const stored = await tdb.db.select().from(dailyMetrics).where(and(eq(dailyMetrics.clinicId, clinic.id)));
        expect(stored).toHaveLength(7);
        for (const { id: _i, clinicId: _c, computedAt: _t, day, ...figures } of stored) expect(figures, day).toEqual(expected.get(day));
        const rolled = await kpis(token);
        expect(rolled.live).toEqual([TODAY]);
        expect(rolled.series).toEqual(live.series);
        expect(rolled.totals).toEqual(live.totals);

        // One day's view is that day's row of the week's view.
        const one = await kpis(token, DAYS[3], DAYS[3]);
        expect(one.totals).toEqual(sumFigures([live.series[3]!]));
      }),
      { numRuns: 12 },
    );
  }, 120_000);

  it("a conversation the staff opened for a detractor is not a lead", async () => {
    const { clinic, members } = await createClinicWithMembers(tdb.db, 'Clínica Detratora');
    const token = await login(api.app, members.view.email);
    await tdb.db.insert(conversations).values([
      { clinicId: clinic.id, patientWhatsapp: '+5511990000101', startedAt: at(TODAY, 9 * 60) },
      { clinicId: clinic.id, patientWhatsapp: '+5511990000102', startedAt: at(TODAY, 10 * 60), subject: 'nps_detractor', needsStaff: true },
    ]);
    const k = await (await api.app.request(`/api/dashboard/kpis?from=${TODAY}&to=${TODAY}`, { headers: bearer(token) })).json();
    expect(k.totals.leads).toBe(1);
  });

  it('refuses a bad period with a pt-BR message and a code, never a 500', async () => {
    const { admin } = await writeClinic({ appointments: [], payments: [], conversations: [], patients: [] }, 998);
    const token = await login(api.app, admin);
    for (const [query, message] of [
      ['from=2026-02-30&to=2026-03-03', /não existe/], ['from=ontem', /AAAA-MM-DD/], ['from=2026-12-03&to=2026-11-01', /anterior ao fim/],
      ['from=2006-01-01&to=2026-01-01', /366 dias/], ['de=2026-01-01', /./],
    ] as const) {
      const res = await api.app.request(`/api/dashboard/kpis?${query}`, { headers: bearer(token) });
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code, query).toBe('validation_failed');
      expect(JSON.stringify(body.error), query).toMatch(message);
    }
  });

  it('sends a pt-BR definition for every figure', async () => {
    const { admin } = await writeClinic({ appointments: [], payments: [], conversations: [], patients: [] }, 999);
    const body = await kpis(await login(api.app, admin));
    for (const key of Object.keys(body.totals)) {
      expect(body.definitions[key], key).toMatchObject({ label: expect.any(String), definition: expect.stringMatching(/\S{3,}/) });
    }
    expect(body.definitions.revenueCents!.definition).toContain('reembolsos');
  });
});
