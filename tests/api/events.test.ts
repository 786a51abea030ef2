// Live changes as server-sent events: a write to appointments or payments — by anyone, here straight in
// the database as the worker would — reaches the clinic's open streams within moments, one event per
// statement (a bulk insert is one), and never another clinic's; without a session there is no stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { appointments } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createTestApp, login } from '../support/app';
import { createReminderClinic } from '../support/reminder-fixtures';

let tdb: TestDatabase;
let api: Awaited<ReturnType<typeof createTestApp>>;
let a: Awaited<ReturnType<typeof createReminderClinic>>;
let b: Awaited<ReturnType<typeof createReminderClinic>>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  api = await createTestApp(tdb.db);
  a = await createReminderClinic(tdb.db, 'Clínica Ao Vivo');
  b = await createReminderClinic(tdb.db, 'Clínica Vizinha');
});
afterAll(async () => { await api?.close(); await tdb?.drop(); });

/** Opens the stream and collects its events until closed. */
async function open(token: string) {
  const controller = new AbortController();
  const res = await api.app.request('/api/events', { headers: bearer(token), signal: controller.signal });
  const events: { event: string; data: unknown }[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += decoder.decode(value, { stream: true });
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event) events.push({ event, data: data ? JSON.parse(data) : null });
        }
      }
    } catch { /* aborted */ }
  })();
  const until = async (n: number) => {
    const deadline = Date.now() + 5000;
    while (events.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return events;
  };
  return { res, events, until, close: () => { controller.abort(); void reader.cancel().catch(() => {}); } };
}

describe('GET /api/events', () => {
  it("streams the clinic's appointment and payment changes, one per statement, never another clinic's", async () => {
    const sa = await open(await login(api.app, a.members.view.email));
    const sb = await open(await login(api.app, b.members.staff.email));
    expect(sa.res.headers.get('content-type')).toContain('text/event-stream');
    await sa.until(1);
    await sb.until(1);
    expect(sa.events[0]).toEqual({ event: 'ready', data: {} });

    const starts = Array.from({ length: 5 }, (_, i) => new Date(Date.UTC(2031, 0, 10, 12 + i)));
    const rows = await tdb.db.insert(appointments).values(starts.map((startsAt) => ({
      clinicId: a.clinic.id, patientId: a.carla.id, procedureId: a.limpeza.id, professionalId: a.helena.id, startsAt, durationMinutes: 30, priceCents: 10000,
    }))).returning();
    await tdb.db.update(appointments).set({ status: 'cancelado', cancelReason: 'pelo link' }).where(eq(appointments.id, rows[0]!.id));
    const got = await sa.until(3);
    expect(got.slice(1)).toEqual([
      { event: 'change', data: { entity: 'appointments', op: 'INSERT', rows: 5 } },
      { event: 'change', data: { entity: 'appointments', op: 'UPDATE', rows: 1 } },
    ]);
    await new Promise((r) => setTimeout(r, 200));
    expect(sb.events).toEqual([{ event: 'ready', data: {} }]);
    sa.close();
    sb.close();
  });

  it('needs a session', async () => {
    expect((await api.app.request('/api/events')).status).toBe(401);
  });
});
