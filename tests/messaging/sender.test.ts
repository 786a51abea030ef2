// createMessageSender against a real database and the real SDKs aimed at fake servers: idempotency,
// crash safety (at most once), consent / opt-out / bounce rules, WhatsApp's 24-hour window.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { createClinicFixture } from '../support/fixtures';
import { loadEnv } from '../../config/env';
import { consents, emailSuppressions, inboundMessages, messageOutbox, patients } from '../../db/schema';
import { createMessageSender, type OutboundMessage } from '../../services/messaging/sender';
import type { ChannelAdapter } from '../../providers/messaging/adapter';
import { createSendGridAdapter } from '../../providers/messaging/sendgrid';
import { createTwilioAdapter, redirectingHttpClient } from '../../providers/messaging/twilio';
import { formOf, startFakeSendGrid, startFakeTwilio, type FakeServer } from './fakes';

let tdb: TestDatabase;
let twilioFake: FakeServer;
let sendgridFake: FakeServer;
let clinicId: string;
let patientId: string;
const log = pino({ level: 'silent' });
const env = loadEnv({ NODE_ENV: 'test' });
const PHONE = '+5511987654321';

const twilio = () => createTwilioAdapter({ accountSid: 'ACtest', authToken: 'tok', whatsappFrom: '+5511900000000', smsFrom: '+5511911112222', httpClient: redirectingHttpClient(twilioFake.url) });
const sendgrid = () => createSendGridAdapter({ apiKey: 'SG.k', from: 'contato@clinica.example.com', baseUrl: sendgridFake.url });
const sender = (over: { twilio?: ChannelAdapter } = {}) => createMessageSender({ db: tdb.db, env, log, twilio: over.twilio ?? twilio(), sendgrid: sendgrid() });
let n = 0;
const msg = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({
  clinicId, patientId, channel: 'whatsapp', to: PHONE, body: 'Seu horário é amanhã às 14h. Responda 1 para confirmar.',
  contentSid: 'HXreminder', variables: { 1: 'Ana' }, templateKey: 'reminder_24h', purpose: 'transactional', idempotencyKey: `k-${++n}`, ...over,
});
const outbox = async (id: string) => (await tdb.db.select().from(messageOutbox).where(eq(messageOutbox.id, id)))[0];
const setConsent = (channel: 'whatsapp' | 'sms' | 'email', granted: boolean, revoked = false) =>
  tdb.db.insert(consents).values({ clinicId, patientId, channel, granted, source: 'formulario', revokedAt: revoked ? new Date() : null })
    .onConflictDoUpdate({ target: [consents.clinicId, consents.patientId, consents.channel], set: { granted, revokedAt: revoked ? new Date() : null } });

beforeAll(async () => {
  tdb = await createTestDatabase();
  twilioFake = await startFakeTwilio();
  sendgridFake = await startFakeSendGrid();
  const f = await createClinicFixture(tdb.db, { name: 'Clínica Mensagens' });
  clinicId = f.clinic.id;
  const p = await f.patient('Ana Souza', new Date());
  await tdb.db.update(patients).set({ whatsapp: PHONE, email: 'ana@example.com' }).where(eq(patients.id, p.id));
  patientId = p.id;
});
afterAll(async () => {
  await twilioFake?.close();
  await sendgridFake?.close();
  await tdb?.drop();
});
beforeEach(async () => {
  twilioFake.requests.length = 0;
  sendgridFake.requests.length = 0;
  await tdb.db.delete(consents);
});

describe('idempotency', () => {
  it('sends once for two sends with the same key; the second is a duplicate', async () => {
    const s = sender();
    const m = msg();
    const first = await s.send(m);
    expect(first.status).toBe('sent');
    expect(first.providerMessageId).toMatch(/^SM/);
    const second = await s.send(m);
    expect(second).toEqual({ status: 'duplicate', outboxId: first.outboxId, providerMessageId: first.providerMessageId });
    expect(twilioFake.requests).toHaveLength(1);
    const row = await outbox(first.outboxId);
    expect(row).toMatchObject({ status: 'sent', providerMessageId: first.providerMessageId, attempts: 1, template: 'reminder_24h', purpose: 'transactional' });
    expect(row.sentAt).toBeInstanceOf(Date);
  });

  it('concurrent sends with the same key call the provider once', async () => {
    const s = sender();
    const m = msg();
    const results = await Promise.all([s.send(m), s.send(m), s.send(m)]);
    expect(results.filter((r) => r.status === 'sent')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'duplicate')).toHaveLength(2);
    expect(twilioFake.requests).toHaveLength(1);
  });

  it('a crash after the provider call (row left sending) is not resent on retry', async () => {
    // The provider takes the message, then the worker dies before recording it: simulated by an adapter
    // that reaches the fake Twilio and then fails with an unknown (non-HTTP) error.
    const real = twilio();
    const crashing: ChannelAdapter = { ...real, deliver: async (m, ctx) => { await real.deliver(m, ctx); throw new Error('worker lost'); } };
    const m = msg();
    await expect(sender({ twilio: crashing }).send(m)).rejects.toThrow('worker lost');
    expect(twilioFake.requests).toHaveLength(1);
    const [row] = await tdb.db.select().from(messageOutbox).where(and(eq(messageOutbox.clinicId, clinicId), eq(messageOutbox.idempotencyKey, m.idempotencyKey)));
    expect(row.status).toBe('sending');
    // The activity's retry, with a healthy worker:
    const retry = await sender().send(m);
    expect(retry).toMatchObject({ status: 'duplicate', outboxId: row.id });
    expect(twilioFake.requests).toHaveLength(1);
  });

  it('a 503 puts the row back in the queue and the retry sends it exactly once', async () => {
    twilioFake.respondNext({ status: 503, body: { code: 20503, message: 'unavailable', status: 503 } });
    const m = msg();
    await expect(sender().send(m)).rejects.toMatchObject({ name: 'MessagingProviderUnavailable' });
    const retry = await sender().send(m);
    expect(retry.status).toBe('sent');
    expect(twilioFake.requests).toHaveLength(2);
    expect((await outbox(retry.outboxId)).attempts).toBe(2);
    expect((await sender().send(m)).status).toBe('duplicate');
    expect(twilioFake.requests).toHaveLength(2);
  });

  it('a refusal (400) marks the row failed and is not retried', async () => {
    twilioFake.respondNext({ status: 400, body: { code: 21211, message: 'invalid To', status: 400 } });
    const m = msg();
    await expect(sender().send(m)).rejects.toMatchObject({ name: 'MessageRejected', nonRetryable: true });
    await expect(sender().send(m)).rejects.toMatchObject({ name: 'MessageRejected' });
    expect(twilioFake.requests).toHaveLength(1);
  });
});

describe('consent, opt-out and bounces (LGPD)', () => {
  it('transactional goes without a consent row; marketing needs a granted consent', async () => {
    expect((await sender().send(msg())).status).toBe('sent');
    const marketing = await sender().send(msg({ purpose: 'marketing', templateKey: 'promo' }));
    expect(marketing.status).toBe('skipped_no_consent');
    expect(await outbox(marketing.outboxId)).toMatchObject({ status: 'skipped', error: 'no_consent' });
    await setConsent('whatsapp', true);
    expect((await sender().send(msg({ purpose: 'marketing' }))).status).toBe('sent');
  });

  it('an opt-out of the channel stops marketing AND reminders on it, but not other channels', async () => {
    await setConsent('whatsapp', false, true);
    const marketing = await sender().send(msg({ purpose: 'marketing' }));
    const reminder = await sender().send(msg());
    expect([marketing.status, reminder.status]).toEqual(['skipped_opt_out', 'skipped_opt_out']);
    expect(twilioFake.requests).toHaveLength(0);
    expect((await sender().send(msg({ channel: 'sms' }))).status).toBe('sent');
    // A retried activity gets the same answer.
    expect((await sender().send(msg({ idempotencyKey: `k-${n - 1}` }))).status).toBe('skipped_opt_out');
  });

  it('a refused consent (never given) skips transactional too', async () => {
    await setConsent('sms', false);
    expect((await sender().send(msg({ channel: 'sms' }))).status).toBe('skipped_no_consent');
  });

  it('a bounced address is not mailed again', async () => {
    const email = msg({ channel: 'email', to: 'Ana@Example.com', subject: 'Lembrete', contentSid: undefined });
    expect((await sender().send(email)).status).toBe('sent');
    expect(sendgridFake.requests).toHaveLength(1);
    await tdb.db.insert(emailSuppressions).values({ clinicId, email: 'ana@example.com', reason: 'bounce' });
    const later = await sender().send(msg({ channel: 'email', to: 'ana@example.com', subject: 'Lembrete', contentSid: undefined }));
    expect(later.status).toBe('skipped_bounced');
    expect(sendgridFake.requests).toHaveLength(1);
    await tdb.db.delete(emailSuppressions);
  });
});

describe('WhatsApp 24-hour window', () => {
  it('uses the template when the patient has not written in 24h, free text after an inbound message', async () => {
    await sender().send(msg());
    expect(formOf(twilioFake.requests[0]).get('ContentSid')).toBe('HXreminder');
    await tdb.db.insert(inboundMessages).values({ clinicId, channel: 'whatsapp', from: PHONE, body: 'oi', providerMessageId: 'SMin1', receivedAt: new Date(Date.now() - 60_000) });
    await sender().send(msg());
    const form = formOf(twilioFake.requests[1]);
    expect(form.get('Body')).toContain('Seu horário é amanhã');
    expect(form.has('ContentSid')).toBe(false);
    await tdb.db.delete(inboundMessages);
  });

  it('without a template outside the window the message fails (not sent) with a clear reason', async () => {
    const r = await sender().send(msg({ contentSid: undefined })).catch((e) => e);
    expect(r.code).toBe('whatsapp_template_required');
    expect(twilioFake.requests).toHaveLength(0);
  });
});

describe('adapters and batch', () => {
  it('uses the local outbox when nothing is configured', async () => {
    const local = createMessageSender({ db: tdb.db, env, log });
    expect(local.adapters).toEqual({ whatsapp: 'local', sms: 'local', email: 'local' });
    const r = await local.send(msg({ contentSid: undefined }));
    expect(r.status).toBe('sent');
    expect(await outbox(r.outboxId)).toMatchObject({ status: 'sent', providerMessageId: `local-${r.outboxId}` });
    expect(twilioFake.requests).toHaveLength(0);
  });

  it('fills in the Content SID configured for the template key (TWILIO_CONTENT_SIDS)', async () => {
    const withSids = createMessageSender({ db: tdb.db, log, twilio: twilio(), env: loadEnv({ NODE_ENV: 'test', TWILIO_CONTENT_SIDS: '{"reminder_24h":"HXfromenv"}' }) });
    await withSids.send(msg({ contentSid: undefined }));
    expect(formOf(twilioFake.requests[0]).get('ContentSid')).toBe('HXfromenv');
    expect(() => loadEnv({ TWILIO_CONTENT_SIDS: '["HX"]' })).toThrow(/TWILIO_CONTENT_SIDS/);
  });

  it('picks Twilio and SendGrid from the environment', () => {
    const configured = createMessageSender({
      db: tdb.db, log,
      env: loadEnv({ NODE_ENV: 'test', TWILIO_ACCOUNT_SID: 'ACx', TWILIO_AUTH_TOKEN: 't', TWILIO_WHATSAPP_FROM: '+5511900000000', SENDGRID_API_KEY: 'SG.x', SENDGRID_FROM: 'a@b.com' }),
    });
    expect(configured.adapters).toEqual({ whatsapp: 'twilio', sms: 'local', email: 'sendgrid' });
  });

  it('sends e-mails with the same template in one SendGrid call, skipping a bounced address', async () => {
    const f = await createClinicFixture(tdb.db, { name: 'Clínica Lote' });
    const ids = await Promise.all(['a', 'b', 'c'].map(async (x) => (await f.patient(`Paciente ${x}`, new Date())).id));
    for (const id of ids) await tdb.db.insert(consents).values({ clinicId: f.clinic.id, patientId: id, channel: 'email', granted: true, source: 'formulario' });
    await tdb.db.insert(emailSuppressions).values({ clinicId: f.clinic.id, email: 'c@example.com', reason: 'bounce' });
    const messages = ids.map((id, i) => msg({
      clinicId: f.clinic.id, patientId: id, channel: 'email', to: `${'abc'[i]}@example.com`, sendgridTemplateId: 'd-promo', purpose: 'marketing', contentSid: undefined,
    }));
    const results = await sender().sendBatch(messages);
    expect(results.map((r) => r.status)).toEqual(['sent', 'sent', 'skipped_bounced']);
    expect(sendgridFake.requests).toHaveLength(1);
    expect(JSON.parse(sendgridFake.requests[0].raw).personalizations).toHaveLength(2);
    expect((await sender().sendBatch(messages)).map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'skipped_bounced']);
    expect(sendgridFake.requests).toHaveLength(1);
  });
});
