// Row-level security: a transaction opened with withClinic(A) neither sees nor writes clinic B's rows,
// even when the query has no WHERE on clinic_id; composite foreign keys refuse cross-clinic links.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../tests/support/db';
import { appointments, clinics, patientPhones, patients, procedures, professionals } from './schema';
import { withClinic } from './tenancy';

let t: TestDatabase;
let clinicA: string;
let clinicB: string;

beforeAll(async () => {
  t = await createTestDatabase();
  [{ id: clinicA }, { id: clinicB }] = await t.db.insert(clinics).values([{ name: 'Clínica A' }, { name: 'Clínica B' }]).returning({ id: clinics.id });
  await t.db.insert(patients).values([
    { clinicId: clinicA, name: 'Ana de A' },
    { clinicId: clinicA, name: 'Alice de A' },
    { clinicId: clinicB, name: 'Bia de B' },
  ]);
});
afterAll(() => t?.drop());

/** The database error behind Drizzle's wrapper. */
async function pgError(p: Promise<unknown>): Promise<{ code?: string; message: string; constraint_name?: string }> {
  try {
    await p;
  } catch (err) {
    return ((err as { cause?: unknown }).cause ?? err) as { code?: string; message: string };
  }
  throw new Error('expected the statement to fail');
}

describe('row-level security', () => {
  it('shows only the current clinic’s rows to a query without WHERE', async () => {
    const seen = await withClinic(t.db, clinicA, (tx) => tx.select().from(patients));
    expect(seen.map((p) => p.name).sort()).toEqual(['Alice de A', 'Ana de A']);
    const seenB = await withClinic(t.db, clinicB, (tx) => tx.select().from(patients));
    expect(seenB.map((p) => p.name)).toEqual(['Bia de B']);
    // Asking for B's rows explicitly from A's context finds nothing.
    expect(await withClinic(t.db, clinicA, (tx) => tx.select().from(patients).where(eq(patients.clinicId, clinicB)))).toEqual([]);
    // The clinics table itself: only the current clinic.
    expect((await withClinic(t.db, clinicA, (tx) => tx.select().from(clinics))).map((c) => c.id)).toEqual([clinicA]);
  });

  it('refuses to insert or move a row into another clinic', async () => {
    const e = await pgError(withClinic(t.db, clinicA, (tx) => tx.insert(patients).values({ clinicId: clinicB, name: 'Intrusa' })));
    expect(e.code).toBe('42501');
    expect(e.message).toMatch(/row-level security/);
    const e2 = await pgError(withClinic(t.db, clinicA, (tx) => tx.update(patients).set({ clinicId: clinicB }).where(eq(patients.name, 'Ana de A'))));
    expect(e2.code).toBe('42501');
  });

  it('cannot update or delete another clinic’s rows (they are invisible)', async () => {
    const updated = await withClinic(t.db, clinicA, (tx) => tx.update(patients).set({ notes: 'x' }).returning({ id: patients.id }));
    expect(updated).toHaveLength(2);
    const deleted = await withClinic(t.db, clinicA, (tx) => tx.delete(patients).where(eq(patients.name, 'Bia de B')).returning());
    expect(deleted).toEqual([]);
    expect(await t.db.select().from(patients).where(eq(patients.name, 'Bia de B'))).toHaveLength(1);
  });

  it('ends the clinic scope with the transaction', async () => {
    await withClinic(t.db, clinicA, async () => {});
    const [row] = await t.db.execute<{ role: string; clinic: string | null }>(sql`select current_user as role, nullif(current_setting('app.clinic_id', true), '') as clinic`);
    expect(row.role).not.toBe('tigre_app');
    expect(row.clinic).toBeNull();
    await expect(withClinic(t.db, 'not-a-uuid', async () => 1)).rejects.toThrow(/not a clinic id/);
  });

  it('sees nothing at all as tigre_app without a clinic', async () => {
    const rows = await t.db.transaction(async (tx) => {
      await tx.execute(sql`set local role tigre_app`);
      return tx.select().from(patients);
    });
    expect(rows).toEqual([]);
  });

  it('covers every table that has a clinic_id (except the global ones)', async () => {
    const rows = await t.sql<{ table: string; rls: boolean; policies: number }[]>`
      select c.relname as table, c.relrowsecurity as rls,
             (select count(*)::int from pg_policies p where p.schemaname = 'public' and p.tablename = c.relname and p.policyname = 'tenant_isolation') as policies
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r'
        and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'clinic_id' and not a.attisdropped)`;
    const unprotected = rows.filter((r) => !r.rls || r.policies !== 1).map((r) => r.table).sort();
    expect(unprotected).toEqual(['sessions', 'webhook_deliveries']);
    expect(rows.length).toBeGreaterThan(25);
  });
});

describe('composite foreign keys', () => {
  it('refuses a child row pointing at another clinic’s parent', async () => {
    const [bia] = await t.db.select().from(patients).where(eq(patients.clinicId, clinicB));
    const e = await pgError(t.db.insert(patientPhones).values({ clinicId: clinicA, patientId: bia.id, number: '+5511987654321' }));
    expect(e.code).toBe('23503');
    expect(e.constraint_name).toBe('patient_phones_patient_fk');
  });

  it('refuses an appointment mixing clinics', async () => {
    const [proc] = await t.db.insert(procedures).values({ clinicId: clinicA, name: 'Botox', durationMinutes: 30, defaultPriceCents: 120000, category: 'facial' }).returning();
    const [prof] = await t.db.insert(professionals).values({ clinicId: clinicA, name: 'Dra. A' }).returning();
    const [bia] = await t.db.select().from(patients).where(eq(patients.clinicId, clinicB));
    const e = await pgError(
      t.db.insert(appointments).values({
        clinicId: clinicA, patientId: bia.id, procedureId: proc.id, professionalId: prof.id,
        startsAt: new Date('2026-03-02T13:00:00Z'), durationMinutes: 30, priceCents: 120000,
      }),
    );
    expect(e.code).toBe('23503');
    expect(e.constraint_name).toBe('appointments_patient_fk');
  });
});
