// One patient's history on a single timeline: appointments, payments, NPS answers, conversations (newest first).
import { z } from '@hono/zod-openapi';
import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { ApiError } from '../errors';

export const TIMELINE_TYPES = ['appointment', 'payment', 'nps', 'conversation'] as const;
export type TimelineType = (typeof TIMELINE_TYPES)[number];

export const TimelineItem = z
  .object({
    type: z.enum(TIMELINE_TYPES),
    id: z.string(),
    /** When it happened: appointment start, payment processed (or created), NPS answered (or sent), conversation start. */
    at: z.string(),
    /** pt-BR one-liner for the timeline. */
    title: z.string(),
    /**
     * The Temporal journey behind the item: the conversation's stored workflow id (lead:…), or for
     * appointments and NPS the id DESIGN.md fixes (appointment:{id}, nps:{appointmentId}).
     */
    journey: z.object({ kind: z.enum(['lead', 'appointment', 'nps']), workflowId: z.string() }).nullable(),
    appointment: z.object({
      status: z.string(), procedure: z.object({ id: z.string(), name: z.string() }), professional: z.object({ id: z.string(), name: z.string() }),
      durationMinutes: z.number().int(), priceCents: z.number().int(), paymentStatus: z.string(), source: z.string(), cancelReason: z.string().nullable(),
    }).optional(),
    payment: z.object({
      amountCents: z.number().int(), method: z.string(), status: z.string(), description: z.string().nullable(), appointmentId: z.string().nullable(),
    }).optional(),
    nps: z.object({
      score: z.number().int().nullable(), comment: z.string().nullable(), answered: z.boolean(), appointmentId: z.string(),
      status: z.string(), npsClass: z.string().nullable(), lateAnswer: z.boolean(), sentimentLabel: z.string().nullable(),
    }).optional(),
    conversation: z.object({
      status: z.string(), lastMessageAt: z.string(), messageCount: z.number().int(), convertedAppointmentId: z.string().nullable(),
    }).optional(),
  })
  .openapi('PatientTimelineItem');
export type TimelineItemOut = z.infer<typeof TimelineItem>;

export const TimelinePage = z.object({ items: z.array(TimelineItem), nextCursor: z.string().nullable() }).openapi('PatientTimelinePage');

interface TimelineCursor { at: string; id: string }
const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeTimelineCursor(raw: string): TimelineCursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (c && TS.test(c.at) && UUID.test(c.id)) return { at: c.at, id: c.id };
  } catch { /* fall through */ }
  throw new ApiError(400, 'validation_failed', 'Cursor inválido: recomece da primeira página.', { cursor: ['Cursor inválido.'] });
}

const ts = (expr: SQL) => sql`to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const iso = (micro: string) => `${micro.slice(0, 23)}Z`;

const STATUS: Record<string, string> = {
  agendado: 'agendado', confirmado: 'confirmado', realizado: 'realizado', cancelado: 'cancelado', no_show: 'falta',
};
const brl = (cents: number) => `R$ ${Math.floor(cents / 100).toLocaleString('pt-BR')},${String(cents % 100).padStart(2, '0')}`;

type Raw = { type: TimelineType; id: string; at: string; d: Record<string, any> };

/** One page of the timeline (RLS applies: the caller runs it in the tenant transaction). */
export async function loadTimeline(tx: Tx, patientId: string, opts: { limit: number; cursor: TimelineCursor | null; types: TimelineType[] }) {
  const parts: SQL[] = [];
  const want = new Set(opts.types.length ? opts.types : TIMELINE_TYPES);
  if (want.has('appointment')) {
    parts.push(sql`select 'appointment' as type, a.id, a.starts_at as at, json_build_object(
        'status', a.status, 'procedureId', a.procedure_id, 'procedureName', pr.name, 'professionalId', a.professional_id, 'professionalName', pf.name,
        'durationMinutes', a.duration_minutes, 'priceCents', a.price_cents, 'paymentStatus', a.payment_status, 'source', a.source, 'cancelReason', a.cancel_reason) as d
      from appointments a join procedures pr on pr.id = a.procedure_id join professionals pf on pf.id = a.professional_id
      where a.patient_id = ${patientId}`);
  }
  if (want.has('payment')) {
    parts.push(sql`select 'payment', py.id, coalesce(py.processed_at, py.created_at), json_build_object(
        'amountCents', py.amount_cents, 'method', py.method, 'status', py.status, 'description', py.description, 'appointmentId', py.appointment_id)
      from payments py where py.patient_id = ${patientId}`);
  }
  if (want.has('nps')) {
    parts.push(sql`select 'nps', n.id, coalesce(n.answered_at, n.sent_at, n.created_at), json_build_object(
        'score', n.score, 'comment', n.comment, 'answered', n.answered, 'appointmentId', n.appointment_id,
        'status', n.status, 'npsClass', n.nps_class, 'workflowId', n.workflow_id, 'lateAnswer', n.late_answer, 'sentimentLabel', n.sentiment_label)
      from nps_surveys n where n.patient_id = ${patientId}`);
  }
  if (want.has('conversation')) {
    parts.push(sql`select 'conversation', cv.id, cv.started_at, json_build_object(
        'status', cv.status, 'lastMessageAt', ${ts(sql`cv.last_message_at`)}, 'workflowId', cv.workflow_id, 'convertedAppointmentId', cv.converted_appointment_id,
        'messageCount', (select count(*) from conversation_messages m where m.conversation_id = cv.id))
      from conversations cv where cv.patient_id = ${patientId}`);
  }
  const after = opts.cursor
    ? sql`where t.at <= ${opts.cursor.at}::timestamptz and (t.at < ${opts.cursor.at}::timestamptz or t.id < ${opts.cursor.id}::uuid)`
    : sql``;
  const rows = await tx.execute<Raw>(sql`
    select t.type, t.id, ${ts(sql`t.at`)} as at, t.d from (${sql.join(parts, sql` union all `)}) as t(type, id, at, d)
    ${after}
    order by t.at desc, t.id desc
    limit ${opts.limit + 1}`);
  const shown = rows.slice(0, opts.limit);
  const last = shown[shown.length - 1];
  return {
    items: shown.map(toItem),
    nextCursor: rows.length > opts.limit && last ? Buffer.from(JSON.stringify({ at: last.at, id: last.id })).toString('base64url') : null,
  };
}

function toItem(r: Raw): TimelineItemOut {
  const d = typeof r.d === 'string' ? JSON.parse(r.d) : r.d;
  const base = { type: r.type, id: r.id, at: iso(r.at) };
  switch (r.type) {
    case 'appointment':
      return {
        ...base,
        title: `${d.procedureName} com ${d.professionalName} (${STATUS[d.status] ?? d.status})`,
        journey: { kind: 'appointment', workflowId: `appointment:${r.id}` },
        appointment: {
          status: d.status, procedure: { id: d.procedureId, name: d.procedureName }, professional: { id: d.professionalId, name: d.professionalName },
          durationMinutes: d.durationMinutes, priceCents: d.priceCents, paymentStatus: d.paymentStatus, source: d.source, cancelReason: d.cancelReason,
        },
      };
    case 'payment':
      return {
        ...base,
        title: `Pagamento de ${brl(d.amountCents)} via ${d.method} (${d.status})`,
        journey: null,
        payment: { amountCents: d.amountCents, method: d.method, status: d.status, description: d.description, appointmentId: d.appointmentId },
      };
    case 'nps':
      return {
        ...base,
        title: npsTitle(d),
        // Only a survey whose journey really ran links to it (the demo's imported history has none).
        journey: d.workflowId ? { kind: 'nps', workflowId: d.workflowId } : null,
        nps: {
          score: d.score, comment: d.comment, answered: d.answered, appointmentId: d.appointmentId, status: d.status ?? 'respondida',
          npsClass: d.npsClass ?? null, lateAnswer: d.lateAnswer === true, sentimentLabel: d.sentimentLabel ?? null,
        },
      };
    case 'conversation':
      return {
        ...base,
        title: `Conversa no WhatsApp (${d.status})`,
        journey: d.workflowId ? { kind: 'lead', workflowId: d.workflowId } : null,
        conversation: { status: d.status, lastMessageAt: iso(d.lastMessageAt), messageCount: Number(d.messageCount), convertedAppointmentId: d.convertedAppointmentId },
      };
  }
}

const CLASS_LABELS: Record<string, string> = { promoter: 'promotora', neutral: 'neutra', detractor: 'detratora' };

function npsTitle(d: Record<string, unknown>): string {
  if (d.answered) {
    const cls = typeof d.npsClass === 'string' ? ` (${CLASS_LABELS[d.npsClass] ?? d.npsClass})` : '';
    return `Respondeu a pesquisa NPS: nota ${d.score}${cls}${d.lateAnswer ? ', depois do prazo' : ''}`;
  }
  switch (d.status) {
    case 'aguardando': return 'Pesquisa NPS agendada';
    case 'enviada': return 'Pesquisa NPS enviada (aguardando resposta)';
    case 'nao_enviada': return 'Pesquisa NPS não enviada (sem canal ou sem consentimento)';
    default: return 'Pesquisa NPS enviada (sem resposta)';
  }
}
