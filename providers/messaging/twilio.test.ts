// The real Twilio SDK against a fake server: the form Twilio would receive for each kind of message.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { basicAuth, formOf, startFakeTwilio, type FakeServer } from '../../tests/messaging/fakes';
import { MessageRejectedError } from './adapter';
import { createTwilioAdapter, redirectingHttpClient, twilioSignature, validTwilioSignature } from './twilio';
import type { OutboundMessage } from './types';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'test-auth-token';
let fake: FakeServer;
let adapter: ReturnType<typeof createTwilioAdapter>;

const msg = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({
  clinicId: '00000000-0000-4000-8000-000000000001', channel: 'whatsapp', to: '+5511987654321', body: 'Olá, Ana! Seu horário é amanhã às 14h.',
  purpose: 'transactional', idempotencyKey: 'appointment:x:reminder_24h', ...over,
});

beforeAll(async () => {
  fake = await startFakeTwilio();
  adapter = createTwilioAdapter({
    accountSid: SID, authToken: TOKEN, whatsappFrom: '+5511900000000', smsFrom: '+5511911112222',
    statusCallbackUrl: 'https://crm.example.com/webhooks/twilio/status', httpClient: redirectingHttpClient(fake.url),
  });
});
afterAll(() => fake.close());
beforeEach(() => { fake.requests.length = 0; });

describe('Twilio adapter (real SDK, fake server)', () => {
  it('sends a Content template outside the 24h window, with whatsapp: addresses, variables, status callback and basic auth', async () => {
    const sent = await adapter.deliver(msg({ contentSid: 'HX1234', variables: { 1: 'Ana', 2: '14:00' }, quickReplies: ['Confirmar', 'Cancelar'] }), { outboxId: 'ob-1', sessionOpen: false });
    expect(sent.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(req.headers.authorization).toBe(basicAuth(SID, TOKEN));
    expect(req.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(req.headers['x-original-host']).toBe('api.twilio.com');
    const form = formOf(req);
    expect(form.get('To')).toBe('whatsapp:+5511987654321');
    expect(form.get('From')).toBe('whatsapp:+5511900000000');
    expect(form.get('ContentSid')).toBe('HX1234');
    expect(JSON.parse(form.get('ContentVariables')!)).toEqual({ 1: 'Ana', 2: '14:00' });
    expect(form.get('StatusCallback')).toBe('https://crm.example.com/webhooks/twilio/status?outbox=ob-1');
    expect(form.has('Body')).toBe(false);
  });

  it('sends free text and media inside the window', async () => {
    await adapter.deliver(msg({ mediaUrl: 'https://cdn.example.com/antes-depois.jpg', contentSid: 'HX1234' }), { outboxId: 'ob-2', sessionOpen: true });
    const form = formOf(fake.requests[0]);
    expect(form.get('Body')).toBe('Olá, Ana! Seu horário é amanhã às 14h.');
    expect(form.getAll('MediaUrl')).toEqual(['https://cdn.example.com/antes-depois.jpg']);
    expect(form.has('ContentSid')).toBe(false);
  });

  it('uses the template for quick replies even inside the window; without a template the options go in the text', async () => {
    await adapter.deliver(msg({ contentSid: 'HXbuttons', quickReplies: ['Sim', 'Não'] }), { outboxId: 'ob-3', sessionOpen: true });
    expect(formOf(fake.requests[0]).get('ContentSid')).toBe('HXbuttons');
    await adapter.deliver(msg({ quickReplies: ['Confirmar', 'Cancelar'] }), { outboxId: 'ob-4', sessionOpen: true });
    expect(formOf(fake.requests[1]).get('Body')).toBe('Olá, Ana! Seu horário é amanhã às 14h.\n\n1 - Confirmar\n2 - Cancelar');
    await adapter.deliver(msg({ body: 'Responda 1 para confirmar ou 2 para cancelar.', quickReplies: ['1', '2'] }), { outboxId: 'ob-4b', sessionOpen: true });
    expect(formOf(fake.requests[2]).get('Body')).toBe('Responda 1 para confirmar ou 2 para cancelar.');
  });

  it('refuses free text outside the window without calling Twilio', async () => {
    await expect(adapter.deliver(msg(), { outboxId: 'ob-5', sessionOpen: false })).rejects.toMatchObject({ name: 'MessageRejected', code: 'whatsapp_template_required' });
    expect(fake.requests).toHaveLength(0);
  });

  it('sends SMS from the SMS number without a prefix', async () => {
    await adapter.deliver(msg({ channel: 'sms' }), { outboxId: 'ob-6', sessionOpen: false });
    const form = formOf(fake.requests[0]);
    expect(form.get('To')).toBe('+5511987654321');
    expect(form.get('From')).toBe('+5511911112222');
    expect(form.get('Body')).toContain('Olá, Ana');
  });

  it('maps a 400 from Twilio to a non-retryable rejection and a 503 to a retryable error', async () => {
    fake.respondNext({ status: 400, body: { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 } });
    const rejected = await adapter.deliver(msg({ channel: 'sms' }), { outboxId: 'ob-7', sessionOpen: true }).catch((e) => e);
    expect(rejected).toBeInstanceOf(MessageRejectedError);
    expect(rejected.code).toBe('21211');
    fake.respondNext({ status: 503, body: { code: 20503, message: 'Service unavailable', status: 503 } });
    const unavailable = await adapter.deliver(msg({ channel: 'sms' }), { outboxId: 'ob-8', sessionOpen: true }).catch((e) => e);
    expect(unavailable.name).toBe('MessagingProviderUnavailable');
  });
});

describe('X-Twilio-Signature', () => {
  const url = 'https://crm.example.com/webhooks/twilio/whatsapp';
  const params = { MessageSid: 'SM1', From: 'whatsapp:+5511987654321', Body: 'SIM' };
  it('accepts the signature Twilio computes and rejects a wrong or missing one, or one over other params', () => {
    const signature = twilioSignature(TOKEN, url, params);
    expect(validTwilioSignature(TOKEN, signature, url, params)).toBe(true);
    expect(validTwilioSignature('other-token', signature, url, params)).toBe(false);
    expect(validTwilioSignature(TOKEN, undefined, url, params)).toBe(false);
    expect(validTwilioSignature(TOKEN, signature, url, { ...params, Body: 'NÃO' })).toBe(false);
    expect(validTwilioSignature(TOKEN, signature, 'https://evil.example.com/webhooks/twilio/whatsapp', params)).toBe(false);
  });
});
