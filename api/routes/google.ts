// Google Calendar integration: connect a professional's calendar (OAuth with a signed state), list,
// sync now, disconnect (under /api/integrations/google, behind the session); the OAuth callback and
// push notifications (under /webhooks/google, public); and the external busy times for slot finding.
import crypto from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, gt, inArray, isNotNull, lt, ne } from 'drizzle-orm';
import { apiUrl, secrets, type Env } from '../../config/env';
import type { Db } from '../../db/client';
import { decrypt, encrypt } from '../../db/crypto';
import { withClinic } from '../../db/tenancy';
import { appointments, calendarConnections, professionals, webhookDeliveries } from '../../db/schema';
import { createCalendarProvider, OAUTH_CALLBACK_PATH, type CalendarAccount, type CalendarProvider, type OAuthTokens } from '../../providers/calendar';
import { subtractIntervals } from '../../providers/calendar/mapping';
import { type QuotaCounter } from '../../providers/calendar/rate-limit';
import { pgQuota } from '../../services/calendar-quota';
import { signState, STATE_TTL_MS, verifyChannelToken, verifyState } from '../../providers/calendar/signing';
import { startCalendarSync } from '../../journeys/handovers';
import type { ApiDeps } from '../context';
import { ApiError, errors } from '../../services/errors';
import { recordAudit } from '../audit';
import { bearer, errorResponses, router, Uuid } from '../openapi';

export type SyncTrigger = 'push' | 'manual' | 'connect';

export interface GoogleRouteOptions {
  /** Default: Google when GOOGLE_CLIENT_ID/SECRET are set, else local (tests pass one aimed at a fake server). */
  calendar?: CalendarProvider;
  quota?: QuotaCounter;
  /** Starts the calendarSync workflow for a professional; returns its workflow id. */
  triggerSync?: (professionalId: string, clinicId: string, reason: SyncTrigger) => Promise<string>;
}

/** Where Google sends the browser back after consent (must be registered in the Google Cloud console). */
export function googleRedirectUrl(env: Env): string {
  return env.GOOGLE_REDIRECT_URL ?? `${apiUrl(env)}${OAUTH_CALLBACK_PATH}`;
}

/** The provider the product uses: Google when configured, with the clinic's daily quota in PostgreSQL. */
export function defaultCalendarProvider(deps: { env: Env; db: Db }, quota: QuotaCounter = pgQuota(deps.db)): CalendarProvider {
  return createCalendarProvider({
    clientId: deps.env.GOOGLE_CLIENT_ID, clientSecret: deps.env.GOOGLE_CLIENT_SECRET, redirectUrl: googleRedirectUrl(deps.env), quota,
  });
}

type Connection = typeof calendarConnections.$inferSelect;

/** The connection's Google account, persisting refreshed tokens (encrypted) as they come. */
export function connectionAccount(db: Db, dataKey: Buffer, conn: Connection): CalendarAccount & { calendarId: string } {
  return {
    clinicId: conn.clinicId,
    calendarId: conn.calendarId,
    tokens: JSON.parse(decrypt(dataKey, conn.encryptedTokens!)) as OAuthTokens,
    onTokens: async (tokens) => {
      await db.update(calendarConnections).set({ encryptedTokens: encrypt(dataKey, JSON.stringify(tokens)) })
        .where(and(eq(calendarConnections.id, conn.id), eq(calendarConnections.status, 'connected')));
    },
  };
}

function syncStarter(deps: ApiDeps) {
  return (professionalId: string, clinicId: string, reason: SyncTrigger) =>
    startCalendarSync(deps.temporal, { professionalId, clinicId, reason, taskQueue: deps.env.TEMPORAL_TASK_QUEUE });
}

const notConfigured = () =>
  new ApiError(503, 'unavailable', 'A integração com o Google Agenda não está configurada neste servidor (GOOGLE_CLIENT_ID e GOOGLE_CLIENT_SECRET). A agenda continua funcionando pelo Tigre CRM.');
const noConnection = () => new ApiError(404, 'not_found', 'Este profissional não tem agenda Google conectada.');
const badState = () => new ApiError(400, 'validation_failed', 'Link de autorização inválido ou expirado. Inicie a conexão com o Google Agenda novamente.');


const ConnectionView = z.object({
  professionalId: z.string(),
  professionalName: z.string(),
  status: z.enum(['connected', 'disconnected', 'error']),
  calendarId: z.string(),
  lastSyncedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  pushNotifications: z.boolean(),
  connectedAt: z.string(),
}).openapi('GoogleCalendarConnection');

const IntegrationView = z.object({
  configured: z.boolean(),
  quota: z.object({ day: z.string(), used: z.number(), limit: z.number() }),
  connections: z.array(ConnectionView),
}).openapi('GoogleCalendarIntegration');

/** Mounted at /api/integrations/google (session required; writes need staff or admin). */
export function googleIntegrationRoutes(deps: ApiDeps, opts: GoogleRouteOptions = {}) {
  const quota = opts.quota ?? pgQuota(deps.db);
  const calendar = opts.calendar ?? defaultCalendarProvider(deps, quota);
  const triggerSync = opts.triggerSync ?? syncStarter(deps);
  const { dataKey, linkSecret } = secrets(deps.env);

  return router()
    .openapi(
      createRoute({
        method: 'get', path: '/', tags: ['Integrações'], summary: 'Agendas Google conectadas e uso da cota diária', security: bearer,
        responses: { 200: { description: 'Integração', content: { 'application/json': { schema: IntegrationView } } }, ...errorResponses(401) },
      }),
      async (c) => {
        const auth = c.get('auth');
        const rows = await c.get('tenant')((tx) =>
          tx.select({ conn: calendarConnections, professionalName: professionals.name }).from(calendarConnections)
            .innerJoin(professionals, and(eq(professionals.clinicId, calendarConnections.clinicId), eq(professionals.id, calendarConnections.professionalId)))
            .where(ne(calendarConnections.status, 'disconnected'))
            .orderBy(professionals.name));
        const usage = await quota.usage(auth.clinicId);
        const now = deps.now().getTime();
        return c.json({
          configured: calendar.kind === 'google',
          quota: usage,
          connections: rows.map(({ conn, professionalName }) => ({
            professionalId: conn.professionalId, professionalName, status: conn.status, calendarId: conn.calendarId,
            lastSyncedAt: conn.lastSyncedAt?.toISOString() ?? null, lastError: conn.lastError,
            pushNotifications: Boolean(conn.channelExpiresAt && conn.channelExpiresAt.getTime() > now),
            connectedAt: conn.connectedAt.toISOString(),
          })),
        }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/connect', tags: ['Integrações'], security: bearer,
        summary: 'Conectar a agenda Google de um profissional (redireciona para o consentimento do Google)',
        description: 'Responde 302 para a página de consentimento do Google; com format=json devolve { url } para o painel abrir. Exige perfil staff ou admin.',
        request: {
          query: z.strictObject({
            professionalId: Uuid,
            calendarId: z.string().trim().min(1).max(255).optional().openapi({ description: "Agenda da conta Google (padrão 'primary')" }),
            format: z.enum(['redirect', 'json'], { message: 'Use redirect ou json.' }).default('redirect'),
          }),
        },
        responses: {
          302: { description: 'Redireciona para o Google' },
          200: { description: 'URL de consentimento', content: { 'application/json': { schema: z.object({ url: z.string() }) } } },
          ...errorResponses(400, 401, 403, 404, 503),
        },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const auth = c.get('auth');
        // A GET, but it starts a write (the callback stores the connection): staff or admin only.
        if (auth.role === 'view') throw errors.forbidden();
        if (calendar.kind !== 'google') throw notConfigured();
        const [professional] = await c.get('tenant')((tx) => tx.select({ id: professionals.id }).from(professionals).where(eq(professionals.id, q.professionalId)));
        if (!professional) throw errors.notFound('Profissional');
        const state = signState(linkSecret, {
          clinicId: auth.clinicId, professionalId: q.professionalId, userId: auth.userId,
          expiresAt: deps.now().getTime() + STATE_TTL_MS, calendarId: q.calendarId,
        });
        const url = calendar.authUrl(state);
        if (q.format === 'json') return c.json({ url }, 200);
        return c.redirect(url, 302);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/{professionalId}/sync', tags: ['Integrações'], summary: 'Sincronizar agora a agenda Google de um profissional', security: bearer,
        request: { params: z.object({ professionalId: Uuid }) },
        responses: {
          202: { description: 'Sincronização iniciada', content: { 'application/json': { schema: z.object({ workflowId: z.string() }) } } },
          ...errorResponses(400, 401, 403, 404, 503),
        },
      }),
      async (c) => {
        const { professionalId } = c.req.valid('param');
        const [conn] = await c.get('tenant')((tx) => tx.select().from(calendarConnections)
          .where(and(eq(calendarConnections.professionalId, professionalId), eq(calendarConnections.status, 'connected'))));
        if (!conn) throw noConnection();
        let workflowId: string;
        try {
          workflowId = await triggerSync(professionalId, conn.clinicId, 'manual');
        } catch (err) {
          c.get('log').warn({ err, professionalId }, 'calendar sync not started');
          throw new ApiError(503, 'unavailable', 'Não foi possível iniciar a sincronização agora; ela acontece automaticamente a cada 10 minutos.');
        }
        return c.json({ workflowId }, 202);
      },
    )
    .openapi(
      createRoute({
        method: 'delete', path: '/{professionalId}', tags: ['Integrações'], summary: 'Desconectar a agenda Google de um profissional', security: bearer,
        description: 'Revoga o acesso no Google e para as notificações; os eventos já criados ficam na agenda do Google.',
        request: { params: z.object({ professionalId: Uuid }) },
        responses: {
          200: { description: 'Desconectada', content: { 'application/json': { schema: z.object({ professionalId: z.string(), status: z.literal('disconnected') }) } } },
          ...errorResponses(400, 401, 403, 404),
        },
      }),
      async (c) => {
        const { professionalId } = c.req.valid('param');
        const [conn] = await c.get('tenant')((tx) => tx.select().from(calendarConnections)
          .where(and(eq(calendarConnections.professionalId, professionalId), ne(calendarConnections.status, 'disconnected'))));
        if (!conn) throw noConnection();
        // Best effort on Google's side: the local disconnect happens whatever Google answers.
        if (conn.encryptedTokens && calendar.kind === 'google') {
          const account = connectionAccount(deps.db, dataKey, conn);
          if (conn.channelId && conn.channelResourceId && calendar.stopWatch) {
            await calendar.stopWatch(account, { channelId: conn.channelId, resourceId: conn.channelResourceId })
              .catch((err) => c.get('log').warn({ err, professionalId }, 'google push channel not stopped'));
          }
          await calendar.revoke?.(account.tokens).catch((err) => c.get('log').warn({ err, professionalId }, 'google token not revoked'));
        }
        await c.get('tenant')(async (tx) => {
          await tx.update(calendarConnections).set({
            status: 'disconnected', encryptedTokens: null, syncToken: null, channelId: null, channelResourceId: null, channelExpiresAt: null,
            disconnectedAt: deps.now(), lastError: null, lastErrorAt: null,
          }).where(eq(calendarConnections.id, conn.id));
          await recordAudit(tx, c, {
            action: 'disconnect', entity: 'calendar_connection', entityId: conn.id,
            before: { professionalId, status: conn.status, calendarId: conn.calendarId }, after: { professionalId, status: 'disconnected' },
          });
        });
        return c.json({ professionalId, status: 'disconnected' as const }, 200);
      },
    );
}

/** Mounted at /webhooks/google: public (Google's browser redirect and Google's servers call these). */
export function googleWebhookRoutes(deps: ApiDeps, opts: GoogleRouteOptions = {}) {
  const calendar = opts.calendar ?? defaultCalendarProvider(deps, opts.quota);
  const triggerSync = opts.triggerSync ?? syncStarter(deps);
  const { dataKey, linkSecret } = secrets(deps.env);
  const webUrl = deps.env.WEB_URL ?? `http://127.0.0.1:${deps.env.WEB_PORT}`;

  return router()
    .openapi(
      createRoute({
        method: 'get', path: '/oauth-callback', tags: ['Webhooks'], summary: 'Retorno do consentimento do Google (OAuth)',
        request: {
          query: z.object({
            state: z.string().max(2000).optional(),
            code: z.string().max(2000).optional(),
            error: z.string().max(200).optional(),
            scope: z.string().max(2000).optional(),
          }),
        },
        responses: { 200: { description: 'Agenda conectada (página HTML)', content: { 'text/html': { schema: z.string() } } }, ...errorResponses(400, 404, 503) },
      }),
      async (c) => {
        const q = c.req.valid('query');
        if (!q.state) throw badState();
        const checked = verifyState(linkSecret, q.state, deps.now());
        if (!checked.ok) throw badState();
        const { state } = checked;
        if (q.error) throw new ApiError(400, 'validation_failed', 'O acesso à agenda foi negado no Google; nada foi conectado.');
        if (!q.code) throw new ApiError(400, 'validation_failed', 'O Google não enviou o código de autorização. Tente conectar novamente.');
        if (calendar.kind !== 'google') throw notConfigured();

        let tokens: OAuthTokens;
        try {
          tokens = await calendar.exchangeCode(q.code);
        } catch (err) {
          c.get('log').warn({ err }, 'google code exchange failed');
          throw new ApiError(400, 'validation_failed', 'Código de autorização do Google inválido ou expirado. Conecte a agenda novamente.');
        }

        const calendarId = state.calendarId ?? 'primary';
        const conn = await withClinic(deps.db, state.clinicId, async (tx) => {
          const [professional] = await tx.select({ id: professionals.id, name: professionals.name }).from(professionals).where(eq(professionals.id, state.professionalId));
          if (!professional) throw errors.notFound('Profissional');
          const [previous] = await tx.select().from(calendarConnections).where(eq(calendarConnections.professionalId, state.professionalId));
          // Google sends a refresh token with every forced consent; keep the previous one if it did not.
          if (!tokens.refresh_token && previous?.encryptedTokens) {
            tokens = { ...tokens, refresh_token: (JSON.parse(decrypt(dataKey, previous.encryptedTokens)) as OAuthTokens).refresh_token };
          }
          if (!tokens.refresh_token) {
            throw new ApiError(400, 'validation_failed', 'O Google não concedeu acesso contínuo à agenda. Remova o Tigre CRM das permissões da sua conta Google e conecte novamente.');
          }
          const values = {
            clinicId: state.clinicId, professionalId: state.professionalId, status: 'connected' as const, calendarId,
            encryptedTokens: encrypt(dataKey, JSON.stringify(tokens)), syncToken: null, lastSyncedAt: null, lastFullSyncAt: null,
            lastError: null, lastErrorAt: null, channelId: null, channelResourceId: null, channelExpiresAt: null,
            connectedBy: state.userId, connectedAt: deps.now(), disconnectedAt: null,
          };
          const [row] = await tx.insert(calendarConnections).values(values)
            .onConflictDoUpdate({ target: calendarConnections.professionalId, set: values }).returning();
          await recordAudit(tx, c, {
            clinicId: state.clinicId, userId: state.userId, action: 'connect', entity: 'calendar_connection', entityId: row.id,
            before: previous ? { status: previous.status, calendarId: previous.calendarId } : null,
            after: { professionalId: state.professionalId, status: 'connected', calendarId, scope: tokens.scope ?? null },
          });
          return { ...row, professionalName: professional.name };
        });

        // The first sync exports the upcoming appointments; if Temporal is away, the schedule does it.
        await triggerSync(state.professionalId, state.clinicId, 'connect')
          .catch((err) => c.get('log').warn({ err, professionalId: state.professionalId }, 'first calendar sync not started'));

        return c.html(`<!doctype html><html lang="pt-BR"><head><meta charset="utf-8"><title>Agenda conectada · Tigre CRM</title></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;line-height:1.5">
<h1>Agenda Google conectada</h1>
<p>A agenda de <strong>${escapeHtml(conn.professionalName)}</strong> agora sincroniza com o Tigre CRM: os agendamentos aparecem no Google Agenda, e o que for movido ou excluído lá é aplicado aqui.</p>
<p><a href="${escapeHtml(webUrl)}">Voltar ao Tigre CRM</a></p></body></html>`, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/calendar', tags: ['Webhooks'], summary: 'Notificação de mudança do Google Agenda (canal de push)',
        request: {
          headers: z.object({
            'x-goog-channel-id': z.string().max(200).optional(),
            'x-goog-channel-token': z.string().max(256).optional(),
            'x-goog-resource-state': z.string().max(50).optional(),
            'x-goog-resource-id': z.string().max(200).optional(),
            'x-goog-message-number': z.string().max(30).optional(),
          }),
        },
        responses: {
          200: { description: 'Recebida', content: { 'application/json': { schema: z.object({ ok: z.boolean(), action: z.enum(['sync_started', 'duplicate', 'handshake', 'ignored']) }) } } },
          ...errorResponses(403, 503),
        },
      }),
      async (c) => {
        const h = c.req.valid('header');
        const channelId = h['x-goog-channel-id'];
        if (!channelId || !verifyChannelToken(linkSecret, channelId, h['x-goog-channel-token'])) {
          throw new ApiError(403, 'forbidden', 'Notificação do Google sem token de canal válido.');
        }
        const [conn] = await deps.db.select().from(calendarConnections)
          .where(and(eq(calendarConnections.channelId, channelId), eq(calendarConnections.status, 'connected')));
        // A channel we no longer use (reconnected, disconnected): acknowledge so Google stops retrying.
        if (!conn) return c.json({ ok: true, action: 'ignored' as const }, 200);
        if (h['x-goog-resource-state'] === 'sync') return c.json({ ok: true, action: 'handshake' as const }, 200);

        const providerEventId = `channel:${channelId}:${h['x-goog-message-number'] ?? crypto.randomUUID()}`;
        const [seen] = await deps.db.select({ id: webhookDeliveries.id }).from(webhookDeliveries)
          .where(and(eq(webhookDeliveries.provider, 'google'), eq(webhookDeliveries.providerEventId, providerEventId)));
        if (seen) return c.json({ ok: true, action: 'duplicate' as const }, 200);
        try {
          await triggerSync(conn.professionalId, conn.clinicId, 'push');
        } catch (err) {
          c.get('log').warn({ err, channelId }, 'calendar sync not started from push');
          throw new ApiError(503, 'unavailable', 'Sincronização indisponível no momento; tente novamente.');
        }
        await deps.db.insert(webhookDeliveries).values({
          provider: 'google', providerEventId, clinicId: conn.clinicId, processedAt: deps.now(),
          payload: { channelId, resourceState: h['x-goog-resource-state'] ?? null, resourceId: h['x-goog-resource-id'] ?? null, messageNumber: h['x-goog-message-number'] ?? null },
        }).onConflictDoNothing();
        return c.json({ ok: true, action: 'sync_started' as const }, 200);
      },
    );
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** What the availability loader (api/appointments/availability.ts `ExternalBusy`) receives. */
export interface ExternalBusyInterval {
  professionalId: string;
  start: Date;
  end: Date;
  kind: 'external';
}

/**
 * Busy times in the connected professionals' Google calendars (freeBusy), for slot finding. Cached for
 * `ttlMs` per professional and window (slot pages are viewed often; the clinic has 1000 requests a day).
 * Any failure (Google down, quota used up, access revoked) yields no external busy time: the database
 * alone then decides, as without Google.
 */
export function createExternalBusy(deps: {
  db: Db; calendar: CalendarProvider; dataKey: Buffer; now?: () => Date; ttlMs?: number;
  log?: { warn(obj: object, msg?: string): void };
}) {
  const ttlMs = deps.ttlMs ?? 5 * 60_000;
  const now = deps.now ?? (() => new Date());
  const cache = new Map<string, { at: number; busy: Array<{ start: Date; end: Date }> }>();

  return async function externalBusy(professionalIds: string[], from: Date, to: Date): Promise<ExternalBusyInterval[]> {
    if (deps.calendar.kind === 'local' || professionalIds.length === 0) return [];
    const conns = await deps.db.select().from(calendarConnections)
      .where(and(inArray(calendarConnections.professionalId, professionalIds), eq(calendarConnections.status, 'connected')));
    const t = now().getTime();
    if (cache.size > 1000) for (const [k, v] of cache) if (t - v.at > ttlMs) cache.delete(k);
    // Our own pushed appointments show up in freeBusy too: take them out (see subtractIntervals).
    const ours = conns.length === 0 ? [] : await deps.db
      .select({ professionalId: appointments.professionalId, start: appointments.startsAt, end: appointments.endsAt })
      .from(appointments)
      .where(and(
        inArray(appointments.professionalId, conns.map((c) => c.professionalId)), inArray(appointments.status, ['agendado', 'confirmado']),
        isNotNull(appointments.googleEventId), lt(appointments.startsAt, to), gt(appointments.endsAt, from),
      ));
    const lists = await Promise.all(conns.map(async (conn) => {
      const key = `${conn.professionalId}|${conn.calendarId}|${from.toISOString()}|${to.toISOString()}`;
      const hit = cache.get(key);
      let busy = hit && t - hit.at <= ttlMs ? hit.busy : undefined;
      if (!busy) {
        try {
          const account = connectionAccount(deps.db, deps.dataKey, conn);
          busy = (await deps.calendar.freeBusy(account, [conn.calendarId], from, to))[conn.calendarId] ?? [];
          cache.set(key, { at: t, busy });
        } catch (err) {
          deps.log?.warn({ err, professionalId: conn.professionalId }, 'google freeBusy unavailable; slots from the database only');
          busy = [];
        }
      }
      const own = ours.filter((a) => a.professionalId === conn.professionalId);
      return subtractIntervals(busy, own).map((b) => ({ professionalId: conn.professionalId, start: b.start, end: b.end, kind: 'external' as const }));
    }));
    return lists.flat();
  };
}
