// Appointments API against real PostgreSQL and the Temporal dev server: booking with every refusal
// (pt-BR, nothing changed), calendar views, free slots, edit, reschedule, cancel, status transitions,
// tenancy, audit, and the journey calls (incl. Temporal being unreachable).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createTestApp, login } from '../support/app';
import { createBookingClinic, NOW, sp, type BookingClinic } from '../support/appointment-fixtures';
import { createApp } from '../../api/app';
import { loadEnv } from '../../config/env';
import { appointmentJourney, createAppointmentJourney } from '../../journeys/appointment';
import {
  appointments, auditLog, clinicDateOverrides, clinicHolidays, procedurePrices, professionalTimeBlocks,
} from '../../db/schema';
import { AppointmentId, ClinicId, JourneyKind, PatientId } from '../../workflows/definitions';

let tdb: TestDatabase;
let app: Awaited<ReturnType<typeof createTestApp>>;
let a: BookingClinic;
let b: BookingClinic;
let staff: string;
let viewer: string;
let staffB: string;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await app.app.request(path, {
    method, headers: bearer(token, body === undefined ? {} : { 'content-type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : { text } };
}

const book = (over: Json = {}, token = staff) =>
  call('POST', '/api/appointments', token, { patientId: a.ana.id, procedureId: a.limpeza.id, professionalId: a.helena.id, startsAt: sp('2024-04-02', '10:00'), ...over });

async function countAppointments(clinicId = a.clinic.id) {
  const [row] = await tdb.db.select({ n: count() }).from(appointments).where(eq(appointments.clinicId, clinicId));
  return row.n;
}

async function signalsOf(appointmentId: string): Promise<string[]> {
  const history = await app.temporal.workflow.getHandle(`appointment:${appointmentId}`).fetchHistory();
  return (history.events ?? []).flatMap((e) => (e.workflowExecutionSignaledEventAttributes ? [e.workflowExecutionSignaledEventAttributes.signalName!] : []));
}

/** Refused: a 4xx with the code and a pt-BR message, and no appointment created. */
async function refused(res: { status: number; body: Json }, status: number, code: string, message?: RegExp | string) {
  expect(res.status).toBe(status);
  expect(res.body.error.code).toBe(code);
  if (message) expect(res.body.error.message).toMatch(message);
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  app = await createTestApp(tdb.db, { now: () => NOW });
  a = await createBookingClinic(tdb.db, 'Clínica Agenda A');
  b = await createBookingClinic(tdb.db, 'Clínica Agenda B');
  [staff, viewer, staffB] = await Promise.all([login(app.app, a.members.staff.email), login(app.app, a.members.view.email), login(app.app, b.members.staff.email)]);
});
afterAll(async () => {
  await app?.close();
  await tdb?.drop();
});

describe('POST /api/appointments', () => {
  it('books: 201 with names and colours, the procedure price, audit, and the journey started in Temporal', async () => {
    const res = await book({ notes: 'Primeira sessão' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      startsAt: '2024-04-02T13:00:00.000Z', endsAt: '2024-04-02T14:00:00.000Z', durationMinutes: 60, status: 'agendado',
      priceCents: 25000, notes: 'Primeira sessão', source: 'painel', journeySyncPending: false,
      patient: { id: a.ana.id, name: 'Ana Souza' }, procedure: { id: a.limpeza.id, name: 'Limpeza de pele' },
      professional: { id: a.helena.id, name: 'Dra. Helena Prado', color: '#e11d48' },
    });
    const id = res.body.id as string;
    const [audit] = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entity, 'appointment'), eq(auditLog.entityId, id)));
    expect(audit).toMatchObject({ action: 'create', clinicId: a.clinic.id, userId: a.members.staff.id });

    const [row] = await tdb.db.select().from(appointments).where(eq(appointments.id, id));
    expect(row.journeySyncPendingSince).toBeNull();
    const handle = app.temporal.workflow.getHandle(`appointment:${id}`);
    const described = await handle.describe();
    expect(described.type).toBe('appointmentJourney');
    expect(described.status.name).toBe('RUNNING');
    expect(described.typedSearchAttributes.get(ClinicId)).toBe(a.clinic.id);
    expect(described.typedSearchAttributes.get(PatientId)).toBe(a.ana.id);
    expect(described.typedSearchAttributes.get(AppointmentId)).toBe(id);
    expect(described.typedSearchAttributes.get(JourneyKind)).toBe('appointment');
    expect(await signalsOf(id)).toEqual(['statusChanged']);
  });

  it('takes the dated price of that day, or the price given', async () => {
    await tdb.db.insert(procedurePrices).values({ clinicId: a.clinic.id, procedureId: a.botox.id, priceCents: 99000, validFrom: '2024-04-03', validTo: '2024-04-03' });
    const dated = await book({ procedureId: a.botox.id, startsAt: sp('2024-04-03', '08:00') });
    expect(dated.status).toBe(201);
    expect(dated.body.priceCents).toBe(99000);
    const other = await book({ procedureId: a.botox.id, startsAt: sp('2024-04-04', '08:00') });
    expect(other.body.priceCents).toBe(120000);
    const given = await book({ procedureId: a.botox.id, startsAt: sp('2024-04-04', '09:00'), priceCents: 0 });
    expect(given.body.priceCents).toBe(0);
  });

  it('refuses bad input with a 4xx and a pt-BR message, creating nothing', async () => {
    const before = await countAppointments();
    await refused(await book({ priceCents: -1, startsAt: sp('2024-04-08', '10:00') }), 400, 'validation_failed');
    expect((await book({ priceCents: -1 })).body.error.fields.priceCents).toEqual(['O preço não pode ser negativo.']);
    await refused(await book({ patientId: 'nao-e-uuid' }), 400, 'validation_failed');
    await refused(await book({ startsAt: '2024-04-08T10:00:00' }), 400, 'validation_failed');
    await refused(await book({ startsAt: sp('2024-04-08', '10:00'), extra: 1 }), 400, 'validation_failed');
    const unknown = await book({ patientId: crypto.randomUUID(), startsAt: sp('2024-04-08', '10:00') });
    await refused(unknown, 404, 'not_found', 'Paciente não encontrado nesta clínica.');
    expect(unknown.body.error.fields).toEqual({ patientId: ['Paciente não encontrado nesta clínica.'] });
    // Another clinic's ids are unknown here.
    await refused(await book({ patientId: b.ana.id, startsAt: sp('2024-04-08', '10:00') }), 404, 'not_found', /Paciente/);
    await refused(await book({ professionalId: b.helena.id, startsAt: sp('2024-04-08', '10:00') }), 404, 'not_found', /Profissional/);
    await refused(await book({ procedureId: b.limpeza.id, startsAt: sp('2024-04-08', '10:00') }), 404, 'not_found', /Procedimento/);
    await refused(await book({ procedureId: a.laser.id, startsAt: sp('2024-04-08', '10:00') }), 422, 'procedure_not_performed', 'Dra. Helena Prado não realiza Depilação a laser.');
    expect(await countAppointments()).toBe(before);
  });

  it('refuses times outside the professional’s hours, blocks, holidays, notice and horizon', async () => {
    const before = await countAppointments();
    await refused(await book({ startsAt: sp('2024-04-07', '10:00') }), 422, 'outside_working_hours', /^Fora do horário de atendimento de Dra\. Helena Prado \(domingo, 07\/04\/2024 às 10:00\)\.$/);
    await refused(await book({ startsAt: sp('2024-04-08', '11:30') }), 422, 'outside_working_hours'); // runs into lunch
    await refused(await book({ startsAt: sp('2024-04-08', '17:30') }), 422, 'outside_working_hours'); // ends after 18:00

    await tdb.db.insert(professionalTimeBlocks).values({
      clinicId: a.clinic.id, professionalId: a.helena.id, kind: 'ferias', startsAt: new Date(sp('2024-04-15', '00:00')), endsAt: new Date(sp('2024-04-20', '00:00')),
    });
    await refused(await book({ startsAt: sp('2024-04-16', '10:00') }), 422, 'time_blocked', 'Horário bloqueado: férias.');

    await tdb.db.insert(clinicHolidays).values({ clinicId: a.clinic.id, day: '2024-04-22', name: 'Tiradentes (ponte)' });
    await refused(await book({ startsAt: sp('2024-04-22', '10:00') }), 422, 'clinic_closed', 'A clínica está fechada em 22/04/2024 (Tiradentes (ponte)).');

    await refused(await book({ startsAt: sp('2024-04-01', '10:00') }), 422, 'min_notice', 'Antecedência mínima de 2 h para agendar.');
    await refused(await book({ startsAt: sp('2024-03-29', '10:00') }), 422, 'min_notice', 'Não é possível agendar no passado.');
    await refused(await book({ startsAt: sp('2024-07-01', '10:00') }), 422, 'beyond_horizon', 'A agenda está aberta só até 60 dias à frente.');
    expect(await countAppointments()).toBe(before);
  });

  it('a date override reopens a holiday for one professional only', async () => {
    await tdb.db.insert(clinicHolidays).values({ clinicId: a.clinic.id, day: '2024-04-23', name: 'São Jorge' });
    await tdb.db.insert(clinicDateOverrides).values({ clinicId: a.clinic.id, professionalId: a.helena.id, day: '2024-04-23', intervals: [{ startMinute: 9 * 60, endMinute: 12 * 60 }] });
    expect((await book({ startsAt: sp('2024-04-23', '09:00') })).status).toBe(201);
    await refused(await book({ startsAt: sp('2024-04-23', '08:00') }), 422, 'outside_working_hours');
    await refused(await book({ professionalId: a.bruno.id, startsAt: sp('2024-04-23', '09:00') }), 422, 'clinic_closed', /São Jorge/);
  });

  it('a time already held answers 409 slot_taken with the next free slots', async () => {
    expect((await book({ startsAt: sp('2024-04-09', '10:00') })).status).toBe(201);
    const before = await countAppointments();
    const res = await book({ patientId: a.bia.id, startsAt: sp('2024-04-09', '10:30') });
    await refused(res, 409, 'slot_taken', /conflita com outro atendimento de Dra\. Helena Prado \(10:00–11:00\)/);
    // 60 min + 10 min cleaning buffer on the 15 min grid: 11:15 is the first start after 10:30; then lunch at 12:00.
    expect(res.body.nextSlots).toEqual([
      { professionalId: a.helena.id, startsAt: new Date(sp('2024-04-09', '13:00')).toISOString(), endsAt: new Date(sp('2024-04-09', '14:00')).toISOString() },
      { professionalId: a.helena.id, startsAt: new Date(sp('2024-04-09', '13:15')).toISOString(), endsAt: new Date(sp('2024-04-09', '14:15')).toISOString() },
      { professionalId: a.helena.id, startsAt: new Date(sp('2024-04-09', '13:30')).toISOString(), endsAt: new Date(sp('2024-04-09', '14:30')).toISOString() },
    ]);
    expect(await countAppointments()).toBe(before);
    // The other professional is free then.
    expect((await book({ patientId: a.bia.id, professionalId: a.bruno.id, startsAt: sp('2024-04-09', '10:30') })).status).toBe(201);
  });

  it('view-only members cannot book', async () => {
    await refused(await book({ startsAt: sp('2024-04-10', '10:00') }, viewer), 403, 'forbidden');
  });
});

describe('GET /api/appointments and /slots', () => {
  it('lists a day, a week and a month in the clinic’s zone, per professional, with names and colours', async () => {
    await book({ startsAt: sp('2024-04-12', '08:00') });
    await book({ professionalId: a.bruno.id, startsAt: sp('2024-04-12', '17:00') }); // 20:00Z: still the 12th in São Paulo
    await book({ startsAt: sp('2024-04-13', '08:00') });

    const day = await call('GET', '/api/appointments?view=day&from=2024-04-12', viewer);
    expect(day.status).toBe(200);
    expect(day.body).toMatchObject({ from: '2024-04-12', to: '2024-04-12', timezone: 'America/Sao_Paulo', view: 'day' });
    expect(day.body.items.map((i: Json) => [i.professional.name, i.startsAt])).toEqual([
      ['Dra. Helena Prado', '2024-04-12T11:00:00.000Z'], ['Dr. Bruno Costa', '2024-04-12T20:00:00.000Z'],
    ]);
    expect(day.body.items[0]).toMatchObject({ patient: { name: 'Ana Souza' }, procedure: { name: 'Limpeza de pele' }, professional: { color: '#e11d48' } });

    const week = await call('GET', '/api/appointments?view=week&from=2024-04-10', viewer);
    expect(week.body).toMatchObject({ from: '2024-04-07', to: '2024-04-13' });
    expect(week.body.items.length).toBeGreaterThanOrEqual(5);
    const helenaOnly = await call('GET', `/api/appointments?view=week&from=2024-04-10&professionalId=${a.helena.id}`, viewer);
    expect(helenaOnly.body.items.every((i: Json) => i.professional.id === a.helena.id)).toBe(true);
    expect(helenaOnly.body.items.length).toBe(week.body.items.length - 2);

    const month = await call('GET', '/api/appointments?view=month&from=2024-04-18', viewer);
    expect(month.body).toMatchObject({ from: '2024-04-01', to: '2024-04-30' });
    const range = await call('GET', '/api/appointments?from=2024-04-12&to=2024-04-13', viewer);
    expect(range.body.items.length).toBe(3);

    // The other clinic sees none of it.
    expect((await call('GET', '/api/appointments?view=month&from=2024-04-18', staffB)).body.items).toEqual([]);
  });

  it('refuses a range that ends before it starts, or is too long', async () => {
    await refused(await call('GET', '/api/appointments?from=2024-04-12&to=2024-04-11', viewer), 400, 'validation_failed', 'A data final deve ser igual ou posterior à inicial.');
    await refused(await call('GET', '/api/appointments?from=2024-01-01&to=2024-12-31', viewer), 400, 'validation_failed');
    await refused(await call('GET', '/api/appointments?from=2024-02-30', viewer), 400, 'validation_failed');
    await refused(await call('GET', '/api/appointments?view=year', viewer), 400, 'validation_failed');
  });

  it('offers free slots for a professional or "any", skipping bookings, lunch and who does not perform it', async () => {
    const helena = await call('GET', `/api/appointments/slots?procedureId=${a.limpeza.id}&professionalId=${a.helena.id}&from=2024-04-09&to=2024-04-09`, viewer);
    expect(helena.status).toBe(200);
    expect(helena.body).toMatchObject({ durationMinutes: 60, timezone: 'America/Sao_Paulo', procedure: { name: 'Limpeza de pele' } });
    const starts = helena.body.slots.map((s: Json) => new Date(s.startsAt).toISOString());
    expect(starts[0]).toBe(new Date(sp('2024-04-09', '08:00')).toISOString());
    expect(starts).not.toContain(new Date(sp('2024-04-09', '10:00')).toISOString()); // booked
    expect(starts).not.toContain(new Date(sp('2024-04-09', '11:30')).toISOString()); // into lunch
    expect(starts).toContain(new Date(sp('2024-04-09', '13:00')).toISOString());

    const any = await call('GET', `/api/appointments/slots?procedureId=${a.limpeza.id}&professionalId=any&from=2024-04-09&to=2024-04-09`, viewer);
    const anyAt1000 = any.body.slots.find((s: Json) => s.startsAt === new Date(sp('2024-04-09', '10:00')).toISOString());
    expect(anyAt1000).toBeUndefined(); // Helena booked 10:00, Bruno booked 10:30 → both busy at 10:00
    expect(new Set(any.body.slots.map((s: Json) => s.startsAt)).size).toBe(any.body.slots.length); // one per start

    const laser = await call('GET', `/api/appointments/slots?procedureId=${a.laser.id}&from=2024-04-08&to=2024-04-08`, viewer);
    expect(laser.body.slots.length).toBeGreaterThan(0);
    expect(laser.body.slots.every((s: Json) => s.professionalId === a.bruno.id && s.professionalName === 'Dr. Bruno Costa')).toBe(true);
    await refused(await call('GET', `/api/appointments/slots?procedureId=${a.laser.id}&professionalId=${a.helena.id}`, viewer), 422, 'procedure_not_performed');
    await refused(await call('GET', `/api/appointments/slots?procedureId=${b.laser.id}`, viewer), 404, 'not_found');
    await refused(await call('GET', `/api/appointments/slots?procedureId=${a.laser.id}&from=2024-04-09&to=2024-04-08`, viewer), 400, 'validation_failed');
  });
});

describe('changing an appointment', () => {
  it('edits notes and price (audited); refuses a negative price', async () => {
    const { body: appt } = await book({ startsAt: sp('2024-04-24', '08:00') });
    const res = await call('PATCH', `/api/appointments/${appt.id}`, staff, { notes: 'Trazer exames', priceCents: 20000 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ notes: 'Trazer exames', priceCents: 20000 });
    await refused(await call('PATCH', `/api/appointments/${appt.id}`, staff, { priceCents: -5 }), 400, 'validation_failed');
    await refused(await call('PATCH', `/api/appointments/${appt.id}`, staff, {}), 400, 'validation_failed');
    const [audit] = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entityId, appt.id), eq(auditLog.action, 'update')));
    expect(audit.before).toEqual({ notes: null, priceCents: 25000 });
    expect(audit.after).toEqual({ notes: 'Trazer exames', priceCents: 20000 });
  });

  it('reschedules: the same checks, back to agendado, the journey told; busy → 409 with next slots', async () => {
    const { body: appt } = await book({ startsAt: sp('2024-04-25', '08:00') });
    expect((await call('POST', `/api/appointments/${appt.id}/status`, staff, { status: 'confirmado' })).body.status).toBe('confirmado');

    // Overlapping its own old time is fine (it does not block itself).
    const moved = await call('POST', `/api/appointments/${appt.id}/reschedule`, staff, { startsAt: sp('2024-04-25', '08:30') });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ startsAt: new Date(sp('2024-04-25', '08:30')).toISOString(), status: 'agendado', confirmedAt: null, journeySyncPending: false });
    expect(await signalsOf(appt.id)).toEqual(['statusChanged', 'statusChanged', 'reschedule']);

    const { body: other } = await book({ patientId: a.bia.id, startsAt: sp('2024-04-25', '10:00') });
    const clash = await call('POST', `/api/appointments/${appt.id}/reschedule`, staff, { startsAt: sp('2024-04-25', '10:00') });
    await refused(clash, 409, 'slot_taken');
    expect(clash.body.nextSlots).toHaveLength(3);
    await refused(await call('POST', `/api/appointments/${appt.id}/reschedule`, staff, { startsAt: sp('2024-04-25', '12:30') }), 422, 'outside_working_hours');
    await refused(await call('POST', `/api/appointments/${appt.id}/reschedule`, staff, { startsAt: sp('2024-04-25', '08:30') }), 400, 'validation_failed', 'O novo horário é igual ao atual.');

    // To another professional: Bruno performs everything.
    const toBruno = await call('POST', `/api/appointments/${appt.id}/reschedule`, staff, { startsAt: sp('2024-04-25', '10:00'), professionalId: a.bruno.id });
    expect(toBruno.status).toBe(200);
    expect(toBruno.body.professional.name).toBe('Dr. Bruno Costa');

    await call('POST', `/api/appointments/${other.id}/cancel`, staff, { reason: 'Paciente desistiu' });
    await refused(await call('POST', `/api/appointments/${other.id}/reschedule`, staff, { startsAt: sp('2024-04-25', '14:00') }), 409, 'not_editable', 'Não é possível remarcar um agendamento cancelado.');
  });

  it('follows the status rules: forward only, terminal states refuse, outcomes only once the visit started', async () => {
    const { body: appt } = await book({ startsAt: sp('2024-04-26', '08:00') });
    const path = `/api/appointments/${appt.id}/status`;
    await refused(await call('POST', path, staff, { status: 'realizado' }), 409, 'invalid_transition', /^Só é possível marcar como realizado a partir do horário do atendimento \(26\/04.* 08:00\)\.$/);
    const confirmed = await call('POST', path, staff, { status: 'confirmado' });
    expect(confirmed.body).toMatchObject({ status: 'confirmado', confirmedAt: NOW.toISOString() });
    await refused(await call('POST', path, staff, { status: 'agendado' }), 409, 'invalid_transition', 'Não é possível passar de confirmado para agendado.');
    await refused(await call('POST', path, staff, { status: 'confirmado' }), 409, 'invalid_transition', 'O agendamento já está confirmado.');
    await refused(await call('POST', path, staff, { status: 'cancelado' }), 400, 'validation_failed', 'Informe o motivo do cancelamento.');
    await refused(await call('POST', path, staff, { status: 'pago' }), 400, 'validation_failed');

    // A visit that already happened (inserted directly in the past) can be marked realizado, then nothing else.
    const [past] = await tdb.db.insert(appointments).values({
      clinicId: a.clinic.id, patientId: a.ana.id, procedureId: a.limpeza.id, professionalId: a.helena.id,
      startsAt: new Date(sp('2024-03-29', '10:00')), durationMinutes: 60, priceCents: 25000,
    }).returning();
    const done = await call('POST', `/api/appointments/${past.id}/status`, staff, { status: 'realizado' });
    expect(done.body).toMatchObject({ status: 'realizado', completedAt: NOW.toISOString() });
    await refused(await call('POST', `/api/appointments/${past.id}/status`, staff, { status: 'agendado' }), 409, 'invalid_transition', 'Não é possível passar de realizado para agendado.');
    await refused(await call('POST', `/api/appointments/${past.id}/cancel`, staff, { reason: 'engano' }), 409, 'invalid_transition', 'Não é possível passar de realizado para cancelado.');
    const [row] = await tdb.db.select().from(appointments).where(eq(appointments.id, past.id));
    expect(row.status).toBe('realizado');
  });

  it('cancels with a reason: the slot is released and the journey is told', async () => {
    const { body: appt } = await book({ startsAt: sp('2024-04-29', '08:00') });
    await refused(await call('POST', `/api/appointments/${appt.id}/cancel`, staff, {}), 400, 'validation_failed');
    await refused(await call('POST', `/api/appointments/${appt.id}/cancel`, staff, { reason: 'ok' }), 400, 'validation_failed');
    const res = await call('POST', `/api/appointments/${appt.id}/cancel`, staff, { reason: 'Paciente com gripe' });
    expect(res.body).toMatchObject({ status: 'cancelado', cancelReason: 'Paciente com gripe', cancelledAt: NOW.toISOString() });
    expect(await signalsOf(appt.id)).toEqual(['statusChanged', 'cancel']);
    const [audit] = await tdb.db.select().from(auditLog).where(and(eq(auditLog.entityId, appt.id), eq(auditLog.action, 'cancel')));
    expect(audit.after).toEqual({ status: 'cancelado', reason: 'Paciente com gripe' });
    await refused(await call('POST', `/api/appointments/${appt.id}/cancel`, staff, { reason: 'de novo' }), 409, 'invalid_transition', 'O agendamento já está cancelado.');
    expect((await book({ patientId: a.bia.id, startsAt: sp('2024-04-29', '08:00') })).status).toBe(201);
  });

  it('racing changes of one appointment reach its journey in order: the last signal matches the final row', async () => {
    const { body: appt } = await book({ startsAt: sp('2024-05-06', '08:00') });
    const [moved, cancelled] = await Promise.all([
      call('POST', `/api/appointments/${appt.id}/reschedule`, staff, { startsAt: sp('2024-05-06', '09:00') }),
      call('POST', `/api/appointments/${appt.id}/cancel`, staff, { reason: 'Desistiu' }),
    ]);
    expect(cancelled.status).toBe(200);
    expect([200, 409]).toContain(moved.status);
    const signals = await signalsOf(appt.id);
    expect(signals[signals.length - 1]).toBe('cancel');
    const [row] = await tdb.db.select().from(appointments).where(eq(appointments.id, appt.id));
    expect(row).toMatchObject({ status: 'cancelado', journeySyncPendingSince: null });
  });

  it('another clinic’s appointment is not found, for reads and writes', async () => {
    const { body: appt } = await book({ startsAt: sp('2024-04-30', '08:00') });
    for (const [method, path, body] of [
      ['GET', `/api/appointments/${appt.id}`, undefined],
      ['GET', `/api/appointments/${appt.id}/ics`, undefined],
      ['PATCH', `/api/appointments/${appt.id}`, { notes: 'x' }],
      ['POST', `/api/appointments/${appt.id}/cancel`, { reason: 'invasão' }],
      ['POST', `/api/appointments/${appt.id}/status`, { status: 'confirmado' }],
      ['POST', `/api/appointments/${appt.id}/reschedule`, { startsAt: sp('2024-04-30', '09:00') }],
    ] as const) {
      await refused(await call(method, path, staffB, body), 404, 'not_found', 'Agendamento não encontrado.');
    }
    const [row] = await tdb.db.select().from(appointments).where(eq(appointments.id, appt.id));
    expect(row).toMatchObject({ status: 'agendado', notes: null });
  });
});

describe('when Temporal cannot be reached', () => {
  it('keeps the booking, marks the journey pending, and the retry sends it later', async () => {
    // Nothing listens on port 1; no gRPC retry interceptor, so no retry timer outlives the test's close().
    const deadConnection = Connection.lazy({ address: '127.0.0.1:1', interceptors: [] });
    const dead = new Client({ connection: deadConnection });
    const log = pino({ level: 'silent' });
    const deps = { env: loadEnv({ NODE_ENV: 'test' }), db: tdb.db, log, temporal: dead, temporalHealthy: async () => false, now: () => NOW };
    const journey = appointmentJourney(deps, { timeoutMs: 1000, startupSweepMs: null, retryDelayMs: 60_000 });
    const offline = createApp(deps);
    const token = await login(offline, a.members.staff.email);
    try {
      const res = await offline.request('/api/appointments', {
        method: 'POST', headers: bearer(token, { 'content-type': 'application/json' }),
        body: JSON.stringify({ patientId: a.ana.id, procedureId: a.botox.id, professionalId: a.bruno.id, startsAt: sp('2024-05-02', '08:00') }),
      });
      expect(res.status).toBe(201);
      const body = (await res.json()) as Json;
      expect(body.journeySyncPending).toBe(true);
      const [row] = await tdb.db.select().from(appointments).where(eq(appointments.id, body.id));
      expect(row.journeySyncPendingSince).not.toBeNull();
      expect(row.journeySyncError).toMatch(/\S/);

      // Temporal is back: the retry sends the row's state and clears the marker.
      const online = createAppointmentJourney({ db: tdb.db, temporal: app.temporal, log }, { startupSweepMs: null });
      const sweep = await online.syncPending();
      online.dispose();
      expect(sweep.failed).toBe(0);
      const [after] = await tdb.db.select().from(appointments).where(eq(appointments.id, body.id));
      expect(after.journeySyncPendingSince).toBeNull();
      expect((await app.temporal.workflow.getHandle(`appointment:${body.id}`).describe()).status.name).toBe('RUNNING');
      expect(await signalsOf(body.id)).toEqual(['reschedule']);
    } finally {
      journey.dispose();
      await deadConnection.close().catch(() => {});
    }
  });
});
