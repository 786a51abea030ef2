import { describe, expect, it } from 'vitest';
import { APPOINTMENT_STATUSES, checkTransition, isOpen, isTerminal, STATUS_TRANSITIONS } from './appointment-status';

describe('appointment status transitions', () => {
  it('follows agendado → confirmado → realizado | cancelado | no_show', () => {
    expect(checkTransition('agendado', 'confirmado')).toEqual({ ok: true });
    for (const to of ['realizado', 'cancelado', 'no_show'] as const) {
      expect(checkTransition('agendado', to).ok).toBe(true);
      expect(checkTransition('confirmado', to).ok).toBe(true);
    }
  });

  it('refuses going back and leaving a terminal status, with a pt-BR message', () => {
    expect(checkTransition('confirmado', 'agendado')).toEqual({ ok: false, message: 'Não é possível passar de confirmado para agendado.' });
    expect(checkTransition('realizado', 'agendado')).toEqual({ ok: false, message: 'Não é possível passar de realizado para agendado.' });
    expect(checkTransition('no_show', 'realizado')).toEqual({ ok: false, message: 'Não é possível passar de não compareceu para realizado.' });
    expect(checkTransition('confirmado', 'confirmado')).toEqual({ ok: false, message: 'O agendamento já está confirmado.' });
  });

  it('has exactly three terminal statuses, and no transition into agendado', () => {
    expect(APPOINTMENT_STATUSES.filter(isTerminal)).toEqual(['realizado', 'cancelado', 'no_show']);
    expect(APPOINTMENT_STATUSES.filter(isOpen)).toEqual(['agendado', 'confirmado']);
    for (const s of APPOINTMENT_STATUSES) expect(STATUS_TRANSITIONS[s]).not.toContain('agendado');
    for (const from of APPOINTMENT_STATUSES) {
      for (const to of APPOINTMENT_STATUSES) {
        expect(checkTransition(from, to).ok).toBe(STATUS_TRANSITIONS[from].includes(to));
      }
    }
  });
});
