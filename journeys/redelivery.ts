// The one redelivery mechanism. The database is the truth: a change the journeys must hear about is
// marked in its own row (appointments.journey_sync_pending_since, inbound_messages.outcome =
// 'signal_failed'); a sweep re-sends what is still marked, oldest first, and clears the mark. It runs
// shortly after start-up (a crash between commit and signal leaves marks behind) and whenever a send
// fails (kick), backing off while Temporal stays away. Every signal is idempotent, so a repeat is safe.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Logger } from '../config/logger';
import type { Db } from '../db/client';
import { conversationMessages, conversations, inboundMessages } from '../db/schema';
import { deliverPatientReply } from './reply';
import { deliverLeadMessage } from './lead';
import { isNotRunning, type Client } from './temporal';

export interface SweepTask {
  name: string;
  /** Re-sends one batch: how many failed, and whether more is left. */
  run(): Promise<{ failed: number; remaining: boolean }>;
}

export interface RedeliveryOptions {
  /** First retry delay after a failure; doubles up to maxDelayMs. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Delay of the sweep armed at start-up; null = none. */
  startupSweepMs?: number | null;
}

export interface Redelivery {
  /** Arms a sweep (soon, or after the current back-off). */
  kick(ms?: number): void;
  /** Runs every task once now. */
  sweep(): Promise<{ failed: number; remaining: boolean }>;
  dispose(): void;
}

export function createRedelivery(tasks: SweepTask[], log: Logger, opts: RedeliveryOptions = {}): Redelivery {
  const firstDelay = opts.firstDelayMs ?? 5_000;
  const maxDelay = opts.maxDelayMs ?? 5 * 60_000;
  let delay = firstDelay;
  let timer: NodeJS.Timeout | null = null;
  let disposed = false;

  async function sweep() {
    let failed = 0;
    let remaining = false;
    for (const task of tasks) {
      try {
        const r = await task.run();
        failed += r.failed;
        remaining ||= r.remaining;
      } catch (err) {
        log.warn({ err, task: task.name }, 'redelivery sweep failed');
        failed++;
        remaining = true;
      }
    }
    return { failed, remaining };
  }

  function kick(ms = delay) {
    if (disposed || timer) return;
    timer = setTimeout(async () => {
      timer = null;
      const { failed, remaining } = await sweep();
      delay = failed > 0 ? Math.min(delay * 2, maxDelay) : firstDelay;
      if (remaining) kick();
    }, ms);
    timer.unref();
  }

  const startup = opts.startupSweepMs === undefined ? 30_000 : opts.startupSweepMs;
  if (startup !== null) kick(startup);

  return {
    kick, sweep,
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

export interface ReplyRedeliveryDeps {
  db: Db;
  temporal: Client;
  log: Logger;
  taskQueue: string;
  /** false on the time-skipping test server (no custom search attributes). */
  searchAttributes?: boolean;
  now?: () => Date;
}

/**
 * Re-sends the inbound messages whose signal failed within the last `maxAgeMs`, oldest first: a lead
 * message from its conversation row (signalWithStart), a reply to the appointment's journey.
 */
export async function resendFailedReplies(deps: ReplyRedeliveryDeps, opts: { limit?: number; maxAgeMs?: number } = {}) {
  const now = deps.now?.() ?? new Date();
  const since = new Date(now.getTime() - (opts.maxAgeMs ?? 24 * 3600_000));
  const limit = opts.limit ?? 100;
  // Owner connection (no RLS): the sweep serves every clinic.
  const rows = await deps.db.select().from(inboundMessages)
    .where(and(eq(inboundMessages.outcome, 'signal_failed'), sql`${inboundMessages.receivedAt} >= ${since.toISOString()}::timestamptz`, sql`${inboundMessages.workflowId} is not null`))
    .orderBy(asc(inboundMessages.receivedAt)).limit(limit);
  let signalled = 0;
  let failed = 0;
  for (const row of rows) {
    const lead = row.workflowId!.startsWith('lead:');
    try {
      if (lead) {
        const [msg] = await deps.db.select({ id: conversationMessages.id, conversationId: conversationMessages.conversationId, patientId: conversations.patientId, contactName: conversations.contactName })
          .from(conversationMessages).innerJoin(conversations, eq(conversations.id, conversationMessages.conversationId))
          .where(and(eq(conversationMessages.clinicId, row.clinicId), eq(conversationMessages.providerMessageId, row.providerMessageId), eq(conversationMessages.sender, 'paciente')))
          .limit(1);
        if (!msg) throw new Error('conversation message not found');
        await deliverLeadMessage(deps.temporal, {
          clinicId: row.clinicId, phone: row.from, patientId: msg.patientId, profileName: msg.contactName, conversationId: msg.conversationId,
          taskQueue: deps.taskQueue, searchAttributes: deps.searchAttributes,
          message: { messageRowId: msg.id, messageId: row.providerMessageId, text: row.body, receivedAt: row.receivedAt.toISOString(), mediaCount: row.mediaUrls.length },
        });
      } else {
        await deliverPatientReply(deps.temporal, row.workflowId!, {
          text: row.body, channel: row.channel as 'whatsapp' | 'sms', receivedAt: row.receivedAt.toISOString(), messageId: row.providerMessageId,
        });
      }
      await deps.db.update(inboundMessages).set({ outcome: lead ? 'lead' : 'signalled', error: null }).where(eq(inboundMessages.id, row.id));
      signalled++;
    } catch (err) {
      const outcome = !lead && isNotRunning(err) ? 'journey_not_running' : 'signal_failed';
      await deps.db.update(inboundMessages).set({ outcome, error: errorText(err).slice(0, 500) }).where(eq(inboundMessages.id, row.id));
      failed++;
    }
  }
  return { signalled, failed, remaining: failed > 0 || rows.length === limit };
}

export function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
