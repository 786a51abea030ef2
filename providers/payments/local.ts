// The embedded default without Stripe: checkouts are pages of our own web app (/p/pagar/{reference})
// where the patient picks card, Pix or "fail"; the page calls the public API, which feeds the same
// event handler as Stripe's webhook. Refunds and subscriptions succeed at once; there is no balance.
import { randomBytes } from 'node:crypto';
import type { PaymentProvider } from './types';

/** A Pix "copia e cola" look-alike (EMV-style, clearly marked as a simulation). */
export function fakePixCode(reference: string, amountCents: number): string {
  const amount = (amountCents / 100).toFixed(2);
  return `00020126580014BR.GOV.BCB.PIX0136tigre-local-${reference.slice(0, 8)}52040000530398654${String(amount.length).padStart(2, '0')}${amount}5802BR5913TIGRE SIMULAC6009SAO PAULO62070503***6304LOCAL`;
}

export function createLocalPaymentProvider(opts: { webUrl: string }): PaymentProvider {
  const pageUrl = (reference: string) => `${opts.webUrl.replace(/\/$/, '')}/p/pagar/${reference}`;
  const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
  return {
    kind: 'local',
    async createCheckout(input) {
      return { sessionId: `local_${input.reference}`, url: pageUrl(input.reference), expiresAt: input.expiresAt, pixCode: fakePixCode(input.reference, input.amountCents) };
    },
    async createPaymentLink(input) {
      return { linkId: `local_${input.reference}`, url: pageUrl(input.reference) };
    },
    async expireCheckout() {},
    async refund() {
      return { refundId: id('local_re'), status: 'succeeded' };
    },
    async createSubscription() {
      return { customerId: id('local_cus'), subscriptionId: id('local_sub'), status: 'active' };
    },
    async cancelSubscription() {
      return { status: 'canceled' };
    },
    async transfer() {
      return { transferId: id('local_tr') };
    },
    async listBalanceTransactions() {
      return [];
    },
    async listPayouts() {
      return [];
    },
  };
}
