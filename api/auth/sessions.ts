// Opaque session tokens: random 256-bit, only their SHA-256 is stored, 24h expiry by default.
import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { clinicMemberships, sessions, users } from '../../db/schema';
import type { Auth } from '../context';

export const SESSION_COOKIE = 'tigre_session';

export const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export async function createSession(db: Db, input: { userId: string; clinicId: string; ttlHours: number; now: Date; ip?: string; userAgent?: string }) {
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(input.now.getTime() + input.ttlHours * 3600_000);
  const [row] = await db.insert(sessions).values({
    tokenHash: hashToken(token), userId: input.userId, clinicId: input.clinicId,
    createdAt: input.now, expiresAt, ip: input.ip, userAgent: input.userAgent?.slice(0, 400),
  }).returning({ id: sessions.id });
  return { token, expiresAt, sessionId: row.id };
}

export type SessionLookup = { ok: true; auth: Auth } | { ok: false; reason: 'unknown' | 'expired' };

export async function resolveSession(db: Db, token: string, now: Date): Promise<SessionLookup> {
  const [row] = await db
    .select({ sessionId: sessions.id, userId: sessions.userId, clinicId: sessions.clinicId, expiresAt: sessions.expiresAt, active: users.active, role: clinicMemberships.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(clinicMemberships, and(eq(clinicMemberships.userId, sessions.userId), eq(clinicMemberships.clinicId, sessions.clinicId)))
    .where(eq(sessions.tokenHash, hashToken(token)))
    .limit(1);
  if (!row || !row.active || !row.role) return { ok: false, reason: 'unknown' };
  if (row.expiresAt <= now) {
    await db.delete(sessions).where(eq(sessions.id, row.sessionId));
    return { ok: false, reason: 'expired' };
  }
  return { ok: true, auth: { sessionId: row.sessionId, userId: row.userId, clinicId: row.clinicId, role: row.role } };
}

export async function revokeSession(db: Db, sessionId: string) {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}
