// WhatsApp and SMS through Twilio (the `twilio` SDK). WhatsApp outside the 24-hour session window
// only takes approved Content templates (ContentSid + ContentVariables); quick-reply buttons are
// Content templates too. Free text and media go inside the window, and always on SMS.
import twilio from 'twilio';
import { classifyProviderError, MessageRejectedError, type ChannelAdapter, type Delivered, type DeliveryContext } from './adapter';
import type { OutboundMessage } from './types';

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** E.164 senders; a channel without one is not offered by this adapter. */
  whatsappFrom?: string;
  smsFrom?: string;
  /** `${PUBLIC_API_URL}/webhooks/twilio/status`; the outbox id is appended so callbacks find the row. */
  statusCallbackUrl?: string;
  /** Tests: a client that sends the SDK's requests to a fake server (`redirectingHttpClient`). */
  httpClient?: InstanceType<typeof twilio.RequestClient>;
}

/** A Twilio HTTP client that keeps everything the SDK sends but points it at `baseUrl` (fake servers). */
export function redirectingHttpClient(baseUrl: string) {
  class Redirecting extends twilio.RequestClient {
    override request<TData>(opts: Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0] & { data?: TData }) {
      const original = new URL(opts.uri);
      return super.request<TData>({ ...opts, uri: `${baseUrl.replace(/\/$/, '')}${original.pathname}${original.search}`, headers: { ...opts.headers, 'X-Original-Host': original.host } });
    }
  }
  return new Redirecting();
}

export const whatsappAddress = (e164: string) => `whatsapp:${e164}`;

/** The Messages.create parameters for one message (exported for the mapping tests). */
export function twilioMessageParams(message: OutboundMessage, ctx: DeliveryContext, cfg: Pick<TwilioConfig, 'whatsappFrom' | 'smsFrom' | 'statusCallbackUrl'>) {
  const statusCallback = cfg.statusCallbackUrl ? `${cfg.statusCallbackUrl}?outbox=${encodeURIComponent(ctx.outboxId)}` : undefined;
  if (message.channel === 'sms') {
    if (!cfg.smsFrom) throw new MessageRejectedError('TWILIO_SMS_FROM não configurado', 'sms_sender_missing');
    return {
      to: message.to, from: cfg.smsFrom, body: message.body,
      ...(message.mediaUrl ? { mediaUrl: [message.mediaUrl] } : {}),
      ...(statusCallback ? { statusCallback } : {}),
    };
  }
  if (message.channel !== 'whatsapp') throw new MessageRejectedError(`Twilio não envia ${message.channel}`, 'channel_unsupported');
  if (!cfg.whatsappFrom) throw new MessageRejectedError('TWILIO_WHATSAPP_FROM não configurado', 'whatsapp_sender_missing');
  const base = { to: whatsappAddress(message.to), from: whatsappAddress(cfg.whatsappFrom), ...(statusCallback ? { statusCallback } : {}) };
  // Buttons exist only in Content templates; outside the window only templates are delivered at all.
  const needsTemplate = !ctx.sessionOpen || (message.quickReplies?.length ?? 0) > 0;
  if (message.contentSid && (needsTemplate || !message.body)) {
    return {
      ...base, contentSid: message.contentSid,
      ...(message.variables && Object.keys(message.variables).length ? { contentVariables: JSON.stringify(message.variables) } : {}),
    };
  }
  if (!ctx.sessionOpen) {
    throw new MessageRejectedError(
      'Fora da janela de 24 horas do WhatsApp só é possível enviar um modelo aprovado (Content SID).', 'whatsapp_template_required',
    );
  }
  // Inside the window without a template: the buttons become numbered options in the text.
  // (Not when the text already names every option, e.g. "Responda 1 para confirmar ou 2 para cancelar".)
  const replies = message.quickReplies ?? [];
  const options = replies.length && replies.some((r) => !message.body.includes(r)) ? `\n\n${replies.map((r, i) => `${i + 1} - ${r}`).join('\n')}` : '';
  return { ...base, body: message.body + options, ...(message.mediaUrl ? { mediaUrl: [message.mediaUrl] } : {}) };
}

export function createTwilioAdapter(cfg: TwilioConfig): ChannelAdapter {
  const client = twilio(cfg.accountSid, cfg.authToken, cfg.httpClient ? { httpClient: cfg.httpClient } : {});
  const channels = [...(cfg.whatsappFrom ? (['whatsapp'] as const) : []), ...(cfg.smsFrom ? (['sms'] as const) : [])];
  return {
    kind: 'twilio',
    channels,
    async deliver(message, ctx): Promise<Delivered> {
      const params = twilioMessageParams(message, ctx, cfg);
      try {
        const sent = await client.messages.create(params);
        return { providerMessageId: sent.sid, providerStatus: sent.status };
      } catch (err) {
        throw classifyProviderError(err) ?? err;
      }
    },
  };
}

/** `X-Twilio-Signature` check over the full public URL and the form parameters. */
export function validTwilioSignature(authToken: string, signature: string | undefined, url: string, params: Record<string, string | string[]>): boolean {
  if (!signature) return false;
  return twilio.validateRequest(authToken, signature, url, params);
}

/** What Twilio would send (tests and the simulator's fake signatures). */
export function twilioSignature(authToken: string, url: string, params: Record<string, string | string[]>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}
