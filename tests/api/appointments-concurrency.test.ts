// No double booking, enforced by PostgreSQL: concurrent requests for one slot through the API, and
// two raw transactions against the exclusion constraint itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, ne } from 'drizzle-orm';
import type postgres from 'postgres';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createTestApp, login } from '../support/app';
import { createBookingClinic, NOW, sp, type BookingClinic } from '../support/appointment-fixtures';
import { appointments } from '../../db/schema';

let tdb: TestDatabase;
let app: Awaited<ReturnType<typeof createTestApp>>;
let a: BookingClinic;
let staff: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await createTestApp(tdb.db, { now: () => NOW });
  a = await createBookingClinic(tdb.db, 'Clínica Concorrida');
  staff = await login(app.app, a.members.staff.email);
});
afterAll(async () => {
  await app?.close();
  await tdb?.drop();
});

const post = (path: string, body: unknown) =>
  app.app.request(path, { method: 'POST', headers: bearer(staff, { 'content-type': 'application/json' }), body: JSON.stringify(body) });

describe('through the API', () => {
  it('10 parallel bookings of one slot: exactly one 201, nine 409 slot_taken with the next free slots', async () => {
    const patients = [a.ana.id, a.bia.id];
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      post('/api/appointments', { patientId: patients[i % 2], procedureId: a.limpeza.id, professionalId: a.helena.id, startsAt: sp('2024-04-03', '14:00') })));
    const bodies = await Promise.all(responses.map((r) => r.json() as Promise<Record<string, any>>)); // eslint-disable-line @typescript-eslint/no-explicit-any
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    for (const body of bodies.filter((_, i) => responses[i].status === 409)) {
      expect(body.error.code).toBe('slot_taken');
      expect(body.error.message).toMatch(/Este horário (acabou de ser reservado|conflita com outro atendimento)/);
      // 14:00–15:00 + 10 min cleaning: 15:15 is the next start on the 15-minute grid.
      expect(body.nextSlots.map((s: { startsAt: string }) => s.startsAt)).toEqual(
        ['15:15', '15:30', '15:45'].map((t) => new Date(sp('2024-04-03', t)).toISOString()));
    }
    const rows = await tdb.db.select().from(appointments)
      .where(and(eq(appointments.professionalId, a.helena.id), ne(appointments.status, 'cancelado')));
    expect(rows.filter((r) => r.startsAt.getTime() === new Date(sp('2024-04-03', '14:00')).getTime())).toHaveLength(1);
  });

  it('the database decides, not the read before the INSERT: a booking racing an uncommitted one gets 409', async () => {
    // Another transaction holds 16:00 but has not committed: the API's availability read cannot see it.
    let commit!: () => void;
    const mayCommit = new Promise<void>((r) => { commit = r; });
    let held!: () => void;
    const isHeld = new Promise<void>((r) => { held = r; });
    const other = tdb.sql.begin(async (tx) => {
      await tx`insert into appointments (clinic_id, patient_id, procedure_id, professional_id, starts_at, duration_minutes, price_cents)
        values (${a.clinic.id}, ${a.bia.id}, ${a.limpeza.id}, ${a.helena.id}, ${sp('2024-04-03', '16:00')}::timestamptz, 60, 25000)`;
      held();
      await mayCommit;
    });
    await isHeld;
    const pending = post('/api/appointments', { patientId: a.ana.id, procedureId: a.limpeza.id, professionalId: a.helena.id, startsAt: sp('2024-04-03', '16:30') });
    await new Promise((r) => setTimeout(r, 300));
    commit();
    await other;
    const res = await pending;
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; message: string }; nextSlots: Array<{ startsAt: string }> };
    expect(body.error).toEqual({ code: 'slot_taken', message: 'Este horário acabou de ser reservado. Escolha um dos próximos horários livres.' });
    // Nothing fits before 18:00 after 16:00–17:00 (+10 min): the next morning.
    expect(body.nextSlots.map((s) => s.startsAt)).toEqual(['08:00', '08:15', '08:30'].map((t) => new Date(sp('2024-04-04', t)).toISOString()));
  });

  it('two reschedules racing into one free slot: one wins, the other gets 409 with next slots', async () => {
    const book = async (time: string, patientId: string) => (await (await post('/api/appointments', {
      patientId, procedureId: a.botox.id, professionalId: a.bruno.id, startsAt: sp('2024-04-04', time),
    })).json()) as { id: string };
    const [x, y] = [await book('08:00', a.ana.id), await book('09:00', a.bia.id)];
    const results = await Promise.all([x, y].map((appt) => post(`/api/appointments/${appt.id}/reschedule`, { startsAt: sp('2024-04-04', '11:00') })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = (await results.find((r) => r.status === 409)!.json()) as { error: { code: string }; nextSlots: unknown[] };
    expect(loser.error.code).toBe('slot_taken');
    expect(loser.nextSlots.length).toBeGreaterThan(0);
  });
});

describe('in PostgreSQL (exclusion constraint appointments_no_double_booking)', () => {
  const row = (startsAt: string, status: 'agendado' | 'cancelado' = 'agendado', professionalId = a.helena.id) => ({
    clinicId: a.clinic.id, patientId: a.ana.id, procedureId: a.limpeza.id, professionalId, startsAt: new Date(startsAt), durationMinutes: 60, priceCents: 25000, status,
  });
  const insertSql = (tx: postgres.TransactionSql, r: ReturnType<typeof row>) => tx`
    insert into appointments (clinic_id, patient_id, procedure_id, professional_id, starts_at, duration_minutes, price_cents, status)
    values (${r.clinicId}, ${r.patientId}, ${r.procedureId}, ${r.professionalId}, ${r.startsAt.toISOString()}::timestamptz, ${r.durationMinutes}, ${r.priceCents}, ${r.status})`;

  it('two open transactions overlapping one slot: the second waits for the first, then fails with 23P01', async () => {
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((r) => { releaseFirst = r; });
    let firstInserted!: () => void;
    const inserted = new Promise<void>((r) => { firstInserted = r; });

    const first = tdb.sql.begin(async (tx) => {
      await insertSql(tx, row(sp('2024-04-05', '10:00')));
      firstInserted();
      await firstMayCommit;
    });
    await inserted;
    let secondSettled = false;
    const second = tdb.sql.begin(async (tx) => {
      await insertSql(tx, row(sp('2024-04-05', '10:30'))); // overlaps 10:00–11:00
    }).then(() => null, (err: unknown) => err).finally(() => { secondSettled = true; });
    await new Promise((r) => setTimeout(r, 300));
    expect(secondSettled).toBe(false); // blocked on the first transaction's row, not decided by a read
    releaseFirst();
    await first;
    expect(await second).toMatchObject({ code: '23P01', constraint_name: 'appointments_no_double_booking' });
  });

  it('touching ranges, other professionals and released (cancelled) appointments do not conflict', async () => {
    await tdb.db.insert(appointments).values(row(sp('2024-04-05', '11:00'))); // [11:00, 12:00) touches [10:00, 11:00)
    await tdb.db.insert(appointments).values(row(sp('2024-04-05', '10:00'), 'agendado', a.bruno.id));
    await tdb.db.insert(appointments).values(row(sp('2024-04-05', '10:15'), 'cancelado'));
    await expect(tdb.db.insert(appointments).values(row(sp('2024-04-05', '11:59')))).rejects.toMatchObject({ cause: { code: '23P01' } });
    // Un-cancelling into a taken slot is refused too.
    const [cancelled] = await tdb.db.select().from(appointments).where(and(eq(appointments.professionalId, a.helena.id), eq(appointments.status, 'cancelado')));
    await expect(tdb.db.update(appointments).set({ status: 'agendado' }).where(eq(appointments.id, cancelled.id))).rejects.toMatchObject({ cause: { code: '23P01' } });
  });
});
