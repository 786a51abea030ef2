import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cpfLookupHash, decrypt, encrypt, lookupHash, protectCpf, revealCpf } from './crypto';

const key = crypto.randomBytes(32);

describe('encrypt/decrypt', () => {
  it('round-trips text, with a fresh IV each time', () => {
    const a = encrypt(key, 'sk_live_çãõ ✓');
    const b = encrypt(key, 'sk_live_çãõ ✓');
    expect(a).not.toBe(b);
    expect(a.startsWith('v1.')).toBe(true);
    expect(decrypt(key, a)).toBe('sk_live_çãõ ✓');
    expect(decrypt(key, b)).toBe('sk_live_çãõ ✓');
  });

  it('refuses the wrong key and tampered data', () => {
    const sealed = encrypt(key, '52998224725');
    expect(() => decrypt(crypto.randomBytes(32), sealed)).toThrow();
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(() => decrypt(key, `v1.${raw.toString('base64url')}`)).toThrow();
    expect(() => decrypt(key, 'v0.abc')).toThrow();
    expect(() => encrypt(Buffer.alloc(16), 'x')).toThrow();
  });
});

describe('CPF protection', () => {
  it('stores the digits encrypted and finds them by a stable keyed hash', () => {
    const { cpfEncrypted, cpfHash } = protectCpf(key, '529.982.247-25');
    expect(cpfEncrypted).not.toContain('52998224725');
    expect(revealCpf(key, cpfEncrypted)).toBe('52998224725');
    expect(cpfHash).toBe(cpfLookupHash(key, '52998224725'));
    expect(cpfHash).toMatch(/^[0-9a-f]{64}$/);
    expect(cpfLookupHash(crypto.randomBytes(32), '52998224725')).not.toBe(cpfHash);
  });

  it('keeps hashes for different purposes apart', () => {
    expect(lookupHash(key, 'x', 'cpf')).not.toBe(lookupHash(key, 'x', 'email'));
    expect(() => protectCpf(key, '123')).toThrow();
  });
});
