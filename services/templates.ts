// The clinic's reminder texts: its own per (step, channel) when it wrote one, else the default pt-BR text
// (domain/reminder-templates.ts); the variable and length rules the editor and the API apply.
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { messageTemplates } from '../db/schema';
import {
  DEFAULT_REMINDER_TEMPLATES, fillTemplate, reminderVariables,
  type ReminderChannel, type ReminderFacts, type ReminderTemplateKey,
} from '../domain/reminder-templates';
import { addLocalDays, localDate, zonedTimeToUtc } from '../domain/timezone';

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

export const REMINDER_TEMPLATE_KEYS = ['reminder_24h', 'reminder_2h', 'reminder_2h_location'] as const satisfies readonly ReminderTemplateKey[];
export const REMINDER_CHANNELS = ['whatsapp', 'sms', 'email'] as const satisfies readonly ReminderChannel[];

/** Every variable a reminder text may use (the keys of reminderVariables), with its pt-BR meaning. */
export const TEMPLATE_VARIABLES: Readonly<Record<string, string>> = {
  paciente: 'Primeiro nome do paciente',
  data: 'Data do atendimento (ex.: terça-feira, 01/12)',
  hora: 'Horário (ex.: 14:30)',
  procedimento: 'Procedimento',
  profissional: 'Profissional',
  clinica: 'Nome da clínica',
  endereco: 'Endereço da clínica',
  mapa: 'Link do mapa (Google Maps)',
  telefone_clinica: 'Telefone da clínica',
  link_confirmar: 'Link para confirmar presença',
  link_cancelar: 'Link para cancelar',
};

/** SMS: above this a message goes out in several parts (a warning, not an error). WhatsApp: hard limit of a message body. */
export const SMS_WARN_CHARS = 320;
export const WHATSAPP_MAX_CHARS = 1024;
export const EMAIL_MAX_CHARS = 4000;
export const SUBJECT_MAX_CHARS = 200;

/** Which (step, channel) texts the appointment journey actually sends (activities/reminders.ts). */
export function sentByJourney(key: ReminderTemplateKey, channel: ReminderChannel): boolean {
  return Boolean(DEFAULT_REMINDER_TEMPLATES[key][channel]);
}

/** A default for a (step, channel) that has none: the 24h text (e-mail: the 2h e-mail), so an editor never starts empty. */
export function defaultTemplate(key: ReminderTemplateKey, channel: ReminderChannel): { subject: string | null; body: string } {
  const t = DEFAULT_REMINDER_TEMPLATES[key][channel]
    ?? (channel === 'email' ? DEFAULT_REMINDER_TEMPLATES.reminder_2h.email : channel === 'sms' ? DEFAULT_REMINDER_TEMPLATES.reminder_2h.sms : DEFAULT_REMINDER_TEMPLATES.reminder_24h.whatsapp)!;
  return { subject: t.subject ?? null, body: t.body };
}

/** Every (step, channel) of the clinic: own text or default (a step without default gets a starting text, isDefault). */
export async function listTemplates(tx: Tx, clinicId: string): Promise<Array<ResolvedTemplate & { sentByJourney: boolean }>> {
  const own = await tx.select().from(messageTemplates).where(eq(messageTemplates.clinicId, clinicId));
  const out: Array<ResolvedTemplate & { sentByJourney: boolean }> = [];
  for (const key of REMINDER_TEMPLATE_KEYS) {
    for (const channel of REMINDER_CHANNELS) {
      const row = own.find((r) => r.key === key && r.channel === channel);
      const d = defaultTemplate(key, channel);
      out.push(row
        ? { key, channel, subject: row.subject, body: row.body, isDefault: false, updatedAt: row.updatedAt.toISOString(), sentByJourney: sentByJourney(key, channel) }
        : { key, channel, subject: d.subject, body: d.body, isDefault: true, updatedAt: null, sentByJourney: sentByJourney(key, channel) });
    }
  }
  return out;
}

/** `{variavel}` names used in a text that are not allowed. */
export function unknownVariables(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/\{([^{}\s]*)\}/g)) if (!(m[1]! in TEMPLATE_VARIABLES)) found.add(m[1]!);
  return [...found];
}

export interface TemplateCheck {
  errors: Record<string, string[]>;
  warnings: string[];
}

/** Rules of a text the clinic saves (also shown live by the preview). Lengths are of the rendered text's template, not the rendered one. */
export function checkTemplate(channel: ReminderChannel, body: string, subject?: string | null): TemplateCheck {
  const errors: Record<string, string[]> = {};
  const warnings: string[] = [];
  const allowed = Object.keys(TEMPLATE_VARIABLES).map((v) => `{${v}}`).join(', ');
  const badBody = unknownVariables(body);
  if (badBody.length) (errors.body ??= []).push(`Variável desconhecida: ${badBody.map((v) => `{${v}}`).join(', ')}. Use apenas: ${allowed}.`);
  if (subject) {
    const badSubject = unknownVariables(subject);
    if (badSubject.length) (errors.subject ??= []).push(`Variável desconhecida: ${badSubject.map((v) => `{${v}}`).join(', ')}. Use apenas: ${allowed}.`);
  }
  if (channel !== 'email' && subject) (errors.subject ??= []).push('Assunto só existe no e-mail.');
  if (channel === 'whatsapp' && body.length > WHATSAPP_MAX_CHARS) (errors.body ??= []).push(`O WhatsApp aceita no máximo ${WHATSAPP_MAX_CHARS} caracteres (o texto tem ${body.length}).`);
  if (channel === 'email' && body.length > EMAIL_MAX_CHARS) (errors.body ??= []).push(`O e-mail deve ter no máximo ${EMAIL_MAX_CHARS} caracteres.`);
  if (channel === 'sms' && body.length > SMS_WARN_CHARS) warnings.push(`SMS com mais de ${SMS_WARN_CHARS} caracteres é enviado em várias partes (e cobrado por parte).`);
  if (!/\{link_confirmar\}/.test(body) && channel !== 'email' && /\{link_cancelar\}/.test(body) === false) {
    warnings.push('O texto não tem {link_confirmar} nem {link_cancelar}: o paciente só poderá responder por mensagem.');
  }
  return { errors, warnings };
}

/** Example facts for the preview when no appointment is chosen. */
export function sampleFacts(clinic: { name: string; address: string | null; phone: string | null; timezone: string }, now: Date, webBaseUrl: string): ReminderFacts {
  // Tomorrow at 14:30 in the clinic's zone.
  const tomorrow = zonedTimeToUtc(addLocalDays(localDate(now, clinic.timezone), 1), 14 * 60 + 30, clinic.timezone);
  return {
    patientName: 'Maria Oliveira', procedureName: 'Limpeza de pele', professionalName: 'Dra. Ana Souza',
    clinicName: clinic.name, clinicAddress: clinic.address, clinicPhone: clinic.phone, startsAt: tomorrow, timeZone: clinic.timezone,
    confirmUrl: `${webBaseUrl}/p/c/exemplo-confirmar`, cancelUrl: `${webBaseUrl}/p/c/exemplo-cancelar`,
  };
}

export function renderText(subject: string | null | undefined, body: string, facts: ReminderFacts) {
  const variables = reminderVariables(facts);
  return { subject: subject ? fillTemplate(subject, variables) : null, body: fillTemplate(body, variables), variables };
}
