// Calendar test fixtures: a clinic whose professional connected Google (tokens issued by the fake
// server, stored encrypted as the OAuth callback stores them), and a journey spy.
import { eq } from 'drizzle-orm';
import { loadEnv, secrets } from '../../config/env';
import type { Db } from '../../db/client';
import { encrypt } from '../../db/crypto';
import { calendarConnections, professionals } from '../../db/schema';
import { createClinicFixture } from '../support/fixtures';
import type { FakeGoogle } from './fake-google';

export const testSecrets = secrets(loadEnv({ NODE_ENV: 'test' }));

export async function connectedClinic(db: Db, google: FakeGoogle, name: string) {
  const fixture = await createClinicFixture(db, { name });
  const [professional] = await db.select().from(professionals).where(eq(professionals.clinicId, fixture.clinic.id));
  const tokens = { access_token: google.issueAccessToken(), refresh_token: 'refresh-ok', expiry_date: Date.now() + 3600_000 };
  const [connection] = await db.insert(calendarConnections).values({
    clinicId: fixture.clinic.id, professionalId: professional.id, calendarId: `agenda-${professional.id}`,
    encryptedTokens: encrypt(testSecrets.dataKey, JSON.stringify(tokens)),
  }).returning();
  return { ...fixture, professional, connection, calendarId: connection.calendarId };
}

export function journeySpy() {
  const calls: Array<{ op: 'reschedule' | 'cancel'; appointmentId: string; arg: Date | string }> = [];
  return {
    calls,
    reschedule: async (appointmentId: string, startsAt: Date) => { calls.push({ op: 'reschedule', appointmentId, arg: startsAt }); },
    cancel: async (appointmentId: string, reason: string) => { calls.push({ op: 'cancel', appointmentId, arg: reason }); },
  };
}

export const inDays = (days: number, hourUtc = 13) => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  d.setUTCHours(hourUtc, 0, 0, 0);
  return d;
};

/**
 * The Google route modules on a minimal app with the product's session + RBAC middleware and error
 * shape (api/app.ts mounts the same modules; this keeps the test independent of the other routes and
 * lets it inject the provider aimed at the fake Google).
 */
export async function createGoogleTestApp(db: Db, opts: import('../../api/routes/google').GoogleRouteOptions & { now?: () => Date }) {
  const pino = (await import('pino')).default;
  const { HTTPException } = await import('hono/http-exception');
  const { router } = await import('../../api/openapi');
  const { ApiError } = await import('../../services/errors');
  const { authenticate, authorize } = await import('../../api/auth/middleware');
  const { googleIntegrationRoutes, googleWebhookRoutes } = await import('../../api/routes/google');
  const log = pino({ level: 'silent' });
  const deps = {
    env: loadEnv({ NODE_ENV: 'test' }), db, log, now: opts.now ?? (() => new Date()),
    temporal: undefined as never, temporalHealthy: async () => true,
  };
  const app = router();
  app.use('*', async (c, next) => {
    c.set('log', log);
    c.set('clientIp', 'local');
    c.set('requestId', 'test');
    await next();
  });
  const requireSession = authenticate(deps);
  app.use('/api/*', async (c, next) => {
    await requireSession(c, async () => {
      await authorize(c, next);
    });
  });
  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(err.body(), err.status);
    if (err instanceof HTTPException) return c.json({ error: { code: 'validation_failed', message: 'Requisição inválida.' } }, err.status);
    log.error({ err });
    return c.json({ error: { code: 'internal_error', message: String(err) } }, 500);
  });
  return app
    .route('/api/integrations/google', googleIntegrationRoutes(deps, opts))
    .route('/webhooks/google', googleWebhookRoutes(deps, opts));
}

/** A clinic with a staff, a view-only member (sessions ready) and one professional. */
export async function clinicWithTeam(db: Db, name: string) {
  const { clinics, clinicMemberships, users } = await import('../../db/schema');
  const { createSession } = await import('../../api/auth/sessions');
  const [clinic] = await db.insert(clinics).values({ name }).returning();
  const tokens = {} as Record<'admin' | 'staff' | 'view', string>;
  const userIds = {} as Record<'admin' | 'staff' | 'view', string>;
  for (const role of ['admin', 'staff', 'view'] as const) {
    const [user] = await db.insert(users).values({ email: `${role}-${clinic.id}@calendar.test`, name: `${role} ${name}`, passwordHash: 'x' }).returning();
    await db.insert(clinicMemberships).values({ clinicId: clinic.id, userId: user.id, role });
    tokens[role] = (await createSession(db, { userId: user.id, clinicId: clinic.id, ttlHours: 1, now: new Date() })).token;
    userIds[role] = user.id;
  }
  const [professional] = await db.insert(professionals).values({ clinicId: clinic.id, name: 'Dra. Helena Prado' }).returning();
  return { clinic, tokens, userIds, professional, auth: (role: 'admin' | 'staff' | 'view') => ({ authorization: `Bearer ${tokens[role]}` }) };
}
