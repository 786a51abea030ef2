// Relatórios: the monthly report against a hand-computed month (and the previous month, and the same
// month last year), its PDF's text and its workbook read back against the API's figures; the forecast
// on a clinic with a weekly pattern (bands ordered, the agenda's floor, a backtest that beats the
// seasonal-naïve forecast) and on one with too little history; bad input in pt-BR; view-only may read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { PDFParse } from 'pdf-parse';
import { appointments, npsSurveys, patients, paymentRefunds, payments } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createTestApp, login } from '../support/app';
import { createReminderClinic } from '../support/reminder-fixtures';
import { createRandom } from '../../domain/random';

const NOW = new Date('2030-12-10T15:00:00Z'); // São Paulo: 10/12/2030 12:00
let tdb: TestDatabase;
let api: Awaited<ReturnType<typeof createTestApp>>;
let clinic: Awaited<ReturnType<typeof createReminderClinic>>;
let viewer: string;

/** 10:00 in São Paulo of a day. */
const at = (day: string, hour = 10) => new Date(`${day}T${String(hour + 3).padStart(2, '0')}:00:00Z`);

beforeAll(async () => {
  tdb = await createTestDatabase();
  api = await createTestApp(tdb.db, { now: () => NOW });
  clinic = await createReminderClinic(tdb.db, 'Clínica Relatório');
  const other = await createReminderClinic(tdb.db, 'Clínica Vizinha');
  viewer = await login(api.app, clinic.members.view.email);
  const c = clinic.clinic.id;
  const [nova, antiga] = await tdb.db.insert(patients).values([
    { clinicId: c, name: 'Nova Paciente', createdAt: at('2030-11-02') },
    { clinicId: c, name: 'Antiga Paciente', createdAt: at('2030-01-05') },
  ]).returning();
  const ap = (patientId: string, day: string, status: 'realizado' | 'cancelado' | 'no_show' | 'agendado', procedureId = clinic.limpeza.id, price = 25000) => ({
    clinicId: c, patientId, procedureId, professionalId: clinic.helena.id, startsAt: at(day), durationMinutes: 60, priceCents: price, status,
  });
  const [old, n1, a1, n2, , , ly] = await tdb.db.insert(appointments).values([
    ap(antiga!.id, '2030-06-10', 'realizado'), // before: makes Antiga "returning" in November
    ap(nova!.id, '2030-11-05', 'realizado'), // November: Nova's first visit
    ap(antiga!.id, '2030-11-12', 'realizado', clinic.botox.id, 120000),
    ap(nova!.id, '2030-11-20', 'realizado', clinic.botox.id, 120000),
    ap(antiga!.id, '2030-11-25', 'no_show'),
    ap(nova!.id, '2030-11-28', 'cancelado'),
    ap(antiga!.id, '2029-11-08', 'realizado'), // the same month last year
    ap(antiga!.id, '2030-10-15', 'realizado'), // the previous month
  ]).returning();
  void old;
  // November: 250,00 + 1.200,00 + 1.234,56 received; 234,56 refunded on 27/11 (of the 1.234,56). Net 2.450,00.
  const [p1, p2, p3] = await tdb.db.insert(payments).values([
    { clinicId: c, patientId: nova!.id, appointmentId: n1!.id, amountCents: 25000, method: 'pix', status: 'aprovado', processedAt: at('2030-11-05', 11) },
    { clinicId: c, patientId: antiga!.id, appointmentId: a1!.id, amountCents: 120000, method: 'cartao', status: 'aprovado', processedAt: at('2030-11-12', 11) },
    { clinicId: c, patientId: nova!.id, appointmentId: n2!.id, amountCents: 123456, method: 'cartao', status: 'reembolsado', refundedCents: 23456, processedAt: at('2030-11-20', 11) },
    { clinicId: c, patientId: antiga!.id, appointmentId: ly!.id, amountCents: 25000, method: 'pix', status: 'aprovado', processedAt: at('2029-11-08', 11) },
  ]).returning();
  void p1; void p2;
  await tdb.db.insert(paymentRefunds).values({ clinicId: c, paymentId: p3!.id, amountCents: 23456, reason: 'Retoque não feito', createdAt: at('2030-11-27') });
  await tdb.db.update(appointments).set({ paymentStatus: 'pago' }).where(inIds([n1!.id, a1!.id, n2!.id]));
  // Surveys sent in November: 10, 9, 3 answered in time; one late 0; one unanswered. NPS = (2 − 1) / 3 = 33.
  const sv = (appointmentId: string, patientId: string, score: number | null, late = false) => ({
    clinicId: c, appointmentId, patientId, sentAt: at('2030-11-21'), status: score === null || late ? 'sem_resposta' : 'respondida',
    score, npsClass: score === null ? null : score >= 9 ? 'promoter' : score >= 7 ? 'neutral' : 'detractor', answered: score !== null, lateAnswer: late,
  });
  await tdb.db.insert(npsSurveys).values([
    sv(n1!.id, nova!.id, 10), sv(a1!.id, antiga!.id, 9), sv(n2!.id, nova!.id, 3), sv(ly!.id, antiga!.id, 0, true),
  ]);
  // The neighbour's money never counts.
  await tdb.db.insert(payments).values({ clinicId: other.clinic.id, patientId: other.carla.id, amountCents: 999900, method: 'pix', status: 'aprovado', processedAt: at('2030-11-15') });
});
afterAll(async () => { await api?.close(); await tdb?.drop(); });

import { inArray } from 'drizzle-orm';
const inIds = (ids: string[]) => inArray(appointments.id, ids);
const get = (path: string, token = viewer) => api.app.request(`/api/reports/${path}`, { headers: bearer(token) });

describe('monthly report', () => {
  it('November 2030 against October and November 2029, by hand', async () => {
    const r = await get('monthly?month=2030-11');
    expect(r.status).toBe(200);
    const m = await r.json();
    expect(m).toMatchObject({ month: '2030-11', complete: true, throughDay: 30, clinic: { name: 'Clínica Relatório' } });
    expect(m.current.figures).toMatchObject({
      grossRevenueCents: 25000 + 120000 + 123456, refundsCents: 23456, revenueCents: 245000,
      appointments: 5, completed: 3, noShows: 1, cancelled: 1, paidVisits: 3, averageTicketCents: Math.round(245000 / 3),
    });
    expect(m.current.byStatus).toEqual({ agendado: 0, confirmado: 0, realizado: 3, cancelado: 1, no_show: 1 });
    expect(m.current.rates.noShow).toBeCloseTo(1 / 4); // no-shows ÷ appointments not cancelled
    expect(m.current.patients).toEqual({ firstVisit: 1, returning: 1 });
    expect(m.current.nps).toMatchObject({ sent: 4, answered: 3, promoters: 2, neutrals: 0, detractors: 1, score: 33 });
    expect(m.current.topProcedures).toEqual([
      expect.objectContaining({ name: clinic.botox.name, visits: 2, revenueCents: 120000 + 123456 - 23456 }),
      expect.objectContaining({ name: clinic.limpeza.name, visits: 1, revenueCents: 25000 }),
    ]);
    expect(m.previous).toMatchObject({ month: '2030-10', figures: { appointments: 1, completed: 1, revenueCents: 0 } });
    expect(m.lastYear).toMatchObject({ month: '2029-11', figures: { appointments: 1, grossRevenueCents: 25000 } });
    expect(m.current.reminders.map((x: { channel: string }) => x.channel)).toEqual(['whatsapp', 'sms', 'email', 'total']);
    expect(m.series).toHaveLength(30);
    expect(m.series.find((d: { day: string }) => d.day === '2030-11-27')).toMatchObject({ refundsCents: 23456, revenueCents: -23456 });
  });

  it('the month in progress is compared day for day', async () => {
    const m = await (await get('monthly')).json();
    expect(m).toMatchObject({ month: '2030-12', complete: false, throughDay: 10 });
    expect(m.previous).toMatchObject({ from: '2030-11-01', to: '2030-11-10' });
    expect(m.previous.figures.completed).toBe(1); // only the 05/11 visit is in days 1–10
  });

  it('PDF: the clinic, the month, the figures in pt-BR and page numbers, as the API has them', async () => {
    const r = await get('monthly?month=2030-11&format=pdf');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="relatorio-mensal-2030-11.pdf"');
    const text = (await new PDFParse({ data: new Uint8Array(await r.arrayBuffer()) }).getText()).text.replace(/\s+/g, ' ');
    expect(text).toContain('Clínica Relatório');
    expect(text).toContain('Relatório mensal — novembro de 2030');
    expect(text).toMatch(/Faturamento líquido R\$\s2\.450,00/);
    expect(text).toMatch(/Reembolsos R\$\s234,56/);
    expect(text).toContain('Taxa de faltas 25,0%');
    expect(text).toMatch(/página 1 de \d/);
  });

  it('Excel: the summary sheet holds the same numbers, typed', async () => {
    const r = await get('monthly?month=2030-11&format=xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await r.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Resumo', 'Dias', 'Procedimentos', 'Lembretes']);
    const ws = wb.getWorksheet('Resumo')!;
    const rowOf = (label: string) => { let found: ExcelJS.Row | undefined; ws.eachRow((row) => { if (row.getCell(1).value === label) found = row; }); return found!; };
    expect(rowOf('Faturamento líquido').getCell(2).value).toBe(2450);
    expect(rowOf('Taxa de faltas (%)').getCell(3).value).toBe(25);
    expect(rowOf('NPS').getCell(3).value).toBe(33);
    expect(wb.getWorksheet('Dias')!.rowCount).toBe(31);
  });

  it('refuses a bad month in pt-BR; a clinic with no data gets zeros', async () => {
    for (const q of ['month=2030-13', 'month=nov', 'month=2031-01', 'month=1999-12', 'format=doc', 'x=1']) {
      const r = await get(`monthly?${q}`);
      expect(r.status, q).toBe(400);
      expect((await r.json()).error.message, q).toMatch(/[a-zá-ú]{3}/);
    }
    const empty = await (await get('monthly?month=2001-01')).json();
    expect(empty.current.figures.revenueCents).toBe(0);
    expect(empty.current.nps.score).toBeNull();
  });
});

describe('forecast', () => {
  it('on a weekly pattern: 30 ordered bands, the agenda as a floor, Sundays closed, a backtest that beats the seasonal naïve', async () => {
    const weekly = await createReminderClinic(tdb.db, 'Clínica Semanal');
    const token = await login(api.app, weekly.members.view.email);
    const c = weekly.clinic.id;
    const perWeekday = [0, 4, 6, 5, 7, 9, 3];
    const rnd = createRandom('reports-forecast'); // Sunday … Saturday, plus a slow upward trend
    const rows: (typeof appointments.$inferInsert)[] = [];
    for (let i = 180; i >= 1; i--) {
      const day = new Date(NOW.getTime() - i * 86_400_000).toISOString().slice(0, 10);
      const base = perWeekday[new Date(`${day}T12:00:00Z`).getUTCDay()]!;
      // Noise of ±2 and a slow trend (+1 over the half year) on open days: the seasonal naïve repeats last week's noise.
      const n = base ? Math.max(0, Math.round(base + (180 - i) / 180 + (rnd.next() - 0.5) * 4)) : 0;
      for (let k = 0; k < n; k++) rows.push({ clinicId: c, patientId: weekly.carla.id, procedureId: weekly.limpeza.id, professionalId: weekly.helena.id, startsAt: new Date(at(day, 8).getTime() + k * 40 * 60_000), durationMinutes: 30, priceCents: 20000, status: 'realizado' });
    }
    // Already booked: 12 appointments on 12/12/2030 (a Thursday: far above its usual ~8).
    for (let k = 0; k < 12; k++) rows.push({ clinicId: c, patientId: weekly.carla.id, procedureId: weekly.limpeza.id, professionalId: weekly.helena.id, startsAt: new Date(at('2030-12-12', 8).getTime() + k * 40 * 60_000), durationMinutes: 30, priceCents: 20000, status: 'agendado' });
    await tdb.db.insert(appointments).values(rows);
    const r = await get('forecast?metric=appointments&horizon=30', token);
    expect(r.status).toBe(200);
    const f = await r.json();
    expect(f).toMatchObject({ metric: 'appointments', horizon: 30, asOf: '2030-12-09', note: null });
    expect(f.days).toHaveLength(30);
    expect(f.days[0].day).toBe('2030-12-10');
    for (const d of f.days) expect(d.lo95 <= d.lo80 && d.lo80 <= d.mean && d.mean <= d.hi80 && d.hi80 <= d.hi95, d.day).toBe(true);
    const thursday = f.days.find((d: { day: string }) => d.day === '2030-12-12');
    expect(thursday).toMatchObject({ booked: 12 });
    expect(thursday.lo95).toBeGreaterThanOrEqual(12);
    const sunday = f.days.find((d: { day: string }) => d.day === '2030-12-15');
    expect(sunday.mean).toBe(0);
    const friday = f.days.find((d: { day: string }) => d.day === '2030-12-13');
    expect(friday.mean).toBeGreaterThan(7); // Fridays run at 9–10
    expect(f.backtest.beatsSeasonalNaive).toBe(true);
    expect(f.backtest.mase).toBeLessThan(f.backtest.maseSeasonalNaive);
    expect(f.backtest.coverage80).toBeGreaterThan(0.5);
    const revenue = await (await get('forecast?metric=revenue&horizon=90', token)).json();
    expect(revenue.days).toHaveLength(90);
    expect(revenue.realisation).toBe(0); // nothing was paid: booked value does not become revenue
  });

  it('a clinic without history gets a note, not a forecast; bad parameters are 400', async () => {
    const fresh = await createReminderClinic(tdb.db, 'Clínica Nova');
    const token = await login(api.app, fresh.members.view.email);
    const f = await (await get('forecast?metric=appointments&horizon=30', token)).json();
    expect(f.days).toEqual([]);
    expect(f.note).toMatch(/pelo menos 28 dias de histórico/);
    for (const q of ['horizon=45', 'metric=lucro', 'y=2']) {
      const r = await get(`forecast?${q}`);
      expect(r.status, q).toBe(400);
      expect((await r.json()).error.message, q).toMatch(/[a-zá-ú]{3}/);
    }
  });
});
