// Payments test fixtures: a clinic (with members) that has a professional on commission, a procedure,
// a patient and an appointment; and the API built with Stripe settings (the fake server's address).
import { Client, Connection } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { inject } from 'vitest';
import Stripe from 'stripe';
import { createApp } from '../../api/app';
import { loadEnv } from '../../config/env';
import type { Db } from '../../db/client';
import { appointments, clinics, patients, procedures, professionals } from '../../db/schema';
import { createClinicWithMembers } from '../support/app';
import { syncAppointmentCommissions } from '../../services/payments/events';

export const WEBHOOK_SECRET = 'whsec_test_tigre';

/** The visit happened (as if marked realizado at the desk): commissions of its payments accrue now. */
export async function realiseVisit(db: Db, appointmentId: string) {
  await db.transaction(async (tx) => {
    await tx.update(appointments).set({ status: 'realizado', completedAt: new Date() }).where(eq(appointments.id, appointmentId));
    await syncAppointmentCommissions(tx, appointmentId);
  });
}

export async function createPaymentClinic(db: Db, name: string, settings: Record<string, unknown> = {}) {
  const { clinic, members } = await createClinicWithMembers(db, name);
  await db.update(clinics).set({ cnpj: '12345678000195', settings: { payments: settings } }).where(eq(clinics.id, clinic.id));
  const [professional] = await db.insert(professionals).values({ clinicId: clinic.id, name: 'Dra. Helena Prado', commissionBps: 2000 }).returning();
  const [procedure] = await db.insert(procedures).values({ clinicId: clinic.id, name: 'Limpeza de pele', category: 'facial', durationMinutes: 60, defaultPriceCents: 30000 }).returning();
  const [patient] = await db.insert(patients).values({ clinicId: clinic.id, name: 'Maria Souza' }).returning();
  const [appointment] = await db.insert(appointments).values({
    clinicId: clinic.id, patientId: patient.id, procedureId: procedure.id, professionalId: professional.id,
    startsAt: new Date(Date.now() + 3 * 86400_000), durationMinutes: 60, priceCents: 30000,
  }).returning();
  return { clinic, members, professional, procedure, patient, appointment };
}

/** The API with Stripe configured (secret key, webhook secret, API address of the fake server). */
export async function createStripeTestApp(db: Db, env: Record<string, string>) {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  const temporal = new Client({ connection });
  const app = createApp({
    env: loadEnv({ NODE_ENV: 'test', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, ...env }),
    db, log: pino({ level: 'silent' }), temporal,
    temporalHealthy: async () => true, now: () => new Date(),
  });
  return { app, temporal, close: () => connection.close() };
}

let seq = 0;
/** A Stripe event as Stripe would send it, signed with the SDK's test header helper. */
export function signedEvent(type: string, object: Record<string, unknown>, opts: { id?: string; secret?: string } = {}) {
  const payload = JSON.stringify({ id: opts.id ?? `evt_test_${Date.now()}_${++seq}`, object: 'event', type, api_version: '2025-01-01', created: Math.floor(Date.now() / 1000), livemode: false, data: { object } });
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: opts.secret ?? WEBHOOK_SECRET });
  return { payload, header };
}
