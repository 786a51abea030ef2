// Consent per patient and channel (LGPD): an opt-out revokes it, is audited, and drops the marketing
// still queued on the channel; the sender (services/messaging/sender.ts) checks it before every send.
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { auditLog, consents, messageOutbox } from '../db/schema';

/**
 * LGPD opt-out of one channel: the consent is revoked (and audited), marketing still queued on the
 * channel is dropped, and the sender skips every later message on it (services/messaging/sender.ts).
 */
export async function applyOptOut(tx: Tx, opts: { clinicId: string; patientId: string; channel: 'whatsapp' | 'sms' | 'email'; at: Date; source: string }) {
  const [before] = await tx.select().from(consents)
    .where(and(eq(consents.clinicId, opts.clinicId), eq(consents.patientId, opts.patientId), eq(consents.channel, opts.channel)));
  const [after] = await tx.insert(consents).values({
    clinicId: opts.clinicId, patientId: opts.patientId, channel: opts.channel, granted: false, source: opts.source, revokedAt: opts.at,
  }).onConflictDoUpdate({
    target: [consents.clinicId, consents.patientId, consents.channel],
    set: { granted: false, source: opts.source, revokedAt: opts.at },
  }).returning();
  await tx.insert(auditLog).values({
    clinicId: opts.clinicId, userId: null, action: 'opt_out', entity: 'consent', entityId: after.id,
    before: before ?? null, after,
  });
  const dropped = await tx.update(messageOutbox).set({ status: 'skipped', error: 'opt_out' })
    .where(and(
      eq(messageOutbox.clinicId, opts.clinicId), eq(messageOutbox.patientId, opts.patientId), eq(messageOutbox.channel, opts.channel),
      eq(messageOutbox.purpose, 'marketing'), eq(messageOutbox.status, 'queued'),
    )).returning({ id: messageOutbox.id });
  return { consentId: after.id, droppedMarketing: dropped.length };
}
