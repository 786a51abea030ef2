// The clinic's notifications (a patient cancelled, a no-show…): the recent ones, and a live stream (SSE)
// that polls the database every few seconds and pushes what is new. Rows are written by the appointment
// journey's notifyClinic activity (analytics_events with these kinds).
import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { analyticsEvents } from '../../db/schema';
import type { ApiDeps } from '../context';
import { bearer, errorResponses, router } from '../openapi';

export const NOTIFICATION_KINDS = ['appointment_cancelled', 'appointment_no_show', 'lead_converted', 'lead_needs_staff', 'nps_detractor'] as const;
const TITLES: Record<(typeof NOTIFICATION_KINDS)[number], string> = {
  appointment_cancelled: 'Agendamento cancelado',
  appointment_no_show: 'Paciente não compareceu',
  lead_converted: 'Anna agendou um novo paciente',
  lead_needs_staff: 'Conversa aguardando a equipe',
  nps_detractor: 'Paciente insatisfeito na pesquisa',
};
export const STREAM_POLL_MS = 3000;
/** A stream ends after this; the browser's EventSource reconnects with the last id. */
const STREAM_MAX_MS = 10 * 60_000;

const Notification = z.object({
  id: z.string(), kind: z.string(), title: z.string(), description: z.string(),
  patientId: z.string().nullable(), appointmentId: z.string().nullable(), conversationId: z.string().nullable(), at: z.string(),
  /** Opaque cursor (creation time with microseconds): pass as `after` to get only newer ones. */
  cursor: z.string(),
}).openapi('ClinicNotification');
const NotificationList = z.object({ notifications: z.array(Notification), cursor: z.string().nullable() }).openapi('ClinicNotificationList');
export type ClinicNotification = z.infer<typeof Notification>;

const Cursor = z.iso.datetime({ offset: true, message: 'Cursor inválido: use a data/hora ISO recebida em cursor.' });

/** Newest first without `after`; with it, everything newer, oldest first (at most `limit`). */
export async function loadNotifications(tx: Tx, clinicId: string, opts: { after?: string; limit: number }): Promise<ClinicNotification[]> {
  const cursor = sql<string>`to_char(${analyticsEvents.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  const rows = await tx.select({
    id: analyticsEvents.id, kind: analyticsEvents.kind, description: analyticsEvents.description, patientId: analyticsEvents.patientId,
    data: analyticsEvents.data, occurredAt: analyticsEvents.occurredAt, cursor,
  }).from(analyticsEvents)
    .where(and(
      eq(analyticsEvents.clinicId, clinicId), inArray(analyticsEvents.kind, [...NOTIFICATION_KINDS]),
      opts.after ? gt(analyticsEvents.createdAt, sql`${opts.after}::timestamptz`) : undefined,
    ))
    .orderBy(opts.after ? analyticsEvents.createdAt : desc(analyticsEvents.createdAt), analyticsEvents.id)
    .limit(opts.limit);
  return rows.map((r) => ({
    id: r.id, kind: r.kind, title: TITLES[r.kind as keyof typeof TITLES] ?? r.kind, description: r.description ?? '',
    patientId: r.patientId, appointmentId: typeof r.data?.appointmentId === 'string' ? r.data.appointmentId : null,
    conversationId: typeof r.data?.conversationId === 'string' ? r.data.conversationId : null,
    at: r.occurredAt.toISOString(), cursor: r.cursor,
  }));
}

/** Mounted at /api/notifications (any member reads). */
export function notificationRoutes(deps: ApiDeps) {
  return router()
    .openapi(
      createRoute({
        method: 'get', path: '/', tags: ['Notificações'], security: bearer,
        summary: 'Notificações recentes da clínica (cancelamentos, faltas)',
        request: {
          query: z.strictObject({
            after: Cursor.optional(),
            limit: z.coerce.number({ message: 'Limite inválido.' }).int('Limite inválido.').min(1, 'Limite mínimo 1.').max(100, 'Limite máximo 100.').default(20),
          }),
        },
        responses: { 200: { description: 'Notificações', content: { 'application/json': { schema: NotificationList } } }, ...errorResponses(400, 401) },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const notifications = await c.get('tenant')((tx) => loadNotifications(tx, c.get('auth').clinicId, q));
        const newest = q.after ? notifications.at(-1) : notifications[0];
        return c.json({ notifications, cursor: newest?.cursor ?? q.after ?? null }, 200);
      },
    )
    .get('/stream', async (c) => {
      const q = c.req.query('after') ?? c.req.header('last-event-id');
      const parsed = q ? Cursor.safeParse(q) : null;
      if (parsed && !parsed.success) {
        return c.json({ error: { code: 'validation_failed' as const, message: 'Cursor inválido: use a data/hora ISO recebida em cursor.' } }, 400);
      }
      const clinicId = c.get('auth').clinicId;
      const tenant = c.get('tenant');
      const log = c.get('log');
      // Without a cursor, the stream starts from "now": only what happens from here on is pushed.
      let cursor = parsed?.data ?? deps.now().toISOString();
      c.header('Cache-Control', 'no-cache, no-transform');
      c.header('X-Accel-Buffering', 'no');
      return streamSSE(c, async (stream) => {
        let open = true;
        stream.onAbort(() => { open = false; });
        const until = Date.now() + STREAM_MAX_MS;
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ cursor }), id: cursor });
        while (open && Date.now() < until) {
          try {
            const fresh = await tenant((tx) => loadNotifications(tx, clinicId, { after: cursor, limit: 50 }));
            for (const n of fresh) {
              cursor = n.cursor;
              await stream.writeSSE({ event: 'notification', data: JSON.stringify(n), id: n.cursor });
            }
            if (!fresh.length) await stream.write(': ping\n\n');
          } catch (err) {
            log.warn({ err }, 'notification stream poll failed');
          }
          await stream.sleep(STREAM_POLL_MS);
        }
      }, async (err, stream) => {
        log.warn({ err }, 'notification stream failed');
        await stream.close();
      });
    });
}
