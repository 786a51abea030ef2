// The reports' professional and procedure filters must name this clinic's own: an unknown one is a 404
// with a pt-BR message, not an empty report that looks like "no activity".
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { procedures, professionals } from '../../db/schema';
import { ApiError } from '../errors';
import type { ReportFilters } from './visit-figures';

export async function assertFiltersExist(tx: Tx, clinicId: string, f: ReportFilters): Promise<void> {
  if (f.professionalId) {
    const [p] = await tx.select({ id: professionals.id }).from(professionals).where(and(eq(professionals.clinicId, clinicId), eq(professionals.id, f.professionalId)));
    if (!p) throw new ApiError(404, 'not_found', 'Profissional não encontrado nesta clínica.', { professionalId: ['Profissional não encontrado nesta clínica.'] });
  }
  if (f.procedureId) {
    const [p] = await tx.select({ id: procedures.id }).from(procedures).where(and(eq(procedures.clinicId, clinicId), eq(procedures.id, f.procedureId)));
    if (!p) throw new ApiError(404, 'not_found', 'Procedimento não encontrado nesta clínica.', { procedureId: ['Procedimento não encontrado nesta clínica.'] });
  }
}
