// The demo clinic: six months of believable history so every screen has life on a fresh install.
// Deterministic for a given `now` (seeded random); idempotent (a second run finds the clinic and stops).
import { hash } from '@node-rs/argon2';
import { and, eq, gt, inArray, sql, type InferInsertModel } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { generateCpf } from '../domain/cpf';
import { createRandom, type Random } from '../domain/random';
import type { Db, Tx } from './client';
import { protectCpf } from './crypto';
import * as s from './schema';
import {
  CANCEL_REASONS, COMPLEMENTS, EMAIL_DOMAINS, FEMALE_NAMES, LEAD_OPENERS, MALE_NAMES, NPS_COMMENTS, OTHER_NAMES,
  PATIENT_NOTES, PLACES, PROCEDURES, PROFESSIONALS, REVIEW_COMMENTS, REWARDS, SOURCES, SPAM_MESSAGES, STREETS, SURNAMES,
  TAGS, type DemoProcedure, type DemoProfessional,
} from './seed-data';

export const DEMO_CLINIC_NAME = 'Clínica Bella Pele';
export const DEMO_PASSWORD = 'tigre-demo-2026';
export const DEMO_USERS = [
  { email: 'admin@bellapele.com.br', role: 'admin', name: 'Mariana Souza' },
  { email: 'recepcao@bellapele.com.br', role: 'staff', name: 'Juliana Ribeiro' },
  { email: 'consulta@bellapele.com.br', role: 'view', name: 'Carlos Mendes' },
] as const satisfies readonly { email: string; role: s.MemberRole; name: string }[];

const TZ = 'America/Sao_Paulo';
const PATIENT_COUNT = 200;
const DAYS_BACK = 182;
const DAYS_AHEAD = 21;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Serialises concurrent seeders (two processes starting on the same empty database). */
const LOCK_KEY = 7_246_552_020;

export interface SeedOptions {
  now: Date;
  /** Encrypts CPFs (db/crypto.ts). */
  dataKey: Buffer;
  /** Part of the contract with `npm start`; nothing the seed stores is signed with it today. */
  linkSecret: string;
}

export async function seedDemo(db: Db, opts: SeedOptions): Promise<{ seeded: boolean; clinicId: string }> {
  const existing = await findDemoClinic(db);
  if (existing) {
    await seedAnnaShowcase(db, existing, opts.now); // no-op once it is there
    return { seeded: false, clinicId: existing };
  }
  const passwordHashes = await Promise.all(DEMO_USERS.map(() => hash(DEMO_PASSWORD)));
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_KEY})`);
    const again = await findDemoClinic(tx);
    if (again) return { seeded: false, clinicId: again };
    const data = buildDemo(opts);
    await insertDemo(tx, data, passwordHashes);
    await insertAnnaShowcase(tx, data.clinic.id, opts.now);
    // Open appointments still ahead get their Temporal journey: the API's journey driver picks up
    // rows marked pending (api/journeys.ts syncPending), as it does after a Temporal outage.
    await tx.update(s.appointments).set({ journeySyncPendingSince: opts.now })
      .where(and(inArray(s.appointments.status, ['agendado', 'confirmado']), gt(s.appointments.startsAt, opts.now)));
    return { seeded: true, clinicId: data.clinic.id };
  });
}

async function findDemoClinic(db: Db | Tx): Promise<string | undefined> {
  const [row] = await db.select({ id: s.clinics.id }).from(s.clinics).where(eq(s.clinics.name, DEMO_CLINIC_NAME)).limit(1);
  return row?.id;
}

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic in the clinic's time zone (Intl only).

const partsFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: TZ, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

function zonedParts(instant: Date) {
  const p: Record<string, number> = {};
  for (const { type, value } of partsFormat.formatToParts(instant)) if (type !== 'literal') p[type] = Number(value);
  return p as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

/** YYYY-MM-DD of an instant in the clinic's zone. */
function localDay(instant: Date): string {
  const p = zonedParts(instant);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

function offsetMs(instant: Date): number {
  const p = zonedParts(instant);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant at `minutes` past local midnight of `day` in the clinic's zone. */
function atLocal(day: string, minutes: number): Date {
  const [y, m, d] = day.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d, 0, minutes);
  const first = offsetMs(new Date(guess));
  const second = offsetMs(new Date(guess - first));
  return new Date(guess - second);
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const weekdayOf = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
const WEEKDAYS = ['domingo', 'segunda', 'terça', 'quarta', 'quinta', 'sexta', 'sábado'];
const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const ddmm = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}`;
const brl = (cents: number) => new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' }).format(cents / 100);
const later = (a: Date, ms: number) => new Date(a.getTime() + ms);
const minDate = (a: Date, b: Date) => (a < b ? a : b);
const maxDate = (a: Date, b: Date) => (a > b ? a : b);

/** Easter Sunday (anonymous Gregorian algorithm), for the movable holidays. */
function easter(year: number): string {
  const a = year % 19, b = Math.floor(year / 100), c = year % 100, d = Math.floor(b / 4), e = b % 4;
  const f = Math.floor((b + 8) / 25), g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7, m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31), day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** National holidays plus São Paulo's (city and state) in `year`. */
function holidaysOf(year: number): { day: string; name: string }[] {
  const e = easter(year);
  const fixed: [string, string][] = [
    ['01-01', 'Confraternização Universal'], ['01-25', 'Aniversário de São Paulo'], ['04-21', 'Tiradentes'],
    ['05-01', 'Dia do Trabalho'], ['07-09', 'Revolução Constitucionalista'], ['09-07', 'Independência do Brasil'],
    ['10-12', 'Nossa Senhora Aparecida'], ['11-02', 'Finados'], ['11-15', 'Proclamação da República'],
    ['11-20', 'Dia da Consciência Negra'], ['12-25', 'Natal'],
  ];
  return [
    ...fixed.map(([md, name]) => ({ day: `${year}-${md}`, name })),
    { day: addDays(e, -48), name: 'Carnaval' },
    { day: addDays(e, -47), name: 'Carnaval' },
    { day: addDays(e, -2), name: 'Sexta-feira Santa' },
    { day: addDays(e, 60), name: 'Corpus Christi' },
  ];
}

/** A valid CNPJ from its first 12 digits. */
function cnpj(base12: string): string {
  const digit = (digits: string) => {
    const weights = digits.length === 12 ? [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] : [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    const sum = weights.reduce((acc, w, i) => acc + w * Number(digits[i]), 0);
    const r = sum % 11;
    return r < 2 ? 0 : 11 - r;
  };
  const first = base12 + digit(base12);
  const d = first + digit(first);
  return `${d.slice(0, 2)}.${d.slice(2, 5)}.${d.slice(5, 8)}/${d.slice(8, 12)}-${d.slice(12)}`;
}

const ascii = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** Version-4-shaped UUIDs from the seeded generator, so rows can reference each other before insert. */
function uuidMaker(random: Random) {
  return () => {
    const b: number[] = [];
    for (let i = 0; i < 16; i++) b.push(random.int(0, 255));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const hex = b.map((x) => x.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}

const hexId = (random: Random, length: number) => {
  let out = '';
  for (let i = 0; i < length; i++) out += random.int(0, 15).toString(16);
  return out;
};

// ---------------------------------------------------------------------------------------------
// Building the rows in memory.

type Row<T extends PgTable> = InferInsertModel<T>;

interface DemoData {
  clinic: Row<typeof s.clinics> & { id: string };
  procedures: Row<typeof s.procedures>[];
  procedurePrices: Row<typeof s.procedurePrices>[];
  professionals: Row<typeof s.professionals>[];
  workingHours: Row<typeof s.professionalWorkingHours>[];
  professionalProcedures: Row<typeof s.professionalProcedures>[];
  timeBlocks: Row<typeof s.professionalTimeBlocks>[];
  holidays: Row<typeof s.clinicHolidays>[];
  patients: Row<typeof s.patients>[];
  phones: Row<typeof s.patientPhones>[];
  addresses: Row<typeof s.patientAddresses>[];
  consents: Row<typeof s.consents>[];
  appointments: Row<typeof s.appointments>[];
  confirmations: Row<typeof s.appointmentConfirmations>[];
  payments: Row<typeof s.payments>[];
  recurringPayments: Row<typeof s.recurringPayments>[];
  conversations: Row<typeof s.conversations>[];
  messages: Row<typeof s.conversationMessages>[];
  qualifications: Row<typeof s.conversationQualifications>[];
  npsSurveys: Row<typeof s.npsSurveys>[];
  reviews: Row<typeof s.reviews>[];
  rewards: Row<typeof s.rewards>[];
  loyaltyAccounts: Row<typeof s.loyaltyAccounts>[];
  loyaltyTransactions: Row<typeof s.loyaltyTransactions>[];
  outbox: Row<typeof s.messageOutbox>[];
  dailyMetrics: Row<typeof s.dailyMetrics>[];
  analyticsEvents: Row<typeof s.analyticsEvents>[];
  auditLog: (Omit<Row<typeof s.auditLog>, 'userId'> & { userEmail: string })[];
}

interface PatientDraft {
  row: Row<typeof s.patients> & { id: string };
  first: string;
  joinDay: string;
  leaveDay: string | null;
  weight: number;
  busy: [number, number][];
  contactAt: Date | null;
}

interface AppointmentDraft {
  row: Row<typeof s.appointments> & { id: string; startsAt: Date; durationMinutes: number; createdAt: Date };
  day: string;
  startMinute: number;
  endsAt: Date;
  patient: PatientDraft;
  procedure: DemoProcedure & { id: string };
  professional: DemoProfessional & { id: string };
}

function buildDemo({ now, dataKey }: SeedOptions): DemoData {
  const random = createRandom('tigre-demo');
  const newId = uuidMaker(createRandom('tigre-demo-ids'));
  const today = localDay(now);
  const firstDay = addDays(today, -DAYS_BACK);
  const lastDay = addDays(today, DAYS_AHEAD);
  const nowMs = now.getTime();
  const clinicId = newId();
  const clinicCreated = atLocal(addDays(today, -420), 10 * 60);

  const clinic = {
    id: clinicId,
    name: DEMO_CLINIC_NAME,
    cnpj: cnpj('345189270001'),
    address: 'Rua Oscar Freire, 1234 – Jardim Paulista, São Paulo – SP, 01426-001',
    phone: '+551130421234',
    logoUrl: null,
    timezone: TZ,
    settings: {
      whatsappNumber: '+5511940028922', email: 'contato@bellapele.com.br',
      reminders: { h24: true, h2: true, smsBackup: true, emailBackup: true },
      npsDelayHours: 24, upsellDiscountPercent: 10, reactivationAfterDays: 90, loyaltyPointsPerReal: 1,
      qualificationThreshold: 70, brandColor: '#e11d48',
    },
    createdAt: clinicCreated,
  } satisfies DemoData['clinic'];

  // Catalogue: current prices took effect 75 days ago; the old ones were ~8% lower.
  const priceChange = addDays(today, -75);
  const procedures = PROCEDURES.map((p) => ({ ...p, id: newId() }));
  const procByKey = new Map(procedures.map((p) => [p.key, p]));
  const oldPrice = (p: DemoProcedure) => Math.round((p.priceCents * 0.92) / 1000) * 1000;
  const priceOn = (p: DemoProcedure, day: string) => (day < priceChange ? oldPrice(p) : p.priceCents);
  const procedureRows = procedures.map((p) => ({
    id: p.id, clinicId, name: p.name, description: p.description, durationMinutes: p.durationMinutes, defaultPriceCents: p.priceCents,
    costCents: p.costCents, category: p.category, active: true, createdAt: clinicCreated, updatedAt: atLocal(priceChange, 9 * 60),
  }));
  const procedurePrices = procedures.flatMap((p) => [
    { id: newId(), clinicId, procedureId: p.id, priceCents: oldPrice(p), validFrom: localDay(clinicCreated), validTo: addDays(priceChange, -1), createdAt: clinicCreated },
    { id: newId(), clinicId, procedureId: p.id, priceCents: p.priceCents, validFrom: priceChange, validTo: null, createdAt: atLocal(addDays(priceChange, -7), 11 * 60) },
  ]);

  const professionals = PROFESSIONALS.map((p) => ({ ...p, id: newId() }));
  const professionalRows = professionals.map((p) => ({
    id: p.id, clinicId, name: p.name, email: p.email, phone: p.phone, specialty: p.specialty, commissionBps: p.commissionBps,
    color: p.color, active: true, createdAt: clinicCreated, updatedAt: clinicCreated,
  }));
  const workingHours = professionals.flatMap((p) =>
    Object.entries(p.hours).flatMap(([weekday, intervals]) =>
      intervals.map(([startMinute, endMinute]) => ({ id: newId(), clinicId, professionalId: p.id, weekday: Number(weekday), startMinute, endMinute })),
    ),
  );
  const professionalProcedures = professionals.flatMap((p) =>
    p.procedures.map((key) => ({ clinicId, professionalId: p.id, procedureId: procByKey.get(key)!.id })),
  );

  const [camila, renata, patricia] = professionals;
  const timeBlocks = [
    { id: newId(), clinicId, professionalId: camila.id, startsAt: atLocal(addDays(today, -63), 0), endsAt: atLocal(addDays(today, -56), 0), kind: 'ferias' as const, reason: 'Férias', createdAt: atLocal(addDays(today, -120), 10 * 60) },
    { id: newId(), clinicId, professionalId: patricia.id, startsAt: atLocal(addDays(today, -20), 8 * 60), endsAt: atLocal(addDays(today, -20), 12 * 60), kind: 'pessoal' as const, reason: 'Consulta médica', createdAt: atLocal(addDays(today, -30), 10 * 60) },
    { id: newId(), clinicId, professionalId: renata.id, startsAt: atLocal(addDays(today, 9), 14 * 60), endsAt: atLocal(addDays(today, 9), 19 * 60), kind: 'curso' as const, reason: 'Curso de atualização em bioestimuladores', createdAt: atLocal(addDays(today, -10), 10 * 60) },
    { id: newId(), clinicId, professionalId: camila.id, startsAt: atLocal(addDays(today, 4), 12 * 60), endsAt: atLocal(addDays(today, 4), 14 * 60), kind: 'reuniao' as const, reason: 'Reunião com fornecedor', createdAt: atLocal(addDays(today, -3), 10 * 60) },
  ];

  const years = new Set([Number(firstDay.slice(0, 4)), Number(lastDay.slice(0, 4))]);
  const holidays = [...years].flatMap(holidaysOf).filter((h) => h.day >= addDays(firstDay, -30) && h.day <= addDays(lastDay, 30));
  const holidayDays = new Set(holidays.map((h) => h.day));
  const holidayRows = holidays.map((h) => ({ id: newId(), clinicId, day: h.day, name: h.name }));

  // ---- Patients (joined at different times; some stop coming).
  const usedNames = new Set<string>();
  const usedEmails = new Set<string>();
  const usedPhones = new Set<string>();
  const mobile = (ddd: string) => {
    for (;;) {
      const n = `+55${ddd}9${random.int(6, 9)}${String(random.int(0, 9_999_999)).padStart(7, '0')}`;
      if (!usedPhones.has(n)) {
        usedPhones.add(n);
        return n;
      }
    }
  };
  const drafts: PatientDraft[] = [];
  for (let i = 0; i < PATIENT_COUNT; i++) {
    const gender = random.weighted([['F', 82], ['M', 16], ['Outro', 2]] as const);
    let name = '';
    let first = '';
    do {
      first = random.pick(gender === 'F' ? FEMALE_NAMES : gender === 'M' ? MALE_NAMES : OTHER_NAMES);
      const last = random.pick(SURNAMES);
      name = random.chance(0.6) ? `${first} ${random.pick(SURNAMES.filter((x) => x !== last))} ${last}` : `${first} ${last}`;
    } while (usedNames.has(name));
    usedNames.add(name);
    const lastName = name.split(' ').at(-1)!;
    let email: string | null = null;
    if (random.chance(0.85)) {
      const base = `${ascii(first)}${random.pick(['.', '_', ''])}${ascii(lastName)}`;
      email = `${base}${random.chance(0.5) ? random.int(1, 99) : ''}@${random.pick(EMAIL_DOMAINS)}`;
      if (usedEmails.has(email)) email = `${base}${i}@${random.pick(EMAIL_DOMAINS)}`;
      usedEmails.add(email);
    }
    const phone = mobile(random.weighted([['11', 88], ['12', 2], ['13', 3], ['19', 2], ['21', 2], ['31', 2], ['41', 1]] as const));
    const joinedBefore = random.chance(0.35);
    const joinDay = joinedBefore ? addDays(firstDay, -random.int(10, 240)) : addDays(firstDay, random.int(0, DAYS_BACK + 7));
    const leaveDay = random.chance(0.25) ? addDays(joinDay < firstDay ? firstDay : joinDay, random.int(20, 110)) : null;
    const birthYear = random.int(1962, 2005);
    const id = newId();
    drafts.push({
      first, joinDay, leaveDay, busy: [], contactAt: null,
      // Few loyal regulars, many occasional patients; ~10% never book (leads and lookers).
      weight: random.chance(0.1) ? 0 : 0.15 + random.next() ** 2 * 3,
      row: {
        id, clinicId, name, email, phone, whatsapp: random.chance(0.96) ? phone : null,
        ...(random.chance(0.85) ? protectCpf(dataKey, generateCpf(random)) : {}),
        birthDate: `${birthYear}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`,
        gender, status: 'ativo', classification: 'novo',
        tags: random.chance(0.45) ? random.sample(TAGS, random.int(1, 2)) : [],
        source: random.pick(SOURCES),
        notes: random.chance(0.15) ? random.pick(PATIENT_NOTES) : null,
        createdAt: atLocal(joinDay, random.int(9 * 60, 19 * 60)),
      },
    });
  }

  // ---- Appointments: per professional and working day, a few non-overlapping bookings.
  const appointments: AppointmentDraft[] = [];
  const blocksOf = (profId: string) => timeBlocks.filter((b) => b.professionalId === profId);
  for (let day = firstDay; day <= lastDay; day = addDays(day, 1)) {
    if (holidayDays.has(day)) continue;
    const weekday = weekdayOf(day);
    const ahead = Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY);
    for (const prof of professionals) {
      const intervals = prof.hours[weekday];
      if (!intervals) continue;
      let target =
        ahead < 0
          ? random.weighted([[0, 1], [1, 3], [2, 4], [3, 3], [4, 1]] as const)
          : ahead <= 7
            ? random.weighted([[1, 3], [2, 4], [3, 3], [4, 1]] as const)
            : random.weighted([[0, 3], [1, 4], [2, 2], [3, 1]] as const);
      if (ahead < -120 && target > 0 && random.chance(0.4)) target--; // the clinic has been growing
      const starts = random.shuffle(intervals.flatMap(([a, b]) => Array.from({ length: (b - a) / 15 }, (_, k) => a + 15 * k)));
      const placed: [number, number][] = [];
      const procs = prof.procedures.map((k) => procByKey.get(k)!);
      for (const start of starts) {
        if (placed.length >= target) break;
        const proc = random.weighted(procs.map((p) => [p, p.weight] as const));
        const end = start + proc.durationMinutes;
        if (!intervals.some(([a, b]) => start >= a && end <= b)) continue;
        if (placed.some(([a, b]) => start < b && end > a)) continue;
        const startsAt = atLocal(day, start);
        const endsAt = later(startsAt, proc.durationMinutes * MINUTE);
        if (blocksOf(prof.id).some((b) => startsAt < b.endsAt && endsAt > b.startsAt)) continue;
        const eligible = drafts.filter(
          (p) => p.weight > 0 && p.joinDay <= day && (p.leaveDay === null || day <= p.leaveDay) &&
            !p.busy.some(([a, b]) => startsAt.getTime() < b && endsAt.getTime() > a),
        );
        if (eligible.length === 0) continue;
        const patient = random.weighted(eligible.map((p) => [p, p.weight] as const));
        patient.busy.push([startsAt.getTime(), endsAt.getTime()]);
        placed.push([start, end]);
        const leadDays = random.weighted([[0, 1], [1, 3], [2, 3], [4, 3], [7, 3], [14, 2], [21, 1]] as const);
        const createdAt = minDate(new Date(startsAt.getTime() - leadDays * DAY - random.int(1, 8) * HOUR), new Date(nowMs - random.int(1, 48) * HOUR));
        appointments.push({
          day, startMinute: start, endsAt, patient, procedure: proc, professional: prof,
          row: {
            id: newId(), clinicId, patientId: patient.row.id, procedureId: proc.id, professionalId: prof.id, startsAt,
            durationMinutes: proc.durationMinutes, priceCents: priceOn(proc, localDay(createdAt)), createdAt,
            source: random.weighted([['painel', 56], ['whatsapp', 26], ['link', 18]] as const),
          },
        });
      }
    }
  }
  appointments.sort((a, b) => a.row.startsAt.getTime() - b.row.startsAt.getTime());

  // ---- Statuses, reminders, payments, NPS.
  const confirmations: DemoData['confirmations'] = [];
  const payments: DemoData['payments'] = [];
  const npsSurveys: DemoData['npsSurveys'] = [];
  const reviews: DemoData['reviews'] = [];
  const outbox: DemoData['outbox'] = [];
  const analyticsEvents: DemoData['analyticsEvents'] = [];
  const twilioSid = () => `SM${hexId(random, 32)}`;
  const event = (kind: string, occurredAt: Date, patientId: string | null, data: Record<string, unknown>, description?: string) =>
    analyticsEvents.push({ id: newId(), clinicId, kind, occurredAt, patientId, data, description: description ?? null, createdAt: occurredAt });
  const firstNameOf = (p: PatientDraft) => p.first;

  for (const a of appointments) {
    const r = a.row;
    const past = a.endsAt.getTime() <= nowMs;
    const startMs = r.startsAt.getTime();
    const createdMs = r.createdAt.getTime();
    const status: s.AppointmentStatus = past
      ? random.weighted([['realizado', 82], ['no_show', 7], ['cancelado', 11]] as const)
      : random.chance(0.05)
        ? 'cancelado'
        : startMs - nowMs < 2 * DAY && random.chance(0.65) ? 'confirmado' : 'agendado';
    r.status = status;
    r.updatedAt = r.createdAt;
    event('appointment_booked', r.createdAt, a.patient.row.id, { appointmentId: r.id, procedure: a.procedure.key, source: r.source });

    if (status === 'cancelado') {
      const cancelMs = Math.min(nowMs - MINUTE, Math.max(createdMs + HOUR, startMs - random.int(2, 72) * HOUR));
      r.cancelledAt = new Date(cancelMs);
      r.cancelReason = random.pick(CANCEL_REASONS);
      r.updatedAt = r.cancelledAt;
      event('appointment_cancelled', r.cancelledAt, a.patient.row.id, { appointmentId: r.id, reason: r.cancelReason });
    }
    const cancelledBefore = (t: number) => r.cancelledAt != null && r.cancelledAt.getTime() <= t;

    // Reminders: 24 h before on WhatsApp, 2 h before by SMS or WhatsApp.
    const willConfirm = status === 'confirmado' || ((status === 'realizado' || status === 'no_show') && random.chance(status === 'realizado' ? 0.8 : 0.3));
    const phone = a.patient.row.whatsapp ?? a.patient.row.phone!;
    for (const [kind, leadMs, channel] of [
      ['lembrete_24h', DAY, 'whatsapp'],
      ['lembrete_2h', 2 * HOUR, random.chance(0.5) ? 'sms' : 'whatsapp'],
    ] as const) {
      const sentMs = startMs - leadMs;
      if (sentMs > nowMs || sentMs <= createdMs || cancelledBefore(sentMs)) continue;
      const sentAt = new Date(sentMs);
      const read = random.chance(0.85);
      const readAt = read ? new Date(Math.min(nowMs, sentMs + random.int(1, 180) * MINUTE)) : null;
      let response: 'confirmou' | 'cancelou' | null = null;
      let respondedAt: Date | null = null;
      if (kind === 'lembrete_24h' && readAt) {
        if (status === 'cancelado' && r.cancelledAt && r.cancelledAt.getTime() > readAt.getTime()) {
          response = 'cancelou';
          respondedAt = r.cancelledAt;
        } else if (willConfirm) {
          response = 'confirmou';
          respondedAt = new Date(Math.min(nowMs, readAt.getTime() + random.int(1, 30) * MINUTE));
          r.confirmedAt = respondedAt;
          r.updatedAt = maxDate(r.updatedAt as Date, respondedAt);
        }
      }
      if (kind === 'lembrete_24h') r.reminder24hSent = true;
      else r.reminder2hSent = true;
      const body =
        kind === 'lembrete_24h'
          ? `Olá, ${firstNameOf(a.patient)}! Lembrete: amanhã (${ddmm(a.day)}) às ${hhmm(a.startMinute)} você tem ${a.procedure.name} com ${a.professional.name} na Clínica Bella Pele. Responda 1 para confirmar ou 2 para cancelar.`
          : `${firstNameOf(a.patient)}, seu horário de ${a.procedure.name} é hoje às ${hhmm(a.startMinute)}. Rua Oscar Freire, 1234 – Jardins. Qualquer imprevisto: (11) 3042-1234.`;
      const providerMessageId = twilioSid();
      confirmations.push({
        id: newId(), clinicId, appointmentId: r.id, kind, channel, sentAt, deliveredAt: later(sentAt, random.int(2, 20) * 1000),
        read, readAt, response, respondedAt, createdAt: sentAt,
      });
      outbox.push({
        id: newId(), clinicId, channel, to: phone, body, template: kind, templateData: { appointmentId: r.id },
        status: read ? 'read' : 'delivered', idempotencyKey: `appointment:${r.id}:${kind}`, providerMessageId,
        patientId: a.patient.row.id, appointmentId: r.id, attempts: 1, createdAt: sentAt, sentAt: later(sentAt, 1000),
        deliveredAt: later(sentAt, random.int(2, 20) * 1000), readAt,
      });
    }
    if (status === 'confirmado' && !r.confirmedAt) {
      r.confirmedAt = new Date(Math.min(nowMs - MINUTE, createdMs + random.int(5, 120) * MINUTE));
      r.updatedAt = r.confirmedAt;
    }

    // Payments.
    const method = () => random.weighted([['cartao', 50], ['pix', 36], ['dinheiro', 10], ['boleto', 4]] as const);
    const pay = (at: Date, m: s.PaymentMethod, status: s.PaymentStatus, extra: Partial<Row<typeof s.payments>> = {}) => {
      const row = {
        id: newId(), clinicId, appointmentId: r.id, patientId: a.patient.row.id, amountCents: r.priceCents, method: m, status,
        stripePaymentId: m === 'cartao' || m === 'pix' ? `pi_${hexId(random, 24)}` : null,
        description: `${a.procedure.name} – ${ddmm(a.day)}/${a.day.slice(0, 4)}`, createdAt: at,
        processedAt: status === 'pendente' || status === 'processando' ? null : new Date(Math.min(nowMs, at.getTime() + random.int(3, 50) * 1000)),
        ...extra,
      } satisfies Row<typeof s.payments>;
      payments.push(row);
      return row;
    };
    r.paymentStatus = 'pendente';
    if (status === 'realizado') {
      r.completedAt = a.endsAt;
      r.updatedAt = a.endsAt;
      event('appointment_completed', a.endsAt, a.patient.row.id, { appointmentId: r.id, procedure: a.procedure.key, priceCents: r.priceCents });
      const paidAt = new Date(Math.min(nowMs - MINUTE, a.endsAt.getTime() + random.int(0, 20) * MINUTE));
      if (random.chance(0.94)) {
        if (random.chance(0.04)) pay(later(paidAt, -4 * MINUTE), 'cartao', 'recusado');
        pay(paidAt, method(), 'aprovado');
        r.paymentStatus = 'pago';
      } else if (random.chance(0.5)) {
        pay(paidAt, 'boleto', 'pendente');
      }
    } else if (status === 'no_show') {
      r.updatedAt = later(r.startsAt, 30 * MINUTE);
      event('no_show', r.updatedAt, a.patient.row.id, { appointmentId: r.id });
    } else if (random.chance(status === 'cancelado' ? 0.2 : 0.22)) {
      // Deposit paid up front (Pix or card link); refunded when the appointment was cancelled.
      const paidAt = new Date(Math.min(nowMs - MINUTE, createdMs + random.int(5, 240) * MINUTE));
      if (status === 'cancelado' && r.cancelledAt) {
        const at = minDate(paidAt, new Date(r.cancelledAt.getTime() - MINUTE));
        pay(at, random.chance(0.7) ? 'pix' : 'cartao', 'reembolsado', { refundedAt: new Date(Math.min(nowMs, r.cancelledAt.getTime() + HOUR)), refundedCents: r.priceCents });
        r.paymentStatus = 'reembolsado';
      } else {
        pay(paidAt, random.chance(0.7) ? 'pix' : 'cartao', 'aprovado');
        r.paymentStatus = 'pago';
      }
    } else if (status !== 'cancelado' && random.chance(0.1)) {
      pay(new Date(Math.min(nowMs - MINUTE, createdMs + 10 * MINUTE)), 'pix', 'pendente');
    }

    // NPS 24 h after a completed visit; about 60% answer.
    if (status === 'realizado' && a.endsAt.getTime() + DAY <= nowMs && random.chance(0.9)) {
      const sentAt = later(a.endsAt, DAY);
      const answeredMs = sentAt.getTime() + random.int(3, 36 * 60) * MINUTE;
      const answered = random.chance(0.62) && answeredMs <= nowMs;
      const score = answered ? random.weighted([[10, 38], [9, 22], [8, 14], [7, 9], [6, 5], [5, 4], [4, 3], [3, 2], [2, 1], [1, 1], [0, 1]] as const) : null;
      const kind = score == null ? null : score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
      const comment = kind && random.chance(0.55) ? random.pick(NPS_COMMENTS[kind]) : null;
      const sentiment = comment && kind
        ? Math.round((kind === 'promoter' ? 0.55 + random.next() * 0.4 : kind === 'passive' ? random.next() * 0.4 : -0.9 + random.next() * 0.6) * 100) / 100
        : null;
      const answeredAt = answered ? new Date(answeredMs) : null;
      npsSurveys.push({
        id: newId(), clinicId, appointmentId: r.id, patientId: a.patient.row.id, score, comment, sentimentScore: sentiment, sentAt,
        answeredAt, answered, createdAt: sentAt,
      });
      outbox.push({
        id: newId(), clinicId, channel: 'whatsapp', to: phone, template: 'nps',
        body: `Oi, ${firstNameOf(a.patient)}! Como foi seu ${a.procedure.name} ontem? De 0 a 10, quanto você recomendaria a Clínica Bella Pele a uma amiga?`,
        templateData: { appointmentId: r.id }, status: answered ? 'read' : 'delivered', idempotencyKey: `nps:${r.id}:send`,
        providerMessageId: twilioSid(), patientId: a.patient.row.id, appointmentId: r.id, attempts: 1, createdAt: sentAt,
        sentAt: later(sentAt, 1000), deliveredAt: later(sentAt, 5000), readAt: answeredAt,
      });
      if (answeredAt && score != null) {
        event('nps_answered', answeredAt, a.patient.row.id, { appointmentId: r.id, score });
        if (random.chance(0.3)) {
          const rating = score >= 9 ? (random.chance(0.8) ? 5 : 4) : score >= 7 ? random.int(3, 4) : random.int(1, 3);
          reviews.push({
            id: newId(), clinicId, appointmentId: r.id, patientId: a.patient.row.id, professionalId: a.professional.id, rating,
            comment: rating >= 4 && random.chance(0.7) ? random.pick(REVIEW_COMMENTS) : null, createdAt: later(answeredAt, 2 * MINUTE),
          });
        }
      }
    }
  }

  // ---- Conversations with Anna: every WhatsApp booking came from one; plus leads that went nowhere.
  const conversations: DemoData['conversations'] = [];
  const messages: DemoData['messages'] = [];
  const qualifications: DemoData['qualifications'] = [];
  const say = (conversationId: string, sender: 'anna' | 'paciente', body: string, at: Date, sentiment: number | null = null) => {
    messages.push({
      id: newId(), clinicId, conversationId, sender, body, kind: 'texto', sentAt: at, read: at.getTime() < nowMs - 10 * MINUTE,
      readAt: at.getTime() < nowMs - 10 * MINUTE ? later(at, random.int(1, 10) * MINUTE) : null,
      sentimentScore: sentiment, providerMessageId: twilioSid(),
    });
  };
  const opener = (proc: DemoProcedure) => random.pick(LEAD_OPENERS).replace('{procedimento}', proc.name.toLowerCase());
  const goals: Record<string, readonly string[]> = {
    facial: ['Quero um resultado natural', 'Quero parecer mais descansada', 'Melhorar as manchas e a textura da pele'],
    corporal: ['Diminuir o inchaço', 'Quero me sentir bem para o verão', 'Tratar a flacidez'],
    capilar: ['Meu cabelo está caindo muito'],
    outra: ['Quero cuidar de mim'],
  };
  for (const a of appointments.filter((x) => x.row.source === 'whatsapp')) {
    const r = a.row;
    const id = newId();
    const phone = a.patient.row.whatsapp ?? a.patient.row.phone!;
    const bookedAt = r.createdAt;
    let t = new Date(bookedAt.getTime() - random.int(12, 60) * MINUTE);
    const startedAt = t;
    const step = () => (t = later(t, random.int(20, 300) * 1000));
    const pos = () => Math.round((0.3 + random.next() * 0.6) * 100) / 100;
    say(id, 'paciente', opener(a.procedure), t, pos());
    say(id, 'anna', `Olá, ${a.patient.first}! Eu sou a Anna, assistente virtual da Clínica Bella Pele 💕 Posso te fazer 4 perguntinhas rápidas para encontrar o melhor horário?`, step());
    say(id, 'paciente', random.pick(['Pode sim!', 'Claro', 'Pode']), step(), pos());
    say(id, 'anna', `1) Você já fez ${a.procedure.name.toLowerCase()} antes?`, step());
    say(id, 'paciente', random.pick(['Nunca fiz', 'Já fiz uma vez, faz uns meses', 'Sim, faço sempre']), step(), pos());
    say(id, 'anna', '2) Qual resultado você espera?', step());
    say(id, 'paciente', random.pick(goals[a.procedure.category]), step(), pos());
    say(id, 'anna', '3) Qual dia e período ficam melhores para você?', step());
    say(id, 'paciente', `${WEEKDAYS[weekdayOf(a.day)]} de ${a.startMinute < 12 * 60 ? 'manhã' : 'tarde'}, se der`, step(), pos());
    say(id, 'anna', `Perfeito! Tenho ${WEEKDAYS[weekdayOf(a.day)]}, ${ddmm(a.day)}, às ${hhmm(a.startMinute)} com ${a.professional.name}. O valor é ${brl(r.priceCents)}. 4) Confirma seu nome completo para eu reservar?`, step());
    say(id, 'paciente', a.patient.row.name, step(), null);
    const confirmAt = later(bookedAt, random.int(10, 50) * 1000);
    say(id, 'anna', `Agendado ✅ ${a.procedure.name} em ${ddmm(a.day)} às ${hhmm(a.startMinute)} com ${a.professional.name}. Você recebe um lembrete 24 h antes. Até lá!`, confirmAt);
    conversations.push({
      id, clinicId, patientWhatsapp: phone, patientId: a.patient.row.id, startedAt, lastMessageAt: confirmAt, status: 'convertida',
      convertedAppointmentId: r.id, closedAt: confirmAt, workflowId: `lead:${clinicId}:${phone}`, createdAt: startedAt,
    });
    qualifications.push({
      id: newId(), clinicId, conversationId: id, score: random.int(72, 98), interested: 'sim', procedureInterest: a.procedure.name,
      procedureId: a.procedure.id, preferredDate: a.day, preferredTime: hhmm(a.startMinute), confirmedPhone: phone, createdAt: startedAt, updatedAt: confirmAt,
    });
    event('lead_converted', confirmAt, a.patient.row.id, { conversationId: id, appointmentId: r.id });
    a.patient.contactAt = a.patient.contactAt && a.patient.contactAt > confirmAt ? a.patient.contactAt : confirmAt;
  }
  // Leads that stopped answering, some still open, and a little spam.
  const windowStart = atLocal(firstDay, 8 * 60).getTime();
  const leadKinds = [
    ...Array.from({ length: 64 }, () => 'abandonada' as const),
    ...Array.from({ length: 9 }, () => 'aberta' as const),
    ...Array.from({ length: 6 }, () => 'spam' as const),
  ];
  for (const kind of leadKinds) {
    const id = newId();
    const phone = mobile(random.weighted([['11', 85], ['13', 5], ['21', 5], ['31', 5]] as const));
    let t =
      kind === 'aberta'
        ? new Date(nowMs - random.int(20, 36 * 60) * MINUTE)
        : new Date(windowStart + random.next() * (nowMs - 3 * DAY - windowStart));
    const startedAt = t;
    const step = () => (t = later(t, random.int(30, 900) * 1000));
    if (kind === 'spam') {
      say(id, 'paciente', random.pick(SPAM_MESSAGES), t, 0);
      say(id, 'anna', 'Olá! Sou a Anna, da Clínica Bella Pele. Posso ajudar com algum procedimento estético?', step());
      conversations.push({ id, clinicId, patientWhatsapp: phone, startedAt, lastMessageAt: t, status: 'spam', closedAt: later(t, HOUR), createdAt: startedAt });
      continue;
    }
    const proc = random.weighted(procedures.map((p) => [p, p.weight] as const));
    say(id, 'paciente', opener(proc), t, Math.round(random.next() * 60) / 100);
    say(id, 'anna', `Oi! Eu sou a Anna, assistente virtual da Clínica Bella Pele 💕 ${proc.name} sai por ${brl(proc.priceCents)}. Posso te fazer 4 perguntinhas para achar o melhor horário?`, step());
    const answers = random.int(0, 3);
    if (answers >= 1) {
      say(id, 'paciente', random.pick(['Pode', 'Hmm, achei um pouco caro', 'Pode sim, mas só consigo depois do trabalho']), step(), Math.round((random.next() * 1.2 - 0.4) * 100) / 100);
      say(id, 'anna', `1) Você já fez ${proc.name.toLowerCase()} antes?`, step());
    }
    if (answers >= 2) {
      say(id, 'paciente', random.pick(['Nunca', 'Já, em outra clínica']), step(), 0.2);
      say(id, 'anna', '2) Qual resultado você espera?', step());
    }
    const last = t;
    const nudgeAt = later(last, 23 * HOUR);
    if (kind === 'abandonada') {
      say(id, 'anna', 'Oi! Ainda tem interesse? Posso reservar um horário para você esta semana 😊', nudgeAt);
    }
    const lastMessageAt = kind === 'abandonada' ? nudgeAt : last;
    conversations.push({
      id, clinicId, patientWhatsapp: phone, startedAt, lastMessageAt, status: kind,
      closedAt: kind === 'abandonada' ? later(nudgeAt, 48 * HOUR) : null, workflowId: `lead:${clinicId}:${phone}`, createdAt: startedAt,
    });
    qualifications.push({
      id: newId(), clinicId, conversationId: id, score: kind === 'aberta' ? random.int(40, 75) : random.int(10, 60),
      interested: random.pick(['talvez', 'talvez', 'nao', 'sim'] as const), procedureInterest: proc.name, procedureId: proc.id,
      createdAt: startedAt, updatedAt: lastMessageAt,
    });
    if (kind === 'abandonada') event('lead_abandoned', later(nudgeAt, 48 * HOUR), null, { conversationId: id });
  }

  // ---- Patients' derived fields: counters, classification, contact, creation before first booking.
  const byPatient = new Map<string, AppointmentDraft[]>();
  for (const a of appointments) byPatient.set(a.patient.row.id, [...(byPatient.get(a.patient.row.id) ?? []), a]);
  const paidByPatient = new Map<string, number>();
  for (const p of payments) if (p.status === 'aprovado') paidByPatient.set(p.patientId, (paidByPatient.get(p.patientId) ?? 0) + p.amountCents);
  for (const d of drafts) {
    const list = byPatient.get(d.row.id) ?? [];
    const firstBooking = list.reduce<Date | null>((m, a) => (m && m < a.row.createdAt ? m : a.row.createdAt), null);
    if (firstBooking && (d.row.createdAt as Date) >= firstBooking) d.row.createdAt = new Date(firstBooking.getTime() - random.int(1, 72) * HOUR);
    if ((d.row.createdAt as Date).getTime() > nowMs) d.row.createdAt = new Date(nowMs - random.int(1, 48) * HOUR);
    const done = list.filter((a) => a.row.status === 'realizado');
    d.row.procedureCount = done.length;
    const counts = new Map<string, number>();
    for (const a of done) counts.set(a.procedure.id, (counts.get(a.procedure.id) ?? 0) + 1);
    d.row.favoriteProcedureId = [...counts.entries()].sort((x, y) => y[1] - x[1])[0]?.[0] ?? null;
    const spent = paidByPatient.get(d.row.id) ?? 0;
    d.row.classification = spent >= 500000 ? 'ouro' : spent >= 200000 ? 'prata' : done.length > 0 ? 'bronze' : 'novo';
    const lastVisit = list.filter((a) => a.row.startsAt.getTime() <= nowMs).at(-1)?.row.startsAt ?? null;
    const contacts = [lastVisit, d.contactAt].filter((x): x is Date => x != null);
    d.row.lastContactAt = contacts.length ? new Date(Math.max(...contacts.map((x) => x.getTime()))) : null;
    d.row.status = list.filter((a) => a.row.status === 'no_show').length >= 4 ? 'bloqueado' : d.leaveDay && d.leaveDay < addDays(today, -90) && random.chance(0.4) ? 'inativo' : 'ativo';
    d.row.updatedAt = d.row.lastContactAt ?? d.row.createdAt;
    event('patient_created', d.row.createdAt as Date, d.row.id, { source: d.row.source });
  }

  // ---- Contacts, addresses, consents.
  const phones: DemoData['phones'] = [];
  const addresses: DemoData['addresses'] = [];
  const consents: DemoData['consents'] = [];
  for (const d of drafts) {
    const p = d.row;
    const created = p.createdAt as Date;
    phones.push({ id: newId(), clinicId, patientId: p.id, number: p.phone!, kind: 'celular', isPrimary: true, createdAt: created });
    if (random.chance(0.15)) {
      phones.push({ id: newId(), clinicId, patientId: p.id, number: `+5511${random.int(2, 5)}${String(random.int(0, 9_999_999)).padStart(7, '0')}`, kind: random.pick(['comercial', 'residencial'] as const), isPrimary: false, createdAt: created });
    }
    if (random.chance(0.7)) {
      const place = random.pick(PLACES);
      addresses.push({
        id: newId(), clinicId, patientId: p.id, street: random.pick(STREETS), number: String(random.int(10, 2999)),
        complement: random.chance(0.5) ? random.pick(COMPLEMENTS) : null, district: place.district, city: place.city, state: 'SP',
        postalCode: `${place.cep}${String(random.int(0, 999)).padStart(3, '0')}`, kind: 'residencial', isPrimary: true, createdAt: created,
      });
    }
    const consent = (channel: s.MessageChannel, pGranted: number) => {
      const granted = random.chance(pGranted);
      const revoked = !granted && random.chance(0.5);
      consents.push({
        id: newId(), clinicId, patientId: p.id, channel, granted, source: random.pick(['formulario', 'whatsapp', 'painel']),
        grantedAt: granted || revoked ? created : null,
        revokedAt: revoked ? new Date(Math.min(nowMs - HOUR, created.getTime() + random.int(5, 90) * DAY)) : null,
        createdAt: created, updatedAt: created,
      });
    };
    if (p.whatsapp) consent('whatsapp', 0.95);
    consent('sms', 0.7);
    if (p.email) consent('email', 0.65);
  }

  // Stand-alone sales and monthly plans.
  const patientsWithVisits = drafts.filter((d) => (byPatient.get(d.row.id) ?? []).some((a) => a.row.status === 'realizado'));
  for (let i = 0; i < 18; i++) {
    const d = random.pick(patientsWithVisits);
    const at = new Date(windowStart + random.next() * (nowMs - windowStart - DAY));
    const product = random.pick([['Protetor solar FPS 50', 12900], ['Sérum de vitamina C', 18900], ['Hidratante pós-procedimento', 9900]] as const);
    payments.push({
      id: newId(), clinicId, patientId: d.row.id, amountCents: product[1], method: random.pick(['cartao', 'pix'] as const), status: 'aprovado',
      stripePaymentId: `pi_${hexId(random, 24)}`, description: product[0], createdAt: at, processedAt: later(at, 30_000),
    });
  }
  const recurringPayments = random.sample(patientsWithVisits, 6).map((d, i) => {
    const dayOfMonth = random.pick([5, 10, 15, 20]);
    const [y, m] = today.split('-').map(Number);
    const thisMonth = new Date(Date.UTC(y, m - 1, dayOfMonth)).toISOString().slice(0, 10);
    const nextMonth = new Date(Date.UTC(y, m, dayOfMonth)).toISOString().slice(0, 10);
    const status = i < 4 ? 'ativo' : i === 4 ? 'suspenso' : 'cancelado';
    return {
      id: newId(), clinicId, patientId: d.row.id, amountCents: i % 2 ? 34900 : 19900, dayOfMonth,
      status, nextDate: status === 'ativo' ? (thisMonth > today ? thisMonth : nextMonth) : null,
      stripeSubscriptionId: `sub_${hexId(random, 24)}`, description: i % 2 ? 'Plano Glow mensal (limpeza + drenagem)' : 'Plano Drenagem mensal',
      createdAt: atLocal(addDays(today, -random.int(40, 170)), 11 * 60), updatedAt: atLocal(addDays(today, -random.int(1, 30)), 11 * 60),
    } satisfies Row<typeof s.recurringPayments>;
  });

  // ---- Loyalty: 1 point per real paid for procedures; some patients redeem rewards.
  const rewards = REWARDS.map((r) => ({ id: newId(), clinicId, ...r, active: true, createdAt: clinicCreated }));
  const loyaltyAccounts: DemoData['loyaltyAccounts'] = [];
  const loyaltyTransactions: DemoData['loyaltyTransactions'] = [];
  const approvedByPatient = new Map<string, Row<typeof s.payments>[]>();
  for (const p of payments) if (p.status === 'aprovado' && p.appointmentId) approvedByPatient.set(p.patientId, [...(approvedByPatient.get(p.patientId) ?? []), p]);
  for (const [patientId, list] of approvedByPatient) {
    const accountId = newId();
    let balance = 0;
    let lifetime = 0;
    list.sort((x, y) => (x.processedAt as Date).getTime() - (y.processedAt as Date).getTime());
    for (const p of list) {
      const points = Math.floor(p.amountCents / 100);
      balance += points;
      lifetime += points;
      loyaltyTransactions.push({ id: newId(), clinicId, accountId, kind: 'creditados', points, reason: p.description, appointmentId: p.appointmentId, createdAt: p.processedAt as Date });
      const affordable = rewards.filter((rw) => rw.pointsRequired <= balance);
      if (affordable.length && random.chance(0.3)) {
        const reward = random.pick(affordable);
        balance -= reward.pointsRequired;
        loyaltyTransactions.push({ id: newId(), clinicId, accountId, kind: 'resgatados', points: reward.pointsRequired, reason: `Resgate: ${reward.name}`, rewardId: reward.id, createdAt: later(p.processedAt as Date, 5 * MINUTE) });
      }
    }
    const created = (list[0].processedAt as Date);
    loyaltyAccounts.push({
      id: accountId, clinicId, patientId, balance, lifetimePoints: lifetime,
      tier: lifetime >= 6000 ? 'platina' : lifetime >= 3000 ? 'ouro' : lifetime >= 1000 ? 'prata' : 'bronze',
      createdAt: created, updatedAt: (list.at(-1)!.processedAt as Date),
    });
  }

  // ---- Daily rollups up to yesterday, from the rows above.
  const metrics = new Map<string, { revenue: number; appointments: number; noShows: number; conversions: number; newPatients: number; completed: number }>();
  const bucket = (at: Date) => {
    const day = localDay(at);
    let m = metrics.get(day);
    if (!m) metrics.set(day, (m = { revenue: 0, appointments: 0, noShows: 0, conversions: 0, newPatients: 0, completed: 0 }));
    return m;
  };
  for (const p of payments) if (p.status === 'aprovado' && p.processedAt) bucket(p.processedAt).revenue += p.amountCents;
  for (const a of appointments) {
    const m = bucket(a.row.startsAt);
    if (a.row.status !== 'cancelado') m.appointments++;
    if (a.row.status === 'no_show') m.noShows++;
    if (a.row.status === 'realizado') m.completed++;
  }
  for (const c of conversations) if (c.status === 'convertida' && c.closedAt) bucket(c.closedAt).conversions++;
  for (const d of drafts) bucket(d.row.createdAt as Date).newPatients++;
  const dailyMetrics: DemoData['dailyMetrics'] = [];
  const computedAt = new Date(nowMs - 30 * MINUTE);
  for (let day = firstDay; day < today; day = addDays(day, 1)) {
    const m = metrics.get(day) ?? { revenue: 0, appointments: 0, noShows: 0, conversions: 0, newPatients: 0, completed: 0 };
    dailyMetrics.push({
      id: newId(), clinicId, day, revenueCents: m.revenue, appointments: m.appointments, noShows: m.noShows, conversions: m.conversions,
      newPatients: m.newPatients, completed: m.completed, averageTicketCents: m.completed ? Math.round(m.revenue / m.completed) : 0, computedAt,
    });
  }

  const auditLog = [
    { userEmail: DEMO_USERS[0].email, action: 'update', entity: 'clinic', entityId: clinicId, before: { settings: { npsDelayHours: 48 } }, after: { settings: { npsDelayHours: 24 } }, createdAt: atLocal(addDays(today, -40), 10 * 60 + 12) },
    { userEmail: DEMO_USERS[0].email, action: 'update', entity: 'procedure', entityId: procedures[0].id, before: { defaultPriceCents: oldPrice(procedures[0]) }, after: { defaultPriceCents: procedures[0].priceCents }, createdAt: atLocal(addDays(priceChange, -7), 11 * 60) },
    { userEmail: DEMO_USERS[1].email, action: 'create', entity: 'professional_time_block', entityId: timeBlocks[2].id, before: null, after: { reason: timeBlocks[2].reason }, createdAt: timeBlocks[2].createdAt },
    { userEmail: DEMO_USERS[1].email, action: 'export', entity: 'patients', entityId: null, before: null, after: { format: 'xlsx' }, createdAt: atLocal(addDays(today, -5), 17 * 60 + 40) },
  ].map((e) => ({ ...e, id: newId(), clinicId, requestId: `seed-${hexId(random, 12)}`, ip: '177.92.10.34' }));

  return {
    clinic, procedures: procedureRows, procedurePrices, professionals: professionalRows, workingHours, professionalProcedures, timeBlocks,
    holidays: holidayRows, patients: drafts.map((d) => d.row), phones, addresses, consents,
    appointments: appointments.map((a) => a.row), confirmations, payments, recurringPayments, conversations, messages, qualifications,
    npsSurveys, reviews, rewards, loyaltyAccounts, loyaltyTransactions, outbox, dailyMetrics, analyticsEvents, auditLog,
  };
}

// ---------------------------------------------------------------------------------------------
// Writing.

async function insertMany<T extends PgTable>(tx: Tx, table: T, rows: Row<T>[], batch = 1000) {
  for (let i = 0; i < rows.length; i += batch) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await tx.insert(table).values(rows.slice(i, i + batch) as any);
  }
}

async function insertDemo(tx: Tx, d: DemoData, passwordHashes: string[]) {
  await tx.insert(s.clinics).values(d.clinic);
  await tx
    .insert(s.users)
    .values(DEMO_USERS.map((u, i) => ({ email: u.email, name: u.name, passwordHash: passwordHashes[i], createdAt: d.clinic.createdAt })))
    .onConflictDoNothing({ target: s.users.email });
  const users = await tx.select({ id: s.users.id, email: s.users.email }).from(s.users).where(inArray(s.users.email, DEMO_USERS.map((u) => u.email)));
  const userId = new Map(users.map((u) => [u.email, u.id]));
  await tx
    .insert(s.clinicMemberships)
    .values(DEMO_USERS.map((u) => ({ clinicId: d.clinic.id, userId: userId.get(u.email)!, role: u.role, createdAt: d.clinic.createdAt })))
    .onConflictDoNothing();

  await insertMany(tx, s.procedures, d.procedures);
  await insertMany(tx, s.procedurePrices, d.procedurePrices);
  await insertMany(tx, s.professionals, d.professionals);
  await insertMany(tx, s.professionalWorkingHours, d.workingHours);
  await insertMany(tx, s.professionalProcedures, d.professionalProcedures);
  await insertMany(tx, s.professionalTimeBlocks, d.timeBlocks);
  await insertMany(tx, s.clinicHolidays, d.holidays);
  await insertMany(tx, s.patients, d.patients);
  await insertMany(tx, s.patientPhones, d.phones);
  await insertMany(tx, s.patientAddresses, d.addresses);
  await insertMany(tx, s.consents, d.consents);
  await insertMany(tx, s.appointments, d.appointments);
  await insertMany(tx, s.appointmentConfirmations, d.confirmations);
  await insertMany(tx, s.payments, d.payments);
  await insertMany(tx, s.recurringPayments, d.recurringPayments);
  await insertMany(tx, s.conversations, d.conversations);
  await insertMany(tx, s.conversationMessages, d.messages);
  await insertMany(tx, s.conversationQualifications, d.qualifications);
  await insertMany(tx, s.npsSurveys, d.npsSurveys);
  await insertMany(tx, s.reviews, d.reviews);
  await insertMany(tx, s.rewards, d.rewards);
  await insertMany(tx, s.loyaltyAccounts, d.loyaltyAccounts);
  await insertMany(tx, s.loyaltyTransactions, d.loyaltyTransactions);
  await insertMany(tx, s.messageOutbox, d.outbox);
  await insertMany(tx, s.dailyMetrics, d.dailyMetrics);
  await insertMany(tx, s.analyticsEvents, d.analyticsEvents);
  await insertMany(tx, s.auditLog, d.auditLog.map(({ userEmail, ...e }) => ({ ...e, userId: userId.get(userEmail) ?? null })));
}

// ---------------------------------------------------------------------------------------------
// Anna's inbox showcase: a handful of hand-written conversations that show every state of the staff
// inbox (a conversion with its appointment, a lead in the staff queue with its score factors, one still
// qualifying, one abandoned, spam), with delivery status, score factors, offered slots and AI usage.
// Added once per demo clinic (the first showcase number is the marker), also to a clinic seeded before
// the showcase existed; deterministic for a given `now`.

export const ANNA_SHOWCASE_PHONES = {
  queue: '+5511940010001',
  qualifying: '+5511940010002',
  abandoned: '+5511940010003',
  spam: '+5511940010004',
} as const;

export async function seedAnnaShowcase(db: Db | Tx, clinicId: string, now: Date): Promise<{ added: boolean }> {
  const run = async (tx: Tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_KEY + 1})`);
    const [marker] = await tx.select({ id: s.conversations.id }).from(s.conversations)
      .where(and(eq(s.conversations.clinicId, clinicId), eq(s.conversations.patientWhatsapp, ANNA_SHOWCASE_PHONES.queue)));
    if (marker) return { added: false };
    await insertAnnaShowcase(tx, clinicId, now);
    return { added: true };
  };
  return db.transaction(run);
}

async function insertAnnaShowcase(tx: Tx, clinicId: string, now: Date) {
  const newId = uuidMaker(createRandom(`tigre-demo-anna:${clinicId}`));
  const nowMs = now.getTime();
  const ago = (minutes: number) => new Date(nowMs - minutes * MINUTE);
  const secs = (d: Date, n: number) => new Date(d.getTime() + n * 1000);
  const procs = await tx.select({ id: s.procedures.id, name: s.procedures.name, priceCents: s.procedures.defaultPriceCents })
    .from(s.procedures).where(eq(s.procedures.clinicId, clinicId));
  const proc = (prefix: string) => procs.find((p) => p.name.startsWith(prefix)) ?? procs[0];

  const conversations: Row<typeof s.conversations>[] = [];
  const messages: Row<typeof s.conversationMessages>[] = [];
  const qualifications: Row<typeof s.conversationQualifications>[] = [];
  const outbox: Row<typeof s.messageOutbox>[] = [];
  const calls: Row<typeof s.aiCalls>[] = [];

  /** One scripted thread: patient lines are read unless `unread`; Anna's go through the outbox with a status. */
  const script = (
    conversationId: string, phone: string, patientId: string | null,
    lines: { who: 'anna' | 'paciente' | 'staff'; text: string; at: Date; status?: 'delivered' | 'read' | 'sent'; unread?: boolean; quick?: string[]; sentiment?: number }[],
  ) => {
    lines.forEach((l, i) => {
      let outboxId: string | null = null;
      if (l.who !== 'paciente') {
        outboxId = newId();
        const status = l.status ?? 'read';
        outbox.push({
          id: outboxId, clinicId, channel: 'whatsapp', to: phone, body: l.text, status, purpose: 'transactional',
          idempotencyKey: `seed-anna:${conversationId}:${i}`, providerMessageId: `SM${outboxId.replace(/-/g, '')}`, patientId,
          templateData: l.quick ? { quickReplies: l.quick } : {}, attempts: 1, createdAt: l.at, sentAt: l.at,
          deliveredAt: status === 'sent' ? null : secs(l.at, 2), readAt: status === 'read' ? secs(l.at, 40) : null,
        });
      }
      messages.push({
        id: newId(), clinicId, conversationId, sender: l.who, body: l.text, kind: 'texto', sentAt: l.at,
        read: l.who !== 'paciente' || !l.unread, readAt: l.who === 'paciente' && !l.unread ? secs(l.at, 90) : null,
        sentimentScore: l.who === 'paciente' ? l.sentiment ?? 0.3 : null,
        providerMessageId: l.who === 'paciente' ? `SMin${conversationId.slice(0, 8)}${i}` : `SM${outboxId!.replace(/-/g, '')}`,
        outboxId, quickReplies: l.quick ?? null,
      });
    });
  };
  const usage = (conversationId: string, at: Date, list: { engine: 'openai' | 'local'; purpose: 'analyze' | 'phrase'; outcome?: 'ok' | 'timeout'; prompt?: number; completion?: number }[]) =>
    list.forEach((c, i) => {
      const prompt = c.engine === 'openai' ? c.prompt ?? 640 : 0;
      const completion = c.engine === 'openai' && c.outcome !== 'timeout' ? c.completion ?? 90 : 0;
      // gpt-4o-mini: US$ 0.15 / 1M input tokens, US$ 0.60 / 1M output tokens → micro-dollars.
      calls.push({
        id: newId(), clinicId, conversationId, engine: c.engine, model: c.engine === 'openai' ? 'gpt-4o-mini' : null, purpose: c.purpose,
        outcome: c.outcome ?? 'ok', promptTokens: prompt, completionTokens: completion,
        costMicroUsd: Math.round(prompt * 0.15 + completion * 0.6), latencyMs: c.engine === 'openai' ? 900 + i * 37 : 3,
        error: c.outcome === 'timeout' ? 'OpenAI não respondeu em 8 s; resposta do motor local' : null, createdAt: secs(at, i * 45),
      });
    });

  // 1) Converted: a real upcoming appointment (agendado, no conversation yet) of a patient with WhatsApp.
  const [booked] = await tx
    .select({
      id: s.appointments.id, startsAt: s.appointments.startsAt, createdAt: s.appointments.createdAt, priceCents: s.appointments.priceCents,
      patientId: s.patients.id, patientName: s.patients.name, whatsapp: s.patients.whatsapp,
      procedureId: s.procedures.id, procedureName: s.procedures.name, professionalId: s.professionals.id, professionalName: s.professionals.name,
    })
    .from(s.appointments)
    .innerJoin(s.patients, eq(s.patients.id, s.appointments.patientId))
    .innerJoin(s.procedures, eq(s.procedures.id, s.appointments.procedureId))
    .innerJoin(s.professionals, eq(s.professionals.id, s.appointments.professionalId))
    .where(and(
      eq(s.appointments.clinicId, clinicId), eq(s.appointments.status, 'agendado'), gt(s.appointments.startsAt, later(now, DAY)),
      sql`${s.patients.whatsapp} is not null`, sql`${s.appointments.createdAt} < ${ago(120).toISOString()}::timestamptz`,
      sql`not exists (select 1 from ${s.conversations} c where c.converted_appointment_id = ${s.appointments.id})`,
    ))
    .orderBy(s.appointments.startsAt, s.appointments.id)
    .limit(1);
  if (booked) {
    const id = newId();
    const phone = booked.whatsapp!;
    const first = booked.patientName.split(' ')[0];
    const day = localDay(booked.startsAt);
    const time = hhmm(Math.round((booked.startsAt.getTime() - atLocal(day, 0).getTime()) / MINUTE));
    const when = `${WEEKDAYS[weekdayOf(day)]} ${ddmm(day)} às ${time}`;
    const slotAlt1 = later(booked.startsAt, 2 * HOUR);
    const slotAlt2 = later(booked.startsAt, DAY);
    const label = (d: Date) => {
      const dd = localDay(d);
      return `${WEEKDAYS[weekdayOf(dd)].slice(0, 3)} ${ddmm(dd)} às ${hhmm(Math.round((d.getTime() - atLocal(dd, 0).getTime()) / MINUTE))} com ${booked.professionalName}`;
    };
    const t0 = new Date(booked.createdAt.getTime() - 22 * MINUTE);
    script(id, phone, booked.patientId, [
      { who: 'paciente', text: `Oi! Queria agendar ${booked.procedureName.toLowerCase()}`, at: t0, sentiment: 0.6 },
      { who: 'anna', text: `Oi, ${first}! Eu sou a Anna, assistente virtual da Clínica Bella Pele 💕 ${booked.procedureName} sai por ${brl(booked.priceCents)}. Você tem interesse em fazer quando?`, at: secs(t0, 4) },
      { who: 'paciente', text: 'Quero fazer logo, essa semana ou na próxima', at: secs(t0, 95), sentiment: 0.5 },
      { who: 'anna', text: 'Ótimo! Qual dia e período ficam melhores para você?', at: secs(t0, 99) },
      { who: 'paciente', text: `${WEEKDAYS[weekdayOf(day)]} de ${Number(time.slice(0, 2)) < 12 ? 'manhã' : 'tarde'}`, at: secs(t0, 180), sentiment: 0.4 },
      {
        who: 'anna', text: `Tenho estes horários:\n1) ${label(booked.startsAt)}\n2) ${label(slotAlt1)}\n3) ${label(slotAlt2)}\nQual fica melhor?`,
        at: secs(t0, 184), quick: ['1', '2', '3'],
      },
      { who: 'paciente', text: '1', at: secs(t0, 260), sentiment: 0.2 },
      { who: 'anna', text: `Posso confirmar ${when} com ${booked.professionalName}? Este WhatsApp é o melhor contato?`, at: secs(t0, 263), quick: ['Sim', 'Não'] },
      { who: 'paciente', text: 'Sim, pode confirmar!', at: secs(t0, 330), sentiment: 0.8 },
      { who: 'anna', text: `Agendado ✅ ${booked.procedureName} ${when} com ${booked.professionalName}. Você recebe um lembrete 24 h antes. Até lá, ${first}!`, at: booked.createdAt },
    ]);
    conversations.push({
      id, clinicId, patientWhatsapp: phone, patientId: booked.patientId, contactName: booked.patientName, startedAt: t0,
      lastMessageAt: booked.createdAt, status: 'convertida', convertedAppointmentId: booked.id, closedAt: booked.createdAt,
      workflowId: `lead:${clinicId}:${phone}`, stage: 'done', firstReplyAt: secs(t0, 4), createdAt: t0,
    });
    qualifications.push({
      id: newId(), clinicId, conversationId: id, score: 88, interested: 'sim', procedureInterest: booked.procedureName, procedureId: booked.procedureId,
      interestWhen: 'essa semana ou na próxima', preferredDate: day, preferredTime: time, confirmedPhone: phone,
      scoreFactors: [
        { key: 'procedure', label: 'Procedimento oferecido pela clínica', points: 25 },
        { key: 'interest', label: 'Interesse confirmado', points: 20 },
        { key: 'urgency', label: 'Quer fazer nas próximas duas semanas', points: 15 },
        { key: 'date_fit', label: 'Há horários livres no dia preferido', points: 10 },
        { key: 'time', label: 'Informou o período do dia', points: 8 },
        { key: 'engagement', label: 'Respondeu rápido (mediana de 1 min)', points: 5 },
        { key: 'phone', label: 'Confirmou o WhatsApp como contato', points: 5 },
      ],
      suggestedSlots: [booked.startsAt, slotAlt1, slotAlt2].map((d) => ({ professionalId: booked.professionalId, startsAt: d.toISOString(), label: label(d) })),
      createdAt: t0, updatedAt: booked.createdAt,
    });
    usage(id, t0, [
      { engine: 'openai', purpose: 'analyze' }, { engine: 'openai', purpose: 'phrase', prompt: 820, completion: 70 },
      { engine: 'openai', purpose: 'analyze' }, { engine: 'openai', purpose: 'analyze' }, { engine: 'local', purpose: 'analyze' },
      { engine: 'openai', purpose: 'phrase', prompt: 790, completion: 60 },
    ]);
  }

  // 2) In the staff queue: score 45 (≤ the clinic's threshold) and a question for a person; 1 unread.
  {
    const id = newId();
    const phone = ANNA_SHOWCASE_PHONES.queue;
    const p = proc('Preenchimento labial');
    const t0 = ago(95);
    script(id, phone, null, [
      { who: 'paciente', text: 'Boa tarde! Quanto custa o preenchimento labial?', at: t0, sentiment: 0.1 },
      { who: 'anna', text: `Boa tarde! Eu sou a Anna, assistente virtual da Clínica Bella Pele 💕 ${p.name} sai por ${brl(p.priceCents)}. Você tem interesse em fazer quando?`, at: secs(t0, 6) },
      { who: 'paciente', text: 'Hmm, achei um pouco caro. Talvez mês que vem', at: secs(t0, 600), sentiment: -0.2 },
      { who: 'anna', text: 'Entendi! Qual período do dia costuma ser melhor para você?', at: secs(t0, 605), quick: ['Manhã', 'Tarde', 'Noite'] },
      { who: 'paciente', text: 'Tarde', at: secs(t0, 1500), sentiment: 0 },
      { who: 'anna', text: 'Anotado! Vou pedir para alguém da nossa equipe falar com você sobre valores e formas de pagamento, tudo bem? 😊', at: secs(t0, 1504), status: 'delivered' },
      { who: 'paciente', text: 'Pode ser. Vocês parcelam? E o inchaço dura quantos dias?', at: ago(25), sentiment: 0.1, unread: true },
    ]);
    conversations.push({
      id, clinicId, patientWhatsapp: phone, contactName: 'Larissa Mendes', startedAt: t0, lastMessageAt: ago(25), status: 'aberta',
      workflowId: `lead:${clinicId}:${phone}`, stage: 'staff_queue', needsStaff: true, firstReplyAt: secs(t0, 6), unreadCount: 1, createdAt: t0,
    });
    qualifications.push({
      id: newId(), clinicId, conversationId: id, score: 45, interested: 'talvez', procedureInterest: p.name, procedureId: p.id,
      interestWhen: 'mês que vem', preferredTime: 'tarde',
      scoreFactors: [
        { key: 'procedure', label: 'Procedimento oferecido pela clínica', points: 25 },
        { key: 'interest', label: 'Interesse: talvez', points: 10 },
        { key: 'urgency', label: 'Quer fazer só no mês que vem', points: 5 },
        { key: 'engagement', label: 'Respondeu todas as perguntas', points: 10 },
        { key: 'negative', label: 'Achou o preço alto', points: -5 },
      ],
      createdAt: t0, updatedAt: ago(25),
    });
    usage(id, t0, [
      { engine: 'openai', purpose: 'analyze' }, { engine: 'openai', purpose: 'analyze', outcome: 'timeout' }, { engine: 'local', purpose: 'analyze' },
      { engine: 'openai', purpose: 'phrase', prompt: 760, completion: 55 },
    ]);
  }

  // 3) Still qualifying: Anna asked the second question a few minutes ago.
  {
    const id = newId();
    const phone = ANNA_SHOWCASE_PHONES.qualifying;
    const p = proc('Limpeza de pele');
    const t0 = ago(9);
    script(id, phone, null, [
      { who: 'paciente', text: 'Oi! Vocês fazem limpeza de pele?', at: t0, sentiment: 0.4, unread: true },
      { who: 'anna', text: `Oi! Eu sou a Anna, assistente virtual da Clínica Bella Pele 💕 Fazemos sim: ${p.name} (${brl(p.priceCents)}, cerca de 1h30). Você tem interesse em fazer quando?`, at: secs(t0, 5), status: 'delivered' },
    ]);
    conversations.push({
      id, clinicId, patientWhatsapp: phone, contactName: 'Bianca Teixeira', startedAt: t0, lastMessageAt: secs(t0, 5), status: 'aberta',
      workflowId: `lead:${clinicId}:${phone}`, stage: 'qualifying', firstReplyAt: secs(t0, 5), unreadCount: 1, createdAt: t0,
    });
    qualifications.push({ id: newId(), clinicId, conversationId: id, procedureInterest: p.name, procedureId: p.id, createdAt: t0, updatedAt: secs(t0, 5) });
    usage(id, t0, [{ engine: 'local', purpose: 'analyze' }, { engine: 'local', purpose: 'phrase' }]);
  }

  // 4) Abandoned: stopped answering; the nudge went unanswered.
  {
    const id = newId();
    const phone = ANNA_SHOWCASE_PHONES.abandoned;
    const p = proc('Criolipólise');
    const t0 = ago(4 * 24 * 60);
    script(id, phone, null, [
      { who: 'paciente', text: 'Olá, quanto é a criolipólise?', at: t0, sentiment: 0.1 },
      { who: 'anna', text: `Olá! Eu sou a Anna, da Clínica Bella Pele 💕 ${p.name} sai por ${brl(p.priceCents)} a sessão. Você tem interesse em fazer quando?`, at: secs(t0, 8) },
      { who: 'paciente', text: 'Vou ver e te falo', at: secs(t0, 400), sentiment: -0.1 },
      { who: 'anna', text: 'Oi! Ainda tem interesse? Posso reservar um horário para você esta semana 😊', at: later(t0, 23 * HOUR), status: 'delivered' },
    ]);
    conversations.push({
      id, clinicId, patientWhatsapp: phone, contactName: 'Paula Martins', startedAt: t0, lastMessageAt: later(t0, 23 * HOUR), status: 'abandonada',
      closedAt: later(t0, 71 * HOUR), workflowId: `lead:${clinicId}:${phone}`, stage: 'done', firstReplyAt: secs(t0, 8), createdAt: t0,
    });
    qualifications.push({
      id: newId(), clinicId, conversationId: id, score: 30, interested: 'talvez', procedureInterest: p.name, procedureId: p.id,
      scoreFactors: [
        { key: 'procedure', label: 'Procedimento oferecido pela clínica', points: 25 },
        { key: 'interest', label: 'Interesse: talvez', points: 10 },
        { key: 'engagement', label: 'Parou de responder', points: -5 },
      ],
      createdAt: t0, updatedAt: later(t0, 23 * HOUR),
    });
    usage(id, t0, [{ engine: 'openai', purpose: 'analyze' }, { engine: 'openai', purpose: 'phrase', prompt: 700, completion: 50 }]);
  }

  // 5) Spam.
  {
    const id = newId();
    const phone = ANNA_SHOWCASE_PHONES.spam;
    const t0 = ago(2 * 24 * 60 + 30);
    script(id, phone, null, [
      { who: 'paciente', text: 'Seu CPF foi sorteado! Responda SIM para receber o prêmio http://premio.example', at: t0, sentiment: 0 },
      { who: 'anna', text: 'Olá! Sou a Anna, da Clínica Bella Pele. Posso ajudar com algum procedimento estético?', at: secs(t0, 5) },
    ]);
    conversations.push({
      id, clinicId, patientWhatsapp: phone, startedAt: t0, lastMessageAt: secs(t0, 5), status: 'spam', closedAt: secs(t0, 60),
      workflowId: `lead:${clinicId}:${phone}`, stage: 'done', firstReplyAt: secs(t0, 5), createdAt: t0,
    });
    usage(id, t0, [{ engine: 'local', purpose: 'analyze' }]);
  }

  await insertMany(tx, s.messageOutbox, outbox);
  await insertMany(tx, s.conversations, conversations);
  await insertMany(tx, s.conversationMessages, messages);
  await insertMany(tx, s.conversationQualifications, qualifications);
  await insertMany(tx, s.aiCalls, calls);

  // The older demo conversations predate the inbox columns: their first reply is Anna's first message,
  // and a closed conversation's journey is over (so the analytics' time to first reply covers them too).
  await tx.execute(sql`
    update conversations c set first_reply_at = (
      select min(m.sent_at) from conversation_messages m where m.conversation_id = c.id and m.sender <> 'paciente')
    where c.clinic_id = ${clinicId} and c.first_reply_at is null`);
  await tx.update(s.conversations).set({ stage: 'done' })
    .where(and(eq(s.conversations.clinicId, clinicId), sql`${s.conversations.status} <> 'aberta'`, eq(s.conversations.stage, 'qualifying')));
}
