// The lead journey's side effects (workflows/lead.ts): what Anna knows about the clinic, reading a
// message (OpenAI or the local engine), sending her messages through the messaging channels, free
// slots, the deposit, the patient and the appointment. Every activity is idempotent: a retry after a
// crash finds what the first attempt wrote.
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { ApplicationFailure } from '@temporalio/activity';
import type { Db, Tx } from '../db/client';
import { withClinic } from '../db/tenancy';
import {
  clinics, conversationMessages, messageOutbox, conversationQualifications, conversations, paymentCheckouts, payments,
  patients, procedures, professionalWorkingHours, professionals, type ClinicSettings,
} from '../db/schema';
import type { Logger } from '../config/logger';
import type {
  AnalysisContext, AnnaStage, ClinicKnowledge, DayPeriod, KnownProcedure, LeadScore, OfferedSlot, Qualification,
} from '../domain/anna/types';
import { leadSettingsOf, type LeadSettings } from '../domain/clinic-settings';
import { depositFor } from '../domain/money';
import { nextFreeSlots } from '../domain/slots';
import { priceOn } from '../services/catalog/procedures';
import { addLocalDays, createZone } from '../domain/timezone';
import { loadAvailability, performers } from '../services/agenda/availability';
import type { AppointmentJourney } from '../journeys/appointment';
import { bookAppointment, SlotTaken } from '../services/agenda/booking';
import { createClinicNotifier } from '../services/notifications';
import { ApiError } from '../services/errors';
import type { MessageSender } from '../providers/messaging/types';
import type { PaymentProvider } from '../providers/payments/types';
import { localBrain, type LeadBrain } from '../providers/ai/lead-brain';

export type { LeadBrain } from '../providers/ai/lead-brain';

export interface LeadActivityDeps {
  db: Db;
  sender: MessageSender;
  brain?: LeadBrain;
  /** Let the model word Anna's replies (only when OpenAI is configured: otherwise the local drafts go as they are). */
  phraseReplies?: boolean;
  payments?: PaymentProvider;
  /** Public web base URL (deposit pages). */
  webBaseUrl: string;
  /** The one appointment journey driver (starts the booked appointment's reminders). */
  journeys?: Pick<AppointmentJourney, 'start'>;
  /** Pushes the booked appointment to the professional's Google Calendar when connected. */
  pushToCalendar?: (appointmentId: string) => Promise<unknown>;
  slackWebhookUrl?: string;
  fetch?: typeof fetch;
  clock?: () => Date;
  log?: Logger;
}

export interface LeadContext {
  knowledge: ClinicKnowledge;
  settings: LeadSettings;
  patient: { id: string; name: string } | null;
}

export interface SendAnnaInput {
  clinicId: string;
  conversationId: string;
  phone: string;
  patientId: string | null;
  text: string;
  quickReplies?: string[];
  /** Deterministic per message of the journey: `lead:{conversationId}:{n}`. */
  idempotencyKey: string;
  /** Let the language model word it (only free conversation; never links, slots or prices). */
  phrase?: boolean;
}

export interface SlotSearch {
  clinicId: string;
  procedureId: string;
  preferredDate: string | null;
  preferredPeriod: DayPeriod | null;
  preferredTime: string | null;
  /** Slots already offered: not offered again. */
  exclude: string[];
  /** Look from here (ISO), e.g. after the last offered slot. */
  after?: string | null;
  count?: number;
  /** The journey's clock (ISO): slots are found from the workflow's time. */
  now?: string;
  /** preferredDate starts a range ("semana que vem": that week; "mês que vem": from then on) rather than naming one day. */
  dateIsRange?: boolean;
}

export type BookResult =
  | { ok: true; appointmentId: string; already: boolean }
  | { ok: false; reason: 'slot_taken' | 'unavailable'; message: string };

const PERIOD_MINUTES: Record<DayPeriod, [number, number]> = { manha: [0, 12 * 60], tarde: [12 * 60, 18 * 60], noite: [18 * 60, 24 * 60] };
const WEEKDAYS = ['dom', 'seg', 'ter', 'qua', 'qui', 'sex', 'sáb'];
const silent = { info() {}, warn() {}, error() {}, debug() {} } as unknown as Logger;

export function slotLabel(start: Date, timeZone: string, professionalName: string): string {
  const p = createZone(timeZone).localParts(start.getTime());
  const [, mm, dd] = p.date.split('-');
  const hh = String(Math.floor(p.minute / 60)).padStart(2, '0');
  const mi = String(p.minute % 60).padStart(2, '0');
  return `${WEEKDAYS[p.weekday]} ${dd}/${mm} às ${hh}:${mi} com ${professionalName}`;
}

export function createLeadActivities(deps: LeadActivityDeps) {
  const clock = deps.clock ?? (() => new Date());
  const brain = deps.brain ?? localBrain;
  const log = deps.log ?? silent;
  const notifier = createClinicNotifier({ db: deps.db, log, slackWebhookUrl: deps.slackWebhookUrl, fetch: deps.fetch, now: clock });

  async function knowledgeOf(tx: Tx, clinicId: string): Promise<{ knowledge: ClinicKnowledge; settings: ClinicSettings }> {
    const [clinic] = await tx.select().from(clinics).where(eq(clinics.id, clinicId));
    if (!clinic) throw ApplicationFailure.nonRetryable(`clinic ${clinicId} not found`, 'ClinicNotFound');
    const zone = createZone(clinic.timezone);
    const today = zone.localDate(clock().getTime());
    const procs = await tx.select({
      id: procedures.id, name: procedures.name, category: procedures.category, durationMinutes: procedures.durationMinutes, description: procedures.description,
    }).from(procedures).where(and(eq(procedures.clinicId, clinicId), eq(procedures.active, true))).orderBy(asc(procedures.name));
    // Today's price: the dated price valid today, else the default (the catalog's own rule).
    const prices = await Promise.all(procs.map((p) => priceOn(tx, p.id, today)));
    const deposits = clinic.settings.payments?.deposits ?? {};
    const known: KnownProcedure[] = procs.map((p, i) => {
      const priceCents = prices[i] ?? 0;
      return {
        id: p.id, name: p.name, category: p.category, durationMinutes: p.durationMinutes, priceCents,
        depositCents: priceCents > 0 ? depositFor(priceCents, deposits[p.id]) : 0, description: p.description,
      };
    });
    const hours = await tx.select({ weekday: professionalWorkingHours.weekday, start: professionalWorkingHours.startMinute, end: professionalWorkingHours.endMinute })
      .from(professionalWorkingHours)
      .innerJoin(professionals, eq(professionals.id, professionalWorkingHours.professionalId))
      .where(and(eq(professionals.clinicId, clinicId), eq(professionals.active, true)));
    const openingHours: Record<number, string[]> = {};
    for (let d = 0; d < 7; d++) openingHours[d] = mergeIntervals(hours.filter((h) => h.weekday === d).map((h) => [h.start, h.end]));
    const s = clinic.settings as ClinicSettings & { mapsUrl?: string };
    return {
      settings: clinic.settings,
      knowledge: {
        clinicId, clinicName: clinic.name, timeZone: clinic.timezone, procedures: known, address: clinic.address, mapsUrl: s.mapsUrl ?? null,
        openingHours, phone: clinic.phone,
      },
    };
  }

  async function recordAnnaMessage(tx: Tx, input: SendAnnaInput, text: string, outboxId: string | null, providerMessageId: string | null) {
    if (outboxId) {
      const [seen] = await tx.select({ id: conversationMessages.id }).from(conversationMessages)
        .where(and(eq(conversationMessages.conversationId, input.conversationId), eq(conversationMessages.outboxId, outboxId))).limit(1);
      if (seen) return seen.id;
    }
    const at = clock();
    const [row] = await tx.insert(conversationMessages).values({
      clinicId: input.clinicId, conversationId: input.conversationId, sender: 'anna', body: text, sentAt: at, outboxId,
      providerMessageId, quickReplies: input.quickReplies?.length ? input.quickReplies : null, read: true, readAt: at,
    }).returning({ id: conversationMessages.id });
    await tx.update(conversations).set({ lastMessageAt: at, firstReplyAt: sql`coalesce(${conversations.firstReplyAt}, ${at.toISOString()}::timestamptz)` })
      .where(eq(conversations.id, input.conversationId));
    return row.id;
  }

  return {
    /** What Anna knows about the clinic, its settings and the patient behind the number. */
    async loadLeadContext(input: { clinicId: string; conversationId: string; phone: string }): Promise<LeadContext> {
      return withClinic(deps.db, input.clinicId, async (tx) => {
        const { knowledge, settings } = await knowledgeOf(tx, input.clinicId);
        const [patient] = await tx.select({ id: patients.id, name: patients.name }).from(patients)
          .where(and(eq(patients.clinicId, input.clinicId), isNull(patients.deletedAt), or(eq(patients.whatsapp, input.phone), eq(patients.phone, input.phone))))
          .orderBy(desc(patients.createdAt)).limit(1);
        if (patient) await tx.update(conversations).set({ patientId: patient.id }).where(and(eq(conversations.id, input.conversationId), isNull(conversations.patientId)));
        return { knowledge, settings: leadSettingsOf(settings), patient: patient ?? null };
      });
    },

    /** Reads one patient message (OpenAI when configured, else the local engine) and stores its sentiment. */
    async analyzeLeadMessage(input: { clinicId: string; conversationId: string; messageRowId: string | null; text: string; ctx: AnalysisContext }) {
      const result = await brain.analyze({ clinicId: input.clinicId, conversationId: input.conversationId, text: input.text, ctx: input.ctx });
      if (input.messageRowId) {
        const sentiment = Math.max(-1, Math.min(1, Math.round(result.sentiment * 100) / 100));
        await withClinic(deps.db, input.clinicId, (tx) =>
          tx.update(conversationMessages).set({ sentimentScore: sentiment }).where(eq(conversationMessages.id, input.messageRowId!)));
      }
      return result;
    },

    /** Sends one message from Anna on WhatsApp (once per idempotency key) and records it in the conversation. */
    async sendAnnaMessage(input: SendAnnaInput): Promise<{ status: string; outboxId: string | null; text: string }> {
      let text = input.text;
      if (input.phrase && deps.phraseReplies && deps.brain?.phrase) {
        const { knowledge } = await withClinic(deps.db, input.clinicId, (tx) => knowledgeOf(tx, input.clinicId));
        const history = await withClinic(deps.db, input.clinicId, (tx) => tx.select({ sender: conversationMessages.sender, body: conversationMessages.body })
          .from(conversationMessages).where(eq(conversationMessages.conversationId, input.conversationId))
          .orderBy(desc(conversationMessages.sentAt)).limit(10));
        const phrased = await deps.brain.phrase({ clinicId: input.clinicId, conversationId: input.conversationId, draft: text, knowledge, history: history.reverse() });
        text = phrased.text;
      }
      const result = await deps.sender.send({
        clinicId: input.clinicId, ...(input.patientId ? { patientId: input.patientId } : {}), channel: 'whatsapp', to: input.phone,
        body: text, templateKey: 'anna', purpose: 'transactional', idempotencyKey: input.idempotencyKey,
        ...(input.quickReplies?.length ? { quickReplies: input.quickReplies } : {}),
      });
      const outboxId = result.outboxId ?? null;
      if (result.status === 'duplicate' && outboxId) {
        // A retry: the patient got the first attempt's words (a rephrasing may differ), so those are recorded.
        const [sent] = await withClinic(deps.db, input.clinicId, (tx) => tx.select({ body: messageOutbox.body }).from(messageOutbox).where(eq(messageOutbox.id, outboxId)));
        if (sent) text = sent.body;
      }
      if (result.status === 'sent' || result.status === 'queued' || result.status === 'duplicate') {
        await withClinic(deps.db, input.clinicId, (tx) => recordAnnaMessage(tx, input, text, outboxId, result.providerMessageId ?? null));
      }
      return { status: result.status, outboxId, text };
    },

    /** Mirrors the journey's progress into the conversation (the inbox reads it from there). */
    async saveLeadProgress(input: {
      clinicId: string; conversationId: string; phone?: string; stage: AnnaStage; qualification: Qualification; score: LeadScore | null;
      needsStaff: boolean; suggestedSlots: OfferedSlot[];
    }): Promise<void> {
      const q = input.qualification;
      await withClinic(deps.db, input.clinicId, async (tx) => {
        const values = {
          score: input.score?.score ?? null, scoreFactors: input.score?.factors ?? null, interested: q.interest,
          procedureInterest: q.procedure?.name ?? null, procedureId: q.procedure?.id ?? null, preferredDate: q.preferredDate,
          preferredTime: q.preferredTime ?? q.preferredPeriod, interestWhen: q.interestWhen,
          confirmedPhone: q.phoneConfirmed === false && q.otherPhone ? q.otherPhone : q.phoneConfirmed === true ? input.phone ?? null : null,
          suggestedSlots: input.suggestedSlots.map((s) => ({ professionalId: s.professionalId, startsAt: s.startsAt, label: s.label })),
        };
        await tx.insert(conversationQualifications).values({ clinicId: input.clinicId, conversationId: input.conversationId, ...values })
          .onConflictDoUpdate({ target: conversationQualifications.conversationId, set: { ...values, updatedAt: clock() } });
        await tx.update(conversations).set({
          stage: input.stage, needsStaff: input.needsStaff, ...(q.name ? { contactName: q.name } : {}),
        }).where(eq(conversations.id, input.conversationId));
      });
    },

    /** Up to `count` free slots for the procedure, closest to the lead's preferences, across the professionals who perform it. */
    async findLeadSlots(input: SlotSearch): Promise<OfferedSlot[]> {
      const now = input.now ? new Date(input.now) : clock();
      return withClinic(deps.db, input.clinicId, async (tx) => {
        const [proc] = await tx.select({ id: procedures.id, durationMinutes: procedures.durationMinutes }).from(procedures)
          .where(and(eq(procedures.id, input.procedureId), eq(procedures.active, true)));
        if (!proc) return [];
        const people = await tx.select({ id: professionals.id, name: professionals.name }).from(professionals)
          .where(and(eq(professionals.clinicId, input.clinicId), eq(professionals.active, true)));
        const able = await performers(tx, people.map((p) => p.id), proc.id);
        const ids = people.filter((p) => able.has(p.id)).map((p) => p.id);
        if (!ids.length) return [];
        const names = new Map(people.map((p) => [p.id, p.name]));
        const [clinic] = await tx.select({ timezone: clinics.timezone }).from(clinics).where(eq(clinics.id, input.clinicId));
        const zone = createZone(clinic.timezone);
        const today = zone.localDate(now.getTime());
        const startDay = input.preferredDate && input.preferredDate > today ? input.preferredDate : today;
        const from = startDay;
        const to = addLocalDays(startDay, 21);
        const ctx = await loadAvailability(tx, { clinicId: input.clinicId, now, from, to, professionalIds: ids });
        const after = input.after && Date.parse(input.after) > now.getTime() ? new Date(input.after) : now;
        const candidates = nextFreeSlots({ ...ctx, from, to, durationMinutes: proc.durationMinutes, after, count: 400 });
        const excluded = new Set(input.exclude);
        const want = input.count ?? 3;
        const minuteOf = (d: Date) => zone.localParts(d.getTime()).minute;
        const timeWanted = input.preferredTime ? Number(input.preferredTime.slice(0, 2)) * 60 + Number(input.preferredTime.slice(3, 5)) : null;
        // Minutes outside the preferred part of the day (0 inside): "à noite" at a clinic that closes at 18:00
        // gets the latest afternoon times, not the first morning ones.
        const periodDistance = (d: Date) => {
          if (!input.preferredPeriod) return 0;
          const [a, b] = PERIOD_MINUTES[input.preferredPeriod];
          const m = minuteOf(d);
          return m < a ? a - m : m >= b ? m - b + 1 : 0;
        };
        // Rank: on the preferred date first, then in (or nearest) the preferred period, then nearest the preferred time, then soonest.
        const scored = candidates
          .filter((s) => !excluded.has(s.start.toISOString()))
          .map((s, i) => {
            const day = zone.localDate(s.start.getTime());
            const onDate = !input.preferredDate ? true
              : input.dateIsRange ? day >= input.preferredDate && day < addLocalDays(input.preferredDate, 7)
              : day === input.preferredDate;
            const dist = timeWanted === null ? 0 : Math.abs(minuteOf(s.start) - timeWanted);
            return { s, group: (onDate ? 0 : 2) + (periodDistance(s.start) === 0 ? 0 : 1), rank: [onDate ? 0 : 1, periodDistance(s.start), dist, i] };
          })
          .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.rank[2] - b.rank[2] || a.rank[3] - b.rank[3]);
        // Three real choices, not 08:00 / 08:15 / 08:30: inside each preference group, times at least an hour (or the
        // procedure) apart first, then the closest others; a less preferred group only when the better one is exhausted.
        const gap = Math.max(60, proc.durationMinutes) * 60_000;
        const offeredBefore = input.exclude.map((iso) => Date.parse(iso)).filter((t) => Number.isFinite(t));
        const chosen: typeof scored = [];
        for (const group of [0, 1, 2, 3]) {
          const members = scored.filter((c) => c.group === group);
          // Over a range of days, different days first ("seg 09:00, ter 09:00, qua 10:00"), then spread times, then any.
          for (const pass of input.dateIsRange ? ['days', 'spread', 'any'] as const : ['spread', 'any'] as const) {
            for (const c of members) {
              if (chosen.length >= want) break;
              if (chosen.some((p) => p.s.start.getTime() === c.s.start.getTime())) continue; // one professional per time
              if (pass === 'days' && chosen.some((p) => zone.localDate(p.s.start.getTime()) === zone.localDate(c.s.start.getTime()))) continue;
              // Spread away from what is picked now and from what was offered before ("não" to 09:00 is not a wish for 09:15).
              if (pass !== 'any' && (chosen.some((p) => Math.abs(p.s.start.getTime() - c.s.start.getTime()) < gap)
                || offeredBefore.some((t) => Math.abs(t - c.s.start.getTime()) < gap))) continue;
              chosen.push(c);
            }
          }
        }
        const picked: OfferedSlot[] = chosen.map(({ s }) => {
          const name = names.get(s.professionalId) ?? '';
          return {
            professionalId: s.professionalId, professionalName: name, startsAt: s.start.toISOString(), label: slotLabel(s.start, clinic.timezone, name),
            ...(input.preferredPeriod ? { inPreferredPeriod: periodDistance(s.start) === 0 } : {}),
          };
        });
        return picked.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
      });
    },

    /** The patient behind the lead: the one with this WhatsApp number, or a new one (name from the lead). */
    async ensureLeadPatient(input: { clinicId: string; conversationId: string; phone: string; name: string | null }): Promise<{ patientId: string; created: boolean }> {
      return withClinic(deps.db, input.clinicId, async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`lead-patient:${input.clinicId}:${input.phone}`}, 0))`);
        const [existing] = await tx.select({ id: patients.id }).from(patients)
          .where(and(eq(patients.clinicId, input.clinicId), isNull(patients.deletedAt), or(eq(patients.whatsapp, input.phone), eq(patients.phone, input.phone))))
          .orderBy(desc(patients.createdAt)).limit(1);
        let patientId = existing?.id;
        if (!patientId) {
          const [row] = await tx.insert(patients).values({
            clinicId: input.clinicId, name: input.name?.trim() || `Lead ${input.phone}`, phone: input.phone, whatsapp: input.phone,
          }).returning({ id: patients.id });
          patientId = row.id;
        }
        await tx.update(conversations).set({ patientId }).where(eq(conversations.id, input.conversationId));
        return { patientId, created: !existing };
      });
    },

    /** A deposit (sinal) checkout for the chosen slot; the payment signals this conversation's journey when paid. */
    async requestLeadDeposit(input: {
      clinicId: string; conversationId: string; patientId: string; procedureId: string; amountCents: number; deadline: string; slotStartsAt: string;
    }): Promise<{ paymentId: string; url: string; amountCents: number }> {
      if (!deps.payments) throw ApplicationFailure.nonRetryable('payment provider not configured', 'PaymentsNotConfigured');
      const provider = deps.payments;
      return withClinic(deps.db, input.clinicId, async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`lead-deposit:${input.conversationId}`}, 0))`);
        // A retry (or the same slot asked again) reuses the open deposit instead of charging twice.
        const [open] = await tx.select({ id: payments.id, amountCents: payments.amountCents, url: paymentCheckouts.url }).from(payments)
          .innerJoin(paymentCheckouts, eq(paymentCheckouts.paymentId, payments.id))
          .where(and(eq(payments.conversationId, input.conversationId), inArray(payments.status, ['pendente', 'processando']),
            eq(paymentCheckouts.status, 'aberto'), sql`${paymentCheckouts.expiresAt} > now()`))
          .orderBy(desc(payments.createdAt)).limit(1);
        if (open && open.amountCents === input.amountCents) return { paymentId: open.id, url: open.url, amountCents: open.amountCents };
        const [clinic] = await tx.select({ name: clinics.name }).from(clinics).where(eq(clinics.id, input.clinicId));
        const [proc] = await tx.select({ name: procedures.name }).from(procedures).where(eq(procedures.id, input.procedureId));
        const description = `Sinal: ${proc?.name ?? 'agendamento'}`;
        const [payment] = await tx.insert(payments).values({
          clinicId: input.clinicId, patientId: input.patientId, conversationId: input.conversationId, amountCents: input.amountCents,
          method: 'cartao', status: 'pendente', description, kind: 'deposit',
        }).returning();
        const reference = randomUUID();
        const expiresAt = new Date(Math.max(Date.parse(input.deadline), clock().getTime() + 30 * 60_000));
        const session = await provider.createCheckout({
          amountCents: input.amountCents, currency: 'brl', methods: ['card', 'pix'], description: `${clinic.name}: ${description}`,
          metadata: { paymentId: payment.id, clinicId: input.clinicId, conversationId: input.conversationId, kind: 'deposit' },
          successUrl: `${deps.webBaseUrl}/p/pagar/${reference}?resultado=sucesso`, cancelUrl: `${deps.webBaseUrl}/p/pagar/${reference}?resultado=cancelado`,
          expiresAt, reference, idempotencyKey: `checkout:${payment.id}`,
        });
        await tx.insert(paymentCheckouts).values({
          id: reference, clinicId: input.clinicId, paymentId: payment.id, provider: provider.kind, providerSessionId: session.sessionId,
          url: session.url, pixCode: session.pixCode ?? null, expiresAt: session.expiresAt,
        });
        await tx.update(payments).set({ stripePaymentId: session.sessionId }).where(eq(payments.id, payment.id));
        return { paymentId: payment.id, url: session.url, amountCents: input.amountCents };
      });
    },

    /** The deposit wasn't paid in time: its checkout is closed so a late payment can't land on a released slot. */
    async expireLeadDeposit(input: { clinicId: string; paymentId: string }): Promise<{ paid: boolean }> {
      const rows = await withClinic(deps.db, input.clinicId, async (tx) => {
        const [p] = await tx.select({ status: payments.status }).from(payments).where(eq(payments.id, input.paymentId));
        const open = await tx.select({ id: paymentCheckouts.id, session: paymentCheckouts.providerSessionId }).from(paymentCheckouts)
          .where(and(eq(paymentCheckouts.paymentId, input.paymentId), eq(paymentCheckouts.status, 'aberto')));
        return { status: p?.status, open };
      });
      if (rows.status === 'aprovado') return { paid: true };
      for (const c of rows.open) {
        try {
          await deps.payments?.expireCheckout(c.session);
        } catch (err) {
          log.warn({ err, paymentId: input.paymentId }, 'could not expire the deposit checkout');
        }
        await withClinic(deps.db, input.clinicId, (tx) => tx.update(paymentCheckouts).set({ status: 'expirado' }).where(eq(paymentCheckouts.id, c.id)));
      }
      return { paid: false };
    },

    /**
     * Books the chosen slot (PostgreSQL's exclusion constraint decides a race), attaches the deposit, marks the
     * conversation convertida and starts the appointment's journey. A retry finds the appointment it made.
     */
    async bookLeadAppointment(input: {
      clinicId: string; conversationId: string; patientId: string; procedureId: string; professionalId: string; startsAt: string; paymentId: string | null;
      /** The journey's clock (ISO). */
      now?: string;
    }): Promise<BookResult> {
      const startsAt = new Date(input.startsAt);
      const now = input.now ? new Date(input.now) : clock();
      const outcome = await withClinic(deps.db, input.clinicId, async (tx): Promise<BookResult> => {
        const [conv] = await tx.select({ appointmentId: conversations.convertedAppointmentId }).from(conversations).where(eq(conversations.id, input.conversationId)).for('update');
        if (conv?.appointmentId) return { ok: true, appointmentId: conv.appointmentId, already: true };
        // The dashboard's booking (services/agenda/booking.ts): still free under the clinic's rules
        // (hours, blocks, notice) at booking time, not only at offer time; the exclusion constraint decides a race.
        let id: string;
        try {
          ({ appointment: { id } } = await bookAppointment(tx, {}, {
            clinicId: input.clinicId, patientId: input.patientId, procedureId: input.procedureId, professionalId: input.professionalId,
            startsAt, now, notes: 'Agendado pela Anna (WhatsApp)', source: 'whatsapp',
          }));
        } catch (err) {
          if (err instanceof SlotTaken) return { ok: false, reason: 'slot_taken', message: 'busy' };
          if (err instanceof ApiError) return { ok: false, reason: 'unavailable', message: err.code };
          throw err;
        }
        if (input.paymentId) await tx.update(payments).set({ appointmentId: id }).where(and(eq(payments.id, input.paymentId), isNull(payments.appointmentId)));
        await tx.update(conversations).set({ status: 'convertida', convertedAppointmentId: id, closedAt: now, stage: 'done', needsStaff: false })
          .where(eq(conversations.id, input.conversationId));
        return { ok: true, appointmentId: id, already: false };
      });
      if (outcome.ok) {
        if (deps.journeys) await deps.journeys.start({ id: outcome.appointmentId });
        if (deps.pushToCalendar) {
          try { await deps.pushToCalendar(outcome.appointmentId); } catch (err) { log.warn({ err, appointmentId: outcome.appointmentId }, 'calendar push after lead booking failed; the sync will retry'); }
        }
      }
      return outcome;
    },

    /** Ends the conversation (abandonada / spam); the open-number index frees the number for a new one. */
    async closeLeadConversation(input: { clinicId: string; conversationId: string; status: 'abandonada' | 'spam'; stage: AnnaStage; now?: string }): Promise<void> {
      await withClinic(deps.db, input.clinicId, (tx) => tx.update(conversations)
        .set({ status: input.status, closedAt: input.now ? new Date(input.now) : clock(), stage: input.stage, needsStaff: false })
        .where(and(eq(conversations.id, input.conversationId), eq(conversations.status, 'aberta'))));
    },

    /** Tells the clinic about a lead (dashboard notification once per key, and Slack when configured). */
    async notifyClinicOfLead(input: { clinicId: string; conversationId: string; kind: 'lead_converted' | 'lead_needs_staff'; description: string; key: string; appointmentId?: string | null }): Promise<{ recorded: boolean }> {
      const [conv] = await withClinic(deps.db, input.clinicId, (tx) =>
        tx.select({ patientId: conversations.patientId }).from(conversations).where(eq(conversations.id, input.conversationId)));
      const recorded = await notifier.notify({
        clinicId: input.clinicId, kind: input.kind, key: input.key, description: input.description, patientId: conv?.patientId ?? null,
        data: { conversationId: input.conversationId, ...(input.appointmentId ? { appointmentId: input.appointmentId } : {}) },
      });
      return { recorded };
    },
  };
}

function mergeIntervals(list: [number, number][]): string[] {
  const sorted = [...list].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  const hm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return out.map(([a, b]) => `${hm(a)}-${hm(b)}`);
}

export type LeadActivities = ReturnType<typeof createLeadActivities>;
