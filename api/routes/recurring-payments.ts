// /api/recurring-payments: monthly plans (pagamentos recorrentes) as Stripe subscriptions (or local ones),
// with the dunning state of failed renewals (the last invoice's payment and why it failed).
import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, inArray, like } from 'drizzle-orm';
import { patients, payments, recurringPaymentStatus, recurringPayments } from '../../db/schema';
import { localDate } from '../../domain/timezone';
import { defaultPaymentProvider, type PaymentProvider } from '../../providers/payments';
import type { ApiDeps } from '../context';
import { ApiError, errors } from '../../services/errors';
import { recordAudit } from '../audit';
import { bearer, errorResponses, router, jsonResponse } from '../openapi';
import { IdParam } from '../catalog/common';
import { chargeCap, checkAmount, clinicPaymentSettings } from '../../services/payments/service';

const tags = ['Planos recorrentes'];
const Plan = z.object({
  id: z.string(), patientId: z.string(), patientName: z.string(), amountCents: z.number().int(), dayOfMonth: z.number().int(),
  status: z.enum(recurringPaymentStatus.enumValues), nextDate: z.string().nullable(), stripeSubscriptionId: z.string().nullable(), description: z.string().nullable(),
  lastRenewal: z.object({ paymentId: z.string(), status: z.string(), failureReason: z.string().nullable(), createdAt: z.string() }).nullable(),
}).openapi('RecurringPayment');

const NewPlan = z.strictObject({
  patientId: z.uuid({ message: 'Paciente: identificador inválido.' }),
  amountCents: z.number({ message: 'Informe o valor em centavos.' }).int('O valor deve ser um número inteiro de centavos.'),
  dayOfMonth: z.number({ message: 'Informe o dia do mês.' }).int().min(1, 'Dia entre 1 e 28.').max(28, 'Dia entre 1 e 28.'),
  description: z.string().trim().min(2, 'A descrição deve ter ao menos 2 caracteres.').max(200, 'A descrição deve ter no máximo 200 caracteres.'),
}).openapi('NewRecurringPayment');

/** The next date (YYYY-MM-DD) with the given day of the month, from today (inclusive). */
export function nextMonthlyDate(today: string, dayOfMonth: number): string {
  const [y, m, d] = today.split('-').map(Number);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d <= dayOfMonth) return `${y}-${pad(m)}-${pad(dayOfMonth)}`;
  return m === 12 ? `${y + 1}-01-${pad(dayOfMonth)}` : `${y}-${pad(m + 1)}-${pad(dayOfMonth)}`;
}

export function recurringPaymentRoutes(deps: ApiDeps, opts: { provider?: PaymentProvider } = {}) {
  const provider = opts.provider ?? defaultPaymentProvider(deps.env);
  return router()
    .openapi(
      createRoute({ method: 'get', path: '/', tags, summary: 'Planos mensais, com a última renovação (e o motivo da falha)', security: bearer,
        responses: { 200: jsonResponse('Planos', z.object({ plans: z.array(Plan) })), ...errorResponses(401) } }),
      async (c) => {
        const auth = c.get('auth');
        const plans = await c.get('tenant')(async (tx) => {
          const rows = await tx.select({ r: recurringPayments, name: patients.name }).from(recurringPayments).innerJoin(patients, eq(patients.id, recurringPayments.patientId))
            .where(eq(recurringPayments.clinicId, auth.clinicId)).orderBy(desc(recurringPayments.createdAt));
          const patientIds = [...new Set(rows.map((r) => r.r.patientId))];
          const renewals = patientIds.length ? await tx.select().from(payments)
            .where(and(eq(payments.clinicId, auth.clinicId), inArray(payments.patientId, patientIds), like(payments.stripePaymentId, 'in\\_%')))
            .orderBy(desc(payments.createdAt)) : [];
          return rows.map(({ r, name }) => {
            const last = renewals.find((p) => p.patientId === r.patientId && p.description === (r.description ?? 'Plano mensal'));
            return {
              id: r.id, patientId: r.patientId, patientName: name, amountCents: r.amountCents, dayOfMonth: r.dayOfMonth, status: r.status, nextDate: r.nextDate,
              stripeSubscriptionId: r.stripeSubscriptionId, description: r.description,
              lastRenewal: last ? { paymentId: last.id, status: last.status, failureReason: last.failureReason, createdAt: last.createdAt.toISOString() } : null,
            };
          });
        });
        return c.json({ plans }, 200);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/', tags, summary: 'Novo plano mensal (assinatura no Stripe)', security: bearer,
        request: { body: { content: { 'application/json': { schema: NewPlan } }, required: true } },
        responses: { 201: jsonResponse('Plano criado', z.object({ plan: Plan })), ...errorResponses(400, 401, 403, 404, 503) } }),
      async (c) => {
        const b = c.req.valid('json');
        const auth = c.get('auth');
        const plan = await c.get('tenant')(async (tx) => {
          const { clinic, settings } = await clinicPaymentSettings(tx, auth.clinicId);
          checkAmount(b.amountCents, chargeCap(deps.env, settings));
          const [patient] = await tx.select().from(patients).where(and(eq(patients.id, b.patientId), eq(patients.clinicId, auth.clinicId)));
          if (!patient) throw errors.notFound('Paciente');
          const [row] = await tx.insert(recurringPayments).values({
            clinicId: auth.clinicId, patientId: patient.id, amountCents: b.amountCents, dayOfMonth: b.dayOfMonth, description: b.description,
            nextDate: nextMonthlyDate(localDate(deps.now(), clinic.timezone), b.dayOfMonth),
          }).returning();
          let sub;
          try {
            sub = await provider.createSubscription({
              amountCents: b.amountCents, currency: 'brl', description: `${clinic.name}: ${b.description}`, dayOfMonth: b.dayOfMonth,
              customer: { name: patient.name, email: patient.email, phone: patient.phone },
              metadata: { recurringPaymentId: row.id, clinicId: auth.clinicId, patientId: patient.id }, idempotencyKey: `plan:${row.id}`,
            });
          } catch (err) {
            c.get('log').error({ err }, 'subscription not created');
            throw new ApiError(503, 'unavailable', 'O processador de pagamentos não respondeu. Nada foi criado; tente novamente.');
          }
          const [saved] = await tx.update(recurringPayments).set({ stripeSubscriptionId: sub.subscriptionId }).where(eq(recurringPayments.id, row.id)).returning();
          await recordAudit(tx, c, { action: 'recurring_payment.create', entity: 'recurring_payment', entityId: row.id, after: saved });
          return { ...saved, patientName: patient.name };
        });
        return c.json({ plan: { ...plan, lastRenewal: null, id: plan.id, patientName: plan.patientName } }, 201);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/{id}/cancel', tags, summary: 'Cancelar o plano (e a assinatura)', security: bearer, request: { params: IdParam },
        responses: { 200: jsonResponse('Plano cancelado', z.object({ id: z.string(), status: z.string() })), ...errorResponses(400, 401, 403, 404, 409, 503) } }),
      async (c) => {
        const { id } = c.req.valid('param');
        const auth = c.get('auth');
        const out = await c.get('tenant')(async (tx) => {
          const [plan] = await tx.select().from(recurringPayments).where(and(eq(recurringPayments.id, id), eq(recurringPayments.clinicId, auth.clinicId))).for('update');
          if (!plan) throw errors.notFound('Plano');
          if (plan.status === 'cancelado') throw new ApiError(409, 'conflict', 'Este plano já está cancelado.');
          if (plan.stripeSubscriptionId) {
            try { await provider.cancelSubscription(plan.stripeSubscriptionId, `plan-cancel:${plan.id}`); } catch (err) {
              c.get('log').error({ err }, 'subscription not cancelled');
              throw new ApiError(503, 'unavailable', 'O processador de pagamentos não respondeu. O plano continua ativo; tente novamente.');
            }
          }
          const [saved] = await tx.update(recurringPayments).set({ status: 'cancelado', nextDate: null }).where(eq(recurringPayments.id, plan.id)).returning();
          await recordAudit(tx, c, { action: 'recurring_payment.cancel', entity: 'recurring_payment', entityId: plan.id, before: plan, after: saved });
          return { id: saved.id, status: saved.status };
        });
        return c.json(out, 200);
      },
    );
}

