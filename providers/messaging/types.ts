// The contract between journeys (activities) and the messaging channels (WhatsApp and SMS via Twilio,
// e-mail via SendGrid, or the local outbox). Implemented in providers/messaging/index.ts.

export type Channel = 'whatsapp' | 'sms' | 'email';

export interface OutboundMessage {
  clinicId: string;
  patientId?: string;
  appointmentId?: string;
  channel: Channel;
  /** E.164 for whatsapp/sms, an address for e-mail. */
  to: string;
  /** Rendered pt-BR text (free-form inside the WhatsApp 24h window; the template's fallback outside it). */
  body: string;
  subject?: string;
  /** Our template key (e.g. 'reminder_24h'); with `contentSid` a Twilio Content template, with `sendgridTemplateId` a SendGrid dynamic template. */
  templateKey?: string;
  contentSid?: string;
  sendgridTemplateId?: string;
  variables?: Record<string, string>;
  /** Quick-reply buttons (WhatsApp) or links. */
  quickReplies?: string[];
  mediaUrl?: string;
  /** Marketing messages are dropped after an opt-out of that channel; transactional reminders only need consent. */
  purpose: 'transactional' | 'marketing';
  /** Workflow id + step: stored before the provider call, so a retried activity never sends twice. */
  idempotencyKey: string;
}

export type SendStatus = 'sent' | 'queued' | 'duplicate' | 'skipped_opt_out' | 'skipped_no_consent' | 'skipped_bounced';

export interface SendResult {
  status: SendStatus;
  outboxId: string;
  providerMessageId?: string;
}

export interface MessageSender {
  send(message: OutboundMessage): Promise<SendResult>;
}
