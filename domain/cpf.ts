// CPF (Cadastro de Pessoas Físicas): validation by check digits, formatting, masking, generation.
import type { Random } from './random';

/** The 11 digits of a CPF typed any common way ('123.456.789-09', '12345678909'), or null. */
export function normalizeCpf(input: string): string | null {
  if (!/^[\d.\-\s/]+$/.test(input.trim())) return null;
  const digits = input.replace(/\D/g, '');
  return digits.length === 11 ? digits : null;
}

function checkDigit(digits: string, length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += Number(digits[i]) * (length + 1 - i);
  const rest = (sum * 10) % 11;
  return rest === 10 ? 0 : rest;
}

/** True when the input is 11 digits (punctuation allowed) with correct check digits; repeated digits are refused. */
export function isValidCpf(input: string): boolean {
  const d = normalizeCpf(input);
  if (!d || /^(\d)\1{10}$/.test(d)) return false;
  return checkDigit(d, 9) === Number(d[9]) && checkDigit(d, 10) === Number(d[10]);
}

/** '12345678909' → '123.456.789-09'. Throws on anything that is not 11 digits. */
export function formatCpf(input: string): string {
  const d = normalizeCpf(input);
  if (!d) throw new Error('CPF must have 11 digits');
  return `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}`;
}

/** Shows only the middle six digits, as receipts do: '***.456.789-**'. */
export function maskCpf(input: string): string {
  const d = normalizeCpf(input);
  if (!d) throw new Error('CPF must have 11 digits');
  return `***.${d.slice(3, 6)}.${d.slice(6, 9)}-**`;
}

/** A valid CPF (digits only) drawn from `random`. */
export function generateCpf(random: Random): string {
  for (;;) {
    let base = '';
    for (let i = 0; i < 9; i++) base += String(random.int(0, 9));
    if (/^(\d)\1{8}$/.test(base)) continue;
    const withFirst = base + checkDigit(base, 9);
    return withFirst + checkDigit(withFirst, 10);
  }
}
