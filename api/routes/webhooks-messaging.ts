// Provider webhooks for the messaging channels, mounted before the session middleware:
//   /webhooks/twilio/whatsapp, /webhooks/twilio/sms  inbound messages (X-Twilio-Signature)
//   /webhooks/twilio/status                          delivery status callbacks (X-Twilio-Signature)
//   /webhooks/sendgrid                               signed event webhook (ECDSA)
// A bad signature is a 403 with no effect; a repeated delivery (same MessageSid + status, same
// sg_event_id) is a 200 that changes nothing (webhook_deliveries).
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Db } from '../../db/client';
import { appointmentConfirmations, clinics, emailSuppressions, messageOutbox, webhookDeliveries } from '../../db/schema';
import { publicApiUrl } from '../../services/messaging/sender';
import { SENDGRID_SIGNATURE_HEADER, SENDGRID_TIMESTAMP_HEADER, validSendGridSignature } from '../../providers/messaging/sendgrid';
import { validTwilioSignature } from '../../providers/messaging/twilio';
import type { ApiDeps, AppEnv } from '../context';
import { ApiError } from '../../services/errors';
import { applyOptOut } from '../../services/consent';
import type { InboundDeps } from '../../services/inbound/route';
import { processTwilioInbound, type TwilioParams } from '../../services/inbound/twilio';
import { withClinic } from '../../db/tenancy';
import { router } from '../openapi';

/** SendGrid signs a timestamp: older (or newer) than this and the request is refused as a replay. */
export const SENDGRID_MAX_SKEW_MS = 10 * 60 * 1000;

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const badSignature = (provider: string) => new ApiError(403, 'forbidden', `Assinatura do ${provider} inválida ou ausente.`);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The URL Twilio signed: the public address (PUBLIC_API_URL) + path + query, or the request's own URL. */
function signedUrl(c: Context<AppEnv>, deps: ApiDeps): string {
  const url = new URL(c.req.url);
  return deps.env.PUBLIC_API_URL ? `${publicApiUrl(deps.env)}${url.pathname}${url.search}` : c.req.url;
}

/** The form Twilio posted, verified; throws 403 before anything is read from it. */
async function verifiedTwilioForm(c: Context<AppEnv>, deps: ApiDeps): Promise<TwilioParams> {
  const authToken = deps.env.TWILIO_AUTH_TOKEN;
  // Without Twilio configured nothing can be verified: only the simulator reaches the inbound path.
  if (!authToken) throw badSignature('Twilio');
  const form = await c.req.parseBody({ all: true }).catch(() => null);
  if (!form) throw badSignature('Twilio');
  const params: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(form)) {
    if (typeof v === 'string') params[k] = v;
    else if (Array.isArray(v)) params[k] = v.filter((x): x is string => typeof x === 'string');
  }
  if (!validTwilioSignature(authToken, c.req.header('X-Twilio-Signature'), signedUrl(c, deps), params)) throw badSignature('Twilio');
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] ?? '' : v]));
}

const STATUS_RANK: Record<string, number> = { queued: 0, sending: 1, sent: 2, delivered: 3, read: 4 };
type OutboxStatus = (typeof messageOutbox.$inferSelect)['status'];

/** Moves an outbox row forward (never back: a late 'sent' after 'read' changes nothing). */
async function advanceOutbox(db: Db, row: typeof messageOutbox.$inferSelect, next: 'sent' | 'delivered' | 'read' | 'failed', at: Date, extra: { providerMessageId?: string; error?: string }) {
  if (row.status === 'skipped') return;
  const forward = next === 'failed'
    ? !['delivered', 'read'].includes(row.status)
    : (STATUS_RANK[next] ?? 0) > (STATUS_RANK[row.status] ?? 0) || row.status === 'failed';
  const status: OutboxStatus = forward ? next : row.status;
  await db.update(messageOutbox).set({
    status,
    ...(extra.providerMessageId && !row.providerMessageId ? { providerMessageId: extra.providerMessageId } : {}),
    ...(next !== 'failed' && !row.sentAt ? { sentAt: at } : {}),
    ...((next === 'delivered' || next === 'read') && !row.deliveredAt ? { deliveredAt: at } : {}),
    ...(next === 'read' && !row.readAt ? { readAt: at } : {}),
    ...(next === 'failed' && forward ? { error: extra.error ?? 'failed' } : {}),
  }).where(eq(messageOutbox.id, row.id));

  // The reminder this message carried (appointment_confirmations) learns it was delivered / read.
  const kind = confirmationKind(row.template);
  if (row.appointmentId && kind && (next === 'delivered' || next === 'read')) {
    const [confirmation] = await db.select({ id: appointmentConfirmations.id }).from(appointmentConfirmations)
      .where(and(eq(appointmentConfirmations.clinicId, row.clinicId), eq(appointmentConfirmations.appointmentId, row.appointmentId),
        eq(appointmentConfirmations.channel, row.channel), eq(appointmentConfirmations.kind, kind)))
      .orderBy(desc(appointmentConfirmations.sentAt)).limit(1);
    if (confirmation) {
      await db.update(appointmentConfirmations).set({
        deliveredAt: sql`coalesce(${appointmentConfirmations.deliveredAt}, ${at.toISOString()}::timestamptz)`,
        ...(next === 'read' ? { read: true, readAt: sql`coalesce(${appointmentConfirmations.readAt}, ${at.toISOString()}::timestamptz)` } : {}),
      }).where(eq(appointmentConfirmations.id, confirmation.id));
    }
  }
}

/** Our template key → the appointment_confirmations kind it tracks. */
export function confirmationKind(template: string | null): 'confirmacao' | 'lembrete_24h' | 'lembrete_2h' | null {
  switch (template) {
    case 'reminder_24h': case 'lembrete_24h': return 'lembrete_24h';
    case 'reminder_2h': case 'lembrete_2h': return 'lembrete_2h';
    case 'confirmation': case 'appointment_confirmation': case 'confirmacao': return 'confirmacao';
    default: return null;
  }
}

async function findOutbox(db: Db, outboxId: string | undefined, providerMessageId: string | undefined) {
  if (outboxId && UUID.test(outboxId)) {
    const [row] = await db.select().from(messageOutbox).where(eq(messageOutbox.id, outboxId));
    if (row) return row;
  }
  if (providerMessageId) {
    const [row] = await db.select().from(messageOutbox).where(eq(messageOutbox.providerMessageId, providerMessageId)).limit(1);
    if (row) return row;
  }
  return null;
}

/** Inserts the receipt; false when this event was already received (a redelivery). */
async function firstDelivery(db: Db, provider: 'twilio' | 'sendgrid', eventId: string, payload: unknown) {
  const [row] = await db.insert(webhookDeliveries).values({ provider, providerEventId: eventId, payload: payload as object })
    .onConflictDoNothing({ target: [webhookDeliveries.provider, webhookDeliveries.providerEventId] }).returning({ id: webhookDeliveries.id });
  return row?.id ?? null;
}

const inboundDeps = (deps: ApiDeps): InboundDeps => ({ db: deps.db, env: deps.env, log: deps.log, temporal: deps.temporal, now: deps.now });

/** Mounted at /webhooks/twilio. */
export function twilioWebhookRoutes(deps: ApiDeps) {
  const inbound = (channel: 'whatsapp' | 'sms') => async (c: Context<AppEnv>) => {
    const params = await verifiedTwilioForm(c, deps);
    const outcome = await processTwilioInbound(inboundDeps(deps), { channel, params });
    c.get('log').info({ channel, sid: params.MessageSid, duplicate: outcome.duplicate, outcome: outcome.result?.outcome, ignored: outcome.ignored }, 'twilio inbound');
    return c.body(EMPTY_TWIML, 200, { 'Content-Type': 'text/xml' });
  };
  return router()
    .post('/whatsapp', inbound('whatsapp'))
    .post('/sms', inbound('sms'))
    .post('/status', async (c) => {
      const params = await verifiedTwilioForm(c, deps);
      const sid = params.MessageSid ?? params.SmsSid;
      const status = params.MessageStatus ?? params.SmsStatus;
      if (!sid || !status) return c.body(null, 204);
      const receipt = await firstDelivery(deps.db, 'twilio', `status:${sid}:${status}`, params);
      if (!receipt) return c.body(null, 204);
      const row = await findOutbox(deps.db, c.req.query('outbox'), sid);
      const at = deps.now();
      if (row) {
        const next = ({ queued: 'sent', accepted: 'sent', sending: 'sent', sent: 'sent', delivered: 'delivered', read: 'read', failed: 'failed', undelivered: 'failed' } as const)[status as 'sent'];
        if (next) await advanceOutbox(deps.db, row, next, at, { providerMessageId: sid, error: `twilio ${status}${params.ErrorCode ? ` ${params.ErrorCode}` : ''}` });
      }
      await deps.db.update(webhookDeliveries).set({ clinicId: row?.clinicId ?? null, processedAt: at, error: row ? null : 'outbox_not_found' })
        .where(eq(webhookDeliveries.id, receipt));
      return c.body(null, 204);
    });
}

interface SendGridEvent {
  event?: string;
  email?: string;
  timestamp?: number;
  sg_event_id?: string;
  sg_message_id?: string;
  outbox_id?: string;
  clinic_id?: string;
  reason?: string;
  type?: string;
}

/** Mounted at /webhooks/sendgrid. */
export function sendgridWebhookRoutes(deps: ApiDeps) {
  return router().post('/', async (c) => {
    const publicKey = deps.env.SENDGRID_WEBHOOK_PUBLIC_KEY;
    if (!publicKey) throw badSignature('SendGrid');
    const raw = await c.req.text();
    const signature = c.req.header(SENDGRID_SIGNATURE_HEADER);
    const timestamp = c.req.header(SENDGRID_TIMESTAMP_HEADER);
    if (!validSendGridSignature(publicKey, raw, signature, timestamp)) throw badSignature('SendGrid');
    const signedAt = Number(timestamp) * 1000;
    if (!Number.isFinite(signedAt) || Math.abs(deps.now().getTime() - signedAt) > SENDGRID_MAX_SKEW_MS) {
      throw new ApiError(403, 'forbidden', 'Evento do SendGrid fora da janela de tempo permitida (possível repetição).');
    }
    let events: SendGridEvent[];
    try {
      const parsed = JSON.parse(raw) as unknown;
      if (!Array.isArray(parsed)) throw new Error('not an array');
      events = parsed as SendGridEvent[];
    } catch {
      throw new ApiError(400, 'malformed_json', 'O corpo deve ser a lista JSON de eventos do SendGrid.');
    }
    let processed = 0;
    for (const event of events) {
      if (!event || typeof event !== 'object' || !event.sg_event_id || !event.event) continue;
      const receipt = await firstDelivery(deps.db, 'sendgrid', event.sg_event_id, event);
      if (!receipt) continue;
      processed++;
      const at = typeof event.timestamp === 'number' ? new Date(event.timestamp * 1000) : deps.now();
      const row = await findOutbox(deps.db, event.outbox_id, event.sg_message_id?.split('.')[0]);
      // Our custom_args name the clinic even when the outbox row is gone (signed, so trusted if it exists).
      const clinicId = row?.clinicId ?? (event.clinic_id && UUID.test(event.clinic_id)
        ? (await deps.db.select({ id: clinics.id }).from(clinics).where(eq(clinics.id, event.clinic_id)))[0]?.id ?? null
        : null);
      const email = event.email?.trim().toLowerCase();
      switch (event.event) {
        case 'delivered': if (row) await advanceOutbox(deps.db, row, 'delivered', at, {}); break;
        case 'open': case 'click': if (row) await advanceOutbox(deps.db, row, 'read', at, {}); break;
        case 'bounce': case 'dropped': case 'spamreport':
          if (row && event.event !== 'spamreport') await advanceOutbox(deps.db, row, 'failed', at, { error: `sendgrid ${event.event}${event.reason ? `: ${event.reason}` : ''}`.slice(0, 500) });
          if (clinicId && email) {
            await deps.db.insert(emailSuppressions).values({ clinicId, email, reason: event.event, detail: event.reason?.slice(0, 500) ?? null })
              .onConflictDoNothing({ target: [emailSuppressions.clinicId, emailSuppressions.email] });
          }
          break;
        case 'unsubscribe': case 'group_unsubscribe':
          // The patient's e-mail opt-out: the same LGPD rule as "SAIR" on WhatsApp.
          if (row?.patientId) {
            const patientId = row.patientId;
            await withClinic(deps.db, row.clinicId, (tx) => applyOptOut(tx, { clinicId: row.clinicId, patientId, channel: 'email', at, source: 'email' }));
          }
          break;
        default: break; // processed, deferred…: nothing to record
      }
      await deps.db.update(webhookDeliveries).set({ clinicId, processedAt: deps.now(), error: row ? null : 'outbox_not_found' }).where(eq(webhookDeliveries.id, receipt));
    }
    return c.json({ received: events.length, processed }, 200);
  });
}
