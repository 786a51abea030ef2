// Reading and writing one patient with its phones and addresses (inside a tenant transaction, under RLS).
import { and, asc, desc, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { revealCpf } from '../../db/crypto';
import { loyaltyAccounts, patientAddresses, patientPhones, patients, procedures } from '../../db/schema';
import { classify, classifyWithTier, type ClassificationBasis } from '../../domain/classification';
import { formatCep } from '../../domain/address';
import { maskCpf } from '../../domain/cpf';
import { formatPhone, isMobilePhone } from '../../domain/phone';
import { ApiError } from '../errors';
import type { NewPatientInput, PatientListItemOut, PatientOut, PhoneInput, AddressInput } from './schemas';
import type { z } from '@hono/zod-openapi';

type PatientRow = typeof patients.$inferSelect;
type PhoneIn = z.infer<typeof PhoneInput>;
type AddressIn = z.infer<typeof AddressInput>;

/** A timestamptz expression as an ISO string in UTC with milliseconds (raw SQL gives strings, not Dates). */
export const isoSql = (expr: SQL) => sql<string | null>`to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Start of the latest completed appointment of the row's patient (index patient_id, starts_at). */
const lastVisitSql = isoSql(sql`(select max(a.starts_at) from appointments a where a.patient_id = ${patients.id} and a.status = 'realizado')`);

const listColumns = {
  row: patients,
  favoriteProcedureName: procedures.name,
  lastVisitAt: lastVisitSql,
};

function maskedCpf(key: Buffer, encrypted: string | null): string | null {
  if (!encrypted) return null;
  try {
    return maskCpf(revealCpf(key, encrypted));
  } catch {
    // A row encrypted with another key (e.g. a restored backup) must not break the list.
    return '***.***.***-**';
  }
}

export function toListItem(key: Buffer, r: { row: PatientRow; favoriteProcedureName: string | null; lastVisitAt: string | null }): PatientListItemOut {
  const p = r.row;
  return {
    id: p.id,
    name: p.name,
    email: p.email,
    phone: p.phone,
    phoneFormatted: p.phone ? formatPhone(p.phone) : null,
    whatsapp: p.whatsapp,
    cpfMasked: maskedCpf(key, p.cpfEncrypted),
    classification: p.classification,
    status: p.status,
    tags: p.tags,
    lastVisitAt: r.lastVisitAt,
    lastContactAt: p.lastContactAt?.toISOString() ?? null,
    procedureCount: p.procedureCount,
    favoriteProcedure: p.favoriteProcedureId && r.favoriteProcedureName ? { id: p.favoriteProcedureId, name: r.favoriteProcedureName } : null,
    birthDate: p.birthDate,
    createdAt: p.createdAt.toISOString(),
  };
}

/** The list items for these ids, in the order given (ids RLS hides, or soft-deleted since, are dropped). */
export async function loadListItems(tx: Tx, key: Buffer, ids: string[]): Promise<PatientListItemOut[]> {
  if (!ids.length) return [];
  const rows = await tx
    .select(listColumns)
    .from(patients)
    .leftJoin(procedures, eq(procedures.id, patients.favoriteProcedureId))
    .where(and(inArray(patients.id, ids), isNull(patients.deletedAt)));
  const byId = new Map(rows.map((r) => [r.row.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toListItem(key, r)] : [];
  });
}

/** Spend and recent visits, the inputs of the classification rule. */
export async function classificationBasis(tx: Tx, patientId: string, now: Date): Promise<ClassificationBasis> {
  const [row] = await tx.execute<{ spent: string; visits: string }>(sql`
    select
      (select coalesce(sum(amount_cents), 0) from payments where patient_id = ${patientId} and status = 'aprovado') as spent,
      (select count(*) from appointments where patient_id = ${patientId} and status = 'realizado'
         and starts_at <= ${now.toISOString()}::timestamptz
         and starts_at > ${now.toISOString()}::timestamptz - interval '12 months') as visits`);
  return { totalSpentCents: Number(row.spent), visitsLast12Months: Number(row.visits) };
}

/**
 * Recomputes and stores the classification of these patients (the rule of domain/classification.ts,
 * lifted by the loyalty tier): the loyalty ledger calls it whenever an account settles (a credit, a
 * refund, a redemption, an expiry, the nightly tier refresh). Returns the patients whose classification changed.
 */
export async function refreshClassifications(tx: Tx, patientIds: string[], now: Date) {
  const changed: { id: string; from: PatientRow['classification']; to: PatientRow['classification'] }[] = [];
  for (const id of patientIds) {
    const [p] = await tx.select({ classification: patients.classification }).from(patients).where(eq(patients.id, id));
    if (!p) continue;
    const [account] = await tx.select({ tier: loyaltyAccounts.tier }).from(loyaltyAccounts).where(eq(loyaltyAccounts.patientId, id));
    const to = classifyWithTier(await classificationBasis(tx, id, now), account?.tier ?? null);
    if (to !== p.classification) {
      await tx.update(patients).set({ classification: to }).where(eq(patients.id, id));
      changed.push({ id, from: p.classification, to });
    }
  }
  return changed;
}

/** The full patient, or null when unknown, deleted, or another clinic's (RLS). */
export async function loadPatient(tx: Tx, key: Buffer, id: string, now: Date, opts: { revealCpf?: boolean } = {}): Promise<PatientOut | null> {
  const [r] = await tx
    .select(listColumns)
    .from(patients)
    .leftJoin(procedures, eq(procedures.id, patients.favoriteProcedureId))
    .where(and(eq(patients.id, id), isNull(patients.deletedAt)));
  if (!r) return null;
  const [phones, addresses, basis] = await Promise.all([
    tx.select().from(patientPhones).where(eq(patientPhones.patientId, id)).orderBy(desc(patientPhones.isPrimary), asc(patientPhones.createdAt), asc(patientPhones.id)),
    tx.select().from(patientAddresses).where(eq(patientAddresses.patientId, id)).orderBy(desc(patientAddresses.isPrimary), asc(patientAddresses.createdAt), asc(patientAddresses.id)),
    classificationBasis(tx, id, now),
  ]);
  const p = r.row;
  return {
    ...toListItem(key, r),
    ...(opts.revealCpf ? { cpf: p.cpfEncrypted ? revealCpf(key, p.cpfEncrypted) : null } : {}),
    gender: p.gender,
    source: p.source,
    notes: p.notes,
    phones: phones.map((ph) => ({ id: ph.id, number: ph.number, formatted: formatPhone(ph.number), kind: ph.kind, isPrimary: ph.isPrimary })),
    addresses: addresses.map((a) => ({
      id: a.id, street: a.street, number: a.number, complement: a.complement, district: a.district, city: a.city, state: a.state,
      postalCode: a.postalCode, postalCodeFormatted: a.postalCode ? formatCep(a.postalCode) : null, kind: a.kind, isPrimary: a.isPrimary,
    })),
    classificationBasis: { ...basis, computed: classify(basis) },
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** What the audit log keeps of a patient: everything but the CPF itself (masked there). */
export function auditSnapshot(p: PatientOut | null) {
  if (!p) return null;
  const { cpf: _cpf, classificationBasis: _basis, ...rest } = p;
  return rest;
}

// ---------------------------------------------------------------------------------------------
// Phones and addresses: exactly one primary when there are any.

export interface PlannedPhone { number: string; kind: NonNullable<PhoneIn['kind']>; isPrimary: boolean }
export interface PlannedAddress extends Omit<AddressIn, 'isPrimary' | 'kind'> { kind: NonNullable<AddressIn['kind']>; isPrimary: boolean }

/** Default kind from the number; first phone primary when none is marked; refuses repeats and two primaries. */
export function planPhones(list: PhoneIn[], field = 'phones'): PlannedPhone[] {
  const fields: Record<string, string[]> = {};
  const seen = new Map<string, number>();
  list.forEach((ph, i) => {
    const prev = seen.get(ph.number);
    if (prev !== undefined) (fields[`${field}.${i}.number`] ??= []).push(`Telefone repetido (igual ao ${prev + 1}º).`);
    else seen.set(ph.number, i);
  });
  const primaries = list.filter((ph) => ph.isPrimary).length;
  if (primaries > 1) (fields[field] ??= []).push('Marque apenas um telefone como principal.');
  if (Object.keys(fields).length) throw new ApiError(400, 'validation_failed', 'Dados inválidos: verifique os campos destacados.', fields);
  return list.map((ph, i) => ({
    number: ph.number,
    kind: ph.kind ?? (isMobilePhone(ph.number) ? 'celular' : 'residencial'),
    isPrimary: primaries ? !!ph.isPrimary : i === 0,
  }));
}

export function planAddresses(list: AddressIn[], field = 'addresses'): PlannedAddress[] {
  const primaries = list.filter((a) => a.isPrimary).length;
  if (primaries > 1) {
    throw new ApiError(400, 'validation_failed', 'Dados inválidos: verifique os campos destacados.', { [field]: ['Marque apenas um endereço como principal.'] });
  }
  return list.map(({ isPrimary, kind, ...a }, i) => ({ ...a, kind: kind ?? 'residencial', isPrimary: primaries ? !!isPrimary : i === 0 }));
}

/** The WhatsApp number to assume: the primary phone if it is a mobile, else the first mobile. */
export function defaultWhatsapp(phones: PlannedPhone[]): string | null {
  const mobiles = phones.filter((p) => isMobilePhone(p.number));
  return (mobiles.find((p) => p.isPrimary) ?? mobiles[0])?.number ?? null;
}

export async function replacePhones(tx: Tx, clinicId: string, patientId: string, phones: PlannedPhone[]) {
  await tx.delete(patientPhones).where(eq(patientPhones.patientId, patientId));
  if (phones.length) await tx.insert(patientPhones).values(phones.map((p) => ({ clinicId, patientId, ...p })));
}

export async function replaceAddresses(tx: Tx, clinicId: string, patientId: string, addresses: PlannedAddress[]) {
  await tx.delete(patientAddresses).where(eq(patientAddresses.patientId, patientId));
  if (addresses.length) {
    await tx.insert(patientAddresses).values(addresses.map((a) => ({
      clinicId, patientId, street: a.street, number: a.number ?? null, complement: a.complement ?? null, district: a.district ?? null,
      city: a.city, state: a.state, postalCode: a.postalCode ?? null, kind: a.kind, isPrimary: a.isPrimary,
    })));
  }
}

// ---------------------------------------------------------------------------------------------
// Uniqueness within the clinic (CPF also has a unique index; phones are checked here).

export async function assertNoDuplicates(tx: Tx, input: { cpfHash?: string | null; phones?: string[]; excludeId?: string }) {
  const fields: Record<string, string[]> = {};
  const notSelf = input.excludeId ? ne(patients.id, input.excludeId) : undefined;
  if (input.cpfHash) {
    const [dup] = await tx
      .select({ id: patients.id, name: patients.name })
      .from(patients)
      .where(and(eq(patients.cpfHash, input.cpfHash), isNull(patients.deletedAt), notSelf))
      .limit(1);
    if (dup) fields.cpf = [`CPF já cadastrado para outro paciente (${dup.name}).`];
  }
  if (input.phones?.length) {
    const dups = [
      ...await tx
        .select({ number: patientPhones.number, name: patients.name })
        .from(patientPhones)
        .innerJoin(patients, eq(patients.id, patientPhones.patientId))
        .where(and(inArray(patientPhones.number, input.phones), isNull(patients.deletedAt), notSelf)),
      // Patients created from a WhatsApp conversation may have only the whatsapp column.
      ...await tx
        .select({ number: sql<string>`${patients.whatsapp}`, name: patients.name })
        .from(patients)
        .where(and(inArray(patients.whatsapp, input.phones), isNull(patients.deletedAt), notSelf)),
    ];
    input.phones.forEach((n, i) => {
      const d = dups.find((x) => x.number === n);
      if (d) (fields[`phones.${i}.number`] ??= []).push(`Telefone ${formatPhone(n)} já cadastrado para outro paciente (${d.name}).`);
    });
  }
  if (Object.keys(fields).length) {
    const which = Object.keys(fields).some((f) => f === 'cpf') ? (Object.keys(fields).length > 1 ? 'CPF e telefone' : 'CPF') : 'telefone';
    throw new ApiError(409, 'conflict', `Já existe um paciente com este ${which}.`, fields);
  }
}

export async function assertProcedureExists(tx: Tx, id: string | null | undefined) {
  if (!id) return;
  const [p] = await tx.select({ id: procedures.id }).from(procedures).where(eq(procedures.id, id));
  if (!p) throw new ApiError(400, 'validation_failed', 'Dados inválidos: verifique os campos destacados.', { favoriteProcedureId: ['Procedimento não encontrado nesta clínica.'] });
}

/** Column values for patients from a create body (CPF already protected by the caller). */
export function patientValues(body: NewPatientInput, clinicId: string, cpf: { cpfEncrypted: string; cpfHash: string } | null, phones: PlannedPhone[]) {
  return {
    clinicId,
    name: body.name,
    email: body.email ?? null,
    phone: phones.find((p) => p.isPrimary)?.number ?? null,
    whatsapp: body.whatsapp !== undefined ? body.whatsapp : defaultWhatsapp(phones),
    cpfEncrypted: cpf?.cpfEncrypted ?? null,
    cpfHash: cpf?.cpfHash ?? null,
    birthDate: body.birthDate ?? null,
    gender: body.gender ?? null,
    status: body.status ?? 'ativo',
    tags: body.tags ?? [],
    source: body.source ?? null,
    notes: body.notes ?? null,
    favoriteProcedureId: body.favoriteProcedureId ?? null,
  };
}
