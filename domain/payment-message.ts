// The pt-BR message that carries a payment link to the patient (WhatsApp, SMS or e-mail), and which of
// the patient's addresses each channel uses. Pure: the instant and the time zone are passed in.
import { formatBrl } from './money';

export type PaymentLinkChannel = 'whatsapp' | 'sms' | 'email';

export interface PaymentLinkFacts {
  patientName: string;
  clinicName: string;
  /** The payment's description ('Sinal do agendamento'); null → 'Pagamento'. */
  description: string | null;
  amountCents: number;
  url: string;
  expiresAt: Date;
  /** The clinic's IANA time zone: the deadline is shown in the clinic's local time. */
  timeZone: string;
}

export interface PaymentLinkMessage {
  subject: string;
  body: string;
  /** Named values for a provider template (Twilio Content / SendGrid) registered as 'payment_link'. */
  variables: Record<string, string>;
}

/** "Ana" for "Ana Souza"; empty when there is no name. */
export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? '';
}

/** "02/12 às 14:30" for the instant in the zone (24-hour clock). */
export function formatDeadline(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('pt-BR', {
    timeZone, day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')}/${part('month')} às ${part('hour')}:${part('minute')}`;
}

export function paymentLinkMessage(f: PaymentLinkFacts): PaymentLinkMessage {
  const name = firstName(f.patientName);
  const description = f.description?.trim() || 'Pagamento';
  const amount = formatBrl(f.amountCents);
  const deadline = formatDeadline(f.expiresAt, f.timeZone);
  const greeting = name ? `Olá, ${name}!` : 'Olá!';
  return {
    subject: `Link de pagamento: ${f.clinicName}`,
    body: `${greeting} Segue o link da ${f.clinicName} para pagamento de ${description} — ${amount}: ${f.url} (válido até ${deadline})`,
    variables: { paciente: name, clinica: f.clinicName, descricao: description, valor: amount, link: f.url, validade: deadline },
  };
}

/**
 * Where the link goes on each channel, like the reminders: WhatsApp to the WhatsApp number (else the
 * main phone), SMS to the main phone (else the WhatsApp number), e-mail to the e-mail. Null: none on file.
 */
export function paymentLinkRecipient(
  channel: PaymentLinkChannel,
  contact: { whatsapp: string | null; phone: string | null; email: string | null },
): string | null {
  const clean = (v: string | null) => v?.trim() || null;
  if (channel === 'email') return clean(contact.email);
  if (channel === 'whatsapp') return clean(contact.whatsapp) ?? clean(contact.phone);
  return clean(contact.phone) ?? clean(contact.whatsapp);
}
