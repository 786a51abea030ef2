// E-mail through SendGrid (@sendgrid/mail): dynamic templates, several recipients in one call
// (personalizations), open and click tracking, and our outbox id in custom_args so the signed event
// webhook (api/routes/webhooks-messaging.ts) finds the row each event belongs to.
import sgClient from '@sendgrid/client';
import sgMail, { type MailDataRequired } from '@sendgrid/mail';
import { EventWebhook } from '@sendgrid/eventwebhook';
import { classifyProviderError, MessageRejectedError, type ChannelAdapter, type Delivered, type DeliveryContext } from './adapter';
import type { OutboundMessage } from './types';

export interface SendGridConfig {
  apiKey: string;
  /** The verified sender address. */
  from: string;
  fromName?: string;
  replyTo?: string;
  /** Tests: the fake server's address instead of https://api.sendgrid.com. */
  baseUrl?: string;
}

type PersonalizationData = NonNullable<MailDataRequired['personalizations']>[number];

const TRACKING = { clickTracking: { enable: true, enableText: false }, openTracking: { enable: true } };

function personalization(message: OutboundMessage, ctx: DeliveryContext): PersonalizationData {
  return {
    to: message.to,
    ...(message.subject ? { subject: message.subject } : {}),
    ...(message.sendgridTemplateId ? { dynamicTemplateData: { ...(message.variables ?? {}), body: message.body, subject: message.subject } } : {}),
    customArgs: { outbox_id: ctx.outboxId, clinic_id: message.clinicId },
  };
}

/** The mail for one message (exported for the mapping tests). */
export function sendGridMail(message: OutboundMessage, ctx: DeliveryContext, cfg: Pick<SendGridConfig, 'from' | 'fromName' | 'replyTo'>): MailDataRequired {
  if (message.channel !== 'email') throw new MessageRejectedError(`SendGrid não envia ${message.channel}`, 'channel_unsupported');
  const from = cfg.fromName ? { email: cfg.from, name: cfg.fromName } : cfg.from;
  const common = { from, ...(cfg.replyTo ? { replyTo: cfg.replyTo } : {}), trackingSettings: TRACKING, personalizations: [personalization(message, ctx)] };
  if (message.sendgridTemplateId) return { ...common, templateId: message.sendgridTemplateId };
  if (!message.subject) throw new MessageRejectedError('E-mail sem assunto e sem modelo dinâmico.', 'email_subject_missing');
  return { ...common, subject: message.subject, text: message.body };
}

/** One call for many recipients of the same dynamic template: one personalization each. */
export function sendGridBatchMail(items: Array<{ message: OutboundMessage; ctx: DeliveryContext }>, cfg: Pick<SendGridConfig, 'from' | 'fromName' | 'replyTo'>): MailDataRequired {
  const templateId = items[0]?.message.sendgridTemplateId;
  if (!templateId || items.some((i) => i.message.sendgridTemplateId !== templateId || i.message.channel !== 'email')) {
    throw new MessageRejectedError('Envio em lote exige e-mails com o mesmo modelo dinâmico.', 'batch_template_mismatch');
  }
  if (items.length > 1000) throw new MessageRejectedError('No máximo 1000 destinatários por lote.', 'batch_too_large');
  const from = cfg.fromName ? { email: cfg.from, name: cfg.fromName } : cfg.from;
  return {
    from, ...(cfg.replyTo ? { replyTo: cfg.replyTo } : {}), templateId, trackingSettings: TRACKING,
    personalizations: items.map(({ message, ctx }) => personalization(message, ctx)),
  };
}

export function createSendGridAdapter(cfg: SendGridConfig): ChannelAdapter {
  // Own instances: the package's singletons would share the key and base URL across the process.
  const client = new (sgClient.constructor as new () => typeof sgClient)();
  client.setApiKey(cfg.apiKey);
  if (cfg.baseUrl) client.setDefaultRequest('baseUrl', cfg.baseUrl);
  const mail = new (sgMail.constructor as new () => typeof sgMail)();
  mail.setClient(client);

  const send = async (data: MailDataRequired): Promise<string> => {
    try {
      const [response] = await mail.send(data);
      const id = response.headers?.['x-message-id'];
      return typeof id === 'string' ? id : String(id ?? '');
    } catch (err) {
      const e = err as { code?: number; response?: { body?: { errors?: Array<{ message?: string }> } } };
      // ResponseError carries the HTTP status as `code`.
      const mapped = classifyProviderError(typeof e?.code === 'number' ? { status: e.code, message: e.response?.body?.errors?.[0]?.message ?? (err as Error).message, code: e.code } : err);
      throw mapped ?? err;
    }
  };

  return {
    kind: 'sendgrid',
    channels: ['email'],
    async deliver(message, ctx): Promise<Delivered> {
      const id = await send(sendGridMail(message, ctx, cfg));
      return { providerMessageId: id || `sendgrid-${ctx.outboxId}`, providerStatus: 'accepted' };
    },
    async deliverBatch(items): Promise<Delivered[]> {
      const id = await send(sendGridBatchMail(items, cfg));
      // One X-Message-Id per request; each recipient's sg_message_id starts with it.
      return items.map(({ ctx }) => ({ providerMessageId: id || `sendgrid-${ctx.outboxId}`, providerStatus: 'accepted' }));
    },
  };
}

const PEM = (key: string) => (key.includes('BEGIN PUBLIC KEY') ? key : `-----BEGIN PUBLIC KEY-----\n${key.trim()}\n-----END PUBLIC KEY-----`);

/** The signed event webhook check: ECDSA over timestamp + raw body with SendGrid's public key. */
export function validSendGridSignature(publicKey: string, rawBody: string, signature: string | undefined, timestamp: string | undefined): boolean {
  if (!signature || !timestamp) return false;
  try {
    const webhook = new EventWebhook();
    return webhook.verifySignature(webhook.convertPublicKeyToECDSA(PEM(publicKey)), rawBody, signature, timestamp);
  } catch {
    return false;
  }
}

export const SENDGRID_SIGNATURE_HEADER = 'X-Twilio-Email-Event-Webhook-Signature';
export const SENDGRID_TIMESTAMP_HEADER = 'X-Twilio-Email-Event-Webhook-Timestamp';
