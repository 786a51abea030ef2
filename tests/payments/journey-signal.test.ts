// The journey that waits for a payment hears about it: paying the deposit on the local checkout (or
// recording it at the desk) signals `paymentReceived` to `appointment:{id}`, once per payment.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createTestApp, login } from '../support/app';
import { clinics } from '../../db/schema';
import { appointmentWorkflowId } from '../../workflows/definitions';
import { createPaymentClinic } from './support';
import { paymentRecorder, paymentsQuery } from './payment-recorder.workflow';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const taskQueue = `payments-signal-${Date.now()}`;
let tdb: TestDatabase;
let t: Awaited<ReturnType<typeof createTestApp>>;
let c: Awaited<ReturnType<typeof createPaymentClinic>>;
let native: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let staff: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  t = await createTestApp(tdb.db);
  c = await createPaymentClinic(tdb.db, 'Clinica Sinal');
  await tdb.db.update(clinics).set({ settings: { payments: { deposits: { [c.procedure.id]: { cents: 5000 } }, depositDeadlineHours: 12 } } }).where(eq(clinics.id, c.clinic.id));
  staff = await login(t.app, c.members.staff.email);
  const bundle = await bundleWorkflowCode({ workflowsPath: createRequire(import.meta.url).resolve('./payment-recorder.workflow.ts'), logger: quiet });
  native = await NativeConnection.connect({ address: inject('temporalAddress') });
  worker = await Worker.create({ connection: native, taskQueue, workflowBundle: bundle });
  running = worker.run();
  await t.temporal.workflow.start(paymentRecorder, { workflowId: appointmentWorkflowId(c.appointment.id), taskQueue, args: [] });
}, 60_000);
afterAll(async () => {
  await t?.temporal.workflow.getHandle(appointmentWorkflowId(c.appointment.id)).terminate().catch(() => {});
  worker?.shutdown();
  await running?.catch(() => {});
  await native?.close();
  await t?.close();
  await tdb?.drop();
});

describe('paymentReceived signal', () => {
  it('the deposit paid on the local checkout reaches the journey once, with its deadline set by the clinic', async () => {
    const before = Date.now();
    const res = await t.app.request('/api/payments', { method: 'POST', headers: bearer(staff, { 'content-type': 'application/json' }), body: JSON.stringify({ appointmentId: c.appointment.id, deposit: true }) });
    expect(res.status).toBe(201);
    const { payment, checkout } = (await res.json()) as { payment: { id: string; amountCents: number }; checkout: { id: string; expiresAt: string } };
    expect(payment.amountCents).toBe(5000);
    const deadline = new Date(checkout.expiresAt).getTime() - before;
    expect(deadline).toBeGreaterThan(12 * 3600_000 - 60_000);
    expect(deadline).toBeLessThan(12 * 3600_000 + 60_000);

    await t.app.request(`/api/public/checkout/${checkout.id}/cartao`, { method: 'POST' });
    await t.app.request(`/api/public/checkout/${checkout.id}/cartao`, { method: 'POST' });
    const handle = t.temporal.workflow.getHandle(appointmentWorkflowId(c.appointment.id));
    await expect.poll(() => handle.query(paymentsQuery), { timeout: 10_000 }).toHaveLength(1);
    expect((await handle.query(paymentsQuery))[0]).toMatchObject({ paymentId: payment.id, amountCents: 5000, kind: 'deposit', method: 'cartao' });
  });

  it('a payment recorded at the desk reaches it too', async () => {
    const res = await t.app.request('/api/payments/manual', { method: 'POST', headers: bearer(staff, { 'content-type': 'application/json' }), body: JSON.stringify({ appointmentId: c.appointment.id, amountCents: 25000, method: 'dinheiro' }) });
    expect(res.status).toBe(201);
    const handle = t.temporal.workflow.getHandle(appointmentWorkflowId(c.appointment.id));
    await expect.poll(() => handle.query(paymentsQuery), { timeout: 10_000 }).toHaveLength(2);
    expect((await handle.query(paymentsQuery))[1]).toMatchObject({ amountCents: 25000, kind: 'full', method: 'dinheiro' });
  });
});
