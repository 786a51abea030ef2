// Runs work as one clinic: PostgreSQL row-level security then hides every other clinic's rows.
import { sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from './client';

/** The NOLOGIN role the tenant policies apply to (created by the tenancy migration). */
export const TENANT_ROLE = 'tigre_app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs `fn` in a transaction scoped to `clinicId`: the transaction switches to the `tigre_app`
 * role and sets `app.clinic_id`, so every read and write is checked by the `tenant_isolation`
 * policies even if a query forgets its `where clinic_id = …`. Both settings end with the transaction.
 */
export async function withClinic<T>(db: DbOrTx, clinicId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (!UUID.test(clinicId)) throw new Error(`withClinic: not a clinic id: ${JSON.stringify(clinicId)}`);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.clinic_id', ${clinicId}, true), set_config('role', ${TENANT_ROLE}, true)`);
    return fn(tx);
  });
}
