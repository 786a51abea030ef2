// Environment parsed once at start-up; a process refuses to start on bad config.
import { z } from 'zod';

const port = (d: number) => z.coerce.number().int().min(1).max(65535).default(d);

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.string().url().optional(),
  PG_PORT: port(5433),
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  /** The journeys' task queue (API and worker must agree; tests give each stack its own). */
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('tigre-journeys'),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_TLS: z.enum(['true', 'false']).optional(),
  TEMPORAL_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
  TEMPORAL_UI_URL: z.string().optional(),
  API_PORT: port(8787),
  API_HOST: z.string().default('127.0.0.1'),
  WEB_PORT: port(3000),
  API_URL: z.string().optional(),
  WEB_URL: z.string().optional(),
  /** 32-byte hex key for AES-256-GCM of personal data (CPF) and provider credentials. */
  TIGRE_DATA_KEY: z.string().regex(/^[0-9a-f]{64}$/i, 'TIGRE_DATA_KEY must be 64 hex characters').optional(),
  /** Secret for HMAC-signed patient links and lookup hashes. */
  TIGRE_LINK_SECRET: z.string().min(16).optional(),
  /** '1' behind a reverse proxy (or the web server): the client address comes from X-Forwarded-For. */
  TRUST_PROXY: z.enum(['0', '1']).default('0'),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(24),
  DATA_DIR: z.string().default('.data'),
  /** Google Calendar OAuth client (two-way sync); without them the calendar lives in the database only. */
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  /** Where Google sends the consent result; default `${API_URL}/webhooks/google/oauth-callback`. */
  GOOGLE_REDIRECT_URL: z.string().url().optional(),
  /** Twilio (WhatsApp and SMS); without the SID and token the local outbox is used. */
  TWILIO_ACCOUNT_SID: z.string().min(1).optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  /** Sender numbers in E.164 (WhatsApp without the `whatsapp:` prefix). */
  TWILIO_WHATSAPP_FROM: z.string().regex(/^[+][1-9][0-9]{7,14}$/, 'TWILIO_WHATSAPP_FROM must be E.164').optional(),
  TWILIO_SMS_FROM: z.string().regex(/^[+][1-9][0-9]{7,14}$/, 'TWILIO_SMS_FROM must be E.164').optional(),
  /** Approved WhatsApp Content templates per template key, JSON: {"reminder_24h":"HX…"} (needed outside the 24h window). */
  TWILIO_CONTENT_SIDS: z.string().optional().transform((v, ctx) => {
    if (!v) return undefined;
    try {
      const parsed: unknown = JSON.parse(v);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((x) => typeof x !== 'string')) throw new Error('shape');
      return parsed as Record<string, string>;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'TWILIO_CONTENT_SIDS must be a JSON object of template key to Content SID, e.g. {"reminder_24h":"HX…"}' });
      return z.NEVER;
    }
  }),
  /** SendGrid (e-mail); without the key the local outbox is used. */
  SENDGRID_API_KEY: z.string().min(1).optional(),
  SENDGRID_FROM: z.string().email().optional(),
  /** The event webhook's verification key (Mail Settings → Signed Event Webhook), base64 DER or PEM. */
  SENDGRID_WEBHOOK_PUBLIC_KEY: z.string().min(1).optional(),
  /** The API's address as Twilio and SendGrid reach it (status callbacks, webhook signature URL). */
  PUBLIC_API_URL: z.string().url().optional(),
  /** Stripe (card and Pix); without the secret key the local checkout page is used. */
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  /** Signing secret of the /webhooks/stripe endpoint (whsec_…). */
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Another Stripe API address (stripe-mock, a test fake): http://127.0.0.1:12111. */
  STRIPE_API_URL: z.string().url().optional(),
  /** Largest single charge in centavos unless the clinic sets a lower one (default R$ 50.000,00). */
  PAYMENT_MAX_CENTS: z.coerce.number().int().positive().default(5_000_000),
  /** OpenAI for Anna (wording and understanding of WhatsApp messages); without the key the local pt-BR engine answers. */
  OPENAI_API_KEY: z.string().min(1).optional(),
  /** Another OpenAI-compatible address (a proxy, a test fake), e.g. http://127.0.0.1:4010/v1. */
  OPENAI_BASE_URL: z.string().url().optional(),
  /** Model when a clinic sets none in its Anna settings (default gpt-4o-mini). */
  OPENAI_MODEL: z.string().min(1).optional(),
  /** AWS S3 (or an S3-compatible service) for before/after photos; without a bucket they are files under PHOTOS_DIR. */
  S3_BUCKET: z.string().min(3).max(63).optional(),
  /** The bucket's region (default us-east-1; e.g. sa-east-1 for São Paulo). */
  AWS_REGION: z.string().min(1).optional(),
  /** Static keys; without them the SDK's default chain (instance or task role, profile). */
  AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
  AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** An S3-compatible endpoint (MinIO, Cloudflare R2…), e.g. http://127.0.0.1:9000. */
  S3_ENDPOINT: z.string().url().optional(),
  /** Path-style addressing (http://host/bucket/key); default true when S3_ENDPOINT is set. */
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).optional(),
  /** Local photo storage when S3_BUCKET is not set (default DATA_DIR/photos). */
  PHOTOS_DIR: z.string().min(1).optional(),
  /** Slack incoming webhook: the clinic team hears about cancellations there too (optional). */
  SLACK_WEBHOOK_URL: z.string().url().optional(),
});

export type Env = z.infer<typeof envSchema>;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // An empty variable (e.g. `GOOGLE_CLIENT_ID=` from a compose default) means "not set".
  const given = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  return parsed.data;
}

/** Development defaults for secrets: fine for the embedded demo, refused in production. */
export function secrets(env: Env) {
  if (env.NODE_ENV === 'production' && (!env.TIGRE_DATA_KEY || !env.TIGRE_LINK_SECRET)) {
    throw new Error('TIGRE_DATA_KEY and TIGRE_LINK_SECRET are required in production');
  }
  return {
    dataKey: Buffer.from(env.TIGRE_DATA_KEY ?? '7469677265'.padEnd(64, '0'), 'hex'),
    linkSecret: env.TIGRE_LINK_SECRET ?? 'tigre-dev-link-secret-not-for-production',
  };
}

export function apiUrl(env: Env) {
  return env.API_URL ?? `http://127.0.0.1:${env.API_PORT}`;
}
export function temporalUiUrl(env: Env) {
  return env.TEMPORAL_UI_URL ?? `http://127.0.0.1:${env.TEMPORAL_UI_PORT}`;
}
