// The messaging channels behind one `send`: WhatsApp and SMS through Twilio, e-mail through SendGrid,
// each replaced by the local outbox when its credentials are not set (DESIGN.md).
//
// Exactly-once as far as it can be had, at-most-once where it cannot:
//  1. The outbox row is inserted first, keyed by (clinic, idempotency key). A retried activity finds
//     it: sent/delivered/read → 'duplicate'; skipped → the same skip again; nothing is sent twice.
//  2. Consent, opt-out and bounced addresses are checked in the same transaction ('skipped' + reason).
//  3. The row is claimed ('queued' → 'sending') and committed BEFORE the provider call.
//  4. After the call the provider id and 'sent' are stored. A crash between 3 and 4 leaves 'sending':
//     a retry then does NOT call the provider again (it may have sent) and answers 'duplicate' with a
//     warning. Twilio's status callback carries the outbox id (`?outbox=`) and SendGrid's events carry
//     it in custom_args, so a message that did go out still gets its provider id and status later.
//     Errors that prove the provider did not take the message (HTTP 5xx/429, connection refused) put
//     the row back to 'queued' and rethrow, so the activity's retry sends it; a refusal (4xx, WhatsApp
//     template required) marks it 'failed' and throws MessageRejectedError (non-retryable).
//
// LGPD: an opt-out of a channel (consent revoked, e.g. "SAIR" on WhatsApp) stops EVERY message on it,
// marketing and reminders alike ('skipped_opt_out'). Marketing also needs a granted consent; a
// transactional message about the patient's own appointment goes out unless consent was refused
// (legal basis: performance of the contract, LGPD art. 7º V) — 'skipped_no_consent' otherwise.
import { and, eq, max, sql } from 'drizzle-orm';
import { apiUrl, type Env } from '../../config/env';
import type { Logger } from '../../config/logger';
import type { Db, Tx } from '../../db/client';
import { withClinic } from '../../db/tenancy';
import { consents, emailSuppressions, inboundMessages, messageOutbox } from '../../db/schema';
import { classifyProviderError, MessageRejectedError, type ChannelAdapter, type Delivered } from '../../providers/messaging/adapter';
import { createLocalAdapter } from '../../providers/messaging/local';
import { createSendGridAdapter } from '../../providers/messaging/sendgrid';
import { createTwilioAdapter } from '../../providers/messaging/twilio';
import type { Channel, MessageSender, OutboundMessage, SendResult, SendStatus } from '../../providers/messaging/types';

export type { Channel, MessageSender, OutboundMessage, SendResult, SendStatus } from '../../providers/messaging/types';
export { MessageRejectedError, ProviderUnavailableError, type ChannelAdapter } from '../../providers/messaging/adapter';

export const WHATSAPP_SESSION_MS = 24 * 60 * 60 * 1000;
export const TWILIO_STATUS_PATH = '/webhooks/twilio/status';

export interface MessagingDeps {
  db: Db;
  env: Env;
  log: Logger;
  /** Replaces the Twilio adapter built from the environment (tests: one aimed at a fake server). */
  twilio?: ChannelAdapter;
  /** Replaces the SendGrid adapter built from the environment. */
  sendgrid?: ChannelAdapter;
  now?: () => Date;
}

export interface Messaging extends MessageSender {
  /** E-mails with the same dynamic template go in one SendGrid call; the rest one by one. Same rules per message. */
  sendBatch(messages: OutboundMessage[]): Promise<SendResult[]>;
  /** Which adapter serves each channel ('twilio' | 'sendgrid' | 'local'). */
  readonly adapters: Record<Channel, ChannelAdapter['kind']>;
}

/** The public address Twilio and SendGrid call back (falls back to API_URL for local runs). */
export function publicApiUrl(env: Env): string {
  return (env.PUBLIC_API_URL ?? apiUrl(env)).replace(/\/$/, '');
}

export function twilioConfigured(env: Env): boolean {
  return Boolean(env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && (env.TWILIO_WHATSAPP_FROM || env.TWILIO_SMS_FROM));
}

export function createMessageSender(deps: MessagingDeps): Messaging {
  const { db, env, log } = deps;
  const now = deps.now ?? (() => new Date());
  const local = createLocalAdapter();
  const twilio = deps.twilio ?? (twilioConfigured(env)
    ? createTwilioAdapter({
      accountSid: env.TWILIO_ACCOUNT_SID!, authToken: env.TWILIO_AUTH_TOKEN!,
      whatsappFrom: env.TWILIO_WHATSAPP_FROM, smsFrom: env.TWILIO_SMS_FROM,
      // Twilio cannot call back a loopback address; without a public URL the status stays 'sent'.
      statusCallbackUrl: env.PUBLIC_API_URL ? `${publicApiUrl(env)}${TWILIO_STATUS_PATH}` : undefined,
    })
    : undefined);
  const sendgrid = deps.sendgrid ?? (env.SENDGRID_API_KEY && env.SENDGRID_FROM
    ? createSendGridAdapter({ apiKey: env.SENDGRID_API_KEY, from: env.SENDGRID_FROM })
    : undefined);
  const pick = (channel: Channel): ChannelAdapter => {
    if (channel === 'email') return sendgrid ?? local;
    return twilio && twilio.channels.includes(channel) ? twilio : local;
  };
  const adapters = { whatsapp: pick('whatsapp').kind, sms: pick('sms').kind, email: pick('email').kind };

  type Claim =
    | { kind: 'claimed'; outboxId: string; sessionOpen: boolean }
    | { kind: 'done'; result: SendResult };

  /** Steps 1–3 in one transaction: record, check, claim. */
  const claim = (message: OutboundMessage): Promise<Claim> =>
    withClinic(db, message.clinicId, async (tx) => {
      const to = message.channel === 'email' ? message.to.trim().toLowerCase() : message.to.trim();
      const [inserted] = await tx.insert(messageOutbox).values({
        clinicId: message.clinicId, channel: message.channel, to, subject: message.subject ?? null, body: message.body,
        template: message.templateKey ?? null,
        templateData: {
          ...(message.variables ? { variables: message.variables } : {}),
          ...(message.contentSid ? { contentSid: message.contentSid } : {}),
          ...(message.sendgridTemplateId ? { sendgridTemplateId: message.sendgridTemplateId } : {}),
          ...(message.quickReplies?.length ? { quickReplies: message.quickReplies } : {}),
          ...(message.mediaUrl ? { mediaUrl: message.mediaUrl } : {}),
        },
        purpose: message.purpose, idempotencyKey: message.idempotencyKey,
        patientId: message.patientId ?? null, appointmentId: message.appointmentId ?? null,
      }).onConflictDoNothing({ target: [messageOutbox.clinicId, messageOutbox.idempotencyKey] }).returning();
      const row = inserted ?? (await tx.select().from(messageOutbox)
        .where(and(eq(messageOutbox.clinicId, message.clinicId), eq(messageOutbox.idempotencyKey, message.idempotencyKey))).for('update'))[0];
      if (!row) throw new Error(`outbox row for ${message.idempotencyKey} vanished`);
      if (row.status !== 'queued') return { kind: 'done', result: existingResult(row) };

      const skip = await skipReason(tx, { ...message, to });
      if (skip) {
        await tx.update(messageOutbox).set({ status: 'skipped', error: skip }).where(eq(messageOutbox.id, row.id));
        return { kind: 'done', result: { status: `skipped_${skip}` as SendStatus, outboxId: row.id } };
      }
      const sessionOpen = message.channel === 'whatsapp' && (await whatsappSessionOpen(tx, message.clinicId, to, now()));
      const [claimed] = await tx.update(messageOutbox).set({ status: 'sending', attempts: sql`${messageOutbox.attempts} + 1` })
        .where(and(eq(messageOutbox.id, row.id), eq(messageOutbox.status, 'queued'))).returning({ id: messageOutbox.id });
      if (!claimed) return { kind: 'done', result: { status: 'duplicate', outboxId: row.id } };
      return { kind: 'claimed', outboxId: row.id, sessionOpen };
    });

  const existingResult = (row: typeof messageOutbox.$inferSelect): SendResult => {
    const base = { outboxId: row.id, ...(row.providerMessageId ? { providerMessageId: row.providerMessageId } : {}) };
    switch (row.status) {
      case 'skipped': return { ...base, status: `skipped_${row.error ?? 'opt_out'}` as SendStatus };
      case 'sending':
        log.warn({ outboxId: row.id, idempotencyKey: row.idempotencyKey }, 'message may already have been sent (left sending); not sending again');
        return { ...base, status: 'duplicate' };
      case 'failed':
        if (!row.providerMessageId) throw new MessageRejectedError(row.error ?? 'Mensagem recusada pelo provedor.', 'previously_rejected');
        return { ...base, status: 'duplicate' };
      default: return { ...base, status: 'duplicate' };
    }
  };

  /** Step 4 after the provider answered (or failed). */
  const settle = async (clinicId: string, outboxId: string, outcome: { ok: Delivered } | { err: unknown }): Promise<SendResult> => {
    if ('ok' in outcome) {
      await withClinic(db, clinicId, (tx) => tx.update(messageOutbox).set({
        providerMessageId: outcome.ok.providerMessageId,
        // A status callback may have arrived first (it finds the row by outbox id): never go backwards.
        status: sql`case when ${messageOutbox.status} in ('queued', 'sending') then 'sent'::outbox_status else ${messageOutbox.status} end`,
        sentAt: sql`coalesce(${messageOutbox.sentAt}, ${now().toISOString()}::timestamptz)`,
        error: null,
      }).where(eq(messageOutbox.id, outboxId)));
      return { status: 'sent', outboxId, providerMessageId: outcome.ok.providerMessageId };
    }
    const err = outcome.err;
    const known = classifyProviderError(err);
    const text = (err as Error)?.message?.slice(0, 500) ?? String(err);
    if (known instanceof MessageRejectedError) {
      await withClinic(db, clinicId, (tx) => tx.update(messageOutbox).set({ status: 'failed', error: `${known.code}: ${text}` }).where(eq(messageOutbox.id, outboxId)));
      throw known;
    }
    if (known) {
      // Provably not taken: back to the queue, the activity's retry sends it.
      await withClinic(db, clinicId, (tx) => tx.update(messageOutbox).set({ status: 'queued', error: text })
        .where(and(eq(messageOutbox.id, outboxId), eq(messageOutbox.status, 'sending'))));
      throw known;
    }
    // Unknown (timeout, reset): it may have gone out; stay 'sending' so it is never sent twice.
    await withClinic(db, clinicId, (tx) => tx.update(messageOutbox).set({ error: `uncertain: ${text}` }).where(eq(messageOutbox.id, outboxId)));
    log.warn({ err, outboxId }, 'message outcome unknown; left as sending (at most once)');
    throw err;
  };

  /** A WhatsApp message with only our template key gets the Content SID configured for it (TWILIO_CONTENT_SIDS). */
  const withContentSid = (message: OutboundMessage): OutboundMessage => {
    if (message.channel !== 'whatsapp' || message.contentSid || !message.templateKey) return message;
    const contentSid = env.TWILIO_CONTENT_SIDS?.[message.templateKey];
    return contentSid ? { ...message, contentSid } : message;
  };

  const send = async (original: OutboundMessage): Promise<SendResult> => {
    const message = withContentSid(original);
    validate(message);
    const c = await claim(message);
    if (c.kind === 'done') return c.result;
    const adapter = pick(message.channel);
    let delivered: Delivered;
    try {
      delivered = await adapter.deliver(message, { outboxId: c.outboxId, sessionOpen: c.sessionOpen });
    } catch (err) {
      return settle(message.clinicId, c.outboxId, { err });
    }
    return settle(message.clinicId, c.outboxId, { ok: delivered });
  };

  const sendBatch = async (messages: OutboundMessage[]): Promise<SendResult[]> => {
    const results = new Array<SendResult>(messages.length);
    const groups = new Map<string, number[]>();
    messages.forEach((m, i) => {
      const adapter = pick(m.channel);
      if (m.channel === 'email' && m.sendgridTemplateId && adapter.deliverBatch) {
        const key = `${m.clinicId}|${m.sendgridTemplateId}`;
        groups.set(key, [...(groups.get(key) ?? []), i]);
      }
    });
    const batched = new Set([...groups.values()].flat());
    for (const indexes of groups.values()) {
      const claimed: Array<{ i: number; outboxId: string }> = [];
      for (const i of indexes) {
        validate(messages[i]);
        const c = await claim(messages[i]);
        if (c.kind === 'done') results[i] = c.result;
        else claimed.push({ i, outboxId: c.outboxId });
      }
      if (!claimed.length) continue;
      const adapter = pick('email');
      try {
        const delivered = await adapter.deliverBatch!(claimed.map(({ i, outboxId }) => ({ message: messages[i], ctx: { outboxId, sessionOpen: false } })));
        for (const [k, { i, outboxId }] of claimed.entries()) results[i] = await settle(messages[i].clinicId, outboxId, { ok: delivered[k] });
      } catch (err) {
        let first: unknown;
        for (const { i, outboxId } of claimed) await settle(messages[i].clinicId, outboxId, { err }).catch((e) => { first ??= e; });
        throw first ?? err;
      }
    }
    for (const [i, m] of messages.entries()) if (!batched.has(i)) results[i] = await send(m);
    return results;
  };

  return { send, sendBatch, adapters };
}

function validate(message: OutboundMessage) {
  if (!message.idempotencyKey?.trim()) throw new MessageRejectedError('Mensagem sem chave de idempotência.', 'idempotency_key_missing');
  if (!message.to?.trim()) throw new MessageRejectedError('Mensagem sem destinatário.', 'recipient_missing');
  if (message.channel !== 'email' && !/^[+][1-9][0-9]{7,14}$/.test(message.to.trim())) {
    throw new MessageRejectedError(`Telefone fora do formato E.164: ${message.to}`, 'recipient_invalid');
  }
}

/** Why this message must not go out, or null. See the LGPD rule at the top of the file. */
export async function skipReason(tx: Tx, message: OutboundMessage): Promise<'opt_out' | 'no_consent' | 'bounced' | null> {
  if (message.channel === 'email') {
    const [suppressed] = await tx.select({ id: emailSuppressions.id }).from(emailSuppressions)
      .where(and(eq(emailSuppressions.clinicId, message.clinicId), eq(emailSuppressions.email, message.to.trim().toLowerCase())));
    if (suppressed) return 'bounced';
  }
  if (!message.patientId) return message.purpose === 'marketing' ? 'no_consent' : null;
  const [consent] = await tx.select().from(consents)
    .where(and(eq(consents.clinicId, message.clinicId), eq(consents.patientId, message.patientId), eq(consents.channel, message.channel)));
  if (consent && !consent.granted) return consent.revokedAt ? 'opt_out' : 'no_consent';
  if (!consent && message.purpose === 'marketing') return 'no_consent';
  return null;
}

/** WhatsApp's customer-service window: the number wrote to us within the last 24 hours. */
export async function whatsappSessionOpen(tx: Tx, clinicId: string, phone: string, at: Date): Promise<boolean> {
  const [row] = await tx.select({ last: max(inboundMessages.receivedAt) }).from(inboundMessages)
    .where(and(eq(inboundMessages.clinicId, clinicId), eq(inboundMessages.channel, 'whatsapp'), eq(inboundMessages.from, phone)));
  return Boolean(row?.last && at.getTime() - new Date(row.last).getTime() < WHATSAPP_SESSION_MS);
}
