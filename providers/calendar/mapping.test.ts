// The pure mappings: our appointment → Google event, and a Google event → what changes for us.
import { describe, expect, it } from 'vitest';
import { changeFor, eventIdFor, fromGoogleEvent, subtractIntervals, toGoogleEvent, type CurrentAppointment } from './mapping';
import type { AppointmentEvent, ExternalEvent } from './types';

const appointment: AppointmentEvent = {
  appointmentId: '3f2a9c1e-8b7d-4e6f-9a1b-2c3d4e5f6a7b',
  clinicId: '11111111-2222-4333-8444-555555555555',
  patientName: 'Ana Souza',
  procedureName: 'Botox',
  professionalName: 'Dra. Helena Prado',
  clinicName: 'Clínica Bella Pele',
  startsAt: new Date('2026-03-10T13:00:00Z'),
  durationMinutes: 45,
  timeZone: 'America/Sao_Paulo',
  status: 'confirmado',
};

describe('toGoogleEvent', () => {
  it('titles the event "procedure — patient" and carries our ids privately', () => {
    const ev = toGoogleEvent(appointment);
    expect(ev.summary).toBe('Botox — Ana Souza');
    expect(ev.start).toEqual({ dateTime: '2026-03-10T13:00:00.000Z', timeZone: 'America/Sao_Paulo' });
    expect(ev.end).toEqual({ dateTime: '2026-03-10T13:45:00.000Z', timeZone: 'America/Sao_Paulo' });
    expect(ev.extendedProperties?.private).toEqual({
      tigreAppointmentId: appointment.appointmentId, tigreClinicId: appointment.clinicId, tigreStartsAt: '2026-03-10T13:00:00.000Z',
    });
    expect(ev.status).toBe('confirmed');
  });

  it('describes the appointment in pt-BR without contact or clinical data', () => {
    const ev = toGoogleEvent({ ...appointment, status: 'no_show' });
    expect(ev.description).toContain('Procedimento: Botox (45 min)');
    expect(ev.description).toContain('Paciente: Ana Souza');
    expect(ev.description).toContain('Status: não compareceu');
    expect(ev.description).toContain('Mover ou excluir este evento remarca ou cancela o agendamento');
    expect(ev.description).not.toMatch(/\+55|CPF|Telefone/);
  });

  it('derives a valid Google event id (base32hex, 5–1024 chars) from the appointment id', () => {
    const id = eventIdFor(appointment.appointmentId);
    expect(id).toBe('tigre3f2a9c1e8b7d4e6f9a1b2c3d4e5f6a7b');
    expect(id).toMatch(/^[a-v0-9]{5,1024}$/);
    expect(() => eventIdFor('not-a-uuid')).toThrow(RangeError);
  });
});

describe('fromGoogleEvent', () => {
  it('reads our properties, the start with its offset, and the deletion status', () => {
    const ev = fromGoogleEvent({
      id: 'abc', status: 'cancelled', updated: '2026-03-09T12:00:00.000Z',
      start: { dateTime: '2026-03-10T11:00:00-03:00' }, end: { dateTime: '2026-03-10T11:45:00-03:00' },
      extendedProperties: { private: { tigreAppointmentId: appointment.appointmentId, tigreClinicId: appointment.clinicId, tigreStartsAt: '2026-03-10T13:00:00.000Z' } },
    });
    expect(ev).toEqual({
      id: 'abc', status: 'cancelled', allDay: false, start: new Date('2026-03-10T14:00:00Z'), end: new Date('2026-03-10T14:45:00Z'),
      updated: new Date('2026-03-09T12:00:00Z'), appointmentId: appointment.appointmentId, clinicId: appointment.clinicId,
      pushedStartsAt: new Date('2026-03-10T13:00:00Z'),
    });
  });

  it('marks all-day events, tolerates missing fields, and skips events without an id', () => {
    expect(fromGoogleEvent({ id: 'x', start: { date: '2026-03-10' }, end: { date: '2026-03-11' } })).toMatchObject({ allDay: true, start: undefined, status: 'confirmed' });
    expect(fromGoogleEvent({ id: 'y', status: 'cancelled' })).toMatchObject({ status: 'cancelled', appointmentId: undefined });
    expect(fromGoogleEvent({ summary: 'sem id' })).toBeNull();
  });
});

describe('changeFor', () => {
  const id = appointment.appointmentId;
  const current: CurrentAppointment = { id, startsAt: new Date('2026-03-10T13:00:00Z'), status: 'agendado', updatedAt: new Date('2026-03-01T10:00:00Z') };
  const ours = (over: Partial<ExternalEvent> = {}): ExternalEvent => ({
    id: 'evt', status: 'confirmed', allDay: false, start: new Date('2026-03-10T13:00:00Z'), end: new Date('2026-03-10T13:45:00Z'),
    updated: new Date('2026-03-02T10:00:00Z'), appointmentId: id, pushedStartsAt: new Date('2026-03-10T13:00:00Z'), ...over,
  });

  it('moved in Google → moved, with the new start', () => {
    const start = new Date('2026-03-11T17:30:00Z');
    expect(changeFor(ours({ start }), current)).toEqual({ kind: 'moved', appointmentId: id, eventId: 'evt', startsAt: start, previousStartsAt: current.startsAt });
  });

  it('deleted in Google → deleted while open; nothing to do once closed', () => {
    expect(changeFor(ours({ status: 'cancelled' }), current)).toEqual({ kind: 'deleted', appointmentId: id, eventId: 'evt' });
    expect(changeFor(ours({ status: 'cancelled' }), { ...current, status: 'cancelado' }).kind).toBe('unchanged');
    expect(changeFor(ours({ status: 'cancelled' }), { ...current, status: 'realizado' }).kind).toBe('unchanged');
  });

  it('the echo of our own push is unchanged (second precision)', () => {
    expect(changeFor(ours({ start: new Date('2026-03-10T13:00:00.000Z') }), { ...current, startsAt: new Date('2026-03-10T13:00:00.400Z') }).kind).toBe('unchanged');
  });

  it('Google still shows what we pushed but we moved since → stale (push ours)', () => {
    const moved = { ...current, startsAt: new Date('2026-03-12T13:00:00Z'), updatedAt: new Date('2026-03-05T10:00:00Z') };
    expect(changeFor(ours(), moved).kind).toBe('stale');
  });

  it('both sides moved since the push: the later change wins', () => {
    const googleMove = ours({ start: new Date('2026-03-11T13:00:00Z'), updated: new Date('2026-03-05T10:00:00Z') });
    const oursEarlier = { ...current, startsAt: new Date('2026-03-12T13:00:00Z'), updatedAt: new Date('2026-03-04T10:00:00Z') };
    const oursLater = { ...oursEarlier, updatedAt: new Date('2026-03-06T10:00:00Z') };
    expect(changeFor(googleMove, oursEarlier).kind).toBe('moved');
    expect(changeFor(googleMove, oursLater).kind).toBe('stale');
  });

  it('a status change here (same start) does not hide a move made in Google', () => {
    const googleMove = ours({ start: new Date('2026-03-11T13:00:00Z'), updated: new Date('2026-03-05T10:00:00Z') });
    expect(changeFor(googleMove, { ...current, status: 'confirmado', updatedAt: new Date('2026-03-06T10:00:00Z') }).kind).toBe('moved');
  });

  it('closed appointments are not moved; unknown events are reported as such', () => {
    expect(changeFor(ours({ start: new Date('2026-03-11T13:00:00Z') }), { ...current, status: 'realizado' })).toMatchObject({ kind: 'ignored', reason: 'closed' });
    expect(changeFor(ours({ appointmentId: undefined }), current)).toMatchObject({ kind: 'unknown', reason: 'not_ours' });
    expect(changeFor(ours(), undefined)).toMatchObject({ kind: 'unknown', reason: 'not_found' });
    expect(changeFor(ours({ allDay: true, start: undefined }), current)).toMatchObject({ kind: 'unknown', reason: 'all_day' });
  });
});

describe('subtractIntervals', () => {
  const t = (h: number, m = 0) => new Date(Date.UTC(2026, 2, 10, h, m));
  const iv = (a: Date, b: Date) => ({ start: a, end: b });
  it('removes our own appointments from Google’s busy blocks, keeping the rest', () => {
    // Google merged our 13:00–13:30 appointment with an adjacent dentist appointment 13:30–14:30.
    expect(subtractIntervals([iv(t(13), t(14, 30))], [iv(t(13), t(13, 30))])).toEqual([iv(t(13, 30), t(14, 30))]);
    expect(subtractIntervals([iv(t(9), t(12))], [iv(t(10), t(11))])).toEqual([iv(t(9), t(10)), iv(t(11), t(12))]);
    expect(subtractIntervals([iv(t(10), t(11))], [iv(t(9), t(12))])).toEqual([]);
    expect(subtractIntervals([iv(t(15), t(16)), iv(t(8), t(9))], [])).toEqual([iv(t(8), t(9)), iv(t(15), t(16))]);
    expect(subtractIntervals([iv(t(8), t(12))], [iv(t(9), t(10)), iv(t(9, 30), t(10, 30)), iv(t(11), t(13))])).toEqual([iv(t(8), t(9)), iv(t(10, 30), t(11))]);
  });
});
