// The signed-in member's own profile.
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { clinics, users } from '../../db/schema';
import { memberRole } from '../../db/schema';
import { normalizePhone } from '../../domain/phone';
import type { ApiDeps } from '../context';
import { errors } from '../../services/errors';
import { recordAudit } from '../audit';
import { bearer, errorResponses, router } from '../openapi';

const User = z.object({ id: z.string(), name: z.string(), email: z.string(), phone: z.string().nullable() }).openapi('User');
export const ProfileSchema = z
  .object({
    user: User,
    clinic: z.object({ id: z.string(), name: z.string(), timezone: z.string() }),
    role: z.enum(memberRole.enumValues),
  })
  .openapi('Profile');

const ProfileUpdate = z
  .strictObject({
    name: z.string().trim().min(2, 'O nome deve ter ao menos 2 caracteres.').max(120, 'O nome deve ter no máximo 120 caracteres.').optional(),
    phone: z
      .string()
      .trim()
      .nullable()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return undefined;
        if (v === null || v === '') return null;
        const e164 = normalizePhone(v);
        if (!e164) {
          ctx.addIssue({ code: 'custom', message: 'Telefone inválido: use DDD + número, ex. (11) 98765-4321.' });
          return z.NEVER;
        }
        return e164;
      }),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Informe ao menos um campo para alterar.' })
  .openapi('ProfileUpdate');

export function meRoutes(deps: ApiDeps) {
  const profile = async (auth: { userId: string; clinicId: string; role: (typeof memberRole.enumValues)[number] }) => {
    const [row] = await deps.db
      .select({ id: users.id, name: users.name, email: users.email, phone: users.phone, clinicId: clinics.id, clinicName: clinics.name, timezone: clinics.timezone })
      .from(users).innerJoin(clinics, eq(clinics.id, auth.clinicId)).where(eq(users.id, auth.userId));
    if (!row) throw errors.unauthenticated();
    return {
      user: { id: row.id, name: row.name, email: row.email, phone: row.phone },
      clinic: { id: row.clinicId, name: row.clinicName, timezone: row.timezone },
      role: auth.role,
    };
  };

  return router()
    .openapi(
      createRoute({
        method: 'get', path: '/', tags: ['Perfil'], summary: 'Meu perfil, clínica e papel', security: bearer,
        responses: { 200: { description: 'Perfil', content: { 'application/json': { schema: ProfileSchema } } }, ...errorResponses(401) },
      }),
      async (c) => c.json(await profile(c.get('auth')), 200),
    )
    .openapi(
      createRoute({
        method: 'patch', path: '/', tags: ['Perfil'], summary: 'Atualizar meu nome e telefone', security: bearer,
        request: { body: { content: { 'application/json': { schema: ProfileUpdate } }, required: true } },
        responses: { 200: { description: 'Perfil atualizado', content: { 'application/json': { schema: ProfileSchema } } }, ...errorResponses(400, 401) },
      }),
      async (c) => {
        const patch = c.req.valid('json');
        const auth = c.get('auth');
        await c.get('tenant')(async (tx) => {
          // users is global (no RLS); the audit row is the clinic's.
          const [before] = await tx.select({ name: users.name, phone: users.phone }).from(users).where(eq(users.id, auth.userId));
          const [after] = await tx.update(users).set(patch).where(eq(users.id, auth.userId)).returning({ name: users.name, phone: users.phone });
          await recordAudit(tx, c, { action: 'update', entity: 'user', entityId: auth.userId, before, after });
        });
        return c.json(await profile(auth), 200);
      },
    );
}
