import { describe, expect, it } from 'vitest';
import { areaCodeOf, formatPhone, isMobilePhone, isValidPhone, normalizePhone } from './phone';

describe('normalizePhone', () => {
  it.each([
    ['(11) 98765-4321', '+5511987654321'],
    ['11987654321', '+5511987654321'],
    ['+55 11 98765-4321', '+5511987654321'],
    ['5511987654321', '+5511987654321'],
    ['011 98765 4321', '+5511987654321'],
    ['0 21 11 98765-4321', '+5511987654321'],
    ['0055 11 98765 4321', '+5511987654321'],
    ['whatsapp:+5511987654321', '+5511987654321'],
    ['(11) 3456-7890', '+551134567890'],
    ['+55 21 2345-6789', '+552123456789'],
    // Mobile written without the ninth digit (old format / some WhatsApp ids).
    ['(31) 8765-4321', '+5531987654321'],
    ['+55 31 8765 4321', '+5531987654321'],
  ])('%s → %s', (input, e164) => {
    expect(normalizePhone(input)).toBe(e164);
  });

  it.each([
    '', 'abc', '12345', '(10) 98765-4321', '(11) 88765-43210', '(11) 18765-4321', '+55 11 8765-432',
    '(11) 0765-4321', '+1 415 555 2671', '98765-4321',
  ])('refuses %j', (input) => {
    expect(normalizePhone(input)).toBeNull();
    expect(isValidPhone(input)).toBe(false);
  });

  it('uses a default area code for local numbers', () => {
    expect(normalizePhone('98765-4321', { defaultAreaCode: '11' })).toBe('+5511987654321');
    expect(normalizePhone('3456-7890', { defaultAreaCode: '19' })).toBe('+551934567890');
  });

  it('accepts foreign numbers only when asked', () => {
    expect(normalizePhone('+1 415 555 2671', { international: true })).toBe('+14155552671');
    expect(normalizePhone('+55 10 98765 4321', { international: true })).toBeNull();
  });
});

describe('formatPhone and friends', () => {
  it('formats Brazilian numbers for display', () => {
    expect(formatPhone('+5511987654321')).toBe('(11) 98765-4321');
    expect(formatPhone('+551134567890')).toBe('(11) 3456-7890');
    expect(formatPhone('+14155552671')).toBe('+14155552671');
  });

  it('tells mobiles apart and extracts the area code', () => {
    expect(isMobilePhone('+5511987654321')).toBe(true);
    expect(isMobilePhone('+551134567890')).toBe(false);
    expect(areaCodeOf('+5521987654321')).toBe('21');
    expect(areaCodeOf('+14155552671')).toBeNull();
  });
});
