// Signed patient links for an appointment (confirm / cancel): base64url(JSON payload) + '.' + HMAC-SHA256.
// A token names one appointment, one action and the appointment time it was issued for; it expires at
// that time (so a link from before a reschedule no longer acts). No clock inside: callers pass `now`.
import crypto from 'node:crypto';

export type LinkAction = 'confirm' | 'cancel';

export interface LinkPayload {
  appointmentId: string;
  action: LinkAction;
  /** The appointment's start (epoch ms) when the link was issued: the token expires then. */
  exp: number;
}

export type LinkCheck =
  | { ok: true; payload: LinkPayload }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'expired'; payload: LinkPayload };

const PURPOSE = 'appointment-link:v1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACTIONS: Record<string, LinkAction> = { c: 'confirm', x: 'cancel' };
const CODES: Record<LinkAction, string> = { confirm: 'c', cancel: 'x' };

const mac = (secret: string, data: string) => crypto.createHmac('sha256', secret).update(`${PURPOSE}:${data}`).digest('base64url');

export function signAppointmentLink(secret: string, payload: LinkPayload): string {
  const body = Buffer.from(JSON.stringify({ a: payload.appointmentId, t: CODES[payload.action], e: payload.exp })).toString('base64url');
  return `${body}.${mac(secret, body)}`;
}

/** Checks the signature (constant time) and then the expiry; a tampered token never reveals its payload. */
export function verifyAppointmentLink(secret: string, token: string, now: number): LinkCheck {
  if (typeof token !== 'string' || token.length > 400) return { ok: false, reason: 'invalid' };
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'invalid' };
  const [body, sig] = parts as [string, string];
  const expected = Buffer.from(mac(secret, body));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
  let raw: { a?: unknown; t?: unknown; e?: unknown };
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  const action = typeof raw.t === 'string' ? ACTIONS[raw.t] : undefined;
  if (typeof raw.a !== 'string' || !UUID.test(raw.a) || !action || typeof raw.e !== 'number' || !Number.isSafeInteger(raw.e)) {
    return { ok: false, reason: 'invalid' };
  }
  const payload: LinkPayload = { appointmentId: raw.a, action, exp: raw.e };
  if (now >= payload.exp) return { ok: false, reason: 'expired', payload };
  return { ok: true, payload };
}

/** The public page of a token (web route /p/c/{token}). */
export function appointmentLinkUrl(webBaseUrl: string, token: string): string {
  return `${webBaseUrl.replace(/\/+$/, '')}/p/c/${token}`;
}

// ── Links after the visit (issue #11): one signed token per survey / offer and page ─────────────────

/** nps: the one-tap survey; feedback: the neutrals' form; review: the promoters' review; booking: the upsell's direct booking. */
export type PatientLinkKind = 'nps' | 'feedback' | 'review' | 'booking';
const KIND_PATHS: Record<PatientLinkKind, string> = { nps: 'nps', feedback: 'feedback', review: 'avaliar', booking: 'agendar' };

export type PatientLinkCheck =
  | { ok: true; id: string; exp: number }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'expired'; id: string; exp: number };

const kindMac = (secret: string, kind: PatientLinkKind, data: string) =>
  crypto.createHmac('sha256', secret).update(`patient-link:${kind}:v1:${data}`).digest('base64url');

/** A token for one row (survey or offer id) and one page, valid until `exp` (epoch ms). */
export function signPatientLink(secret: string, kind: PatientLinkKind, id: string, exp: number): string {
  const body = Buffer.from(JSON.stringify({ i: id, e: exp })).toString('base64url');
  return `${body}.${kindMac(secret, kind, body)}`;
}

/** Signature first (constant time; a token for another page never verifies), then the expiry. */
export function verifyPatientLink(secret: string, kind: PatientLinkKind, token: string, now: number): PatientLinkCheck {
  if (typeof token !== 'string' || token.length > 400) return { ok: false, reason: 'invalid' };
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'invalid' };
  const [body, sig] = parts as [string, string];
  const expected = Buffer.from(kindMac(secret, kind, body));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
  let raw: { i?: unknown; e?: unknown };
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (typeof raw.i !== 'string' || !UUID.test(raw.i) || typeof raw.e !== 'number' || !Number.isSafeInteger(raw.e)) return { ok: false, reason: 'invalid' };
  if (now >= raw.e) return { ok: false, reason: 'expired', id: raw.i, exp: raw.e };
  return { ok: true, id: raw.i, exp: raw.e };
}

/** {webBaseUrl}/p/nps/{token}, /p/feedback/…, /p/avaliar/…, /p/agendar/…. */
export function patientLinkUrl(webBaseUrl: string, kind: PatientLinkKind, token: string): string {
  return `${webBaseUrl.replace(/\/+$/, '')}/p/${KIND_PATHS[kind]}/${token}`;
}

// ── The monthly report's download link (issue #13): sent by e-mail to the clinic's recipients ──────────

export type ReportLinkCheck =
  | { ok: true; clinicId: string; month: string; exp: number }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'expired' };

const reportMac = (secret: string, data: string) => crypto.createHmac('sha256', secret).update(`report-link:monthly:v1:${data}`).digest('base64url');
const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A token for one clinic's monthly report of `month` ('YYYY-MM'), valid until `exp` (epoch ms). */
export function signReportLink(secret: string, clinicId: string, month: string, exp: number): string {
  const body = Buffer.from(JSON.stringify({ c: clinicId, m: month, e: exp })).toString('base64url');
  return `${body}.${reportMac(secret, body)}`;
}

export function verifyReportLink(secret: string, token: string, now: number): ReportLinkCheck {
  if (typeof token !== 'string' || token.length > 400) return { ok: false, reason: 'invalid' };
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'invalid' };
  const [body, sig] = parts as [string, string];
  const expected = Buffer.from(reportMac(secret, body));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return { ok: false, reason: 'invalid' };
  let raw: { c?: unknown; m?: unknown; e?: unknown };
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (typeof raw.c !== 'string' || !UUID.test(raw.c) || typeof raw.m !== 'string' || !MONTH_RE.test(raw.m) || typeof raw.e !== 'number' || !Number.isSafeInteger(raw.e)) {
    return { ok: false, reason: 'invalid' };
  }
  if (now >= raw.e) return { ok: false, reason: 'expired' };
  return { ok: true, clinicId: raw.c, month: raw.m, exp: raw.e };
}

/** {webBaseUrl}/p/relatorio/{token}: the PDF, without signing in. */
export const reportLinkUrl = (webBaseUrl: string, token: string) => `${webBaseUrl.replace(/\/+$/, '')}/p/relatorio/${token}`;
