// The clinic's 200 patients: who they are, when they came and left, what their history made of them, how to reach them.
import { generateCpf } from '../../domain/cpf';
import { protectCpf } from '../crypto';
import type * as s from '../schema';
import type { AppointmentDraft } from './agenda';
import { COMPLEMENTS, EMAIL_DOMAINS, FEMALE_NAMES, MALE_NAMES, OTHER_NAMES, PATIENT_NOTES, PLACES, SOURCES, STREETS, SURNAMES, TAGS } from './data';
import { addDays, ascii, DAY, HOUR, type Row, type SeedRun } from './support';

const PATIENT_COUNT = 200;

export interface PatientDraft {
  row: Row<typeof s.patients> & { id: string };
  first: string;
  joinDay: string;
  leaveDay: string | null;
  /** How often they book, relative to the others; 0 never books. */
  weight: number;
  /** Instants (ms) already taken by their appointments. */
  busy: [number, number][];
  /** Their last conversation with Anna, if any. */
  contactAt: Date | null;
}

/** Mobile numbers never handed out twice (patients and leads draw from the same book). */
export type PhoneBook = (ddd: string) => string;

export function phoneBook(run: SeedRun): PhoneBook {
  const used = new Set<string>();
  return (ddd) => {
    for (;;) {
      const n = `+55${ddd}9${run.random.int(6, 9)}${String(run.random.int(0, 9_999_999)).padStart(7, '0')}`;
      if (!used.has(n)) {
        used.add(n);
        return n;
      }
    }
  };
}

/** Patients joined at different times; some stop coming. */
export function draftPatients(run: SeedRun, mobile: PhoneBook, dataKey: Buffer, daysBack: number): PatientDraft[] {
  const { random, newId, clinicId, firstDay, calendar } = run;
  const usedNames = new Set<string>();
  const usedEmails = new Set<string>();
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
    const joinDay = joinedBefore ? addDays(firstDay, -random.int(10, 240)) : addDays(firstDay, random.int(0, daysBack + 7));
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
        createdAt: calendar.atLocal(joinDay, random.int(9 * 60, 19 * 60)),
      },
    });
  }
  return drafts;
}

/** Appointments per patient, in start order. */
export function appointmentsByPatient(appointments: AppointmentDraft[]): Map<string, AppointmentDraft[]> {
  const byPatient = new Map<string, AppointmentDraft[]>();
  for (const a of appointments) byPatient.set(a.patient.row.id, [...(byPatient.get(a.patient.row.id) ?? []), a]);
  return byPatient;
}

/** Derived fields from their history: counters, classification, last contact, created before the first booking. */
export function settlePatients(run: SeedRun, drafts: PatientDraft[], byPatient: Map<string, AppointmentDraft[]>, payments: Row<typeof s.payments>[]) {
  const { random, nowMs, today } = run;
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
    run.event('patient_created', d.row.createdAt as Date, d.row.id, { source: d.row.source });
  }
}

/** Phones, addresses and per-channel consents. */
export function patientContacts(run: SeedRun, drafts: PatientDraft[]) {
  const { random, newId, clinicId, nowMs } = run;
  const phones: Row<typeof s.patientPhones>[] = [];
  const addresses: Row<typeof s.patientAddresses>[] = [];
  const consents: Row<typeof s.consents>[] = [];
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
  return { phones, addresses, consents };
}
