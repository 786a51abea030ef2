// Reads behind the staff inbox: the conversation list (keyset by last activity), one conversation's
// thread with delivery status, its qualification and AI usage, and the chat analytics. Everything runs
// inside the clinic's tenant transaction (row-level security); the explicit clinic filters use the indexes.
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import {
  aiCalls, conversationMessages, conversationQualifications, conversations, npsSurveys, messageOutbox, patients, users,
} from '../../db/schema';
import type { ScoreFactor } from '../../domain/anna/types';
import { ApiError } from '../errors';

export const CONVERSATION_STATUSES = ['aberta', 'convertida', 'abandonada', 'spam'] as const;
export type ConversationStatusName = (typeof CONVERSATION_STATUSES)[number];
export const LAST_MESSAGE_PREVIEW = 140;
/** At most this many messages in one thread answer (the newest ones). */
export const THREAD_LIMIT = 500;

export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

/** The outbox status as the inbox shows it ('sending' is still queued to the eye; a skipped message failed). */
export function deliveryOf(status: string | null): DeliveryStatus | null {
  switch (status) {
    case null: case undefined: return null;
    case 'queued': case 'sending': return 'queued';
    case 'sent': return 'sent';
    case 'delivered': return 'delivered';
    case 'read': return 'read';
    default: return 'failed';
  }
}

// ── Cursor: the last row's (last_message_at with microseconds, id), base64url ────────────────────────

const TS_TEXT = (col: SQL | typeof conversations.lastMessageAt) =>
  sql<string>`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function encodeCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { at: string; id: string } {
  const bad = () => new ApiError(400, 'validation_failed', 'Cursor inválido: use o valor recebido em nextCursor.', { cursor: ['Cursor inválido.'] });
  let text: string;
  try {
    text = Buffer.from(cursor, 'base64url').toString('utf8');
  } catch {
    throw bad();
  }
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(text);
  if (!m || Number.isNaN(Date.parse(m[1]))) throw bad();
  return { at: m[1], id: m[2] };
}

// ── List ─────────────────────────────────────────────────────────────────────────────────────────

export interface ListFilters {
  status?: ConversationStatusName;
  needsStaff?: boolean;
  q?: string;
  channel?: string;
  /** Local days (clinic zone) of the last activity, inclusive. */
  from?: string;
  to?: string;
  /** Only conversations with activity after this instant (live polling). */
  since?: string;
  cursor?: string;
  limit: number;
}

export interface ConversationListItem {
  id: string;
  phone: string;
  contactName: string | null;
  patient: { id: string; name: string } | null;
  status: ConversationStatusName;
  stage: string;
  needsStaff: boolean;
  takenOverBy: { id: string; name: string } | null;
  takenOverAt: string | null;
  score: number | null;
  lastMessage: { sender: 'anna' | 'paciente' | 'staff'; body: string; sentAt: string } | null;
  lastMessageAt: string;
  startedAt: string;
  unreadCount: number;
  channel: string;
  workflowId: string | null;
  /** Opened for the staff after a detractor's survey (Anna stays out): the survey and its score. */
  detractor: { surveyId: string; score: number | null } | null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

export async function listConversations(tx: Tx, clinicId: string, timeZone: string, f: ListFilters) {
  const conds: (SQL | undefined)[] = [eq(conversations.clinicId, clinicId)];
  if (f.status) conds.push(eq(conversations.status, f.status));
  if (f.needsStaff !== undefined) conds.push(eq(conversations.needsStaff, f.needsStaff));
  if (f.channel) conds.push(eq(conversations.channel, f.channel));
  if (f.from) conds.push(sql`${conversations.lastMessageAt} >= (${f.from}::date)::timestamp at time zone ${timeZone}`);
  if (f.to) conds.push(sql`${conversations.lastMessageAt} < ((${f.to}::date + 1)::timestamp at time zone ${timeZone})`);
  if (f.since) conds.push(sql`${conversations.lastMessageAt} > ${f.since}::timestamptz`);
  const q = f.q?.trim();
  if (q) {
    const like = `%${escapeLike(q.toLowerCase())}%`;
    const digits = q.replace(/\D/g, '');
    const byName = sql`(tigre_unaccent(lower(coalesce(${conversations.contactName}, ''))) like tigre_unaccent(${like})
      or ${patients.searchName} like tigre_unaccent(${like}))`;
    conds.push(digits.length >= 3 ? sql`(${byName} or ${conversations.patientWhatsapp} like ${`%${digits}%`})` : byName);
  }
  if (f.cursor) {
    const c = decodeCursor(f.cursor);
    conds.push(sql`(${conversations.lastMessageAt}, ${conversations.id}) < (${c.at}::timestamptz, ${c.id}::uuid)`);
  }

  const last = sql`(select ${conversationMessages.sender}::text as sender, left(${conversationMessages.body}, ${LAST_MESSAGE_PREVIEW}) as body,
      to_char(${conversationMessages.sentAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as sent_at
    from ${conversationMessages}
    where ${conversationMessages.conversationId} = ${conversations.id} and ${conversationMessages.clinicId} = ${conversations.clinicId}
    order by ${conversationMessages.sentAt} desc, ${conversationMessages.id} desc limit 1)`;

  const rows = await tx
    .select({
      c: conversations,
      cursorAt: TS_TEXT(conversations.lastMessageAt),
      patientName: patients.name,
      takenOverName: users.name,
      score: conversationQualifications.score,
      npsScore: npsSurveys.score,
      last: sql<{ sender: 'anna' | 'paciente' | 'staff'; body: string; sent_at: string } | null>`(select row_to_json(l) from ${last} l)`,
    })
    .from(conversations)
    .leftJoin(patients, and(eq(patients.id, conversations.patientId), eq(patients.clinicId, conversations.clinicId)))
    .leftJoin(users, eq(users.id, conversations.takenOverBy))
    .leftJoin(conversationQualifications, eq(conversationQualifications.conversationId, conversations.id))
    .leftJoin(npsSurveys, eq(npsSurveys.id, conversations.npsSurveyId))
    .where(and(...conds))
    .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
    .limit(f.limit + 1);

  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  const items: ConversationListItem[] = page.map((r) => ({
    id: r.c.id,
    phone: r.c.patientWhatsapp,
    contactName: r.c.contactName,
    patient: r.c.patientId && r.patientName ? { id: r.c.patientId, name: r.patientName } : null,
    status: r.c.status,
    stage: r.c.stage,
    needsStaff: r.c.needsStaff,
    takenOverBy: r.c.takenOverBy ? { id: r.c.takenOverBy, name: r.takenOverName ?? '' } : null,
    takenOverAt: r.c.takenOverAt?.toISOString() ?? null,
    score: r.score ?? null,
    lastMessage: r.last ? { sender: r.last.sender, body: r.last.body, sentAt: new Date(r.last.sent_at).toISOString() } : null,
    lastMessageAt: r.c.lastMessageAt.toISOString(),
    startedAt: r.c.startedAt.toISOString(),
    unreadCount: r.c.unreadCount,
    channel: r.c.channel,
    workflowId: r.c.workflowId,
    detractor: detractorOf(r.c, r.npsScore),
  }));
  const tail = page.at(-1);
  return { items, nextCursor: more && tail ? encodeCursor(tail.cursorAt, tail.c.id) : null };
}

/** Counts per inbox tab (the filter chips), whatever the other filters. */
export async function tabCounts(tx: Tx, clinicId: string) {
  const [row] = await tx
    .select({
      aberta: sql<number>`count(*) filter (where ${conversations.status} = 'aberta')::int`,
      fila: sql<number>`count(*) filter (where ${conversations.status} = 'aberta' and ${conversations.needsStaff})::int`,
      convertida: sql<number>`count(*) filter (where ${conversations.status} = 'convertida')::int`,
      abandonada: sql<number>`count(*) filter (where ${conversations.status} = 'abandonada')::int`,
      spam: sql<number>`count(*) filter (where ${conversations.status} = 'spam')::int`,
      unread: sql<number>`coalesce(sum(${conversations.unreadCount}) filter (where ${conversations.status} = 'aberta'), 0)::int`,
    })
    .from(conversations)
    .where(eq(conversations.clinicId, clinicId));
  return row!;
}

// ── One conversation ───────────────────────────────────────────────────────────────────────────────

export const detractorOf = (c: { subject: string; npsSurveyId: string | null }, score: number | null) =>
  (c.subject === 'nps_detractor' && c.npsSurveyId ? { surveyId: c.npsSurveyId, score } : null);

export async function loadConversation(tx: Tx, clinicId: string, id: string) {
  const [row] = await tx
    .select({ c: conversations, patientName: patients.name, takenOverName: users.name, npsScore: npsSurveys.score })
    .from(conversations)
    .leftJoin(npsSurveys, eq(npsSurveys.id, conversations.npsSurveyId))
    .leftJoin(patients, and(eq(patients.id, conversations.patientId), eq(patients.clinicId, conversations.clinicId)))
    .leftJoin(users, eq(users.id, conversations.takenOverBy))
    .where(and(eq(conversations.id, id), eq(conversations.clinicId, clinicId)));
  return row ?? null;
}

export async function loadThread(tx: Tx, clinicId: string, conversationId: string) {
  const rows = await tx
    .select({
      m: conversationMessages,
      outboxStatus: messageOutbox.status,
      outboxError: messageOutbox.error,
      deliveredAt: messageOutbox.deliveredAt,
      outboxReadAt: messageOutbox.readAt,
      staffName: users.name,
    })
    .from(conversationMessages)
    .leftJoin(messageOutbox, and(eq(messageOutbox.id, conversationMessages.outboxId), eq(messageOutbox.clinicId, conversationMessages.clinicId)))
    .leftJoin(users, eq(users.id, conversationMessages.userId))
    .where(and(eq(conversationMessages.conversationId, conversationId), eq(conversationMessages.clinicId, clinicId)))
    .orderBy(desc(conversationMessages.sentAt), desc(conversationMessages.id))
    .limit(THREAD_LIMIT + 1);
  const truncated = rows.length > THREAD_LIMIT;
  const messages = (truncated ? rows.slice(0, THREAD_LIMIT) : rows).reverse().map((r) => ({
    id: r.m.id,
    sender: r.m.sender,
    body: r.m.body,
    kind: r.m.kind,
    mediaUrl: r.m.mediaUrl,
    sentAt: r.m.sentAt.toISOString(),
    read: r.m.read,
    readAt: r.m.readAt?.toISOString() ?? null,
    sentimentScore: r.m.sentimentScore ?? null,
    quickReplies: r.m.quickReplies ?? [],
    user: r.m.userId ? { id: r.m.userId, name: r.staffName ?? '' } : null,
    /** Outbound only (Anna or staff): the provider's delivery status from the outbox. */
    delivery: r.m.sender === 'paciente' ? null : deliveryOf(r.outboxStatus),
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
    seenAt: r.outboxReadAt?.toISOString() ?? null,
    deliveryError: r.outboxStatus === 'failed' || r.outboxStatus === 'skipped' ? r.outboxError ?? null : null,
  }));
  return { messages, truncated };
}

export async function loadQualification(tx: Tx, clinicId: string, conversationId: string) {
  const [q] = await tx.select().from(conversationQualifications)
    .where(and(eq(conversationQualifications.conversationId, conversationId), eq(conversationQualifications.clinicId, clinicId)));
  if (!q) return null;
  return {
    score: q.score,
    scoreFactors: (q.scoreFactors ?? []) as ScoreFactor[],
    interested: q.interested,
    procedureInterest: q.procedureInterest,
    procedureId: q.procedureId,
    preferredDate: q.preferredDate,
    preferredTime: q.preferredTime,
    interestWhen: q.interestWhen,
    confirmedPhone: q.confirmedPhone,
    suggestedSlots: q.suggestedSlots ?? [],
    updatedAt: q.updatedAt.toISOString(),
  };
}

export async function loadAiUsage(tx: Tx, clinicId: string, conversationId: string) {
  const rows = await tx
    .select({
      engine: aiCalls.engine,
      calls: sql<number>`count(*)::int`,
      failed: sql<number>`count(*) filter (where ${aiCalls.outcome} <> 'ok')::int`,
      promptTokens: sql<number>`coalesce(sum(${aiCalls.promptTokens}), 0)::int`,
      completionTokens: sql<number>`coalesce(sum(${aiCalls.completionTokens}), 0)::int`,
      costMicroUsd: sql<number>`coalesce(sum(${aiCalls.costMicroUsd}), 0)::bigint`,
    })
    .from(aiCalls)
    .where(and(eq(aiCalls.conversationId, conversationId), eq(aiCalls.clinicId, clinicId)))
    .groupBy(aiCalls.engine)
    .orderBy(asc(aiCalls.engine));
  const byEngine = rows.map((r) => ({ ...r, costMicroUsd: Number(r.costMicroUsd) }));
  const sum = (k: 'calls' | 'failed' | 'promptTokens' | 'completionTokens' | 'costMicroUsd') => byEngine.reduce((s, r) => s + r[k], 0);
  return {
    calls: sum('calls'),
    failed: sum('failed'),
    promptTokens: sum('promptTokens'),
    completionTokens: sum('completionTokens'),
    tokens: sum('promptTokens') + sum('completionTokens'),
    costMicroUsd: sum('costMicroUsd'),
    byEngine,
  };
}

// ── Analytics ──────────────────────────────────────────────────────────────────────────────────────

export interface AnalyticsPeriod { from: string; to: string; channel?: string }

const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10_000) / 10_000 : null);

/**
 * Conversations STARTED in [from, to] (local days in the clinic's zone). Rates are over leads, i.e.
 * the conversations that are not spam. Time to first reply: first_reply_at − started_at (median, seconds).
 * AI cost: the calls made in the period (of the channel's conversations when a channel is given).
 */
export async function chatAnalytics(tx: Tx, clinicId: string, timeZone: string, p: AnalyticsPeriod) {
  const start = sql`(${p.from}::date)::timestamp at time zone ${timeZone}`;
  const end = sql`((${p.to}::date + 1)::timestamp at time zone ${timeZone})`;
  const inPeriod = and(
    eq(conversations.clinicId, clinicId),
    sql`${conversations.startedAt} >= ${start}`,
    sql`${conversations.startedAt} < ${end}`,
    p.channel ? eq(conversations.channel, p.channel) : undefined,
  );
  const figures = {
    conversations: sql<number>`count(*)::int`,
    convertidas: sql<number>`count(*) filter (where ${conversations.status} = 'convertida')::int`,
    abandonadas: sql<number>`count(*) filter (where ${conversations.status} = 'abandonada')::int`,
    abertas: sql<number>`count(*) filter (where ${conversations.status} = 'aberta')::int`,
    spam: sql<number>`count(*) filter (where ${conversations.status} = 'spam')::int`,
    staffQueue: sql<number>`count(*) filter (where ${conversations.status} = 'aberta' and ${conversations.needsStaff})::int`,
    medianFirstReplySeconds: sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from ${conversations.firstReplyAt} - ${conversations.startedAt}))
      filter (where ${conversations.firstReplyAt} is not null)`,
    averageScore: sql<number | null>`avg(${conversationQualifications.score})`,
  };

  const [totalsRow] = await tx.select(figures).from(conversations)
    .leftJoin(conversationQualifications, eq(conversationQualifications.conversationId, conversations.id))
    .where(inPeriod);
  const dayExpr = sql<string>`to_char(${conversations.startedAt} at time zone ${timeZone}, 'YYYY-MM-DD')`;
  const dayRows = await tx.select({ day: dayExpr, ...figures }).from(conversations)
    .leftJoin(conversationQualifications, eq(conversationQualifications.conversationId, conversations.id))
    .where(inPeriod).groupBy(sql`1`).orderBy(sql`1`); // the day: one expression, whatever its parameters
  const channelRows = await tx.select({ channel: conversations.channel, ...figures }).from(conversations)
    .leftJoin(conversationQualifications, eq(conversationQualifications.conversationId, conversations.id))
    .where(inPeriod).groupBy(conversations.channel).orderBy(conversations.channel);

  const [ai] = await tx
    .select({
      calls: sql<number>`count(*)::int`,
      tokens: sql<number>`coalesce(sum(${aiCalls.promptTokens} + ${aiCalls.completionTokens}), 0)::bigint`,
      costMicroUsd: sql<number>`coalesce(sum(${aiCalls.costMicroUsd}), 0)::bigint`,
    })
    .from(aiCalls)
    .leftJoin(conversations, and(eq(conversations.id, aiCalls.conversationId), eq(conversations.clinicId, aiCalls.clinicId)))
    .where(and(
      eq(aiCalls.clinicId, clinicId), sql`${aiCalls.createdAt} >= ${start}`, sql`${aiCalls.createdAt} < ${end}`,
      p.channel ? eq(conversations.channel, p.channel) : undefined,
    ));

  type Row = typeof totalsRow;
  const shape = (r: Row) => {
    const leads = r.conversations - r.spam;
    return {
      conversations: r.conversations,
      leads,
      convertidas: r.convertidas,
      abandonadas: r.abandonadas,
      abertas: r.abertas,
      spam: r.spam,
      staffQueue: r.staffQueue,
      conversionRate: ratio(r.convertidas, leads),
      abandonmentRate: ratio(r.abandonadas, leads),
      spamRate: ratio(r.spam, r.conversations),
      medianFirstReplySeconds: r.medianFirstReplySeconds === null ? null : Math.round(Number(r.medianFirstReplySeconds) * 10) / 10,
      averageScore: r.averageScore === null ? null : Math.round(Number(r.averageScore) * 10) / 10,
    };
  };

  // Every day of the period, zeros included.
  const byDay = new Map(dayRows.map((r) => [r.day, r]));
  const series: ({ day: string } & ReturnType<typeof shape>)[] = [];
  const empty: Row = { conversations: 0, convertidas: 0, abandonadas: 0, abertas: 0, spam: 0, staffQueue: 0, medianFirstReplySeconds: null, averageScore: null };
  for (let day = p.from; day <= p.to; day = nextDay(day)) series.push({ day, ...shape(byDay.get(day) ?? empty) });

  return {
    from: p.from,
    to: p.to,
    channel: p.channel ?? null,
    totals: { ...shape(totalsRow!), aiCalls: ai!.calls, aiTokens: Number(ai!.tokens), aiCostMicroUsd: Number(ai!.costMicroUsd) },
    series,
    byChannel: channelRows.map((r) => ({ channel: r.channel, ...shape(r) })),
  };
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
