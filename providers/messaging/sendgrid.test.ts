// The real @sendgrid/mail against a fake server: the JSON SendGrid would receive; the signed event
// webhook check with a real P-256 key pair.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendGridSigner, startFakeSendGrid, type FakeServer } from '../../tests/messaging/fakes';
import { createSendGridAdapter, validSendGridSignature } from './sendgrid';
import type { OutboundMessage } from './types';

const CLINIC = '00000000-0000-4000-8000-000000000001';
let fake: FakeServer;
let adapter: ReturnType<typeof createSendGridAdapter>;

const mail = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({
  clinicId: CLINIC, channel: 'email', to: 'ana@example.com', subject: 'Lembrete do seu horário', body: 'Olá, Ana! Até amanhã.',
  purpose: 'transactional', idempotencyKey: 'k1', ...over,
});

beforeAll(async () => {
  fake = await startFakeSendGrid();
  adapter = createSendGridAdapter({ apiKey: 'SG.test-key', from: 'contato@clinica.example.com', fromName: 'Clínica Bella', baseUrl: fake.url });
});
afterAll(() => fake.close());
beforeEach(() => { fake.requests.length = 0; });

describe('SendGrid adapter (real SDK, fake server)', () => {
  it('sends a dynamic template with tracking, our outbox id in custom_args and the API key', async () => {
    const sent = await adapter.deliver(mail({ sendgridTemplateId: 'd-abc123', variables: { nome: 'Ana', horario: '14:00' } }), { outboxId: 'ob-1', sessionOpen: false });
    expect(sent.providerMessageId).toMatch(/^sg[0-9a-f]{16}$/);
    const [req] = fake.requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v3/mail/send');
    expect(req.headers.authorization).toBe('Bearer SG.test-key');
    const body = JSON.parse(req.raw);
    expect(body.template_id).toBe('d-abc123');
    expect(body.from).toEqual({ email: 'contato@clinica.example.com', name: 'Clínica Bella' });
    expect(body.personalizations).toEqual([{
      to: [{ email: 'ana@example.com' }], subject: 'Lembrete do seu horário',
      dynamic_template_data: { nome: 'Ana', horario: '14:00', body: 'Olá, Ana! Até amanhã.', subject: 'Lembrete do seu horário' },
      custom_args: { outbox_id: 'ob-1', clinic_id: CLINIC },
    }]);
    expect(body.tracking_settings).toEqual({ click_tracking: { enable: true, enable_text: false }, open_tracking: { enable: true } });
  });

  it('sends plain text with a subject when there is no template', async () => {
    await adapter.deliver(mail(), { outboxId: 'ob-2', sessionOpen: false });
    const body = JSON.parse(fake.requests[0].raw);
    expect(body.subject).toBe('Lembrete do seu horário');
    expect(body.content).toEqual([{ type: 'text/plain', value: 'Olá, Ana! Até amanhã.' }]);
    expect(body.template_id).toBeUndefined();
  });

  it('sends a batch as one request with one personalization per recipient', async () => {
    const items = ['ana@example.com', 'bia@example.com', 'carla@example.com'].map((to, i) => ({
      message: mail({ to, sendgridTemplateId: 'd-promo', variables: { nome: to.split('@')[0] }, purpose: 'marketing' }),
      ctx: { outboxId: `ob-b${i}`, sessionOpen: false },
    }));
    const results = await adapter.deliverBatch!(items);
    expect(results).toHaveLength(3);
    expect(fake.requests).toHaveLength(1);
    const body = JSON.parse(fake.requests[0].raw);
    expect(body.template_id).toBe('d-promo');
    expect(body.personalizations.map((p: { to: Array<{ email: string }>; custom_args: { outbox_id: string } }) => [p.to[0].email, p.custom_args.outbox_id]))
      .toEqual([['ana@example.com', 'ob-b0'], ['bia@example.com', 'ob-b1'], ['carla@example.com', 'ob-b2']]);
    expect(body.personalizations[1].dynamic_template_data.nome).toBe('bia');
  });

  it('maps 400 to a rejection and 429 to a retryable error', async () => {
    fake.respondNext({ status: 400, body: { errors: [{ message: 'Does not contain a valid address.', field: 'personalizations.0.to.0.email' }] } });
    await expect(adapter.deliver(mail(), { outboxId: 'ob-3', sessionOpen: false })).rejects.toMatchObject({ name: 'MessageRejected', httpStatus: 400 });
    fake.respondNext({ status: 429, body: { errors: [{ message: 'too many requests' }] } });
    await expect(adapter.deliver(mail(), { outboxId: 'ob-4', sessionOpen: false })).rejects.toMatchObject({ name: 'MessagingProviderUnavailable' });
  });
});

describe('signed event webhook', () => {
  const signer = sendGridSigner();
  const payload = JSON.stringify([{ email: 'ana@example.com', event: 'delivered', sg_event_id: 'e1', timestamp: 1700000000 }]);
  it('accepts a valid signature (base64 DER or PEM key) and rejects a tampered body, a wrong key or a different timestamp', () => {
    const h = signer.sign(payload, '1700000000');
    const sig = h['X-Twilio-Email-Event-Webhook-Signature'];
    expect(validSendGridSignature(signer.publicKey, payload, sig, '1700000000')).toBe(true);
    const pem = `-----BEGIN PUBLIC KEY-----\n${signer.publicKey}\n-----END PUBLIC KEY-----`;
    expect(validSendGridSignature(pem, payload, sig, '1700000000')).toBe(true);
    expect(validSendGridSignature(signer.publicKey, payload.replace('delivered', 'bounce'), sig, '1700000000')).toBe(false);
    expect(validSendGridSignature(sendGridSigner().publicKey, payload, sig, '1700000000')).toBe(false);
    expect(validSendGridSignature(signer.publicKey, payload, sig, '1700000001')).toBe(false);
    expect(validSendGridSignature(signer.publicKey, payload, undefined, '1700000000')).toBe(false);
    expect(validSendGridSignature(signer.publicKey, payload, 'not-base64!', '1700000000')).toBe(false);
  });
});
