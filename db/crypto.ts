// Personal data at rest: AES-256-GCM encryption and keyed lookup hashes (CPF, provider secrets).
import crypto from 'node:crypto';
import { normalizeCpf } from '../domain/cpf';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

function checkKey(key: Buffer) {
  if (key.length !== 32) throw new Error('data key must be 32 bytes');
}

// Derived once per key and purpose: an import hashes and encrypts tens of thousands of CPFs.
const derived = new WeakMap<Buffer, Map<string, Buffer>>();

/** Separate sub-keys for separate jobs, so the encryption key never doubles as an HMAC key. */
function subKey(key: Buffer, purpose: string): Buffer {
  let byPurpose = derived.get(key);
  if (!byPurpose) derived.set(key, (byPurpose = new Map()));
  let sub = byPurpose.get(purpose);
  if (!sub) {
    checkKey(key);
    sub = Buffer.from(crypto.hkdfSync('sha256', key, Buffer.alloc(0), `tigre:${purpose}`, 32));
    byPurpose.set(purpose, sub);
  }
  return sub;
}

/** Encrypts UTF-8 text: 'v1.' + base64url(iv ‖ tag ‖ ciphertext). A fresh random IV each time. */
export function encrypt(key: Buffer, plaintext: string): string {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', subKey(key, 'encrypt'), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

/** Decrypts what `encrypt` produced; throws if the data or the key is wrong (GCM authentication). */
export function decrypt(key: Buffer, payload: string): string {
  const [version, data] = payload.split('.', 2);
  if (version !== VERSION || !data) throw new Error('unknown ciphertext format');
  const raw = Buffer.from(data, 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('ciphertext too short');
  const decipher = crypto.createDecipheriv('aes-256-gcm', subKey(key, 'encrypt'), raw.subarray(0, IV_BYTES));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

/** Deterministic keyed hash (HMAC-SHA256, hex) to find a row by a secret value without storing it. */
export function lookupHash(key: Buffer, value: string, purpose = 'lookup'): string {
  return crypto.createHmac('sha256', subKey(key, `hash:${purpose}`)).update(value, 'utf8').digest('hex');
}

/** The `cpf_encrypted` / `cpf_hash` pair for a patient row. Throws unless the input has 11 digits. */
export function protectCpf(key: Buffer, cpf: string): { cpfEncrypted: string; cpfHash: string } {
  const digits = normalizeCpf(cpf);
  if (!digits) throw new Error('CPF must have 11 digits');
  return { cpfEncrypted: encrypt(key, digits), cpfHash: cpfLookupHash(key, digits) };
}

/** The hash to search `patients.cpf_hash` with (any punctuation); throws unless 11 digits. */
export function cpfLookupHash(key: Buffer, cpf: string): string {
  const digits = normalizeCpf(cpf);
  if (!digits) throw new Error('CPF must have 11 digits');
  return lookupHash(key, digits, 'cpf');
}

/** The 11 CPF digits back from `cpf_encrypted`. */
export function revealCpf(key: Buffer, cpfEncrypted: string): string {
  return decrypt(key, cpfEncrypted);
}
