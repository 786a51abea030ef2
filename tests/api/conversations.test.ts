// The staff inbox API through the real app on a real PostgreSQL and the run's Temporal dev server:
// list (filters, search, keyset pagination), one thread with delivery status, qualification and AI
// usage, the journey state (none running / running but not answering), read marks, take-over and
// hand-back (conflicts, audit, the signal reaching a real workflow's history), staff messages through
// the local messaging sender, the chat analytics on known rows, tenancy and roles.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createClinicWithMembers, createTestApp, login } from '../support/app';
import {
  aiCalls, appointments, auditLog, conversationMessages, conversationQualifications, conversations, messageOutbox, patients,
  procedures, professionals,
} from '../../db/schema';
import { leadWorkflowId } from '../../workflows/definitions';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

let tdb: TestDatabase;
let t: Awaited<ReturnType<typeof createTestApp>>;
let a: Awaited<ReturnType<typeof createClinicWithMembers>>;
let b: Awaited<ReturnType<typeof createClinicWithMembers>>;
const tokens = {} as Record<'admin' | 'staff' | 'view' | 'bAdmin', string>;
const ids = {} as Record<'c1' | 'c2' | 'c3' | 'c4' | 'c5' | 'c6' | 'c7' | 'c8' | 'cB' | 'patient' | 'appointment', string>;
const PHONES = {
  c1: '+5511990000001', c2: '+5511990000002', c3: '+5511990000003', c4: '+5511990000004', c5: '+5511990000005',
  c6: '+5521990000006', c7: '+5511990000007', c8: '+5511990000008',
};
const LONG_BODY = `Oi! ${'Quero saber tudo sobre o procedimento, valores e horários disponíveis. '.repeat(4)}`.trim();

async function call(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const res = await t.app.request(path, {
    method,
    headers: bearer(token, { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const at = (iso: string) => new Date(iso);
const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000);

async function seedClinicA() {
  const clinicId = a.clinic.id;
  const db = tdb.db;
  const [patient] = await db.insert(patients).values({ clinicId, name: 'Beatriz Nogueira', whatsapp: PHONES.c1 }).returning();
  const [prof] = await db.insert(professionals).values({ clinicId, name: 'Dra. Helena Prado' }).returning();
  const [proc] = await db.insert(procedures).values({ clinicId, name: 'Toxina botulínica', category: 'facial', durationMinutes: 30, defaultPriceCents: 120000 }).returning();
  const [appt] = await db.insert(appointments).values({
    clinicId, patientId: patient.id, procedureId: proc.id, professionalId: prof.id, startsAt: at('2026-03-10T13:00:00Z'), durationMinutes: 30, priceCents: 120000,
  }).returning();
  ids.patient = patient.id;
  ids.appointment = appt.id;

  const conv = async (key: keyof typeof PHONES, v: Partial<typeof conversations.$inferInsert> & { startedAt: Date }) => {
    const [row] = await db.insert(conversations).values({
      clinicId, patientWhatsapp: PHONES[key], lastMessageAt: v.startedAt, workflowId: leadWorkflowId(clinicId, PHONES[key]), ...v,
    }).returning();
    ids[key] = row.id;
    return row;
  };
  // In the analytics period (2026-03-02 … 2026-03-04, São Paulo): six conversations.
  await conv('c1', {
    startedAt: at('2026-03-02T13:00:00Z'), firstReplyAt: plus('2026-03-02T13:00:00Z', 10), lastMessageAt: at('2026-03-02T13:20:00Z'),
    status: 'convertida', convertedAppointmentId: appt.id, patientId: patient.id, stage: 'done', closedAt: at('2026-03-02T13:20:00Z'),
  });
  await conv('c2', {
    startedAt: at('2026-03-02T15:00:00Z'), firstReplyAt: plus('2026-03-02T15:00:00Z', 30), lastMessageAt: at('2026-03-05T12:00:00Z'),
    contactName: 'Fernanda Lima', stage: 'staff_queue', needsStaff: true, unreadCount: 2,
  });
  await conv('c3', {
    startedAt: at('2026-03-03T12:00:00Z'), firstReplyAt: plus('2026-03-03T12:00:00Z', 20), lastMessageAt: at('2026-03-03T12:05:00Z'),
    contactName: 'Rafaela Costa', workflowId: null,
  });
  await conv('c4', {
    startedAt: at('2026-03-03T18:00:00Z'), firstReplyAt: plus('2026-03-03T18:00:00Z', 60), lastMessageAt: at('2026-03-04T17:00:00Z'),
    status: 'abandonada', closedAt: at('2026-03-06T17:00:00Z'),
  });
  await conv('c5', { startedAt: at('2026-03-04T12:00:00Z'), lastMessageAt: at('2026-03-04T12:00:05Z'), status: 'spam', closedAt: at('2026-03-04T13:00:00Z') });
  await conv('c6', {
    startedAt: at('2026-03-04T13:00:00Z'), firstReplyAt: plus('2026-03-04T13:00:00Z', 40), lastMessageAt: at('2026-03-04T13:10:00Z'), channel: 'sms',
  });
  // Just outside the period in São Paulo time (00:30 on the 5th; 23:00 on the 1st).
  await conv('c7', { startedAt: at('2026-03-05T03:30:00Z'), lastMessageAt: at('2026-03-05T03:30:00Z') });
  await conv('c8', { startedAt: at('2026-03-02T02:00:00Z'), firstReplyAt: plus('2026-03-02T02:00:00Z', 5), lastMessageAt: at('2026-03-02T02:10:00Z'), status: 'abandonada' });

  await db.insert(conversationQualifications).values([
    { clinicId, conversationId: ids.c1, score: 90, interested: 'sim', procedureInterest: 'Toxina botulínica', procedureId: proc.id },
    {
      clinicId, conversationId: ids.c2, score: 45, interested: 'talvez', procedureInterest: 'Preenchimento labial', interestWhen: 'mês que vem',
      preferredDate: '2026-03-20', preferredTime: 'tarde', confirmedPhone: PHONES.c2,
      scoreFactors: [
        { key: 'procedure', label: 'Procedimento oferecido pela clínica', points: 25 },
        { key: 'interest', label: 'Interesse: talvez', points: 10 },
        { key: 'urgency', label: 'Quer para daqui a mais de duas semanas', points: 5 },
        { key: 'sentiment', label: 'Tom neutro', points: 5 },
      ],
      suggestedSlots: [{ professionalId: prof.id, startsAt: '2026-03-20T17:00:00.000Z', label: 'sex 20/03 às 14:00 com Dra. Helena Prado' }],
    },
    { clinicId, conversationId: ids.c3, score: null, procedureInterest: 'Limpeza de pele' },
    { clinicId, conversationId: ids.c4, score: 20, interested: 'nao' },
    { clinicId, conversationId: ids.c6, score: 70, interested: 'sim' },
  ]);

  // c2's thread: the patient, Anna (delivered), Anna (read), the patient twice more (unread).
  const [o1] = await db.insert(messageOutbox).values({
    clinicId, channel: 'whatsapp', to: PHONES.c2, body: 'Oi! Eu sou a Anna 💕', status: 'delivered', idempotencyKey: 'lead:test:1',
    sentAt: plus('2026-03-02T15:00:00Z', 30), deliveredAt: plus('2026-03-02T15:00:00Z', 32),
  }).returning();
  const [o2] = await db.insert(messageOutbox).values({
    clinicId, channel: 'whatsapp', to: PHONES.c2, body: 'Qual procedimento?', status: 'read', idempotencyKey: 'lead:test:2',
    sentAt: plus('2026-03-02T15:00:00Z', 90), readAt: plus('2026-03-02T15:00:00Z', 120),
  }).returning();
  await db.insert(conversationMessages).values([
    { clinicId, conversationId: ids.c2, sender: 'paciente', body: 'Oi, queria saber do preenchimento', sentAt: at('2026-03-02T15:00:00Z'), read: true, readAt: plus('2026-03-02T15:00:00Z', 5), providerMessageId: 'SMp1' },
    { clinicId, conversationId: ids.c2, sender: 'anna', body: 'Oi! Eu sou a Anna 💕', sentAt: plus('2026-03-02T15:00:00Z', 30), outboxId: o1.id, quickReplies: ['Sim', 'Não'] },
    { clinicId, conversationId: ids.c2, sender: 'anna', body: 'Qual procedimento?', sentAt: plus('2026-03-02T15:00:00Z', 90), outboxId: o2.id },
    { clinicId, conversationId: ids.c2, sender: 'paciente', body: 'Preenchimento labial, mês que vem', sentAt: at('2026-03-05T11:59:00Z'), providerMessageId: 'SMp2' },
    { clinicId, conversationId: ids.c2, sender: 'paciente', body: LONG_BODY, sentAt: at('2026-03-05T12:00:00Z'), providerMessageId: 'SMp3' },
    { clinicId, conversationId: ids.c3, sender: 'paciente', body: 'Bom dia', sentAt: at('2026-03-03T12:00:00Z') },
  ]);

  await db.insert(aiCalls).values([
    { clinicId, conversationId: ids.c2, engine: 'openai', model: 'gpt-4o-mini', purpose: 'analyze', outcome: 'ok', promptTokens: 100, completionTokens: 50, costMicroUsd: 300, createdAt: at('2026-03-02T15:01:00Z') },
    { clinicId, conversationId: ids.c2, engine: 'local', purpose: 'phrase', outcome: 'ok', createdAt: at('2026-03-02T15:02:00Z') },
    { clinicId, conversationId: ids.c6, engine: 'openai', model: 'gpt-4o-mini', purpose: 'analyze', outcome: 'timeout', promptTokens: 80, completionTokens: 0, costMicroUsd: 200, createdAt: at('2026-03-04T13:01:00Z') },
    { clinicId, conversationId: ids.c2, engine: 'openai', purpose: 'analyze', outcome: 'ok', promptTokens: 10, completionTokens: 10, costMicroUsd: 999, createdAt: at('2026-03-06T12:00:00Z') },
  ]);
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await createTestApp(tdb.db);
  a = await createClinicWithMembers(tdb.db, 'Clínica A');
  b = await createClinicWithMembers(tdb.db, 'Clínica B');
  tokens.admin = await login(t.app, a.members.admin.email);
  tokens.staff = await login(t.app, a.members.staff.email);
  tokens.view = await login(t.app, a.members.view.email);
  tokens.bAdmin = await login(t.app, b.members.admin.email);
  await seedClinicA();
  const [cb] = await tdb.db.insert(conversations).values({ clinicId: b.clinic.id, patientWhatsapp: '+5511990000009', contactName: 'Outra Clínica' }).returning();
  ids.cB = cb.id;
});
afterAll(async () => {
  await t?.close();
  await tdb?.drop();
});

describe('GET /api/conversations', () => {
  it('lists the clinic’s conversations, newest activity first, with patient, score and a 140-character preview', async () => {
    const res = await call('GET', '/api/conversations', tokens.view);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const order = res.body.items.map((i: Json) => i.id);
    expect(order).toEqual([ids.c2, ids.c7, ids.c4, ids.c6, ids.c5, ids.c3, ids.c1, ids.c8]);
    expect(order).not.toContain(ids.cB);
    const c2 = res.body.items[0];
    expect(c2).toMatchObject({
      phone: PHONES.c2, contactName: 'Fernanda Lima', patient: null, status: 'aberta', stage: 'staff_queue', needsStaff: true,
      takenOverBy: null, score: 45, unreadCount: 2, channel: 'whatsapp', workflowId: leadWorkflowId(a.clinic.id, PHONES.c2),
    });
    expect(LONG_BODY.length).toBeGreaterThan(140);
    expect(c2.lastMessage).toEqual({ sender: 'paciente', body: LONG_BODY.slice(0, 140), sentAt: '2026-03-05T12:00:00.000Z' });
    const c1 = res.body.items.find((i: Json) => i.id === ids.c1);
    expect(c1.patient).toEqual({ id: ids.patient, name: 'Beatriz Nogueira' });
    expect(c1.score).toBe(90);
    expect(res.body.items.find((i: Json) => i.id === ids.c7).lastMessage).toBeNull();
    expect(res.body.counts).toEqual({ aberta: 4, fila: 1, convertida: 1, abandonada: 2, spam: 1, unread: 2 });
    expect(res.body.nextCursor).toBeNull();
  });

  it('filters by status, staff queue, channel, name, patient name, phone digits and period', async () => {
    const idsOf = async (qs: string) => {
      const res = await call('GET', `/api/conversations?${qs}`, tokens.view);
      expect(res.status, `${qs}: ${JSON.stringify(res.body)}`).toBe(200);
      return res.body.items.map((i: Json) => i.id);
    };
    expect(await idsOf('status=aberta')).toEqual([ids.c2, ids.c7, ids.c6, ids.c3]);
    expect(await idsOf('status=abandonada')).toEqual([ids.c4, ids.c8]);
    expect(await idsOf('status=aberta&needsStaff=true')).toEqual([ids.c2]);
    expect(await idsOf('needsStaff=false&status=spam')).toEqual([ids.c5]);
    expect(await idsOf('channel=sms')).toEqual([ids.c6]);
    expect(await idsOf(`q=${encodeURIComponent('fernanda')}`)).toEqual([ids.c2]);
    expect(await idsOf(`q=${encodeURIComponent('BEATRIZ nogu')}`)).toEqual([ids.c1]);
    expect(await idsOf('q=0000004')).toEqual([ids.c4]);
    expect(await idsOf(`q=${encodeURIComponent('(21) 99000')}`)).toEqual([ids.c6]);
    expect(await idsOf('q=ninguem')).toEqual([]);
    // Last activity on 2026-03-04 in São Paulo: c4 (14:00), c6 (10:10), c5 (09:00); c7 is 00:30 on the 5th.
    expect(await idsOf('from=2026-03-04&to=2026-03-04')).toEqual([ids.c4, ids.c6, ids.c5]);
    expect(await idsOf('since=2026-03-04T17:00:00Z')).toEqual([ids.c2, ids.c7]);
  });

  it('pages with an opaque keyset cursor without repeating or skipping rows', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: Json } = await call('GET', `/api/conversations?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, tokens.view);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((i: Json) => i.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([ids.c2, ids.c7, ids.c4, ids.c6, ids.c5, ids.c3, ids.c1, ids.c8]);
  });

  it('refuses bad filters with pt-BR messages', async () => {
    const bad = async (qs: string) => {
      const res = await call('GET', `/api/conversations?${qs}`, tokens.view);
      expect(res.status, qs).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      return res.body.error;
    };
    expect((await bad('status=fechada')).fields.status[0]).toMatch(/Status inválido/);
    expect((await bad('cursor=abc')).message).toMatch(/Cursor inválido/);
    expect((await bad('from=2026-02-30')).fields.from[0]).toMatch(/Data inválida/);
    expect((await bad('from=2026-03-05&to=2026-03-01')).message).toMatch(/anterior ou igual/);
    expect((await bad('limit=500')).fields.limit[0]).toMatch(/máximo 100/);
    expect((await bad('needsStaff=talvez')).fields.needsStaff).toBeDefined();
  });
});

describe('GET /api/conversations/:id', () => {
  it('returns the thread oldest first with delivery status, the qualification with its factors and the AI usage', async () => {
    const res = await call('GET', `/api/conversations/${ids.c2}`, tokens.view);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { conversation, messages, qualification, aiUsage } = res.body;
    expect(conversation).toMatchObject({ id: ids.c2, phone: PHONES.c2, status: 'aberta', needsStaff: true, score: 45, firstReplyAt: '2026-03-02T15:00:30.000Z' });
    expect(messages.map((m: Json) => [m.sender, m.delivery])).toEqual([
      ['paciente', null], ['anna', 'delivered'], ['anna', 'read'], ['paciente', null], ['paciente', null],
    ]);
    expect(messages[1]).toMatchObject({ body: 'Oi! Eu sou a Anna 💕', quickReplies: ['Sim', 'Não'], deliveredAt: '2026-03-02T15:00:32.000Z' });
    expect(messages[2].seenAt).toBe('2026-03-02T15:02:00.000Z');
    expect(messages[4].body).toBe(LONG_BODY);
    expect(qualification).toMatchObject({
      score: 45, interested: 'talvez', procedureInterest: 'Preenchimento labial', interestWhen: 'mês que vem',
      preferredDate: '2026-03-20', preferredTime: 'tarde', confirmedPhone: PHONES.c2,
    });
    expect(qualification.scoreFactors.reduce((s: number, f: Json) => s + f.points, 0)).toBe(45);
    expect(qualification.suggestedSlots).toHaveLength(1);
    expect(aiUsage).toMatchObject({ calls: 3, failed: 0, promptTokens: 110, completionTokens: 60, tokens: 170, costMicroUsd: 1299 });
    expect(aiUsage.byEngine.map((e: Json) => [e.engine, e.calls])).toEqual([['local', 1], ['openai', 2]]);
    expect(res.body.heldByMe).toBe(false);
  });

  it('says the journey is not running (within the 2 s budget) and links the workflow in the Temporal UI', async () => {
    const started = Date.now();
    const res = await call('GET', `/api/conversations/${ids.c2}`, tokens.view);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(res.body.journey).toMatchObject({ state: null, reason: 'journey_not_running' });
    expect(res.body.journey.message).toMatch(/não está rodando/);
    expect(res.body.temporalUiUrl).toMatch(/:8233\/namespaces\/default\/workflows\//);
    expect(res.body.temporalUiUrl).toContain(encodeURIComponent(leadWorkflowId(a.clinic.id, PHONES.c2)));
    const none = await call('GET', `/api/conversations/${ids.c3}`, tokens.view);
    expect(none.body.journey.reason).toBe('no_workflow');
    expect(none.body.temporalUiUrl).toBeNull();
    expect(none.body.qualification.score).toBeNull();
  });

  it('answers 404 for another clinic’s conversation and for ids that are not ids', async () => {
    for (const path of [`/api/conversations/${ids.cB}`, '/api/conversations/nao-existe', `/api/conversations/${crypto.randomUUID()}`]) {
      const res = await call('GET', path, tokens.admin);
      expect(res.status, path).toBe(404);
      expect(res.body.error.message).toBe('Conversa não encontrada.');
    }
    for (const action of ['read', 'takeover', 'handback']) {
      expect((await call('POST', `/api/conversations/${ids.cB}/${action}`, tokens.admin)).status, action).toBe(404);
    }
    expect((await call('POST', `/api/conversations/${ids.cB}/messages`, tokens.admin, { text: 'Oi' })).status).toBe(404);
    // And clinic B sees only its own.
    const list = await call('GET', '/api/conversations', tokens.bAdmin);
    expect(list.body.items.map((i: Json) => i.id)).toEqual([ids.cB]);
  });
});

describe('read marks', () => {
  it('marks the patient’s messages read and zeroes the badge; view cannot', async () => {
    expect((await call('POST', `/api/conversations/${ids.c2}/read`, tokens.view)).status).toBe(403);
    const res = await call('POST', `/api/conversations/${ids.c2}/read`, tokens.staff);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ id: ids.c2, marked: 2, unreadCount: 0 });
    const rows = await tdb.db.select().from(conversationMessages).where(eq(conversationMessages.conversationId, ids.c2));
    expect(rows.filter((m) => m.sender === 'paciente').every((m) => m.read && m.readAt)).toBe(true);
    const [conv] = await tdb.db.select().from(conversations).where(eq(conversations.id, ids.c2));
    expect(conv.unreadCount).toBe(0);
    expect((await call('POST', `/api/conversations/${ids.c2}/read`, tokens.staff)).body.marked).toBe(0);
  });
});

describe('take-over, staff messages and hand-back', () => {
  it('lets one member take an open conversation; others get 409 taken_over; closed ones 409; view 403', async () => {
    expect((await call('POST', `/api/conversations/${ids.c2}/takeover`, tokens.view)).status).toBe(403);
    const res = await call('POST', `/api/conversations/${ids.c2}/takeover`, tokens.staff);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: ids.c2, takenOverBy: { id: a.members.staff.id, name: 'staff Clínica A' }, signal: 'journey_not_running' });
    const [conv] = await tdb.db.select().from(conversations).where(eq(conversations.id, ids.c2));
    expect(conv.takenOverBy).toBe(a.members.staff.id);
    expect(conv.takenOverAt).toBeInstanceOf(Date);

    const again = await call('POST', `/api/conversations/${ids.c2}/takeover`, tokens.staff);
    expect(again.status).toBe(200);
    expect(again.body.signal).toBe('unchanged');

    const other = await call('POST', `/api/conversations/${ids.c2}/takeover`, tokens.admin);
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'taken_over', message: 'staff Clínica A já assumiu esta conversa.' });

    const closed = await call('POST', `/api/conversations/${ids.c1}/takeover`, tokens.staff);
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('conversation_closed');

    const audits = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entity, 'conversation'), eq(auditLog.entityId, ids.c2), eq(auditLog.action, 'takeover')));
    expect(audits).toHaveLength(1);
    expect(audits[0].userId).toBe(a.members.staff.id);

    const detail = await call('GET', `/api/conversations/${ids.c2}`, tokens.staff);
    expect(detail.body.heldByMe).toBe(true);
    expect(detail.body.conversation.takenOverBy.id).toBe(a.members.staff.id);
  });

  it('sends a staff message only from the holder, validated, through the messaging sender, and records it', async () => {
    const notHolder = await call('POST', `/api/conversations/${ids.c2}/messages`, tokens.admin, { text: 'Olá!' });
    expect(notHolder.status).toBe(409);
    expect(notHolder.body.error.code).toBe('not_taken_over');
    expect((await call('POST', `/api/conversations/${ids.c2}/messages`, tokens.view, { text: 'Olá!' })).status).toBe(403);

    const empty = await call('POST', `/api/conversations/${ids.c2}/messages`, tokens.staff, { text: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields.text).toEqual(['Escreva a mensagem.']);
    const long = await call('POST', `/api/conversations/${ids.c2}/messages`, tokens.staff, { text: 'a'.repeat(1601) });
    expect(long.status).toBe(400);
    expect(long.body.error.fields.text[0]).toBe('A mensagem deve ter no máximo 1600 caracteres.');
    expect((await call('POST', `/api/conversations/${ids.c2}/messages`, tokens.staff, {})).status).toBe(400);
    expect((await call('POST', `/api/conversations/${ids.c2}/messages`, tokens.staff, { text: 'Oi', extra: 1 })).status).toBe(400);

    const [before] = await tdb.db.select().from(conversations).where(eq(conversations.id, ids.c2));
    const key = crypto.randomUUID();
    const sent = await call('POST', `/api/conversations/${ids.c2}/messages`, tokens.staff, { text: '  Oi Fernanda, aqui é a Juliana da recepção.  ' }, { 'idempotency-key': key });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body.status).toBe('sent');
    expect(sent.body.message).toMatchObject({
      sender: 'staff', body: 'Oi Fernanda, aqui é a Juliana da recepção.', delivery: 'sent', user: { id: a.members.staff.id, name: 'staff Clínica A' },
    });
    const [outbox] = await tdb.db.select().from(messageOutbox).where(eq(messageOutbox.id, sent.body.outboxId));
    expect(outbox).toMatchObject({
      channel: 'whatsapp', to: PHONES.c2, body: 'Oi Fernanda, aqui é a Juliana da recepção.', status: 'sent', purpose: 'transactional',
      idempotencyKey: `staff:${ids.c2}:${key}`,
    });
    const [row] = await tdb.db.select().from(conversationMessages).where(eq(conversationMessages.id, sent.body.message.id));
    expect(row).toMatchObject({ sender: 'staff', userId: a.members.staff.id, outboxId: outbox.id, providerMessageId: `local-${outbox.id}` });
    const [after] = await tdb.db.select().from(conversations).where(eq(conversations.id, ids.c2));
    expect(after.lastMessageAt.getTime()).toBeGreaterThan(before.lastMessageAt.getTime());
    expect(after.firstReplyAt).toEqual(before.firstReplyAt); // already answered by Anna

    // The same request again (same Idempotency-Key): nothing new is sent or recorded.
    const repeat = await call('POST', `/api/conversations/${ids.c2}/messages`, tokens.staff, { text: 'Oi Fernanda, aqui é a Juliana da recepção.' }, { 'idempotency-key': key });
    expect(repeat.status).toBe(201);
    expect(repeat.body.status).toBe('duplicate');
    expect(repeat.body.message.id).toBe(sent.body.message.id);
    const staffRows = await tdb.db.select().from(conversationMessages).where(and(eq(conversationMessages.conversationId, ids.c2), eq(conversationMessages.sender, 'staff')));
    expect(staffRows).toHaveLength(1);
    const outboxRows = await tdb.db.select().from(messageOutbox).where(eq(messageOutbox.to, PHONES.c2));
    expect(outboxRows).toHaveLength(3); // Anna's two + this one

    const detail = await call('GET', `/api/conversations/${ids.c2}`, tokens.view);
    expect(detail.body.messages.at(-1)).toMatchObject({ sender: 'staff', delivery: 'sent' });
    const audits = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entityId, ids.c2), eq(auditLog.action, 'send_message')));
    expect(audits).toHaveLength(1);
  });

  it('sets firstReplyAt when staff answer first', async () => {
    expect((await call('POST', `/api/conversations/${ids.c7}/takeover`, tokens.admin)).status).toBe(200);
    const sent = await call('POST', `/api/conversations/${ids.c7}/messages`, tokens.admin, { text: 'Olá! Como posso ajudar?' });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const [conv] = await tdb.db.select().from(conversations).where(eq(conversations.id, ids.c7));
    expect(conv.firstReplyAt?.toISOString()).toBe(sent.body.message.sentAt);
    expect(conv.lastMessageAt.toISOString()).toBe(sent.body.message.sentAt);
    expect((await call('POST', `/api/conversations/${ids.c7}/handback`, tokens.admin)).status).toBe(200);
  });

  it('hands back to Anna: holder (or an admin) only, audited; then staff can no longer write', async () => {
    expect((await call('POST', `/api/conversations/${ids.c2}/handback`, tokens.view)).status).toBe(403);
    const res = await call('POST', `/api/conversations/${ids.c2}/handback`, tokens.staff);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ id: ids.c2, takenOverBy: null, signal: 'journey_not_running' });
    const [conv] = await tdb.db.select().from(conversations).where(eq(conversations.id, ids.c2));
    expect(conv.takenOverBy).toBeNull();
    expect(conv.takenOverAt).toBeNull();
    const twice = await call('POST', `/api/conversations/${ids.c2}/handback`, tokens.staff);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('not_taken_over');
    const write = await call('POST', `/api/conversations/${ids.c2}/messages`, tokens.staff, { text: 'Mais uma coisa' });
    expect(write.status).toBe(409);
    expect(write.body.error.code).toBe('not_taken_over');
    const audits = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entityId, ids.c2), eq(auditLog.action, 'handback')));
    expect(audits).toHaveLength(1);
    expect(audits[0].before).toMatchObject({ takenOverBy: a.members.staff.id });

    // An admin may hand back someone else's conversation; another staff member may not.
    expect((await call('POST', `/api/conversations/${ids.c6}/takeover`, tokens.staff)).status).toBe(200);
    const [staff2] = await createClinicMember();
    const s2 = await login(t.app, staff2.email);
    const refused = await call('POST', `/api/conversations/${ids.c6}/handback`, s2);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('taken_over');
    expect((await call('POST', `/api/conversations/${ids.c6}/handback`, tokens.admin)).status).toBe(200);
  });

  it('lets exactly one of two simultaneous take-overs win', async () => {
    const [x, y] = await Promise.all([
      call('POST', `/api/conversations/${ids.c7}/takeover`, tokens.staff),
      call('POST', `/api/conversations/${ids.c7}/takeover`, tokens.admin),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const winner = x.status === 200 ? a.members.staff.id : a.members.admin.id;
    const [conv] = await tdb.db.select().from(conversations).where(eq(conversations.id, ids.c7));
    expect(conv.takenOverBy).toBe(winner);
    expect((await call('POST', `/api/conversations/${ids.c7}/handback`, tokens.admin)).status).toBe(200);
  });

  it('signals a running lead journey (the DB stays the truth) and gives up on its state after 2 s', async () => {
    // A workflow with the lead journey's id on a task queue nobody polls: it is RUNNING, receives
    // signals into its history, and never answers a query.
    const workflowId = leadWorkflowId(a.clinic.id, PHONES.c3);
    await tdb.db.update(conversations).set({ workflowId }).where(eq(conversations.id, ids.c3));
    const handle = await t.temporal.workflow.start('leadJourney', { workflowId, taskQueue: `inbox-test-${crypto.randomUUID()}`, args: [] });
    try {
      const started = Date.now();
      const detail = await call('GET', `/api/conversations/${ids.c3}`, tokens.view);
      const took = Date.now() - started;
      expect(detail.status).toBe(200);
      expect(took).toBeLessThan(3500);
      expect(detail.body.journey).toMatchObject({ state: null, reason: 'journey_not_running', workflowStatus: 'RUNNING' });

      const take = await call('POST', `/api/conversations/${ids.c3}/takeover`, tokens.staff);
      expect(take.body.signal).toBe('sent');
      const back = await call('POST', `/api/conversations/${ids.c3}/handback`, tokens.staff);
      expect(back.body.signal).toBe('sent');
      const history = await handle.fetchHistory();
      const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes)
        .map((e) => e.workflowExecutionSignaledEventAttributes!.signalName);
      expect(signals).toEqual(['staffTakeover', 'staffHandBack']);
    } finally {
      await handle.terminate('test over');
    }
  });
});

async function createClinicMember() {
  const { users, clinicMemberships } = await import('../../db/schema');
  const [u] = await tdb.db.insert(users).values({ email: `staff2-${crypto.randomUUID().slice(0, 8)}@a.test`, name: 'Outra Recepcionista', passwordHash: (await tdb.db.select().from(users).where(eq(users.id, a.members.staff.id)))[0].passwordHash }).returning();
  await tdb.db.insert(clinicMemberships).values({ clinicId: a.clinic.id, userId: u.id, role: 'staff' });
  return [u] as const;
}

describe('GET /api/conversations/analytics', () => {
  it('computes totals, rates, the median time to first reply, the average score and the AI cost on known rows', async () => {
    const res = await call('GET', '/api/conversations/analytics?from=2026-03-02&to=2026-03-04', tokens.view);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.totals).toEqual({
      conversations: 6, leads: 5, convertidas: 1, abandonadas: 1, abertas: 3, spam: 1, staffQueue: 1,
      conversionRate: 0.2, abandonmentRate: 0.2, spamRate: 0.1667,
      medianFirstReplySeconds: 30, // 10, 20, 30, 40, 60 (spam never answered)
      averageScore: 56.3, // (90 + 45 + 20 + 70) / 4 = 56.25
      aiCalls: 3, aiTokens: 230, aiCostMicroUsd: 500,
    });
    expect(res.body.series.map((d: Json) => [d.day, d.conversations, d.convertidas, d.spam])).toEqual([
      ['2026-03-02', 2, 1, 0], ['2026-03-03', 2, 0, 0], ['2026-03-04', 2, 0, 1],
    ]);
    expect(res.body.series[0].medianFirstReplySeconds).toBe(20); // 10 and 30
    expect(res.body.byChannel.map((c: Json) => [c.channel, c.conversations, c.conversionRate])).toEqual([['sms', 1, 0], ['whatsapp', 5, 0.25]]);
  });

  it('filters by channel', async () => {
    const res = await call('GET', '/api/conversations/analytics?from=2026-03-02&to=2026-03-04&channel=whatsapp', tokens.view);
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({
      conversations: 5, leads: 4, conversionRate: 0.25, abandonmentRate: 0.25, medianFirstReplySeconds: 25, averageScore: 51.7,
      aiCalls: 2, aiCostMicroUsd: 300,
    });
  });

  it('fills empty days with zeros and validates the period in pt-BR', async () => {
    const empty = await call('GET', '/api/conversations/analytics?from=2025-01-01&to=2025-01-03', tokens.view);
    expect(empty.body.totals).toMatchObject({ conversations: 0, conversionRate: null, medianFirstReplySeconds: null, averageScore: null, aiCostMicroUsd: 0 });
    expect(empty.body.series).toHaveLength(3);
    const backwards = await call('GET', '/api/conversations/analytics?from=2026-03-04&to=2026-03-02', tokens.view);
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toBe('O início do período deve ser anterior ou igual ao fim.');
    const long = await call('GET', '/api/conversations/analytics?from=2024-01-01&to=2026-01-01', tokens.view);
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/no máximo 366 dias/);
    const bad = await call('GET', '/api/conversations/analytics?from=03/02/2026', tokens.view);
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.from[0]).toMatch(/AAAA-MM-DD/);
    const channel = await call('GET', '/api/conversations/analytics?channel=telegram', tokens.view);
    expect(channel.status).toBe(400);
    expect(channel.body.error.fields.channel[0]).toBe('Canal inválido: use whatsapp ou sms.');
    const other = await call('GET', '/api/conversations/analytics?from=2026-03-02&to=2026-03-04', tokens.bAdmin);
    expect(other.body.totals.conversations).toBe(0);
  });
});

describe('OpenAPI', () => {
  it('documents the inbox routes', async () => {
    const res = await t.app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api/conversations')).sort()).toEqual([
      '/api/conversations', '/api/conversations/analytics', '/api/conversations/{id}', '/api/conversations/{id}/handback',
      '/api/conversations/{id}/messages', '/api/conversations/{id}/read', '/api/conversations/{id}/takeover',
    ]);
    expect(Object.keys(doc.paths['/api/conversations/{id}/messages'])).toEqual(['post']);
  });
});
