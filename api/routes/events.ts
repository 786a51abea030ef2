// GET /api/events: the clinic's live changes as server-sent events (issue #13), so the dashboard and the
// agenda refresh when an appointment or a payment changes anywhere (a patient cancelling by link, the
// worker marking a no-show, another receptionist). `event: change` with {entity, op, rows}; a comment
// every 25 s keeps proxies from closing an idle stream. Any signed-in member may listen.
import { streamSSE } from 'hono/streaming';
import type { Hono } from 'hono';
import type { EventHub } from '../../services/events';
import type { AppEnv } from '../context';

export const HEARTBEAT_MS = 25_000;

export function mountEvents(app: Hono<AppEnv>, hub: EventHub) {
  app.get('/api/events', (c) => {
    const { clinicId } = c.get('auth');
    const log = c.get('log');
    c.header('cache-control', 'no-store');
    c.header('x-accel-buffering', 'no');
    return streamSSE(c, async (stream) => {
      const queue: string[] = [];
      let wake: (() => void) | null = null;
      const unsubscribe = await hub.subscribe(clinicId, (e) => {
        queue.push(JSON.stringify(e));
        wake?.();
      });
      stream.onAbort(() => { unsubscribe(); wake?.(); });
      try {
        await stream.writeSSE({ event: 'ready', data: '{}' });
        while (!stream.aborted && !stream.closed) {
          while (queue.length) await stream.writeSSE({ event: 'change', data: queue.shift()! });
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, HEARTBEAT_MS).unref?.();
          });
          wake = null;
          if (!queue.length && !stream.aborted) await stream.write(': ping\n\n');
        }
      } catch (err) {
        log.debug({ err }, 'event stream ended');
      } finally {
        unsubscribe();
      }
    });
  });
}
