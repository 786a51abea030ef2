// The local adapter: files under its directory (atomic writes, no escape from the root), and GET/PUT URLs
// of the API signed with HMAC and an expiry; a tampered or expired URL is refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalStorage, LOCAL_FILES_PATH, type LocalStorage } from '../../providers/storage/local';

let dir: string;
let now = new Date('2030-03-10T12:00:00Z');
let storage: LocalStorage;
const SECRET = 'local-storage-test-secret';

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tigre-local-storage-'));
  storage = createLocalStorage({ dir, baseUrl: 'http://api.test/', secret: SECRET, clock: () => now });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

function parse(url: string) {
  const u = new URL(url);
  return { u, key: decodeURIComponent(u.pathname.slice(LOCAL_FILES_PATH.length + 1)), exp: u.searchParams.get('exp') ?? undefined, sig: u.searchParams.get('sig') ?? undefined };
}

describe('local storage adapter', () => {
  it('writes under its directory, reads back, heads, deletes', async () => {
    const key = 'photos/c1/p1/a.jpg';
    await storage.put(key, bytes, { contentType: 'image/png' });
    expect(fs.readFileSync(path.join(dir, key))).toEqual(bytes);
    expect(fs.statSync(path.join(dir, key)).mode & 0o777).toBe(0o600);
    expect(await storage.head(key)).toEqual({ bytes: bytes.length, contentType: 'image/png' });
    expect(await storage.read(key)).toEqual({ body: bytes, contentType: 'image/png' });
    await storage.delete(key);
    expect(await storage.head(key)).toBeNull();
    expect(await storage.read(key)).toBeNull();
    await expect(storage.delete(key)).resolves.toBeUndefined();
    // No temporary files left behind.
    expect(fs.readdirSync(path.join(dir, 'photos/c1/p1'))).toEqual([]);
  });

  it('never leaves its root', async () => {
    for (const key of ['../x.jpg', 'a/../../x.jpg', '/etc/passwd', 'a//b', '.meta/x.json', 'a b.jpg', '']) {
      await expect(storage.put(key, bytes, { contentType: 'image/jpeg' }), key).rejects.toThrow(/invalid storage key/);
    }
  });

  it('GET URLs: a valid signature until the expiry, then expired; any change to key, expiry or signature is invalid', async () => {
    const key = 'photos/c1/p1/b.jpg';
    const url = await storage.getUrl(key, { expiresInSeconds: 300 });
    const { u, ...got } = parse(url);
    expect(u.origin + u.pathname).toBe(`http://api.test${LOCAL_FILES_PATH}/${encodeURIComponent(key)}`);
    expect(got.key).toBe(key);
    expect(Number(got.exp)).toBe(now.getTime() / 1000 + 300);
    expect(storage.verify({ method: 'GET', ...got })).toEqual({ ok: true });
    expect(storage.verify({ method: 'PUT', ...got })).toEqual({ ok: false, reason: 'invalid' });
    expect(storage.verify({ method: 'GET', ...got, key: 'photos/c1/p1/c.jpg' })).toEqual({ ok: false, reason: 'invalid' });
    expect(storage.verify({ method: 'GET', ...got, exp: String(Number(got.exp) + 3600) })).toEqual({ ok: false, reason: 'invalid' });
    const sig = got.sig!;
    const flipped = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
    expect(storage.verify({ method: 'GET', ...got, sig: flipped })).toEqual({ ok: false, reason: 'invalid' });
    expect(storage.verify({ method: 'GET', ...got, sig: undefined })).toEqual({ ok: false, reason: 'invalid' });
    expect(storage.verify({ method: 'GET', ...got, exp: 'amanhã' })).toEqual({ ok: false, reason: 'invalid' });
    // Another secret signs other URLs.
    const other = createLocalStorage({ dir, baseUrl: 'http://api.test', secret: 'another-secret-entirely', clock: () => now });
    expect(other.verify({ method: 'GET', ...got })).toEqual({ ok: false, reason: 'invalid' });
    const later = now;
    now = new Date(later.getTime() + 300_000);
    try {
      expect(storage.verify({ method: 'GET', ...got })).toEqual({ ok: false, reason: 'expired' });
    } finally {
      now = later;
    }
  });

  it('PUT URLs sign the content type the upload must send', async () => {
    const put = await storage.presignPut('photos/c1/p2/d.jpg', { contentType: 'image/jpeg', expiresInSeconds: 60 });
    expect(put).toMatchObject({ method: 'PUT', headers: { 'content-type': 'image/jpeg' } });
    const { key, exp, sig } = parse(put.url);
    expect(storage.verify({ method: 'PUT', key, exp, sig, contentType: 'image/jpeg' })).toEqual({ ok: true });
    expect(storage.verify({ method: 'PUT', key, exp, sig, contentType: 'text/html' })).toEqual({ ok: false, reason: 'invalid' });
    expect(storage.verify({ method: 'GET', key, exp, sig })).toEqual({ ok: false, reason: 'invalid' });
  });
});
