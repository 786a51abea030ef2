// Scripted pt-BR conversations run through the real lead journey (time-skipping Temporal server, the
// real routing, activities, outbox and PostgreSQL) with the local engine. A script is data: what the
// patient writes (or does: waits, pays) turn by turn, what Anna must have done after each turn, and
// how the conversation must end (outcome, score band, Anna's messages, the appointment and deposit).
//
// Invariants checked on every script: Anna never quotes a price that is not the clinic's (R$ 250,00,
// R$ 1.200,00, R$ 400,00 or the laser's 20% deposit R$ 80,00), never sends an empty message or one
// with "undefined"/"NaN"/"[object".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import { and, asc, eq } from 'drizzle-orm';
import { appointments, conversationMessages, conversationQualifications, conversations, patients, payments, type ClinicSettings } from '../../../db/schema';
import type { RouteResult } from '../../../services/inbound/route';
import type { AnnaStage, OfferedSlot, QuestionKey } from '../../../domain/anna/types';
import { createZone } from '../../../domain/timezone';
import { leadWorkflowId, type LeadJourneyState } from '../../../workflows/definitions';
import { startLeadHarness, type LeadHarness } from './harness';

const HOUR = 3_600_000;
const TZ = 'America/Sao_Paulo';
export const THRESHOLD = 70;

/** Any "R$ n" that is not one of the clinic's prices (or the laser's deposit). */
export const INVENTED_PRICE = /R\$\s?(?!1\.200,00|250,00|400,00|80,00)\d/;
const BROKEN_TEXT = /undefined|NaN|\[object|\bnull\b/;

export type Period = 'manha' | 'tarde';
export type ScoreBand = [number, number] | 'hot' | 'cold' | 'none';

export interface TurnExpect {
  /** The journey's stage after the turn. */
  stage?: AnnaStage;
  lastQuestion?: QuestionKey | null;
  /** Each must match what Anna sent during this turn (all new messages joined). */
  annaSaysMatch?: RegExp[];
  /** None may match what Anna sent during this turn. */
  annaSaysNot?: RegExp[];
  /** Quick replies on Anna's last message of this turn. */
  quickReplies?: number;
  /** How many messages Anna sent during this turn. */
  newAnnaMessages?: number | [number, number];
  /** The slot picked (1-based index into the slots offered before this turn). */
  chosenSlot?: number;
  /** Every offered slot (after this turn) starts in this local period. */
  slotsPeriod?: Period;
  /** The slots offered after this turn share none with the ones offered before it. */
  slotsChanged?: boolean;
  /** The journey's score after the turn. */
  score?: ScoreBand;
  /** The routing ignored the message (same MessageSid again): routeInbound returned null. */
  ignored?: boolean;
  /** The routing's outcome for the message ('lead', 'spam_quiet', ...). */
  routed?: RouteResult['outcome'];
  /** Anna is paused (staff holds the conversation). */
  takenOver?: boolean;
  /** Fields of the qualification after the turn. */
  qualification?: { procedure?: 'botox' | 'limpeza' | 'laser' | null; preferredPeriod?: Period | 'noite' | null; interest?: 'sim' | 'nao' | 'talvez' | null; name?: string | null };
}

export interface TurnContext { state: LeadJourneyState | null; h: LeadHarness }

export type Turn =
  | { patient: string | ((c: TurnContext) => string); opts?: { messageSid?: string; profileName?: string; mediaUrls?: string[] }; expect?: TurnExpect }
  | { sleepHours: number; expect?: TurnExpect }
  /** Several messages sent back to back, before Anna answers the first. */
  | { burst: string[]; expect?: TurnExpect }
  | { pay: true; expect?: TurnExpect }
  | { takeover: true; expect?: TurnExpect }
  | { handBack: true; expect?: TurnExpect };

export type Outcome = 'convertida' | 'abandonada' | 'spam' | 'staff_queue' | 'encerrada' | 'open';

export interface Script {
  name: string;
  /** Clinic settings while this script runs (merged over the file's). */
  settings?: (h: LeadHarness) => ClinicSettings;
  /** A fixed number (e.g. a known patient's); default a fresh one. */
  phone?: (h: LeadHarness) => string;
  turns: Turn[];
  final: {
    outcome: Outcome;
    /** The final stage for 'open' conversations. */
    stage?: AnnaStage;
    /** conversation_qualifications.score: 'hot' > 70, 'cold' ≤ 70, 'none' = no row. */
    scoreBand: ScoreBand;
    annaMessageCount?: number | [number, number];
    /** Must match at least one of all Anna's messages / none of them. */
    annaSaysMatch?: RegExp[];
    annaSaysNot?: RegExp[];
    appointment?: { procedure: 'botox' | 'limpeza' | 'laser'; period?: Period; patientName?: string; deposit?: number };
    /** Hours between the patient's last message and the conversation's closing. */
    closedAfterHours?: [number, number];
  };
  /** Extra checks after the final ones. */
  check?: (c: { h: LeadHarness; phone: string; conversationId: string; state: LeadJourneyState | null }) => Promise<void>;
}

const zone = createZone(TZ);
export const localHour = (iso: string) => Math.floor(zone.localParts(Date.parse(iso)).minute / 60);
export const localMinute = (iso: string) => zone.localParts(Date.parse(iso)).minute % 60;
export const periodOf = (iso: string): Period | 'noite' => {
  const h = localHour(iso);
  return h < 12 ? 'manha' : h < 18 ? 'tarde' : 'noite';
};
/** "o das 9h30" / "o das 14h" for an offered slot. */
export const byTime = (slot: OfferedSlot) => `o das ${localHour(slot.startsAt)}h${localMinute(slot.startsAt) ? String(localMinute(slot.startsAt)).padStart(2, '0') : ''}`;

function inBand(score: number, band: Exclude<ScoreBand, 'none'>): boolean {
  if (band === 'hot') return score > THRESHOLD;
  if (band === 'cold') return score <= THRESHOLD;
  return score >= band[0] && score <= band[1];
}
const countOk = (n: number, want: number | [number, number]) => (Array.isArray(want) ? n >= want[0] && n <= want[1] : n === want);
const procKey = (h: LeadHarness, id: string | null | undefined) =>
  id === h.clinic.botox.id ? 'botox' : id === h.clinic.limpeza.id ? 'limpeza' : id === h.clinic.laser.id ? 'laser' : id ? 'other' : null;

async function waitFor<T>(probe: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits (without skipping time) until the journey's run has closed. */
async function ended(h: LeadHarness, phone: string) {
  const handle = h.env.client.workflow.getHandle(leadWorkflowId(h.clinic.clinic.id, phone));
  return waitFor(() => handle.describe().then((d) => d.status.name as string).catch(() => 'UNKNOWN'), (s) => s !== 'RUNNING', 10_000);
}

/** Runs one script; returns after every assertion. */
export async function runScript(h: LeadHarness, script: Script): Promise<void> {
  const phone = script.phone?.(h) ?? h.newPhone();
  let state: LeadJourneyState | null = null;
  let conversationId: string | null = null;
  let lastPatientAt = 0;
  const label = (i: number) => `[${script.name}] turn ${i + 1}`;
  if (process.env.SCRIPTS_DEBUG) console.log('SCRIPT', script.name, new Date(await h.env.currentTimeMs()).toISOString());

  for (const [i, turn] of script.turns.entries()) {
    const before = await h.annaMessages(phone);
    const prevState = state;
    let routed: RouteResult | null | undefined;
    if ('patient' in turn) {
      const text = typeof turn.patient === 'function' ? turn.patient({ state, h }) : turn.patient;
      const opts = { ...turn.opts, ...(turn.opts?.messageSid ? { messageSid: `SM${phone.slice(1)}x${turn.opts.messageSid}` } : {}) };
      const current = await h.state(phone);
      const handled = current && !current.outcome ? current.patientMessages : 0;
      routed = await h.send(phone, text, opts);
      lastPatientAt = await h.env.currentTimeMs();
      if (routed?.conversationId && !conversationId) conversationId = routed.conversationId;
      if (turn.expect?.ignored) {
        expect(routed, `${label(i)}: a repeated MessageSid must be ignored`).toBeNull();
        await new Promise((r) => setTimeout(r, 400));
        state = await h.state(phone);
      } else if (routed?.outcome === 'lead') {
        state = await h.settle(phone, handled + 1);
      } else {
        await new Promise((r) => setTimeout(r, 400));
        state = await h.state(phone);
      }
      if (turn.expect?.routed) expect(routed?.outcome, `${label(i)}: routing`).toBe(turn.expect.routed);
    } else if ('burst' in turn) {
      const current = await h.state(phone);
      const handled = current && !current.outcome ? current.patientMessages : 0;
      const sent = await Promise.all(turn.burst.map((text) => h.send(phone, text)));
      lastPatientAt = await h.env.currentTimeMs();
      conversationId ??= sent.find((r) => r?.conversationId)?.conversationId ?? null;
      state = await h.settle(phone, handled + turn.burst.length);
    } else if ('sleepHours' in turn) {
      await h.sleep(turn.sleepHours * HOUR);
      // The timer fired on the server; give the worker the (real) time to act on it.
      await waitFor(async () => ({ n: (await h.annaMessages(phone)).length, s: await h.state(phone) }), (v) => v.n > before.length || Boolean(v.s?.outcome), turn.expect?.newAnnaMessages === 0 ? 1500 : 10_000);
      state = await h.state(phone);
      if (state && !state.outcome) state = await h.settle(phone, state.patientMessages);
    } else if ('pay' in turn) {
      await h.payDeposit(phone);
      state = await waitFor(() => h.state(phone), (s) => Boolean(s?.outcome) || s?.stage !== 'awaiting_payment', 10_000);
      if (state && !state.outcome) state = await h.settle(phone, state.patientMessages);
    } else if ('takeover' in turn) {
      await h.takeover(phone);
      state = await waitFor(() => h.state(phone), (s) => Boolean(s?.takenOverBy), 5000);
    } else {
      await h.handBack(phone);
      state = await waitFor(() => h.state(phone), (s) => !s?.takenOverBy && s?.waitingUntil !== null, 5000);
    }

    if (state?.outcome) await ended(h, phone); // the outcome is set before the last message goes out
    const after = await h.annaMessages(phone);
    const fresh = after.slice(before.length);
    const said = fresh.map((m) => m.body).join('\n---\n');
    const e = turn.expect;
    if (!e) continue;
    const ctx = `${label(i)}; Anna said: ${JSON.stringify(said)}; stage=${state?.stage} lastQuestion=${state?.lastQuestion} outcome=${state?.outcome}`;
    if (e.newAnnaMessages !== undefined) expect(countOk(fresh.length, e.newAnnaMessages), `${ctx}: ${fresh.length} new messages, wanted ${JSON.stringify(e.newAnnaMessages)}`).toBe(true);
    if (e.stage) expect(state?.stage, ctx).toBe(e.stage);
    if (e.lastQuestion !== undefined) expect(state?.lastQuestion ?? null, ctx).toBe(e.lastQuestion);
    for (const re of e.annaSaysMatch ?? []) expect(said, ctx).toMatch(re);
    for (const re of e.annaSaysNot ?? []) expect(said, ctx).not.toMatch(re);
    if (e.quickReplies !== undefined) expect(fresh.at(-1)?.quickReplies.length ?? 0, ctx).toBe(e.quickReplies);
    if (e.takenOver !== undefined) expect(Boolean(state?.takenOverBy), ctx).toBe(e.takenOver);
    if (e.chosenSlot !== undefined) {
      expect(state?.chosenSlot, ctx).toBeTruthy();
      expect(state!.chosenSlot!.startsAt, ctx).toBe(prevState!.offeredSlots[e.chosenSlot - 1].startsAt);
    }
    if (e.slotsPeriod) {
      expect(state?.offeredSlots.length, ctx).toBeGreaterThan(0);
      for (const s of state!.offeredSlots) expect(periodOf(s.startsAt), `${ctx}: slot ${s.label}`).toBe(e.slotsPeriod);
    }
    if (e.slotsChanged) {
      const old = new Set((prevState?.offeredSlots ?? []).map((s) => s.startsAt));
      expect(state?.offeredSlots.length, ctx).toBeGreaterThan(0);
      for (const s of state!.offeredSlots) expect(old.has(s.startsAt), `${ctx}: ${s.label} offered again`).toBe(false);
    }
    if (e.score && e.score !== 'none') {
      expect(state?.score, ctx).toBeTruthy();
      expect(inBand(state!.score!.score, e.score), `${ctx}: score ${state!.score!.score} not ${JSON.stringify(e.score)}`).toBe(true);
    }
    if (e.qualification) {
      const q = state!.qualification;
      if (e.qualification.procedure !== undefined) expect(procKey(h, q.procedure?.id), ctx).toBe(e.qualification.procedure);
      if (e.qualification.preferredPeriod !== undefined) expect(q.preferredPeriod, ctx).toBe(e.qualification.preferredPeriod);
      if (e.qualification.interest !== undefined) expect(q.interest, ctx).toBe(e.qualification.interest);
      if (e.qualification.name !== undefined) expect(q.name, ctx).toBe(e.qualification.name);
    }
  }

  // ── the end ───────────────────────────────────────────────────────────────────────────────────
  const f = script.final;
  const name = `[${script.name}] final`;
  expect(conversationId, `${name}: no conversation was created`).toBeTruthy();
  let result: { outcome: string; appointmentId: string | null } | null = null;
  if (f.outcome === 'convertida' || f.outcome === 'abandonada' || f.outcome === 'spam' || f.outcome === 'encerrada') {
    // A journey that already ended is read with a plain client: awaiting a result on the time-skipping
    // client lets the idle server jump years ahead. Otherwise time skips until the journey ends.
    // Timers are reached with exact sleeps (nudge, follow-up, abandonment) for the same reason.
    for (let i = 0; i < 6; i++) {
      const s = await h.state(phone);
      if (!s || s.outcome || !s.waitingUntil) break;
      const wait = Date.parse(s.waitingUntil.at) - (await h.env.currentTimeMs()) + 60_000;
      await h.sleep(Math.max(1000, wait));
      await waitFor(() => h.state(phone), (n) => !n || Boolean(n.outcome) || (n.waitingUntil !== null && n.waitingUntil.at !== s.waitingUntil!.at), 5000);
    }
    const done = await ended(h, phone);
    const r: { outcome: string; appointmentId: string | null } = done === 'COMPLETED'
      ? await new Client({ connection: h.env.connection, namespace: h.env.namespace }).workflow.getHandle(leadWorkflowId(h.clinic.clinic.id, phone)).result()
      : await h.result(phone);
    result = r;
    expect(r.outcome, `${name}: journey result (last state ${state?.stage})`).toBe(f.outcome);
  } else {
    state = await h.state(phone);
    expect(state?.outcome ?? null, `${name}: the journey must still run`).toBeNull();
    if (f.outcome === 'staff_queue') expect(state?.stage, name).toBe('staff_queue');
    if (f.stage) expect(state?.stage, name).toBe(f.stage);
  }
  const [conv] = await h.tdb.db.select().from(conversations).where(eq(conversations.id, conversationId!));
  const status = { convertida: 'convertida', abandonada: 'abandonada', encerrada: 'abandonada', spam: 'spam', staff_queue: 'aberta', open: 'aberta' }[f.outcome];
  expect(conv.status, `${name}: conversation status`).toBe(status);
  if (f.outcome === 'staff_queue') expect(conv.needsStaff, `${name}: needs staff`).toBe(true);

  const [q] = await h.tdb.db.select().from(conversationQualifications).where(eq(conversationQualifications.conversationId, conversationId!));
  if (f.scoreBand === 'none') expect(q?.score ?? null, `${name}: no score stored`).toBeNull();
  else {
    expect(q?.score, `${name}: a score is stored`).not.toBeNull();
    expect(q?.score, `${name}: a score is stored`).not.toBeUndefined();
    expect(inBand(q!.score!, f.scoreBand), `${name}: stored score ${q!.score} not ${JSON.stringify(f.scoreBand)}`).toBe(true);
  }

  const all = await h.annaMessages(phone);
  const everything = all.map((m) => m.body).join('\n---\n');
  if (f.annaMessageCount !== undefined) {
    expect(countOk(all.length, f.annaMessageCount), `${name}: Anna sent ${all.length} messages, wanted ${JSON.stringify(f.annaMessageCount)}: ${JSON.stringify(all.map((m) => m.body))}`).toBe(true);
  }
  for (const m of all) {
    expect(m.body.trim().length, `${name}: an empty message from Anna`).toBeGreaterThan(0);
    expect(m.body, `${name}: invented price`).not.toMatch(INVENTED_PRICE);
    expect(m.body, `${name}: broken text`).not.toMatch(BROKEN_TEXT);
  }
  for (const re of f.annaSaysMatch ?? []) expect(everything, name).toMatch(re);
  for (const re of f.annaSaysNot ?? []) expect(everything, name).not.toMatch(re);

  if (f.appointment) {
    expect(result?.appointmentId, `${name}: an appointment`).toBeTruthy();
    expect(conv.convertedAppointmentId, name).toBe(result!.appointmentId);
    const [appt] = await h.tdb.db.select().from(appointments).where(eq(appointments.id, result!.appointmentId!));
    expect(procKey(h, appt.procedureId), `${name}: procedure`).toBe(f.appointment.procedure);
    expect(appt.source, name).toBe('whatsapp');
    expect(appt.patientId, name).toBe(conv.patientId);
    expect(h.startedJourneys, `${name}: the appointment's journey was started`).toContain(appt.id);
    if (state?.chosenSlot) expect(appt.startsAt.toISOString(), `${name}: the chosen slot was booked`).toBe(state.chosenSlot.startsAt);
    if (f.appointment.period) expect(periodOf(appt.startsAt.toISOString()), `${name}: local period of ${appt.startsAt.toISOString()}`).toBe(f.appointment.period);
    if (f.appointment.patientName) {
      const [p] = await h.tdb.db.select().from(patients).where(eq(patients.id, appt.patientId));
      expect(p.name, name).toBe(f.appointment.patientName);
    }
    const deps = await h.tdb.db.select().from(payments).where(eq(payments.conversationId, conversationId!));
    if (f.appointment.deposit) {
      const paid = deps.filter((p) => p.status === 'aprovado');
      expect(paid, `${name}: one approved deposit`).toHaveLength(1);
      expect(paid[0].kind, name).toBe('deposit');
      expect(paid[0].amountCents, name).toBe(f.appointment.deposit);
      expect(paid[0].appointmentId, name).toBe(appt.id);
    } else {
      expect(deps, `${name}: no deposit asked`).toHaveLength(0);
    }
  } else if (result) {
    expect(result.appointmentId, `${name}: no appointment`).toBeNull();
  }

  if (f.closedAfterHours) {
    expect(conv.closedAt, name).toBeTruthy();
    const rows = await h.tdb.db.select({ sentAt: conversationMessages.sentAt }).from(conversationMessages)
      .where(and(eq(conversationMessages.conversationId, conversationId!), eq(conversationMessages.sender, 'paciente'))).orderBy(asc(conversationMessages.sentAt));
    const last = rows.at(-1)?.sentAt.getTime() ?? lastPatientAt;
    const hours = (conv.closedAt!.getTime() - last) / HOUR;
    expect(hours >= f.closedAfterHours[0] && hours <= f.closedAfterHours[1], `${name}: closed ${hours.toFixed(2)} h after the last message`).toBe(true);
  }
  await script.check?.({ h, phone, conversationId: conversationId!, state });
}

/** One describe block with its own harness (one clinic, one time-skipping server) and one test per script. */
export function describeScripts(title: string, scripts: Script[], opts: { settings?: (h: LeadHarness) => ClinicSettings } = {}) {
  let h: LeadHarness;
  let base: ClinicSettings = {};
  beforeAll(async () => {
    h = await startLeadHarness();
    base = opts.settings?.(h) ?? {};
    await h.setSettings(base);
  }, 180_000);
  afterAll(async () => { await h?.close(); });

  describe(title, () => {
    for (const script of scripts) {
      it(script.name, async () => {
        if (script.settings) await h.setSettings({ ...base, ...script.settings(h) });
        try {
          await runScript(h, script);
        } finally {
          if (script.settings) await h.setSettings(base);
        }
      }, 90_000);
    }
  });
}
