// Which inbound messages go to Anna: a known patient with an open appointment answers the reminder
// ("1", "sim") through the appointment's journey, but a new subject ("quanto custa o botox?") opens a
// lead conversation under her name; SMS never reaches Anna.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { routeInbound } from '../../../services/inbound/route';
import { loadEnv } from '../../../config/env';
import { createLogger } from '../../../config/logger';
import { bookAppointment } from '../../support/reminder-fixtures';
import { messageOutbox } from '../../../db/schema';
import { startLeadHarness, type LeadHarness } from './harness';

let h: LeadHarness;
beforeAll(async () => { h = await startLeadHarness({ name: 'Clínica Rotas' }); }, 120_000);
afterAll(async () => { await h?.close(); });

describe('inbound routing to the lead journey', () => {
  it('keeps reminder answers with the appointment and sends a new subject to Anna', async () => {
    const carla = h.clinic.carla;
    const appt = await bookAppointment(h.tdb.db, h.clinic, new Date(Date.now() + 3 * 86_400_000), { patientId: carla.id });
    const reply = await h.send(carla.whatsapp!, '1');
    expect(reply).toMatchObject({ appointmentId: appt.row.id, workflowId: `appointment:${appt.row.id}` });
    expect(reply?.outcome).not.toBe('lead');

    const question = await h.send(carla.whatsapp!, 'Oi! Quanto custa o botox? Queria fazer também');
    expect(question).toMatchObject({ outcome: 'lead', patientId: carla.id });
    const s = await h.settle(carla.whatsapp!, 1);
    expect(s?.qualification.name).toBe('Carla Mendes');
    const sent = await h.annaMessages(carla.whatsapp!);
    expect(sent.at(-1)!.body).toContain('Carla');
    expect(sent.at(-1)!.body).toContain('R$ 1.200,00');
    const conv = await h.conversation(carla.whatsapp!);
    expect(conv?.patientId).toBe(carla.id);
    // While that conversation is open, her answers go to Anna, who asked last ("sim" too)…
    expect((await h.send(carla.whatsapp!, 'pode ser na sexta de manhã'))?.outcome).toBe('lead');
    expect((await h.send(carla.whatsapp!, 'sim'))?.outcome).toBe('lead');
    // …until a reminder is the last message she got: then "1" answers the reminder.
    await h.tdb.db.insert(messageOutbox).values({
      clinicId: h.clinic.clinic.id, patientId: carla.id, appointmentId: appt.row.id, channel: 'whatsapp', to: carla.whatsapp!, body: 'Lembrete: responda 1 para confirmar',
      template: 'reminder_24h', purpose: 'transactional', idempotencyKey: `reminder:${appt.row.id}`, createdAt: new Date(Date.now() + 60_000),
    });
    expect((await h.send(carla.whatsapp!, '1'))?.appointmentId).toBe(appt.row.id);
  }, 60_000);

  it('leaves SMS from unknown numbers unrouted', async () => {
    const appEnv = loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent' });
    const r = await routeInbound(
      { db: h.tdb.db, env: appEnv, log: createLogger(appEnv, 'test'), temporal: h.env.client, now: () => new Date(), leadTaskQueue: h.taskQueue, leadSearchAttributes: false },
      { clinicId: h.clinic.clinic.id, from: h.newPhone(), channel: 'sms', text: 'quero botox', messageId: `SM${randomBytes(16).toString('hex')}`, receivedAt: new Date() },
    );
    expect(r?.outcome).toBe('unrouted');
  });
});
