// Liveness and readiness: PostgreSQL and Temporal, each with its latency.
import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { ApiDeps } from '../context';
import { router } from '../openapi';

const Check = z.object({ ok: z.boolean(), latencyMs: z.number() });
const Health = z.object({ status: z.enum(['ok', 'degraded']), postgres: Check, temporal: Check }).openapi('Health');

async function timed(fn: () => Promise<boolean>) {
  const t = performance.now();
  const ok = await fn().catch(() => false);
  return { ok, latencyMs: Math.round(performance.now() - t) };
}

export function healthRoutes(deps: ApiDeps) {
  return router().openapi(
    createRoute({
      method: 'get', path: '/', tags: ['Operação'], summary: 'Saúde do serviço (PostgreSQL e Temporal)',
      responses: {
        200: { description: 'Tudo no ar', content: { 'application/json': { schema: Health } } },
        503: { description: 'Alguma dependência fora do ar', content: { 'application/json': { schema: Health } } },
      },
    }),
    async (c) => {
      const [postgres, temporal] = await Promise.all([
        timed(async () => (await deps.db.execute(sql`select 1 as ok`)).length === 1),
        timed(() => deps.temporalHealthy()),
      ]);
      const ok = postgres.ok && temporal.ok;
      return c.json({ status: ok ? ('ok' as const) : ('degraded' as const), postgres, temporal }, ok ? 200 : 503);
    },
  );
}
