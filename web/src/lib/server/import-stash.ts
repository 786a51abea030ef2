// Between "preview" and "import" the uploaded spreadsheet waits here, so the person confirms the import
// without sending the file again (which a page without JavaScript could not do). In memory, per person,
// for 30 minutes; the newest few files only.
import crypto from 'node:crypto';

interface Stashed {
  bytes: Uint8Array;
  name: string;
  type: string;
  owner: string;
  expires: number;
}

const TTL_MS = 30 * 60_000;
const MAX_FILES = 16;
const stash = new Map<string, Stashed>();

function sweep(now: number) {
  for (const [key, entry] of stash) if (entry.expires <= now) stash.delete(key);
  while (stash.size > MAX_FILES) stash.delete(stash.keys().next().value!);
}

/** Keeps the file for its owner (clinic + user); returns the token that names it. */
export async function stashFile(file: File, owner: string): Promise<string> {
  const now = Date.now();
  sweep(now);
  const token = crypto.randomBytes(18).toString('base64url');
  stash.set(token, { bytes: new Uint8Array(await file.arrayBuffer()), name: file.name, type: file.type, owner, expires: now + TTL_MS });
  return token;
}

/** The stashed file as a File again, if the token is the owner's and has not expired. */
export function takeFile(token: string, owner: string): File | null {
  sweep(Date.now());
  const entry = stash.get(token);
  if (!entry || entry.owner !== owner) return null;
  return new File([entry.bytes as BlobPart], entry.name, { type: entry.type || 'application/octet-stream' });
}

export function dropFile(token: string) {
  stash.delete(token);
}

export function ownerOf(session: { clinic: { id: string }; user: { id: string } }): string {
  return `${session.clinic.id}:${session.user.id}`;
}
