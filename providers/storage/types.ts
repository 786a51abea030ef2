// The contract between the application and where photo bytes live (AWS S3 or S3-compatible services,
// or local files under DATA_DIR). Keys are ours ("photos/{clinic}/{patient}/{photo}.jpg"); no table of
// ours is known here. Implemented in s3.ts and local.ts; picked in index.ts.

export interface StoredObject {
  bytes: number;
  contentType: string | null;
}

/** A URL a client may PUT the bytes to until `expiresAt`, sending exactly `headers` (they are signed). */
export interface PresignedPut {
  url: string;
  method: 'PUT';
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface ObjectStorage {
  readonly kind: 's3' | 'local';
  /** Writes the object (server-side encrypted with AES-256 on S3); an existing key is replaced. */
  put(key: string, body: Uint8Array, opts: { contentType: string }): Promise<void>;
  /** A presigned upload URL for a client to send the bytes itself. */
  presignPut(key: string, opts: { contentType: string; expiresInSeconds: number }): Promise<PresignedPut>;
  /** A URL anyone holding it may GET the bytes from until it expires (presigned on S3, HMAC-signed API URL locally). */
  getUrl(key: string, opts: { expiresInSeconds: number }): Promise<string>;
  /** Removes the object; a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** The object's size and type, or null when there is none. */
  head(key: string): Promise<StoredObject | null>;
}

/** Longest validity of a signed URL (S3 SigV4's limit: 7 days). */
export const MAX_URL_SECONDS = 7 * 86_400;

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Keys are plain path segments: no "..", no leading slash, no spaces; at most 512 characters. */
export function assertKey(key: string): void {
  if (typeof key !== 'string' || key.length > 512 || !KEY.test(key) || key.split('/').some((s) => s === '.' || s === '..')) {
    throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
  }
}

export function assertExpiry(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_URL_SECONDS) throw new Error(`invalid URL expiry: ${seconds}s`);
}
