// Patients and their contacts: phones, addresses; CPF encrypted at rest, found by keyed hash.
import { sql } from 'drizzle-orm';
import {
  boolean, char, check, date, foreignKey, index, integer, pgEnum, pgTable, text, timestamp, unique, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';
import { procedures } from './catalog';
import { clinicId, createdAt, isE164, updatedAt } from './columns';

export const patientGender = pgEnum('patient_gender', ['M', 'F', 'Outro']);
export const patientStatus = pgEnum('patient_status', ['ativo', 'inativo', 'bloqueado']);
export const patientClassification = pgEnum('patient_classification', ['ouro', 'prata', 'bronze', 'novo']);
export const phoneKind = pgEnum('phone_kind', ['celular', 'comercial', 'residencial']);
export const addressKind = pgEnum('address_kind', ['residencial', 'comercial']);

export const BRAZILIAN_STATES = [
  'AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG', 'PA',
  'PB', 'PR', 'PE', 'PI', 'RJ', 'RN', 'RS', 'RO', 'RR', 'SC', 'SP', 'SE', 'TO',
] as const;

export const patients = pgTable(
  'patients',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    name: text().notNull(),
    email: text(),
    /** Main phone, E.164. */
    phone: text(),
    /** WhatsApp number, E.164: how Anna and the reminders reach the patient. */
    whatsapp: text(),
    /** AES-256-GCM of the 11 CPF digits (db/crypto.ts). */
    cpfEncrypted: text(),
    /** Keyed HMAC of the 11 CPF digits, to find a patient by CPF without decrypting. */
    cpfHash: text(),
    birthDate: date({ mode: 'string' }),
    gender: patientGender(),
    status: patientStatus().notNull().default('ativo'),
    classification: patientClassification().notNull().default('novo'),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    /** How the patient found the clinic (instagram, indicação, whatsapp, google…). */
    source: text(),
    notes: text(),
    /** Completed procedures so far (denormalised counter kept by the appointment journey). */
    procedureCount: integer().notNull().default(0),
    favoriteProcedureId: uuid(),
    lastContactAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** Soft delete (LGPD erasure anonymises and sets this). */
    deletedAt: timestamp({ withTimezone: true }),
    /** lower(unaccent(name)), for accent-insensitive search (trigram index). */
    searchName: text().generatedAlwaysAs(sql`tigre_unaccent(lower(name))`),
  },
  (t) => [
    unique('patients_clinic_id_id_unique').on(t.clinicId, t.id),
    foreignKey({ name: 'patients_favorite_procedure_fk', columns: [t.clinicId, t.favoriteProcedureId], foreignColumns: [procedures.clinicId, procedures.id] }),
    uniqueIndex('patients_clinic_cpf_hash_unique').on(t.clinicId, t.cpfHash).where(sql`${t.deletedAt} is null and ${t.cpfHash} is not null`),
    index('patients_clinic_whatsapp_idx').on(t.clinicId, t.whatsapp),
    index('patients_clinic_created_idx').on(t.clinicId, t.createdAt),
    index('patients_search_name_trgm_idx').using('gin', t.searchName.op('gin_trgm_ops')),
    // The name order (byte order: collate "C"), for the name sort and name-prefix search
    // (api/patients/search.ts): `search_name like 'joao%'` becomes a range of this index, already in
    // order. Infix name matches go through the trigram index or a bounded walk of this one, chosen by
    // the code (the planner, trusting its LIKE estimate, would walk it whole for rare names).
    index('patients_clinic_search_name_idx').on(t.clinicId, sql`${t.searchName} collate "C"`, t.id).where(sql`${t.deletedAt} is null`),
    // E-mail lookups and tag filters.
    index('patients_clinic_email_idx').on(t.clinicId, t.email),
    index('patients_tags_idx').using('gin', t.tags),
    check('patients_phone_e164', sql`${t.phone} is null or ${isE164(t.phone)}`),
    check('patients_whatsapp_e164', sql`${t.whatsapp} is null or ${isE164(t.whatsapp)}`),
    check('patients_email_lowercase', sql`${t.email} is null or ${t.email} = lower(${t.email})`),
    check('patients_cpf_pair', sql`(${t.cpfEncrypted} is null) = (${t.cpfHash} is null)`),
    check('patients_procedure_count_nonnegative', sql`${t.procedureCount} >= 0`),
  ],
);

export const patientPhones = pgTable(
  'patient_phones',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    patientId: uuid().notNull(),
    number: text().notNull(),
    kind: phoneKind().notNull().default('celular'),
    isPrimary: boolean().notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'patient_phones_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }).onDelete('cascade'),
    uniqueIndex('patient_phones_one_primary').on(t.patientId).where(sql`${t.isPrimary}`),
    index('patient_phones_patient_idx').on(t.patientId),
    index('patient_phones_clinic_number_idx').on(t.clinicId, t.number),
    check('patient_phones_number_e164', isE164(t.number)),
  ],
);

export const patientAddresses = pgTable(
  'patient_addresses',
  {
    id: uuid().primaryKey().defaultRandom(),
    clinicId: clinicId(),
    patientId: uuid().notNull(),
    street: text().notNull(),
    number: text(),
    complement: text(),
    district: text(),
    city: text().notNull(),
    state: char({ length: 2 }).notNull(),
    /** CEP, 8 digits without the dash. */
    postalCode: text(),
    kind: addressKind().notNull().default('residencial'),
    isPrimary: boolean().notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ name: 'patient_addresses_patient_fk', columns: [t.clinicId, t.patientId], foreignColumns: [patients.clinicId, patients.id] }).onDelete('cascade'),
    uniqueIndex('patient_addresses_one_primary').on(t.patientId).where(sql`${t.isPrimary}`),
    index('patient_addresses_patient_idx').on(t.patientId),
    check('patient_addresses_state_uf', sql.raw(`state in (${BRAZILIAN_STATES.map((s) => `'${s}'`).join(', ')})`)),
    check('patient_addresses_postal_code_digits', sql`${t.postalCode} is null or ${t.postalCode} ~ '^[0-9]{8}$'`),
  ],
);
