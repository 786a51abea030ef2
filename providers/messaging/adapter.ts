// What a channel adapter (Twilio, SendGrid, the local outbox) does for the sender in index.ts:
// hand one already-recorded outbox row's message to the provider, or say why it could not.
import type { Channel, OutboundMessage } from './types';

export interface DeliveryContext {
  /** The outbox row (its id travels with the message so status callbacks find it). */
  outboxId: string;
  /** WhatsApp only: the patient wrote within the last 24 hours, so free text is allowed. */
  sessionOpen: boolean;
}

export interface Delivered {
  providerMessageId: string;
  /** The provider's own status word (Twilio 'queued'/'accepted', SendGrid 'accepted', local 'sent'). */
  providerStatus: string;
}

export interface ChannelAdapter {
  kind: 'twilio' | 'sendgrid' | 'local';
  channels: readonly Channel[];
  deliver(message: OutboundMessage, ctx: DeliveryContext): Promise<Delivered>;
  /** E-mail only: one provider call for many recipients (same template), one result per item. */
  deliverBatch?(items: Array<{ message: OutboundMessage; ctx: DeliveryContext }>): Promise<Delivered[]>;
}

/**
 * The provider refused the message for good (invalid number, template required, bad request):
 * retrying cannot help. Activities list 'MessageRejected' in `nonRetryableErrorTypes`.
 */
export class MessageRejectedError extends Error {
  override name = 'MessageRejected';
  readonly nonRetryable = true;
  constructor(message: string, readonly code: string, readonly httpStatus?: number) {
    super(message);
  }
}

/**
 * The provider did not take the message but may later (5xx, 429, connection refused): the outbox row
 * goes back to 'queued' and the activity's retry sends it.
 */
export class ProviderUnavailableError extends Error {
  override name = 'MessagingProviderUnavailable';
  constructor(message: string, readonly httpStatus?: number, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Sort a provider failure: definitely refused, definitely not taken (retry is safe), or unknown. */
export function classifyProviderError(err: unknown): MessageRejectedError | ProviderUnavailableError | null {
  if (err instanceof MessageRejectedError || err instanceof ProviderUnavailableError) return err;
  const e = err as { status?: number; code?: number | string; message?: string; response?: { status?: number } };
  const status = typeof e?.status === 'number' ? e.status : e?.response?.status;
  if (typeof status === 'number') {
    if (status === 429 || status >= 500) return new ProviderUnavailableError(e.message ?? `HTTP ${status}`, status, { cause: err });
    if (status >= 400) return new MessageRejectedError(e.message ?? `HTTP ${status}`, String(e.code ?? status), status);
  }
  // Nothing reached the provider: safe to try again.
  if (e?.code === 'ECONNREFUSED' || e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN') {
    return new ProviderUnavailableError(e.message ?? String(e.code), undefined, { cause: err });
  }
  // Timeouts, resets mid-request: the provider may have taken it.
  return null;
}
