// Every write is recorded in the clinic's audit log (who, what, when, before/after), in the write's transaction.
import type { Context } from 'hono';
import type { Tx } from '../db/client';
import { auditLog } from '../db/schema';
import type { AppEnv } from './context';

export async function recordAudit(
  tx: Tx,
  c: Context<AppEnv>,
  entry: { action: string; entity: string; entityId?: string; before?: unknown; after?: unknown; clinicId?: string; userId?: string },
) {
  const auth = c.get('auth') as AppEnv['Variables']['auth'] | undefined;
  await tx.insert(auditLog).values({
    clinicId: entry.clinicId ?? auth!.clinicId,
    userId: entry.userId ?? auth?.userId ?? null,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    requestId: c.get('requestId'),
    ip: c.get('clientIp'),
  });
}
