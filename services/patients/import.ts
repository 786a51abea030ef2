// Patient import from the spreadsheets clinics migrate from: CSV (; or ,, UTF-8 or Latin-1) or XLSX.
// Reading and validating are pure; duplicates are checked against the clinic's patients; the write is
// one transaction (the caller's), so a failure leaves nothing half-imported.
import crypto from 'node:crypto';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from '@hono/zod-openapi';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { cpfLookupHash, encrypt } from '../../db/crypto';
import { patientAddresses, patientPhones, patients } from '../../db/schema';
import { normalizeCep, normalizeUf } from '../../domain/address';
import { isValidCpf, maskCpf, normalizeCpf } from '../../domain/cpf';
import { formatPhone, isMobilePhone, normalizePhone } from '../../domain/phone';
import { ApiError } from '../errors';
import { dedupeTags } from './schemas';
import { defaultWhatsapp, type PlannedAddress, type PlannedPhone } from './records';
import { foldName } from './search';

export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 100_000;
/** Rows detailed in a report (counts always cover every row). */
export const REPORT_ROWS = 500;
/** Rows written per INSERT (and per progress event). */
export const WRITE_CHUNK = 500;

type Cell = string | number | boolean | Date | null;

export interface Sheet { kind: 'csv' | 'xlsx'; headers: string[]; rows: { row: number; cells: Cell[] }[]; delimiter?: string; encoding?: string }

// ---------------------------------------------------------------------------------------------
// Reading the file

const isZip = (b: Uint8Array) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isOle = (b: Uint8Array) => b.length > 8 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

export async function readSheet(bytes: Uint8Array, fileName = ''): Promise<Sheet> {
  if (!bytes.length) throw new ApiError(400, 'validation_failed', 'O arquivo está vazio.', { file: ['Arquivo vazio.'] });
  if (isOle(bytes) || /\.xls$/i.test(fileName)) {
    throw new ApiError(400, 'validation_failed', 'Planilhas .xls (Excel 97-2003) não são aceitas: salve como .xlsx ou CSV e envie de novo.', { file: ['Formato não suportado.'] });
  }
  const sheet = isZip(bytes) ? await readXlsx(bytes) : readCsv(bytes);
  if (!sheet.headers.some((h) => h.trim())) throw new ApiError(400, 'validation_failed', 'A primeira linha do arquivo deve ter os nomes das colunas (nome, telefone, email, cpf…).', { file: ['Cabeçalho ausente.'] });
  if (!sheet.rows.length) throw new ApiError(400, 'validation_failed', 'O arquivo não tem linhas de pacientes abaixo do cabeçalho.', { file: ['Sem linhas de dados.'] });
  if (sheet.rows.length > MAX_IMPORT_ROWS) {
    throw new ApiError(400, 'validation_failed', `O arquivo tem ${sheet.rows.length.toLocaleString('pt-BR')} linhas; o limite é ${MAX_IMPORT_ROWS.toLocaleString('pt-BR')} por importação. Divida o arquivo em partes.`, { file: ['Linhas demais.'] });
  }
  return sheet;
}

function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // Excel "CSV (separado por vírgulas)" on Windows in Brazil writes Windows-1252 (Latin-1).
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'latin1' };
  }
}

function guessDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n/).find((l) => l.trim()) ?? '';
  let inQuotes = false;
  const counts: Record<string, number> = { ';': 0, ',': 0, '\t': 0 };
  for (const ch of firstLine) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch in counts) counts[ch]++;
  }
  const best = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
  return best[1] > 0 ? best[0] : ',';
}

function readCsv(bytes: Uint8Array): Sheet {
  const { text, encoding } = decodeText(bytes);
  if (text.includes('\u0000')) throw new ApiError(400, 'validation_failed', 'O arquivo não parece ser um CSV nem uma planilha .xlsx.', { file: ['Formato não reconhecido.'] });
  const delimiter = guessDelimiter(text);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, { delimiter, info: true, skip_empty_lines: true, relax_column_count: true, relax_quotes: true, bom: true }) as unknown as typeof records;
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new ApiError(400, 'validation_failed', `Não foi possível ler o CSV${line ? ` (linha ${line})` : ''}: verifique aspas e separadores.`, { file: ['CSV malformado.'] });
  }
  const rows = records.map(({ record, info }) => ({
    // info.lines is where the record ends; quoted line breaks inside it move the start up.
    row: info.lines - record.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0),
    cells: record as Cell[],
  }));
  const header = rows.shift();
  return { kind: 'csv', headers: (header?.cells ?? []).map((c) => String(c ?? '').trim()), rows: rows.filter((r) => r.cells.some((c) => String(c ?? '').trim())), delimiter, encoding };
}

async function readXlsx(bytes: Uint8Array): Promise<Sheet> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw new ApiError(400, 'validation_failed', 'Não foi possível abrir a planilha .xlsx: o arquivo está corrompido ou não é do Excel.', { file: ['XLSX inválido.'] });
  }
  const ws = wb.worksheets.find((w) => w.actualRowCount > 0) ?? wb.worksheets[0];
  const rows: { row: number; cells: Cell[] }[] = [];
  ws?.eachRow({ includeEmpty: false }, (r, rowNumber) => {
    const values = Array.isArray(r.values) ? r.values.slice(1) : [];
    const cells = Array.from({ length: values.length }, (_, i) => xlsxCell(values[i]));
    if (cells.some((c) => c !== null && String(c).trim() !== '')) rows.push({ row: rowNumber, cells });
  });
  const header = rows.shift();
  return { kind: 'xlsx', headers: (header?.cells ?? []).map((c) => cellText(c)), rows };
}

function xlsxCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown; hyperlink?: string };
    if (o.richText) return o.richText.map((t) => t.text).join('');
    if ('result' in o) return xlsxCell(o.result);
    if (o.text !== undefined) return xlsxCell(o.text);
    if (o.error) return null;
  }
  return String(v);
}

function cellText(c: Cell): string {
  if (c === null) return '';
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  if (typeof c === 'number') return Number.isInteger(c) ? String(c) : String(c);
  return String(c).trim();
}

// ---------------------------------------------------------------------------------------------
// Column mapping (headers in pt-BR as clinics write them)

export const IMPORT_FIELDS = [
  'name', 'email', 'cpf', 'birthDate', 'gender', 'status', 'tags', 'notes', 'source',
  'phone', 'phone:celular', 'phone:comercial', 'phone:residencial',
  'street', 'number', 'complement', 'district', 'city', 'state', 'postalCode',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

const SYNONYMS: Record<ImportField, string[]> = {
  name: ['nome', 'nome_completo', 'nome_do_paciente', 'paciente', 'cliente', 'nome_cliente', 'nome_paciente', 'name'],
  email: ['email', 'e_mail', 'correio_eletronico', 'endereco_de_email', 'mail'],
  cpf: ['cpf', 'cpf_do_paciente', 'numero_cpf', 'n_cpf'],
  birthDate: ['data_nascimento', 'data_de_nascimento', 'nascimento', 'dt_nascimento', 'dt_nasc', 'data_nasc', 'aniversario', 'birth_date', 'birthdate'],
  gender: ['sexo', 'genero', 'gender'],
  status: ['status', 'situacao'],
  tags: ['tags', 'tag', 'etiquetas', 'etiqueta', 'marcadores'],
  notes: ['observacoes', 'observacao', 'obs', 'notas', 'anotacoes', 'notes'],
  source: ['origem', 'fonte', 'como_conheceu', 'canal', 'source'],
  phone: ['telefone', 'fone', 'tel', 'phone', 'contato', 'telefone_1', 'telefone1', 'telefone_2', 'telefone2', 'telefone_principal'],
  'phone:celular': ['celular', 'whatsapp', 'cel', 'telefone_celular', 'celular_whatsapp', 'whats', 'mobile', 'fone_celular'],
  'phone:comercial': ['telefone_comercial', 'comercial', 'fone_comercial', 'tel_comercial'],
  'phone:residencial': ['telefone_residencial', 'residencial', 'fone_residencial', 'tel_residencial', 'fixo', 'telefone_fixo'],
  street: ['endereco', 'logradouro', 'rua', 'address', 'endereco_completo'],
  number: ['numero', 'num', 'nro', 'n'],
  complement: ['complemento', 'compl'],
  district: ['bairro'],
  city: ['cidade', 'municipio'],
  state: ['uf', 'estado'],
  postalCode: ['cep', 'codigo_postal'],
};
const BY_HEADER = new Map<string, ImportField>(Object.entries(SYNONYMS).flatMap(([field, names]) => names.map((n) => [n, field as ImportField])));

export const headerKey = (h: string) => foldName(h).replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');

export interface ColumnMapping { header: string; field: ImportField | null }

/** Each header's field (null = ignored). Several phone columns are all used; other fields take the first column. */
export function mapColumns(headers: string[]): ColumnMapping[] {
  const taken = new Set<ImportField>();
  return headers.map((header) => {
    const field = BY_HEADER.get(headerKey(header)) ?? null;
    if (!field) return { header, field: null };
    if (!field.startsWith('phone') && taken.has(field)) return { header, field: null };
    taken.add(field);
    return { header, field };
  });
}

// ---------------------------------------------------------------------------------------------
// Validation, row by row

export interface RowData {
  name: string;
  email: string | null;
  cpfMasked: string | null;
  birthDate: string | null;
  gender: 'M' | 'F' | 'Outro' | null;
  status: 'ativo' | 'inativo' | 'bloqueado';
  tags: string[];
  phones: { number: string; formatted: string; kind: string; isPrimary: boolean }[];
  address: { street: string; number: string | null; city: string; state: string; postalCode: string | null } | null;
}

export interface ReportRow { row: number; status: 'ok' | 'invalid' | 'duplicate'; errors: string[]; warnings: string[]; data: RowData }

/** A validated row with what the write needs (the CPF digits never leave the server). */
export interface CheckedRow extends ReportRow {
  cpf: string | null;
  /** Keyed hash of the CPF, set by markDuplicates (and reused by the write). */
  cpfHash?: string;
  notes: string | null;
  source: string | null;
  plannedPhones: PlannedPhone[];
  plannedAddress: PlannedAddress | null;
}

const emailSchema = z.email();
const quote = (v: string) => `“${v.length > 60 ? `${v.slice(0, 57)}…` : v}”`;

function parseBirthDate(c: Cell, today: string): { value: string | null; error?: string } {
  if (c === null || c === '') return { value: null };
  let iso: string | null = null;
  if (c instanceof Date) iso = c.toISOString().slice(0, 10);
  else {
    const s = cellText(c);
    if (!s) return { value: null };
    let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
    if (m) iso = `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
    else if ((m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$/.exec(s))) iso = `${m[1]}-${m[2]}-${m[3]}`;
    else return { value: null, error: `Data de nascimento inválida: ${quote(s)} (use dd/mm/aaaa).` };
  }
  const t = Date.parse(`${iso}T00:00:00Z`);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== iso) return { value: null, error: `Data de nascimento inexistente: ${quote(cellText(c))}.` };
  if (iso < '1900-01-01' || iso > today) return { value: null, error: `Data de nascimento fora do intervalo aceito: ${quote(cellText(c))}.` };
  return { value: iso };
}

const GENDERS: Record<string, 'M' | 'F' | 'Outro'> = {
  m: 'M', masculino: 'M', homem: 'M', masc: 'M', f: 'F', feminino: 'F', mulher: 'F', fem: 'F', outro: 'Outro', outros: 'Outro', o: 'Outro', nao_binario: 'Outro',
};
const STATUSES: Record<string, 'ativo' | 'inativo' | 'bloqueado'> = { ativo: 'ativo', ativa: 'ativo', inativo: 'inativo', inativa: 'inativo', bloqueado: 'bloqueado', bloqueada: 'bloqueado' };

/** Checks every row; `today` (YYYY-MM-DD) bounds birth dates. Duplicates are decided later (markDuplicates). */
export function checkRows(sheet: Sheet, columns: ColumnMapping[], today: string): CheckedRow[] {
  const index = new Map<ImportField, number>();
  columns.forEach((c, i) => { if (c.field && !index.has(c.field)) index.set(c.field, i); });
  return sheet.rows.map((r) => checkRow(r.row, r.cells, columns, index, today));
}

function checkRow(row: number, cells: Cell[], columns: ColumnMapping[], index: Map<ImportField, number>, today: string): CheckedRow {
  const errors: string[] = [];
  const warnings: string[] = [];
  const get = (field: ImportField): Cell => {
    const i = index.get(field);
    return i !== undefined ? (cells[i] ?? null) : null;
  };
  const text = (field: ImportField) => cellText(get(field)).replace(/\s+/g, ' ').trim();

  const name = text('name');
  if (!name) errors.push('Nome é obrigatório.');
  else if (name.length < 2) errors.push(`Nome muito curto: ${quote(name)}.`);
  else if (name.length > 200) errors.push('Nome com mais de 200 caracteres.');

  const rawEmail = text('email').toLowerCase();
  let email: string | null = null;
  if (rawEmail) {
    if (rawEmail.length <= 254 && emailSchema.safeParse(rawEmail).success) email = rawEmail;
    else errors.push(`E-mail inválido: ${quote(rawEmail)}.`);
  }

  let cpf: string | null = null;
  const cpfCell = get('cpf');
  let rawCpf = typeof cpfCell === 'number' ? String(Math.trunc(cpfCell)).padStart(11, '0') : cellText(cpfCell);
  if (/^\d{9,10}$/.test(rawCpf)) rawCpf = rawCpf.padStart(11, '0'); // Excel drops leading zeros
  if (rawCpf) {
    if (isValidCpf(rawCpf)) cpf = normalizeCpf(rawCpf);
    else errors.push(`CPF inválido: ${quote(rawCpf)} (dígitos verificadores não conferem).`);
  }

  const birth = parseBirthDate(get('birthDate'), today);
  if (birth.error) errors.push(birth.error);

  const rawGender = headerKey(text('gender'));
  let gender: RowData['gender'] = null;
  if (rawGender) {
    gender = GENDERS[rawGender] ?? null;
    if (!gender) errors.push(`Gênero inválido: ${quote(text('gender'))} (use M, F ou Outro).`);
  }

  const rawStatus = headerKey(text('status'));
  let status: RowData['status'] = 'ativo';
  if (rawStatus) {
    const s = STATUSES[rawStatus];
    if (s) status = s;
    else errors.push(`Status inválido: ${quote(text('status'))} (use ativo, inativo ou bloqueado).`);
  }

  // Phones: every phone column, each cell possibly holding several numbers ("(11) 9… / (11) 3…").
  const phones: PlannedPhone[] = [];
  const phoneColumns = columns.map((c, i) => ({ ...c, i })).filter((c) => c.field?.startsWith('phone'));
  // Mobile columns first, so the primary is the number most likely to have WhatsApp.
  phoneColumns.sort((a, b) => Number(b.field === 'phone:celular') - Number(a.field === 'phone:celular'));
  for (const col of phoneColumns) {
    const cell = cells[col.i] ?? null;
    const raw = typeof cell === 'number' ? String(cell) : cellText(cell);
    for (const part of raw.split(/[/;|]| ou /).map((p) => p.trim()).filter(Boolean)) {
      const n = normalizePhone(part);
      if (!n) {
        errors.push(`Telefone inválido: ${quote(part)} (use DDD + número, ex. (11) 98765-4321).`);
        continue;
      }
      if (phones.some((p) => p.number === n)) continue;
      const kind = col.field === 'phone' ? (isMobilePhone(n) ? 'celular' : 'residencial') : (col.field!.slice(6) as PlannedPhone['kind']);
      phones.push({ number: n, kind, isPrimary: phones.length === 0 });
    }
  }
  if (phones.length > 10) errors.push('Mais de 10 telefones na linha.');

  // Address: only kept when complete enough for the table (logradouro, cidade, UF).
  const street = text('street');
  const city = text('city');
  const rawUf = text('state');
  const rawCep = text('postalCode');
  let plannedAddress: PlannedAddress | null = null;
  const uf = rawUf ? normalizeUf(rawUf) : null;
  if (rawUf && !uf) errors.push(`UF inválida: ${quote(rawUf)} (use a sigla do estado, ex. SP).`);
  let cep: string | null = null;
  if (rawCep) {
    const cepText = typeof get('postalCode') === 'number' ? rawCep.padStart(8, '0') : rawCep;
    cep = normalizeCep(cepText);
    if (!cep) errors.push(`CEP inválido: ${quote(rawCep)} (use 8 dígitos, ex. 01310-100).`);
  }
  const anyAddress = street || city || rawUf || rawCep || text('number') || text('district') || text('complement');
  if (anyAddress && (!rawUf || uf) && (!rawCep || cep)) {
    if (street && city && uf) {
      plannedAddress = {
        street: street.slice(0, 200), number: text('number').slice(0, 20) || null, complement: text('complement').slice(0, 100) || null,
        district: text('district').slice(0, 100) || null, city: city.slice(0, 100), state: uf, postalCode: cep, kind: 'residencial', isPrimary: true,
      };
    } else {
      const missing = [!street && 'endereço', !city && 'cidade', !uf && 'UF'].filter(Boolean).join(', ');
      warnings.push(`Endereço incompleto (falta ${missing}): o paciente será importado sem endereço.`);
    }
  }

  const tags = dedupeTags(text('tags').split(/[,;|]/)).map((t) => t.slice(0, 40)).slice(0, 20);
  const notes = cellText(get('notes')).trim().slice(0, 4000) || null;
  const source = text('source').slice(0, 60) || null;

  return {
    row,
    status: errors.length ? 'invalid' : 'ok',
    errors,
    warnings,
    data: {
      name, email, cpfMasked: cpf ? maskCpf(cpf) : null, birthDate: birth.value, gender, status, tags,
      phones: phones.map((p) => ({ number: p.number, formatted: formatPhone(p.number), kind: p.kind, isPrimary: p.isPrimary })),
      address: plannedAddress ? { street: plannedAddress.street, number: plannedAddress.number ?? null, city: plannedAddress.city, state: plannedAddress.state, postalCode: plannedAddress.postalCode ?? null } : null,
    },
    cpf, notes, source, plannedPhones: phones, plannedAddress,
  };
}

// ---------------------------------------------------------------------------------------------
// Duplicates: within the file (first valid occurrence wins) and against the clinic's patients

const chunks = <T>(list: T[], size: number) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

export async function markDuplicates(tx: Tx, dataKey: Buffer, rows: CheckedRow[]): Promise<void> {
  const hashes = new Map<string, string>();
  for (const r of rows) {
    if (r.status === 'ok' && r.cpf) {
      r.cpfHash = hashes.get(r.cpf) ?? cpfLookupHash(dataKey, r.cpf);
      hashes.set(r.cpf, r.cpfHash);
    }
  }
  const numbers = [...new Set(rows.flatMap((r) => (r.status === 'ok' ? r.plannedPhones.map((p) => p.number) : [])))];

  const cpfOwners = new Map<string, string>();
  for (const part of chunks([...hashes.values()], 5000)) {
    const found = await tx.select({ hash: patients.cpfHash, name: patients.name }).from(patients)
      .where(and(inArray(patients.cpfHash, part), isNull(patients.deletedAt)));
    for (const f of found) cpfOwners.set(f.hash!, f.name);
  }
  const phoneOwners = new Map<string, string>();
  for (const part of chunks(numbers, 5000)) {
    const found = await tx.select({ number: patientPhones.number, name: patients.name }).from(patientPhones)
      .innerJoin(patients, eq(patients.id, patientPhones.patientId))
      .where(and(inArray(patientPhones.number, part), isNull(patients.deletedAt)));
    for (const f of found) phoneOwners.set(f.number, f.name);
    const byWhatsapp = await tx.select({ number: patients.whatsapp, name: patients.name }).from(patients)
      .where(and(inArray(patients.whatsapp, part), isNull(patients.deletedAt)));
    for (const f of byWhatsapp) if (!phoneOwners.has(f.number!)) phoneOwners.set(f.number!, f.name);
  }

  const seenCpf = new Map<string, number>();
  const seenPhone = new Map<string, number>();
  for (const r of rows) {
    if (r.status !== 'ok') continue;
    const reasons: string[] = [];
    if (r.cpf) {
      const owner = cpfOwners.get(hashes.get(r.cpf)!);
      if (owner) reasons.push(`CPF já cadastrado para ${owner}.`);
      const first = seenCpf.get(r.cpf);
      if (first !== undefined) reasons.push(`CPF repetido: igual ao da linha ${first}.`);
    }
    for (const p of r.plannedPhones) {
      const owner = phoneOwners.get(p.number);
      if (owner) reasons.push(`Telefone ${formatPhone(p.number)} já cadastrado para ${owner}.`);
      const first = seenPhone.get(p.number);
      if (first !== undefined) reasons.push(`Telefone ${formatPhone(p.number)} repetido: igual ao da linha ${first}.`);
    }
    if (reasons.length) {
      r.status = 'duplicate';
      r.errors.push(...reasons);
      continue;
    }
    if (r.cpf) seenCpf.set(r.cpf, r.row);
    for (const p of r.plannedPhones) seenPhone.set(p.number, r.row);
  }
}

// ---------------------------------------------------------------------------------------------
// Report and write

export const ImportReport = z
  .object({
    fileName: z.string(),
    format: z.enum(['csv', 'xlsx']),
    totalRows: z.number().int(),
    valid: z.number().int(),
    invalid: z.number().int(),
    duplicates: z.number().int(),
    /** Rows written (0 in a preview or when the import was refused). */
    imported: z.number().int(),
    columns: z.array(z.object({ header: z.string(), field: z.string().nullable() })),
    /** Preview: the first 500 rows; import: the first 500 rows that were not imported. */
    rows: z.array(z.object({
      row: z.number().int(), status: z.enum(['ok', 'invalid', 'duplicate']), errors: z.array(z.string()), warnings: z.array(z.string()),
      data: z.object({
        name: z.string(), email: z.string().nullable(), cpfMasked: z.string().nullable(), birthDate: z.string().nullable(), gender: z.string().nullable(),
        status: z.string(), tags: z.array(z.string()),
        phones: z.array(z.object({ number: z.string(), formatted: z.string(), kind: z.string(), isPrimary: z.boolean() })),
        address: z.object({ street: z.string(), number: z.string().nullable(), city: z.string(), state: z.string(), postalCode: z.string().nullable() }).nullable(),
      }),
    })),
    rowsTruncated: z.boolean(),
  })
  .openapi('PatientImportReport');
export type ImportReportOut = z.infer<typeof ImportReport>;

export function buildReport(sheet: Sheet, fileName: string, columns: ColumnMapping[], rows: CheckedRow[], opts: { imported: number; onlyProblems: boolean }): ImportReportOut {
  const listed = opts.onlyProblems ? rows.filter((r) => r.status !== 'ok') : rows;
  return {
    fileName,
    format: sheet.kind,
    totalRows: rows.length,
    valid: rows.filter((r) => r.status === 'ok').length,
    invalid: rows.filter((r) => r.status === 'invalid').length,
    duplicates: rows.filter((r) => r.status === 'duplicate').length,
    imported: opts.imported,
    columns,
    rows: listed.slice(0, REPORT_ROWS).map(({ row, status, errors, warnings, data }) => ({ row, status, errors, warnings, data })),
    rowsTruncated: listed.length > REPORT_ROWS,
  };
}

/** Writes the valid rows in chunks (inside the caller's transaction); calls onProgress after each chunk. */
export async function writeRows(
  tx: Tx, clinicId: string, dataKey: Buffer, rows: CheckedRow[],
  onProgress: (processed: number, total: number) => Promise<void> | void,
): Promise<number> {
  const valid = rows.filter((r) => r.status === 'ok');
  let done = 0;
  for (const part of chunks(valid, WRITE_CHUNK)) {
    const withIds = part.map((r) => ({ r, id: crypto.randomUUID() }));
    await tx.insert(patients).values(withIds.map(({ r, id }) => ({
      id, clinicId, name: r.data.name, email: r.data.email,
      phone: r.plannedPhones.find((p) => p.isPrimary)?.number ?? null,
      whatsapp: defaultWhatsapp(r.plannedPhones),
      ...(r.cpf ? { cpfEncrypted: encrypt(dataKey, r.cpf), cpfHash: r.cpfHash ?? cpfLookupHash(dataKey, r.cpf) } : {}),
      birthDate: r.data.birthDate, gender: r.data.gender, status: r.data.status, tags: r.data.tags,
      source: r.source ?? 'importacao', notes: r.notes,
    })));
    const phoneRows = withIds.flatMap(({ r, id }) => r.plannedPhones.map((p) => ({ clinicId, patientId: id, ...p })));
    if (phoneRows.length) await tx.insert(patientPhones).values(phoneRows);
    const addressRows = withIds.flatMap(({ r, id }) => (r.plannedAddress ? [{
      clinicId, patientId: id, street: r.plannedAddress.street, number: r.plannedAddress.number ?? null, complement: r.plannedAddress.complement ?? null,
      district: r.plannedAddress.district ?? null, city: r.plannedAddress.city, state: r.plannedAddress.state, postalCode: r.plannedAddress.postalCode ?? null,
      kind: r.plannedAddress.kind, isPrimary: true,
    }] : []));
    if (addressRows.length) await tx.insert(patientAddresses).values(addressRows);
    done += part.length;
    await onProgress(done, valid.length);
  }
  return done;
}
