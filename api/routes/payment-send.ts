// POST /api/payments/{id}/send: staff send a payment's open link to the patient by WhatsApp, SMS or
// e-mail through the messaging channels (Twilio/SendGrid, or the local outbox). One message per
// payment, link and channel: a double click answers 'duplicate' and sends nothing more.
import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import { clinics, paymentCheckouts, payments, patients } from '../../db/schema';
import { paymentLinkMessage, paymentLinkRecipient, type PaymentLinkChannel } from '../../domain/payment-message';
import { createMessageSender, MessageRejectedError, ProviderUnavailableError, type SendResult } from '../../services/messaging/sender';
import type { ApiDeps } from '../context';
import { ApiError, errors } from '../../services/errors';
import { recordAudit } from '../audit';
import { bearer, errorResponses, router } from '../openapi';
import { IdParam } from '../catalog/common';

const CHANNELS = ['whatsapp', 'sms', 'email'] as const;
const CHANNEL_NAMES: Record<PaymentLinkChannel, string> = { whatsapp: 'WhatsApp', sms: 'SMS', email: 'e-mail' };

const SendBody = z.strictObject({
  channel: z.enum(CHANNELS, { message: 'Canal inválido: use whatsapp, sms ou email.' }).optional().openapi({ description: 'Padrão: whatsapp.' }),
}).openapi('PaymentLinkSend');
const SendResultSchema = z.object({
  status: z.enum(['sent', 'queued', 'duplicate']).openapi({ description: 'duplicate: este link já tinha sido enviado por este canal; nada foi reenviado.' }),
  outboxId: z.string(), channel: z.enum(CHANNELS), to: z.string(),
}).openapi('PaymentLinkSent');

const NO_ADDRESS: Record<PaymentLinkChannel, string> = {
  whatsapp: 'O paciente não tem WhatsApp nem telefone cadastrado. Cadastre o número ou envie por e-mail.',
  sms: 'O paciente não tem telefone cadastrado. Cadastre o número ou envie por e-mail.',
  email: 'O paciente não tem e-mail cadastrado. Cadastre o e-mail ou envie por WhatsApp.',
};
const SKIPPED: Record<string, (channel: string) => string> = {
  skipped_opt_out: (ch) => `O paciente pediu para não receber mensagens por ${ch}; o link não foi enviado.`,
  skipped_no_consent: (ch) => `O paciente recusou mensagens por ${ch}; o link não foi enviado.`,
  skipped_bounced: () => 'O e-mail do paciente está bloqueado (devolvido ou marcado como spam); o link não foi enviado.',
};

/** Mounted at /api/payments beside the payment routes (writes: staff or admin, by the RBAC middleware). */
export function paymentSendRoutes(deps: ApiDeps) {
  const sender = createMessageSender({ db: deps.db, env: deps.env, log: deps.log.child({ module: 'payment-send' }), now: deps.now });

  return router().openapi(
    createRoute({
      method: 'post', path: '/{id}/send', tags: ['Pagamentos'], security: bearer,
      summary: 'Enviar o link de pagamento aberto ao paciente (WhatsApp, SMS ou e-mail)',
      description: 'Usa o link (checkout) aberto e não expirado mais recente. Um envio por pagamento, link e canal: repetir responde status duplicate sem reenviar.',
      request: { params: IdParam, body: { content: { 'application/json': { schema: SendBody } }, required: false } },
      responses: {
        201: { description: 'Mensagem enviada (ou já enviada antes)', content: { 'application/json': { schema: SendResultSchema } } },
        ...errorResponses(400, 401, 403, 404, 409, 503),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const channel: PaymentLinkChannel = (c.req.valid('json') as z.infer<typeof SendBody> | undefined)?.channel ?? 'whatsapp';
      const auth = c.get('auth');
      const now = deps.now();

      const prepared = await c.get('tenant')(async (tx) => {
        const [row] = await tx.select({ p: payments, patient: patients, clinicName: clinics.name, timeZone: clinics.timezone }).from(payments)
          .innerJoin(patients, eq(patients.id, payments.patientId)).innerJoin(clinics, eq(clinics.id, payments.clinicId))
          .where(and(eq(payments.id, id), eq(payments.clinicId, auth.clinicId)));
        if (!row) throw errors.notFound('Pagamento');
        const { p, patient } = row;
        if (p.status === 'aprovado') throw new ApiError(409, 'conflict', 'Este pagamento já foi pago; não há link para enviar.');
        if (p.status === 'reembolsado') throw new ApiError(409, 'conflict', 'Este pagamento já foi pago e reembolsado; não há link para enviar.');
        const [checkout] = await tx.select().from(paymentCheckouts)
          .where(and(eq(paymentCheckouts.paymentId, p.id), eq(paymentCheckouts.status, 'aberto')))
          .orderBy(desc(paymentCheckouts.expiresAt), desc(paymentCheckouts.createdAt)).limit(1);
        if (!checkout) throw new ApiError(409, 'conflict', 'Este pagamento não tem link de pagamento aberto. Gere uma nova cobrança para enviar um link.');
        if (checkout.expiresAt.getTime() <= now.getTime()) throw new ApiError(409, 'conflict', 'O link de pagamento expirou. Gere uma nova cobrança para enviar um link válido.');
        if (patient.deletedAt) throw new ApiError(409, 'conflict', 'O cadastro deste paciente foi excluído; não é possível enviar mensagens.');
        const to = paymentLinkRecipient(channel, patient);
        if (!to) throw new ApiError(400, 'validation_failed', NO_ADDRESS[channel], { channel: [NO_ADDRESS[channel]] });
        const message = paymentLinkMessage({
          patientName: patient.name, clinicName: row.clinicName, description: p.description, amountCents: p.amountCents,
          url: checkout.url, expiresAt: checkout.expiresAt, timeZone: row.timeZone,
        });
        return { payment: p, checkout, to, message };
      });

      const { payment, checkout, to, message } = prepared;
      let result: SendResult;
      try {
        result = await sender.send({
          clinicId: auth.clinicId, patientId: payment.patientId, appointmentId: payment.appointmentId ?? undefined,
          channel, to, body: message.body, ...(channel === 'email' ? { subject: message.subject } : {}),
          templateKey: 'payment_link', variables: message.variables, purpose: 'transactional',
          idempotencyKey: `payment:${payment.id}:${checkout.id}:${channel}`,
        });
      } catch (err) {
        if (err instanceof MessageRejectedError) {
          c.get('log').warn({ err, paymentId: payment.id, channel }, 'payment link refused by the messaging provider');
          const why = err.code === 'whatsapp_template_required'
            ? 'o paciente não escreveu nas últimas 24 horas e não há modelo aprovado de WhatsApp para links de pagamento (payment_link)'
            : err.message.replace(/[.\s]+$/, '');
          throw new ApiError(409, 'conflict', `O envio por ${CHANNEL_NAMES[channel]} foi recusado: ${why}. Confira o contato do paciente ou use outro canal.`);
        }
        c.get('log').error({ err, paymentId: payment.id, channel }, 'payment link send failed');
        throw new ApiError(503, 'unavailable', err instanceof ProviderUnavailableError
          ? 'O serviço de mensagens não respondeu. Nada foi enviado; tente novamente.'
          : 'Não foi possível confirmar o envio. Confira a caixa de saída antes de tentar de novo.');
      }

      // A repeat wrote nothing; a send or a skip did (the outbox row), so it is audited.
      if (result.status !== 'duplicate') {
        await c.get('tenant')((tx) => recordAudit(tx, c, {
          action: 'send_link', entity: 'payment', entityId: payment.id,
          after: { channel, to, checkoutId: checkout.id, outboxId: result.outboxId, status: result.status },
        }));
      }
      const skipped = SKIPPED[result.status];
      if (skipped) throw new ApiError(409, 'conflict', skipped(CHANNEL_NAMES[channel]));
      return c.json({ status: result.status as 'sent' | 'queued' | 'duplicate', outboxId: result.outboxId, channel, to }, 201);
    },
  );
}
