// The commission ledger of the demo's history: what each realised, paid visit earned its professional,
// dated when the money came in (as services/payments/events.ts syncCommissions records it live).
import { commissionFor } from '../../domain/money';
import type * as s from '../schema';
import type { AppointmentDraft } from './agenda';
import type { Row, SeedRun } from './support';

export function demoCommissions(run: SeedRun, appointments: AppointmentDraft[], payments: Row<typeof s.payments>[]): Row<typeof s.commissionEntries>[] {
  const byId = new Map(appointments.map((a) => [a.row.id, a]));
  const entries: Row<typeof s.commissionEntries>[] = [];
  for (const p of payments) {
    const a = p.appointmentId ? byId.get(p.appointmentId) : undefined;
    if (!a || a.row.status !== 'realizado' || p.status !== 'aprovado' || !p.processedAt) continue;
    const { baseCents, commissionCents } = commissionFor(p.amountCents, p.feeCents ?? 0, { bps: a.professional.commissionBps });
    if (commissionCents === 0) continue;
    entries.push({
      id: run.newId(), clinicId: run.clinicId, professionalId: a.professional.id, paymentId: p.id!, amountCents: commissionCents, baseCents,
      createdAt: p.processedAt,
    });
  }
  return entries;
}
