// The one place payment events change the database: Stripe's webhook and the local checkout page both
// end here. Each event is applied in one transaction together with its webhook_deliveries receipt
// (provider event id unique → a repeat is a no-op), under a row lock on the payment, so concurrent
// deliveries take turns. Order does not matter:
//  - a refund that arrives before the success it refers to is recorded (payment_refunds) and the
//    success then lands as 'reembolsado' when everything went back;
//  - an event whose PaymentIntent we cannot place yet stays in webhook_deliveries unprocessed
//    ('aguardando_pagamento') and is replayed as soon as a later event links that PaymentIntent;
//  - a late failure or expiry never undoes a success.
// Commissions and loyalty points follow in the same transaction (syncCommissions, services/loyalty).
// After the commit, the appointment's journey gets `paymentReceived` (not running = ignored).
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Client } from '../../journeys/temporal';
import { signalPaymentReceived } from '../../journeys/handovers';
import type { Logger } from '../../config/logger';
import type { Db, Tx } from '../../db/client';
import {
  conversations,
  appointments, clinics, commissionEntries, paymentCheckouts, paymentRefunds, payments, professionals, recurringPayments, webhookDeliveries,
} from '../../db/schema';
import { appointmentPaymentState, commissionFor, commissionReversal, paymentState, type PaymentState } from '../../domain/money';
import { appointmentWorkflowId, type PaymentReceived } from '../../workflows/definitions';
import { releaseCouponOf } from '../coupons';
import { syncLoyalty } from '../loyalty';

type Method = 'cartao' | 'pix';
/** How an event points at our payment; linkId = the Stripe Payment Link a Checkout Session came from. */
interface Ref { paymentId?: string; paymentIntentId?: string; sessionId?: string; linkId?: string }

export type PaymentEvent =
  | ({ type: 'checkout_completed'; sessionId: string; paid: boolean; method?: Method } & Ref)
  | ({ type: 'checkout_expired'; sessionId: string } & Ref)
  | ({ type: 'payment_succeeded'; amountCents?: number; method?: Method; receiptUrl?: string; feeCents?: number } & Ref)
  | ({ type: 'payment_failed'; reason: string } & Ref)
  | ({ type: 'refunded'; chargeId?: string; totalRefundedCents?: number; refunds: { id: string; amountCents: number; reason?: string }[] } & Ref)
  | { type: 'invoice_paid'; invoiceId: string; subscriptionId: string; amountCents: number }
  | { type: 'invoice_failed'; invoiceId: string; subscriptionId: string; amountCents: number; attemptCount?: number; nextAttemptAt?: string | null }
  | { type: 'subscription_changed'; subscriptionId: string; status: string };

export type EventOutcome =
  | { result: 'duplicate' }
  | { result: 'applied'; clinicId: string; paymentId?: string; signal?: { workflowId: string; payload: PaymentReceived } }
  | { result: 'waiting'; reason: string }
  | { result: 'ignored'; reason: string };

export interface PaymentEventDeps {
  db: Db;
  temporal: Client;
  log: Logger;
  now(): Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
type PaymentRow = typeof payments.$inferSelect;
const WAITING = 'aguardando_pagamento';

/** Receives one event: stores its receipt, applies it, signals the journey. Never throws for unknown objects. */
export async function receivePaymentEvent(
  deps: PaymentEventDeps,
  input: { provider: 'stripe'; eventId: string; event: PaymentEvent | null; raw?: unknown },
): Promise<EventOutcome> {
  const outcome = await deps.db.transaction(async (tx): Promise<EventOutcome> => {
    const [delivery] = await tx.insert(webhookDeliveries)
      .values({ provider: input.provider, providerEventId: input.eventId, payload: { event: input.event, raw: input.raw ?? null } })
      .onConflictDoNothing({ target: [webhookDeliveries.provider, webhookDeliveries.providerEventId] })
      .returning({ id: webhookDeliveries.id });
    if (!delivery) return { result: 'duplicate' } as const;
    const mark = (values: { clinicId?: string | null; error?: string | null; processed: boolean }) =>
      tx.update(webhookDeliveries).set({
        clinicId: values.clinicId ?? null, error: values.error ?? null, processedAt: values.processed ? deps.now() : null,
      }).where(eq(webhookDeliveries.id, delivery.id));

    if (!input.event) {
      await mark({ processed: true, error: 'evento_ignorado' });
      return { result: 'ignored', reason: 'evento_ignorado' } as const;
    }
    const out = await applyEvent(tx, deps, input.event);
    if (out.result === 'applied') await mark({ clinicId: out.clinicId, processed: true });
    else if (out.result === 'waiting') await mark({ processed: false, error: WAITING });
    else await mark({ processed: true, error: 'reason' in out ? out.reason : null });
    return out;
  });

  if (outcome.result === 'ignored' || outcome.result === 'waiting') {
    deps.log.warn({ eventId: input.eventId, type: input.event?.type, reason: outcome.reason }, 'payment event acknowledged without effect');
  }
  if (outcome.result === 'applied' && outcome.signal) await signalPaymentReceived(deps.temporal, deps.log, outcome.signal.workflowId, outcome.signal.payload);
  return outcome;
}

async function findPayment(tx: Tx, ref: Ref): Promise<PaymentRow | null> {
  const lock = async (where: ReturnType<typeof eq>) => (await tx.select().from(payments).where(where).for('update').limit(1))[0] ?? null;
  if (ref.paymentId && UUID.test(ref.paymentId)) {
    const row = await lock(eq(payments.id, ref.paymentId));
    if (row) return row;
  }
  const sessions = [ref.sessionId, ref.linkId].filter((x): x is string => !!x);
  if (sessions.length) {
    const [checkout] = await tx.select({ paymentId: paymentCheckouts.paymentId }).from(paymentCheckouts).where(inArray(paymentCheckouts.providerSessionId, sessions));
    if (checkout) return lock(eq(payments.id, checkout.paymentId));
    const row = await lock(inArray(payments.stripePaymentId, sessions));
    if (row) return row;
  }
  if (ref.paymentIntentId) return lock(eq(payments.stripePaymentIntentId, ref.paymentIntentId));
  return null;
}

async function applyEvent(tx: Tx, deps: PaymentEventDeps, event: PaymentEvent): Promise<EventOutcome> {
  if (event.type === 'invoice_paid' || event.type === 'invoice_failed' || event.type === 'subscription_changed') return applySubscriptionEvent(tx, deps, event);

  const payment = await findPayment(tx, event);
  if (!payment) {
    // A refund or a PaymentIntent event we cannot place yet: kept, replayed when the PaymentIntent is linked.
    if (event.paymentIntentId && (event.type === 'refunded' || event.type === 'payment_succeeded' || event.type === 'payment_failed')) {
      return { result: 'waiting', reason: WAITING };
    }
    return { result: 'ignored', reason: 'objeto_desconhecido' };
  }
  const result = await applyToPayment(tx, deps, payment, event);
  // This event may have linked the PaymentIntent: earlier events that waited for it apply now, in order.
  const [after] = await tx.select().from(payments).where(eq(payments.id, payment.id));
  let signal = result.signal;
  if (after.stripePaymentIntentId && after.stripePaymentIntentId !== payment.stripePaymentIntentId) {
    const waiting = await tx.select().from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.provider, 'stripe'), isNull(webhookDeliveries.processedAt), eq(webhookDeliveries.error, WAITING),
        sql`${webhookDeliveries.payload}->'event'->>'paymentIntentId' = ${after.stripePaymentIntentId}`))
      .orderBy(asc(webhookDeliveries.receivedAt)).for('update');
    for (const d of waiting) {
      const current = (await tx.select().from(payments).where(eq(payments.id, payment.id)))[0];
      const replay = await applyToPayment(tx, deps, current, (d.payload as { event: PaymentEvent }).event);
      signal ??= replay.signal;
      await tx.update(webhookDeliveries).set({ clinicId: payment.clinicId, processedAt: deps.now(), error: null }).where(eq(webhookDeliveries.id, d.id));
    }
  }
  return { result: 'applied', clinicId: payment.clinicId, paymentId: payment.id, ...(signal ? { signal } : {}) };
}

async function applyToPayment(tx: Tx, deps: PaymentEventDeps, p: PaymentRow, event: PaymentEvent): Promise<{ signal?: { workflowId: string; payload: PaymentReceived } }> {
  const now = deps.now();
  const linkIntent = 'paymentIntentId' in event && event.paymentIntentId && !p.stripePaymentIntentId ? { stripePaymentIntentId: event.paymentIntentId } : {};
  let succeeded = false;

  switch (event.type) {
    case 'checkout_completed': {
      await tx.update(paymentCheckouts).set({ status: event.paid ? 'pago' : 'aberto' }).where(inArray(paymentCheckouts.providerSessionId, [event.sessionId, ...(event.linkId ? [event.linkId] : [])]));
      if (event.paid) succeeded = true;
      else if (p.status === 'pendente') await tx.update(payments).set({ status: 'processando', ...linkIntent }).where(eq(payments.id, p.id));
      if (!event.paid) return {};
      break;
    }
    case 'payment_succeeded':
      succeeded = true;
      break;
    case 'checkout_expired': {
      if (event.linkId) return {}; // one session of a reusable payment link expired: the link still works
      await tx.update(paymentCheckouts).set({ status: 'expirado' }).where(and(eq(paymentCheckouts.providerSessionId, event.sessionId), eq(paymentCheckouts.status, 'aberto')));
      if (p.status === 'pendente' || p.status === 'processando') {
        await tx.update(payments).set({ status: 'pendente', failureReason: 'O link de pagamento expirou.' }).where(eq(payments.id, p.id));
        await releaseCouponOf(tx, p.id); // the coupon it held can be used on the next charge
      }
      return {};
    }
    case 'payment_failed': {
      if (p.status === 'aprovado' || p.status === 'reembolsado') return {}; // a late failure never undoes a success
      await tx.update(payments).set({ status: 'recusado', failureReason: event.reason.slice(0, 500), ...linkIntent }).where(eq(payments.id, p.id));
      return {};
    }
    case 'refunded': {
      for (const r of event.refunds) {
        await tx.insert(paymentRefunds).values({ clinicId: p.clinicId, paymentId: p.id, amountCents: r.amountCents, reason: r.reason ?? 'Reembolso no Stripe', providerRefundId: r.id })
          .onConflictDoNothing();
      }
      let total = await refundedTotal(tx, p.id);
      // Without the refund list (recent API versions), the charge's total tells what is missing.
      if (event.totalRefundedCents != null && event.totalRefundedCents > total) {
        await tx.insert(paymentRefunds).values({
          clinicId: p.clinicId, paymentId: p.id, amountCents: event.totalRefundedCents - total, reason: 'Reembolso no Stripe',
          providerRefundId: `${event.chargeId ?? event.paymentIntentId}:total:${event.totalRefundedCents}`,
        }).onConflictDoNothing();
        total = await refundedTotal(tx, p.id);
      }
      const status = paymentState(false, p.amountCents, total, p.status);
      await tx.update(payments).set({
        refundedCents: total, status, ...linkIntent,
        ...(status === 'reembolsado' && !p.refundedAt ? { refundedAt: now } : {}),
      }).where(eq(payments.id, p.id));
      await syncCommissions(tx, p.id);
      await syncLoyalty(tx, p.id, now);
      await syncAppointmentStatus(tx, p.appointmentId);
      return {};
    }
  }

  if (!succeeded) return {};
  const alreadyPaid = p.status === 'aprovado' || p.status === 'reembolsado';
  const method = event.type === 'payment_succeeded' || event.type === 'checkout_completed' ? event.method : undefined;
  const status = paymentState(true, p.amountCents, p.refundedCents, p.status);
  await tx.update(payments).set({
    status, ...linkIntent,
    ...(method ? { method } : {}), // the charge itself says how it was paid
    ...(event.type === 'payment_succeeded' && event.receiptUrl ? { receiptUrl: event.receiptUrl } : {}),
    ...(event.type === 'payment_succeeded' && event.feeCents != null ? { feeCents: event.feeCents } : {}),
    processedAt: p.processedAt ?? now, failureReason: null,
    ...(status === 'reembolsado' && !p.refundedAt ? { refundedAt: now } : {}),
  }).where(eq(payments.id, p.id));
  await tx.update(paymentCheckouts).set({ status: 'pago' }).where(and(eq(paymentCheckouts.paymentId, p.id), eq(paymentCheckouts.status, 'aberto')));
  await syncCommissions(tx, p.id);
  await syncLoyalty(tx, p.id, now);
  await syncAppointmentStatus(tx, p.appointmentId);
  if (alreadyPaid) return {};
  let workflowId = p.appointmentId ? appointmentWorkflowId(p.appointmentId) : null;
  if (!workflowId && p.conversationId) {
    const [conv] = await tx.select({ workflowId: conversations.workflowId }).from(conversations).where(eq(conversations.id, p.conversationId));
    workflowId = conv?.workflowId ?? null;
  }
  if (!workflowId) return {};
  return {
    signal: {
      workflowId,
      payload: { paymentId: p.id, amountCents: p.amountCents, kind: p.kind === 'deposit' ? 'deposit' : 'full', method: method ?? p.method, paidAt: now.toISOString() },
    },
  };
}

export async function refundedTotal(tx: Tx, paymentId: string): Promise<number> {
  const [row] = await tx.select({ total: sql<number>`coalesce(sum(${paymentRefunds.amountCents}), 0)::int` }).from(paymentRefunds).where(eq(paymentRefunds.paymentId, paymentId));
  return row?.total ?? 0;
}

/** appointments.payment_status from all of the appointment's payments. */
export async function syncAppointmentStatus(tx: Tx, appointmentId: string | null) {
  if (!appointmentId) return;
  const rows = await tx.select({ status: payments.status, amountCents: payments.amountCents, refundedCents: payments.refundedCents })
    .from(payments).where(eq(payments.appointmentId, appointmentId));
  await tx.update(appointments).set({ paymentStatus: appointmentPaymentState(rows as { status: PaymentState; amountCents: number; refundedCents: number }[]) })
    .where(eq(appointments.id, appointmentId));
}

/**
 * The commission ledger for one payment, idempotent: one entry once the payment is in and its
 * appointment was realised (the appointment's professional; fixed per procedure or their percentage,
 * optionally after card fees), whichever comes last, and one reversal per refund, proportional, so
 * reversals of a full refund cancel the commission exactly. A deposit for a visit still ahead earns nothing yet.
 */
export async function syncCommissions(tx: Tx, paymentId: string) {
  const [p] = await tx.select().from(payments).where(eq(payments.id, paymentId));
  if (!p || !p.appointmentId || (p.status !== 'aprovado' && p.status !== 'reembolsado')) return;
  const [row] = await tx.select({ professionalId: appointments.professionalId, procedureId: appointments.procedureId, status: appointments.status, bps: professionals.commissionBps, settings: clinics.settings })
    .from(appointments)
    .innerJoin(professionals, and(eq(professionals.id, appointments.professionalId), eq(professionals.clinicId, appointments.clinicId)))
    .innerJoin(clinics, eq(clinics.id, appointments.clinicId))
    .where(eq(appointments.id, p.appointmentId));
  if (!row || row.status !== 'realizado') return;
  const settings = row.settings.payments ?? {};
  const fee = p.feeCents ?? (p.method === 'cartao' && settings.cardFeeBps ? Math.floor((p.amountCents * settings.cardFeeBps + 5000) / 10000) : 0);
  const { baseCents, commissionCents } = commissionFor(p.amountCents, fee, {
    bps: row.bps, fixedCents: settings.fixedCommissionCents?.[row.procedureId], afterCardFees: settings.commissionAfterCardFees,
  });
  if (commissionCents === 0) return;
  await tx.insert(commissionEntries).values({ clinicId: p.clinicId, professionalId: row.professionalId, paymentId: p.id, amountCents: commissionCents, baseCents }).onConflictDoNothing();
  const refunds = await tx.select().from(paymentRefunds).where(eq(paymentRefunds.paymentId, p.id)).orderBy(asc(paymentRefunds.createdAt), asc(paymentRefunds.id));
  const existing = new Set((await tx.select({ refundId: commissionEntries.refundId }).from(commissionEntries)
    .where(and(eq(commissionEntries.paymentId, p.id), inArray(commissionEntries.refundId, refunds.length ? refunds.map((r) => r.id) : ['00000000-0000-0000-0000-000000000000'])))).map((r) => r.refundId));
  let before = 0;
  for (const r of refunds) {
    const back = commissionReversal(commissionCents, p.amountCents, before, r.amountCents);
    before += r.amountCents;
    if (existing.has(r.id) || back === 0) continue;
    await tx.insert(commissionEntries).values({ clinicId: p.clinicId, professionalId: row.professionalId, paymentId: p.id, refundId: r.id, amountCents: -back, baseCents: -r.amountCents }).onConflictDoNothing();
  }
}

/** An appointment just realised: the commissions of the payments already received for it. */
export async function syncAppointmentCommissions(tx: Tx, appointmentId: string) {
  const paid = await tx.select({ id: payments.id }).from(payments)
    .where(and(eq(payments.appointmentId, appointmentId), inArray(payments.status, ['aprovado', 'reembolsado'])));
  for (const p of paid) await syncCommissions(tx, p.id);
}

async function applySubscriptionEvent(tx: Tx, deps: PaymentEventDeps, event: Extract<PaymentEvent, { subscriptionId: string }>): Promise<EventOutcome> {
  const [plan] = await tx.select().from(recurringPayments).where(eq(recurringPayments.stripeSubscriptionId, event.subscriptionId)).for('update');
  if (!plan) return { result: 'ignored', reason: 'objeto_desconhecido' };
  if (event.type === 'subscription_changed') {
    const status = event.status === 'canceled' || event.status === 'incomplete_expired' ? 'cancelado'
      : event.status === 'active' || event.status === 'trialing' ? 'ativo' : 'suspenso';
    if (plan.status !== 'cancelado') await tx.update(recurringPayments).set({ status }).where(eq(recurringPayments.id, plan.id));
    return { result: 'applied', clinicId: plan.clinicId };
  }
  // Each invoice is one payment row (stripe_payment_id = in_…): a failure, retried by Stripe's dunning, then paid.
  const paid = event.type === 'invoice_paid';
  const failure = event.type === 'invoice_failed'
    ? `Renovação recusada (tentativa ${event.attemptCount ?? 1}${event.nextAttemptAt ? `; nova tentativa em ${event.nextAttemptAt.slice(0, 10)}` : '; sem novas tentativas'}).`
    : null;
  const [existing] = await tx.select().from(payments).where(eq(payments.stripePaymentId, event.invoiceId)).for('update');
  if (existing) {
    if (existing.status !== 'aprovado' && existing.status !== 'reembolsado') {
      await tx.update(payments).set(paid ? { status: 'aprovado', processedAt: deps.now(), failureReason: null } : { status: 'recusado', failureReason: failure }).where(eq(payments.id, existing.id));
    }
  } else if (event.amountCents > 0) {
    await tx.insert(payments).values({
      clinicId: plan.clinicId, patientId: plan.patientId, amountCents: event.amountCents, method: 'cartao',
      status: paid ? 'aprovado' : 'recusado', stripePaymentId: event.invoiceId, description: plan.description ?? 'Plano mensal',
      processedAt: paid ? deps.now() : null, failureReason: failure,
    });
  }
  if (plan.status !== 'cancelado') await tx.update(recurringPayments).set({ status: paid ? 'ativo' : 'suspenso' }).where(eq(recurringPayments.id, plan.id));
  return { result: 'applied', clinicId: plan.clinicId };
}
