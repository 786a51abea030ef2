// HMAC-signed values around the Google connection: the OAuth `state` (who asked to connect which
// professional, until when) and the push channel token Google echoes in X-Goog-Channel-Token.
import crypto from 'node:crypto';

export interface ConnectState {
  clinicId: string;
  professionalId: string;
  userId: string;
  /** The Google calendar to link (default 'primary'). */
  calendarId?: string;
  /** Epoch ms after which the state is refused. */
  expiresAt: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How long a consent round trip may take. */
export const STATE_TTL_MS = 15 * 60_000;

const mac = (secret: string, purpose: string, data: string) =>
  crypto.createHmac('sha256', secret).update(`${purpose}:${data}`).digest('base64url');

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** base64url(JSON) + '.' + HMAC: opaque to Google, checked on the way back. A nonce makes each unique. */
export function signState(secret: string, state: ConnectState): string {
  const payload = { c: state.clinicId, p: state.professionalId, u: state.userId, k: state.calendarId, e: state.expiresAt, n: crypto.randomBytes(8).toString('hex') };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(secret, 'google-oauth-state', body)}`;
}

export type StateCheck = { ok: true; state: ConnectState } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

export function verifyState(secret: string, value: string, now: Date): StateCheck {
  const [body, sig, extra] = value.split('.');
  if (!body || !sig || extra !== undefined) return { ok: false, reason: 'malformed' };
  if (!safeEqual(sig, mac(secret, 'google-oauth-state', body))) return { ok: false, reason: 'signature' };
  let parsed: { c?: unknown; p?: unknown; u?: unknown; k?: unknown; e?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const { c, p, u, k, e } = parsed ?? {};
  if (typeof c !== 'string' || typeof p !== 'string' || typeof u !== 'string' || typeof e !== 'number') return { ok: false, reason: 'malformed' };
  if (k !== undefined && typeof k !== 'string') return { ok: false, reason: 'malformed' };
  if (!UUID.test(c) || !UUID.test(p) || !UUID.test(u)) return { ok: false, reason: 'malformed' };
  if (now.getTime() > e) return { ok: false, reason: 'expired' };
  return { ok: true, state: { clinicId: c, professionalId: p, userId: u, expiresAt: e, ...(k ? { calendarId: k } : {}) } };
}

/** The token we give Google when opening a push channel; derived, so nothing secret is stored. */
export function channelToken(secret: string, channelId: string): string {
  return mac(secret, 'google-channel', channelId);
}

export function verifyChannelToken(secret: string, channelId: string, token: string | undefined): boolean {
  return Boolean(token) && safeEqual(token!, channelToken(secret, channelId));
}
