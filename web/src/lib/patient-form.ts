// The patient form as submitted (repeatable phone and address rows, dd/mm/aaaa birth date, tags separated
// by commas) → the API's JSON body, and back: what the form shows for a patient the API returned.
import type { Patient } from './api-types';
import type { AddressKind, Gender, PatientStatus, PhoneKind } from './patients';
import { parseBrDate } from './time';

export interface PhoneRow {
  number: string;
  kind: string;
}
export interface AddressRow {
  postalCode: string;
  street: string;
  number: string;
  complement: string;
  district: string;
  city: string;
  state: string;
  kind: string;
}

export interface PatientFormValues {
  name: string;
  email: string;
  cpf: string;
  removeCpf: boolean;
  birthDate: string;
  gender: string;
  status: string;
  tags: string;
  source: string;
  notes: string;
  phones: PhoneRow[];
  phonePrimary: number;
  addresses: AddressRow[];
  addressPrimary: number;
}

export const blankPhone = (): PhoneRow => ({ number: '', kind: 'celular' });
export const blankAddress = (): AddressRow => ({ postalCode: '', street: '', number: '', complement: '', district: '', city: '', state: '', kind: 'residencial' });

export function emptyValues(): PatientFormValues {
  return {
    name: '', email: '', cpf: '', removeCpf: false, birthDate: '', gender: '', status: 'ativo', tags: '', source: '', notes: '',
    phones: [], phonePrimary: 0, addresses: [], addressPrimary: 0,
  };
}

/** What the edit form starts with (the CPF stays empty: typing one replaces it, leaving it empty keeps it). */
export function valuesOf(p: Patient): PatientFormValues {
  return {
    name: p.name,
    email: p.email ?? '',
    cpf: '',
    removeCpf: false,
    birthDate: p.birthDate ? p.birthDate.split('-').reverse().join('/') : '',
    gender: p.gender ?? '',
    status: p.status,
    tags: p.tags.join(', '),
    source: p.source ?? '',
    notes: p.notes ?? '',
    phones: p.phones.map((ph) => ({ number: ph.formatted || ph.number, kind: ph.kind })),
    phonePrimary: Math.max(0, p.phones.findIndex((ph) => ph.isPrimary)),
    addresses: p.addresses.map((a) => ({
      postalCode: a.postalCodeFormatted ?? a.postalCode ?? '',
      street: a.street,
      number: a.number ?? '',
      complement: a.complement ?? '',
      district: a.district ?? '',
      city: a.city,
      state: a.state,
      kind: a.kind,
    })),
    addressPrimary: Math.max(0, p.addresses.findIndex((a) => a.isPrimary)),
  };
}

/** The two check digits of a CPF (the API checks again; this only spares a round trip). */
export function isValidCpf(value: string): boolean {
  const d = value.replace(/\D/g, '');
  if (d.length !== 11 || /^(\d)\1{10}$/.test(d)) return false;
  const digit = (len: number) => {
    let sum = 0;
    for (let i = 0; i < len; i++) sum += Number(d[i]) * (len + 1 - i);
    const r = (sum * 10) % 11;
    return r === 10 ? 0 : r;
  };
  return digit(9) === Number(d[9]) && digit(10) === Number(d[10]);
}

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v.trim() : '';
};
const all = (form: FormData, name: string) => form.getAll(name).map((v) => (typeof v === 'string' ? v.trim() : ''));

export function readForm(form: FormData): PatientFormValues {
  const numbers = all(form, 'phone_number');
  const kinds = all(form, 'phone_kind');
  const ceps = all(form, 'addr_cep');
  const pick = (name: string) => all(form, name);
  const [streets, nums, comps, districts, cities, states, akinds] = ['addr_street', 'addr_number', 'addr_complement', 'addr_district', 'addr_city', 'addr_state', 'addr_kind'].map(pick);
  return {
    name: str(form, 'name'),
    email: str(form, 'email'),
    cpf: str(form, 'cpf'),
    removeCpf: form.get('remove_cpf') === 'on',
    birthDate: str(form, 'birthDate'),
    gender: str(form, 'gender'),
    status: str(form, 'status') || 'ativo',
    tags: str(form, 'tags'),
    source: str(form, 'source'),
    notes: str(form, 'notes'),
    phones: numbers.map((number, i) => ({ number, kind: kinds[i] || 'celular' })),
    phonePrimary: Number(str(form, 'phone_primary')) || 0,
    addresses: ceps.map((postalCode, i) => ({
      postalCode,
      street: streets[i] ?? '',
      number: nums[i] ?? '',
      complement: comps[i] ?? '',
      district: districts[i] ?? '',
      city: cities[i] ?? '',
      state: states[i] ?? '',
      kind: akinds[i] || 'residencial',
    })),
    addressPrimary: Number(str(form, 'addr_primary')) || 0,
  };
}

export interface PatientBody {
  name: string;
  email: string | null;
  cpf?: string | null;
  birthDate: string | null;
  gender: Gender | null;
  status: PatientStatus;
  tags: string[];
  source: string | null;
  notes: string | null;
  phones: Array<{ number: string; kind: PhoneKind; isPrimary: boolean }>;
  addresses: Array<{
    street: string;
    number: string | null;
    complement: string | null;
    district: string | null;
    city: string;
    state: string;
    postalCode: string | null;
    kind: AddressKind;
    isPrimary: boolean;
  }>;
}

/**
 * The API body, the errors found before asking the API, and which form row each sent row came from
 * (blank rows are not sent, so the API's 'phones.1.number' may be the form's third row).
 */
export function toBody(v: PatientFormValues, mode: 'create' | 'edit') {
  const fields: Record<string, string[]> = {};
  const birthDate = v.birthDate ? parseBrDate(v.birthDate) : null;
  if (v.birthDate && !birthDate) fields.birthDate = ['Use dd/mm/aaaa, ex. 03/10/1990.'];
  if (v.name.length < 2) fields.name = ['Informe o nome (ao menos 2 letras).'];
  if (v.cpf && !isValidCpf(v.cpf)) fields.cpf = ['CPF inválido: confira os dígitos verificadores.'];
  v.phones.forEach((p, i) => {
    const digits = p.number.replace(/\D/g, '');
    if (p.number && (digits.length < 10 || digits.length > 13)) fields[`phones.${i}.number`] = ['Telefone inválido: use DDD + número, ex. (11) 98765-4321.'];
  });

  const phoneRows = v.phones.map((p, i) => ({ p, i })).filter(({ p }) => p.number);
  const primaryPhone = phoneRows.some(({ i }) => i === v.phonePrimary) ? v.phonePrimary : (phoneRows[0]?.i ?? -1);
  const addressRows = v.addresses
    .map((a, i) => ({ a, i }))
    .filter(({ a }) => a.street || a.city || a.postalCode || a.number || a.district || a.complement);
  const primaryAddress = addressRows.some(({ i }) => i === v.addressPrimary) ? v.addressPrimary : (addressRows[0]?.i ?? -1);

  const body: PatientBody = {
    name: v.name,
    email: v.email || null,
    birthDate,
    gender: (v.gender || null) as Gender | null,
    status: (v.status || 'ativo') as PatientStatus,
    tags: v.tags.split(',').map((t) => t.trim()).filter(Boolean),
    source: v.source || null,
    notes: v.notes || null,
    phones: phoneRows.map(({ p, i }) => ({ number: p.number, kind: p.kind as PhoneKind, isPrimary: i === primaryPhone })),
    addresses: addressRows.map(({ a, i }) => ({
      street: a.street,
      number: a.number || null,
      complement: a.complement || null,
      district: a.district || null,
      city: a.city,
      state: a.state,
      postalCode: a.postalCode || null,
      kind: a.kind as AddressKind,
      isPrimary: i === primaryAddress,
    })),
  };
  if (mode === 'create') {
    if (v.cpf) body.cpf = v.cpf;
  } else if (v.removeCpf) {
    body.cpf = null;
  } else if (v.cpf) {
    body.cpf = v.cpf;
  }
  return { body, fields, phoneIndex: phoneRows.map(({ i }) => i), addressIndex: addressRows.map(({ i }) => i) };
}

/** The API's field keys ('phones.0.number') renamed to the form's row numbers. */
export function mapFieldErrors(fields: Record<string, string[]>, phoneIndex: number[], addressIndex: number[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(fields)) {
    const m = /^(phones|addresses)\.(\d+)(\..+)?$/.exec(key);
    let name = key;
    if (m) {
      const index = (m[1] === 'phones' ? phoneIndex : addressIndex)[Number(m[2])] ?? Number(m[2]);
      name = `${m[1]}.${index}${m[3] ?? ''}`;
    }
    (out[name] ??= []).push(...messages);
  }
  return out;
}
