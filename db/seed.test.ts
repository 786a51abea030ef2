// The demo seed: idempotent, deterministic for a given `now`, and plausible enough for every screen.
import { verify } from '@node-rs/argon2';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidCpf } from '../domain/cpf';
import { DEFAULT_REMINDER_TEMPLATES, type ReminderChannel, type ReminderTemplateKey } from '../domain/reminder-templates';
import { createTestDatabase, type TestDatabase } from '../tests/support/db';
import { revealCpf } from './crypto';
import { clinicMemberships, patients, users } from './schema';
import { ANNA_SHOWCASE_PHONES, DEMO_CLINIC_NAME, DEMO_PASSWORD, DEMO_USERS, seedAnnaShowcase, seedDemo } from './seed';
import { withClinic } from './tenancy';

const now = new Date('2026-03-10T15:00:00Z');
const opts = { now, dataKey: Buffer.alloc(32, 7), linkSecret: 'test-link-secret-0123456789' };
const TABLES = [
  'clinics', 'users', 'clinic_memberships', 'procedures', 'procedure_prices', 'professionals', 'professional_working_hours',
  'professional_procedures', 'professional_time_blocks', 'clinic_holidays', 'patients', 'patient_phones', 'patient_addresses',
  'consents', 'appointments', 'appointment_confirmations', 'payments', 'recurring_payments', 'conversations', 'conversation_messages',
  'conversation_qualifications', 'nps_surveys', 'reviews', 'rewards', 'loyalty_accounts', 'loyalty_transactions', 'message_outbox',
  'daily_metrics', 'analytics_events', 'audit_log',
];

let t: TestDatabase;
let clinicId: string;
let firstRun: { seeded: boolean; clinicId: string };
let seedMs: number;

async function counts(db: TestDatabase): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = (await db.sql.unsafe(`select count(*)::int as n from ${table}`))[0].n;
  return out;
}

beforeAll(async () => {
  t = await createTestDatabase();
  const started = Date.now();
  firstRun = await seedDemo(t.db, opts);
  seedMs = Date.now() - started;
  clinicId = firstRun.clinicId;
});
afterAll(() => t?.drop());

describe('seedDemo', () => {
  it('seeds once, quickly, and is a no-op the second time', async () => {
    expect(firstRun.seeded).toBe(true);
    expect(seedMs).toBeLessThan(15_000);
    const before = await counts(t);
    const again = await seedDemo(t.db, opts);
    expect(again).toEqual({ seeded: false, clinicId });
    expect(await counts(t)).toEqual(before);
  });

  it('fills every table with plausible amounts', async () => {
    const c = await counts(t);
    expect(c.clinics).toBe(1);
    expect(c.users).toBe(3);
    expect(c.professionals).toBe(3);
    expect(c.procedures).toBeGreaterThanOrEqual(10);
    expect(c.patients).toBe(200);
    expect(c.appointments).toBeGreaterThan(500);
    expect(c.payments).toBeGreaterThan(300);
    expect(c.nps_surveys).toBeGreaterThan(100);
    expect(c.conversations).toBeGreaterThan(50);
    expect(c.daily_metrics).toBeGreaterThan(170);
    for (const table of TABLES) expect(c[table], table).toBeGreaterThan(0);
  });

  it('spreads appointments over six months back and three weeks ahead, with fitting statuses', async () => {
    const rows = await t.sql<{ past: boolean; status: string; n: number }[]>`
      select ends_at <= ${now.toISOString()}::timestamptz as past, status::text, count(*)::int as n from appointments group by 1, 2`;
    const past = rows.filter((r) => r.past).map((r) => r.status).sort();
    const future = rows.filter((r) => !r.past).map((r) => r.status);
    expect(past).toEqual(['cancelado', 'no_show', 'realizado']);
    expect(future.every((s) => ['agendado', 'confirmado', 'cancelado'].includes(s))).toBe(true);
    expect(future).toContain('agendado');
    const [range] = await t.sql<{ back: number; ahead: number }[]>`
      select extract(epoch from ${now.toISOString()}::timestamptz - min(starts_at)) / 86400 as back,
             extract(epoch from max(starts_at) - ${now.toISOString()}::timestamptz) / 86400 as ahead
      from appointments`;
    expect(Number(range.back)).toBeGreaterThan(170);
    expect(Number(range.ahead)).toBeGreaterThan(14);
  });

  it('books only inside the professionals’ working hours (clinic time zone), never on holidays', async () => {
    const [{ outside }] = await t.sql<{ outside: number }[]>`
      select count(*)::int as outside from appointments a
      where not exists (
        select 1 from professional_working_hours h
        where h.professional_id = a.professional_id
          and h.weekday = extract(dow from a.starts_at at time zone 'America/Sao_Paulo')
          and h.start_minute <= extract(hour from a.starts_at at time zone 'America/Sao_Paulo') * 60 + extract(minute from a.starts_at at time zone 'America/Sao_Paulo')
          and h.end_minute >= extract(hour from a.ends_at at time zone 'America/Sao_Paulo') * 60 + extract(minute from a.ends_at at time zone 'America/Sao_Paulo'))
        or exists (select 1 from clinic_holidays d where d.day = (a.starts_at at time zone 'America/Sao_Paulo')::date)
        or exists (select 1 from professional_time_blocks b where b.professional_id = a.professional_id and b.starts_at < a.ends_at and b.ends_at > a.starts_at)`;
    expect(outside).toBe(0);
  });

  it('keeps the story consistent: payments for completed visits, NPS after them, nothing after now', async () => {
    const [bad] = await t.sql<{ paid_not_done: number; nps_not_done: number; future_payments: number; converted_without: number }[]>`
      select
        (select count(*)::int from payments p join appointments a on a.id = p.appointment_id
          where p.status = 'aprovado' and a.status not in ('realizado', 'agendado', 'confirmado')) as paid_not_done,
        (select count(*)::int from nps_surveys n join appointments a on a.id = n.appointment_id where a.status <> 'realizado') as nps_not_done,
        (select count(*)::int from payments where created_at > ${now.toISOString()}::timestamptz or processed_at > ${now.toISOString()}::timestamptz) as future_payments,
        (select count(*)::int from conversations where status = 'convertida' and converted_appointment_id is null) as converted_without`;
    expect(bad).toEqual({ paid_not_done: 0, nps_not_done: 0, future_payments: 0, converted_without: 0 });
    const [{ promoters }] = await t.sql<{ promoters: number }[]>`select count(*)::int as promoters from nps_surveys where score >= 9`;
    expect(promoters).toBeGreaterThan(20);
  });

  it('sends its reminders under the template keys the product sends and the reminders report counts', async () => {
    const rows = await t.sql<{ template: string; channel: ReminderChannel; n: number }[]>`
      select o.template, o.channel::text as channel, count(*)::int as n from message_outbox o
      where exists (select 1 from appointment_confirmations c where c.appointment_id = o.appointment_id and c.channel = o.channel)
        and o.template <> 'nps'
      group by 1, 2 order by 1, 2`;
    // Each (key, channel) is one the appointment journey sends (domain/reminder-templates.ts).
    expect(rows.map((r) => `${r.template}:${r.channel}`)).toEqual(['reminder_24h:whatsapp', 'reminder_2h:sms', 'reminder_2h_location:whatsapp']);
    for (const r of rows) expect(DEFAULT_REMINDER_TEMPLATES[r.template as ReminderTemplateKey]?.[r.channel], `${r.template}:${r.channel}`).toBeDefined();
    // Every logged reminder has its message there, so the report's per-channel counts match the log.
    const [{ unmatched }] = await t.sql<{ unmatched: number }[]>`
      select count(*)::int as unmatched from appointment_confirmations c
      where not exists (
        select 1 from message_outbox o where o.appointment_id = c.appointment_id and o.channel = c.channel
          and o.template in ('reminder_24h', 'reminder_2h', 'reminder_2h_location')
          and (o.template = 'reminder_24h') = (c.kind = 'lembrete_24h'))`;
    expect(unmatched).toBe(0);
  });

  it('stores CPFs encrypted and valid, and demo users who can sign in', async () => {
    const rows = await t.db.select({ cpfEncrypted: patients.cpfEncrypted }).from(patients);
    const withCpf = rows.filter((r) => r.cpfEncrypted);
    expect(withCpf.length).toBeGreaterThan(150);
    for (const r of withCpf) expect(isValidCpf(revealCpf(opts.dataKey, r.cpfEncrypted!))).toBe(true);
    const members = await t.db
      .select({ email: users.email, role: clinicMemberships.role, passwordHash: users.passwordHash })
      .from(users).innerJoin(clinicMemberships, eq(clinicMemberships.userId, users.id));
    expect(members.map((m) => [m.email, m.role]).sort()).toEqual(DEMO_USERS.map((u) => [u.email, u.role]).sort());
    expect(await verify(members[0].passwordHash, DEMO_PASSWORD)).toBe(true);
  });

  it('is visible through the clinic’s row-level security scope', async () => {
    const [row] = await withClinic(t.db, clinicId, (tx) => tx.execute<{ n: number }>(sql`select count(*)::int as n from patients`));
    expect(row.n).toBe(200);
    const [clinic] = await withClinic(t.db, clinicId, (tx) => tx.execute<{ name: string }>(sql`select name from clinics`));
    expect(clinic.name).toBe(DEMO_CLINIC_NAME);
  });

  it('is deterministic for the same `now`', async () => {
    const other = await createTestDatabase();
    try {
      await seedDemo(other.db, opts);
      const story = (db: TestDatabase) => db.sql`
        select a.starts_at, a.status::text, p.name as patient, pr.name as professional, a.price_cents
        from appointments a join patients p on p.id = a.patient_id join professionals pr on pr.id = a.professional_id
        order by a.starts_at, pr.name`;
      expect(await story(other)).toEqual(await story(t));
      expect(await counts(other)).toEqual(await counts(t));
    } finally {
      await other.drop();
    }
  });

  it('adds the Anna inbox showcase: every conversation state, score factors that add up, delivery status and AI usage', async () => {
    const rows = await t.sql<{ phone: string; status: string; stage: string; needs_staff: boolean; unread_count: number; score: number | null; factors: number | null; appointment_ok: boolean | null; first_reply: boolean; messages: number; outbound_with_status: number; ai_calls: number }[]>`
      select c.patient_whatsapp as phone, c.status::text, c.stage, c.needs_staff, c.unread_count, q.score,
        (select sum((f->>'points')::int)::int from jsonb_array_elements(q.score_factors) f) as factors,
        (select a.patient_id = c.patient_id and a.status = 'agendado' from appointments a where a.id = c.converted_appointment_id) as appointment_ok,
        c.first_reply_at > c.started_at as first_reply,
        (select count(*)::int from conversation_messages m where m.conversation_id = c.id) as messages,
        (select count(*)::int from conversation_messages m join message_outbox o on o.id = m.outbox_id where m.conversation_id = c.id and m.sender <> 'paciente') as outbound_with_status,
        (select count(*)::int from ai_calls ai where ai.conversation_id = c.id) as ai_calls
      from conversations c left join conversation_qualifications q on q.conversation_id = c.id
      where exists (select 1 from message_outbox o where o.idempotency_key like 'seed-anna:' || c.id || ':%')
      order by c.started_at`;
    const byStatus = (st: string) => rows.filter((r) => r.status === st);
    expect(rows).toHaveLength(5);
    const [converted] = byStatus('convertida');
    expect(converted).toMatchObject({ stage: 'done', score: 88, factors: 88, appointment_ok: true });
    const queue = rows.find((r) => r.phone === ANNA_SHOWCASE_PHONES.queue)!;
    expect(queue).toMatchObject({ status: 'aberta', stage: 'staff_queue', needs_staff: true, unread_count: 1, score: 45, factors: 45 });
    expect(rows.find((r) => r.phone === ANNA_SHOWCASE_PHONES.qualifying)).toMatchObject({ status: 'aberta', stage: 'qualifying', score: null });
    expect(rows.find((r) => r.phone === ANNA_SHOWCASE_PHONES.abandoned)).toMatchObject({ status: 'abandonada', score: 30, factors: 30 });
    expect(rows.find((r) => r.phone === ANNA_SHOWCASE_PHONES.spam)).toMatchObject({ status: 'spam', score: null });
    for (const r of rows) {
      expect(r.first_reply, r.phone).toBe(true);
      expect(r.outbound_with_status, r.phone).toBeGreaterThan(0);
      expect(r.ai_calls, r.phone).toBeGreaterThan(0);
    }
    // Every older demo conversation Anna answered has its time to first reply; closed ones are done.
    const [gaps] = await t.sql<{ no_first_reply: number; closed_not_done: number }[]>`
      select (select count(*)::int from conversations c where c.first_reply_at is null
                and exists (select 1 from conversation_messages m where m.conversation_id = c.id and m.sender = 'anna')) as no_first_reply,
             (select count(*)::int from conversations where status <> 'aberta' and stage <> 'done') as closed_not_done`;
    expect(gaps).toEqual({ no_first_reply: 0, closed_not_done: 0 });
    // Already there: a second call adds nothing.
    expect(await seedAnnaShowcase(t.db, clinicId, now)).toEqual({ added: false });
  });

  it('adds the showcase to a demo clinic seeded before it existed', async () => {
    const other = await createTestDatabase();
    try {
      const first = await seedDemo(other.db, opts);
      await other.sql`delete from ai_calls`;
      await other.sql`delete from conversations c where exists (select 1 from message_outbox o where o.idempotency_key like 'seed-anna:' || c.id || ':%')`;
      await other.sql`delete from message_outbox where idempotency_key like 'seed-anna:%'`;
      expect(await seedDemo(other.db, opts)).toEqual({ seeded: false, clinicId: first.clinicId });
      const [{ n }] = await other.sql<{ n: number }[]>`select count(distinct split_part(idempotency_key, ':', 2))::int as n from message_outbox where idempotency_key like 'seed-anna:%'`;
      expect(n).toBe(5);
    } finally {
      await other.drop();
    }
  });
});
