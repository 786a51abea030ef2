// Relatórios › Procedimentos and Desempenho por profissional against a fixture computed by hand: one week
// (Mon 04/03/2030 – Sun 10/03/2030, São Paulo) of two professionals and three procedures, appointments
// of every status, payments (one partly refunded, one paid late for an older visit, one before the week,
// one refused), commission entries and a reversal, a procedure without cost, working hours with a block
// and a holiday, surveys (one late, one unanswered) and reviews. Another clinic's rows never count; bad
// input is a 400/404 in pt-BR.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import {
  appointments, clinicDateOverrides, clinicHolidays, commissionEntries, npsSurveys, paymentRefunds, payments, procedures, professionalTimeBlocks, reviews,
} from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createClinicWithMembers, createTestApp, login } from '../support/app';
import { createReminderClinic } from '../support/reminder-fixtures';
import { violations } from '../support/openapi';

const NOW = new Date('2030-06-20T15:00:00Z');
const WEEK = 'from=2030-03-04&to=2030-03-10';
/** São Paulo wall-clock time (UTC−3). */
const sp = (day: string, time: string) => new Date(`2030-${day}T${time}:00-03:00`);

let tdb: TestDatabase;
let api: Awaited<ReturnType<typeof createTestApp>>;
let clinic: Awaited<ReturnType<typeof createReminderClinic>>;
let other: Awaited<ReturnType<typeof createReminderClinic>>;
let viewer: string;
let emptyViewer: string;

type Status = 'agendado' | 'confirmado' | 'realizado' | 'cancelado' | 'no_show';
type Source = 'painel' | 'whatsapp' | 'link' | 'google';

beforeAll(async () => {
  tdb = await createTestDatabase();
  api = await createTestApp(tdb.db, { now: () => NOW });
  clinic = await createReminderClinic(tdb.db, 'Clínica Relatórios');
  other = await createReminderClinic(tdb.db, 'Clínica Vizinha');
  const empty = await createClinicWithMembers(tdb.db, 'Clínica Nova');
  viewer = await login(api.app, clinic.members.view.email);
  emptyViewer = await login(api.app, empty.members.view.email);
  const c = clinic.clinic.id;
  const { helena, bruno, limpeza, botox, laser, ana, bia, carla } = clinic;

  // Costs per session: limpeza R$ 50, toxina R$ 300, laser unknown.
  await tdb.db.update(procedures).set({ costCents: 5000 }).where(eq(procedures.id, limpeza.id));
  await tdb.db.update(procedures).set({ costCents: 30000 }).where(eq(procedures.id, botox.id));

  // Hours (fixture): Mon–Fri 08–12 + 13–18 (540 min), Sat 08–12 (240). Wednesday 06/03 is a holiday;
  // Helena has a block Thu 07/03 11:00–14:00 (inside hours: 11–12 and 13–14 = 120 min) and is closed on Saturday 09/03.
  await tdb.db.insert(clinicHolidays).values({ clinicId: c, day: '2030-03-06', name: 'Quarta-feira de Cinzas' });
  await tdb.db.insert(clinicDateOverrides).values({ clinicId: c, professionalId: helena.id, day: '2030-03-09', closed: true, intervals: [], reason: 'Curso' });
  await tdb.db.insert(professionalTimeBlocks).values({ clinicId: c, professionalId: helena.id, startsAt: sp('03-07', '11:00'), endsAt: sp('03-07', '14:00'), kind: 'reuniao' });

  const appt = async (professionalId: string, procedureId: string, patientId: string, startsAt: Date, durationMinutes: number, status: Status, source: Source, priceCents: number, paid = false) => {
    const [row] = await tdb.db.insert(appointments).values({
      clinicId: c, professionalId, procedureId, patientId, startsAt, durationMinutes, status, source, priceCents, paymentStatus: paid ? 'pago' : 'pendente',
    }).returning();
    return row!;
  };
  // Helena (performs limpeza and toxina only)
  const h1 = await appt(helena.id, limpeza.id, ana.id, sp('03-04', '09:00'), 60, 'realizado', 'painel', 25000, true);
  const h2 = await appt(helena.id, botox.id, bia.id, sp('03-05', '10:00'), 30, 'realizado', 'whatsapp', 120000, true);
  await appt(helena.id, limpeza.id, bia.id, sp('03-07', '09:00'), 60, 'no_show', 'painel', 25000);
  await appt(helena.id, limpeza.id, ana.id, sp('03-08', '14:00'), 60, 'cancelado', 'link', 25000);
  const h5 = await appt(helena.id, botox.id, bia.id, sp('03-08', '15:00'), 30, 'confirmado', 'whatsapp', 120000);
  // Bruno (performs everything); B4 is on a Sunday, when he does not work.
  const b1 = await appt(bruno.id, laser.id, bia.id, sp('03-04', '09:00'), 90, 'realizado', 'painel', 40000, true);
  const b2 = await appt(bruno.id, laser.id, carla.id, sp('03-05', '13:00'), 90, 'realizado', 'painel', 40000);
  const b3 = await appt(bruno.id, limpeza.id, bia.id, sp('03-09', '09:00'), 60, 'realizado', 'whatsapp', 25000, true);
  await appt(bruno.id, limpeza.id, bia.id, sp('03-10', '10:00'), 60, 'no_show', 'painel', 25000);
  const b5 = await appt(bruno.id, laser.id, carla.id, sp('03-09', '10:00'), 90, 'realizado', 'link', 40000);
  // Before the week: Ana's earlier limpeza (she repeats it), paid only on 08/03.
  const e1 = await appt(helena.id, limpeza.id, ana.id, sp('01-15', '09:00'), 60, 'realizado', 'painel', 25000, true);
  // Ten days before now: too recent to judge a rebooking (pending).
  await appt(helena.id, limpeza.id, carla.id, sp('06-10', '10:00'), 60, 'realizado', 'painel', 25000);

  const pay = async (a: { id: string; patientId: string }, amountCents: number, processedAt: Date, o: { status?: 'aprovado' | 'recusado'; kind?: string; discountCents?: number; refundedCents?: number } = {}) => {
    const [row] = await tdb.db.insert(payments).values({
      clinicId: c, appointmentId: a.id, patientId: a.patientId, amountCents, method: 'pix', status: o.status ?? 'aprovado', processedAt, createdAt: processedAt,
      kind: o.kind ?? 'full', discountCents: o.discountCents ?? 0, refundedCents: o.refundedCents ?? 0,
    }).returning();
    return row!;
  };
  const p1 = await pay(h1, 25000, sp('03-04', '10:00'), { refundedCents: 5000 });
  const [r1] = await tdb.db.insert(paymentRefunds).values({ clinicId: c, paymentId: p1.id, amountCents: 5000, reason: 'Insatisfação parcial', createdAt: sp('03-06', '12:00') }).returning();
  const p2 = await pay(h2, 120000, sp('03-05', '10:40'));
  const p3 = await pay(b1, 40000, sp('03-04', '10:40'));
  const p4 = await pay(b3, 22500, sp('03-09', '10:10'), { discountCents: 2500 });
  const p5 = await pay(h5, 20000, sp('03-01', '12:00'), { kind: 'deposit' }); // before the week
  const p6 = await pay(e1, 25000, sp('03-08', '12:00')); // January's visit paid in the week
  await pay(b2, 40000, sp('03-05', '14:40'), { status: 'recusado' });

  await tdb.db.insert(commissionEntries).values([
    { clinicId: c, professionalId: helena.id, paymentId: p1.id, amountCents: 7500, baseCents: 25000, createdAt: sp('03-04', '10:00') },
    { clinicId: c, professionalId: helena.id, paymentId: p1.id, refundId: r1!.id, amountCents: -1500, baseCents: -5000, createdAt: sp('03-06', '12:00') },
    { clinicId: c, professionalId: helena.id, paymentId: p2.id, amountCents: 36000, baseCents: 120000, createdAt: sp('03-05', '10:40') },
    { clinicId: c, professionalId: bruno.id, paymentId: p3.id, amountCents: 10000, baseCents: 40000, createdAt: sp('03-04', '10:40') },
    { clinicId: c, professionalId: bruno.id, paymentId: p4.id, amountCents: 5625, baseCents: 22500, createdAt: sp('03-09', '10:10') },
    { clinicId: c, professionalId: helena.id, paymentId: p5.id, amountCents: 6000, baseCents: 20000, createdAt: sp('03-01', '12:00') }, // before the week
    { clinicId: c, professionalId: helena.id, paymentId: p6.id, amountCents: 7500, baseCents: 25000, createdAt: sp('03-08', '12:00') },
  ]);

  const survey = async (a: { id: string; patientId: string }, sentAt: Date, score: number | null, late = false) => {
    await tdb.db.insert(npsSurveys).values({
      clinicId: c, appointmentId: a.id, patientId: a.patientId, sentAt, score, answered: score !== null, answeredAt: score === null ? null : sentAt,
      status: score === null || late ? 'sem_resposta' : 'respondida', lateAnswer: late,
      npsClass: score === null ? null : score <= 6 ? 'detractor' : score <= 8 ? 'neutral' : 'promoter',
    });
  };
  await survey(h1, sp('03-04', '18:00'), 10);
  await survey(h2, sp('03-05', '18:00'), 9);
  await survey(b1, sp('03-04', '18:00'), 6);
  await survey(b3, sp('03-09', '18:00'), 8);
  await survey(b2, sp('03-05', '18:00'), 0, true); // late: sent, never in the score
  await survey(b5, sp('03-09', '18:00'), null); // unanswered
  await survey(e1, sp('01-15', '18:00'), 0); // sent before the week

  await tdb.db.insert(reviews).values([
    { clinicId: c, appointmentId: h1.id, patientId: ana.id, professionalId: helena.id, rating: 5, createdAt: sp('03-05', '09:00') },
    { clinicId: c, appointmentId: h2.id, patientId: bia.id, professionalId: helena.id, rating: 4, createdAt: sp('03-06', '09:00') },
    { clinicId: c, appointmentId: b1.id, patientId: bia.id, professionalId: bruno.id, rating: 3, createdAt: sp('03-05', '09:00') },
    { clinicId: c, appointmentId: e1.id, patientId: ana.id, professionalId: helena.id, rating: 1, createdAt: sp('01-16', '09:00') }, // before the week
  ]);

  // The neighbour: a paid, reviewed, surveyed limpeza in the same week, with commission — never counted here.
  const [theirs] = await tdb.db.insert(appointments).values({
    clinicId: other.clinic.id, professionalId: other.helena.id, procedureId: other.limpeza.id, patientId: other.carla.id,
    startsAt: sp('03-04', '09:00'), durationMinutes: 60, status: 'realizado', priceCents: 99900, paymentStatus: 'pago',
  }).returning();
  const [theirPay] = await tdb.db.insert(payments).values({
    clinicId: other.clinic.id, appointmentId: theirs!.id, patientId: other.carla.id, amountCents: 99900, method: 'pix', status: 'aprovado', processedAt: sp('03-04', '10:00'),
  }).returning();
  await tdb.db.insert(commissionEntries).values({ clinicId: other.clinic.id, professionalId: other.helena.id, paymentId: theirPay!.id, amountCents: 50000, baseCents: 99900, createdAt: sp('03-04', '10:00') });
  await tdb.db.insert(npsSurveys).values({ clinicId: other.clinic.id, appointmentId: theirs!.id, patientId: other.carla.id, sentAt: sp('03-04', '18:00'), score: 0, answered: true, status: 'respondida', npsClass: 'detractor' });
  await tdb.db.insert(reviews).values({ clinicId: other.clinic.id, appointmentId: theirs!.id, patientId: other.carla.id, professionalId: other.helena.id, rating: 1, createdAt: sp('03-05', '09:00') });
});
afterAll(async () => { await api?.close(); await tdb?.drop(); });

const get = (path: string, token = viewer) => api.app.request(`/api/reports/${path}`, { headers: bearer(token) });
const json = async (path: string, token = viewer) => {
  const r = await get(path, token);
  expect(r.status, path).toBe(200);
  return r.json();
};
const byName = (rows: Array<Record<string, unknown>>, name: string) => {
  const row = rows.find((r) => r.name === name);
  expect(row, name).toBeDefined();
  return row!;
};

describe('procedures report', () => {
  it('per procedure: appointments by status, net revenue on the day it moved, average charged, cost, commission, margin, repeat rate, NPS (view-only reads it)', async () => {
    const o = await json(`procedures?${WEEK}`);
    expect(o).toMatchObject({ from: '2030-03-04', to: '2030-03-10', filters: { professionalId: null, procedureId: null, channel: null } });
    expect(o.rows.map((r: { name: string }) => r.name)).toEqual(['Toxina botulínica', 'Limpeza de pele', 'Depilação a laser']); // by net revenue

    const limpeza = byName(o.rows, 'Limpeza de pele');
    expect(limpeza).toMatchObject({
      // H1 realizado, H3 no-show, H4 cancelado, B3 realizado, B4 no-show (Sunday).
      appointments: { total: 5, agendado: 0, confirmado: 0, realizado: 2, cancelado: 1, no_show: 2 },
      realisedVisits: 2,
      // P1 250,00 (04/03) + P4 225,00 (09/03) + P6 250,00 (08/03, for January's visit) = 725,00; refund 50,00 on 06/03.
      grossRevenueCents: 72500, refundsCents: 5000, netRevenueCents: 67500,
      // H1 paid 250 − 50 refunded = 200; B3 paid 225 → (20000 + 22500) / 2 = 21250 vs list 25000.
      chargedVisits: 2, chargedCents: 42500, averageChargedCents: 21250, listPriceCents: 25000, chargedToList: 0.85,
      costCents: 5000, totalCostCents: 10000, // 50,00 × 2 realised
      commissionCents: 7500 - 1500 + 7500 + 5625, // P1, its reversal, P6, P4 = 19125
      marginCents: 67500 - 10000 - 19125, // 38375
      // Ana did it in January (repeat), Bia only once → 1 / 2.
      repeatPatients: 2, repeatedPatients: 1, repeatRate: 0.5,
      // H1 10 (promoter), B3 8 (neutral) → (1 − 0) / 2 = 50.
      nps: { sent: 2, answered: 2, promoters: 1, detractors: 0, score: 50 },
    });
    expect(limpeza.marginShare).toBeCloseTo(38375 / 67500);

    expect(byName(o.rows, 'Toxina botulínica')).toMatchObject({
      appointments: { total: 2, realizado: 1, confirmado: 1 },
      // P2 1.200,00; the 200,00 deposit of H5 was paid on 01/03, before the period.
      grossRevenueCents: 120000, refundsCents: 0, netRevenueCents: 120000,
      averageChargedCents: 120000, chargedToList: 1,
      costCents: 30000, totalCostCents: 30000, commissionCents: 36000, // the deposit's 60,00 commission is from 01/03
      marginCents: 120000 - 30000 - 36000, // 54000
      repeatPatients: 1, repeatedPatients: 0, repeatRate: 0,
      nps: { sent: 1, answered: 1, promoters: 1, detractors: 0, score: 100 },
    });

    expect(byName(o.rows, 'Depilação a laser')).toMatchObject({
      appointments: { total: 3, realizado: 3 },
      realisedVisits: 3,
      // P3 400,00; B2's refused 400,00 is not money in; B5 unpaid.
      grossRevenueCents: 40000, netRevenueCents: 40000, chargedVisits: 1, averageChargedCents: 40000,
      costCents: null, totalCostCents: null, commissionCents: 10000, marginCents: null, marginShare: null, // no cost → no margin
      // Bia once, Carla twice in the week (B2, B5) → 1 / 2.
      repeatPatients: 2, repeatedPatients: 1, repeatRate: 0.5,
      // B1 6 (detractor); B2's late 0 and B5's unanswered are sent but not in the score → −100.
      nps: { sent: 3, answered: 1, promoters: 0, detractors: 1, score: -100 },
    });

    expect(o.totals).toMatchObject({
      appointments: { total: 10, agendado: 0, confirmado: 1, realizado: 6, cancelado: 1, no_show: 2 },
      realisedVisits: 6,
      grossRevenueCents: 232500, refundsCents: 5000, netRevenueCents: 227500,
      chargedVisits: 4, chargedCents: 202500, averageChargedCents: 50625, // 202500 / 4
      totalCostCents: null, marginCents: null, marginShare: null, withoutCost: 1, // laser has no cost
      commissionCents: 19125 + 36000 + 10000, // 65125
      repeatPatients: 5, repeatedPatients: 2, repeatRate: 0.4,
      nps: { sent: 6, answered: 4, promoters: 2, detractors: 1, score: 25 }, // (2 − 1) / 4
    });
    expect(o.definitions.marginCents).toMatch(/custo/);
  });

  it('filters by professional, procedure and channel (the appointment’s source)', async () => {
    const bruno = await json(`procedures?${WEEK}&professionalId=${clinic.bruno.id}`);
    expect(bruno.rows.map((r: { name: string }) => r.name)).toEqual(['Depilação a laser', 'Limpeza de pele']);
    expect(byName(bruno.rows, 'Limpeza de pele')).toMatchObject({
      appointments: { total: 2, realizado: 1, no_show: 1 }, netRevenueCents: 22500, commissionCents: 5625,
      marginCents: 22500 - 5000 - 5625, repeatPatients: 1, repeatedPatients: 0,
      nps: { sent: 1, answered: 1, score: 0 },
    });
    const whatsapp = await json(`procedures?${WEEK}&channel=whatsapp`);
    // H2 and H5 (toxina), B3 (limpeza) came through WhatsApp.
    expect(whatsapp.rows.map((r: { name: string; appointments: { total: number }; netRevenueCents: number }) => [r.name, r.appointments.total, r.netRevenueCents]))
      .toEqual([['Toxina botulínica', 2, 120000], ['Limpeza de pele', 1, 22500]]);
    const laser = await json(`procedures?${WEEK}&procedureId=${clinic.laser.id}`);
    expect(laser.rows).toHaveLength(1);
    expect(laser.totals).toMatchObject({ netRevenueCents: 40000, withoutCost: 1, marginCents: null });
    // A procedure asked for with nothing in the period: one row of zeros.
    const quiet = await json(`procedures?from=2030-02-01&to=2030-02-10&procedureId=${clinic.botox.id}`);
    expect(quiet.rows).toEqual([expect.objectContaining({ name: 'Toxina botulínica', realisedVisits: 0, netRevenueCents: 0, marginCents: 0, repeatRate: null, nps: expect.objectContaining({ score: null }) })]);
  });
});

describe('professionals report', () => {
  it('per professional: occupancy from hours − blocks − holidays, revenue, ticket, no-show and cancellation rates, NPS, reviews, commission, rebooking', async () => {
    const o = await json(`professionals?${WEEK}`);
    expect(o.rows.map((r: { name: string }) => r.name)).toEqual(['Dra. Helena Prado', 'Dr. Bruno Costa']);

    const helena = byName(o.rows, 'Dra. Helena Prado');
    expect(helena).toMatchObject({
      appointments: { total: 5, realizado: 2, cancelado: 1, no_show: 1 },
      // 5 weekdays × 540 + Saturday 240 = 2940; − Wednesday's holiday 540; − the block's 120 inside hours;
      // − Saturday, closed for her, 240 = 2040. Booked (not cancelled): H1 60 + H2 30 + H3 60 (no-show) + H5 30 = 180, all inside hours.
      availableMinutes: 2040, bookedMinutes: 180, bookedInHoursMinutes: 180,
      // P1 250 + P2 1.200 + P6 250 (January's visit, paid on 08/03) − 50 refunded = 1.650,00.
      grossRevenueCents: 170000, refundsCents: 5000, netRevenueCents: 165000,
      paidVisits: 2, ticketCents: 82500, // 165000 / 2 (H1, H2)
      noShowRate: 0.25, // 1 / (5 − 1)
      cancellationRate: 0.2, // 1 / 5
      nps: { sent: 2, answered: 2, promoters: 2, detractors: 0, score: 100 },
      reviews: { count: 2, stars: 9, average: 4.5 }, // January's 1 star is outside the period
      commissionCents: 7500 - 1500 + 36000 + 7500, // 49500
      // H1 (Ana): her only later booking is cancelled → not rebooked; H2 (Bia) → H3 on 07/03 → rebooked.
      rebooking: { eligible: 2, rebooked: 1, pending: 0, rate: 0.5 },
    });
    expect(helena.occupancy).toBeCloseTo(180 / 2040);

    const bruno = byName(o.rows, 'Dr. Bruno Costa');
    expect(bruno).toMatchObject({
      appointments: { total: 5, realizado: 4, cancelado: 0, no_show: 1 },
      // 2940 − 540 (holiday) = 2400. Booked: B1 90 + B2 90 + B3 60 + B4 60 (Sunday, outside hours) + B5 90 = 390; inside hours 330.
      availableMinutes: 2400, bookedMinutes: 390, bookedInHoursMinutes: 330, occupancy: 330 / 2400,
      grossRevenueCents: 62500, refundsCents: 0, netRevenueCents: 62500, // P3 400 + P4 225
      paidVisits: 2, ticketCents: 31250, // B1, B3
      noShowRate: 0.2, cancellationRate: 0,
      nps: { sent: 4, answered: 2, promoters: 0, detractors: 1, score: -50 }, // 6 and 8 in time; the late 0 and the unanswered apart
      reviews: { count: 1, stars: 3, average: 3 },
      commissionCents: 10000 + 5625,
      // B1 (Bia) → H2 on 05/03 ✓; B2 (Carla) → B5 on 09/03 ✓; B3 (Bia) → B4 on 10/03 (a no-show, still a booking) ✓; B5 (Carla) → nothing ✗.
      rebooking: { eligible: 4, rebooked: 3, pending: 0, rate: 0.75 },
    });

    expect(o.totals).toMatchObject({
      appointments: { total: 10, realizado: 6, cancelado: 1, no_show: 2 },
      availableMinutes: 4440, bookedMinutes: 570, bookedInHoursMinutes: 510, occupancy: 510 / 4440,
      netRevenueCents: 227500, paidVisits: 4, ticketCents: 56875, // 227500 / 4
      noShowRate: 2 / 9, cancellationRate: 0.1,
      nps: { sent: 6, answered: 4, promoters: 2, detractors: 1, score: 25 },
      reviews: { count: 3, stars: 12, average: 4 },
      commissionCents: 65125,
      rebooking: { eligible: 6, rebooked: 4, pending: 0 },
    });
    expect(o.totals.rebooking.rate).toBeCloseTo(4 / 6);
    // The two reports agree on what they share.
    const procs = await json(`procedures?${WEEK}`);
    expect(procs.totals).toMatchObject({ netRevenueCents: o.totals.netRevenueCents, commissionCents: o.totals.commissionCents, nps: o.totals.nps });
  });

  it('visits younger than 60 days are pending, outside the rebooking rate', async () => {
    const o = await json(`professionals?from=2030-06-01&to=2030-06-20&professionalId=${clinic.helena.id}`);
    expect(o.rows).toHaveLength(1);
    expect(o.rows[0].rebooking).toEqual({ eligible: 0, rebooked: 0, pending: 1, rate: null });
  });

  it('filters: a procedure only lists who performs it or did it; a professional only her row; a channel only its bookings', async () => {
    const laser = await json(`professionals?${WEEK}&procedureId=${clinic.laser.id}`);
    // Helena does not perform laser; Bruno's laser: B1 + B2 + B5 = 270 booked minutes over his 2400.
    expect(laser.rows.map((r: { name: string }) => r.name)).toEqual(['Dr. Bruno Costa']);
    expect(laser.rows[0]).toMatchObject({ appointments: { total: 3, realizado: 3 }, bookedInHoursMinutes: 270, availableMinutes: 2400, occupancy: 270 / 2400, netRevenueCents: 40000 });
    const helena = await json(`professionals?${WEEK}&professionalId=${clinic.helena.id}`);
    expect(helena.rows.map((r: { name: string }) => r.name)).toEqual(['Dra. Helena Prado']);
    expect(helena.totals).toMatchObject({ netRevenueCents: 165000, availableMinutes: 2040 });
    const link = await json(`professionals?${WEEK}&channel=link`);
    // H4 (cancelled, Helena) and B5 (Bruno) came from the public link.
    expect(byName(link.rows, 'Dra. Helena Prado')).toMatchObject({ appointments: { total: 1, cancelado: 1 }, bookedMinutes: 0, cancellationRate: 1, noShowRate: null });
    expect(byName(link.rows, 'Dr. Bruno Costa')).toMatchObject({ appointments: { total: 1, realizado: 1 }, bookedMinutes: 90, netRevenueCents: 0, ticketCents: null });
  });
});

describe('no data and bad input', () => {
  it('a clinic with no data: empty rows, zero totals, rates null', async () => {
    const procs = await json('procedures', emptyViewer);
    expect(procs.rows).toEqual([]);
    expect(procs.totals).toMatchObject({
      netRevenueCents: 0, realisedVisits: 0, averageChargedCents: null, marginCents: 0, repeatRate: null, withoutCost: 0, nps: { sent: 0, score: null },
    });
    const pros = await json('professionals', emptyViewer);
    expect(pros.rows).toEqual([]);
    expect(pros.totals).toMatchObject({
      availableMinutes: 0, occupancy: null, ticketCents: null, noShowRate: null, cancellationRate: null, reviews: { count: 0, average: null }, rebooking: { rate: null },
    });
  });

  it('refuses a bad period, an unknown or foreign professional or procedure, a bad channel and unknown parameters, in pt-BR', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['from=2010-01-01&to=2030-01-01', 400, /no máximo 2 anos/],
      ['from=2030-03-10&to=2030-03-01', 400, /anterior à final/],
      ['from=2030-02-30', 400, /Data inválida/],
      [`professionalId=${crypto.randomUUID()}`, 404, /Profissional não encontrado/],
      [`professionalId=${other.helena.id}`, 404, /Profissional não encontrado/],
      [`procedureId=${other.limpeza.id}`, 404, /Procedimento não encontrado/],
      ['professionalId=helena', 400, /Identificador inválido/],
      ['channel=instagram', 400, /Canal inválido/],
      ['x=1', 400, /"x":\["Campo não permitido/],
    ];
    for (const path of ['procedures', 'professionals']) {
      for (const [q, status, message] of cases) {
        const r = await get(`${path}?${q}`);
        expect(r.status, `${path}?${q}`).toBe(status);
        const body = await r.json();
        expect(body.error.code, q).toBe(status === 404 ? 'not_found' : 'validation_failed');
        expect(body.error.message, q).toMatch(/[a-zá-ú]{3}/);
        expect(JSON.stringify(body.error), q).toMatch(message);
      }
    }
  });
});

describe('OpenAPI', () => {
  it('both answers match their documented schema, field by field', async () => {
    const doc = await (await api.app.request('/openapi.json')).json();
    for (const path of ['procedures', 'professionals']) {
      const body = await json(`${path}?${WEEK}`);
      expect(body.rows.length).toBeGreaterThan(0);
      const schema = doc.paths[`/api/reports/${path}`].get.responses['200'].content['application/json'].schema;
      expect(violations(body, schema, doc), path).toEqual([]);
    }
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['ProcedureReport', 'ProcedureReportRow', 'ProfessionalReport', 'ProfessionalReportRow']));
  });
});

