// The Twilio inbound webhook's work after its signature check (also the simulator's entry): the
// delivery is recorded once by MessageSid, the clinic found by the number written to, and the
// message routed (route.ts).
import crypto from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Env } from '../../config/env';
import type { Db } from '../../db/client';
import { clinics, webhookDeliveries } from '../../db/schema';
import { normalizePhone } from '../../domain/phone';
import { routeInbound, type InboundDeps, type RouteResult } from './route';

export type TwilioParams = Record<string, string>;

export interface TwilioInboundResult {
  duplicate: boolean;
  clinicId: string | null;
  result: RouteResult | null;
  /** Why nothing was done ('clinic_not_found', 'sender_invalid', 'message_sid_missing'). */
  ignored?: string;
}

/** The clinic a message was sent to: its `settings.whatsappNumber`, or the only clinic behind the env sender. */
async function clinicForNumber(db: Db, env: Env, to: string | null): Promise<string | null> {
  if (to) {
    const [byNumber] = await db.select({ id: clinics.id }).from(clinics).where(sql`${clinics.settings}->>'whatsappNumber' = ${to}`).limit(2);
    if (byNumber) return byNumber.id;
  }
  const shared = [env.TWILIO_WHATSAPP_FROM, env.TWILIO_SMS_FROM].filter(Boolean);
  if (!to || shared.includes(to)) {
    const only = await db.select({ id: clinics.id }).from(clinics).limit(2);
    if (only.length === 1) return only[0].id;
  }
  return null;
}

/** A Twilio-style message id for the simulator ('SM' + 32 hex). */
export const simulatedMessageSid = () => `SM${crypto.randomBytes(16).toString('hex')}`;

export async function processTwilioInbound(
  deps: InboundDeps,
  input: { channel: 'whatsapp' | 'sms'; params: TwilioParams; clinicId?: string },
): Promise<TwilioInboundResult> {
  const { params } = input;
  const sid = params.MessageSid ?? params.SmsMessageSid;
  if (!sid) return { duplicate: false, clinicId: null, result: null, ignored: 'message_sid_missing' };
  const [fresh] = await deps.db.insert(webhookDeliveries).values({ provider: 'twilio', providerEventId: `inbound:${sid}`, payload: params })
    .onConflictDoNothing({ target: [webhookDeliveries.provider, webhookDeliveries.providerEventId] }).returning({ id: webhookDeliveries.id });
  if (!fresh) return { duplicate: true, clinicId: null, result: null };

  const finish = async (clinicId: string | null, error: string | null) => {
    await deps.db.update(webhookDeliveries).set({ clinicId, processedAt: deps.now(), error }).where(eq(webhookDeliveries.id, fresh.id));
  };
  const from = normalizePhone(params.From ?? '', { international: true });
  const to = params.To ? normalizePhone(params.To, { international: true }) : null;
  if (!from) {
    await finish(null, 'sender_invalid');
    return { duplicate: false, clinicId: null, result: null, ignored: 'sender_invalid' };
  }
  const clinicId = input.clinicId ?? (await clinicForNumber(deps.db, deps.env, to));
  if (!clinicId) {
    await finish(null, 'clinic_not_found');
    return { duplicate: false, clinicId: null, result: null, ignored: 'clinic_not_found' };
  }
  const numMedia = Math.min(Number.parseInt(params.NumMedia ?? '0', 10) || 0, 10);
  const mediaUrls = Array.from({ length: numMedia }, (_, i) => params[`MediaUrl${i}`]).filter((u): u is string => Boolean(u));
  try {
    const result = await routeInbound(deps, {
      clinicId, from, to, channel: input.channel, text: params.Body ?? '', messageId: sid, receivedAt: deps.now(), mediaUrls,
      profileName: params.ProfileName?.trim() || null,
    });
    await finish(clinicId, result?.error ?? null);
    return { duplicate: result === null, clinicId, result };
  } catch (err) {
    // Forget the receipt so Twilio's retry (or a replay by an operator) can process the message.
    await deps.db.delete(webhookDeliveries).where(eq(webhookDeliveries.id, fresh.id)).catch(() => {});
    throw err;
  }
}

