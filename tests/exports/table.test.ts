// The export writers: a typed table as CSV for pt-BR Excel and as XLSX with typed cells, read back.
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { csvField, tableToCsv, tablesToXlsx, type ExportTable } from '../../services/exports/table';

interface Row { name: string; phone: string | null; cents: number; day: string; at: Date; share: number; n: number }
const rows: Row[] = [
  { name: 'Júlia Sá; "VIP"', phone: '+5511912345678', cents: 123456, day: '2026-11-30', at: new Date('2026-12-01T02:30:00Z'), share: 0.256, n: 3 },
  { name: '=HYPERLINK("x")', phone: null, cents: -500, day: '2026-01-02', at: new Date('2026-06-15T15:05:00Z'), share: 1, n: 0 },
];
const table = (): ExportTable<Row> => ({
  sheet: 'Pagamentos: teste/1',
  rows: (async function* () { yield rows.slice(0, 1); yield []; yield rows.slice(1); })(),
  columns: [
    { header: 'Paciente', type: 'text', value: (r) => r.name },
    { header: 'Telefone', type: 'phone', value: (r) => r.phone },
    { header: 'Valor (R$)', type: 'money', value: (r) => r.cents },
    { header: 'Dia', type: 'day', value: (r) => r.day },
    { header: 'Quando', type: 'instant', value: (r) => r.at },
    { header: 'Parte', type: 'percent', value: (r) => r.share },
    { header: 'Visitas', type: 'integer', value: (r) => r.n },
  ],
});

describe('export tables', () => {
  it('CSV: BOM, ";", CRLF, money 1234,56, dd/mm/aaaa, times in the clinic zone, phones (11) 91234-5678, quoting, formulas defused', async () => {
    const csv = await tableToCsv(table(), { timeZone: 'America/Sao_Paulo' });
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe('Paciente;Telefone;Valor (R$);Dia;Quando;Parte;Visitas');
    expect(lines[1]).toBe('"Júlia Sá; ""VIP""";(11) 91234-5678;1234,56;30/11/2026;30/11/2026 23:30;25,6%;3');
    expect(lines[2]).toBe(`"'=HYPERLINK(""x"")";;-5,00;02/01/2026;15/06/2026 12:05;100,0%;0`);
    expect(csvField('-3')).toBe("'-3"); // text that looks like a formula
    expect(csvField(-3)).toBe('-3'); // a number is a number
  });

  it('XLSX: typed cells (R$ numbers, dates as dates in wall time), bold header, frozen first row, a filter; sheet name made safe', async () => {
    const buf = await tablesToXlsx([table() as ExportTable<unknown>], { timeZone: 'America/Sao_Paulo' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('Pagamentos  teste 1');
    expect(ws.getRow(1).values).toEqual([undefined, 'Paciente', 'Telefone', 'Valor (R$)', 'Dia', 'Quando', 'Parte', 'Visitas']);
    expect(ws.getRow(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.rowCount).toBe(3);
    const r = ws.getRow(2);
    expect(r.getCell(1).value).toBe('Júlia Sá; "VIP"');
    expect(r.getCell(2).value).toBe('(11) 91234-5678');
    expect(r.getCell(3).value).toBe(1234.56);
    expect(r.getCell(3).numFmt).toBe('"R$" #,##0.00');
    expect(r.getCell(4).value).toEqual(new Date('2026-11-30T00:00:00.000Z'));
    expect(r.getCell(4).numFmt).toBe('dd/mm/yyyy');
    expect(r.getCell(5).value).toEqual(new Date('2026-11-30T23:30:00.000Z')); // São Paulo's wall clock
    expect(r.getCell(6).value).toBe(0.256);
    expect(ws.getRow(3).getCell(1).value).toBe('=HYPERLINK("x")'); // a string cell, never a formula
    expect(ws.getRow(3).getCell(2).value).toBeNull();
    expect(ws.getRow(3).getCell(3).value).toBe(-5);
  });
});
