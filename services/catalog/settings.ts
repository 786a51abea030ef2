// The clinic's scheduling settings (slot grid, buffers, notice, horizon) read with their defaults.
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { clinics, type ClinicSettings, type SlotSettings } from '../../db/schema';
import { DEFAULT_SLOT_SETTINGS } from '../../domain/slots';

export { DEFAULT_SLOT_SETTINGS };

/** Allowed range of each slot setting (inclusive). */
export const SLOT_SETTING_LIMITS: Readonly<Record<keyof SlotSettings, readonly [number, number]>> = Object.freeze({
  slotIntervalMinutes: [5, 120],
  bufferBeforeMinutes: [0, 120],
  bufferAfterMinutes: [0, 120],
  minNoticeMinutes: [0, 10080],
  horizonDays: [1, 365],
});

/** The stored slot settings over the defaults; a stored value out of range falls back to the default. */
export function slotSettingsOf(settings: ClinicSettings | null | undefined): SlotSettings {
  const stored = (settings?.slotSettings ?? {}) as Partial<Record<keyof SlotSettings, unknown>>;
  const out = { ...DEFAULT_SLOT_SETTINGS };
  for (const key of Object.keys(SLOT_SETTING_LIMITS) as Array<keyof SlotSettings>) {
    const v = stored[key];
    const [min, max] = SLOT_SETTING_LIMITS[key];
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) out[key] = v;
  }
  return out;
}

/** A clinic's time zone and slot settings (under withClinic, or as the owner for workers). */
export async function clinicScheduling(tx: DbOrTx, clinicId: string): Promise<{ timezone: string; slotSettings: SlotSettings } | null> {
  const [row] = await tx.select({ timezone: clinics.timezone, settings: clinics.settings }).from(clinics).where(eq(clinics.id, clinicId));
  return row ? { timezone: row.timezone, slotSettings: slotSettingsOf(row.settings) } : null;
}
