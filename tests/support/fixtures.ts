// Minimal clinic data for rollup tests: one professional, one procedure, patients, appointments, payments.
import type { Db } from '../../db/client';
import { eq } from 'drizzle-orm';
import { appointments, clinics, conversations, paymentRefunds, patients, payments, procedures, professionals } from '../../db/schema';

export async function createClinicFixture(db: Db, opts: { name: string; timezone?: string }) {
  const [clinic] = await db.insert(clinics).values({ name: opts.name, timezone: opts.timezone ?? 'America/Sao_Paulo' }).returning();
  const [professional] = await db.insert(professionals).values({ clinicId: clinic.id, name: 'Dra. Helena Prado' }).returning();
  const [procedure] = await db.insert(procedures).values({ clinicId: clinic.id, name: 'Toxina botulínica', category: 'facial', durationMinutes: 30, defaultPriceCents: 120000 }).returning();
  return {
    clinic,
    async patient(name: string, createdAt: Date) {
      const [p] = await db.insert(patients).values({ clinicId: clinic.id, name, createdAt }).returning();
      return p;
    },
    async appointment(patientId: string, startsAt: Date, status: (typeof appointments.$inferInsert)['status'], priceCents = 120000, paymentStatus: (typeof appointments.$inferInsert)['paymentStatus'] = 'pendente') {
      const [a] = await db.insert(appointments).values({
        clinicId: clinic.id, patientId, procedureId: procedure.id, professionalId: professional.id, startsAt, durationMinutes: 30, status, priceCents, paymentStatus,
      }).returning();
      return a;
    },
    async payment(patientId: string, amountCents: number, processedAt: Date, status: (typeof payments.$inferInsert)['status'] = 'aprovado') {
      const [p] = await db.insert(payments).values({ clinicId: clinic.id, patientId, amountCents, method: 'pix', status, processedAt, createdAt: processedAt }).returning();
      return p;
    },
    /** A refund of part (or all) of a payment, made at `at`. */
    async refund(paymentId: string, amountCents: number, at: Date) {
      const [p] = await db.select().from(payments).where(eq(payments.id, paymentId));
      const refunded = p!.refundedCents + amountCents;
      await db.insert(paymentRefunds).values({ clinicId: clinic.id, paymentId, amountCents, reason: 'Devolução', createdAt: at });
      await db.update(payments).set({ refundedCents: refunded, ...(refunded === p!.amountCents ? { status: 'reembolsado' as const, refundedAt: at } : {}) }).where(eq(payments.id, paymentId));
    },
    async conversation(status: (typeof conversations.$inferInsert)['status'], at: Date, convertedAppointmentId?: string) {
      const [c] = await db.insert(conversations).values({ clinicId: clinic.id, patientWhatsapp: '+5511987654321', status, startedAt: at, lastMessageAt: at, closedAt: at, convertedAppointmentId }).returning();
      return c;
    },
  };
}
