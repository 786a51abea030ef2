// Live updates for the dashboard (issue #13): PostgreSQL tells every API process what changed
// (db/migrations/0032: one NOTIFY per statement and clinic on `tigre_events` when appointments or
// payments are written, by the API, the worker or anyone else), and the hub hands each notification to
// the clinic's subscribers (the server-sent-event streams of api/routes/events.ts). One LISTEN
// connection per process, opened on the first subscriber; a notification never leaves its clinic.
import type { Sql } from 'postgres';

export interface ClinicEvent {
  /** appointments | payments */
  entity: string;
  op: 'INSERT' | 'UPDATE' | 'DELETE';
  /** Rows written by the statement. */
  rows: number;
}

type Listener = (e: ClinicEvent) => void;

export interface EventHub {
  subscribe(clinicId: string, fn: Listener): Promise<() => void>;
  /** Subscribers now (health and tests). */
  size(): number;
  close(): Promise<void>;
}

export const EVENTS_CHANNEL = 'tigre_events';

export function createEventHub(sql: Sql, onError: (err: unknown) => void = () => {}): EventHub {
  const byClinic = new Map<string, Set<Listener>>();
  let listening: Promise<{ unlisten: () => Promise<void> }> | null = null;
  const deliver = (payload: string) => {
    let raw: { c?: unknown; e?: unknown; op?: unknown; n?: unknown };
    try {
      raw = JSON.parse(payload);
    } catch {
      return;
    }
    if (typeof raw.c !== 'string') return;
    const subs = byClinic.get(raw.c);
    if (!subs) return;
    const event: ClinicEvent = { entity: String(raw.e), op: raw.op as ClinicEvent['op'], rows: Number(raw.n) || 0 };
    for (const fn of subs) {
      try { fn(event); } catch (err) { onError(err); }
    }
  };
  return {
    async subscribe(clinicId, fn) {
      listening ??= sql.listen(EVENTS_CHANNEL, deliver).catch((err: unknown) => { listening = null; throw err; });
      await listening;
      const set = byClinic.get(clinicId) ?? new Set<Listener>();
      set.add(fn);
      byClinic.set(clinicId, set);
      return () => {
        set.delete(fn);
        if (!set.size) byClinic.delete(clinicId);
      };
    },
    size: () => [...byClinic.values()].reduce((s, x) => s + x.size, 0),
    async close() {
      byClinic.clear();
      const l = listening;
      listening = null;
      if (l) await (await l).unlisten().catch(onError);
    },
  };
}
