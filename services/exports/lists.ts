// The dashboard's lists as export tables (services/exports/table.ts): patients, appointments, payments,
// conversations and NPS answers of one clinic, read in keyset-paginated batches of BATCH rows, each in its
// own short transaction (the caller's `tenant`), so a 100k-row export streams without holding a
// transaction or the whole list in memory. Filters: a period of local days on the list's own date
// (registration, visit, charge, last message, sending), and a status where the list has one.
import { and, asc, eq, gt, gte, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import {
  appointments, conversations, npsSurveys, patients, payments, procedures, professionals,
} from '../../db/schema';
import type { ExportTable } from './table';

export const EXPORT_LISTS = ['pacientes', 'agendamentos', 'pagamentos', 'conversas', 'nps'] as const;
export type ExportList = (typeof EXPORT_LISTS)[number];
export const BATCH = 1000;

export interface ListExportFilter {
  /** Instants bounding the list's date (from the clinic's local days), both optional. */
  from?: Date;
  to?: Date;
  status?: string;
}

type Tenant = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
type Keyed = { id: string };

/** Batches of rows ordered by id, each read in its own transaction. */
async function* batches<R extends Keyed>(tenant: Tenant, read: (tx: Tx, after: string | null, limit: number) => Promise<R[]>): AsyncGenerator<R[]> {
  let after: string | null = null;
  for (;;) {
    const rows: R[] = await tenant((tx) => read(tx, after, BATCH));
    if (rows.length) yield rows;
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]!.id;
  }
}

const within = (col: Parameters<typeof gte>[0], f: ListExportFilter): (SQL | undefined)[] => [f.from ? gte(col, f.from) : undefined, f.to ? lt(col, f.to) : undefined];

const GENDER: Record<string, string> = { F: 'Feminino', M: 'Masculino', Outro: 'Outro' };
const METHOD: Record<string, string> = { cartao: 'Cartão', pix: 'Pix', boleto: 'Boleto', dinheiro: 'Dinheiro' };
const PAYMENT_STATUS: Record<string, string> = { pendente: 'Pendente', processando: 'Processando', aprovado: 'Pago', recusado: 'Recusado', reembolsado: 'Reembolsado' };
const APPOINTMENT_STATUS: Record<string, string> = { agendado: 'Agendado', confirmado: 'Confirmado', realizado: 'Realizado', cancelado: 'Cancelado', no_show: 'Não compareceu' };
const NPS_CLASS: Record<string, string> = { promoter: 'Promotor', neutral: 'Neutro', detractor: 'Detrator' };

/** The statuses a list may be filtered by (a wrong one is a 400, not an empty file). */
export const LIST_STATUSES: Record<ExportList, readonly string[]> = {
  pacientes: ['ativo', 'inativo', 'bloqueado'],
  agendamentos: ['agendado', 'confirmado', 'realizado', 'cancelado', 'no_show'],
  pagamentos: ['pendente', 'processando', 'aprovado', 'recusado', 'reembolsado'],
  conversas: ['aberta', 'convertida', 'abandonada', 'spam'],
  nps: ['aguardando', 'enviada', 'respondida', 'sem_resposta', 'nao_enviada'],
};

export function listTable(list: ExportList, clinicId: string, tenant: Tenant, f: ListExportFilter): ExportTable<unknown> {
  const tables = { pacientes: patientsTable, agendamentos: appointmentsTable, pagamentos: paymentsTable, conversas: conversationsTable, nps: npsTable };
  return tables[list](clinicId, tenant, f) as unknown as ExportTable<unknown>;
}

function patientsTable(clinicId: string, tenant: Tenant, f: ListExportFilter) {
  const read = (tx: Tx, after: string | null, limit: number) => tx.select({
    id: patients.id, name: patients.name, whatsapp: patients.whatsapp, phone: patients.phone, email: patients.email, birthDate: patients.birthDate,
    gender: patients.gender, status: patients.status, classification: patients.classification, source: patients.source, createdAt: patients.createdAt,
    lastContactAt: patients.lastContactAt, procedureCount: patients.procedureCount,
  }).from(patients)
    .where(and(eq(patients.clinicId, clinicId), isNull(patients.deletedAt), after ? gt(patients.id, after) : undefined,
      f.status ? eq(patients.status, f.status as 'ativo') : undefined, ...within(patients.createdAt, f)))
    .orderBy(asc(patients.id)).limit(limit);
  type R = Awaited<ReturnType<typeof read>>[number];
  const t: ExportTable<R> = {
    sheet: 'Pacientes', rows: batches(tenant, read),
    columns: [
      { header: 'Nome', type: 'text', value: (r) => r.name },
      { header: 'WhatsApp', type: 'phone', value: (r) => r.whatsapp },
      { header: 'Telefone', type: 'phone', value: (r) => r.phone },
      { header: 'E-mail', type: 'text', value: (r) => r.email },
      { header: 'Nascimento', type: 'day', value: (r) => r.birthDate },
      { header: 'Gênero', type: 'text', value: (r) => (r.gender ? GENDER[r.gender] ?? r.gender : null) },
      { header: 'Situação', type: 'text', value: (r) => r.status },
      { header: 'Classificação', type: 'text', value: (r) => r.classification },
      { header: 'Procedimentos realizados', type: 'integer', value: (r) => r.procedureCount },
      { header: 'Origem', type: 'text', value: (r) => r.source },
      { header: 'Cadastrado em', type: 'instant', value: (r) => r.createdAt },
      { header: 'Último contato', type: 'instant', value: (r) => r.lastContactAt },
    ],
  };
  return t;
}

function appointmentsTable(clinicId: string, tenant: Tenant, f: ListExportFilter) {
  const read = (tx: Tx, after: string | null, limit: number) => tx.select({
    id: appointments.id, startsAt: appointments.startsAt, durationMinutes: appointments.durationMinutes, status: appointments.status,
    priceCents: appointments.priceCents, paymentStatus: appointments.paymentStatus, source: appointments.source, cancelReason: appointments.cancelReason,
    patient: patients.name, patientWhatsapp: patients.whatsapp, procedure: procedures.name, professional: professionals.name,
  }).from(appointments)
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .innerJoin(procedures, eq(procedures.id, appointments.procedureId))
    .innerJoin(professionals, eq(professionals.id, appointments.professionalId))
    .where(and(eq(appointments.clinicId, clinicId), after ? gt(appointments.id, after) : undefined,
      f.status ? eq(appointments.status, f.status as 'agendado') : undefined, ...within(appointments.startsAt, f)))
    .orderBy(asc(appointments.id)).limit(limit);
  type R = Awaited<ReturnType<typeof read>>[number];
  const t: ExportTable<R> = {
    sheet: 'Agendamentos', rows: batches(tenant, read),
    columns: [
      { header: 'Início', type: 'instant', value: (r) => r.startsAt },
      { header: 'Duração (min)', type: 'integer', value: (r) => r.durationMinutes },
      { header: 'Paciente', type: 'text', value: (r) => r.patient },
      { header: 'WhatsApp', type: 'phone', value: (r) => r.patientWhatsapp },
      { header: 'Procedimento', type: 'text', value: (r) => r.procedure },
      { header: 'Profissional', type: 'text', value: (r) => r.professional },
      { header: 'Situação', type: 'text', value: (r) => APPOINTMENT_STATUS[r.status] ?? r.status },
      { header: 'Valor (R$)', type: 'money', value: (r) => r.priceCents },
      { header: 'Pagamento', type: 'text', value: (r) => r.paymentStatus },
      { header: 'Origem', type: 'text', value: (r) => r.source },
      { header: 'Motivo do cancelamento', type: 'text', value: (r) => r.cancelReason },
    ],
  };
  return t;
}

function paymentsTable(clinicId: string, tenant: Tenant, f: ListExportFilter) {
  const read = (tx: Tx, after: string | null, limit: number) => tx.select({
    id: payments.id, createdAt: payments.createdAt, processedAt: payments.processedAt, amountCents: payments.amountCents, refundedCents: payments.refundedCents,
    method: payments.method, status: payments.status, description: payments.description, patient: patients.name,
  }).from(payments)
    .innerJoin(patients, eq(patients.id, payments.patientId))
    .where(and(eq(payments.clinicId, clinicId), after ? gt(payments.id, after) : undefined,
      f.status ? eq(payments.status, f.status as 'aprovado') : undefined, ...within(payments.createdAt, f)))
    .orderBy(asc(payments.id)).limit(limit);
  type R = Awaited<ReturnType<typeof read>>[number];
  const t: ExportTable<R> = {
    sheet: 'Pagamentos', rows: batches(tenant, read),
    columns: [
      { header: 'Criado em', type: 'instant', value: (r) => r.createdAt },
      { header: 'Pago em', type: 'instant', value: (r) => r.processedAt },
      { header: 'Paciente', type: 'text', value: (r) => r.patient },
      { header: 'Descrição', type: 'text', value: (r) => r.description },
      { header: 'Forma', type: 'text', value: (r) => METHOD[r.method] ?? r.method },
      { header: 'Situação', type: 'text', value: (r) => PAYMENT_STATUS[r.status] ?? r.status },
      { header: 'Valor (R$)', type: 'money', value: (r) => r.amountCents },
      { header: 'Reembolsado (R$)', type: 'money', value: (r) => r.refundedCents },
      { header: 'Líquido (R$)', type: 'money', value: (r) => (r.status === 'aprovado' || r.status === 'reembolsado' ? r.amountCents - r.refundedCents : 0) },
    ],
  };
  return t;
}

function conversationsTable(clinicId: string, tenant: Tenant, f: ListExportFilter) {
  const read = (tx: Tx, after: string | null, limit: number) => tx.select({
    id: conversations.id, startedAt: conversations.startedAt, lastMessageAt: conversations.lastMessageAt, phone: conversations.patientWhatsapp,
    contactName: conversations.contactName, patient: patients.name, status: conversations.status, stage: conversations.stage, channel: conversations.channel,
    needsStaff: conversations.needsStaff, subject: conversations.subject,
    messages: sql<number>`(select count(*)::int from conversation_messages m where m.conversation_id = ${conversations.id})`,
  }).from(conversations)
    .leftJoin(patients, and(eq(patients.id, conversations.patientId), eq(patients.clinicId, conversations.clinicId)))
    .where(and(eq(conversations.clinicId, clinicId), after ? gt(conversations.id, after) : undefined,
      f.status ? eq(conversations.status, f.status as 'aberta') : undefined, ...within(conversations.lastMessageAt, f)))
    .orderBy(asc(conversations.id)).limit(limit);
  type R = Awaited<ReturnType<typeof read>>[number];
  const t: ExportTable<R> = {
    sheet: 'Conversas', rows: batches(tenant, read),
    columns: [
      { header: 'Início', type: 'instant', value: (r) => r.startedAt },
      { header: 'Última mensagem', type: 'instant', value: (r) => r.lastMessageAt },
      { header: 'Contato', type: 'text', value: (r) => r.patient ?? r.contactName },
      { header: 'Número', type: 'phone', value: (r) => r.phone },
      { header: 'Canal', type: 'text', value: (r) => (r.channel === 'sms' ? 'SMS' : 'WhatsApp') },
      { header: 'Situação', type: 'text', value: (r) => r.status },
      { header: 'Etapa', type: 'text', value: (r) => r.stage },
      { header: 'Fila da equipe', type: 'text', value: (r) => (r.needsStaff ? 'sim' : 'não') },
      { header: 'Assunto', type: 'text', value: (r) => (r.subject === 'nps_detractor' ? 'Detrator (pesquisa)' : 'Anna') },
      { header: 'Mensagens', type: 'integer', value: (r) => r.messages },
    ],
  };
  return t;
}

function npsTable(clinicId: string, tenant: Tenant, f: ListExportFilter) {
  const read = (tx: Tx, after: string | null, limit: number) => tx.select({
    id: npsSurveys.id, sentAt: npsSurveys.sentAt, answeredAt: npsSurveys.answeredAt, status: npsSurveys.status, score: npsSurveys.score,
    npsClass: npsSurveys.npsClass, comment: npsSurveys.comment, sentimentLabel: npsSurveys.sentimentLabel, channel: npsSurveys.channel,
    followUpStatus: npsSurveys.followUpStatus, lateAnswer: npsSurveys.lateAnswer,
    patient: patients.name, procedure: procedures.name, professional: professionals.name, visitAt: appointments.startsAt,
  }).from(npsSurveys)
    .innerJoin(appointments, eq(appointments.id, npsSurveys.appointmentId))
    .innerJoin(patients, eq(patients.id, npsSurveys.patientId))
    .innerJoin(procedures, eq(procedures.id, appointments.procedureId))
    .innerJoin(professionals, eq(professionals.id, appointments.professionalId))
    .where(and(eq(npsSurveys.clinicId, clinicId), after ? gt(npsSurveys.id, after) : undefined,
      f.status ? eq(npsSurveys.status, f.status) : undefined,
      ...within(npsSurveys.sentAt, f)))
    .orderBy(asc(npsSurveys.id)).limit(limit);
  type R = Awaited<ReturnType<typeof read>>[number];
  const t: ExportTable<R> = {
    sheet: 'NPS', rows: batches(tenant, read),
    columns: [
      { header: 'Enviada em', type: 'instant', value: (r) => r.sentAt },
      { header: 'Paciente', type: 'text', value: (r) => r.patient },
      { header: 'Atendimento', type: 'instant', value: (r) => r.visitAt },
      { header: 'Procedimento', type: 'text', value: (r) => r.procedure },
      { header: 'Profissional', type: 'text', value: (r) => r.professional },
      { header: 'Canal', type: 'text', value: (r) => r.channel },
      { header: 'Situação', type: 'text', value: (r) => r.status },
      { header: 'Nota', type: 'integer', value: (r) => r.score },
      { header: 'Classe', type: 'text', value: (r) => (r.npsClass ? NPS_CLASS[r.npsClass] ?? r.npsClass : null) },
      { header: 'Resposta atrasada', type: 'text', value: (r) => (r.lateAnswer ? 'sim' : 'não') },
      { header: 'Respondida em', type: 'instant', value: (r) => r.answeredAt },
      { header: 'Comentário', type: 'text', value: (r) => r.comment, width: 60 },
      { header: 'Sentimento', type: 'text', value: (r) => r.sentimentLabel },
      { header: 'Acompanhamento', type: 'text', value: (r) => r.followUpStatus },
    ],
  };
  return t;
}
