// The messaging webhooks and the simulator through the HTTP API: Twilio signatures (valid, invalid,
// replayed), inbound replies signalled to a running journey (dev server), opt-out, status callbacks;
// SendGrid's signed events (valid, invalid, replayed, stale), bounces suppressing later e-mail.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { and, eq } from 'drizzle-orm';
import pino from 'pino';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { createClinicWithMembers, login, bearer } from '../support/app';
import {
  appointmentConfirmations, appointments, auditLog, clinics, consents, emailSuppressions, inboundMessages, messageOutbox, patients, procedures,
  professionals, webhookDeliveries, conversationMessages, conversations,
} from '../../db/schema';
import { createMessageSender } from '../../services/messaging/sender';
import { twilioSignature } from '../../providers/messaging/twilio';
import { appointmentWorkflowId } from '../../workflows/definitions';
import { createMessagingApp } from './support';
import { routeInbound } from '../../services/inbound/route';
import { resendFailedReplies } from '../../journeys/redelivery';
import { loadEnv } from '../../config/env';
import { sendGridSigner } from './fakes';
import { repliesQuery, replyRecorder } from './reply-recorder.workflow';

const TOKEN = 'twilio-auth-token';
const PUBLIC = 'https://crm.example.com';
const CLINIC_NUMBER = '+5511900000000';
const PHONE = '+5511987654321';
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

let tdb: TestDatabase;
let ctx: Awaited<ReturnType<typeof createMessagingApp>>;
let bundle: WorkflowBundleWithSourceMap;
let native: NativeConnection;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `messaging-test-${process.pid}`;
const signer = sendGridSigner();
let clinicId: string;
let patientId: string;
let appointmentId: string;
let members: Awaited<ReturnType<typeof createClinicWithMembers>>['members'];

async function twilioPost(path: string, params: Record<string, string>, opts: { signature?: string; token?: string } = {}) {
  const signature = opts.signature ?? twilioSignature(opts.token ?? TOKEN, `${PUBLIC}${path}`, params);
  return ctx.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature },
    body: new URLSearchParams(params).toString(),
  });
}
const inbound = (sid: string, body: string, from = PHONE) => ({
  MessageSid: sid, SmsMessageSid: sid, AccountSid: 'ACtest', From: `whatsapp:${from}`, To: `whatsapp:${CLINIC_NUMBER}`, Body: body, NumMedia: '0',
});
/** The local outbox (the app's env has Twilio credentials, and tests do not reach the internet). */
const localSender = () => createMessageSender({ db: tdb.db, env: loadEnv({ NODE_ENV: 'test' }), log: pino({ level: 'silent' }) });
const replies = () => ctx.temporal.workflow.getHandle(appointmentWorkflowId(appointmentId)).query(repliesQuery);
const inboundRows = (sid: string) => tdb.db.select().from(inboundMessages).where(eq(inboundMessages.providerMessageId, sid));

beforeAll(async () => {
  tdb = await createTestDatabase();
  ctx = await createMessagingApp(tdb.db, {
    TWILIO_ACCOUNT_SID: 'ACtest', TWILIO_AUTH_TOKEN: TOKEN, TWILIO_WHATSAPP_FROM: CLINIC_NUMBER, PUBLIC_API_URL: PUBLIC,
    SENDGRID_WEBHOOK_PUBLIC_KEY: signer.publicKey,
  });
  const created = await createClinicWithMembers(tdb.db, 'Clínica Webhooks');
  clinicId = created.clinic.id;
  members = created.members;
  await tdb.db.update(clinics).set({ settings: { whatsappNumber: CLINIC_NUMBER } }).where(eq(clinics.id, clinicId));
  await createClinicWithMembers(tdb.db, 'Outra Clínica'); // inbound must resolve by the number, not "the only clinic"
  const [professional] = await tdb.db.insert(professionals).values({ clinicId, name: 'Dra. Helena' }).returning();
  const [procedure] = await tdb.db.insert(procedures).values({ clinicId, name: 'Limpeza de pele', category: 'facial', durationMinutes: 60, defaultPriceCents: 20000 }).returning();
  const [patient] = await tdb.db.insert(patients).values({ clinicId, name: 'Ana Souza', whatsapp: PHONE, email: 'ana@example.com' }).returning();
  patientId = patient.id;
  const [appointment] = await tdb.db.insert(appointments).values({
    clinicId, patientId, procedureId: procedure.id, professionalId: professional.id, startsAt: new Date(Date.now() + 26 * 3600_000), durationMinutes: 60, priceCents: 20000,
  }).returning();
  appointmentId = appointment.id;

  bundle = await bundleWorkflowCode({ workflowsPath: createRequire(import.meta.url).resolve('./reply-recorder.workflow.ts'), logger: quiet });
  native = await NativeConnection.connect({ address: inject('temporalAddress') });
  worker = await Worker.create({ connection: native, taskQueue, workflowBundle: bundle });
  running = worker.run();
  await ctx.temporal.workflow.start(replyRecorder, { workflowId: appointmentWorkflowId(appointmentId), taskQueue, args: [] });
});
afterAll(async () => {
  await ctx?.temporal.workflow.getHandle(appointmentWorkflowId(appointmentId)).terminate().catch(() => {});
  worker?.shutdown();
  await running?.catch(() => {});
  await native?.close();
  await ctx?.close();
  await tdb?.drop();
});

describe('Twilio inbound webhook', () => {
  it('rejects a bad or missing signature with 403 and records nothing', async () => {
    const params = inbound('SMbad00000000000000000000000000001', 'SIM');
    const wrong = await twilioPost('/webhooks/twilio/whatsapp', params, { token: 'not-the-token' });
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).error.code).toBe('forbidden');
    const missing = await ctx.app.request('/webhooks/twilio/whatsapp', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
    expect(missing.status).toBe(403);
    // Signed for other parameters (tampered body):
    const sig = twilioSignature(TOKEN, `${PUBLIC}/webhooks/twilio/whatsapp`, { ...params, Body: 'NÃO' });
    expect((await twilioPost('/webhooks/twilio/whatsapp', params, { signature: sig })).status).toBe(403);
    expect(await tdb.db.select().from(webhookDeliveries)).toHaveLength(0);
    expect(await inboundRows(params.MessageSid)).toHaveLength(0);
  });

  it('routes a reply to the running journey of the next appointment; a replay is a no-op', async () => {
    const params = inbound('SMok000000000000000000000000000001', 'SIM');
    const res = await twilioPost('/webhooks/twilio/whatsapp', params);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/xml');
    expect(await res.text()).toContain('<Response>');
    const [row] = await inboundRows(params.MessageSid);
    expect(row).toMatchObject({ clinicId, patientId, appointmentId, outcome: 'signalled', workflowId: appointmentWorkflowId(appointmentId), from: PHONE, body: 'SIM' });
    expect(await replies()).toEqual([{ text: 'SIM', channel: 'whatsapp', messageId: params.MessageSid, receivedAt: row.receivedAt.toISOString() }]);

    // Twilio retries the same delivery (same MessageSid, same signature): 200 and nothing happens.
    const replay = await twilioPost('/webhooks/twilio/whatsapp', params);
    expect(replay.status).toBe(200);
    expect(await inboundRows(params.MessageSid)).toHaveLength(1);
    expect(await replies()).toHaveLength(1);
  });

  it('starts the lead journey for a message from an unknown number, recorded in its new conversation', async () => {
    // WhatsApp ids of Brazilian mobiles often lack the ninth digit; media arrive as MediaUrl0…
    const params = { ...inbound('SMlead0000000000000000000000000001', 'Oi, quanto custa o botox?', '+552199998888'), NumMedia: '1', MediaUrl0: 'https://api.twilio.com/media/ME1' };
    expect((await twilioPost('/webhooks/twilio/whatsapp', params)).status).toBe(200);
    expect((await inboundRows(params.MessageSid))[0]).toMatchObject({
      clinicId, patientId: null, outcome: 'lead', from: '+5521999998888', to: CLINIC_NUMBER, mediaUrls: ['https://api.twilio.com/media/ME1'],
      workflowId: `lead:${clinicId}:+5521999998888`,
    });
    const [conv] = await tdb.db.select().from(conversations).where(eq(conversations.patientWhatsapp, '+5521999998888'));
    expect(conv).toMatchObject({ clinicId, status: 'aberta', unreadCount: 1, workflowId: `lead:${clinicId}:+5521999998888` });
    const msgs = await tdb.db.select().from(conversationMessages).where(eq(conversationMessages.conversationId, conv.id));
    expect(msgs).toMatchObject([{ sender: 'paciente', body: 'Oi, quanto custa o botox?', mediaUrl: 'https://api.twilio.com/media/ME1', providerMessageId: params.MessageSid }]);
    // Twilio's retry of the same MessageSid records nothing twice.
    expect((await twilioPost('/webhooks/twilio/whatsapp', params)).status).toBe(200);
    expect(await tdb.db.select().from(conversationMessages).where(eq(conversationMessages.conversationId, conv.id))).toHaveLength(1);
  });

  it('SMS arrives on its own path', async () => {
    const sid = 'SMsms00000000000000000000000000001';
    const params = { MessageSid: sid, From: PHONE, To: CLINIC_NUMBER, Body: '1', NumMedia: '0' };
    expect((await twilioPost('/webhooks/twilio/sms', params)).status).toBe(200);
    expect((await inboundRows(sid))[0]).toMatchObject({ channel: 'sms', outcome: 'signalled' });
    expect((await replies()).at(-1)).toMatchObject({ text: '1', channel: 'sms' });
  });

  it('PARAR revokes WhatsApp consent, drops queued marketing, is audited, and later messages on WhatsApp are skipped', async () => {
    const [queued] = await tdb.db.insert(messageOutbox).values({
      clinicId, patientId, channel: 'whatsapp', to: PHONE, body: 'Promoção!', purpose: 'marketing', idempotencyKey: 'promo:queued',
    }).returning();
    const before = (await replies()).length;
    const params = inbound('SMstop000000000000000000000000001', 'PARAR');
    expect((await twilioPost('/webhooks/twilio/whatsapp', params)).status).toBe(200);
    expect((await inboundRows(params.MessageSid))[0].outcome).toBe('opt_out');
    const [consent] = await tdb.db.select().from(consents).where(and(eq(consents.patientId, patientId), eq(consents.channel, 'whatsapp')));
    expect(consent).toMatchObject({ granted: false, source: 'whatsapp' });
    expect(consent.revokedAt).toBeInstanceOf(Date);
    expect((await tdb.db.select().from(messageOutbox).where(eq(messageOutbox.id, queued.id)))[0]).toMatchObject({ status: 'skipped', error: 'opt_out' });
    expect(await tdb.db.select().from(auditLog).where(and(eq(auditLog.clinicId, clinicId), eq(auditLog.action, 'opt_out')))).toHaveLength(1);
    expect(await replies()).toHaveLength(before); // not a reply to the journey

    const sender = localSender();
    const base = { clinicId, patientId, channel: 'whatsapp' as const, to: PHONE, body: 'x' };
    expect((await sender.send({ ...base, purpose: 'marketing', idempotencyKey: 'after-optout-1' })).status).toBe('skipped_opt_out');
    expect((await sender.send({ ...base, purpose: 'transactional', idempotencyKey: 'after-optout-2' })).status).toBe('skipped_opt_out');
    expect((await sender.send({ ...base, channel: 'sms', purpose: 'transactional', idempotencyKey: 'after-optout-3' })).status).toBe('sent');
    await tdb.db.delete(consents);
  });

  it('a reply whose signal failed (Temporal unreachable) is re-sent later by the redelivery sweep', async () => {
    const down = { workflow: { getHandle: () => ({ signal: () => Promise.reject(new Error('connection refused')) }) } } as unknown as typeof ctx.temporal;
    const deps = { db: tdb.db, env: ctx.env, log: pino({ level: 'silent' }), now: () => new Date() };
    const before = (await replies()).length;
    const r = await routeInbound({ ...deps, temporal: down }, { clinicId, from: PHONE, channel: 'whatsapp', text: 'confirmo', messageId: 'SMretry', receivedAt: new Date() });
    expect(r).toMatchObject({ outcome: 'signal_failed', appointmentId });
    expect(await replies()).toHaveLength(before);
    expect(await resendFailedReplies({ ...deps, temporal: ctx.temporal, taskQueue: ctx.env.TEMPORAL_TASK_QUEUE })).toEqual({ signalled: 1, failed: 0, remaining: false });
    expect((await replies()).at(-1)).toMatchObject({ text: 'confirmo', messageId: 'SMretry' });
    expect((await inboundRows('SMretry'))[0].outcome).toBe('signalled');
    expect(await resendFailedReplies({ ...deps, temporal: ctx.temporal, taskQueue: ctx.env.TEMPORAL_TASK_QUEUE })).toEqual({ signalled: 0, failed: 0, remaining: false });
  });

  it('answers 403 when Twilio is not configured (only the simulator reaches the inbound path)', async () => {
    const bare = await createMessagingApp(tdb.db, {});
    try {
      const params = inbound('SMnocfg00000000000000000000000001', 'SIM');
      const res = await bare.app.request('/webhooks/twilio/whatsapp', {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': twilioSignature('', `${PUBLIC}/webhooks/twilio/whatsapp`, params) },
        body: new URLSearchParams(params).toString(),
      });
      expect(res.status).toBe(403);
      expect(await inboundRows(params.MessageSid)).toHaveLength(0);
    } finally {
      await bare.close();
    }
  });
});

describe('Twilio status callbacks', () => {
  it('moves the outbox forward (never back), updates the reminder confirmation, and ignores repeats', async () => {
    const [row] = await tdb.db.insert(messageOutbox).values({
      clinicId, patientId, appointmentId, channel: 'whatsapp', to: PHONE, body: 'Lembrete', template: 'reminder_24h', idempotencyKey: 'status:1',
      status: 'sent', providerMessageId: 'SMstatus0000000000000000000000001', sentAt: new Date(),
    }).returning();
    const [confirmation] = await tdb.db.insert(appointmentConfirmations).values({ clinicId, appointmentId, kind: 'lembrete_24h', channel: 'whatsapp' }).returning();
    const path = `/webhooks/twilio/status?outbox=${row.id}`;
    const cb = (status: string) => ({ MessageSid: row.providerMessageId!, MessageStatus: status, AccountSid: 'ACtest', To: `whatsapp:${PHONE}` });
    expect((await twilioPost(path, cb('delivered'))).status).toBe(204);
    expect((await twilioPost(path, cb('read'))).status).toBe(204);
    expect((await twilioPost(path, cb('sent'))).status).toBe(204); // late, out of order
    expect((await twilioPost(path, cb('read'))).status).toBe(204); // repeat
    const [after] = await tdb.db.select().from(messageOutbox).where(eq(messageOutbox.id, row.id));
    expect(after.status).toBe('read');
    expect(after.deliveredAt).toBeInstanceOf(Date);
    expect(after.readAt).toBeInstanceOf(Date);
    const [c] = await tdb.db.select().from(appointmentConfirmations).where(eq(appointmentConfirmations.id, confirmation.id));
    expect(c.deliveredAt).toBeInstanceOf(Date);
    expect(c.read).toBe(true);
    expect(await tdb.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.providerEventId, `status:${row.providerMessageId}:read`))).toHaveLength(1);
    // The signature covers the query string: another outbox id is a different URL.
    const forged = twilioSignature(TOKEN, `${PUBLIC}${path}`, cb('failed'));
    expect((await twilioPost(`/webhooks/twilio/status?outbox=${crypto.randomUUID()}`, cb('failed'), { signature: forged })).status).toBe(403);
  });

  it('completes a row a crashed worker left as sending (provider id learnt from the callback)', async () => {
    const [row] = await tdb.db.insert(messageOutbox).values({
      clinicId, patientId, channel: 'whatsapp', to: PHONE, body: 'x', idempotencyKey: 'status:crash', status: 'sending',
    }).returning();
    await twilioPost(`/webhooks/twilio/status?outbox=${row.id}`, { MessageSid: 'SMcrash000000000000000000000000001', MessageStatus: 'sent' });
    const [after] = await tdb.db.select().from(messageOutbox).where(eq(messageOutbox.id, row.id));
    expect(after).toMatchObject({ status: 'sent', providerMessageId: 'SMcrash000000000000000000000000001' });
  });

  it('marks undelivered as failed with the error code', async () => {
    const [row] = await tdb.db.insert(messageOutbox).values({
      clinicId, channel: 'sms', to: PHONE, body: 'x', idempotencyKey: 'status:fail', status: 'sent', providerMessageId: 'SMfail0000000000000000000000000001',
    }).returning();
    await twilioPost('/webhooks/twilio/status', { MessageSid: row.providerMessageId!, MessageStatus: 'undelivered', ErrorCode: '30003' });
    const [after] = await tdb.db.select().from(messageOutbox).where(eq(messageOutbox.id, row.id));
    expect(after).toMatchObject({ status: 'failed', error: 'twilio undelivered 30003' });
  });
});

describe('SendGrid event webhook', () => {
  const post = (payload: string, headers: Record<string, string>) =>
    ctx.app.request('/webhooks/sendgrid', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });
  const now = () => String(Math.floor(Date.now() / 1000));

  it('records delivered/open, marks a bounced address (later e-mail skipped); invalid, replayed and stale requests change nothing', async () => {
    const [row] = await tdb.db.insert(messageOutbox).values({
      clinicId, patientId, channel: 'email', to: 'ana@example.com', subject: 'Lembrete', body: 'x', idempotencyKey: 'email:1', status: 'sent', providerMessageId: 'sgmsg1',
    }).returning();
    const ts = Math.floor(Date.now() / 1000);
    const events = [
      { email: 'ana@example.com', event: 'delivered', sg_event_id: 'ev-delivered-1', sg_message_id: 'sgmsg1.filter0001', timestamp: ts, outbox_id: row.id, clinic_id: clinicId },
      { email: 'ana@example.com', event: 'open', sg_event_id: 'ev-open-1', sg_message_id: 'sgmsg1.filter0001', timestamp: ts, outbox_id: row.id, clinic_id: clinicId },
    ];
    const payload = JSON.stringify(events);
    const tampered = payload.replace('"open"', '"click"');
    const headers = signer.sign(payload, now());
    expect((await post(tampered, headers)).status).toBe(403);
    expect((await post(payload, signer.sign(payload, String(ts - 3600)))).status).toBe(403); // signed an hour ago: replay
    expect(await tdb.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.provider, 'sendgrid'))).toHaveLength(0);

    const ok = await post(payload, headers);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ received: 2, processed: 2 });
    const [after] = await tdb.db.select().from(messageOutbox).where(eq(messageOutbox.id, row.id));
    expect(after.status).toBe('read');
    expect(after.deliveredAt).toBeInstanceOf(Date);
    const replay = await post(payload, headers);
    expect(await replay.json()).toEqual({ received: 2, processed: 0 });

    const bounce = JSON.stringify([{ email: 'Ana@Example.com', event: 'bounce', type: 'bounce', reason: '550 5.1.1 user unknown', sg_event_id: 'ev-bounce-1', sg_message_id: 'sgmsg1.f', timestamp: ts, outbox_id: row.id }]);
    expect((await post(bounce, signer.sign(bounce, now()))).status).toBe(200);
    expect(await tdb.db.select().from(emailSuppressions)).toMatchObject([{ clinicId, email: 'ana@example.com', reason: 'bounce' }]);
    const sender = localSender();
    const later = await sender.send({ clinicId, patientId, channel: 'email', to: 'ana@example.com', subject: 'Oi', body: 'x', purpose: 'transactional', idempotencyKey: 'email:after-bounce' });
    expect(later.status).toBe('skipped_bounced');
  });

  it('an unsubscribe event revokes the e-mail consent', async () => {
    const [row] = await tdb.db.insert(messageOutbox).values({
      clinicId, patientId, channel: 'email', to: 'ana2@example.com', subject: 'Promo', body: 'x', idempotencyKey: 'email:unsub', status: 'sent', purpose: 'marketing',
    }).returning();
    const body = JSON.stringify([{ email: 'ana2@example.com', event: 'unsubscribe', sg_event_id: 'ev-unsub-1', timestamp: Math.floor(Date.now() / 1000), outbox_id: row.id }]);
    expect((await post(body, signer.sign(body, now()))).status).toBe(200);
    const [consent] = await tdb.db.select().from(consents).where(and(eq(consents.patientId, patientId), eq(consents.channel, 'email')));
    expect(consent).toMatchObject({ granted: false, source: 'email' });
    await tdb.db.delete(consents);
  });

  it('rejects malformed JSON (signed) with 400 and an unsigned request with 403', async () => {
    const body = '{"not":"an array"}';
    const res = await post(body, signer.sign(body, now()));
    expect(res.status).toBe(400);
    expect((await post('[]', {})).status).toBe(403);
  });
});

describe('simulator', () => {
  it('a staff member replies as the patient through the webhook path; the thread shows both directions in order', async () => {
    const staff = await login(ctx.app, members.staff.email);
    const before = (await replies()).length;
    await localSender().send({
      clinicId, patientId, appointmentId, channel: 'whatsapp', to: PHONE, body: 'Lembrete: amanhã às 10h. Responda 1 para confirmar.',
      templateKey: 'reminder_24h', quickReplies: ['Confirmar', 'Cancelar'], purpose: 'transactional', idempotencyKey: 'sim:reminder',
    });
    const res = await ctx.app.request('/api/simulator/inbound', {
      method: 'POST', headers: bearer(staff, { 'content-type': 'application/json' }), body: JSON.stringify({ patientId, text: '1' }),
    });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ duplicate: false, outcome: 'signalled', patientId, appointmentId, workflowId: appointmentWorkflowId(appointmentId) });
    expect(body.messageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect((await replies()).slice(before)).toMatchObject([{ text: '1', channel: 'whatsapp', messageId: body.messageId }]);

    const thread = await ctx.app.request(`/api/simulator/outbox?patientId=${patientId}`, { headers: bearer(staff) });
    expect(thread.status).toBe(200);
    const t = await thread.json();
    expect(t.patient).toMatchObject({ id: patientId, name: 'Ana Souza', whatsapp: PHONE });
    const last = t.messages.slice(-2);
    expect(last.map((m: { direction: string; body: string }) => [m.direction, m.body])).toEqual([
      ['outbound', 'Lembrete: amanhã às 10h. Responda 1 para confirmar.'], ['inbound', '1'],
    ]);
    expect(last[0]).toMatchObject({ status: 'sent', quickReplies: ['Confirmar', 'Cancelar'], channel: 'whatsapp' });
    expect(last[1]).toMatchObject({ status: 'signalled', channel: 'whatsapp' });
    const ats = t.messages.map((m: { at: string }) => m.at);
    expect([...ats].sort()).toEqual(ats);
  });

  it('validates input (400), needs staff (403) and an existing patient (404)', async () => {
    const staff = await login(ctx.app, members.staff.email);
    const view = await login(ctx.app, members.view.email);
    const post = (token: string, body: unknown) => ctx.app.request('/api/simulator/inbound', { method: 'POST', headers: bearer(token, { 'content-type': 'application/json' }), body: JSON.stringify(body) });
    expect((await post(view, { patientId, text: 'oi' })).status).toBe(403);
    const empty = await post(staff, { patientId, text: '' });
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.fields.text).toBeDefined();
    expect((await post(staff, { text: 'oi' })).status).toBe(400);
    expect((await post(staff, { from: 'abc', text: 'oi' })).status).toBe(400);
    expect((await post(staff, { patientId: crypto.randomUUID(), text: 'oi' })).status).toBe(404);
    expect((await ctx.app.request('/api/simulator/outbox?patientId=nope', { headers: bearer(staff) })).status).toBe(400);
    const lead = await post(staff, { from: '(21) 99999-7777', text: 'Oi!' });
    expect(lead.status).toBe(201);
    expect((await lead.json()).outcome).toBe('lead');
  });
});
