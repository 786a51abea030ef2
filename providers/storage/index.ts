// Picks the photo storage: S3 when S3_BUCKET is set, otherwise local files under PHOTOS_DIR
// (default DATA_DIR/photos) served through signed, expiring API URLs.
import path from 'node:path';
import { apiUrl, secrets, type Env } from '../../config/env';
import { createLocalStorage, type LocalStorage } from './local';
import { createS3Storage } from './s3';
import type { ObjectStorage } from './types';

export type * from './types';
export { assertKey, MAX_URL_SECONDS } from './types';
export { createLocalStorage, LOCAL_FILES_PATH, type LocalStorage, type LocalStorageOptions } from './local';
export { createS3Storage, type S3StorageOptions } from './s3';

export function storageFromEnv(env: Env): ObjectStorage {
  if (env.S3_BUCKET) {
    return createS3Storage({
      bucket: env.S3_BUCKET,
      region: env.AWS_REGION ?? 'us-east-1',
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: env.S3_FORCE_PATH_STYLE ? env.S3_FORCE_PATH_STYLE === 'true' : Boolean(env.S3_ENDPOINT),
      ...(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
        ? { credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY } }
        : {}),
    });
  }
  return createLocalStorage({
    dir: env.PHOTOS_DIR ?? path.join(env.DATA_DIR, 'photos'),
    baseUrl: env.PUBLIC_API_URL ?? apiUrl(env),
    secret: secrets(env).linkSecret,
  });
}

/** The local adapter, when that is what `storage` is (the API serves its files). */
export const asLocal = (storage: ObjectStorage): LocalStorage | null => (storage.kind === 'local' && 'verify' in storage ? (storage as LocalStorage) : null);
