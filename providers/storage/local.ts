// Local adapter: objects are files under one directory (default DATA_DIR/photos), each with a small
// sidecar of metadata in .meta/; the URLs it hands out are the API's /api/files/photos/{key} with an
// HMAC signature and expiry (signing.ts), so a photo is viewable only through a link we issued.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { assertExpiry, assertKey, type ObjectStorage, type PresignedPut, type StoredObject } from './types';
import { signFile, verifyFile, type FileCheck, type FileMethod } from './signing';

/** Where the API serves the local adapter's files (api/routes/photos.ts). */
export const LOCAL_FILES_PATH = '/api/files/photos';

export interface LocalStorageOptions {
  /** Root directory of the objects (created when missing). */
  dir: string;
  /** The API's address as clients reach it (PUBLIC_API_URL or API_URL). */
  baseUrl: string;
  /** HMAC secret of the URLs (TIGRE_LINK_SECRET). */
  secret: string;
  clock?: () => Date;
}

export interface LocalStorage extends ObjectStorage {
  readonly kind: 'local';
  /** The bytes and type of an object, or null. */
  read(key: string): Promise<{ body: Buffer; contentType: string } | null>;
  /** Checks a URL's exp/sig for this method and key (and, for PUT, the content type sent). */
  verify(input: { method: FileMethod; key: string; exp: string | undefined; sig: string | undefined; contentType?: string }): FileCheck;
}

interface Meta { contentType: string; bytes: number }

export function createLocalStorage(opts: LocalStorageOptions): LocalStorage {
  const root = path.resolve(opts.dir);
  const clock = opts.clock ?? (() => new Date());
  const base = opts.baseUrl.replace(/\/+$/, '');

  const fileOf = (key: string) => {
    assertKey(key);
    const file = path.join(root, key);
    // assertKey already refuses "..": this is the belt to its braces.
    if (!file.startsWith(root + path.sep)) throw new Error(`storage key outside the root: ${key}`);
    return file;
  };
  const metaOf = (key: string) => path.join(root, '.meta', `${key}.json`);

  async function writeAtomic(file: string, data: Uint8Array | string) {
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${crypto.randomBytes(6).toString('hex')}.tmp`);
    await fs.writeFile(tmp, data, { mode: 0o600 });
    await fs.rename(tmp, file);
  }

  async function readMeta(key: string): Promise<Meta | null> {
    try {
      return JSON.parse(await fs.readFile(metaOf(key), 'utf8')) as Meta;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  function signedUrl(method: FileMethod, key: string, expiresInSeconds: number, contentType?: string) {
    assertExpiry(expiresInSeconds);
    const exp = Math.floor(clock().getTime() / 1000) + expiresInSeconds;
    const sig = signFile(opts.secret, { method, key, exp, contentType });
    return { url: `${base}${LOCAL_FILES_PATH}/${encodeURIComponent(key)}?exp=${exp}&sig=${sig}`, expiresAt: new Date(exp * 1000) };
  }

  return {
    kind: 'local',
    async put(key, body, { contentType }) {
      const file = fileOf(key);
      await writeAtomic(file, body);
      await writeAtomic(metaOf(key), JSON.stringify({ contentType, bytes: body.byteLength } satisfies Meta));
    },
    async presignPut(key, { contentType, expiresInSeconds }): Promise<PresignedPut> {
      fileOf(key);
      const { url, expiresAt } = signedUrl('PUT', key, expiresInSeconds, contentType);
      return { url, method: 'PUT', headers: { 'content-type': contentType }, expiresAt };
    },
    async getUrl(key, { expiresInSeconds }) {
      fileOf(key);
      return signedUrl('GET', key, expiresInSeconds).url;
    },
    async delete(key) {
      await fs.rm(fileOf(key), { force: true });
      await fs.rm(metaOf(key), { force: true });
    },
    async head(key): Promise<StoredObject | null> {
      const file = fileOf(key);
      try {
        const stat = await fs.stat(file);
        return { bytes: stat.size, contentType: (await readMeta(key))?.contentType ?? null };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async read(key) {
      const file = fileOf(key);
      try {
        const body = await fs.readFile(file);
        return { body, contentType: (await readMeta(key))?.contentType ?? 'application/octet-stream' };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    verify(input) {
      try {
        assertKey(input.key);
      } catch {
        return { ok: false, reason: 'invalid' };
      }
      return verifyFile(opts.secret, input, clock());
    },
  };
}
