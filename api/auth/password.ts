// Password hashing: argon2id with the library's defaults (OWASP-grade memory cost).
import { hash, verify } from '@node-rs/argon2';

export const hashPassword = (plain: string) => hash(plain);

// Compared against when the e-mail is unknown, so both paths cost the same time.
let dummy: Promise<string> | undefined;

export async function verifyPassword(storedHash: string | null, plain: string): Promise<boolean> {
  if (!storedHash) {
    dummy ??= hash('not-a-real-password');
    await verify(await dummy, plain).catch(() => false);
    return false;
  }
  return verify(storedHash, plain).catch(() => false);
}
