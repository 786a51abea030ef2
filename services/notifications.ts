// Telling the clinic: one notice in the dashboard's bell (analytics_events) per key, never twice even
// when an activity is retried (advisory lock on the key), and the same text on Slack when configured.
// The dashboard row is the notice of record; Slack failing never fails the notice.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { withClinic } from '../db/tenancy';
import { analyticsEvents } from '../db/schema';
import { createSlackNotifier } from '../providers/slack';

export type NoticeKind = 'appointment_cancelled' | 'appointment_no_show' | 'lead_converted' | 'lead_needs_staff' | 'nps_detractor';

export interface ClinicNotice {
  clinicId: string;
  kind: NoticeKind;
  /** Once per key (e.g. `appointment_cancelled:{id}:{startsAt}`). */
  key: string;
  /** pt-BR, as the bell shows it. */
  description: string;
  patientId: string | null;
  /** Stored with the notice (appointmentId, conversationId, …). */
  data?: Record<string, unknown>;
  /** Slack's text when it should differ from the description (e.g. prefixed with the clinic's name). */
  slackText?: string;
}

export interface NotificationDeps {
  db: Db;
  log?: { warn(obj: object, msg: string): void };
  slackWebhookUrl?: string;
  fetch?: typeof fetch;
  now?: () => Date;
}

export function createClinicNotifier(deps: NotificationDeps) {
  const slack = deps.slackWebhookUrl
    ? createSlackNotifier(deps.slackWebhookUrl, {
      fetch: deps.fetch,
      onError: (err, status) => deps.log?.warn({ err, status }, 'slack webhook failed'),
    })
    : null;
  return {
    /** Records the notice unless one with its key exists; true when it was new (and then went to Slack). */
    async notify(n: ClinicNotice): Promise<boolean> {
      const recorded = await withClinic(deps.db, n.clinicId, async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${n.key}, 0))`);
        const [seen] = await tx.select({ id: analyticsEvents.id }).from(analyticsEvents)
          .where(and(eq(analyticsEvents.clinicId, n.clinicId), eq(analyticsEvents.kind, n.kind), sql`${analyticsEvents.data}->>'key' = ${n.key}`)).limit(1);
        if (seen) return false;
        await tx.insert(analyticsEvents).values({
          clinicId: n.clinicId, kind: n.kind, description: n.description, patientId: n.patientId, occurredAt: deps.now?.() ?? new Date(),
          data: { key: n.key, ...n.data },
        });
        return true;
      });
      if (recorded && slack) await slack.post(n.slackText ?? n.description);
      return recorded;
    },
  };
}
