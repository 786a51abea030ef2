// Relatórios › Coortes, Valor do paciente and Funil against a fixture computed by hand. Today is
// 20/06/2030 (São Paulo), so the current month is June 2030.
//
// Patients (realised visits R, other appointments in brackets; money on the day it moved):
//   Ana   (ouro)   R 10/01 limpeza painel 250 · R 15/02 250 (50 refunded on 02/03) · [no-show 10/03] · R 05/04 250
//   Bia   (ouro)   deposit 200 on 29/12/2029 · R 20/01 toxina painel 1.000 · R 25/02 (unpaid). Lead conversation c1
//                  converted into the 20/01 visit → channel Anna (the conversation rule).
//   Carla (prata)  R 05/03 laser link 400 · R 10/04 · [cancelled 10/05, from lead c9] · R 02/06 400
//   Dora  (novo)   source "Importação" · R 20/03 limpeza whatsapp 250 → channel import (before the WhatsApp booking)
//   Eva   (novo)   R 28/12/2029 limpeza painel 250 · R 15/01 (from lead c10)
//   Fabi  (novo)   R 05/06 toxina whatsapp 1.200 → channel Anna (the booking's source)
//   Gabi           [no-show 10/02, from lead c3]: never a customer
//   Hana           deleted (LGPD): R 12/02 with 999,00 → never counted
// The neighbour clinic has a customer, money, scores and a converted lead in the same months: never counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import {
  appointments, conversationQualifications, conversations, messageOutbox, patientScores, patients, paymentRefunds, payments,
} from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createClinicWithMembers, createTestApp, login } from '../support/app';
import { createReminderClinic } from '../support/reminder-fixtures';
import { violations } from '../support/openapi';

const NOW = new Date('2030-06-20T15:00:00Z');
/** São Paulo wall-clock time (UTC−3). */
const sp = (day: string, time = '10:00') => new Date(`${day}T${time}:00-03:00`);
const nulls = (n: number) => new Array<null>(n).fill(null);

let tdb: TestDatabase;
let api: Awaited<ReturnType<typeof createTestApp>>;
let clinic: Awaited<ReturnType<typeof createReminderClinic>>;
let viewer: string;
let emptyViewer: string;

type Status = 'agendado' | 'confirmado' | 'realizado' | 'cancelado' | 'no_show';
type Source = 'painel' | 'whatsapp' | 'link' | 'google';

beforeAll(async () => {
  tdb = await createTestDatabase();
  api = await createTestApp(tdb.db, { now: () => NOW });
  clinic = await createReminderClinic(tdb.db, 'Clínica Coortes', { qualificationThreshold: 60 });
  const other = await createReminderClinic(tdb.db, 'Clínica Vizinha');
  const empty = await createClinicWithMembers(tdb.db, 'Clínica Nova');
  viewer = await login(api.app, clinic.members.view.email);
  emptyViewer = await login(api.app, empty.members.view.email);
  const c = clinic.clinic.id;
  const { helena, limpeza, botox, laser, ana, bia, carla } = clinic;

  await tdb.db.update(patients).set({ classification: 'ouro' }).where(eq(patients.id, ana.id));
  await tdb.db.update(patients).set({ classification: 'ouro' }).where(eq(patients.id, bia.id));
  await tdb.db.update(patients).set({ classification: 'prata' }).where(eq(patients.id, carla.id));
  const [dora, eva, fabi, gabi, hana] = await tdb.db.insert(patients).values([
    { clinicId: c, name: 'Dora Reis', source: 'Importação' },
    { clinicId: c, name: 'Eva Prado' },
    { clinicId: c, name: 'Fabiana Luz', source: 'instagram' },
    { clinicId: c, name: 'Gabriela Sá' },
    { clinicId: c, name: 'Removida', deletedAt: sp('2030-05-01') },
  ]).returning();

  const appt = async (patientId: string, procedureId: string, day: string, status: Status, source: Source = 'painel', o: { clinicId?: string; professionalId?: string; confirmedAt?: Date } = {}) => {
    const [row] = await tdb.db.insert(appointments).values({
      clinicId: o.clinicId ?? c, professionalId: o.professionalId ?? helena.id, procedureId, patientId, startsAt: sp(day), durationMinutes: 60, status, source,
      priceCents: 25000, confirmedAt: o.confirmedAt,
    }).returning();
    return row!;
  };
  const pay = async (a: { patientId: string; id?: string | null }, amountCents: number, day: string, o: { refundedCents?: number; clinicId?: string; kind?: string } = {}) => {
    const [row] = await tdb.db.insert(payments).values({
      clinicId: o.clinicId ?? c, appointmentId: a.id ?? null, patientId: a.patientId, amountCents, method: 'pix', status: 'aprovado',
      processedAt: sp(day, '11:00'), createdAt: sp(day, '11:00'), refundedCents: o.refundedCents ?? 0, kind: o.kind ?? 'full',
    }).returning();
    return row!;
  };

  const ana1 = await appt(ana.id, limpeza.id, '2030-01-10', 'realizado');
  const ana2 = await appt(ana.id, limpeza.id, '2030-02-15', 'realizado');
  await appt(ana.id, limpeza.id, '2030-03-10', 'no_show');
  const ana4 = await appt(ana.id, limpeza.id, '2030-04-05', 'realizado');
  await pay(ana1, 25000, '2030-01-10');
  const p2 = await pay(ana2, 25000, '2030-02-15', { refundedCents: 5000 });
  await tdb.db.insert(paymentRefunds).values({ clinicId: c, paymentId: p2.id, amountCents: 5000, reason: 'Ajuste', createdAt: sp('2030-03-02') });
  await pay(ana4, 25000, '2030-04-05');

  const bia1 = await appt(bia.id, botox.id, '2030-01-20', 'realizado', 'painel', { confirmedAt: sp('2030-01-19') });
  await appt(bia.id, botox.id, '2030-02-25', 'realizado');
  await pay(bia1, 20000, '2029-12-29', { kind: 'deposit' });
  await pay(bia1, 100000, '2030-01-20');

  const carla1 = await appt(carla.id, laser.id, '2030-03-05', 'realizado', 'link', { professionalId: clinic.bruno.id });
  await appt(carla.id, laser.id, '2030-04-10', 'realizado', 'painel', { professionalId: clinic.bruno.id });
  const carlaCancelled = await appt(carla.id, laser.id, '2030-05-10', 'cancelado', 'whatsapp', { professionalId: clinic.bruno.id });
  const carla4 = await appt(carla.id, laser.id, '2030-06-02', 'realizado', 'painel', { professionalId: clinic.bruno.id });
  await pay(carla1, 40000, '2030-03-05');
  await pay(carla4, 40000, '2030-06-02');

  const dora1 = await appt(dora!.id, limpeza.id, '2030-03-20', 'realizado', 'whatsapp');
  await pay(dora1, 25000, '2030-03-20');

  const eva1 = await appt(eva!.id, limpeza.id, '2029-12-28', 'realizado');
  const eva2 = await appt(eva!.id, limpeza.id, '2030-01-15', 'realizado');
  await pay(eva1, 25000, '2029-12-28');

  const fabi1 = await appt(fabi!.id, botox.id, '2030-06-05', 'realizado', 'whatsapp');
  await pay(fabi1, 120000, '2030-06-05');

  const gabi1 = await appt(gabi!.id, botox.id, '2030-02-10', 'no_show', 'whatsapp');
  const hana1 = await appt(hana!.id, botox.id, '2030-02-12', 'realizado');
  await pay(hana1, 99900, '2030-02-12');

  // Leads (threshold 60: "qualified" is a score above 60).
  let phone = 0;
  const lead = async (day: string, o: { patientId?: string; score?: number; status?: 'aberta' | 'convertida' | 'abandonada' | 'spam'; appointmentId?: string; subject?: 'lead' | 'nps_detractor'; clinicId?: string } = {}) => {
    const [cv] = await tdb.db.insert(conversations).values({
      clinicId: o.clinicId ?? c, patientWhatsapp: `+55119100${String(++phone).padStart(5, '0')}`, patientId: o.patientId, startedAt: sp(day), lastMessageAt: sp(day),
      status: o.status ?? 'aberta', convertedAppointmentId: o.appointmentId, subject: o.subject ?? 'lead',
    }).returning();
    if (o.score !== undefined) await tdb.db.insert(conversationQualifications).values({ clinicId: o.clinicId ?? c, conversationId: cv!.id, score: o.score });
  };
  await lead('2029-12-28', { patientId: bia.id, score: 80, status: 'convertida', appointmentId: bia1.id }); // c1: realised 20/01, back 25/02 ✓
  await lead('2030-06-01', { patientId: fabi!.id, score: 90, status: 'convertida', appointmentId: fabi1.id }); // c2: realised 05/06, too recent
  await lead('2030-02-01', { patientId: gabi!.id, score: 75, status: 'convertida', appointmentId: gabi1.id }); // c3: no-show
  await lead('2030-03-01', { score: 65, status: 'abandonada' }); // c4: qualified, never booked
  await lead('2030-03-02', { patientId: dora!.id, score: 60, status: 'convertida', appointmentId: dora1.id }); // c5: booked without qualifying (60 is not above 60)
  await lead('2030-04-01'); // c6: no qualification yet
  await lead('2030-04-02', { score: 95, status: 'spam' }); // c7: spam, not a lead
  await lead('2030-04-03', { subject: 'nps_detractor' }); // c8: the staff's detractor conversation, not a lead
  await lead('2030-05-01', { patientId: carla.id, score: 70, status: 'convertida', appointmentId: carlaCancelled.id }); // c9: cancelled
  await lead('2030-01-05', { patientId: eva!.id, score: 85, status: 'convertida', appointmentId: eva2.id }); // c10: realised 15/01, never back

  // Reminders: Bia's (sent, confirmed, attended), Gabi's (sent, no-show), Ana's failed SMS.
  const reminder = async (a: { id: string; patientId: string }, channel: 'whatsapp' | 'sms', status: 'sent' | 'failed', day: string) => {
    await tdb.db.insert(messageOutbox).values({
      clinicId: c, channel, to: '+5511987650001', body: 'Lembrete', template: 'reminder_24h', status, idempotencyKey: `r:${a.id}:${channel}`,
      patientId: a.patientId, appointmentId: a.id, createdAt: sp(day, '09:00'),
    });
  };
  await reminder(bia1, 'whatsapp', 'sent', '2030-01-19');
  await reminder(gabi1, 'whatsapp', 'sent', '2030-02-09');
  await reminder(ana4, 'sms', 'failed', '2030-04-04');

  // Scores (patient_scores): Eva has none; Hana (deleted) is not a customer any more.
  const score = (patientId: string, pAlive: number, clvCents: number, clinicId = c) => ({
    clinicId, patientId, risk: Math.round((1 - pAlive) * 100), pAlive, expectedVisits: 1, clvCents, averageTicketCents: 25000, factors: [], features: [], scoredAt: sp('2030-06-20', '03:00'),
  });
  await tdb.db.insert(patientScores).values([
    score(ana.id, 0.95, 80000), score(bia.id, 0.3, 20000), score(carla.id, 0.55, 50000), score(dora!.id, 0.1, 10000), score(fabi!.id, 1, 150000),
    score(hana!.id, 0.5, 999999),
  ]);

  // The neighbour: a January customer with a return, money, a score and a converted qualified lead.
  const theirs = await appt(other.carla.id, other.limpeza.id, '2030-01-10', 'realizado', 'painel', { clinicId: other.clinic.id, professionalId: other.helena.id });
  await appt(other.carla.id, other.limpeza.id, '2030-02-10', 'realizado', 'painel', { clinicId: other.clinic.id, professionalId: other.helena.id });
  await pay(theirs, 999900, '2030-01-10', { clinicId: other.clinic.id });
  await tdb.db.insert(patientScores).values(score(other.carla.id, 0.5, 999999, other.clinic.id));
  await lead('2030-01-05', { clinicId: other.clinic.id, patientId: other.carla.id, score: 99, status: 'convertida', appointmentId: theirs.id });
});
afterAll(async () => { await api?.close(); await tdb?.drop(); });

const get = (path: string, token = viewer) => api.app.request(`/api/reports/${path}`, { headers: bearer(token) });
const json = async (path: string, token = viewer) => {
  const r = await get(path, token);
  expect(r.status, path).toBe(200);
  return r.json();
};
type Row = { month: string; segment: string | null; segmentLabel: string | null; size: number; retention: unknown[]; returned: unknown[]; incompleteOffsets: number[]; revenuePerPatientCents: unknown[]; cumulativeRevenueCents: unknown[] };

describe('cohorts', () => {
  it('by month of the first realised visit: size, retention +1…+12 (null ahead, the current month flagged), cumulative net revenue per patient', async () => {
    const o = await json('cohorts?from=2030-01-01&to=2030-06-30');
    expect(o).toMatchObject({ from: '2030-01-01', to: '2030-06-30', by: 'month', currentMonth: '2030-06', offsets: 12 });
    // Eva's first visit is in December (outside); Gabi never came; Hana is deleted.
    expect(o.rows.map((r: Row) => [r.month, r.size])).toEqual([['2030-01', 2], ['2030-03', 2], ['2030-06', 1]]);
    const [jan, mar, jun] = o.rows as Row[];

    // January (Ana, Bia): +1 Feb both (Ana 15/02, Bia 25/02) → 1; +2 Mar nobody (Ana's no-show does not count) → 0;
    // +3 Apr Ana → 0.5; +4 May 0; +5 June (under way) 0; +6… not begun.
    expect(jan.retention).toEqual([1, 0, 0.5, 0, 0, ...nulls(7)]);
    expect(jan.returned).toEqual([2, 0, 1, 0, 0, ...nulls(7)]);
    expect(jan.incompleteOffsets).toEqual([5]);
    // Month 0: Ana 250 + Bia's December deposit 200 (before the first visit's month: month 0) + 1.000 = 1.450,00;
    // +1 Ana 250 → 1.700; +2 the 50 refund on 02/03 → 1.650; +3 Ana 250 → 1.900; then flat. ÷ 2 patients.
    expect(jan.cumulativeRevenueCents).toEqual([145000, 170000, 165000, 190000, 190000, 190000, ...nulls(7)]);
    expect(jan.revenuePerPatientCents).toEqual([72500, 85000, 82500, 95000, 95000, 95000, ...nulls(7)]);

    // March (Carla, Dora): +1 Apr Carla → 0.5; +2 May 0 (Carla's cancelled booking does not count); +3 June Carla (02/06, under way) → 0.5.
    expect(mar.retention).toEqual([0.5, 0, 0.5, ...nulls(9)]);
    expect(mar.incompleteOffsets).toEqual([3]);
    // 400 + 250 = 650 in March; Carla's 400 on 02/06 at +3.
    expect(mar.revenuePerPatientCents).toEqual([32500, 32500, 32500, 52500, ...nulls(9)]);

    // June (Fabi): no month after it has begun.
    expect(jun.retention).toEqual(nulls(12));
    expect(jun.incompleteOffsets).toEqual([]);
    expect(jun.revenuePerPatientCents).toEqual([120000, ...nulls(12)]);

    // Pooled, each offset over the cohorts that reached it: +1 (2 + 1) / (2 + 2); +2 0 / 4; +3 (1 + 1) / 4; +4, +5 January only 0 / 2.
    expect(o.pooled.size).toBe(5);
    expect(o.pooled.retention).toEqual([0.75, 0, 0.5, 0, 0, ...nulls(7)]);
    // Month 0: (1.450 + 650 + 1.200) / 5 = 660; +1 (1.700 + 650) / 4 = 587,50; +2 (1.650 + 650) / 4 = 575; +3 (1.900 + 1.050) / 4 = 737,50; +4, +5 1.900 / 2.
    expect(o.pooled.revenuePerPatientCents).toEqual([66000, 58750, 57500, 73750, 95000, 95000, ...nulls(7)]);
    expect(o.segments).toEqual([]);
    expect(o.definitions.channel).toMatch(/importação/);
  });

  it('by acquisition channel: import before Anna, Anna by a converted conversation or a WhatsApp booking, link, dashboard', async () => {
    const o = await json('cohorts?from=2030-01-01&to=2030-06-30&by=channel');
    // Bia: c1 converted into her first visit (booked at the dashboard) → Anna; Ana: dashboard; Carla: the public link
    // (her later lead c9 converted after her first visit: not Anna); Dora: imported, although booked by WhatsApp; Fabi: booked by WhatsApp.
    expect(o.rows.map((r: Row) => [r.month, r.segment, r.size])).toEqual([
      ['2030-01', 'anna', 1], ['2030-01', 'painel', 1], ['2030-03', 'importacao', 1], ['2030-03', 'link', 1], ['2030-06', 'anna', 1],
    ]);
    const [janAnna, janPainel, , marLink] = o.rows as Row[];
    expect(janAnna).toMatchObject({ segmentLabel: 'Anna (WhatsApp)', retention: [1, 0, 0, 0, 0, ...nulls(7)] });
    expect(janAnna.cumulativeRevenueCents.slice(0, 6)).toEqual([120000, 120000, 120000, 120000, 120000, 120000]);
    expect(janPainel.retention.slice(0, 5)).toEqual([1, 0, 1, 0, 0]);
    expect(janPainel.cumulativeRevenueCents.slice(0, 6)).toEqual([25000, 50000, 45000, 70000, 70000, 70000]);
    expect(marLink.revenuePerPatientCents.slice(0, 5)).toEqual([40000, 40000, 40000, 80000, null]);
    // Anna's two cohorts together: +1 reached by January only → 1 / 1; month 0 (1.200 + 1.200) / 2.
    const anna = o.segments.find((s: { segment: string }) => s.segment === 'anna');
    expect(anna).toMatchObject({ size: 2, segmentLabel: 'Anna (WhatsApp)' });
    expect(anna.retention.slice(0, 2)).toEqual([1, 0]);
    expect(anna.revenuePerPatientCents[0]).toBe(120000);
    expect(o.pooled.retention).toEqual([0.75, 0, 0.5, 0, 0, ...nulls(7)]); // the split does not change the whole
  });

  it('the channel rules one by one (a clinic of its own): Anna’s earlier booking that did not happen, a later conversion, the origin typed by hand', async () => {
    const k = await createReminderClinic(tdb.db, 'Clínica Canais');
    const token = await login(api.app, k.members.view.email);
    const [ines, julia, lara] = await tdb.db.insert(patients).values([
      { clinicId: k.clinic.id, name: 'Inês' }, { clinicId: k.clinic.id, name: 'Júlia' }, { clinicId: k.clinic.id, name: 'Lara', source: ' WhatsApp ' },
    ]).returning();
    const at = async (patientId: string, day: string, status: Status) => (await tdb.db.insert(appointments).values({
      clinicId: k.clinic.id, professionalId: k.helena.id, procedureId: k.limpeza.id, patientId, startsAt: sp(day), durationMinutes: 60, status, source: 'painel', priceCents: 25000,
    }).returning())[0]!;
    const converted = async (patientId: string, appointmentId: string, day: string) => tdb.db.insert(conversations).values({
      clinicId: k.clinic.id, patientWhatsapp: `+5511920000${day.slice(8, 10)}`, patientId, startedAt: sp(day), lastMessageAt: sp(day), status: 'convertida', convertedAppointmentId: appointmentId,
    });
    // Inês: Anna booked 05/04, she missed it; the staff booked the visit of 20/04 → Anna (the conversion is before the first visit).
    await converted(ines!.id, (await at(ines!.id, '2030-04-05', 'no_show')).id, '2030-04-01');
    await at(ines!.id, '2030-04-20', 'realizado');
    // Júlia: first visit 10/04 at the dashboard; Anna converted a booking of 30/04 later → dashboard.
    await at(julia!.id, '2030-04-10', 'realizado');
    await converted(julia!.id, (await at(julia!.id, '2030-04-30', 'realizado')).id, '2030-04-25');
    // Lara: origin " WhatsApp " typed at the dashboard → Anna.
    await at(lara!.id, '2030-04-12', 'realizado');
    const o = await json('cohorts?from=2030-04-01&to=2030-04-30&by=channel', token);
    expect(o.rows.map((r: Row) => [r.month, r.segment, r.size])).toEqual([['2030-04', 'anna', 2], ['2030-04', 'painel', 1]]);
    const lt = await json('lifetime?segment=channel', token);
    expect(lt.rows.map((r: { segment: string; patients: number; averageVisits: number }) => [r.segment, r.patients, r.averageVisits])).toEqual([['anna', 2, 1], ['painel', 1, 2]]);
  });

  it('by the first visit’s procedure', async () => {
    const o = await json('cohorts?from=2030-01-01&to=2030-06-30&by=procedure');
    expect(o.rows.map((r: Row) => [r.month, r.segmentLabel, r.size])).toEqual([
      ['2030-01', 'Limpeza de pele', 1], ['2030-01', 'Toxina botulínica', 1],
      ['2030-03', 'Depilação a laser', 1], ['2030-03', 'Limpeza de pele', 1],
      ['2030-06', 'Toxina botulínica', 1],
    ]);
    expect(o.rows[0].segment).toBe(clinic.limpeza.id);
    const limpeza = o.segments.find((s: { segment: string }) => s.segment === clinic.limpeza.id);
    // Ana and Dora: +1 Ana → 1 / 2; month 0 (250 + 250) / 2.
    expect(limpeza).toMatchObject({ size: 2, segmentLabel: 'Limpeza de pele' });
    expect(limpeza.retention[0]).toBe(0.5);
    expect(limpeza.revenuePerPatientCents[0]).toBe(25000);
  });

  it('the period picks the cohorts; the default is the 12 months up to today', async () => {
    const mar = await json('cohorts?from=2030-03-01&to=2030-05-31');
    expect(mar.rows.map((r: Row) => r.month)).toEqual(['2030-03']);
    const d = await json('cohorts');
    expect(d).toMatchObject({ from: '2029-07-01', to: '2030-06-20' });
    // Eva's December cohort: her 15/01 visit is +1; 250 in December.
    expect(d.rows.map((r: Row) => [r.month, r.size])).toEqual([['2029-12', 1], ['2030-01', 2], ['2030-03', 2], ['2030-06', 1]]);
    expect(d.rows[0].retention.slice(0, 7)).toEqual([1, 0, 0, 0, 0, 0, null]);
    expect(d.rows[0].incompleteOffsets).toEqual([6]);
  });
});

describe('lifetime value', () => {
  const bin = (counts: Record<number, number>) => {
    const total = Object.values(counts).reduce((t, n) => t + n, 0);
    return Array.from({ length: 10 }, (_, i) => ({ from: i / 10, to: (i + 1) / 10, count: counts[i] ?? 0, share: total ? (counts[i] ?? 0) / total : null }));
  };

  it('observed CLV, visits and tenure by classification; predicted CLV and P(alive) from patient_scores; no acquisition cost', async () => {
    const o = await json('lifetime');
    expect(o.segment).toBe('classification');
    expect(o.scoredAt).toBe('2030-06-20T06:00:00.000Z');
    expect(o.rows.map((r: { segment: string }) => r.segment)).toEqual(['ouro', 'prata', 'novo']); // by observed CLV
    const [ouro, prata, novo] = o.rows;
    // Ouro = Ana (250 + 250 − 50 + 250 = 700; 3 visits; 10/01 → 20/06 = 161 days) and Bia (200 + 1.000 = 1.200; 2 visits; 151 days).
    expect(ouro).toMatchObject({
      segmentLabel: 'Ouro', patients: 2, netRevenueCents: 190000, observedClvCents: 95000, averageVisits: 2.5, averageTenureDays: 156,
      // Scores 800 (0.95) and 200 (0.3): mean = median = 500.
      predicted: { scored: 2, meanClvCents: 50000, medianClvCents: 50000 },
      acquisitionCostCents: null, clvToAcquisitionCost: null,
    });
    expect(ouro.pAlive).toEqual(bin({ 3: 1, 9: 1 }));
    // Prata = Carla: 400 + 400; 3 visits; 05/03 → 20/06 = 107 days; score 500 at 0.55.
    expect(prata).toMatchObject({ patients: 1, netRevenueCents: 80000, observedClvCents: 80000, averageVisits: 3, averageTenureDays: 107, predicted: { scored: 1, meanClvCents: 50000, medianClvCents: 50000 } });
    expect(prata.pAlive).toEqual(bin({ 5: 1 }));
    // Novo = Dora 250 (1 visit, 92 days), Eva 250 (2, 174 days: 28/12/2029 → 20/06), Fabi 1.200 (1, 15 days): 1.700 / 3 = 566,67;
    // visits 4 / 3; tenure 281 / 3 = 93,7. Eva has no score: Dora 100 (0.1) and Fabi 1.500 (1.0) → mean = median = 800.
    expect(novo).toMatchObject({
      patients: 3, netRevenueCents: 170000, observedClvCents: 56667, averageVisits: 1.33, averageTenureDays: 93.7,
      predicted: { scored: 2, meanClvCents: 80000, medianClvCents: 80000 },
    });
    expect(novo.pAlive).toEqual(bin({ 1: 1, 9: 1 }));
    // All six: 4.400 / 6 = 733,33; 12 visits / 6; 700 days / 6 = 116,7; scores 100, 200, 500, 800, 1.500 → mean 620, median 500.
    // Hana (deleted) and her 999,00 and score, Gabi (no visit) and the neighbour never count.
    expect(o.totals).toMatchObject({
      patients: 6, netRevenueCents: 440000, observedClvCents: 73333, averageVisits: 2, averageTenureDays: 116.7,
      predicted: { scored: 5, meanClvCents: 62000, medianClvCents: 50000 }, acquisitionCostCents: null, clvToAcquisitionCost: null,
    });
    expect(o.totals.pAlive).toEqual(bin({ 1: 1, 3: 1, 5: 1, 9: 2 }));
    expect(o.definitions.acquisitionCostCents).toMatch(/não registra custo de aquisição/);
  });

  it('by channel and by first procedure', async () => {
    const ch = await json('lifetime?segment=channel');
    // Anna: Bia 1.200 + Fabi 1.200; link: Carla 800; dashboard: Ana 700 + Eva 250; import: Dora 250.
    expect(ch.rows.map((r: { segment: string; patients: number; observedClvCents: number }) => [r.segment, r.patients, r.observedClvCents])).toEqual([
      ['anna', 2, 120000], ['link', 1, 80000], ['painel', 2, 47500], ['importacao', 1, 25000],
    ]);
    const pr = await json('lifetime?segment=first_procedure');
    // Toxina: Bia, Fabi; laser: Carla; limpeza: Ana 700, Dora 250, Eva 250 → 1.200 / 3.
    expect(pr.rows.map((r: { segmentLabel: string; patients: number; observedClvCents: number }) => [r.segmentLabel, r.patients, r.observedClvCents])).toEqual([
      ['Toxina botulínica', 2, 120000], ['Depilação a laser', 1, 80000], ['Limpeza de pele', 3, 40000],
    ]);
    expect(pr.totals).toMatchObject({ patients: 6, netRevenueCents: 440000 });
  });
});

describe('funnel', () => {
  const PERIOD = 'from=2029-12-01&to=2030-06-20';

  it('lead → qualified → booked → realised → returned, each over the one before, with the reminders and no-shows', async () => {
    const o = await json(`funnel?${PERIOD}`);
    expect(o).toMatchObject({ from: '2029-12-01', to: '2030-06-20', qualificationThreshold: 60, returnDays: 90 });
    expect(o.steps.map((s: { key: string; count: number; base: number | null }) => [s.key, s.count, s.base])).toEqual([
      // c1 c2 c3 c4 c5 c6 c9 c10 (c7 spam, c8 a detractor's conversation).
      ['lead', 8, null],
      // Above 60: c1 80, c2 90, c3 75, c4 65, c9 70, c10 85 (c5 is exactly 60; c6 has no score).
      ['qualified', 6, 8],
      // Converted: c1, c2, c3, c9, c10 (c4 abandoned).
      ['booked', 5, 6],
      // Realised: c1 (Bia 20/01), c2 (Fabi 05/06), c10 (Eva 15/01); c3 no-show, c9 cancelled.
      ['realised', 3, 5],
      // Judged (≥ 90 days ago, before 22/03): c1, c10; Fabi's is pending. Bia came back on 25/02; Eva never.
      ['returned', 1, 2],
    ]);
    expect(o.steps.map((s: { conversion: number | null }) => s.conversion)).toEqual([null, 0.75, 5 / 6, 0.6, 0.5]);
    expect(o.steps[4].ofFirst).toBe(1 / 8);
    expect(o.returned).toEqual({ judged: 2, pending: 1, returned: 1 });
    expect(o.lost).toEqual({ bookedWithoutQualification: 1, bookedNoShow: 1, bookedCancelled: 1 });
    // Reminders: Bia's and Gabi's sent (Ana's SMS failed); Bia confirmed and came; Gabi missed.
    expect(o.reminders).toEqual({ sent: 2, reminded: 2, confirmed: 1, attended: 1, noShow: 1, confirmationRate: 0.5, attendanceRate: 0.5 });
    // 16 appointments start in the period (Hana's too: the agenda's figure); 1 cancelled; no-shows Ana 10/03 and Gabi 10/02 → 2 / 15.
    expect(o.noShows).toEqual({ count: 2, appointments: 16, cancelled: 1, rate: 2 / 15 });
  });

  it('every step is a subset of the one before, in any period, and lead cohorts add up', async () => {
    const periods = ['from=2029-12-01&to=2030-06-20', 'from=2029-12-01&to=2030-02-28', 'from=2030-03-01&to=2030-06-20', 'from=2030-06-01&to=2030-06-20', 'from=2030-01-01&to=2030-01-31'];
    const out: number[][] = [];
    for (const q of periods) {
      const o = await json(`funnel?${q}`);
      for (let i = 1; i < o.steps.length; i++) {
        expect(o.steps[i].count, `${q} ${o.steps[i].key}`).toBeLessThanOrEqual(o.steps[i - 1].count);
        expect(o.steps[i].count, `${q} ${o.steps[i].key}`).toBeLessThanOrEqual(o.steps[i].base);
      }
      expect(o.returned.judged + o.returned.pending).toBe(o.steps[3].count);
      out.push(o.steps.map((s: { count: number }) => s.count));
    }
    // December–February plus March–June is the whole period, step by step.
    expect(out[1]!.map((n, i) => n + out[2]![i]!)).toEqual(out[0]);
  });
});

describe('no data and bad input', () => {
  it('a clinic with no data: empty rows, null rates', async () => {
    const co = await json('cohorts?by=channel', emptyViewer);
    expect(co).toMatchObject({ rows: [], segments: [], pooled: { size: 0 } });
    expect(co.pooled.retention).toEqual(nulls(12));
    const lt = await json('lifetime', emptyViewer);
    expect(lt).toMatchObject({ rows: [], scoredAt: null, totals: { patients: 0, observedClvCents: null, averageVisits: null, predicted: { scored: 0, meanClvCents: null, medianClvCents: null } } });
    expect(lt.totals.pAlive.every((b: { count: number; share: null }) => b.count === 0 && b.share === null)).toBe(true);
    const fu = await json('funnel', emptyViewer);
    expect(fu.steps.map((s: { count: number; conversion: null }) => [s.count, s.conversion])).toEqual(nulls(5).map(() => [0, null]));
    expect(fu).toMatchObject({ qualificationThreshold: 70, reminders: { sent: 0, confirmationRate: null }, noShows: { count: 0, rate: null } });
  });

  it('refuses bad periods, groupings, segments and unknown parameters in pt-BR', async () => {
    const cases: Array<[string, RegExp]> = [
      ['cohorts?from=2010-01-01&to=2030-01-01', /no máximo 2 anos/],
      ['cohorts?from=2030-03-10&to=2030-03-01', /anterior à final/],
      ['cohorts?from=2028-01-01&to=2030-01-01', /No máximo 24 coortes/], // 25 months, within 2 years
      ['cohorts?from=2030-02-30', /Data inválida/],
      ['cohorts?by=week', /Agrupamento inválido/],
      ['cohorts?x=1', /"x":\["Campo não permitido/],
      ['lifetime?segment=idade', /Segmento inválido/],
      ['lifetime?from=2030-01-01', /"from":\["Campo não permitido/],
      ['funnel?from=2010-01-01&to=2030-01-01', /no máximo 2 anos/],
      ['funnel?from=2030-03-10&to=2030-03-01', /anterior à final/],
      ['funnel?by=month', /"by":\["Campo não permitido/],
    ];
    for (const [q, message] of cases) {
      const r = await get(q);
      expect(r.status, q).toBe(400);
      const body = await r.json();
      expect(body.error.code, q).toBe('validation_failed');
      expect(JSON.stringify(body.error), q).toMatch(message);
    }
    expect((await api.app.request('/api/reports/cohorts')).status).toBe(401);
    // 24 months exactly is fine.
    expect((await get('cohorts?from=2028-02-01&to=2030-01-31')).status).toBe(200);
  });
});

describe('OpenAPI', () => {
  it('the three answers match their documented schema, field by field', async () => {
    const doc = await (await api.app.request('/openapi.json')).json();
    for (const [path, q] of [['cohorts', 'from=2030-01-01&to=2030-06-30&by=channel'], ['lifetime', 'segment=first_procedure'], ['funnel', 'from=2029-12-01&to=2030-06-20']]) {
      const body = await json(`${path}?${q}`);
      const schema = doc.paths[`/api/reports/${path}`].get.responses['200'].content['application/json'].schema;
      expect(violations(body, schema, doc), path).toEqual([]);
    }
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['CohortReport', 'CohortReportRow', 'LifetimeReport', 'FunnelReport']));
  });
});

