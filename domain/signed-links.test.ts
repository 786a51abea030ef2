import { describe, expect, it } from 'vitest';
import { appointmentLinkUrl, patientLinkUrl, signAppointmentLink, signPatientLink, verifyAppointmentLink, verifyPatientLink } from './signed-links';

const secret = 'test-secret-0123456789';
const id = '0b6f4a8e-6f1c-4a57-9d1e-2f7c3b1a9e10';
const exp = Date.parse('2026-12-01T13:00:00Z');

describe('signed appointment links', () => {
  it('round-trips until the appointment time, then expires', () => {
    const token = signAppointmentLink(secret, { appointmentId: id, action: 'confirm', exp });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyAppointmentLink(secret, token, exp - 1)).toEqual({ ok: true, payload: { appointmentId: id, action: 'confirm', exp } });
    expect(verifyAppointmentLink(secret, token, exp)).toMatchObject({ ok: false, reason: 'expired' });
    const cancel = signAppointmentLink(secret, { appointmentId: id, action: 'cancel', exp });
    expect(verifyAppointmentLink(secret, cancel, 0)).toMatchObject({ ok: true, payload: { action: 'cancel' } });
  });

  it('refuses a tampered token, another secret and garbage', () => {
    const token = signAppointmentLink(secret, { appointmentId: id, action: 'confirm', exp });
    const [body, sig] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ a: id, t: 'x', e: exp })).toString('base64url');
    expect(verifyAppointmentLink(secret, `${forged}.${sig}`, 0)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyAppointmentLink(secret, `${body}.${sig.slice(0, -1)}A`, 0).ok).toBe(false);
    expect(verifyAppointmentLink('another-secret-123456', token, 0)).toEqual({ ok: false, reason: 'invalid' });
    for (const bad of ['', '.', 'abc', 'a.b.c', `${body}.`]) expect(verifyAppointmentLink(secret, bad, 0)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('builds the public page URL', () => {
    expect(appointmentLinkUrl('https://x.com/', 'abc.def')).toBe('https://x.com/p/c/abc.def');
  });
});

describe('links after the visit', () => {
  const id = '7f1c7a52-3d2b-4c8e-9a51-2b7e3f0c9d11';
  it('verifies its own page only, until it expires', () => {
    const t = signPatientLink('s3cret', 'nps', id, 2_000);
    expect(verifyPatientLink('s3cret', 'nps', t, 1_000)).toEqual({ ok: true, id, exp: 2_000 });
    expect(verifyPatientLink('s3cret', 'feedback', t, 1_000)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyPatientLink('other', 'nps', t, 1_000)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyPatientLink('s3cret', 'nps', t, 2_000)).toEqual({ ok: false, reason: 'expired', id, exp: 2_000 });
    const [body, sig] = t.split('.');
    const forged = Buffer.from(JSON.stringify({ i: id, e: 9e12 })).toString('base64url');
    expect(verifyPatientLink('s3cret', 'nps', `${forged}.${sig}`, 1_000).ok).toBe(false);
    expect(verifyPatientLink('s3cret', 'nps', `${body}.${sig}x`, 1_000).ok).toBe(false);
    expect(verifyPatientLink('s3cret', 'nps', 'garbage', 1_000).ok).toBe(false);
    expect(patientLinkUrl('https://x.test/', 'review', t)).toBe(`https://x.test/p/avaliar/${t}`);
  });
});
