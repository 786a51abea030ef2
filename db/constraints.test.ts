// Rules PostgreSQL enforces on its own: no double booking, money and ranges, one primary phone, CPF uniqueness.
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../tests/support/db';
import { protectCpf } from './crypto';
import {
  appointments, clinics, messageOutbox, npsSurveys, patientAddresses, patientPhones, patients, payments, procedurePrices, procedures,
  professionals, professionalWorkingHours, webhookDeliveries,
} from './schema';

let t: TestDatabase;
let clinicId: string;
let patientId: string;
let procedureId: string;
let profA: string;
let profB: string;

beforeAll(async () => {
  t = await createTestDatabase();
  [{ id: clinicId }] = await t.db.insert(clinics).values({ name: 'Clínica Teste' }).returning({ id: clinics.id });
  [{ id: patientId }] = await t.db.insert(patients).values({ clinicId, name: 'Paciente' }).returning({ id: patients.id });
  [{ id: procedureId }] = await t.db
    .insert(procedures).values({ clinicId, name: 'Limpeza de pele', durationMinutes: 60, defaultPriceCents: 22000, category: 'facial' })
    .returning({ id: procedures.id });
  [{ id: profA }, { id: profB }] = await t.db.insert(professionals).values([{ clinicId, name: 'A' }, { clinicId, name: 'B' }]).returning({ id: professionals.id });
});
afterAll(() => t?.drop());

async function pgError(p: Promise<unknown>): Promise<{ code?: string; constraint_name?: string }> {
  try {
    await p;
  } catch (err) {
    return ((err as { cause?: unknown }).cause ?? err) as { code?: string };
  }
  throw new Error('expected the statement to fail');
}

const book = (professionalId: string, startsAt: string, durationMinutes = 60, status: 'agendado' | 'cancelado' | 'no_show' = 'agendado') =>
  t.db
    .insert(appointments)
    .values({ clinicId, patientId, procedureId, professionalId, startsAt: new Date(startsAt), durationMinutes, priceCents: 22000, status })
    .returning();

describe('no double booking', () => {
  it('computes ends_at from start and duration', async () => {
    const [a] = await book(profA, '2026-03-02T12:00:00Z', 90);
    expect(a.endsAt.toISOString()).toBe('2026-03-02T13:30:00.000Z');
    await t.db.update(appointments).set({ durationMinutes: 30 }).where(eq(appointments.id, a.id));
    const [moved] = await t.db.select().from(appointments).where(eq(appointments.id, a.id));
    expect(moved.endsAt.toISOString()).toBe('2026-03-02T12:30:00.000Z');
  });

  it('refuses an overlapping booking for the same professional', async () => {
    await book(profA, '2026-03-03T12:00:00Z');
    const e = await pgError(book(profA, '2026-03-03T12:30:00Z'));
    expect(e.code).toBe('23P01');
    expect(e.constraint_name).toBe('appointments_no_double_booking');
  });

  it('allows back-to-back bookings and other professionals at the same time', async () => {
    await book(profA, '2026-03-04T12:00:00Z');
    await expect(book(profA, '2026-03-04T13:00:00Z')).resolves.toHaveLength(1);
    await expect(book(profB, '2026-03-04T12:00:00Z')).resolves.toHaveLength(1);
  });

  it('lets cancelled and no-show appointments free the slot', async () => {
    await book(profA, '2026-03-05T12:00:00Z', 60, 'cancelado');
    await book(profA, '2026-03-05T14:00:00Z', 60, 'no_show');
    await expect(book(profA, '2026-03-05T12:00:00Z')).resolves.toHaveLength(1);
    await expect(book(profA, '2026-03-05T14:00:00Z')).resolves.toHaveLength(1);
  });

  it('refuses to un-cancel into an occupied slot', async () => {
    const [cancelled] = await book(profA, '2026-03-06T12:00:00Z', 60, 'cancelado');
    await book(profA, '2026-03-06T12:00:00Z');
    const e = await pgError(t.db.update(appointments).set({ status: 'agendado' }).where(eq(appointments.id, cancelled.id)));
    expect(e.code).toBe('23P01');
  });
});

describe('checks and uniques', () => {
  it('keeps money positive and in centavos', async () => {
    expect((await pgError(t.db.insert(payments).values({ clinicId, patientId, amountCents: 0, method: 'pix' }))).code).toBe('23514');
    expect((await pgError(t.db.insert(procedures).values({ clinicId, name: 'X', durationMinutes: 0, defaultPriceCents: 100, category: 'outra' }))).code).toBe('23514');
  });

  it('keeps price validity ranges ordered and non-overlapping', async () => {
    const v = (validFrom: string, validTo: string | null) => t.db.insert(procedurePrices).values({ clinicId, procedureId, priceCents: 20000, validFrom, validTo });
    expect((await pgError(v('2026-02-01', '2026-01-01'))).code).toBe('23514');
    await v('2026-01-01', '2026-01-31');
    expect((await pgError(v('2026-01-31', null))).code).toBe('23P01');
    await expect(v('2026-02-01', null)).resolves.toBeDefined();
  });

  it('checks working hours, NPS scores, phones, CEP and UF', async () => {
    expect((await pgError(t.db.insert(professionalWorkingHours).values({ clinicId, professionalId: profA, weekday: 7, startMinute: 540, endMinute: 600 }))).code).toBe('23514');
    expect((await pgError(t.db.insert(professionalWorkingHours).values({ clinicId, professionalId: profA, weekday: 1, startMinute: 600, endMinute: 540 }))).code).toBe('23514');
    await t.db.insert(professionalWorkingHours).values({ clinicId, professionalId: profA, weekday: 1, startMinute: 540, endMinute: 720 });
    expect((await pgError(t.db.insert(professionalWorkingHours).values({ clinicId, professionalId: profA, weekday: 1, startMinute: 700, endMinute: 800 }))).code).toBe('23P01');
    const [appt] = await book(profB, '2026-03-10T12:00:00Z');
    expect((await pgError(t.db.insert(npsSurveys).values({ clinicId, appointmentId: appt.id, patientId, score: 11 }))).code).toBe('23514');
    expect((await pgError(t.db.insert(patientPhones).values({ clinicId, patientId, number: '11987654321' }))).code).toBe('23514');
    expect((await pgError(t.db.insert(patientAddresses).values({ clinicId, patientId, street: 'Rua A', city: 'São Paulo', state: 'XX' }))).code).toBe('23514');
    expect((await pgError(t.db.insert(patientAddresses).values({ clinicId, patientId, street: 'Rua A', city: 'São Paulo', state: 'SP', postalCode: '01426-001' }))).code).toBe('23514');
  });

  it('allows one primary phone per patient', async () => {
    await t.db.insert(patientPhones).values({ clinicId, patientId, number: '+5511987654321', isPrimary: true });
    await t.db.insert(patientPhones).values({ clinicId, patientId, number: '+551134567890', isPrimary: false });
    const e = await pgError(t.db.insert(patientPhones).values({ clinicId, patientId, number: '+5511912345678', isPrimary: true }));
    expect(e.code).toBe('23505');
    expect(e.constraint_name).toBe('patient_phones_one_primary');
  });

  it('keeps a CPF unique per clinic among patients not deleted', async () => {
    const key = crypto.randomBytes(32);
    await t.db.insert(patients).values({ clinicId, name: 'Primeira', ...protectCpf(key, '529.982.247-25') });
    expect((await pgError(t.db.insert(patients).values({ clinicId, name: 'Segunda', ...protectCpf(key, '52998224725') }))).code).toBe('23505');
    await t.db.update(patients).set({ deletedAt: new Date() }).where(eq(patients.name, 'Primeira'));
    await expect(t.db.insert(patients).values({ clinicId, name: 'Segunda', ...protectCpf(key, '52998224725') })).resolves.toBeDefined();
  });

  it('makes outbox idempotency keys and webhook event ids unique', async () => {
    const msg = { clinicId, channel: 'whatsapp' as const, to: '+5511987654321', body: 'Oi', idempotencyKey: 'appointment:1:lembrete_24h' };
    await t.db.insert(messageOutbox).values(msg);
    expect((await pgError(t.db.insert(messageOutbox).values(msg))).code).toBe('23505');
    const delivery = { provider: 'stripe' as const, providerEventId: 'evt_1', payload: { id: 'evt_1' } };
    const first = await t.db.insert(webhookDeliveries).values(delivery).onConflictDoNothing().returning();
    const again = await t.db.insert(webhookDeliveries).values(delivery).onConflictDoNothing().returning();
    expect([first.length, again.length]).toEqual([1, 0]);
  });

  it('finds patients by name without accents', async () => {
    await t.db.insert(patients).values({ clinicId, name: 'Luíza Conceição' });
    const [p] = await t.db.select({ searchName: patients.searchName }).from(patients).where(eq(patients.name, 'Luíza Conceição'));
    expect(p.searchName).toBe('luiza conceicao');
  });
});
