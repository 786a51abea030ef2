// The patient's signed pages after the visit (no login): the one-tap survey, the neutral's form, the
// promoter's review, the upsell's booking. A tampered or expired token changes nothing; answers are stored
// once; bad input gets a pt-BR 4xx; a late answer is recorded as late.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { loadEnv, secrets } from '../../config/env';
import { appointments, coupons, feedbackResponses, npsSurveys, professionalProcedures, reactivationCampaigns, reactivationTargets, reviews, upsellOffers } from '../../db/schema';
import { signPatientLink } from '../../domain/signed-links';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { createTestApp } from '../support/app';
import { createReminderClinic } from '../support/reminder-fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2030-03-04T15:00:00Z'); // a Monday, 12:00 in São Paulo
const secret = secrets(loadEnv({ NODE_ENV: 'test' })).linkSecret;

let tdb: TestDatabase;
let api: Awaited<ReturnType<typeof createTestApp>>;
let clinic: Awaited<ReturnType<typeof createReminderClinic>>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  api = await createTestApp(tdb.db, { now: () => NOW });
  clinic = await createReminderClinic(tdb.db, 'Clínica Retorno');
});
afterAll(async () => {
  await api?.close();
  await tdb?.drop();
});

async function survey(o: { status?: string; expiresAt?: Date } = {}) {
  const [a] = await tdb.db.insert(appointments).values({
    clinicId: clinic.clinic.id, patientId: clinic.carla.id, procedureId: clinic.limpeza.id, professionalId: clinic.helena.id,
    startsAt: new Date(NOW.getTime() - 26 * HOUR - Math.floor(Math.random() * 1e6) * 60_000), durationMinutes: 60, priceCents: 25000, status: 'realizado',
  }).returning();
  const [s] = await tdb.db.insert(npsSurveys).values({
    clinicId: clinic.clinic.id, appointmentId: a.id, patientId: clinic.carla.id, status: o.status ?? 'enviada', channel: 'whatsapp',
    sentAt: new Date(NOW.getTime() - HOUR), expiresAt: o.expiresAt ?? new Date(NOW.getTime() + 6 * DAY),
  }).returning();
  return s;
}
const tok = (kind: 'nps' | 'feedback' | 'review' | 'booking', id: string, exp = NOW.getTime() + DAY) => signPatientLink(secret, kind, id, exp);
const req = (path: string, body?: unknown) => api.app.request(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the one-tap survey page', () => {
  it('shows the visit, takes a score and comment once, and points a promoter to the review', async () => {
    const s = await survey();
    const t = tok('nps', s.id);
    const view = await req(`/api/public/nps/${t}`);
    expect(view.status).toBe(200);
    const shown = await view.json();
    expect(shown).toMatchObject({ state: 'open', visit: { clinicName: 'Clínica Retorno', patientFirstName: 'Carla', procedure: 'Limpeza de pele' } });
    expect(shown.visit.professionalRef).toMatch(/^(a Dra\. |o Dr\. )?\S/);
    expect(shown.question).toContain(`com ${shown.visit.professionalRef}?`);
    expect(shown.question).toMatch(/^De 0 a 10, quanto você recomendaria a Clínica Retorno a amigos e familiares, pensando no seu atendimento de Limpeza de pele com .+\?$/);

    const r = await req(`/api/public/nps/${t}`, { score: 10, comment: 'Maravilhosa!' });
    expect(r.status).toBe(200);
    const body = await r.json();
    expect(body).toMatchObject({ outcome: 'recorded', score: 10, next: { kind: 'review' } });
    expect(body.next.url).toMatch(/\/p\/avaliar\//);
    const [row] = await tdb.db.select().from(npsSurveys).where(eq(npsSurveys.id, s.id));
    expect(row).toMatchObject({ status: 'respondida', score: 10, npsClass: 'promoter', answeredVia: 'link', comment: 'Maravilhosa!', sentimentLabel: 'positivo' });

    const again = await req(`/api/public/nps/${t}`, { score: 2 });
    expect(await again.json()).toMatchObject({ outcome: 'already', score: 10 });

    // The review page from the next step.
    const rt = body.next.url.split('/p/avaliar/')[1];
    expect((await req(`/api/public/reviews/${rt}`, { rating: 5, comment: 'Atendimento impecável' })).status).toBe(200);
    expect(await (await req(`/api/public/reviews/${rt}`, { rating: 1 })).json()).toMatchObject({ outcome: 'already' });
    const [rev] = await tdb.db.select().from(reviews).where(eq(reviews.appointmentId, s.appointmentId));
    expect(rev).toMatchObject({ rating: 5, professionalId: clinic.helena.id });
  });

  it('refuses bad scores with a pt-BR message and stores nothing', async () => {
    const s = await survey();
    const t = tok('nps', s.id);
    for (const bad of [{ score: 11 }, { score: -1 }, { score: 7.5 }, { score: '9' }, {}, { score: 9, comment: 'x'.repeat(5000) }, { score: 9, extra: 1 }]) {
      const r = await req(`/api/public/nps/${t}`, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect((await r.json()).error.message).toMatch(/[a-zç]/);
    }
    const [row] = await tdb.db.select().from(npsSurveys).where(eq(npsSurveys.id, s.id));
    expect(row.score).toBeNull();
  });

  it('a tampered token is 400, an expired one 410, a token for another page 400; nothing changes', async () => {
    const s = await survey();
    const t = tok('nps', s.id);
    const tampered = `${t.slice(0, -2)}xx`;
    expect((await req(`/api/public/nps/${tampered}`, { score: 9 })).status).toBe(400);
    expect((await req(`/api/public/nps/${tok('nps', s.id, NOW.getTime() - 1)}`, { score: 9 })).status).toBe(410);
    const other = await req(`/api/public/nps/${tok('feedback', s.id)}`, { score: 9 });
    expect(other.status).toBe(400);
    expect((await other.json()).error.code).toBe('link_invalid');
    const [row] = await tdb.db.select().from(npsSurveys).where(eq(npsSurveys.id, s.id));
    expect(row.score).toBeNull();
  });

  it('after the expiry the answer is recorded as late and starts nothing', async () => {
    const s = await survey({ status: 'sem_resposta', expiresAt: new Date(NOW.getTime() - DAY) });
    const r = await req(`/api/public/nps/${tok('nps', s.id)}`, { score: 4 });
    expect(await r.json()).toMatchObject({ outcome: 'late', next: null });
    const [row] = await tdb.db.select().from(npsSurveys).where(eq(npsSurveys.id, s.id));
    expect(row).toMatchObject({ status: 'sem_resposta', score: 4, lateAnswer: true, followUpStatus: null });
  });
});

describe('the feedback form', () => {
  it('stores the aspects and comment once; refuses an unknown aspect and an empty answer', async () => {
    const s = await survey();
    const t = tok('feedback', s.id);
    expect(await (await req(`/api/public/feedback/${t}`)).json()).toMatchObject({ state: 'open', aspects: expect.arrayContaining([{ key: 'pontualidade', label: 'Pontualidade' }]) });
    expect((await req(`/api/public/feedback/${t}`, { aspects: ['bolo'] })).status).toBe(400);
    expect((await req(`/api/public/feedback/${t}`, { aspects: [] })).status).toBe(400);
    expect(await (await req(`/api/public/feedback/${t}`, { aspects: ['pontualidade', 'preco'], comment: 'Atrasou um pouco' })).json()).toMatchObject({ outcome: 'recorded' });
    expect(await (await req(`/api/public/feedback/${t}`, { aspects: ['limpeza'] })).json()).toMatchObject({ outcome: 'already' });
    const rows = await tdb.db.select().from(feedbackResponses).where(eq(feedbackResponses.surveyId, s.id));
    expect(rows).toHaveLength(1);
    expect(rows[0].aspects).toEqual(['pontualidade', 'preco']);
  });
});

describe('the upsell booking link', () => {
  it('shows free slots for the offered procedure, books one, and refuses a taken slot or a closed offer', async () => {
    await tdb.db.insert(professionalProcedures).values({ clinicId: clinic.clinic.id, professionalId: clinic.helena.id, procedureId: clinic.botox.id }).onConflictDoNothing();
    const [offer] = await tdb.db.insert(upsellOffers).values({
      clinicId: clinic.clinic.id, patientId: clinic.carla.id, seq: 1, workflowId: `upsell:${clinic.carla.id}:1`, procedureId: clinic.botox.id,
      status: 'enviada', sentAt: NOW, expiresAt: new Date(NOW.getTime() + 14 * DAY),
    }).returning();
    const [coupon] = await tdb.db.insert(coupons).values({
      clinicId: clinic.clinic.id, code: 'MAIS-ABCD23', patientId: clinic.carla.id, percentOff: 10, validUntil: new Date(NOW.getTime() + 14 * DAY), origin: 'upsell', upsellOfferId: offer.id,
    }).returning();
    await tdb.db.update(upsellOffers).set({ couponId: coupon.id }).where(eq(upsellOffers.id, offer.id));
    const t = tok('booking', offer.id, offer.expiresAt!.getTime());
    const view = await (await req(`/api/public/booking/${t}`)).json();
    expect(view).toMatchObject({ state: 'open', patientFirstName: 'Carla', procedure: { name: 'Toxina botulínica' }, coupon: { code: 'MAIS-ABCD23', label: '10%' }, validUntil: '18/03/2030' });
    // What the page shows: the clinic's address and zone, today's price and the price with the coupon.
    expect(view).toMatchObject({ timezone: 'America/Sao_Paulo', clinic: { name: 'Clínica Retorno' } });
    expect(view.procedure.priceCents).toBeGreaterThan(0);
    expect(view.coupon.priceWithCouponCents).toBe(view.procedure.priceCents - Math.floor((view.procedure.priceCents * 1000 + 5000) / 10000));
    expect(view.slots.length).toBeGreaterThan(3);
    const slot = view.slots[0];
    expect([clinic.helena.id, clinic.bruno.id]).toContain(slot.professionalId);

    const bad = await req(`/api/public/booking/${t}`, { startsAt: 'amanhã', professionalId: slot.professionalId });
    expect(bad.status).toBe(400);
    const booked = await req(`/api/public/booking/${t}`, { startsAt: slot.startsAt, professionalId: slot.professionalId });
    expect(booked.status).toBe(200);
    const done = await booked.json();
    expect(done).toMatchObject({ outcome: 'booked', date: slot.date, time: slot.time, professional: slot.professional });
    expect(await (await req(`/api/public/booking/${t}`)).json()).toMatchObject({
      state: 'booked', slots: [], booked: { appointmentId: done.appointmentId, date: slot.date, time: slot.time, professional: slot.professional },
    });
    expect(await (await req(`/api/public/booking/${t}`, { startsAt: view.slots[1].startsAt, professionalId: slot.professionalId })).json())
      .toMatchObject({ outcome: 'already', appointmentId: done.appointmentId, date: slot.date });
    const [appt] = await tdb.db.select().from(appointments).where(eq(appointments.id, done.appointmentId));
    expect(appt).toMatchObject({ procedureId: clinic.botox.id, patientId: clinic.carla.id, source: 'link', status: 'agendado' });

    // Another offer for the same slot: taken.
    const [offer2] = await tdb.db.insert(upsellOffers).values({
      clinicId: clinic.clinic.id, patientId: clinic.carla.id, seq: 2, workflowId: `upsell:${clinic.carla.id}:2`, procedureId: clinic.botox.id,
      status: 'enviada', sentAt: NOW, expiresAt: new Date(NOW.getTime() + 14 * DAY),
    }).returning();
    const t2 = tok('booking', offer2.id, offer2.expiresAt!.getTime());
    const taken = await req(`/api/public/booking/${t2}`, { startsAt: slot.startsAt, professionalId: slot.professionalId });
    expect(taken.status).toBe(409);
    await tdb.db.update(upsellOffers).set({ status: 'ignorou' }).where(eq(upsellOffers.id, offer2.id));
    const closed = await req(`/api/public/booking/${t2}`, { startsAt: view.slots[1].startsAt, professionalId: slot.professionalId });
    expect(closed.status).toBe(410);
    expect((await closed.json()).error.code).toBe('offer_closed');
  });

  it('two taps at once on different slots book one appointment; the other answers with it', async () => {
    const [offer] = await tdb.db.insert(upsellOffers).values({
      clinicId: clinic.clinic.id, patientId: clinic.carla.id, seq: 3, workflowId: `upsell:${clinic.carla.id}:3`, procedureId: clinic.botox.id,
      status: 'enviada', sentAt: NOW, expiresAt: new Date(NOW.getTime() + 14 * DAY),
    }).returning();
    const t = tok('booking', offer.id, offer.expiresAt!.getTime());
    const { slots } = await (await req(`/api/public/booking/${t}`)).json();
    const answers = await Promise.all([slots[2], slots[3]].map(async (s) => (await req(`/api/public/booking/${t}`, { startsAt: s.startsAt, professionalId: s.professionalId })).json()));
    expect(answers.map((a) => a.outcome).sort()).toEqual(['already', 'booked']);
    expect(answers[0].appointmentId).toBe(answers[1].appointmentId);
    const mine = await tdb.db.select().from(appointments).where(eq(appointments.notes, 'Agendado pelo link da oferta (upsell)'));
    expect(mine.filter((a) => a.id === answers[0].appointmentId)).toHaveLength(1);
    expect(mine).toHaveLength(2); // the first test's and this one
  });
});

describe('the reactivation booking link (the saudade message)', () => {
  it('offers her last procedure with the coupon, books it and holds the return on the target; closed after "não tenho interesse"', async () => {
    // Her last realised visit was a Limpeza de pele (seeded by survey() above as realizado).
    await survey();
    const campaign = async (day: string) => (await tdb.db.insert(reactivationCampaigns).values({ clinicId: clinic.clinic.id, day, seed: 's', holdoutShare: 0.1, eligible: 1, contacted: 1, control: 0 }).returning())[0]!;
    const [coupon] = await tdb.db.insert(coupons).values({
      clinicId: clinic.clinic.id, code: 'SAUDADE-ABCD23', patientId: clinic.carla.id, percentOff: 15, validUntil: new Date(NOW.getTime() + 30 * DAY), origin: 'reactivation',
    }).returning();
    const target = async (status: string) => (await tdb.db.insert(reactivationTargets).values({
      clinicId: clinic.clinic.id, campaignId: (await campaign(status === 'enviada' ? '2030-03-04' : '2030-03-05')).id, patientId: clinic.carla.id, arm: 'contacted', seq: status === 'enviada' ? 1 : 2,
      workflowId: `reactivation:${clinic.carla.id}:${status === 'enviada' ? 1 : 2}`, risk: 85, pAlive: 0.2, clvCents: 40000, factors: [], features: [],
      status, sentAt: NOW, windowEndsAt: new Date(NOW.getTime() + 45 * DAY), couponId: coupon.id, ...(status === 'enviada' ? {} : { outcome: 'nao_voltou', skipReason: 'sem_interesse' }),
    }).returning())[0]!;
    const open = await target('enviada');
    const t = tok('booking', open.id, open.windowEndsAt.getTime());
    const view = await (await req(`/api/public/booking/${t}`)).json();
    expect(view).toMatchObject({ state: 'open', patientFirstName: 'Carla', procedure: { name: 'Limpeza de pele' }, coupon: { code: 'SAUDADE-ABCD23', label: '15%' } });
    expect(view.slots.length).toBeGreaterThan(0);
    const slot = view.slots[0];
    const booked = await (await req(`/api/public/booking/${t}`, { startsAt: slot.startsAt, professionalId: slot.professionalId })).json();
    expect(booked).toMatchObject({ outcome: 'booked' });
    const [row] = await tdb.db.select().from(reactivationTargets).where(eq(reactivationTargets.id, open.id));
    expect(row.returnedAppointmentId).toBe(booked.appointmentId);
    const [appt] = await tdb.db.select().from(appointments).where(eq(appointments.id, booked.appointmentId));
    expect(appt).toMatchObject({ procedureId: clinic.limpeza.id, patientId: clinic.carla.id, source: 'link', notes: 'Agendado pelo link da reativação' });
    expect(await (await req(`/api/public/booking/${t}`)).json()).toMatchObject({ state: 'booked', booked: { appointmentId: booked.appointmentId } });

    const closed = await target('sem_interesse');
    const t2 = tok('booking', closed.id, closed.windowEndsAt.getTime());
    expect(await (await req(`/api/public/booking/${t2}`)).json()).toMatchObject({ state: 'closed', slots: [] });
    const refused = await req(`/api/public/booking/${t2}`, { startsAt: view.slots[1].startsAt, professionalId: slot.professionalId });
    expect(refused.status).toBe(410);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('offer_closed');
  });
});

