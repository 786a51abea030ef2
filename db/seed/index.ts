// The demo clinic: six months of believable history so every screen has life on a fresh install.
// Deterministic for a given `now` (seeded random); idempotent (a second run finds the clinic and stops).
// Each part of the story lives in its own module; this one runs them in order and writes the rows.
import { hash } from '@node-rs/argon2';
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { createRandom } from '../../domain/random';
import type { Db, Tx } from '../client';
import * as s from '../schema';
import { bookAppointments, demoClosures, settleOutcome, settleStatus } from './agenda';
import { insertAnnaShowcase, seedAnnaShowcase } from './anna-showcase';
import { demoCatalog } from './catalog';
import { demoConversations } from './conversations';
import { DEMO_CLINIC_NAME, DEMO_PASSWORD, DEMO_USERS, demoAuditLog, demoClinic, insertClinicAndUsers } from './identity';
import { demoLoyalty } from './loyalty';
import { demoCommissions } from './commissions';
import { rollupFigures } from '../daily-figures';
import { surveyAfterVisit, type FeedbackRows } from './nps';
import { appointmentsByPatient, draftPatients, patientContacts, phoneBook, settlePatients } from './patients';
import { chargeAppointment, demoRefunds, monthlyPlans, productSales } from './payments';
import { remindAppointment, type ReminderRows } from './reminders';
import { addDays, clinicCalendar, hexId, insertMany, LOCK_KEY, MINUTE, type Row, type SeedRun, uuidMaker } from './support';

export { ANNA_SHOWCASE_PHONES, seedAnnaShowcase } from './anna-showcase';
export { DEMO_CLINIC_NAME, DEMO_PASSWORD, DEMO_USERS } from './identity';

const DAYS_BACK = 182;
const DAYS_AHEAD = 21;

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
    // The dashboard's rollups up to yesterday, by the nightly job's own query (today is computed live).
    await rollupFigures(tx, { range: true, clinicId: data.clinic.id, from: data.window.firstDay, to: addDays(data.window.today, -1) }, new Date(opts.now.getTime() - 30 * MINUTE));
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

type DemoData = ReturnType<typeof buildDemo>;

/** Every row of the demo in memory. The parts draw from the seeded streams in this order: keep it. */
function buildDemo({ now, dataKey }: SeedOptions) {
  const random = createRandom('tigre-demo');
  const newId = uuidMaker(createRandom('tigre-demo-ids'));
  const calendar = clinicCalendar();
  const today = calendar.localDay(now);
  const firstDay = addDays(today, -DAYS_BACK);
  const analyticsEvents: Row<typeof s.analyticsEvents>[] = [];
  const clinicId = newId();
  const run: SeedRun = {
    random, newId, calendar, clinicId, now, nowMs: now.getTime(), today, firstDay, lastDay: addDays(today, DAYS_AHEAD),
    clinicCreated: calendar.atLocal(addDays(today, -420), 10 * 60),
    windowStart: calendar.atLocal(firstDay, 8 * 60).getTime(),
    event: (kind, occurredAt, patientId, data, description) =>
      analyticsEvents.push({ id: newId(), clinicId, kind, occurredAt, patientId, data, description: description ?? null, createdAt: occurredAt }),
    twilioSid: () => `SM${hexId(random, 32)}`,
  };

  const clinic = demoClinic(run);
  const catalog = demoCatalog(run);
  const closures = demoClosures(run, catalog);
  const mobile = phoneBook(run);
  const patients = draftPatients(run, mobile, dataKey, DAYS_BACK);
  const appointments = bookAppointments(run, catalog, closures, patients);

  // How each appointment went, one appointment at a time.
  const reminders: ReminderRows = { confirmations: [], outbox: [] };
  const payments: Row<typeof s.payments>[] = [];
  const feedback: FeedbackRows = { npsSurveys: [], reviews: [], outbox: reminders.outbox };
  for (const a of appointments) {
    settleStatus(run, a);
    remindAppointment(run, a, reminders);
    settleOutcome(run, a);
    chargeAppointment(run, a, payments);
    surveyAfterVisit(run, a, feedback);
  }

  const conversations = demoConversations(run, appointments, catalog.procedures, mobile);
  const byPatient = appointmentsByPatient(appointments);
  settlePatients(run, patients, byPatient, payments);
  const contacts = patientContacts(run, patients);
  const customers = patients.filter((d) => (byPatient.get(d.row.id) ?? []).some((a) => a.row.status === 'realizado'));
  productSales(run, customers, payments);
  const recurringPayments = monthlyPlans(run, customers);
  const loyalty = demoLoyalty(run, payments);
  const [firstProcedure] = catalog.procedures;
  const auditLog = demoAuditLog(run, {
    priceChange: catalog.priceChange,
    procedure: { id: firstProcedure.id, oldPriceCents: catalog.oldPrice(firstProcedure), priceCents: firstProcedure.priceCents },
    timeBlock: closures.timeBlocks[2],
  });
  const paymentRefunds = demoRefunds(run, payments);
  const commissionEntries = demoCommissions(run, appointments, payments);

  return {
    clinic, ...catalog.rows, timeBlocks: closures.timeBlocks, holidays: closures.holidays,
    patients: patients.map((d) => d.row), ...contacts,
    appointments: appointments.map((a) => a.row), confirmations: reminders.confirmations, payments, recurringPayments,
    ...conversations, npsSurveys: feedback.npsSurveys, reviews: feedback.reviews, ...loyalty,
    outbox: reminders.outbox, analyticsEvents, auditLog, paymentRefunds, commissionEntries,
    window: { firstDay, today },
  };
}

async function insertDemo(tx: Tx, d: DemoData, passwordHashes: string[]) {
  const userId = await insertClinicAndUsers(tx, d.clinic, passwordHashes);
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
  await insertMany(tx, s.paymentRefunds, d.paymentRefunds);
  await insertMany(tx, s.commissionEntries, d.commissionEntries);
  await insertMany(tx, s.analyticsEvents, d.analyticsEvents);
  await insertMany(tx, s.auditLog, d.auditLog.map(({ userEmail, ...e }) => ({ ...e, userId: userId.get(userEmail) ?? null })));
}
