// Subscribable iCalendar feeds: GET /feeds/{token}.ics (public, the token is the secret) for one
// professional or the whole clinic, and their administration under /api/admin/calendar-feeds
// (admin only, by the RBAC middleware): create/rotate (the old token stops working), list, revoke.
import crypto from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { apiUrl } from '../../config/env';
import { withClinic } from '../../db/tenancy';
import { calendarFeeds, clinics, professionals } from '../../db/schema';
import { addLocalDays, createZone, localDayBounds } from '../../domain/timezone';
import type { ApiDeps } from '../context';
import { ApiError, errors } from '../../services/errors';
import { recordAudit } from '../audit';
import { bearer, errorResponses, router } from '../openapi';
import { listAppointments } from '../../services/agenda/queries';
import { appointmentsCalendar } from '../../services/agenda/ical';

/** What a feed shows: from this many days ago … to this many days ahead. */
export const FEED_PAST_DAYS = 60;
export const FEED_FUTURE_DAYS = 365;
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

const Feed = z
  .object({ id: z.string(), professionalId: z.string().nullable(), professionalName: z.string().nullable(), createdAt: z.string() })
  .openapi('CalendarFeed');
const NewFeed = Feed.extend({
  url: z.string().openapi({ description: 'URL secreta do feed (mostrada só agora).' }),
  webcalUrl: z.string().openapi({ description: 'A mesma URL com webcal:// (assinar no Google/Apple Agenda).' }),
}).openapi('NewCalendarFeed');

/** Public: mount outside /api (no session); the token in the path is the credential. */
export function calendarFeedRoutes(deps: ApiDeps) {
  return router().get('/:file', async (c) => {
    const file = c.req.param('file');
    const token = file.endsWith('.ics') ? file.slice(0, -4) : '';
    const notFound = () => c.json({ error: { code: 'not_found', message: 'Feed de agenda não encontrado ou revogado.' } }, 404);
    if (!TOKEN_RE.test(token)) return notFound();
    // The feed's clinic is not known yet: read it as the owner (like sessions), then work as that clinic.
    const [feed] = await deps.db.select().from(calendarFeeds)
      .where(and(eq(calendarFeeds.tokenHash, hashToken(token)), isNull(calendarFeeds.revokedAt)));
    if (!feed) return notFound();
    const body = await withClinic(deps.db, feed.clinicId, async (tx) => {
      const [clinic] = await tx.select({ name: clinics.name, timezone: clinics.timezone }).from(clinics).where(eq(clinics.id, feed.clinicId));
      const [professional] = feed.professionalId
        ? await tx.select({ name: professionals.name }).from(professionals).where(eq(professionals.id, feed.professionalId))
        : [undefined];
      const today = createZone(clinic.timezone).localDate(deps.now().getTime());
      const items = await listAppointments(tx, {
        clinicId: feed.clinicId,
        from: localDayBounds(addLocalDays(today, -FEED_PAST_DAYS), clinic.timezone).start,
        to: localDayBounds(addLocalDays(today, FEED_FUTURE_DAYS), clinic.timezone).end,
        professionalId: feed.professionalId ?? undefined,
        limit: 20_000,
      });
      // A subscribed calendar should not keep showing released time as busy.
      const live = items.filter((a) => a.status !== 'cancelado' && a.status !== 'no_show');
      return appointmentsCalendar(live, {
        name: professional ? `${clinic.name} · ${professional.name}` : clinic.name,
        timeZone: clinic.timezone, withProfessional: !feed.professionalId, clinicName: clinic.name, refreshSeconds: 15 * 60,
      });
    });
    c.header('Content-Type', 'text/calendar; charset=utf-8');
    c.header('Cache-Control', 'private, max-age=300');
    c.header('Referrer-Policy', 'no-referrer');
    return c.body(body, 200);
  });
}

/** Mounted at /api/admin/calendar-feeds. */
export function calendarFeedAdminRoutes(deps: ApiDeps) {
  const tags = ['Agendamentos'];
  const feedUrl = (token: string) => `${apiUrl(deps.env).replace(/\/+$/, '')}/feeds/${token}.ics`;

  return router()
    .openapi(
      createRoute({
        method: 'get', path: '/', tags, security: bearer, summary: 'Feeds de agenda ativos (sem os tokens)',
        responses: { 200: { description: 'Feeds', content: { 'application/json': { schema: z.object({ feeds: z.array(Feed) }) } } }, ...errorResponses(401, 403) },
      }),
      async (c) => {
        const rows = await c.get('tenant')((tx) => tx
          .select({ id: calendarFeeds.id, professionalId: calendarFeeds.professionalId, professionalName: professionals.name, createdAt: calendarFeeds.createdAt })
          .from(calendarFeeds)
          .leftJoin(professionals, and(eq(professionals.clinicId, calendarFeeds.clinicId), eq(professionals.id, calendarFeeds.professionalId)))
          .where(isNull(calendarFeeds.revokedAt))
          .orderBy(asc(calendarFeeds.createdAt)));
        return c.json({ feeds: rows.map((r) => ({ ...r, professionalName: r.professionalName ?? null, createdAt: r.createdAt.toISOString() })) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/', tags, security: bearer,
        summary: 'Criar ou trocar o feed de um profissional (ou da clínica, sem professionalId): o token antigo deixa de funcionar',
        request: {
          body: {
            content: { 'application/json': { schema: z.strictObject({ professionalId: z.uuid({ message: 'Identificador de profissional inválido.' }).nullable().optional() }) } },
            required: false,
          },
        },
        responses: { 201: { description: 'Novo feed', content: { 'application/json': { schema: NewFeed } } }, ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const body = c.req.valid('json') ?? {};
        const professionalId = body.professionalId ?? null;
        const { clinicId } = c.get('auth');
        const token = crypto.randomBytes(32).toString('base64url');
        const created = await c.get('tenant')(async (tx) => {
          let professionalName: string | null = null;
          if (professionalId) {
            const [p] = await tx.select({ name: professionals.name }).from(professionals).where(eq(professionals.id, professionalId));
            if (!p) throw new ApiError(404, 'not_found', 'Profissional não encontrado.', { professionalId: ['Profissional não encontrado nesta clínica.'] });
            professionalName = p.name;
          }
          const revoked = await tx.update(calendarFeeds).set({ revokedAt: sql`now()` })
            .where(and(isNull(calendarFeeds.revokedAt), professionalId ? eq(calendarFeeds.professionalId, professionalId) : isNull(calendarFeeds.professionalId)))
            .returning({ id: calendarFeeds.id });
          const [feed] = await tx.insert(calendarFeeds).values({ clinicId, professionalId, tokenHash: hashToken(token) }).returning();
          await recordAudit(tx, c, {
            action: revoked.length ? 'rotate' : 'create', entity: 'calendar_feed', entityId: feed.id,
            before: revoked.length ? { revokedFeedIds: revoked.map((r) => r.id) } : undefined,
            after: { professionalId },
          });
          return { id: feed.id, professionalId, professionalName, createdAt: feed.createdAt.toISOString() };
        });
        const url = feedUrl(token);
        return c.json({ ...created, url, webcalUrl: url.replace(/^https?:\/\//, 'webcal://') }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'delete', path: '/{id}', tags, security: bearer, summary: 'Revogar um feed (a URL deixa de funcionar)',
        request: { params: z.object({ id: z.uuid({ message: 'Identificador inválido.' }) }) },
        responses: { 200: { description: 'Revogado', content: { 'application/json': { schema: z.object({ revoked: z.literal(true) }) } } }, ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        await c.get('tenant')(async (tx) => {
          const [row] = await tx.update(calendarFeeds).set({ revokedAt: sql`now()` })
            .where(and(eq(calendarFeeds.id, id), isNull(calendarFeeds.revokedAt))).returning();
          if (!row) throw errors.notFound('Feed de agenda');
          await recordAudit(tx, c, { action: 'revoke', entity: 'calendar_feed', entityId: id, after: { professionalId: row.professionalId } });
        });
        return c.json({ revoked: true as const }, 200);
      },
    );
}
