// Appointment reads for the calendar views: one query joining patient, procedure and professional.
import { and, asc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { appointments, patients, procedures, professionals, type AppointmentStatus } from '../../db/schema';

export interface AppointmentView {
  id: string;
  startsAt: string;
  endsAt: string;
  durationMinutes: number;
  status: AppointmentStatus;
  priceCents: number;
  paymentStatus: (typeof appointments.$inferSelect)['paymentStatus'];
  source: (typeof appointments.$inferSelect)['source'];
  notes: string | null;
  cancelReason: string | null;
  confirmedAt: string | null;
  cancelledAt: string | null;
  completedAt: string | null;
  /** True while the appointment's journey has not yet heard about the last change (Temporal unreachable). */
  journeySyncPending: boolean;
  patient: { id: string; name: string; phone: string | null; whatsapp: string | null };
  procedure: { id: string; name: string; category: (typeof procedures.$inferSelect)['category'] };
  professional: { id: string; name: string; color: string };
  createdAt: string;
  updatedAt: string;
}

const columns = {
  a: appointments,
  patientName: patients.name, patientPhone: patients.phone, patientWhatsapp: patients.whatsapp,
  procedureName: procedures.name, procedureCategory: procedures.category,
  professionalName: professionals.name, professionalColor: professionals.color,
};

function select(tx: DbOrTx, where: SQL | undefined) {
  return tx
    .select(columns)
    .from(appointments)
    .innerJoin(patients, and(eq(patients.clinicId, appointments.clinicId), eq(patients.id, appointments.patientId)))
    .innerJoin(procedures, and(eq(procedures.clinicId, appointments.clinicId), eq(procedures.id, appointments.procedureId)))
    .innerJoin(professionals, and(eq(professionals.clinicId, appointments.clinicId), eq(professionals.id, appointments.professionalId)))
    .where(where);
}

type Joined = Awaited<ReturnType<typeof select>>[number];

function toView(r: Joined): AppointmentView {
  const a = r.a;
  return {
    id: a.id, startsAt: a.startsAt.toISOString(), endsAt: a.endsAt.toISOString(), durationMinutes: a.durationMinutes,
    status: a.status, priceCents: a.priceCents, paymentStatus: a.paymentStatus, source: a.source, notes: a.notes, cancelReason: a.cancelReason,
    confirmedAt: a.confirmedAt?.toISOString() ?? null, cancelledAt: a.cancelledAt?.toISOString() ?? null, completedAt: a.completedAt?.toISOString() ?? null,
    journeySyncPending: a.journeySyncPendingSince !== null,
    patient: { id: a.patientId, name: r.patientName, phone: r.patientPhone, whatsapp: r.patientWhatsapp },
    procedure: { id: a.procedureId, name: r.procedureName, category: r.procedureCategory },
    professional: { id: a.professionalId, name: r.professionalName, color: r.professionalColor },
    createdAt: a.createdAt.toISOString(), updatedAt: a.updatedAt.toISOString(),
  };
}

/**
 * Appointments starting in [from, to) (instants), by start; optionally one professional and one status.
 * The explicit clinic filter lets PostgreSQL use appointments_clinic_starts_idx (clinic_id, starts_at).
 */
export async function listAppointments(
  tx: DbOrTx,
  q: { clinicId: string; from: Date; to: Date; professionalId?: string; status?: AppointmentStatus; limit: number },
): Promise<AppointmentView[]> {
  const rows = await select(tx, and(
    eq(appointments.clinicId, q.clinicId),
    gte(appointments.startsAt, q.from),
    lt(appointments.startsAt, q.to),
    q.professionalId ? eq(appointments.professionalId, q.professionalId) : undefined,
    q.status ? eq(appointments.status, q.status) : undefined,
  )).orderBy(asc(appointments.startsAt), asc(professionals.name), asc(appointments.id)).limit(q.limit);
  return rows.map(toView);
}

export async function getAppointment(tx: DbOrTx, id: string): Promise<AppointmentView | null> {
  const [row] = await select(tx, eq(appointments.id, id));
  return row ? toView(row) : null;
}
