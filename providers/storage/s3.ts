// AWS S3 adapter (or an S3-compatible service through `endpoint` + path-style addressing): every put
// is encrypted at rest with SSE-S3 (AES-256); uploads and views go through presigned URLs. The
// bucket's lifecycle rule (Glacier after 90 days) is set on the bucket, not here (README, Photos).
import {
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { assertExpiry, assertKey, type ObjectStorage, type PresignedPut } from './types';

export interface S3StorageOptions {
  bucket: string;
  region: string;
  /** An S3-compatible service (MinIO, R2, s3rver in tests): its base URL. */
  endpoint?: string;
  /** Path-style URLs (http://host/bucket/key), which most S3-compatible services need. */
  forcePathStyle?: boolean;
  /** Static keys; without them the SDK's default chain (env, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

const SSE = 'AES256' as const;

const notFound = (err: unknown) =>
  err instanceof S3ServiceException && (err.name === 'NotFound' || err.name === 'NoSuchKey' || err.$metadata?.httpStatusCode === 404);

export function createS3Storage(opts: S3StorageOptions): ObjectStorage {
  const client = new S3Client({
    region: opts.region,
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    forcePathStyle: opts.forcePathStyle ?? false,
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    // Checksums only where S3 requires them: a presigned PUT would otherwise carry the CRC32 of an
    // empty body and be refused, and several S3-compatible services reject the new checksum headers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = opts.bucket;

  return {
    kind: 's3',
    async put(key, body, { contentType }) {
      assertKey(key);
      await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType, ContentLength: body.byteLength, ServerSideEncryption: SSE }));
    },
    async presignPut(key, { contentType, expiresInSeconds }): Promise<PresignedPut> {
      assertKey(key);
      assertExpiry(expiresInSeconds);
      const expiresAt = new Date(Date.now() + expiresInSeconds * 1000);
      const url = await getSignedUrl(client, new PutObjectCommand({ Bucket, Key: key, ContentType: contentType, ServerSideEncryption: SSE }), {
        expiresIn: expiresInSeconds,
        // Signed, so the client must send them: S3 then encrypts what it uploads too.
        signableHeaders: new Set(['content-type', 'x-amz-server-side-encryption']),
      });
      return { url, method: 'PUT', headers: { 'content-type': contentType, 'x-amz-server-side-encryption': SSE }, expiresAt };
    },
    async getUrl(key, { expiresInSeconds }) {
      assertKey(key);
      assertExpiry(expiresInSeconds);
      return getSignedUrl(client, new GetObjectCommand({ Bucket, Key: key }), { expiresIn: expiresInSeconds });
    },
    async delete(key) {
      assertKey(key);
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    async head(key) {
      assertKey(key);
      try {
        const h = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return { bytes: h.ContentLength ?? 0, contentType: h.ContentType ?? null };
      } catch (err) {
        if (notFound(err)) return null;
        throw err;
      }
    },
  };
}
