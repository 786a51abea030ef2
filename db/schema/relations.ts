// Relations for Drizzle's relational queries (db.query.*), declared once for the whole model.
import { relations } from 'drizzle-orm';
import { appointmentConfirmations, appointments } from './appointments';
import { auditLog } from './audit';
import { procedurePrices, procedures } from './catalog';
import { conversationMessages, conversationQualifications, conversations } from './conversations';
import { npsSurveys, reviews } from './feedback';
import { clinicMemberships, clinics, sessions, users } from './identity';
import { providerCredentials } from './integrations';
import { loyaltyAccounts, loyaltyTransactions, rewards } from './loyalty';
import { consents, messageOutbox } from './messaging';
import { analyticsEvents, dailyMetrics } from './metrics';
import { patientAddresses, patientPhones, patients } from './patients';
import { payments, recurringPayments } from './payments';
import {
  clinicHolidays, professionalProcedures, professionalTimeBlocks, professionalWorkingHours, professionals,
} from './staff';

export const usersRelations = relations(users, ({ many }) => ({
  memberships: many(clinicMemberships),
  sessions: many(sessions),
}));

export const clinicsRelations = relations(clinics, ({ many }) => ({
  memberships: many(clinicMemberships),
  patients: many(patients),
  procedures: many(procedures),
  professionals: many(professionals),
  holidays: many(clinicHolidays),
  rewards: many(rewards),
  dailyMetrics: many(dailyMetrics),
  providerCredentials: many(providerCredentials),
}));

export const clinicMembershipsRelations = relations(clinicMemberships, ({ one }) => ({
  clinic: one(clinics, { fields: [clinicMemberships.clinicId], references: [clinics.id] }),
  user: one(users, { fields: [clinicMemberships.userId], references: [users.id] }),
}));

export const sessionsRelations = relations(sessions, ({ one }) => ({
  user: one(users, { fields: [sessions.userId], references: [users.id] }),
  clinic: one(clinics, { fields: [sessions.clinicId], references: [clinics.id] }),
}));

export const auditLogRelations = relations(auditLog, ({ one }) => ({
  user: one(users, { fields: [auditLog.userId], references: [users.id] }),
}));

export const patientsRelations = relations(patients, ({ one, many }) => ({
  clinic: one(clinics, { fields: [patients.clinicId], references: [clinics.id] }),
  favoriteProcedure: one(procedures, { fields: [patients.favoriteProcedureId], references: [procedures.id] }),
  phones: many(patientPhones),
  addresses: many(patientAddresses),
  appointments: many(appointments),
  payments: many(payments),
  recurringPayments: many(recurringPayments),
  conversations: many(conversations),
  npsSurveys: many(npsSurveys),
  reviews: many(reviews),
  consents: many(consents),
  loyaltyAccount: one(loyaltyAccounts),
  analyticsEvents: many(analyticsEvents),
}));

export const patientPhonesRelations = relations(patientPhones, ({ one }) => ({
  patient: one(patients, { fields: [patientPhones.patientId], references: [patients.id] }),
}));

export const patientAddressesRelations = relations(patientAddresses, ({ one }) => ({
  patient: one(patients, { fields: [patientAddresses.patientId], references: [patients.id] }),
}));

export const proceduresRelations = relations(procedures, ({ many }) => ({
  prices: many(procedurePrices),
  professionals: many(professionalProcedures),
  appointments: many(appointments),
}));

export const procedurePricesRelations = relations(procedurePrices, ({ one }) => ({
  procedure: one(procedures, { fields: [procedurePrices.procedureId], references: [procedures.id] }),
}));

export const professionalsRelations = relations(professionals, ({ one, many }) => ({
  user: one(users, { fields: [professionals.userId], references: [users.id] }),
  workingHours: many(professionalWorkingHours),
  timeBlocks: many(professionalTimeBlocks),
  procedures: many(professionalProcedures),
  appointments: many(appointments),
  reviews: many(reviews),
}));

export const professionalWorkingHoursRelations = relations(professionalWorkingHours, ({ one }) => ({
  professional: one(professionals, { fields: [professionalWorkingHours.professionalId], references: [professionals.id] }),
}));

export const professionalTimeBlocksRelations = relations(professionalTimeBlocks, ({ one }) => ({
  professional: one(professionals, { fields: [professionalTimeBlocks.professionalId], references: [professionals.id] }),
}));

export const professionalProceduresRelations = relations(professionalProcedures, ({ one }) => ({
  professional: one(professionals, { fields: [professionalProcedures.professionalId], references: [professionals.id] }),
  procedure: one(procedures, { fields: [professionalProcedures.procedureId], references: [procedures.id] }),
}));

export const appointmentsRelations = relations(appointments, ({ one, many }) => ({
  patient: one(patients, { fields: [appointments.patientId], references: [patients.id] }),
  procedure: one(procedures, { fields: [appointments.procedureId], references: [procedures.id] }),
  professional: one(professionals, { fields: [appointments.professionalId], references: [professionals.id] }),
  confirmations: many(appointmentConfirmations),
  payments: many(payments),
  npsSurvey: one(npsSurveys),
  review: one(reviews),
}));

export const appointmentConfirmationsRelations = relations(appointmentConfirmations, ({ one }) => ({
  appointment: one(appointments, { fields: [appointmentConfirmations.appointmentId], references: [appointments.id] }),
}));

export const paymentsRelations = relations(payments, ({ one }) => ({
  appointment: one(appointments, { fields: [payments.appointmentId], references: [appointments.id] }),
  patient: one(patients, { fields: [payments.patientId], references: [patients.id] }),
}));

export const recurringPaymentsRelations = relations(recurringPayments, ({ one }) => ({
  patient: one(patients, { fields: [recurringPayments.patientId], references: [patients.id] }),
}));

export const conversationsRelations = relations(conversations, ({ one, many }) => ({
  patient: one(patients, { fields: [conversations.patientId], references: [patients.id] }),
  convertedAppointment: one(appointments, { fields: [conversations.convertedAppointmentId], references: [appointments.id] }),
  messages: many(conversationMessages),
  qualification: one(conversationQualifications),
}));

export const conversationMessagesRelations = relations(conversationMessages, ({ one }) => ({
  conversation: one(conversations, { fields: [conversationMessages.conversationId], references: [conversations.id] }),
}));

export const conversationQualificationsRelations = relations(conversationQualifications, ({ one }) => ({
  conversation: one(conversations, { fields: [conversationQualifications.conversationId], references: [conversations.id] }),
  procedure: one(procedures, { fields: [conversationQualifications.procedureId], references: [procedures.id] }),
}));

export const npsSurveysRelations = relations(npsSurveys, ({ one }) => ({
  appointment: one(appointments, { fields: [npsSurveys.appointmentId], references: [appointments.id] }),
  patient: one(patients, { fields: [npsSurveys.patientId], references: [patients.id] }),
}));

export const reviewsRelations = relations(reviews, ({ one }) => ({
  appointment: one(appointments, { fields: [reviews.appointmentId], references: [appointments.id] }),
  patient: one(patients, { fields: [reviews.patientId], references: [patients.id] }),
  professional: one(professionals, { fields: [reviews.professionalId], references: [professionals.id] }),
}));

export const loyaltyAccountsRelations = relations(loyaltyAccounts, ({ one, many }) => ({
  patient: one(patients, { fields: [loyaltyAccounts.patientId], references: [patients.id] }),
  transactions: many(loyaltyTransactions),
}));

export const loyaltyTransactionsRelations = relations(loyaltyTransactions, ({ one }) => ({
  account: one(loyaltyAccounts, { fields: [loyaltyTransactions.accountId], references: [loyaltyAccounts.id] }),
  appointment: one(appointments, { fields: [loyaltyTransactions.appointmentId], references: [appointments.id] }),
  reward: one(rewards, { fields: [loyaltyTransactions.rewardId], references: [rewards.id] }),
}));

export const consentsRelations = relations(consents, ({ one }) => ({
  patient: one(patients, { fields: [consents.patientId], references: [patients.id] }),
}));

export const messageOutboxRelations = relations(messageOutbox, ({ one }) => ({
  patient: one(patients, { fields: [messageOutbox.patientId], references: [patients.id] }),
  appointment: one(appointments, { fields: [messageOutbox.appointmentId], references: [appointments.id] }),
}));

export const analyticsEventsRelations = relations(analyticsEvents, ({ one }) => ({
  patient: one(patients, { fields: [analyticsEvents.patientId], references: [patients.id] }),
}));
