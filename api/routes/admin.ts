// Administration (admin role only, enforced by the RBAC middleware): clinic members and the audit log.
import { createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, lt } from 'drizzle-orm';
import { auditLog, clinicMemberships, memberRole, users } from '../../db/schema';
import type { ApiDeps } from '../context';
import { ApiError, errors } from '../../services/errors';
import { recordAudit } from '../audit';
import { hashPassword } from '../auth/password';
import { bearer, errorResponses, router } from '../openapi';

const Member = z
  .object({ id: z.string(), userId: z.string(), name: z.string(), email: z.string(), role: z.enum(memberRole.enumValues), active: z.boolean(), lastLoginAt: z.string().nullable() })
  .openapi('Member');

const NewMember = z
  .strictObject({
    name: z.string().trim().min(2, 'O nome deve ter ao menos 2 caracteres.').max(120),
    email: z.string().trim().toLowerCase().pipe(z.email({ message: 'Informe um e-mail válido.' })),
    role: z.enum(memberRole.enumValues, { message: 'Papel deve ser admin, staff ou view.' }),
    password: z.string().min(10, 'A senha deve ter ao menos 10 caracteres.').max(200),
  })
  .openapi('NewMember');

const AuditEntry = z
  .object({
    id: z.string(), userId: z.string().nullable(), action: z.string(), entity: z.string(), entityId: z.string().nullable(),
    before: z.unknown(), after: z.unknown(), requestId: z.string().nullable(), ip: z.string().nullable(), createdAt: z.string(),
  })
  .openapi('AuditEntry');

const memberColumns = {
  id: clinicMemberships.id, userId: users.id, name: users.name, email: users.email, role: clinicMemberships.role, active: users.active, lastLoginAt: users.lastLoginAt,
};
const toMember = (m: { lastLoginAt: Date | null } & Omit<z.infer<typeof Member>, 'lastLoginAt'>) => ({ ...m, lastLoginAt: m.lastLoginAt?.toISOString() ?? null });

export function adminRoutes(deps: ApiDeps) {
  return router()
    .openapi(
      createRoute({
        method: 'get', path: '/members', tags: ['Administração'], summary: 'Membros da clínica e seus papéis', security: bearer,
        responses: { 200: { description: 'Membros', content: { 'application/json': { schema: z.object({ members: z.array(Member) }) } } }, ...errorResponses(401, 403) },
      }),
      async (c) => {
        const rows = await c.get('tenant')((tx) => tx.select(memberColumns).from(clinicMemberships).innerJoin(users, eq(users.id, clinicMemberships.userId)).orderBy(users.name));
        return c.json({ members: rows.map(toMember) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/members', tags: ['Administração'], summary: 'Criar um acesso para a equipe', security: bearer,
        request: { body: { content: { 'application/json': { schema: NewMember } }, required: true } },
        responses: { 201: { description: 'Membro criado', content: { 'application/json': { schema: Member } } }, ...errorResponses(400, 401, 403, 409) },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const passwordHash = await hashPassword(body.password);
        const member = await c.get('tenant')(async (tx) => {
          const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, body.email));
          if (existing) throw new ApiError(409, 'conflict', 'Já existe um usuário com este e-mail.', { email: ['E-mail já cadastrado.'] });
          const [user] = await tx.insert(users).values({ name: body.name, email: body.email, passwordHash }).returning();
          const [m] = await tx.insert(clinicMemberships).values({ clinicId: c.get('auth').clinicId, userId: user.id, role: body.role }).returning();
          const created = { id: m.id, userId: user.id, name: user.name, email: user.email, role: m.role, active: user.active, lastLoginAt: null };
          await recordAudit(tx, c, { action: 'create', entity: 'membership', entityId: m.id, after: { ...created } });
          return created;
        });
        return c.json(member, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'patch', path: '/members/{id}', tags: ['Administração'], summary: 'Mudar o papel de um membro', security: bearer,
        request: {
          params: z.object({ id: z.uuid({ message: 'Identificador inválido.' }) }),
          body: { content: { 'application/json': { schema: z.strictObject({ role: z.enum(memberRole.enumValues, { message: 'Papel deve ser admin, staff ou view.' }) }) } }, required: true },
        },
        responses: { 200: { description: 'Membro atualizado', content: { 'application/json': { schema: Member } } }, ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const { role } = c.req.valid('json');
        const auth = c.get('auth');
        const member = await c.get('tenant')(async (tx) => {
          const [before] = await tx.select(memberColumns).from(clinicMemberships).innerJoin(users, eq(users.id, clinicMemberships.userId)).where(eq(clinicMemberships.id, id));
          if (!before) throw errors.notFound('Membro');
          if (before.userId === auth.userId && role !== 'admin') {
            throw new ApiError(409, 'conflict', 'Você não pode retirar o seu próprio acesso de administrador.');
          }
          await tx.update(clinicMemberships).set({ role }).where(eq(clinicMemberships.id, id));
          await recordAudit(tx, c, { action: 'update', entity: 'membership', entityId: id, before: { role: before.role }, after: { role } });
          return toMember({ ...before, role });
        });
        return c.json(member, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/audit', tags: ['Administração'], summary: 'Log de auditoria (mais recentes primeiro, paginado por cursor)', security: bearer,
        request: {
          query: z.strictObject({
            limit: z.coerce.number().int().min(1).max(200).default(50),
            before: z.iso.datetime({ message: 'Use uma data ISO 8601.' }).optional(),
            entity: z.string().max(50).optional(),
          }),
        },
        responses: { 200: { description: 'Entradas', content: { 'application/json': { schema: z.object({ entries: z.array(AuditEntry), nextBefore: z.string().nullable() }) } } }, ...errorResponses(400, 401, 403) },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const rows = await c.get('tenant')((tx) =>
          tx.select().from(auditLog)
            .where(and(q.before ? lt(auditLog.createdAt, new Date(q.before)) : undefined, q.entity ? eq(auditLog.entity, q.entity) : undefined))
            .orderBy(desc(auditLog.createdAt)).limit(q.limit));
        const entries = rows.map(({ clinicId: _clinic, ...r }) => ({ ...r, createdAt: r.createdAt.toISOString() }));
        return c.json({ entries, nextBefore: rows.length === q.limit ? entries[entries.length - 1].createdAt : null }, 200);
      },
    );
}
