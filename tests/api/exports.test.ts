// Exports of the lists: Excel with typed cells and CSV for pt-BR Excel, streamed in batches (more rows
// than one batch here), only the clinic's rows, the period and status filters; view-only members are
// refused and the refusal audited; bad input is a pt-BR 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { appointments, auditLog, patients, payments } from '../../db/schema';
import { BATCH } from '../../services/exports/lists';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { bearer, createTestApp, login } from '../support/app';
import { createReminderClinic } from '../support/reminder-fixtures';

const NOW = new Date('2030-06-15T15:00:00Z');
let tdb: TestDatabase;
let api: Awaited<ReturnType<typeof createTestApp>>;
let clinic: Awaited<ReturnType<typeof createReminderClinic>>;
let staff: string;
let viewer: string;
const MANY = BATCH * 2 + 137;

beforeAll(async () => {
  tdb = await createTestDatabase();
  api = await createTestApp(tdb.db, { now: () => NOW });
  clinic = await createReminderClinic(tdb.db, 'Clínica Planilhas');
  const other = await createReminderClinic(tdb.db, 'Clínica Vizinha');
  staff = await login(api.app, clinic.members.staff.email);
  viewer = await login(api.app, clinic.members.view.email);
  const c = clinic.clinic.id;
  await tdb.db.insert(patients).values(Array.from({ length: MANY }, (_, i) => ({
    clinicId: c, name: `Paciente ${String(i).padStart(5, '0')}`, whatsapp: `+55119${String(10_000_000 + i)}`, createdAt: new Date(Date.UTC(2030, 0, 1 + (i % 100))),
  })));
  await tdb.db.insert(patients).values({ clinicId: other.clinic.id, name: 'De outra clínica' });
  await tdb.db.insert(patients).values({ clinicId: c, name: 'Removida', deletedAt: new Date('2030-05-01T00:00:00Z') });
  await tdb.db.insert(payments).values([
    { clinicId: c, patientId: clinic.carla.id, amountCents: 123456, refundedCents: 23456, method: 'pix', status: 'reembolsado', description: 'Botox', processedAt: new Date('2030-06-01T13:00:00Z'), createdAt: new Date('2030-06-01T12:00:00Z') },
    { clinicId: c, patientId: clinic.carla.id, amountCents: 5000, method: 'cartao', status: 'recusado', createdAt: new Date('2030-03-01T12:00:00Z') },
  ]);
  await tdb.db.insert(appointments).values({
    clinicId: c, patientId: clinic.carla.id, procedureId: clinic.limpeza.id, professionalId: clinic.helena.id, startsAt: new Date('2030-06-10T13:00:00Z'),
    durationMinutes: 60, priceCents: 25000, status: 'realizado',
  });
});
afterAll(async () => { await api?.close(); await tdb?.drop(); });

const get = (path: string, token = staff) => api.app.request(`/api/exports/${path}`, { headers: bearer(token) });
async function sheetOf(res: Response) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb.worksheets[0]!;
}

describe('list exports', () => {
  it('patients as Excel: every row of the clinic across batches, none of another clinic nor erased; typed cells; audited', async () => {
    const res = await get('pacientes');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="pacientes-2030-06-15.xlsx"');
    const ws = await sheetOf(res);
    expect(ws.getRow(1).getCell(1).value).toBe('Nome');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const names: string[] = [];
    ws.eachRow((r, n) => { if (n > 1) names.push(String(r.getCell(1).value)); });
    const ours = await tdb.db.select({ id: patients.id }).from(patients).where(and(eq(patients.clinicId, clinic.clinic.id), isNull(patients.deletedAt)));
    expect(ours.length).toBeGreaterThan(MANY);
    expect(names).toHaveLength(ours.length);
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain('De outra clínica');
    expect(names).not.toContain('Removida');
    const row = ws.getRow(2);
    expect(String(row.getCell(2).value)).toMatch(/^\(\d{2}\) \d{4,5}-\d{4}$/);
    expect(row.getCell(11).value).toBeInstanceOf(Date);
    const audits = await tdb.db.select().from(auditLog).where(and(eq(auditLog.action, 'export'), eq(auditLog.entityId, 'pacientes')));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.userId).toBe(clinic.members.staff.id);
  });

  it('payments as CSV with the period and the status; money 1234,56 and net of the refund', async () => {
    const res = await get('pagamentos?format=csv&from=2030-05-01&to=2030-06-15');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = new TextDecoder().decode(await res.arrayBuffer());
    const lines = text.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('Criado em;Pago em;Paciente;Descrição;Forma;Situação;Valor (R$);Reembolsado (R$);Líquido (R$)');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('01/06/2030 09:00;01/06/2030 10:00;Carla Mendes;Botox;Pix;Reembolsado;1234,56;234,56;1000,00');
    const refused = new TextDecoder().decode(await (await get('pagamentos?format=csv&status=recusado')).arrayBuffer()).trimEnd().split('\r\n');
    expect(refused).toHaveLength(2);
    expect(refused[1]).toContain('Recusado');
  });

  it('appointments, conversations and NPS export too (headers only when empty)', async () => {
    const ap = await sheetOf(await get('agendamentos'));
    expect(ap.rowCount).toBe(2);
    expect(ap.getRow(2).getCell(8).value).toBe(250);
    expect(ap.getRow(2).getCell(8).numFmt).toBe('"R$" #,##0.00');
    for (const list of ['conversas', 'nps']) {
      const res = await get(`${list}?format=csv`);
      expect(res.status, list).toBe(200);
      expect(new TextDecoder().decode(await res.arrayBuffer()).trimEnd().split('\r\n'), list).toHaveLength(1);
    }
  });

  it('a view-only member is refused (403) and the refusal is audited', async () => {
    const res = await get('pacientes', viewer);
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('forbidden');
    const audits = await tdb.db.select().from(auditLog).where(eq(auditLog.action, 'export_refused'));
    expect(audits.map((a) => [a.userId, a.entityId])).toEqual([[clinic.members.view.id, 'pacientes']]);
  });

  it('refuses bad input with a pt-BR message and a code, never a 500', async () => {
    for (const q of ['clientes', 'pacientes?format=pdf', 'pacientes?status=vip', 'pagamentos?from=2030-06-10&to=2030-06-01',
      'pagamentos?from=2010-01-01&to=2030-06-01', 'pagamentos?from=2030-02-30', 'pagamentos?x=1']) {
      const res = await get(q);
      expect(res.status, q).toBe(400);
      const body = await res.json();
      expect(body.error.code, q).toBe('validation_failed');
      expect(body.error.message, q).toMatch(/[a-zá-ú]{3}/);
    }
  });
});
