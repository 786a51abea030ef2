import { describe, expect, it } from 'vitest';
import { emptyValues, isValidCpf, mapFieldErrors, toBody } from './patient-form';

describe('patient form → API body', () => {
  it('checks CPF digits like the API does', () => {
    expect(isValidCpf('529.982.247-25')).toBe(true);
    expect(isValidCpf('123.456.789-00')).toBe(false);
    expect(isValidCpf('111.111.111-11')).toBe(false);
  });

  it('drops blank rows, keeps the chosen primary and turns dd/mm/aaaa into ISO', () => {
    const v = {
      ...emptyValues(),
      name: 'Ana Lima',
      birthDate: '03/10/1990',
      tags: 'vip, pacote ,',
      phones: [{ number: '', kind: 'celular' }, { number: '(11) 98765-4321', kind: 'celular' }, { number: '(11) 3333-4444', kind: 'comercial' }],
      phonePrimary: 2,
    };
    const { body, fields, phoneIndex } = toBody(v, 'create');
    expect(fields).toEqual({});
    expect(body.birthDate).toBe('1990-10-03');
    expect(body.tags).toEqual(['vip', 'pacote']);
    expect(body.phones.map((p) => p.isPrimary)).toEqual([false, true]);
    expect(phoneIndex).toEqual([1, 2]);
    // The API names sent rows; the form shows the error on the row the person typed.
    expect(mapFieldErrors({ 'phones.0.number': ['x'] }, phoneIndex, [])).toEqual({ 'phones.1.number': ['x'] });
  });

  it('keeps the CPF on edit unless a new one is typed or removal is asked', () => {
    const base = { ...emptyValues(), name: 'Ana Lima' };
    expect('cpf' in toBody(base, 'edit').body).toBe(false);
    expect(toBody({ ...base, removeCpf: true }, 'edit').body.cpf).toBeNull();
    expect(toBody({ ...base, birthDate: '31/02/1990' }, 'edit').fields.birthDate).toBeTruthy();
  });
});
