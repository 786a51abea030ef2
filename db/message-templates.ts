// A clinic's reminder text for a (step, channel): its own (message_templates) or the default pt-BR text.
// Shared by the reminder activities and the templates API.
import { and, eq } from 'drizzle-orm';
import type { Tx } from './client';
import { messageTemplates } from './schema';
import { DEFAULT_REMINDER_TEMPLATES, type ReminderChannel, type ReminderTemplateKey } from '../domain/reminder-templates';

export interface ResolvedTemplate {
  key: ReminderTemplateKey;
  channel: ReminderChannel;
  subject: string | null;
  body: string;
  /** True when the clinic has no text of its own (the default is used). */
  isDefault: boolean;
  updatedAt: string | null;
}

/**
 * The text the clinic sends for this step and channel: its own, or the default. Null when the step has
 * no default on that channel and the clinic wrote none (the journey does not send there).
 * For the reminder activities: `const t = await resolveTemplate(tx, clinicId, key, channel)`, then
 * `fillTemplate(t.body, reminderVariables(facts))` (and the subject likewise).
 */
export async function resolveTemplate(tx: Tx, clinicId: string, key: ReminderTemplateKey, channel: ReminderChannel): Promise<ResolvedTemplate | null> {
  const [own] = await tx.select().from(messageTemplates)
    .where(and(eq(messageTemplates.clinicId, clinicId), eq(messageTemplates.key, key), eq(messageTemplates.channel, channel)));
  if (own) return { key, channel, subject: own.subject, body: own.body, isDefault: false, updatedAt: own.updatedAt.toISOString() };
  const d = DEFAULT_REMINDER_TEMPLATES[key][channel];
  if (!d) return null;
  return { key, channel, subject: d.subject ?? null, body: d.body, isDefault: true, updatedAt: null };
}

