// Pesquisa & Feedback for staff: the period's NPS from the surveys sent in it (late answers apart), the
// response rate over the sent ones, breakdowns, the detractors' queue and its follow-up (staff only,
// audited), comments with sentiment, and another clinic's surveys never counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { appointments, auditLog, npsSurveys, upsellOffers } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createTestApp, login } from '../support/app';
import { createReminderClinic } from '../support/reminder-fixtures';

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
