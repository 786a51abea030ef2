// Local fake servers that speak Twilio's and SendGrid's wire formats, recording what the real SDKs send.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  /** Next responses (status + JSON body + headers), consumed in order; then the default. */
  respondNext(...responses: Array<{ status: number; body?: unknown; headers?: Record<string, string> }>): void;
  close(): Promise<void>;
}

async function startFake(defaultResponse: (req: RecordedRequest) => { status: number; body?: unknown; headers?: Record<string, string> }): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const queue: Array<{ status: number; body?: unknown; headers?: Record<string, string> }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      const r = queue.shift() ?? defaultResponse(recorded);
      res.writeHead(r.status, { 'content-type': 'application/json', ...(r.headers ?? {}) });
      res.end(r.body === undefined ? '' : JSON.stringify(r.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respondNext: (...r) => queue.push(...r),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Twilio's Messages.create: form-encoded in, a Message resource out. */
export function startFakeTwilio() {
  return startFake((req) => {
    const form = new URLSearchParams(req.raw);
    const sid = `SM${crypto.randomBytes(16).toString('hex')}`;
    return {
      status: 201,
      body: { sid, status: 'queued', to: form.get('To'), from: form.get('From'), body: form.get('Body'), account_sid: req.path.split('/')[3], date_created: new Date().toUTCString() },
    };
  });
}

/** SendGrid's v3/mail/send: JSON in, 202 with X-Message-Id out. */
export function startFakeSendGrid() {
  return startFake(() => ({ status: 202, headers: { 'x-message-id': `sg${crypto.randomBytes(8).toString('hex')}` } }));
}

export const formOf = (r: RecordedRequest) => new URLSearchParams(r.raw);
export const basicAuth = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

/** A P-256 key pair as SendGrid's signed event webhook uses; `sign` gives the two headers. */
export function sendGridSigner() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const publicKeyBase64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    publicKey: publicKeyBase64,
    sign(payload: string, timestamp: string) {
      const signature = crypto.sign('sha256', Buffer.from(timestamp + payload), privateKey).toString('base64');
      return { 'X-Twilio-Email-Event-Webhook-Signature': signature, 'X-Twilio-Email-Event-Webhook-Timestamp': timestamp };
    },
  };
}
