// Sign in and out. Login is rate limited per e-mail and per address; both outcomes are audited.
import { createRoute, z } from '@hono/zod-openapi';
import { setCookie, deleteCookie } from 'hono/cookie';
import { asc, eq } from 'drizzle-orm';
import { clinicMemberships, clinics, users } from '../../db/schema';
import type { ApiDeps } from '../context';
import { ApiError } from '../../services/errors';
import { errorResponses, router, bearer } from '../openapi';
import { verifyPassword } from '../auth/password';
import { FailureLimiter } from '../auth/rate-limit';
import { createSession, revokeSession, SESSION_COOKIE } from '../auth/sessions';
import { withClinic } from '../../db/tenancy';
import { recordAudit } from '../audit';
import { ProfileSchema } from './me';

const LoginBody = z
  .strictObject({
    email: z.string().trim().toLowerCase().pipe(z.email({ message: 'Informe um e-mail válido.' })).openapi({ example: 'admin@bellapele.com.br' }),
    password: z.string().min(1, 'Informe a senha.').max(200),
  })
  .openapi('LoginRequest');

const LoginResponse = ProfileSchema.extend({ token: z.string(), expiresAt: z.string() }).openapi('LoginResponse');

export function authRoutes(deps: ApiDeps) {
  const perEmail = new FailureLimiter(5, 15 * 60_000);
  const perIp = new FailureLimiter(20, 15 * 60_000);

  return router()
    .openapi(
      createRoute({
        method: 'post', path: '/login', tags: ['Autenticação'], summary: 'Entrar com e-mail e senha',
        request: { body: { content: { 'application/json': { schema: LoginBody } }, required: true } },
        responses: { 200: { description: 'Sessão criada', content: { 'application/json': { schema: LoginResponse } } }, ...errorResponses(400, 401, 429) },
      }),
      async (c) => {
        const { email, password } = c.req.valid('json');
        const ip = c.get('clientIp');
        const wait = Math.max(perEmail.retryAfter(email), perIp.retryAfter(ip));
        if (wait > 0) {
          c.header('Retry-After', String(wait));
          throw new ApiError(429, 'too_many_attempts', `Muitas tentativas de login. Tente novamente em ${Math.ceil(wait / 60)} min.`);
        }
        const [user] = await deps.db.select().from(users).where(eq(users.email, email)).limit(1);
        const ok = await verifyPassword(user?.active ? user.passwordHash : null, password);
        const [membership] = user
          ? await deps.db.select({ clinicId: clinicMemberships.clinicId, role: clinicMemberships.role })
              .from(clinicMemberships).where(eq(clinicMemberships.userId, user.id)).orderBy(asc(clinicMemberships.createdAt)).limit(1)
          : [];
        if (!ok || !user || !membership) {
          perEmail.fail(email);
          perIp.fail(ip);
          if (user && membership) {
            await withClinic(deps.db, membership.clinicId, (tx) =>
              recordAudit(tx, c, { clinicId: membership.clinicId, userId: user.id, action: 'login_failed', entity: 'session' }));
          }
          throw new ApiError(401, 'invalid_credentials', 'E-mail ou senha inválidos.');
        }
        perEmail.reset(email);
        const now = deps.now();
        const session = await createSession(deps.db, {
          userId: user.id, clinicId: membership.clinicId, ttlHours: deps.env.SESSION_TTL_HOURS, now, ip, userAgent: c.req.header('user-agent'),
        });
        await deps.db.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id));
        const [clinic] = await deps.db.select({ id: clinics.id, name: clinics.name, timezone: clinics.timezone }).from(clinics).where(eq(clinics.id, membership.clinicId));
        await withClinic(deps.db, membership.clinicId, (tx) =>
          recordAudit(tx, c, { clinicId: membership.clinicId, userId: user.id, action: 'login', entity: 'session', entityId: session.sessionId }));
        setCookie(c, SESSION_COOKIE, session.token, {
          httpOnly: true, sameSite: 'Lax', path: '/', secure: new URL(c.req.url).protocol === 'https:',
          maxAge: Math.round((session.expiresAt.getTime() - now.getTime()) / 1000),
        });
        return c.json({
          token: session.token,
          expiresAt: session.expiresAt.toISOString(),
          user: { id: user.id, name: user.name, email: user.email, phone: user.phone },
          clinic: clinic!,
          role: membership.role,
        }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/logout', tags: ['Autenticação'], summary: 'Sair (encerra a sessão)', security: bearer,
        responses: { 204: { description: 'Sessão encerrada' }, ...errorResponses(401) },
      }),
      async (c) => {
        const auth = c.get('auth');
        await revokeSession(deps.db, auth.sessionId);
        await c.get('tenant')((tx) => recordAudit(tx, c, { action: 'logout', entity: 'session', entityId: auth.sessionId }));
        deleteCookie(c, SESSION_COOKIE, { path: '/' });
        return c.body(null, 204);
      },
    );
}
