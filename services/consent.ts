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

export type MarketingChannel = 'whatsapp' | 'sms' | 'email';

/**
 * The first channel (WhatsApp, SMS, e-mail) on which the patient can be reached and gave marketing
 * consent, with the address; null when there is none. The outbox checks the same rule at send time.
 */
export async function marketingChannel(tx: Tx, clinicId: string, p: { id: string; whatsapp: string | null; phone: string | null; email: string | null }): Promise<{ channel: MarketingChannel; to: string } | null> {
  const granted = new Set((await tx.select({ channel: consents.channel }).from(consents)
    .where(and(eq(consents.clinicId, clinicId), eq(consents.patientId, p.id), eq(consents.granted, true)))).map((r) => r.channel));
  const options: Array<{ channel: MarketingChannel; to: string | null }> = [
    { channel: 'whatsapp', to: p.whatsapp ?? p.phone }, { channel: 'sms', to: p.phone ?? p.whatsapp }, { channel: 'email', to: p.email },
  ];
  for (const o of options) if (o.to && granted.has(o.channel)) return { channel: o.channel, to: o.to };
  return null;
}
