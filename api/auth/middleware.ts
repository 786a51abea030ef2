// Authentication (session token from cookie or bearer header) and the one RBAC rule for every route.
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { withClinic } from '../../db/tenancy';
import type { MemberRole } from '../../db/schema';
import { errors } from '../../services/errors';
import { recordAudit } from '../audit';
import type { ApiDeps, AppEnv } from '../context';
import { resolveSession, SESSION_COOKIE } from './sessions';

export function tokenFrom(c: Parameters<MiddlewareHandler>[0]): string | undefined {
  const header = c.req.header('authorization');
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim() || undefined;
  return getCookie(c, SESSION_COOKIE);
}

export function authenticate(deps: ApiDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = tokenFrom(c);
    if (!token) throw errors.unauthenticated();
    const found = await resolveSession(deps.db, token, deps.now());
    if (!found.ok) throw found.reason === 'expired' ? errors.sessionExpired() : errors.unauthenticated();
    c.set('auth', found.auth);
    c.set('tenant', (fn) => withClinic(deps.db, found.auth.clinicId, fn));
    c.set('log', c.get('log').child({ userId: found.auth.userId, clinicId: found.auth.clinicId }));
    await next();
  };
}

const rank: Record<MemberRole, number> = { view: 0, staff: 1, admin: 2 };

/** Writes any signed-in member may make about themselves, whatever their role. */
const SELF_SERVICE = new Set(['PATCH /api/me', 'POST /api/auth/logout']);

/** Exports of lists carry patients' personal data: not for view-only members (refusals are audited). */
export const isPersonalDataExport = (path: string) => path.startsWith('/api/exports/');

/** The role a request needs: administration → admin; personal-data exports and any other write → staff; reads → view. */
export function requiredRole(method: string, path: string): MemberRole {
  if (path === '/api/admin' || path.startsWith('/api/admin/')) return 'admin';
  if (isPersonalDataExport(path)) return 'staff';
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return 'view';
  if (SELF_SERVICE.has(`${method} ${path}`)) return 'view';
  return 'staff';
}

export const authorize: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (rank[c.get('auth').role] < rank[requiredRole(c.req.method, c.req.path)]) {
    if (isPersonalDataExport(c.req.path)) {
      await c.get('tenant')((tx) => recordAudit(tx, c, { action: 'export_refused', entity: 'export', entityId: c.req.path.slice('/api/exports/'.length, 100) }));
    }
    throw errors.forbidden();
  }
  await next();
};
