// POST /api/payments/{id}/send with the embedded default (local checkout, local outbox): the patient gets
// the open link once per channel, with the amount in R$ and the deadline; paid, unreachable, foreign
// and read-only cases change nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createTestApp, login } from '../support/app';
import { auditLog, consents, messageOutbox, paymentCheckouts, patients } from '../../db/schema';
import { createPaymentClinic } from './support';

let tdb: TestDatabase;
let db: TestDatabase['db'];
let t: Awaited<ReturnType<typeof createTestApp>>;
let a: Awaited<ReturnType<typeof createPaymentClinic>>;
let b: Awaited<ReturnType<typeof createPaymentClinic>>;
let staff: string; let viewer: string; let otherStaff: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
  t = await createTestApp(db);
  a = await createPaymentClinic(db, 'Clinica Envio A');
  b = await createPaymentClinic(db, 'Clinica Envio B');
  // WhatsApp on file, no e-mail.
  await db.update(patients).set({ whatsapp: '+5511987654321', email: null }).where(eq(patients.id, a.patient.id));
  staff = await login(t.app, a.members.staff.email);
  viewer = await login(t.app, a.members.view.email);
  otherStaff = await login(t.app, b.members.staff.email);
});
afterAll(async () => { await t.close(); await tdb.drop(); });

const post = (path: string, token: string, body?: unknown) => t.app.request(path, {
  method: 'POST', headers: bearer(token, { 'content-type': 'application/json' }), ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});
type Charge = { payment: { id: string }; checkout: { id: string; url: string } };
const charge = async (amountCents: number, description = 'Kit home care') => {
  const res = await post('/api/payments', staff, { patientId: a.patient.id, amountCents, description });
  expect(res.status).toBe(201);
  return res.json() as Promise<Charge>;
};
const outboxOf = (key: string) => db.select().from(messageOutbox).where(and(eq(messageOutbox.clinicId, a.clinic.id), eq(messageOutbox.idempotencyKey, key)));
const outboxCount = async () => (await db.select({ id: messageOutbox.id }).from(messageOutbox)).length;
type ErrorBody = { error: { code: string; message: string; fields?: Record<string, string[]> } };

describe('sending the payment link', () => {
  let c: Charge;
  it('sends the open link once by WhatsApp through the local outbox, with the amount in R$, and audits it', async () => {
    c = await charge(12345);
    const res = await post(`/api/payments/${c.payment.id}/send`, staff, { channel: 'whatsapp' });
    expect(res.status).toBe(201);
    const body = await res.json() as { status: string; outboxId: string; channel: string; to: string };
    expect(body).toMatchObject({ status: 'sent', channel: 'whatsapp', to: '+5511987654321' });

    const rows = await outboxOf(`payment:${c.payment.id}:${c.checkout.id}:whatsapp`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: body.outboxId, channel: 'whatsapp', to: '+5511987654321', status: 'sent', template: 'payment_link', purpose: 'transactional', patientId: a.patient.id });
    expect(rows[0].body).toContain(c.checkout.url);
    expect(rows[0].body).toContain('R$ 123,45');
    expect(rows[0].body).toMatch(/^Olá, Maria! .*Kit home care.*\(válido até \d{2}\/\d{2} às \d{2}:\d{2}\)$/);

    const audits = await db.select().from(auditLog).where(and(eq(auditLog.entityId, c.payment.id), eq(auditLog.action, 'send_link')));
    expect(audits).toHaveLength(1);
    expect(audits[0].after).toMatchObject({ channel: 'whatsapp', outboxId: body.outboxId, checkoutId: c.checkout.id });
  });

  it('a double click sends once: both answer 201, one sent and one duplicate, one outbox row', async () => {
    const d = await charge(4000);
    const [first, second] = await Promise.all([
      post(`/api/payments/${d.payment.id}/send`, staff, { channel: 'whatsapp' }),
      post(`/api/payments/${d.payment.id}/send`, staff, { channel: 'whatsapp' }),
    ]);
    expect([first.status, second.status]).toEqual([201, 201]);
    const statuses = [(await first.json() as { status: string }).status, (await second.json() as { status: string }).status];
    expect(statuses.sort()).toEqual(['duplicate', 'sent']);
    expect(await outboxOf(`payment:${d.payment.id}:${d.checkout.id}:whatsapp`)).toHaveLength(1);
    // Later, with no body at all (WhatsApp by default): still the same single message.
    const again = await t.app.request(`/api/payments/${c.payment.id}/send`, { method: 'POST', headers: bearer(staff) });
    expect(again.status).toBe(201);
    expect(await again.json()).toMatchObject({ status: 'duplicate', channel: 'whatsapp' });
    expect(await outboxOf(`payment:${c.payment.id}:${c.checkout.id}:whatsapp`)).toHaveLength(1);
    expect(await db.select().from(auditLog).where(and(eq(auditLog.entityId, c.payment.id), eq(auditLog.action, 'send_link')))).toHaveLength(1);
  });

  it('sends by SMS to the phone on file as a separate message', async () => {
    const res = await post(`/api/payments/${c.payment.id}/send`, staff, { channel: 'sms' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ status: 'sent', channel: 'sms', to: '+5511987654321' });
    expect(await outboxOf(`payment:${c.payment.id}:${c.checkout.id}:sms`)).toHaveLength(1);
  });
});

describe('refusals change nothing', () => {
  it('a paid payment → 409 with a pt-BR message', async () => {
    const c = await charge(5000);
    expect((await t.app.request(`/api/public/checkout/${c.checkout.id}/pix`, { method: 'POST' })).status).toBe(200);
    const before = await outboxCount();
    const res = await post(`/api/payments/${c.payment.id}/send`, staff, { channel: 'whatsapp' });
    expect(res.status).toBe(409);
    expect(await res.json() as ErrorBody).toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/já foi pago/) } });
    expect(await outboxCount()).toBe(before);
  });

  it('a payment recorded at the desk (no link) → 409', async () => {
    const manual = await post('/api/payments/manual', staff, { patientId: a.patient.id, amountCents: 2000, method: 'dinheiro' });
    const { payment } = await manual.json() as { payment: { id: string } };
    expect((await post(`/api/payments/${payment.id}/send`, staff, {})).status).toBe(409);
  });

  it('a patient without e-mail → 400 naming the channel', async () => {
    const c = await charge(7000);
    const before = await outboxCount();
    const res = await post(`/api/payments/${c.payment.id}/send`, staff, { channel: 'email' });
    expect(res.status).toBe(400);
    const body = await res.json() as ErrorBody;
    expect(body.error).toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/não tem e-mail/) });
    expect(body.error.fields?.channel).toBeDefined();
    expect(await outboxCount()).toBe(before);
  });

  it("another clinic's payment → 404; an unknown id → 404; a bad channel or id → 400", async () => {
    const c = await charge(8000);
    const before = await outboxCount();
    expect((await post(`/api/payments/${c.payment.id}/send`, otherStaff, { channel: 'whatsapp' })).status).toBe(404);
    expect((await post('/api/payments/00000000-0000-4000-8000-000000000000/send', staff, {})).status).toBe(404);
    expect((await post(`/api/payments/${c.payment.id}/send`, staff, { channel: 'fax' })).status).toBe(400);
    expect((await post(`/api/payments/${c.payment.id}/send`, staff, { channel: 'sms', extra: 1 })).status).toBe(400);
    expect((await post('/api/payments/not-a-uuid/send', staff, {})).status).toBe(400);
    expect(await outboxCount()).toBe(before);
  });

  it('the view role → 403', async () => {
    const c = await charge(9000);
    const before = await outboxCount();
    const res = await post(`/api/payments/${c.payment.id}/send`, viewer, { channel: 'whatsapp' });
    expect(res.status).toBe(403);
    expect(await outboxCount()).toBe(before);
  });

  it('an expired link → 409 asking for a new charge', async () => {
    const c = await charge(6000);
    await db.update(paymentCheckouts).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(paymentCheckouts.id, c.checkout.id));
    const res = await post(`/api/payments/${c.payment.id}/send`, staff, { channel: 'whatsapp' });
    expect(res.status).toBe(409);
    expect((await res.json() as ErrorBody).error.message).toMatch(/expirou/);
    expect(await outboxOf(`payment:${c.payment.id}:${c.checkout.id}:whatsapp`)).toHaveLength(0);
  });

  it('a patient who opted out of SMS → 409; the outbox keeps the skip and nothing goes out', async () => {
    await db.insert(consents).values({ clinicId: a.clinic.id, patientId: a.patient.id, channel: 'sms', granted: false, source: 'whatsapp', revokedAt: new Date() });
    const c = await charge(6500);
    const res = await post(`/api/payments/${c.payment.id}/send`, staff, { channel: 'sms' });
    expect(res.status).toBe(409);
    expect((await res.json() as ErrorBody).error.message).toMatch(/pediu para não receber mensagens por SMS/);
    const rows = await outboxOf(`payment:${c.payment.id}:${c.checkout.id}:sms`);
    expect(rows.map((r) => [r.status, r.error])).toEqual([['skipped', 'opt_out']]);
  });
});
