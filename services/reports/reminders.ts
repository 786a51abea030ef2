// The reminders' report per channel (Lembretes, and the monthly report): sent, delivered, read, answered,
// failed and skipped messages of the period, and the reminded appointments' fate (confirmed, attended,
// cancelled, no-show). Every count of messages is a filter of the sent ones, so a rate over sent can
// never pass 100%; the success rate is over the reminded appointments (each counted once in the total).
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { share } from '../../domain/kpis';

export const SUCCESS_RULE = 'Taxa de sucesso = agendamentos lembrados que foram confirmados pelo paciente ou realizados ÷ agendamentos que receberam ao menos um lembrete no período (por canal: lembrados por aquele canal; no total, cada agendamento conta uma vez). Taxa de resposta = lembretes enviados no período que o paciente respondeu ÷ lembretes enviados no período.';

export const REMINDER_CHANNELS = ['whatsapp', 'sms', 'email', 'total'] as const;

export interface ReminderChannelReport {
  channel: (typeof REMINDER_CHANNELS)[number];
  sent: number; delivered: number; read: number; failed: number; skipped: number;
  reminded: number; confirmed: number; attended: number; cancelled: number; noShow: number;
  answered: number; answerRate: number | null; successRate: number | null;
}

/** The period's report (local days `from`…`to` in `tz`), one entry per channel and the total. */
export async function reminderReport(tx: Tx, clinicId: string, from: string, to: string, tz: string): Promise<ReminderChannelReport[]> {
  const rows = [...await tx.execute<Record<string, string | number | null>>(reportSql(clinicId, from, to, tz))];
  const num = (v: unknown) => Number(v ?? 0);
  const rate = (part: number, whole: number) => { const v = share(part, whole); return v == null ? null : Math.round(v * 1000) / 1000; };
  return REMINDER_CHANNELS.map((channel) => {
    const r = rows.find((x) => x.channel === channel) ?? {};
    const reminded = num(r.reminded);
    const sent = num(r.sent);
    return {
      channel, sent, delivered: num(r.delivered), read: num(r.read), failed: num(r.failed), skipped: num(r.skipped),
      reminded, confirmed: num(r.confirmed), attended: num(r.attended), cancelled: num(r.cancelled), noShow: num(r.no_show),
      answered: num(r.answered), answerRate: rate(num(r.answered), sent), successRate: rate(num(r.success), reminded),
    };
  });
}

/** One pass over the period's reminder messages (grouping sets: per channel and the total). */
function reportSql(clinicId: string, from: string, to: string, tz: string) {
  const start = sql`((${from})::date::timestamp at time zone ${tz})`;
  const end = sql`(((${to})::date + 1)::timestamp at time zone ${tz})`;
  return sql`
    with msg as (
      select o.channel::text as channel, o.appointment_id, o.status, o.delivered_at, o.read_at,
        o.status in ('sent', 'delivered', 'read') as was_sent,
        -- The reply to this very reminder: its step's log row on the same channel, answered.
        exists (
          select 1 from appointment_confirmations ac
          where ac.clinic_id = o.clinic_id and ac.appointment_id = o.appointment_id and ac.channel::text = o.channel::text
            and ac.kind = (case when o.template = 'reminder_24h' then 'lembrete_24h' else 'lembrete_2h' end)::appointment_message_kind
            and ac.response is not null
        ) as was_answered
      from message_outbox o
      where o.clinic_id = ${clinicId} and o.template in ('reminder_24h', 'reminder_2h', 'reminder_2h_location')
        and o.created_at >= ${start} and o.created_at < ${end}
    ),
    -- Every count below the sent ones is a filter of them: a rate over sent can never pass 100%.
    m as (
      select coalesce(channel, 'total') as channel,
        count(*) filter (where was_sent) as sent,
        count(*) filter (where was_sent and (status in ('delivered', 'read') or delivered_at is not null)) as delivered,
        count(*) filter (where was_sent and (status = 'read' or read_at is not null)) as read,
        count(*) filter (where was_sent and was_answered) as answered,
        count(*) filter (where status = 'failed') as failed,
        count(*) filter (where status = 'skipped') as skipped
      from msg group by grouping sets ((channel), ())
    ),
    reminded as (
      select distinct channel, appointment_id from msg
      where appointment_id is not null and status in ('sent', 'delivered', 'read', 'sending')
    ),
    a as (
      select coalesce(r.channel, 'total') as channel,
        count(distinct r.appointment_id) as reminded,
        count(distinct r.appointment_id) filter (where ap.status = 'confirmado' or ap.confirmed_at is not null) as confirmed,
        count(distinct r.appointment_id) filter (where ap.status = 'realizado') as attended,
        count(distinct r.appointment_id) filter (where ap.status = 'cancelado') as cancelled,
        count(distinct r.appointment_id) filter (where ap.status = 'no_show') as no_show,
        count(distinct r.appointment_id) filter (where ap.status in ('confirmado', 'realizado') or (ap.confirmed_at is not null and ap.status <> 'cancelado' and ap.status <> 'no_show')) as success
      from reminded r join appointments ap on ap.id = r.appointment_id and ap.clinic_id = ${clinicId}
      group by grouping sets ((r.channel), ())
    )
    select c.channel, m.sent, m.delivered, m.read, m.failed, m.skipped, a.reminded, a.confirmed, a.attended, a.cancelled, a.no_show, a.success, m.answered
    from (values ('whatsapp'), ('sms'), ('email'), ('total')) as c(channel)
    left join m on m.channel = c.channel
    left join a on a.channel = c.channel`;
}
