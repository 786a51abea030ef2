// Importing patients from CSV/XLSX: per-row report, duplicates (file and database), all-or-nothing
// writes, progress as server-sent events, size limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { and, eq, sql } from 'drizzle-orm';
import { auditLog, patientAddresses, patientPhones, patients } from '../../db/schema';
import { bearer, login } from '../support/app';
import { anyJson, patientsTestContext, validCpfs } from '../support/patients';

let ctx: Awaited<ReturnType<typeof patientsTestContext>>;
const cpfs = validCpfs(3000, 'import');

const count = async (clinicId = ctx.a.clinic.id) =>
  (await ctx.tdb.db.select({ n: sql<number>`count(*)::int` }).from(patients).where(eq(patients.clinicId, clinicId)))[0].n;
const importAudits = async () => ctx.tdb.db.select().from(auditLog).where(and(eq(auditLog.clinicId, ctx.a.clinic.id), eq(auditLog.action, 'import')));

const latin1 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

/** Parses a text/event-stream body into its events. */
function sseEvents(text: string) {
  return text.split(/\n\n/).filter((b) => b.trim()).map((block) => {
    const event = /^event: ?(.*)$/m.exec(block)?.[1] ?? 'message';
    const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.replace(/^data: ?/, '')).join('\n');
    return { event, data: JSON.parse(data) };
  });
}

/** A clean CSV of n patients (valid CPFs and phones), comma-separated, UTF-8. */
function bigCsv(n: number, opts: { lastCity?: string; offset?: number } = {}) {
  const lines = ['nome,celular,cpf,cidade,uf,endereco'];
  for (let i = 0; i < n; i++) {
    const k = i + (opts.offset ?? 100);
    const city = i === n - 1 && opts.lastCity ? opts.lastCity : 'Campinas';
    lines.push(`Paciente Importado ${k},(19) 9${String(80000000 + k).padStart(8, '0')},${cpfs[k]},${city},SP,Rua ${k}`);
  }
  return lines.join('\n');
}

beforeAll(async () => {
  ctx = await patientsTestContext();
  const existing = await ctx.as.staff.post('/api/patients', { name: 'Já Cadastrada', cpf: cpfs[2900], phones: [{ number: '(11) 97000-0001' }] });
  expect(existing.status).toBe(201);
});
afterAll(async () => {
  await ctx?.close();
});

describe('CSV with bad rows', () => {
  // Windows Excel export in Brazil: ';' separated, Latin-1, pt-BR headers.
  const csv = [
    'Nome;Telefone;E-mail;CPF;Data de Nascimento;CEP;UF;Cidade;Endereço;Tags;Coluna Estranha',
    `José Araújo;(11) 98888-0001;jose@exemplo.com;${cpfs[0]};05/03/1985;01310-100;SP;São Paulo;Av. Paulista, 1000;vip, botox;x`,
    `Conceição Brandão;11 3222-0002;;;;;;;;;`,
    `Cpf Errado;11 98888-0003;;123.456.789-00;;;;;;;`,
    `Fone Errado;12345;;;;;;;;;`,
    `Email Errado;11 98888-0005;conceicao@;;;;;;;;`,
    `Data Errada;11 98888-0006;;;31/02/1990;;;;;;`,
    `Cep Errado;11 98888-0007;;;;1234;XX;Lugar;Rua;;`,
    `;11 98888-0008;;;;;;;;;`,
    `Repete Cpf;11 98888-0009;;${cpfs[0]};;;;;;;`,
    `Repete Fone;(11) 98888-0001;;;;;;;;;`,
    `Já No Banco;11 98888-0011;;${cpfs[2900]};;;;;;;`,
    `Fone No Banco;+55 11 97000-0001;;;;;;;;;`,
    `Endereço Incompleto;11 98888-0013;;;;;SP;;;;`,
  ].join('\r\n');

  const expectReport = (report: any, opts: { preview: boolean }) => {
    expect(report).toMatchObject({ format: 'csv', totalRows: 13, valid: 3, invalid: 6, duplicates: 4 });
    const byRow = new Map<number, any>(report.rows.map((r: any) => [r.row, r]));
    const reason = (row: number) => byRow.get(row)?.errors.join(' ');
    expect(byRow.get(4)).toMatchObject({ status: 'invalid' });
    expect(reason(4)).toMatch(/CPF inválido: “123\.456\.789-00”/);
    expect(reason(5)).toMatch(/Telefone inválido: “12345”/);
    expect(reason(6)).toMatch(/E-mail inválido: “conceicao@”/);
    expect(reason(7)).toMatch(/Data de nascimento inexistente/);
    expect(reason(8)).toMatch(/CEP inválido.*UF inválida|UF inválida.*CEP inválido/);
    expect(reason(9)).toBe('Nome é obrigatório.');
    expect(byRow.get(10)).toMatchObject({ status: 'duplicate', errors: ['CPF repetido: igual ao da linha 2.'] });
    expect(byRow.get(11)).toMatchObject({ status: 'duplicate', errors: ['Telefone (11) 98888-0001 repetido: igual ao da linha 2.'] });
    expect(byRow.get(12)).toMatchObject({ status: 'duplicate', errors: ['CPF já cadastrado para Já Cadastrada.'] });
    expect(byRow.get(13)).toMatchObject({ status: 'duplicate', errors: ['Telefone (11) 97000-0001 já cadastrado para Já Cadastrada.'] });
    if (opts.preview) {
      expect(byRow.get(2)).toMatchObject({
        status: 'ok', errors: [],
        data: {
          name: 'José Araújo', email: 'jose@exemplo.com', birthDate: '1985-03-05', tags: ['vip', 'botox'], cpfMasked: expect.stringMatching(/^\*\*\*\./),
          phones: [{ number: '+5511988880001', kind: 'celular', isPrimary: true, formatted: '(11) 98888-0001' }],
          address: { street: 'Av. Paulista, 1000', city: 'São Paulo', state: 'SP', postalCode: '01310100' },
        },
      });
      expect(byRow.get(3).data.phones[0]).toMatchObject({ number: '+551132220002', kind: 'residencial' });
      expect(byRow.get(14)).toMatchObject({ status: 'ok', warnings: [expect.stringMatching(/Endereço incompleto \(falta endereço, cidade\)/)] });
      expect(report.rows).toHaveLength(13);
    } else {
      expect(report.rows.map((r: any) => r.row)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    }
    expect(report.columns).toEqual([
      { header: 'Nome', field: 'name' }, { header: 'Telefone', field: 'phone' }, { header: 'E-mail', field: 'email' }, { header: 'CPF', field: 'cpf' },
      { header: 'Data de Nascimento', field: 'birthDate' }, { header: 'CEP', field: 'postalCode' }, { header: 'UF', field: 'state' },
      { header: 'Cidade', field: 'city' }, { header: 'Endereço', field: 'street' }, { header: 'Tags', field: 'tags' }, { header: 'Coluna Estranha', field: null },
    ]);
    // The CPF digits never come back.
    expect(JSON.stringify(report)).not.toContain(cpfs[0]);
  };

  it('preview: reports each row with its line number and pt-BR reasons, writes nothing', async () => {
    const before = await count();
    const res = await ctx.as.staff.upload('/api/patients/import/preview', { name: 'pacientes.csv', bytes: latin1(csv) });
    expect(res.status).toBe(200);
    const report = anyJson(await res.json());
    expectReport(report, { preview: true });
    expect(report.imported).toBe(0);
    expect(await count()).toBe(before);
  });

  it('import without skipInvalid: refused with 422 and the report, nothing written', async () => {
    const before = await count();
    const res = await ctx.as.staff.upload('/api/patients/import', { name: 'pacientes.csv', bytes: latin1(csv) });
    expect(res.status).toBe(422);
    const body = anyJson(await res.json());
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.message).toMatch(/Nada foi importado: 6 linha\(s\) com erro/);
    expectReport(body.report, { preview: false });
    expect(await count()).toBe(before);
    expect(await importAudits()).toHaveLength(0);
  });

  it('import with skipInvalid=true: writes the valid rows only (phones, address, encrypted CPF), audited once', async () => {
    const before = await count();
    const res = await ctx.as.staff.upload('/api/patients/import?skipInvalid=true', { name: 'pacientes.csv', bytes: latin1(csv) });
    expect(res.status).toBe(200);
    const report = anyJson(await res.json());
    expectReport(report, { preview: false });
    expect(report.imported).toBe(3);
    expect(await count()).toBe(before + 3);
    const found = await ctx.as.staff.get('/api/patients?q=jose%20araujo');
    expect(found.body.items).toHaveLength(1);
    const jose = (await ctx.as.staff.get(`/api/patients/${found.body.items[0].id}`)).body;
    expect(jose).toMatchObject({ name: 'José Araújo', birthDate: '1985-03-05', tags: ['vip', 'botox'], whatsapp: '+5511988880001', source: 'importacao', status: 'ativo' });
    expect(jose.addresses).toEqual([expect.objectContaining({ street: 'Av. Paulista, 1000', city: 'São Paulo', postalCode: '01310100', isPrimary: true })]);
    expect((await ctx.as.staff.get(`/api/patients?cpf=${cpfs[0]}`)).body.items).toHaveLength(1);
    expect((await ctx.as.staff.get('/api/patients?q=conceicao%20brandao')).body.items[0].phone).toBe('+551132220002');
    const audits = await importAudits();
    expect(audits).toHaveLength(1);
    expect(audits[0].after).toMatchObject({ fileName: 'pacientes.csv', totalRows: 13, imported: 3, invalid: 6, duplicates: 4, skipInvalid: true });
    // Importing the same file again: every valid row is now a duplicate.
    const again = anyJson(await (await ctx.as.staff.upload('/api/patients/import?skipInvalid=true', { name: 'pacientes.csv', bytes: latin1(csv) })).json());
    expect(again).toMatchObject({ imported: 0, duplicates: 7, invalid: 6 });
    expect(await count()).toBe(before + 3);
  });
});

describe('formats', () => {
  it('reads comma-separated UTF-8 with BOM, quoted commas and line breaks, and several phone columns', async () => {
    const csv = '\uFEFFnome,celular,telefone_comercial,email,observacoes\n' +
      '"Silva, Ana Beatriz",(21) 99111-0001,(21) 3111-0001,ANA@EXEMPLO.COM,"Alergia a látex,\nconfirmar antes"\n\n' +
      'Bruno Magalhães,21 99111-0002 / 21 3111-0002,,,\n';
    const res = await ctx.as.staff.upload('/api/patients/import', { name: 'export.csv', bytes: csv });
    expect(res.status).toBe(200);
    const report = anyJson(await res.json());
    expect(report).toMatchObject({ totalRows: 2, valid: 2, imported: 2, invalid: 0 });
    const ana = (await ctx.as.staff.get('/api/patients?email=ana@exemplo.com')).body.items[0];
    const full = (await ctx.as.staff.get(`/api/patients/${ana.id}`)).body;
    expect(full.name).toBe('Silva, Ana Beatriz');
    expect(full.notes).toBe('Alergia a látex,\nconfirmar antes');
    expect(full.phones.map((p: any) => [p.number, p.kind, p.isPrimary])).toEqual([['+5521991110001', 'celular', true], ['+552131110001', 'comercial', false]]);
    const bruno = (await ctx.as.staff.get('/api/patients?q=213111-0002')).body.items[0];
    expect(bruno?.name).toBe('Bruno Magalhães');
  });

  it('reads XLSX (numbers that lost leading zeros, real dates, links, formulas)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Pacientes');
    ws.addRow(['Nome', 'Celular', 'CPF', 'Data de nascimento', 'E-mail', 'CEP', 'Estado', 'Cidade', 'Logradouro', 'Sexo']);
    const zeroCpf = cpfs.find((c) => c.startsWith('0'))!;
    ws.addRow(['Fernanda Lima', 11991230001, Number(zeroCpf), new Date(Date.UTC(1990, 6, 15)), { text: 'fernanda@exemplo.com', hyperlink: 'mailto:fernanda@exemplo.com' }, 1310100, 'São Paulo', 'São Paulo', 'Rua Haddock Lobo', 'feminino']);
    ws.addRow([{ richText: [{ text: 'Gabriel ' }, { text: 'Nascimento' }] }, '(31) 99123-0002', '', '12/12/2000', '', '', 'MG', 'Belo Horizonte', 'Rua da Bahia', 'M']);
    ws.addRow(['Linha Ruim', '(31) 0000', '', 'ontem', '', '', '', '', '', 'talvez']);
    ws.addRow([{ formula: 'CONCATENATE("Júlia"," Ribeiro")', result: 'Júlia Ribeiro' }, '(41) 99123-0003', '', '', '', '', '', '', '', '']);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());

    const preview = anyJson(await (await ctx.as.staff.upload('/api/patients/import/preview', { name: 'pacientes.xlsx', bytes, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })).json());
    expect(preview).toMatchObject({ format: 'xlsx', totalRows: 4, valid: 3, invalid: 1 });
    const bad = preview.rows.find((r: any) => r.row === 4);
    expect(bad.errors).toEqual([
      'Data de nascimento inválida: “ontem” (use dd/mm/aaaa).',
      'Gênero inválido: “talvez” (use M, F ou Outro).',
      'Telefone inválido: “(31) 0000” (use DDD + número, ex. (11) 98765-4321).',
    ]);
    expect(preview.rows[0].data).toMatchObject({
      name: 'Fernanda Lima', birthDate: '1990-07-15', email: 'fernanda@exemplo.com', gender: 'F',
      phones: [expect.objectContaining({ number: '+5511991230001' })], address: { state: 'SP', postalCode: '01310100', city: 'São Paulo' },
    });
    expect(preview.rows[1].data.name).toBe('Gabriel Nascimento');
    expect(preview.rows[3].data.name).toBe('Júlia Ribeiro');

    const res = await ctx.as.staff.upload('/api/patients/import?skipInvalid=1', { name: 'pacientes.xlsx', bytes });
    expect(res.status).toBe(200);
    expect(anyJson(await res.json()).imported).toBe(3);
    expect((await ctx.as.staff.get(`/api/patients?cpf=${zeroCpf}`)).body.items[0].name).toBe('Fernanda Lima');
  });

  it.each([
    ['an empty file', { name: 'vazio.csv', bytes: '' }, /vazio/],
    ['only a header', { name: 'so-cabecalho.csv', bytes: 'nome;telefone\n' }, /não tem linhas/],
    ['no name column', { name: 'sem-nome.csv', bytes: 'telefone;email\n11987654321;a@b.com\n' }, /coluna com o nome/],
    ['an old .xls', { name: 'antigo.xls', bytes: new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]) }, /\.xls/],
    ['a broken .xlsx', { name: 'quebrado.xlsx', bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]) }, /corrompido/],
    ['a binary file', { name: 'foto.csv', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]) }, /não parece/],
  ])('refuses %s with a 400 pt-BR message', async (_label, file, message) => {
    const res = await ctx.as.staff.upload('/api/patients/import/preview', file as any);
    expect(res.status).toBe(400);
    expect(anyJson(await res.json()).error.message).toMatch(message);
  });

  it('refuses a request without the file field, a file over 10 MB (413), and the view role', async () => {
    const form = new FormData();
    form.append('arquivo', 'x');
    const noSession = await ctx.t.app.request('/api/patients/import/preview', { method: 'POST', headers: bearer('x'), body: form });
    expect(noSession.status).toBe(401);
    const staffToken = await login(ctx.t.app, ctx.a.members.staff.email);
    const missing = await ctx.t.app.request('/api/patients/import/preview', { method: 'POST', headers: bearer(staffToken), body: form });
    expect(missing.status).toBe(400);
    expect(anyJson(await missing.json()).error.fields.file[0]).toMatch(/campo "file"/);

    const big = 'nome\n' + 'x'.repeat(11 * 1024 * 1024);
    const tooBig = await ctx.as.staff.upload('/api/patients/import', { name: 'grande.csv', bytes: big });
    expect(tooBig.status).toBe(413);
    expect(anyJson(await tooBig.json()).error).toMatchObject({ code: 'payload_too_large', message: expect.stringMatching(/10 MB/) });
    // A 2 MB file is fine here, while other routes keep their 1 MB limit.
    const twoMb = 'nome\n' + Array.from({ length: 40_000 }, (_, i) => `Paciente Grande ${String(i).padStart(5, '0')} ${'x'.repeat(30)}`).join('\n');
    expect(twoMb.length).toBeGreaterThan(2 * 1024 * 1024);
    const ok = await ctx.as.staff.upload('/api/patients/import/preview', { name: 'medio.csv', bytes: twoMb });
    expect(ok.status).toBe(200);
    expect(anyJson(await ok.json())).toMatchObject({ totalRows: 40_000, valid: 40_000, rowsTruncated: true });
    const bigJson = await ctx.as.staff.post('/api/patients', { name: 'x'.repeat(2 * 1024 * 1024) });
    expect(bigJson.status).toBe(413);

    const view = await ctx.as.view.upload('/api/patients/import', { name: 'p.csv', bytes: 'nome\nAna Souza\n' });
    expect(view.status).toBe(403);
  });
});

describe('all or nothing, and progress', () => {
  const poison = async () => {
    // An injected failure inside the write: the last row of the file makes PostgreSQL raise.
    await ctx.tdb.db.execute(sql`create or replace function test_fail_import() returns trigger language plpgsql as $$
      begin if new.city = 'Falhópolis' then raise exception 'falha injetada'; end if; return new; end $$`);
    await ctx.tdb.db.execute(sql`drop trigger if exists test_fail_import on patient_addresses`);
    await ctx.tdb.db.execute(sql`create trigger test_fail_import before insert on patient_addresses for each row execute function test_fail_import()`);
  };

  it('writes nothing when the write fails after hundreds of rows went in (JSON)', async () => {
    await poison();
    const before = await count();
    const phonesBefore = (await ctx.tdb.db.select({ n: sql<number>`count(*)::int` }).from(patientPhones))[0].n;
    const auditsBefore = (await importAudits()).length;
    const res = await ctx.as.staff.upload('/api/patients/import', { name: 'lote.csv', bytes: bigCsv(1200, { lastCity: 'Falhópolis' }) });
    expect(res.status).toBe(500);
    expect(anyJson(await res.json()).error.message).toMatch(/A importação falhou e nada foi gravado/);
    expect(await count()).toBe(before);
    expect((await ctx.tdb.db.select({ n: sql<number>`count(*)::int` }).from(patientPhones))[0].n).toBe(phonesBefore);
    expect(await importAudits()).toHaveLength(auditsBefore);
  });

  it('streams progress then an error event, and writes nothing (SSE)', async () => {
    const before = await count();
    const res = await ctx.as.staff.upload('/api/patients/import', { name: 'lote.csv', bytes: bigCsv(1200, { lastCity: 'Falhópolis' }) }, { accept: 'text/event-stream' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = sseEvents(await res.text());
    expect(events.filter((e) => e.event === 'progress' && e.data.phase === 'writing').map((e) => e.data.processed)).toEqual([500, 1000]);
    expect(events.at(-1)).toMatchObject({ event: 'error', data: { error: { code: 'internal_error', message: expect.stringMatching(/nada foi gravado/) } } });
    expect(await count()).toBe(before);
  });

  it('streams progress events for a large file, then done with the report', async () => {
    await ctx.tdb.db.execute(sql`drop trigger if exists test_fail_import on patient_addresses`);
    const before = await count();
    const res = await ctx.as.staff.upload('/api/patients/import', { name: 'lote.csv', bytes: bigCsv(1200) }, { accept: 'text/event-stream' });
    expect(res.status).toBe(200);
    const events = sseEvents(await res.text());
    expect(events.map((e) => [e.event, e.data.phase, e.data.processed, e.data.total]).slice(0, -1)).toEqual([
      ['progress', 'checking', 0, 1200], ['progress', 'checking', 1200, 1200],
      ['progress', 'writing', 500, 1200], ['progress', 'writing', 1000, 1200], ['progress', 'writing', 1200, 1200],
    ]);
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    expect(done.data.report).toMatchObject({ totalRows: 1200, imported: 1200, invalid: 0, duplicates: 0, rows: [] });
    expect(await count()).toBe(before + 1200);
    const addresses = await ctx.tdb.db.select({ n: sql<number>`count(*)::int` }).from(patientAddresses).where(eq(patientAddresses.city, 'Campinas'));
    expect(addresses[0].n).toBe(1200);
  });

  it('streams the refusal as an error event with the report when rows are invalid', async () => {
    const csv = 'nome,celular\nAna Válida,11 98000-1111\nSem Fone,123\n';
    const res = await ctx.as.staff.upload('/api/patients/import', { name: 'p.csv', bytes: csv }, { accept: 'text/event-stream' });
    const events = sseEvents(await res.text());
    expect(events.at(-1)).toMatchObject({ event: 'error', data: { error: { code: 'validation_failed' }, report: { invalid: 1, imported: 0 } } });
    expect((await ctx.as.staff.get('/api/patients?q=ana%20valida')).body.items).toEqual([]);
  });
});
