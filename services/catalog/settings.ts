// The clinic's scheduling settings (slot grid, buffers, notice, horizon) read with their defaults
// (domain/clinic-settings.ts).
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { clinics } from '../../db/schema';
import { slotSettingsOf, type SlotSettings } from '../../domain/clinic-settings';

/** A clinic's time zone and slot settings (under withClinic, or as the owner for workers). */
export async function clinicScheduling(tx: DbOrTx, clinicId: string): Promise<{ timezone: string; slotSettings: SlotSettings } | null> {
  const [row] = await tx.select({ timezone: clinics.timezone, settings: clinics.settings }).from(clinics).where(eq(clinics.id, clinicId));
  return row ? { timezone: row.timezone, slotSettings: slotSettingsOf(row.settings) } : null;
}
