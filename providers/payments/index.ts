// Picks the payment provider: Stripe when STRIPE_SECRET_KEY is set, otherwise the local checkout.
import type { Env } from '../../config/env';
import { createLocalPaymentProvider } from './local';
import { createStripeProvider } from './stripe';
import type { PaymentProvider } from './types';

export type * from './types';
export { createLocalPaymentProvider, fakePixCode } from './local';
export { createStripeProvider, verifyStripeEvent } from './stripe';

export const webUrl = (env: Env) => env.WEB_URL ?? `http://127.0.0.1:${env.WEB_PORT}`;

export function defaultPaymentProvider(env: Env): PaymentProvider {
  if (env.STRIPE_SECRET_KEY) {
    const api = env.STRIPE_API_URL ? new URL(env.STRIPE_API_URL) : null;
    return createStripeProvider({
      secretKey: env.STRIPE_SECRET_KEY,
      ...(api ? { host: api.hostname, port: Number(api.port || (api.protocol === 'http:' ? 80 : 443)), protocol: api.protocol === 'http:' ? 'http' as const : 'https' as const } : {}),
    });
  }
  return createLocalPaymentProvider({ webUrl: webUrl(env) });
}
