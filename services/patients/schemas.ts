// Request and response shapes of /api/patients (zod, so the OpenAPI document and hono/client share them).
import { z } from '@hono/zod-openapi';
import { addressKind, patientClassification, patientGender, patientStatus, phoneKind } from '../../db/schema';
import { isValidCpf, normalizeCpf } from '../../domain/cpf';
import { normalizePhone } from '../../domain/phone';
import { normalizeCep, normalizeUf } from '../../domain/address';

export const PHONE_MESSAGE = 'Telefone inválido: use DDD + número, ex. (11) 98765-4321.';
export const CPF_MESSAGE = 'CPF inválido: confira os dígitos verificadores.';
export const EMAIL_MESSAGE = 'Informe um e-mail válido, ex. nome@exemplo.com.';
export const CEP_MESSAGE = 'CEP inválido: use 8 dígitos, ex. 01310-100.';
export const UF_MESSAGE = 'UF inválida: use a sigla do estado, ex. SP.';

export const MAX_PHONES = 10;
export const MAX_ADDRESSES = 5;
export const MAX_TAGS = 20;

const emptyToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);

const e164 = z.string().trim().max(40, PHONE_MESSAGE).transform((v, ctx) => {
  const n = normalizePhone(v);
  if (!n) {
    ctx.addIssue({ code: 'custom', message: PHONE_MESSAGE });
    return z.NEVER;
  }
  return n;
});

const cpf = z.string().max(20, CPF_MESSAGE).transform((v, ctx) => {
  if (!isValidCpf(v)) {
    ctx.addIssue({ code: 'custom', message: CPF_MESSAGE });
    return z.NEVER;
  }
  return normalizeCpf(v)!;
});

const email = z.string().trim().toLowerCase().max(254, EMAIL_MESSAGE).pipe(z.email({ message: EMAIL_MESSAGE }));

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use o formato AAAA-MM-DD.').refine((d) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
}, 'Data inválida.');

const birthDate = isoDate.refine((d) => d >= '1900-01-01', 'Data de nascimento inválida.');

const optionalText = (max: number, label: string) =>
  z.preprocess(emptyToNull, z.string().trim().max(max, `${label} deve ter no máximo ${max} caracteres.`).nullable().optional());

export const PhoneInput = z
  .strictObject({
    number: e164,
    kind: z.enum(phoneKind.enumValues, { message: 'Tipo de telefone deve ser celular, comercial ou residencial.' }).optional(),
    isPrimary: z.boolean().optional(),
  })
  .openapi('PatientPhoneInput');

export const AddressInput = z
  .strictObject({
    street: z.string().trim().min(1, 'Informe o logradouro.').max(200, 'O logradouro deve ter no máximo 200 caracteres.'),
    number: optionalText(20, 'O número'),
    complement: optionalText(100, 'O complemento'),
    district: optionalText(100, 'O bairro'),
    city: z.string().trim().min(1, 'Informe a cidade.').max(100, 'A cidade deve ter no máximo 100 caracteres.'),
    state: z.string().max(40, UF_MESSAGE).transform((v, ctx) => {
      const uf = normalizeUf(v);
      if (!uf) {
        ctx.addIssue({ code: 'custom', message: UF_MESSAGE });
        return z.NEVER;
      }
      return uf;
    }),
    postalCode: z.preprocess(emptyToNull, z.string().max(20, CEP_MESSAGE).nullable().optional()).transform((v, ctx) => {
      if (v == null) return v;
      const cep = normalizeCep(v);
      if (!cep) {
        ctx.addIssue({ code: 'custom', message: CEP_MESSAGE });
        return z.NEVER;
      }
      return cep;
    }),
    kind: z.enum(addressKind.enumValues, { message: 'Tipo de endereço deve ser residencial ou comercial.' }).optional(),
    isPrimary: z.boolean().optional(),
  })
  .openapi('PatientAddressInput');

const tags = z
  .array(z.string().trim().min(1, 'Etiqueta vazia.').max(40, 'Cada etiqueta deve ter no máximo 40 caracteres.'))
  .max(MAX_TAGS, `No máximo ${MAX_TAGS} etiquetas.`)
  .transform(dedupeTags);

/** Trimmed, case-insensitively unique, in the order given. */
export function dedupeTags(list: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of list) {
    const t = raw.trim().replace(/\s+/g, ' ');
    const key = t.toLocaleLowerCase('pt-BR');
    if (!t || seen.has(key)) continue;
    seen.add(key);
    out.push(t);
  }
  return out;
}

const patientFields = {
  name: z.string().trim().min(2, 'O nome deve ter ao menos 2 caracteres.').max(200, 'O nome deve ter no máximo 200 caracteres.'),
  email: z.preprocess(emptyToNull, email.nullable().optional()),
  cpf: z.preprocess(emptyToNull, cpf.nullable().optional()),
  birthDate: z.preprocess(emptyToNull, birthDate.nullable().optional()),
  gender: z.preprocess(emptyToNull, z.enum(patientGender.enumValues, { message: 'Gênero deve ser M, F ou Outro.' }).nullable().optional()),
  status: z.enum(patientStatus.enumValues, { message: 'Status deve ser ativo, inativo ou bloqueado.' }).optional(),
  tags: tags.optional(),
  source: optionalText(60, 'A origem'),
  notes: optionalText(4000, 'As observações'),
  favoriteProcedureId: z.preprocess(emptyToNull, z.uuid({ message: 'Procedimento inválido.' }).nullable().optional()),
  /** WhatsApp number; when omitted on creation, the primary phone if it is a mobile. */
  whatsapp: z.preprocess(emptyToNull, e164.nullable().optional()),
  phones: z.array(PhoneInput).max(MAX_PHONES, `No máximo ${MAX_PHONES} telefones.`).optional(),
  addresses: z.array(AddressInput).max(MAX_ADDRESSES, `No máximo ${MAX_ADDRESSES} endereços.`).optional(),
};

export const NewPatient = z.strictObject(patientFields).openapi('NewPatient');
export type NewPatientInput = z.infer<typeof NewPatient>;

export const PatientUpdate = z
  .strictObject({ ...patientFields, name: patientFields.name.optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Informe ao menos um campo para alterar.' })
  .openapi('PatientUpdate');
export type PatientUpdateInput = z.infer<typeof PatientUpdate>;

// ---------------------------------------------------------------------------------------------
// Responses

export const Phone = z
  .object({ id: z.string(), number: z.string(), formatted: z.string(), kind: z.enum(phoneKind.enumValues), isPrimary: z.boolean() })
  .openapi('PatientPhone');

export const Address = z
  .object({
    id: z.string(), street: z.string(), number: z.string().nullable(), complement: z.string().nullable(), district: z.string().nullable(),
    city: z.string(), state: z.string(), postalCode: z.string().nullable(), postalCodeFormatted: z.string().nullable(),
    kind: z.enum(addressKind.enumValues), isPrimary: z.boolean(),
  })
  .openapi('PatientAddress');

const listFields = {
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  /** Primary phone, E.164. */
  phone: z.string().nullable(),
  phoneFormatted: z.string().nullable(),
  whatsapp: z.string().nullable(),
  /** '***.456.789-**', or null without CPF. */
  cpfMasked: z.string().nullable(),
  classification: z.enum(patientClassification.enumValues),
  status: z.enum(patientStatus.enumValues),
  tags: z.array(z.string()),
  /** Start of the latest completed (realizado) appointment. */
  lastVisitAt: z.string().nullable(),
  lastContactAt: z.string().nullable(),
  procedureCount: z.number().int(),
  favoriteProcedure: z.object({ id: z.string(), name: z.string() }).nullable(),
  birthDate: z.string().nullable(),
  createdAt: z.string(),
};

export const PatientListItem = z.object(listFields).openapi('PatientListItem');
export type PatientListItemOut = z.infer<typeof PatientListItem>;

export const PatientPage = z
  .object({ items: z.array(PatientListItem), nextCursor: z.string().nullable() })
  .openapi('PatientPage');

export const Patient = z
  .object({
    ...listFields,
    /** The 11 digits, only with ?revealCpf=1 (staff/admin; audited). */
    cpf: z.string().nullable().optional(),
    gender: z.enum(patientGender.enumValues).nullable(),
    source: z.string().nullable(),
    notes: z.string().nullable(),
    phones: z.array(Phone),
    addresses: z.array(Address),
    /** What the classification rule sees now (the stored classification is refreshed by payments/appointments). */
    classificationBasis: z.object({
      totalSpentCents: z.number().int(),
      visitsLast12Months: z.number().int(),
      computed: z.enum(patientClassification.enumValues),
    }),
    updatedAt: z.string(),
  })
  .openapi('Patient');
export type PatientOut = z.infer<typeof Patient>;
