// The payment processor as the rest of the app sees it: checkouts, links, refunds, subscriptions and
// the balance history reconciliation reads. Amounts in centavos, currency always BRL.

export type PayMethod = 'card' | 'pix';

export interface CheckoutInput {
  amountCents: number;
  currency: 'brl';
  methods: PayMethod[];
  description: string;
  /** Carried to the processor and back in every event (paymentId, clinicId, appointmentId). */
  metadata: Record<string, string>;
  successUrl: string;
  cancelUrl: string;
  expiresAt: Date;
  /** Our checkout row id: the local page's address and the Stripe client_reference_id. */
  reference: string;
  idempotencyKey: string;
}

export interface Checkout {
  /** cs_… (Stripe) or local_… */
  sessionId: string;
  url: string;
  expiresAt: Date;
  /** Pix copy-paste code when the provider gives one up front (local). */
  pixCode?: string;
}

export interface RefundInput {
  paymentIntentId: string;
  amountCents: number;
  reason: string;
  metadata?: Record<string, string>;
  idempotencyKey: string;
}

export interface Refund {
  refundId: string;
  status: 'succeeded' | 'pending' | 'failed';
}

export interface SubscriptionInput {
  amountCents: number;
  currency: 'brl';
  description: string;
  customer: { name: string; email?: string | null; phone?: string | null };
  /** Day of the month the charge runs (1–28). */
  dayOfMonth: number;
  metadata: Record<string, string>;
  idempotencyKey: string;
}

export interface Subscription {
  customerId: string;
  subscriptionId: string;
  status: string;
}

export interface BalanceTransaction {
  id: string;
  /** Gross in centavos (negative for refunds and payouts). */
  amountCents: number;
  feeCents: number;
  netCents: number;
  type: string;
  /** ch_/re_/po_… the transaction came from. */
  sourceId: string | null;
  payoutId: string | null;
  createdAt: Date;
}

export interface Payout {
  id: string;
  amountCents: number;
  status: string;
  arrivalDate: Date;
}

export interface PaymentProvider {
  readonly kind: 'stripe' | 'local';
  createCheckout(input: CheckoutInput): Promise<Checkout>;
  /** A reusable link (Stripe Payment Link) to send on WhatsApp. */
  createPaymentLink(input: Omit<CheckoutInput, 'expiresAt' | 'cancelUrl'>): Promise<{ linkId: string; url: string }>;
  expireCheckout(sessionId: string): Promise<void>;
  refund(input: RefundInput): Promise<Refund>;
  createSubscription(input: SubscriptionInput): Promise<Subscription>;
  cancelSubscription(subscriptionId: string, idempotencyKey: string): Promise<{ status: string }>;
  /** Stripe Connect: moves money from the clinic's balance to a connected account (a professional's). */
  transfer(input: { destination: string; amountCents: number; currency: 'brl'; group: string; metadata: Record<string, string>; idempotencyKey: string }): Promise<{ transferId: string }>;
  listBalanceTransactions(opts: { since: Date; until: Date; limit?: number }): Promise<BalanceTransaction[]>;
  listPayouts(opts: { since: Date; until: Date; limit?: number }): Promise<Payout[]>;
}
