import { describe, expect, it } from 'vitest';
import { changeConsent, NO_CONSENT, sniffPhotoFormat, usableInMessages } from './photos';

const bytes = (...parts: Array<number[] | string>) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const ftyp = (major: string, ...compatible: string[]) => {
  const size = 16 + compatible.length * 4;
  return bytes([0, 0, 0, size], 'ftyp', major, [0, 0, 0, 0], ...compatible, [0, 0, 0, 8], 'meta');
};

describe('sniffPhotoFormat', () => {
  it('knows JPEG, PNG, WebP and HEIC by their first bytes', () => {
    expect(sniffPhotoFormat(bytes([0xff, 0xd8, 0xff, 0xe1], 'Exif'))).toBe('jpeg');
    expect(sniffPhotoFormat(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).toBe('png');
    expect(sniffPhotoFormat(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toBe('webp');
    expect(sniffPhotoFormat(ftyp('heic', 'mif1', 'heic'))).toBe('heic');
    expect(sniffPhotoFormat(ftyp('mif1', 'heic'))).toBe('heic');
    expect(sniffPhotoFormat(ftyp('mif1', 'miaf'))).toBe('heic');
  });

  it('refuses what is not one of them, whatever the file is called', () => {
    expect(sniffPhotoFormat(bytes('Isto não é uma foto.jpg'))).toBeNull();
    expect(sniffPhotoFormat(bytes('%PDF-1.7'))).toBeNull();
    expect(sniffPhotoFormat(bytes('GIF89a'))).toBeNull();
    expect(sniffPhotoFormat(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffPhotoFormat(ftyp('avif', 'mif1', 'avif'))).toBeNull();
    expect(sniffPhotoFormat(ftyp('isom', 'mp41'))).toBeNull(); // a video
    expect(sniffPhotoFormat(bytes([0xff, 0xd8]))).toBeNull();
    expect(sniffPhotoFormat(new Uint8Array())).toBeNull();
  });
});

describe('changeConsent', () => {
  const t0 = new Date('2030-01-01T10:00:00Z');
  const t1 = new Date('2030-02-01T10:00:00Z');

  it('grants with when and how; identifiable only with consent', () => {
    expect(changeConsent(NO_CONSENT, { publicityConsent: true, source: ' termo assinado ' }, t0)).toEqual({
      ok: true, consent: { publicityConsent: true, identifiable: false, consentAt: t0, consentRevokedAt: null, consentSource: 'termo assinado' },
    });
    expect(changeConsent(NO_CONSENT, { publicityConsent: true, identifiable: true }, t0)).toMatchObject({ ok: true, consent: { identifiable: true, consentSource: 'painel' } });
    expect(changeConsent(NO_CONSENT, { publicityConsent: false, identifiable: true }, t0)).toMatchObject({ ok: false, field: 'identifiable' });
  });

  it('revoking clears both flags and records when; a new consent after it is explicit again', () => {
    const given = changeConsent(NO_CONSENT, { publicityConsent: true, identifiable: true }, t0);
    if (!given.ok) throw new Error('expected ok');
    const revoked = changeConsent(given.consent, { publicityConsent: false }, t1);
    expect(revoked).toEqual({ ok: true, consent: { publicityConsent: false, identifiable: false, consentAt: t0, consentRevokedAt: t1, consentSource: 'painel' } });
    if (!revoked.ok) throw new Error('expected ok');
    expect(usableInMessages({ ...revoked.consent, deletedAt: null })).toBe(false);
    const again = changeConsent(revoked.consent, { publicityConsent: true }, t1);
    expect(again).toMatchObject({ ok: true, consent: { publicityConsent: true, consentAt: t1, consentRevokedAt: null } });
    // Never consented: "no" changes nothing.
    expect(changeConsent(NO_CONSENT, { publicityConsent: false }, t1)).toEqual({ ok: true, consent: NO_CONSENT });
  });

  it('only consented, unrevoked, undeleted photos go into messages', () => {
    expect(usableInMessages({ publicityConsent: true, consentRevokedAt: null, deletedAt: null })).toBe(true);
    expect(usableInMessages({ publicityConsent: true, consentRevokedAt: null, deletedAt: t1 })).toBe(false);
    expect(usableInMessages({ publicityConsent: false, consentRevokedAt: null, deletedAt: null })).toBe(false);
  });
});
