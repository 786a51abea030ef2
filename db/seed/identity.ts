// The demo clinic itself, its three sign-in users and the audit trail they left.
import { inArray } from 'drizzle-orm';
import type { Tx } from '../client';
import * as s from '../schema';
import { addDays, hexId, TZ, type Row, type SeedRun } from './support';

export const DEMO_CLINIC_NAME = 'Clínica Bella Pele';
export const DEMO_PASSWORD = 'tigre-demo-2026';
export const DEMO_USERS = [
  { email: 'admin@bellapele.com.br', role: 'admin', name: 'Mariana Souza' },
  { email: 'recepcao@bellapele.com.br', role: 'staff', name: 'Juliana Ribeiro' },
  { email: 'consulta@bellapele.com.br', role: 'view', name: 'Carlos Mendes' },
] as const satisfies readonly { email: string; role: s.MemberRole; name: string }[];

export type ClinicRow = Row<typeof s.clinics> & { id: string };
/** An audit entry before its user exists: the user is named by e-mail and resolved at insert. */
export type DemoAuditEntry = Omit<Row<typeof s.auditLog>, 'userId'> & { userEmail: string };

/** A valid CNPJ from its first 12 digits. */
function cnpj(base12: string): string {
  const digit = (digits: string) => {
    const weights = digits.length === 12 ? [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] : [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    const sum = weights.reduce((acc, w, i) => acc + w * Number(digits[i]), 0);
    const r = sum % 11;
    return r < 2 ? 0 : 11 - r;
  };
  const first = base12 + digit(base12);
  const d = first + digit(first);
  return `${d.slice(0, 2)}.${d.slice(2, 5)}.${d.slice(5, 8)}/${d.slice(8, 12)}-${d.slice(12)}`;
}

export function demoClinic(run: SeedRun): ClinicRow {
  return {
    id: run.clinicId,
    name: DEMO_CLINIC_NAME,
    cnpj: cnpj('345189270001'),
    address: 'Rua Oscar Freire, 1234 – Jardim Paulista, São Paulo – SP, 01426-001',
    phone: '+551130421234',
    logoUrl: null,
    timezone: TZ,
    settings: {
      whatsappNumber: '+5511940028922', email: 'contato@bellapele.com.br',
      reminders: { h24: true, h2: true, smsBackup: true, emailBackup: true },
      npsDelayHours: 24, upsellDiscountPercent: 10, reactivationAfterDays: 90, loyaltyPointsPerReal: 1,
      qualificationThreshold: 70, brandColor: '#e11d48',
    },
    createdAt: run.clinicCreated,
  };
}

/** A few things the team did in the panel: settings and price changes, a time block, an export. */
export function demoAuditLog(
  run: SeedRun,
  facts: { priceChange: string; procedure: { id: string; oldPriceCents: number; priceCents: number }; timeBlock: { id: string; reason?: string | null; createdAt: Date } },
): DemoAuditEntry[] {
  const { calendar, today, clinicId } = run;
  const { procedure, timeBlock } = facts;
  return [
    { userEmail: DEMO_USERS[0].email, action: 'update', entity: 'clinic', entityId: clinicId, before: { settings: { npsDelayHours: 48 } }, after: { settings: { npsDelayHours: 24 } }, createdAt: calendar.atLocal(addDays(today, -40), 10 * 60 + 12) },
    { userEmail: DEMO_USERS[0].email, action: 'update', entity: 'procedure', entityId: procedure.id, before: { defaultPriceCents: procedure.oldPriceCents }, after: { defaultPriceCents: procedure.priceCents }, createdAt: calendar.atLocal(addDays(facts.priceChange, -7), 11 * 60) },
    { userEmail: DEMO_USERS[1].email, action: 'create', entity: 'professional_time_block', entityId: timeBlock.id, before: null, after: { reason: timeBlock.reason }, createdAt: timeBlock.createdAt },
    { userEmail: DEMO_USERS[1].email, action: 'export', entity: 'patients', entityId: null, before: null, after: { format: 'xlsx' }, createdAt: calendar.atLocal(addDays(today, -5), 17 * 60 + 40) },
  ].map((e) => ({ ...e, id: run.newId(), clinicId, requestId: `seed-${hexId(run.random, 12)}`, ip: '177.92.10.34' }));
}

/** Inserts the clinic, its users (kept if they already exist) and their memberships; user ids by e-mail. */
export async function insertClinicAndUsers(tx: Tx, clinic: ClinicRow, passwordHashes: string[]): Promise<Map<string, string>> {
  await tx.insert(s.clinics).values(clinic);
  await tx
    .insert(s.users)
    .values(DEMO_USERS.map((u, i) => ({ email: u.email, name: u.name, passwordHash: passwordHashes[i], createdAt: clinic.createdAt })))
    .onConflictDoNothing({ target: s.users.email });
  const users = await tx.select({ id: s.users.id, email: s.users.email }).from(s.users).where(inArray(s.users.email, DEMO_USERS.map((u) => u.email)));
  const userId = new Map(users.map((u) => [u.email, u.id]));
  await tx
    .insert(s.clinicMemberships)
    .values(DEMO_USERS.map((u) => ({ clinicId: clinic.id, userId: userId.get(u.email)!, role: u.role, createdAt: clinic.createdAt })))
    .onConflictDoNothing();
  return userId;
}
