// Appointment reads for the calendar views: one query joining patient, procedure and professional.
//
// Raw SQL, mapped by hand: the week view reads hundreds of rows per request, and Drizzle's
// per-column decoding (a Date per timestamp, then toISOString again) cost more than the query.
// Timestamps come as whole epoch milliseconds, so each becomes one `new Date(ms).toISOString()`.
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import type { appointments, AppointmentStatus, procedures } from '../../db/schema';

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

type Row = {
  id: string; starts: number; ends: number; duration: number; status: AppointmentStatus; price: number;
  payment: AppointmentView['paymentStatus']; source: AppointmentView['source']; notes: string | null; cancel_reason: string | null;
  confirmed: number | null; cancelled: number | null; completed: number | null; sync_pending: boolean;
  patient_id: string; patient_name: string; patient_phone: string | null; patient_whatsapp: string | null;
  procedure_id: string; procedure_name: string; procedure_category: AppointmentView['procedure']['category'];
  professional_id: string; professional_name: string; professional_color: string;
  created: number; updated: number;
};

/** A timestamptz as whole epoch milliseconds (float8: exact below 2^53, parsed by postgres.js as a number). */
const ms = (column: string) => sql.raw(`floor(extract(epoch from a.${column}) * 1000)::float8`);

/**
 * The patient is read per appointment by its (clinic_id, id) index: `offset 0` keeps the lateral
 * subquery a nested loop. As a plain join the planner, expecting ~1000 appointments, hashed the
 * whole patients table instead (a sequential scan of 100k patients: ~20 ms of the week view's 22).
 */
function select(tx: DbOrTx, where: SQL, tail: SQL = sql``) {
  return tx.execute<Row>(sql`
    select a.id, ${ms('starts_at')} as starts, ${ms('ends_at')} as ends, a.duration_minutes as duration, a.status,
      a.price_cents as price, a.payment_status as payment, a.source, a.notes, a.cancel_reason,
      ${ms('confirmed_at')} as confirmed, ${ms('cancelled_at')} as cancelled, ${ms('completed_at')} as completed,
      a.journey_sync_pending_since is not null as sync_pending,
      a.patient_id, p.name as patient_name, p.phone as patient_phone, p.whatsapp as patient_whatsapp,
      a.procedure_id, pr.name as procedure_name, pr.category as procedure_category,
      a.professional_id, pf.name as professional_name, pf.color as professional_color,
      ${ms('created_at')} as created, ${ms('updated_at')} as updated
    from appointments a
    join lateral (
      select p.name, p.phone, p.whatsapp from patients p where p.clinic_id = a.clinic_id and p.id = a.patient_id offset 0
    ) p on true
    join procedures pr on pr.clinic_id = a.clinic_id and pr.id = a.procedure_id
    join professionals pf on pf.clinic_id = a.clinic_id and pf.id = a.professional_id
    where ${where} ${tail}`);
}

/** Epoch ms → ISO string, remembering the answers: a week's rows share their slot times. */
function isoFormatter() {
  const seen = new Map<number, string>();
  const iso = (t: number) => {
    let s = seen.get(t);
    if (s === undefined) seen.set(t, (s = new Date(t).toISOString()));
    return s;
  };
  return { iso, isoOrNull: (t: number | null) => (t === null ? null : iso(t)) };
}

function toView(r: Row, { iso, isoOrNull } = isoFormatter()): AppointmentView {
  return {
    id: r.id, startsAt: iso(r.starts), endsAt: iso(r.ends), durationMinutes: r.duration,
    status: r.status, priceCents: r.price, paymentStatus: r.payment, source: r.source, notes: r.notes, cancelReason: r.cancel_reason,
    confirmedAt: isoOrNull(r.confirmed), cancelledAt: isoOrNull(r.cancelled), completedAt: isoOrNull(r.completed),
    journeySyncPending: r.sync_pending,
    patient: { id: r.patient_id, name: r.patient_name, phone: r.patient_phone, whatsapp: r.patient_whatsapp },
    procedure: { id: r.procedure_id, name: r.procedure_name, category: r.procedure_category },
    professional: { id: r.professional_id, name: r.professional_name, color: r.professional_color },
    createdAt: iso(r.created), updatedAt: iso(r.updated),
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
  const where = [
    sql`a.clinic_id = ${q.clinicId}::uuid`,
    sql`a.starts_at >= ${q.from.toISOString()}::timestamptz`,
    sql`a.starts_at < ${q.to.toISOString()}::timestamptz`,
  ];
  if (q.professionalId) where.push(sql`a.professional_id = ${q.professionalId}::uuid`);
  if (q.status) where.push(sql`a.status = ${q.status}`);
  const rows = await select(tx, sql.join(where, sql` and `), sql`order by a.starts_at, pf.name, a.id limit ${q.limit}`);
  const format = isoFormatter();
  return rows.map((r) => toView(r, format));
}

export async function getAppointment(tx: DbOrTx, id: string): Promise<AppointmentView | null> {
  const [row] = await select(tx, sql`a.id = ${id}::uuid`);
  return row ? toView(row) : null;
}
