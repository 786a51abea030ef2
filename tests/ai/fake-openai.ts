// A local stand-in for OpenAI's chat completions endpoint (POST /v1/chat/completions), spoken to by the
// real `openai` client through baseURL. Each request takes the next scripted reply, else the default.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export type FakeReply =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | { status: number; raw: string }
  /** Never answers (the client's timeout must fire). */
  | { hang: true }
  /** Sends the headers and part of a body, then never ends it. */
  | { stall: true };

export interface FakeOpenAI {
  baseURL: string;
  requests: FakeRequest[];
  /** Requests that reached /v1/chat/completions. */
  readonly hits: number;
  reply(...replies: FakeReply[]): void;
  setDefault(reply: FakeReply | ((req: FakeRequest) => FakeReply)): void;
  close(): Promise<void>;
}

/** A chat.completion object as OpenAI returns it. */
export function completion(content: string | null, usage = { prompt: 1000, completion: 200 }, extra: { finishReason?: string; refusal?: string | null; model?: string } = {}) {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: extra.model ?? 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: extra.refusal ?? null }, logprobs: null, finish_reason: extra.finishReason ?? 'stop' }],
    usage: { prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion },
  };
}

export const ok = (content: unknown, usage?: { prompt: number; completion: number }): FakeReply => ({
  status: 200, json: completion(typeof content === 'string' ? content : JSON.stringify(content), usage),
});

export const rateLimited = (): FakeReply => ({
  status: 429,
  json: { error: { message: 'Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3.', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
  headers: { 'retry-after': '1' },
});

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const requests: FakeRequest[] = [];
  const queue: FakeReply[] = [];
  let fallback: FakeReply | ((req: FakeRequest) => FakeReply) = { status: 500, json: { error: { message: 'no scripted reply', type: 'server_error' } } };
  let hits = 0;
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch { /* kept raw */ }
      const recorded = { path: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      if (req.method === 'POST' && req.url === '/v1/chat/completions') hits++;
      const r = queue.shift() ?? (typeof fallback === 'function' ? fallback(recorded) : fallback);
      if ('hang' in r) {
        open.add(res);
        return;
      }
      if ('stall' in r) {
        open.add(res);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":"chatcmpl-stall","object":"chat.completion","choices":[');
        return;
      }
      if ('raw' in r) {
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(r.raw);
        return;
      }
      res.writeHead(r.status, { 'content-type': 'application/json', ...(r.headers ?? {}) });
      res.end(JSON.stringify(r.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get hits() {
      return hits;
    },
    reply: (...r) => queue.push(...r),
    setDefault: (r) => {
      fallback = r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
