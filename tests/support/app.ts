// Builds the API against a test database and the run's Temporal dev server, plus members to sign in as.
import { Client, Connection } from '@temporalio/client';
import { inject } from 'vitest';
import pino from 'pino';
import { createApp } from '../../api/app';
import { loadEnv } from '../../config/env';
import { hashPassword } from '../../api/auth/password';
import type { Db } from '../../db/client';
import type { ObjectStorage } from '../../providers/storage';
import { clinicMemberships, clinics, users, type MemberRole } from '../../db/schema';

export const TEST_PASSWORD = 'senha-de-teste-123';

export async function createTestApp(db: Db, opts: { now?: () => Date; storage?: ObjectStorage } = {}) {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  const temporal = new Client({ connection });
  const app = createApp({
    env: loadEnv({ NODE_ENV: 'test' }),
    db,
    log: pino({ level: 'silent' }),
    temporal,
    temporalHealthy: () => connection.workflowService.getSystemInfo({}).then(() => true),
    now: opts.now ?? (() => new Date()),
    ...(opts.storage ? { storage: opts.storage } : {}),
  });
  return { app, temporal, close: () => connection.close() };
}

let hashed: Promise<string> | undefined;

/** A clinic with one member per role; e-mails are unique per call (prefix). */
export async function createClinicWithMembers(db: Db, name: string) {
  hashed ??= hashPassword(TEST_PASSWORD);
  const passwordHash = await hashed;
  const [clinic] = await db.insert(clinics).values({ name }).returning();
  const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${clinic.id.slice(0, 8)}`;
  const members = {} as Record<MemberRole, { id: string; email: string; membershipId: string }>;
  for (const role of ['admin', 'staff', 'view'] as const) {
    const email = `${role}@${slug}.test`;
    const [user] = await db.insert(users).values({ email, name: `${role} ${name}`, passwordHash }).returning();
    const [m] = await db.insert(clinicMemberships).values({ clinicId: clinic.id, userId: user.id, role }).returning();
    members[role] = { id: user.id, email, membershipId: m.id };
  }
  return { clinic, members };
}

type App = Awaited<ReturnType<typeof createTestApp>>['app'];

export async function login(app: App, email: string, password = TEST_PASSWORD): Promise<string> {
  const res = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export const bearer = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });
