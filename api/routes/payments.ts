// /api/payments: list with filters and totals, detail, new charge (checkout or payment link), manual
// payments (cash, boleto, card machine), refunds and the PDF receipt. Provider: Stripe when configured,
// else the local checkout page (/p/pagar/{checkout}).
import { formatBrl } from '../../domain/money';
import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { appointments, clinics, paymentCheckouts, paymentMethod, paymentRefunds, payments, paymentStatus, patients } from '../../db/schema';
import { checkRefund, depositFor } from '../../domain/money';
import { defaultPaymentProvider, webUrl, type PaymentProvider } from '../../providers/payments';
import type { ApiDeps } from '../context';
import { ApiError, errors } from '../../services/errors';
import { recordAudit } from '../audit';
import { bearer, errorResponses, router, jsonBody, jsonResponse } from '../openapi';
import { IdParam, IsoDay } from '../catalog/common';
import { appointmentWorkflowId } from '../../workflows/definitions';
import { syncAppointmentStatus, syncCommissions, refundedTotal } from '../../services/payments/events';
import { syncLoyalty } from '../../services/loyalty';
import { signalPaymentReceived } from '../../journeys/handovers';
import { chargeCap, checkAmount, checkoutView, clinicPaymentSettings, lockPayment, paymentView, refundView } from '../../services/payments/service';
import { receiptPdf } from '../../services/payments/receipt';
import { applyCoupon, redeemCoupon } from '../../services/coupons';

const tags = ['Pagamentos'];
const uuid = (what: string) => z.uuid({ message: `${what}: identificador inválido.` });
const amount = z.number({ message: 'Informe o valor em centavos (número inteiro).' }).int('O valor deve ser um número inteiro de centavos.');
const currency = z.string().refine((v) => v.toLowerCase() === 'brl', 'Somente reais (BRL) são aceitos.').optional();

const Payment = z.object({
  id: z.string(), appointmentId: z.string().nullable(), patientId: z.string(), amountCents: z.number().int(), refundedCents: z.number().int(),
  netCents: z.number().int(), discountCents: z.number().int().openapi({ description: 'Desconto do cupom (o preço é amountCents + discountCents).' }),
  couponId: z.string().nullable(), method: z.enum(paymentMethod.enumValues), status: z.enum(paymentStatus.enumValues), kind: z.enum(['full', 'deposit']),
  description: z.string().nullable(), stripePaymentId: z.string().nullable(), stripePaymentIntentId: z.string().nullable(), feeCents: z.number().int().nullable(),
  receiptUrl: z.string().nullable(), failureReason: z.string().nullable(), createdAt: z.string(), processedAt: z.string().nullable(), refundedAt: z.string().nullable(),
}).openapi('Payment');
const Checkout = z.object({ id: z.string(), provider: z.string(), sessionId: z.string(), url: z.string(), status: z.string(), pixCode: z.string().nullable(), expiresAt: z.string() }).openapi('PaymentCheckout');
const Refund = z.object({ id: z.string(), amountCents: z.number().int(), reason: z.string(), providerRefundId: z.string().nullable(), createdAt: z.string() }).openapi('PaymentRefund');
const ListItem = Payment.extend({ patientName: z.string() });
const Totals = z.object({ count: z.number().int(), amountCents: z.number().int(), approvedCents: z.number().int(), refundedCents: z.number().int(), netCents: z.number().int(), pendingCents: z.number().int() });

const NewCharge = z.strictObject({
  appointmentId: uuid('Agendamento').optional(),
  patientId: uuid('Paciente').optional(),
  amountCents: amount.optional().openapi({ description: 'Padrão: o sinal do procedimento (deposit=true) ou o preço do agendamento menos o já pago.' }),
  currency,
  description: z.string().trim().min(2, 'A descrição deve ter ao menos 2 caracteres.').max(200, 'A descrição deve ter no máximo 200 caracteres.').optional(),
  methods: z.array(z.enum(['card', 'pix'], { message: 'Formas aceitas: card e pix.' })).min(1, 'Escolha ao menos uma forma de pagamento.').optional(),
  deposit: z.boolean().optional(),
  kind: z.enum(['checkout', 'link'], { message: 'Use checkout ou link.' }).optional(),
  couponCode: z.string().trim().min(1, 'Informe o código do cupom.').max(40, 'Código de cupom inválido.').optional()
    .openapi({ description: 'Cupom da clínica (uso único): o desconto sai do valor cobrado; recusado se vencido, usado, de outro paciente ou abaixo do mínimo.' }),
  expiresInMinutes: z.number().int().min(30, 'Validade mínima de 30 minutos.').max(1440, 'Validade máxima de 24 horas.').optional(),
}).refine((b) => b.appointmentId || b.patientId, { message: 'Informe o agendamento ou o paciente.', path: ['patientId'] }).openapi('NewCharge');

const ManualPayment = z.strictObject({
  appointmentId: uuid('Agendamento').optional(),
  patientId: uuid('Paciente').optional(),
  amountCents: amount,
  currency,
  method: z.enum(['dinheiro', 'boleto', 'cartao', 'pix'], { message: 'Forma: dinheiro, boleto, cartao (maquininha) ou pix.' }),
  description: z.string().trim().max(200, 'A descrição deve ter no máximo 200 caracteres.').optional(),
  deposit: z.boolean().optional(),
  couponCode: z.string().trim().min(1, 'Informe o código do cupom.').max(40, 'Código de cupom inválido.').optional()
    .openapi({ description: 'Cupom da clínica (uso único): o desconto sai do valor cobrado; recusado se vencido, usado, de outro paciente ou abaixo do mínimo.' }),
}).refine((b) => b.appointmentId || b.patientId, { message: 'Informe o agendamento ou o paciente.', path: ['patientId'] }).openapi('ManualPayment');

const RefundBody = z.strictObject({
  amountCents: amount.optional().openapi({ description: 'Padrão: tudo o que ainda não foi reembolsado.' }),
  reason: z.string({ message: 'Informe o motivo do reembolso.' }).trim().min(3, 'O motivo deve ter ao menos 3 caracteres.').max(500, 'O motivo deve ter no máximo 500 caracteres.'),
}).openapi('RefundRequest');

export function paymentRoutes(deps: ApiDeps, opts: { provider?: PaymentProvider } = {}) {
  const provider = opts.provider ?? defaultPaymentProvider(deps.env);

  /** Patient and appointment of a new payment, checked against the clinic (and each other). */
  async function target(tx: Tx, clinicId: string, b: { appointmentId?: string; patientId?: string }) {
    let appointment: typeof appointments.$inferSelect | null = null;
    if (b.appointmentId) {
      [appointment = null] = await tx.select().from(appointments).where(and(eq(appointments.id, b.appointmentId), eq(appointments.clinicId, clinicId))).for('update');
      if (!appointment) throw errors.notFound('Agendamento');
      if (b.patientId && b.patientId !== appointment.patientId) throw new ApiError(400, 'validation_failed', 'O paciente não é o do agendamento.', { patientId: ['Paciente diferente do agendamento.'] });
    }
    const patientId = appointment?.patientId ?? b.patientId!;
    const [patient] = await tx.select({ id: patients.id, name: patients.name }).from(patients).where(and(eq(patients.id, patientId), eq(patients.clinicId, clinicId)));
    if (!patient) throw errors.notFound('Paciente');
    return { appointment, patient };
  }

  return router()
    .openapi(
      createRoute({
        method: 'get', path: '/', tags, summary: 'Pagamentos com filtros e totais', security: bearer,
        request: {
          query: z.strictObject({
            status: z.enum(paymentStatus.enumValues, { message: 'Situação inválida.' }).optional(),
            method: z.enum(paymentMethod.enumValues, { message: 'Forma de pagamento inválida.' }).optional(),
            patientId: uuid('Paciente').optional(),
            appointmentId: uuid('Agendamento').optional(),
            from: IsoDay.optional(), to: IsoDay.optional(),
            limit: z.coerce.number().int().min(1).max(500, 'No máximo 500 por página.').optional(),
          }),
        },
        responses: { 200: jsonResponse('Pagamentos (mais recentes primeiro) e totais do filtro', z.object({ payments: z.array(ListItem), totals: Totals })), ...errorResponses(400, 401) },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const auth = c.get('auth');
        const out = await c.get('tenant')(async (tx) => {
          const [clinic] = await tx.select({ timezone: clinics.timezone }).from(clinics).where(eq(clinics.id, auth.clinicId));
          const tz = clinic?.timezone ?? 'America/Sao_Paulo';
          const where: SQL[] = [eq(payments.clinicId, auth.clinicId)];
          if (q.status) where.push(eq(payments.status, q.status));
          if (q.method) where.push(eq(payments.method, q.method));
          if (q.patientId) where.push(eq(payments.patientId, q.patientId));
          if (q.appointmentId) where.push(eq(payments.appointmentId, q.appointmentId));
          if (q.from) where.push(gte(payments.createdAt, sql`(${q.from}::date)::timestamp at time zone ${tz}`));
          if (q.to) where.push(lt(payments.createdAt, sql`((${q.to}::date + 1))::timestamp at time zone ${tz}`));
          const rows = await tx.select({ p: payments, patientName: patients.name }).from(payments)
            .innerJoin(patients, eq(patients.id, payments.patientId)).where(and(...where))
            .orderBy(desc(payments.createdAt), desc(payments.id)).limit(q.limit ?? 100);
          const [t] = await tx.select({
            count: sql<number>`count(*)::int`,
            amountCents: sql<number>`coalesce(sum(${payments.amountCents}), 0)::int`,
            approvedCents: sql<number>`coalesce(sum(${payments.amountCents}) filter (where ${payments.status} in ('aprovado', 'reembolsado')), 0)::int`,
            refundedCents: sql<number>`coalesce(sum(${payments.refundedCents}), 0)::int`,
            pendingCents: sql<number>`coalesce(sum(${payments.amountCents}) filter (where ${payments.status} in ('pendente', 'processando')), 0)::int`,
          }).from(payments).where(and(...where));
          return { payments: rows.map((r) => ({ ...paymentView(r.p), patientName: r.patientName })), totals: { ...t, netCents: t.approvedCents - t.refundedCents } };
        });
        return c.json(out, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/{id}', tags, summary: 'Um pagamento, com links de pagamento e reembolsos', security: bearer,
        request: { params: IdParam },
        responses: { 200: jsonResponse('Pagamento', z.object({ payment: Payment, patient: z.object({ id: z.string(), name: z.string() }), checkouts: z.array(Checkout), refunds: z.array(Refund), refundableCents: z.number().int() })), ...errorResponses(400, 401, 404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const auth = c.get('auth');
        const out = await c.get('tenant')(async (tx) => {
          const [row] = await tx.select({ p: payments, name: patients.name }).from(payments).innerJoin(patients, eq(patients.id, payments.patientId))
            .where(and(eq(payments.id, id), eq(payments.clinicId, auth.clinicId)));
          if (!row) throw errors.notFound('Pagamento');
          const checkouts = await tx.select().from(paymentCheckouts).where(eq(paymentCheckouts.paymentId, id)).orderBy(desc(paymentCheckouts.createdAt));
          const refunds = await tx.select().from(paymentRefunds).where(eq(paymentRefunds.paymentId, id)).orderBy(asc(paymentRefunds.createdAt));
          const paid = row.p.status === 'aprovado' || row.p.status === 'reembolsado';
          return {
            payment: paymentView(row.p), patient: { id: row.p.patientId, name: row.name }, checkouts: checkouts.map(checkoutView), refunds: refunds.map(refundView),
            refundableCents: paid ? row.p.amountCents - row.p.refundedCents : 0,
          };
        });
        return c.json(out, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/', tags, summary: 'Nova cobrança: checkout (cartão/Pix) ou link de pagamento', security: bearer,
        request: { body: jsonBody(NewCharge) },
        responses: { 201: jsonResponse('Cobrança criada', z.object({ payment: Payment, checkout: Checkout })), ...errorResponses(400, 401, 403, 404, 409, 503) },
      }),
      async (c) => {
        const b = c.req.valid('json');
        const auth = c.get('auth');
        const now = deps.now();
        const out = await c.get('tenant')(async (tx) => {
          const { clinic, settings } = await clinicPaymentSettings(tx, auth.clinicId);
          const { appointment, patient } = await target(tx, auth.clinicId, b);
          let amountCents = b.amountCents;
          if (amountCents === undefined) {
            if (!appointment) throw new ApiError(400, 'validation_failed', 'Informe o valor da cobrança.', { amountCents: ['Campo obrigatório sem agendamento.'] });
            if (b.deposit) {
              amountCents = depositFor(appointment.priceCents, settings.deposits?.[appointment.procedureId]);
              if (amountCents <= 0) throw new ApiError(400, 'validation_failed', 'Este procedimento não tem sinal configurado; informe o valor.', { amountCents: ['Sem sinal configurado.'] });
            } else {
              const [paid] = await tx.select({ kept: sql<number>`coalesce(sum(${payments.amountCents} - ${payments.refundedCents} + case when ${payments.status} = 'aprovado' then ${payments.discountCents} else 0 end) filter (where ${payments.status} in ('aprovado','reembolsado')), 0)::int` })
                .from(payments).where(eq(payments.appointmentId, appointment.id));
              amountCents = appointment.priceCents - (paid?.kept ?? 0);
              if (amountCents <= 0) throw new ApiError(409, 'conflict', 'Este agendamento já está pago.');
            }
          }
          checkAmount(amountCents, chargeCap(deps.env, settings));
          const coupon = b.couponCode
            ? await applyCoupon(tx, { clinicId: auth.clinicId, code: b.couponCode, patientId: patient.id, chargeCents: amountCents, now, timeZone: clinic.timezone })
            : null;
          if (coupon) amountCents = coupon.chargeCents;
          const deadlineHours = b.deposit ? (settings.depositDeadlineHours ?? 24) : 24;
          const minutes = Math.min(b.expiresInMinutes ?? deadlineHours * 60, 24 * 60 - 1);
          const expiresAt = new Date(now.getTime() + Math.max(30, minutes) * 60_000);
          const description = b.description ?? (b.deposit ? 'Sinal do agendamento' : appointment ? 'Pagamento do agendamento' : 'Pagamento');
          const [payment] = await tx.insert(payments).values({
            clinicId: auth.clinicId, appointmentId: appointment?.id ?? null, patientId: patient.id, amountCents,
            method: b.methods?.length === 1 && b.methods[0] === 'pix' ? 'pix' : 'cartao', status: 'pendente',
            description, kind: b.deposit ? 'deposit' : 'full', couponId: coupon?.coupon.id ?? null, discountCents: coupon?.discountCents ?? 0,
          }).returning();
          if (coupon) await redeemCoupon(tx, coupon.coupon.id, { id: payment.id, discountCents: coupon.discountCents }, now);
          const reference = randomUUID();
          const metadata: Record<string, string> = { paymentId: payment.id, clinicId: auth.clinicId, ...(appointment ? { appointmentId: appointment.id } : {}), kind: payment.kind };
          const base = webUrl(deps.env);
          const input = {
            amountCents, currency: 'brl' as const, methods: b.methods ?? ['card' as const, 'pix' as const], description: `${clinic.name}: ${description}`,
            metadata, successUrl: `${base}/p/pagar/${reference}?resultado=sucesso`, cancelUrl: `${base}/p/pagar/${reference}?resultado=cancelado`,
            expiresAt, reference, idempotencyKey: `checkout:${payment.id}`,
          };
          let session: { sessionId: string; url: string; expiresAt: Date; pixCode?: string };
          try {
            session = b.kind === 'link'
              ? await provider.createPaymentLink(input).then((l) => ({ sessionId: l.linkId, url: l.url, expiresAt: new Date(now.getTime() + 30 * 86400_000), pixCode: undefined as string | undefined }))
              : await provider.createCheckout(input);
          } catch (err) {
            c.get('log').error({ err }, 'payment provider refused the checkout');
            throw new ApiError(503, 'unavailable', 'O processador de pagamentos não respondeu. Tente novamente.');
          }
          const [checkout] = await tx.insert(paymentCheckouts).values({
            id: reference, clinicId: auth.clinicId, paymentId: payment.id, provider: provider.kind, providerSessionId: session.sessionId,
            url: session.url, pixCode: session.pixCode ?? null, expiresAt: session.expiresAt,
          }).returning();
          const [saved] = await tx.update(payments).set({ stripePaymentId: session.sessionId }).where(eq(payments.id, payment.id)).returning();
          await recordAudit(tx, c, { action: 'payment.charge', entity: 'payment', entityId: payment.id, after: { ...paymentView(saved), checkout: checkoutView(checkout) } });
          return { payment: paymentView(saved), checkout: checkoutView(checkout) };
        });
        return c.json(out, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/manual', tags, summary: 'Registrar pagamento recebido na clínica (dinheiro, boleto, maquininha)', security: bearer,
        request: { body: jsonBody(ManualPayment) },
        responses: { 201: jsonResponse('Pagamento registrado como pago', z.object({ payment: Payment })), ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const b = c.req.valid('json');
        const auth = c.get('auth');
        const now = deps.now();
        const out = await c.get('tenant')(async (tx) => {
          const { clinic, settings } = await clinicPaymentSettings(tx, auth.clinicId);
          const { appointment, patient } = await target(tx, auth.clinicId, b);
          checkAmount(b.amountCents, chargeCap(deps.env, settings));
          // amountCents is the price; with a coupon, what was received is the price less the discount.
          const coupon = b.couponCode
            ? await applyCoupon(tx, { clinicId: auth.clinicId, code: b.couponCode, patientId: patient.id, chargeCents: b.amountCents, now, timeZone: clinic.timezone })
            : null;
          const [payment] = await tx.insert(payments).values({
            clinicId: auth.clinicId, appointmentId: appointment?.id ?? null, patientId: patient.id, amountCents: coupon?.chargeCents ?? b.amountCents, method: b.method,
            status: 'aprovado', description: b.description ?? null, kind: b.deposit ? 'deposit' : 'full', processedAt: now,
            couponId: coupon?.coupon.id ?? null, discountCents: coupon?.discountCents ?? 0,
          }).returning();
          if (coupon) await redeemCoupon(tx, coupon.coupon.id, { id: payment.id, discountCents: coupon.discountCents }, now);
          await syncCommissions(tx, payment.id);
          await syncLoyalty(tx, payment.id, now);
          await syncAppointmentStatus(tx, payment.appointmentId);
          await recordAudit(tx, c, { action: 'payment.manual', entity: 'payment', entityId: payment.id, after: paymentView(payment) });
          return payment;
        });
        if (out.appointmentId) {
          await signalPaymentReceived(deps.temporal, c.get('log'), appointmentWorkflowId(out.appointmentId), {
            paymentId: out.id, amountCents: out.amountCents, kind: out.kind === 'deposit' ? 'deposit' : 'full', method: out.method, paidAt: now.toISOString(),
          });
        }
        return c.json({ payment: paymentView(out) }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/{id}/refund', tags, summary: 'Reembolso total ou parcial, com motivo', security: bearer,
        request: { params: IdParam, body: jsonBody(RefundBody) },
        responses: { 200: jsonResponse('Reembolso registrado', z.object({ payment: Payment, refund: Refund })), ...errorResponses(400, 401, 403, 404, 409, 503) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const b = c.req.valid('json');
        const auth = c.get('auth');
        const out = await c.get('tenant')(async (tx) => {
          // The row lock makes refunds of one payment (and webhooks about it) take turns: never more than paid.
          const p = await lockPayment(tx, auth.clinicId, id);
          if (p.status !== 'aprovado' && p.status !== 'reembolsado') throw new ApiError(409, 'conflict', 'Só é possível reembolsar um pagamento aprovado.');
          const check = checkRefund(p.amountCents, p.refundedCents, b.amountCents);
          if (!check.ok) {
            const message = check.reason === 'nothing_left' ? 'Este pagamento já foi totalmente reembolsado.'
              : check.reason === 'above_remaining' ? `O reembolso excede o valor restante (${formatBrl(check.remainingCents)}).`
              : 'O valor do reembolso deve ser maior que zero.';
            throw new ApiError(check.reason === 'nothing_left' ? 409 : 400, check.reason === 'nothing_left' ? 'conflict' : 'validation_failed', message, { amountCents: [message] });
          }
          let providerRefundId: string | null = null;
          if (p.stripePaymentIntentId || (provider.kind === 'local' && p.stripePaymentId?.startsWith('local_'))) {
            try {
              const r = await provider.refund({
                paymentIntentId: p.stripePaymentIntentId ?? p.stripePaymentId!, amountCents: check.amountCents, reason: b.reason,
                metadata: { paymentId: p.id, clinicId: p.clinicId }, idempotencyKey: `refund:${p.id}:${p.refundedCents}:${check.amountCents}`,
              });
              if (r.status === 'failed') throw new ApiError(409, 'conflict', 'O processador recusou o reembolso.');
              providerRefundId = r.refundId;
            } catch (err) {
              if (err instanceof ApiError) throw err;
              c.get('log').error({ err }, 'refund failed at the provider');
              throw new ApiError(503, 'unavailable', 'O processador de pagamentos não respondeu. Nada foi reembolsado; tente novamente.');
            }
          }
          const [refund] = await tx.insert(paymentRefunds).values({
            clinicId: p.clinicId, paymentId: p.id, amountCents: check.amountCents, reason: b.reason, providerRefundId, createdBy: auth.userId,
          }).onConflictDoNothing().returning();
          const total = await refundedTotal(tx, p.id);
          const [saved] = await tx.update(payments).set({
            refundedCents: total, status: total >= p.amountCents ? 'reembolsado' : 'aprovado', ...(total >= p.amountCents ? { refundedAt: deps.now() } : {}),
          }).where(eq(payments.id, p.id)).returning();
          await syncCommissions(tx, p.id);
          await syncLoyalty(tx, p.id, deps.now());
          await syncAppointmentStatus(tx, p.appointmentId);
          const stored = refund ?? (await tx.select().from(paymentRefunds).where(eq(paymentRefunds.providerRefundId, providerRefundId!)))[0];
          await recordAudit(tx, c, { action: 'payment.refund', entity: 'payment', entityId: p.id, before: paymentView(p), after: { ...paymentView(saved), refund: refundView(stored) } });
          return { payment: paymentView(saved), refund: refundView(stored) };
        });
        return c.json(out, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/{id}/receipt.pdf', tags, summary: 'Comprovante em PDF (pt-BR, com CNPJ da clínica)', security: bearer,
        request: { params: IdParam },
        responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } }, ...errorResponses(400, 401, 404, 409) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const auth = c.get('auth');
        const data = await c.get('tenant')(async (tx) => {
          const [row] = await tx.select({ p: payments, name: patients.name, clinic: clinics }).from(payments)
            .innerJoin(patients, eq(patients.id, payments.patientId)).innerJoin(clinics, eq(clinics.id, payments.clinicId))
            .where(and(eq(payments.id, id), eq(payments.clinicId, auth.clinicId)));
          if (!row) throw errors.notFound('Pagamento');
          if (row.p.status !== 'aprovado' && row.p.status !== 'reembolsado') throw new ApiError(409, 'conflict', 'O comprovante fica disponível depois que o pagamento é aprovado.');
          const refunds = await tx.select().from(paymentRefunds).where(eq(paymentRefunds.paymentId, id)).orderBy(asc(paymentRefunds.createdAt));
          return { clinic: row.clinic, payment: row.p, patient: { name: row.name }, refunds };
        });
        const pdf = await receiptPdf(data);
        return new Response(new Uint8Array(pdf), { status: 200, headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="comprovante-${id.slice(0, 8)}.pdf"` } }) as never;
      },
    );
}
