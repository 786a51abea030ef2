// Pesquisa & Feedback for staff: the period's NPS from the surveys sent in it (late answers apart), the
// response rate over the sent ones, breakdowns, the detractors' queue and its follow-up (staff only,
// audited), comments with sentiment, and another clinic's surveys never counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { appointments, auditLog, conversations, coupons, feedbackResponses, npsSurveys, reviews, upsellOffers } from '../../db/schema';
import { withClinic } from '../../db/tenancy';
import { openDetractorConversation } from '../../services/feedback/detractor-inbox';
import { loadSurveyFacts } from '../../services/feedback/surveys';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createTestApp, login } from '../support/app';
import { createReminderClinic } from '../support/reminder-fixtures';
import { violations } from '../support/openapi';

const DAY = 86_400_000;
const NOW = new Date('2030-05-20T15:00:00Z');

let tdb: TestDatabase;
let api: Awaited<ReturnType<typeof createTestApp>>;
let clinic: Awaited<ReturnType<typeof createReminderClinic>>;
let other: Awaited<ReturnType<typeof createReminderClinic>>;
let staff: string;
let viewer: string;

async function survey(c: typeof clinic, score: number | null, o: { daysAgo?: number; late?: boolean; comment?: string; label?: string; professionalId?: string } = {}) {
  const at = new Date(NOW.getTime() - (o.daysAgo ?? 3) * DAY);
  const [a] = await tdb.db.insert(appointments).values({
    clinicId: c.clinic.id, patientId: c.carla.id, procedureId: c.limpeza.id, professionalId: o.professionalId ?? c.helena.id,
    startsAt: new Date(at.getTime() - DAY - Math.floor(Math.random() * 1e7) * 60_000), durationMinutes: 60, priceCents: 25000, status: 'realizado',
  }).returning();
  const cls = score == null ? null : score <= 6 ? 'detractor' : score <= 8 ? 'neutral' : 'promoter';
  const [s] = await tdb.db.insert(npsSurveys).values({
    clinicId: c.clinic.id, appointmentId: a.id, patientId: c.carla.id, sentAt: at, expiresAt: new Date(at.getTime() + 7 * DAY),
    status: score == null ? 'sem_resposta' : o.late ? 'sem_resposta' : 'respondida', score, npsClass: cls, answered: score != null, answeredAt: score == null ? null : at,
    lateAnswer: !!o.late, comment: o.comment ?? null, sentimentLabel: o.label ?? null, followUpStatus: cls === 'detractor' && !o.late ? 'aberto' : null,
  }).returning();
  return s;
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  api = await createTestApp(tdb.db, { now: () => NOW });
  clinic = await createReminderClinic(tdb.db, 'Clínica Números');
  other = await createReminderClinic(tdb.db, 'Clínica Vizinha');
  staff = await login(api.app, clinic.members.staff.email);
  viewer = await login(api.app, clinic.members.view.email);
  // 10, 9, 9, 8, 3 answered; 1 unanswered; 1 late 0; 1 outside the period; the neighbour's 0s never count.
  for (const s of [10, 9, 9]) await survey(clinic, s);
  await survey(clinic, 8, { professionalId: clinic.bruno.id });
  await survey(clinic, 3, { comment: 'Demorou demais', label: 'negativo' });
  await survey(clinic, null);
  await survey(clinic, 0, { late: true });
  await survey(clinic, 0, { daysAgo: 200 });
  await survey(other, 0);
  await tdb.db.insert(upsellOffers).values([
    { clinicId: clinic.clinic.id, patientId: clinic.carla.id, seq: 1, workflowId: 'upsell:x:1', status: 'agendou', revenueCents: 120000, createdAt: new Date(NOW.getTime() - 2 * DAY) },
    { clinicId: clinic.clinic.id, patientId: clinic.carla.id, seq: 2, workflowId: 'upsell:x:2', status: 'ignorou', createdAt: new Date(NOW.getTime() - 2 * DAY) },
  ]);
});
afterAll(async () => {
  await api?.close();
  await tdb?.drop();
});

const get = (path: string, token = staff) => api.app.request(path, { headers: bearer(token) });

describe('feedback summary', () => {
  it('NPS over the answers in time of the surveys sent in the period; rates over the right denominators', async () => {
    const r = await get('/api/feedback/summary?from=2030-04-01&to=2030-05-20');
    expect(r.status).toBe(200);
    const s = await r.json();
    expect(s).toMatchObject({ sent: 7, answered: 5, lateAnswers: 1, unanswered: 2, promoters: 3, neutrals: 1, detractors: 1 });
    expect(s.nps).toBe(40); // (3 − 1) / 5
    expect(s.responseRate).toBeCloseTo(5 / 7);
    expect(s.promoters + s.neutrals + s.detractors).toBe(s.answered);
    expect(s.byProfessional.find((g: { id: string }) => g.id === clinic.bruno.id)).toMatchObject({ sent: 1, answered: 1, nps: 0 });
    expect(s.upsell).toMatchObject({ offers: 2, booked: 1, ignored: 1, conversionRate: 0.5, revenueCents: 120000 });
    const byPro = await (await get(`/api/feedback/summary?from=2030-04-01&to=2030-05-20&professionalId=${clinic.bruno.id}`)).json();
    expect(byPro).toMatchObject({ sent: 1, answered: 1, nps: 0 });
  });

  it('refuses a bad period with a pt-BR message', async () => {
    for (const q of ['from=2030-05-20&to=2030-05-01', 'from=ontem', 'from=2020-01-01&to=2030-01-01', 'professionalId=1']) {
      const r = await get(`/api/feedback/summary?${q}`);
      expect(r.status, q).toBe(400);
      expect((await r.json()).error.message).toMatch(/[a-zá-ú]/);
    }
  });
});

describe('detractors queue', () => {
  it('lists the open detractor with the comment; staff mark it contacted (audited); a viewer may not', async () => {
    const { detractors } = await (await get('/api/feedback/detractors?from=2030-04-01&to=2030-05-20')).json();
    expect(detractors).toHaveLength(1);
    expect(detractors[0]).toMatchObject({ score: 3, comment: 'Demorou demais', followUpStatus: 'aberto', patient: 'Carla Mendes' });
    const id = detractors[0].id;
    const patch = (token: string, body: unknown) => api.app.request(`/api/feedback/surveys/${id}/follow-up`, {
      method: 'PATCH', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    expect((await patch(viewer, { status: 'contatado' })).status).toBe(403);
    expect((await patch(staff, { status: 'ligado' })).status).toBe(400);
    expect((await patch(staff, { status: 'contatado', note: 'Liguei e pedi desculpas' })).status).toBe(200);
    const [row] = await tdb.db.select().from(npsSurveys).where(eq(npsSurveys.id, id));
    expect(row).toMatchObject({ followUpStatus: 'contatado', followUpNote: 'Liguei e pedi desculpas', followUpBy: clinic.members.staff.id });
    const audits = await tdb.db.select().from(auditLog).where(eq(auditLog.entityId, id));
    expect(audits.map((a) => a.action)).toContain('nps_follow_up');
    // Another clinic's survey id is not found.
    const [theirs] = await tdb.db.select().from(npsSurveys).where(eq(npsSurveys.clinicId, other.clinic.id));
    const r = await api.app.request(`/api/feedback/surveys/${theirs.id}/follow-up`, {
      method: 'PATCH', headers: { ...bearer(staff), 'content-type': 'application/json' }, body: JSON.stringify({ status: 'resolvido' }),
    });
    expect(r.status).toBe(404);
  });

  it('comments filter by sentiment', async () => {
    const { comments } = await (await get('/api/feedback/comments?from=2030-04-01&to=2030-05-20&sentiment=negativo')).json();
    expect(comments.map((c: { comment: string }) => c.comment)).toEqual(['Demorou demais']);
  });
});

describe('filters of the lists by the visit', () => {
  it('detractors, comments and forms take the professional and the procedure of the visit', async () => {
    const q = 'from=2030-04-01&to=2030-05-20';
    const ofHelena = await (await get(`/api/feedback/detractors?${q}&professionalId=${clinic.helena.id}`)).json();
    expect(ofHelena.detractors).toHaveLength(1);
    expect((await (await get(`/api/feedback/detractors?${q}&professionalId=${clinic.bruno.id}`)).json()).detractors).toEqual([]);
    expect((await (await get(`/api/feedback/detractors?${q}&procedureId=${clinic.limpeza.id}`)).json()).detractors).toHaveLength(1);
    expect((await (await get(`/api/feedback/comments?${q}&professionalId=${clinic.helena.id}`)).json()).comments).toHaveLength(1);
    expect((await (await get(`/api/feedback/comments?${q}&professionalId=${clinic.bruno.id}`)).json()).comments).toEqual([]);
    const s = await survey(clinic, 8, { professionalId: clinic.bruno.id, daysAgo: 4 });
    await tdb.db.insert(feedbackResponses).values({ clinicId: clinic.clinic.id, surveyId: s.id, appointmentId: s.appointmentId, patientId: s.patientId, aspects: ['preco'], createdAt: s.sentAt! });
    expect((await (await get(`/api/feedback/forms?${q}&professionalId=${clinic.bruno.id}`)).json()).total).toBe(1);
    expect((await (await get(`/api/feedback/forms?${q}&professionalId=${clinic.helena.id}`)).json()).total).toBe(0);
    expect((await (await get(`/api/feedback/forms?${q}`)).json()).total).toBe(1);
    expect((await get(`/api/feedback/detractors?${q}&professionalId=bruno`)).status).toBe(400);
  });
});


describe('OpenAPI', () => {
  it('every answer of /api/feedback matches its documented schema, field by field', async () => {
    // One of everything, so that no list is empty: a coupon for the detractor, a form, a review, an offer with a procedure.
    const [detractor] = await tdb.db.select().from(npsSurveys).where(and(eq(npsSurveys.clinicId, clinic.clinic.id), eq(npsSurveys.score, 3)));
    await tdb.db.insert(coupons).values({
      clinicId: clinic.clinic.id, code: 'VOLTA-TESTE1', patientId: clinic.carla.id, percentOff: 10, validUntil: new Date(NOW.getTime() + 30 * DAY),
      origin: 'nps_detractor', surveyId: detractor.id, createdAt: new Date(NOW.getTime() - DAY),
    });
    await tdb.db.insert(reviews).values({ clinicId: clinic.clinic.id, appointmentId: detractor.appointmentId, patientId: clinic.carla.id, professionalId: clinic.helena.id, rating: 4, comment: 'Gostei' });
    await tdb.db.insert(upsellOffers).values({
      clinicId: clinic.clinic.id, patientId: clinic.carla.id, seq: 3, workflowId: 'upsell:x:3', status: 'enviada', procedureId: clinic.limpeza.id,
      reasonText: 'Costuma voltar a cada 2 meses', sentAt: new Date(NOW.getTime() - DAY), expiresAt: new Date(NOW.getTime() + 6 * DAY), createdAt: new Date(NOW.getTime() - DAY),
    });
    const doc = await (await api.app.request('/openapi.json')).json();
    const q = 'from=2030-04-01&to=2030-05-20';
    for (const path of ['summary', 'detractors', 'comments', 'forms', 'reviews', 'upsell']) {
      const r = await get(`/api/feedback/${path}${path === 'reviews' ? '' : `?${q}`}`);
      expect(r.status, path).toBe(200);
      const body = await r.json();
      const schema = doc.paths[`/api/feedback/${path}`].get.responses['200'].content['application/json'].schema;
      expect(violations(body, schema, doc), path).toEqual([]);
      // Every list has a row to check.
      const rows = { summary: body.trend, detractors: body.detractors, comments: body.comments, forms: body.answers, reviews: body.latest, upsell: body.offers }[path];
      expect(rows.length, path).toBeGreaterThan(0);
    }
    const { detractors } = await (await get(`/api/feedback/detractors?${q}`)).json();
    expect(detractors[0].coupon).toMatchObject({ code: 'VOLTA-TESTE1', redeemed: false });
    const schemas = Object.keys(doc.components.schemas);
    expect(schemas).toEqual(expect.arrayContaining(['FeedbackSummary', 'FeedbackDetractor', 'FeedbackComment', 'FeedbackForms', 'ProfessionalReviews', 'UpsellOffer']));
  });
});

describe("a detractor's conversation", () => {
  it('is in Conversas marked as a detractor, linked from the queue; writing to her marks the follow-up contatado; resolving gives it back to Anna', async () => {
    const s = await survey(clinic, 1, { daysAgo: 400, comment: 'Fiquei com manchas' });
    const opened = await withClinic(tdb.db, clinic.clinic.id, async (tx) => openDetractorConversation(tx, (await loadSurveyFacts(tx, { surveyId: s.id }))!, NOW));
    expect(opened).toMatchObject({ created: true });
    const convId = opened!.conversationId;
    const q = 'from=2029-04-01&to=2029-05-01';
    const queue = (await (await get(`/api/feedback/detractors?${q}`)).json()).detractors;
    expect(queue.find((d: { id: string }) => d.id === s.id)).toMatchObject({ conversationId: convId });

    const list = await (await get('/api/conversations?status=aberta&needsStaff=true')).json();
    const item = list.items.find((i: { id: string }) => i.id === convId);
    expect(item).toMatchObject({ needsStaff: true, stage: 'staff_queue', detractor: { surveyId: s.id, score: 1 }, patient: { id: clinic.carla.id } });
    const detail = await (await get(`/api/conversations/${convId}`)).json();
    expect(detail.conversation.detractor).toEqual({ surveyId: s.id, score: 1 });
    expect(detail.journey.reason).toBe('no_workflow');

    const post = (path: string, body?: unknown) => api.app.request(`/api/conversations/${convId}${path}`, {
      method: 'POST', headers: { ...bearer(staff), 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect((await post('/takeover')).status).toBe(200);
    const sent = await post('/messages', { text: 'Olá, Carla! Sou a Renata, da recepção. Sinto muito pelo ocorrido; podemos conversar?' });
    expect(sent.status).toBe(201);
    const [row] = await tdb.db.select().from(npsSurveys).where(eq(npsSurveys.id, s.id));
    expect(row).toMatchObject({ followUpStatus: 'contatado', followUpBy: clinic.members.staff.id });

    const resolved = await api.app.request(`/api/feedback/surveys/${s.id}/follow-up`, {
      method: 'PATCH', headers: { ...bearer(staff), 'content-type': 'application/json' }, body: JSON.stringify({ status: 'resolvido', note: 'Retoque agendado' }),
    });
    expect(resolved.status).toBe(200);
    const [conv] = await tdb.db.select().from(conversations).where(eq(conversations.id, convId));
    expect(conv).toMatchObject({ subject: 'lead', needsStaff: false, takenOverBy: null, status: 'aberta' });
    expect((await (await get(`/api/conversations/${convId}`)).json()).conversation.detractor).toBeNull();
    const after = (await (await get(`/api/feedback/detractors?${q}`)).json()).detractors;
    expect(after.find((d: { id: string }) => d.id === s.id)).toMatchObject({ followUpStatus: 'resolvido', conversationId: null });
  });
});
