// The S3 adapter with the real AWS SDK against s3rver, a local S3-compatible server this file starts on
// 127.0.0.1 (a free port, a temporary directory): put, presigned GET and PUT, head, delete. s3rver accepts
// the SSE header without encrypting and does not check SigV4 signatures (so no tampering test here: the
// local adapter's own signatures are tested in local.test.ts); real S3 does both.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage } from '../../providers/storage/s3';
import { storageFromEnv } from '../../providers/storage';
import { loadEnv } from '../../config/env';
import type { ObjectStorage } from '../../providers/storage/types';

const BUCKET = 'tigre-fotos-teste';
let dir: string;
let server: S3rver;
let endpoint: string;
let storage: ObjectStorage;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tigre-s3rver-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: BUCKET }] });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  // s3rver checks signatures against its fixed key pair.
  storage = createS3Storage({ bucket: BUCKET, region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
});
afterAll(async () => {
  await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const jpegLike = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('bytes of a photo')]);

describe('S3 adapter (real SDK, local S3-compatible server)', () => {
  it('puts an object, whose presigned GET URL returns the bytes; head reports size and type', async () => {
    const key = 'photos/clinic-a/patient-1/foto.jpg';
    await storage.put(key, jpegLike, { contentType: 'image/jpeg' });
    expect(await storage.head(key)).toEqual({ bytes: jpegLike.length, contentType: 'image/jpeg' });
    const url = await storage.getUrl(key, { expiresInSeconds: 60 });
    expect(url).toContain(`${endpoint}/${BUCKET}/photos/clinic-a/patient-1/foto.jpg?`);
    expect(url).toMatch(/X-Amz-Signature=/);
    expect(url).toMatch(/X-Amz-Expires=60/);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(jpegLike);
  });

  it('a presigned PUT URL uploads with the signed headers (content type, SSE)', async () => {
    const key = 'photos/clinic-a/patient-2/enviada.jpg';
    const put = await storage.presignPut(key, { contentType: 'image/jpeg', expiresInSeconds: 120 });
    expect(put.headers).toEqual({ 'content-type': 'image/jpeg', 'x-amz-server-side-encryption': 'AES256' });
    expect(put.url).toMatch(/X-Amz-SignedHeaders=[^&]*x-amz-server-side-encryption/);
    expect(put.url).not.toMatch(/x-amz-checksum-crc32/);
    expect(put.expiresAt.getTime()).toBeGreaterThan(Date.now());
    const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body: jpegLike });
    expect(res.status).toBe(200);
    expect(await storage.head(key)).toEqual({ bytes: jpegLike.length, contentType: 'image/jpeg' });
    const back = await fetch(await storage.getUrl(key, { expiresInSeconds: 60 }));
    expect(Buffer.from(await back.arrayBuffer())).toEqual(jpegLike);
  });

  it('delete removes the object: GET 404, head null; deleting again is fine', async () => {
    const key = 'photos/clinic-a/patient-3/apagar.jpg';
    await storage.put(key, jpegLike, { contentType: 'image/jpeg' });
    const url = await storage.getUrl(key, { expiresInSeconds: 60 });
    expect((await fetch(url)).status).toBe(200);
    await storage.delete(key);
    expect((await fetch(url)).status).toBe(404);
    expect(await storage.head(key)).toBeNull();
    await expect(storage.delete(key)).resolves.toBeUndefined();
  });

  it('refuses keys that are not plain paths and expiries beyond 7 days', async () => {
    await expect(storage.put('../fora.jpg', jpegLike, { contentType: 'image/jpeg' })).rejects.toThrow(/invalid storage key/);
    await expect(storage.getUrl('/absoluta.jpg', { expiresInSeconds: 60 })).rejects.toThrow(/invalid storage key/);
    await expect(storage.getUrl('ok.jpg', { expiresInSeconds: 8 * 86_400 })).rejects.toThrow(/expiry/);
  });

  it('is what S3_BUCKET picks, path style by default with S3_ENDPOINT', async () => {
    const fromEnv = storageFromEnv(loadEnv({
      NODE_ENV: 'test', S3_BUCKET: BUCKET, AWS_REGION: 'us-east-1', S3_ENDPOINT: endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER',
    }));
    expect(fromEnv.kind).toBe('s3');
    await fromEnv.put('photos/env/foto.jpg', jpegLike, { contentType: 'image/jpeg' });
    const res = await fetch(await fromEnv.getUrl('photos/env/foto.jpg', { expiresInSeconds: 30 }));
    expect(Buffer.from(await res.arrayBuffer())).toEqual(jpegLike);
    expect(storageFromEnv(loadEnv({ NODE_ENV: 'test', DATA_DIR: dir })).kind).toBe('local');
  });
});
