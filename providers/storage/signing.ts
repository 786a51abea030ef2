// HMAC-signed, expiring URLs of the local adapter's files, served by the API at
// /api/files/photos/{key}?exp=…&sig=…: the signature names the method, the key, the expiry (epoch
// seconds) and, for an upload, the content type the client must send. No clock inside: callers pass `now`.
import crypto from 'node:crypto';

export type FileMethod = 'GET' | 'PUT';

export interface FileGrant {
  method: FileMethod;
  key: string;
  /** Epoch seconds after which the URL is refused. */
  exp: number;
  /** PUT only: the Content-Type the upload must carry. */
  contentType?: string;
}

export type FileCheck = { ok: true } | { ok: false; reason: 'invalid' | 'expired' };

const PURPOSE = 'storage-file:v1';

export function signFile(secret: string, grant: FileGrant): string {
  const data = [PURPOSE, grant.method, grant.key, String(grant.exp), grant.method === 'PUT' ? (grant.contentType ?? '') : ''].join('\n');
  return crypto.createHmac('sha256', secret).update(data).digest('base64url');
}

/** Signature first (constant time), then the expiry: a tampered URL is 'invalid' even when old. */
export function verifyFile(secret: string, input: { method: FileMethod; key: string; exp: string | undefined; sig: string | undefined; contentType?: string }, now: Date): FileCheck {
  const { exp, sig } = input;
  if (!exp || !sig || !/^\d{1,12}$/.test(exp) || sig.length > 100) return { ok: false, reason: 'invalid' };
  const expected = Buffer.from(signFile(secret, { method: input.method, key: input.key, exp: Number(exp), contentType: input.contentType }));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
  if (now.getTime() >= Number(exp) * 1000) return { ok: false, reason: 'expired' };
  return { ok: true };
}
