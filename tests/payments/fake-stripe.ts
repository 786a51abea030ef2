// A local fake of Stripe's HTTP API (form-encoded requests, JSON answers) for the real `stripe` SDK,
// pointed at it through the SDK's host/port/protocol options. Records every request it receives.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeStripeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  form: URLSearchParams;
  headers: http.IncomingHttpHeaders;
}

type Responder = (req: FakeStripeRequest) => { status?: number; body: unknown };

const now = () => Math.floor(Date.now() / 1000);
const list = (url: string, data: unknown[]) => ({ object: 'list', url, has_more: false, data });

export const defaultRoutes: Record<string, Responder> = {
  'POST /v1/checkout/sessions': (r) => ({ body: { id: 'cs_test_123', object: 'checkout.session', url: 'https://checkout.stripe.com/c/pay/cs_test_123', expires_at: Number(r.form.get('expires_at')), status: 'open' } }),
  'POST /v1/checkout/sessions/cs_test_123/expire': () => ({ body: { id: 'cs_test_123', object: 'checkout.session', status: 'expired' } }),
  'POST /v1/prices': () => ({ body: { id: 'price_123', object: 'price' } }),
  'POST /v1/payment_links': () => ({ body: { id: 'plink_123', object: 'payment_link', url: 'https://buy.stripe.com/test_123' } }),
  'POST /v1/refunds': (r) => ({ body: { id: 're_123', object: 'refund', amount: Number(r.form.get('amount')), status: 'succeeded' } }),
  'POST /v1/customers': () => ({ body: { id: 'cus_123', object: 'customer' } }),
  'POST /v1/products': () => ({ body: { id: 'prod_123', object: 'product' } }),
  'POST /v1/subscriptions': () => ({ body: { id: 'sub_123', object: 'subscription', status: 'active' } }),
  'DELETE /v1/subscriptions/sub_123': () => ({ body: { id: 'sub_123', object: 'subscription', status: 'canceled' } }),
  'POST /v1/transfers': (r) => ({ body: { id: `tr_${r.form.get('destination')}`, object: 'transfer', amount: Number(r.form.get('amount')) } }),
  'GET /v1/balance_transactions': () => ({ body: list('/v1/balance_transactions', [
    { id: 'txn_1', object: 'balance_transaction', amount: 15000, fee: 599, net: 14401, type: 'charge', source: { id: 'ch_1', object: 'charge', payment_intent: 'pi_1' }, created: now() - 60 },
    { id: 'txn_2', object: 'balance_transaction', amount: -5000, fee: 0, net: -5000, type: 'refund', source: 're_1', created: now() - 30 },
  ]) }),
  'GET /v1/payouts': () => ({ body: list('/v1/payouts', [{ id: 'po_1', object: 'payout', amount: 9401, status: 'paid', arrival_date: now() }]) }),
};

export async function startFakeStripe(routes: Record<string, Responder> = defaultRoutes) {
  const requests: FakeStripeRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const record: FakeStripeRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')), headers: req.headers };
      requests.push(record);
      const responder = routes[`${record.method} ${record.path}`];
      const out = responder ? responder(record) : { status: 404, body: { error: { type: 'invalid_request_error', message: `No route ${record.method} ${record.path}` } } };
      res.writeHead(out.status ?? 200, { 'content-type': 'application/json', 'request-id': `req_${requests.length}` });
      res.end(JSON.stringify(out.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    requests,
    options: { secretKey: 'sk_test_fake', host: '127.0.0.1', port, protocol: 'http' as const, maxNetworkRetries: 0 },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
