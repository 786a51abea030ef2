// Every export of the dashboard (lists and reports) is a typed table: columns with a header in pt-BR and
// a type, and rows read in batches. Two writers share it, so a column means the same in both:
//  - CSV for Excel in pt-BR: UTF-8 with BOM, `;`, CRLF, money as 1234,56, decimals with a comma, dates
//    dd/mm/aaaa and times dd/mm/aaaa hh:mm in the clinic's zone; a field starting with = + - @ is defused;
//  - XLSX (exceljs, streamed): typed cells (numbers are numbers, money in reais with the R$ format, dates
//    are dates shown dd/mm/aaaa in the clinic's wall time), a bold header row, frozen panes and a filter.
// Rows come from an async iterable (a keyset-paginated query), so a long export streams as it is read.
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { localDate, localParts } from '../../domain/timezone';

export type ColumnType = 'text' | 'integer' | 'decimal' | 'money' | 'percent' | 'day' | 'instant' | 'phone';
export type CellValue = string | number | Date | null | undefined;

export interface Column<R> {
  header: string;
  type: ColumnType;
  value: (row: R) => CellValue;
  /** Characters, for the spreadsheet's column width (default by type). */
  width?: number;
}

export interface ExportTable<R> {
  /** The sheet's name (≤ 31 characters, no []:*?/\). */
  sheet: string;
  columns: Column<R>[];
  rows: AsyncIterable<R[]> | Iterable<R[]>;
}

export interface ExportFormat { timeZone: string }

const DEFAULT_WIDTH: Record<ColumnType, number> = { text: 28, integer: 10, decimal: 12, money: 14, percent: 10, day: 12, instant: 17, phone: 17 };

/** 123456 → "1234,56": the CSV's money (no currency sign, no thousands separator, a decimal comma). */
export const csvMoney = (cents: number) => `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)},${String(Math.abs(cents) % 100).padStart(2, '0')}`;

/** A CSV field for `;`-separated pt-BR spreadsheets: quoted when needed; a leading =, +, - or @ of text is defused. */
export function csvField(v: string | number | null | undefined, text = typeof v === 'string'): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const dmy = (day: string) => {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
};
const asInstant = (v: CellValue): Date | null => (v instanceof Date ? v : typeof v === 'string' && v ? new Date(v) : null);
/** An instant's local day and hh:mm in the zone. */
function zonedParts(d: Date, timeZone: string): { day: string; time: string } {
  const p = localParts(d, timeZone);
  return { day: p.date, time: `${String(Math.floor(p.minute / 60)).padStart(2, '0')}:${String(p.minute % 60).padStart(2, '0')}` };
}

/** +5511912345678 → (11) 91234-5678; other numbers as they are. */
export function exportPhone(phone: string): string {
  const m = /^\+55(\d{2})(\d{4,5})(\d{4})$/.exec(phone);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : phone;
}

function csvCell(type: ColumnType, v: CellValue, f: ExportFormat): string {
  if (v === null || v === undefined || v === '') return '';
  switch (type) {
    case 'money': return csvField(csvMoney(Math.round(Number(v))), false);
    case 'integer': return csvField(Math.round(Number(v)), false);
    case 'decimal': return csvField(String(Number(v)).replace('.', ','), false);
    case 'percent': return csvField(`${(Number(v) * 100).toFixed(1).replace('.', ',')}%`, false);
    case 'day': return csvField(dmy(v instanceof Date ? localDate(v, f.timeZone) : String(v)), false);
    case 'instant': {
      const d = asInstant(v);
      if (!d) return '';
      const p = zonedParts(d, f.timeZone);
      return csvField(`${dmy(p.day)} ${p.time}`, false);
    }
    case 'phone': return csvField(exportPhone(String(v)), false);
    default: return csvField(String(v));
  }
}

/** The table as CSV, chunk by chunk (a header line first). */
export async function* csvChunks<R>(t: ExportTable<R>, f: ExportFormat): AsyncGenerator<string> {
  yield `\uFEFF${t.columns.map((c) => csvField(c.header, false)).join(';')}\r\n`;
  for await (const batch of t.rows) {
    if (!batch.length) continue;
    yield batch.map((r) => `${t.columns.map((c) => csvCell(c.type, c.value(r), f)).join(';')}\r\n`).join('');
  }
}

export async function tableToCsv<R>(t: ExportTable<R>, f: ExportFormat): Promise<string> {
  let out = '';
  for await (const chunk of csvChunks(t, f)) out += chunk;
  return out;
}

/** The clinic's wall time of an instant as a UTC date: what Excel shows (it has no time zones). */
function wallClock(d: Date, timeZone: string): Date {
  const p = zonedParts(d, timeZone);
  return new Date(`${p.day}T${p.time}:00.000Z`);
}

const XLSX_FMT: Partial<Record<ColumnType, string>> = {
  money: '"R$" #,##0.00', integer: '0', decimal: '0.00', percent: '0.0%', day: 'dd/mm/yyyy', instant: 'dd/mm/yyyy hh:mm',
};

function xlsxCell(type: ColumnType, v: CellValue, f: ExportFormat): ExcelJS.CellValue {
  if (v === null || v === undefined || v === '') return null;
  switch (type) {
    case 'money': return Math.round(Number(v)) / 100;
    case 'integer': case 'decimal': case 'percent': return Number(v);
    case 'day': return new Date(`${v instanceof Date ? localDate(v, f.timeZone) : String(v)}T00:00:00.000Z`);
    case 'instant': {
      const d = asInstant(v);
      return d ? wallClock(d, f.timeZone) : null;
    }
    case 'phone': return exportPhone(String(v));
    default: return String(v);
  }
}

export const safeSheetName = (name: string) => name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Planilha';

/** The tables as one workbook (a sheet each), streamed: the returned stream ends when the file does. */
export function xlsxStream(tables: ExportTable<unknown>[], f: ExportFormat, meta: { creator?: string } = {}): Readable {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = meta.creator ?? 'Tigre CRM';
  wb.created = new Date();
  void (async () => {
    for (const t of tables) {
      const ws = wb.addWorksheet(safeSheetName(t.sheet), { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
      ws.columns = t.columns.map((c, i) => ({ key: `c${i}`, width: c.width ?? Math.max(DEFAULT_WIDTH[c.type], Math.min(40, c.header.length + 2)), style: XLSX_FMT[c.type] ? { numFmt: XLSX_FMT[c.type] } : {} }));
      const header = ws.addRow(t.columns.map((c) => c.header));
      header.font = { bold: true };
      header.commit();
      let n = 0;
      for await (const batch of t.rows) {
        for (const r of batch) {
          ws.addRow(t.columns.map((c) => xlsxCell(c.type, c.value(r), f))).commit();
          n++;
        }
      }
      ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, n + 1), column: t.columns.length } };
      ws.commit();
    }
    await wb.commit();
  })().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}

export async function tablesToXlsx(tables: ExportTable<unknown>[], f: ExportFormat): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of xlsxStream(tables, f)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
