// Patients: search and list, create, read (with the full timeline), edit, soft delete, CSV/XLSX import.
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, isNull } from 'drizzle-orm';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import type { Context, MiddlewareHandler } from 'hono';
import { secrets } from '../../config/env';
import { protectCpf, cpfLookupHash } from '../../db/crypto';
import { patientClassification, patients, patientStatus } from '../../db/schema';
import { CLASSIFICATION_THRESHOLDS, classificationRule, VISIT_WINDOW_MONTHS } from '../../domain/classification';
import { isValidCpf, normalizeCpf } from '../../domain/cpf';
import { normalizePhone } from '../../domain/phone';
import type { ApiDeps, AppEnv } from '../context';
import { ApiError, errors, type ErrorBody } from '../../services/errors';
import { recordAudit } from '../audit';
import { bearer, ErrorSchema, errorResponses, router } from '../openapi';
import {
  CPF_MESSAGE, NewPatient, Patient, PatientPage, PatientUpdate, PHONE_MESSAGE,
} from '../../services/patients/schemas';
import {
  assertNoDuplicates, assertProcedureExists, auditSnapshot, defaultWhatsapp, loadListItems, loadPatient, patientValues,
  planAddresses, planPhones, replaceAddresses, replacePhones,
} from '../../services/patients/records';
import { decodeCursor, findPatientIds, interpretQuery, nameTerms, SORTS, type Order, type PatientSearch, type Sort } from '../../services/patients/search';
import { decodeTimelineCursor, loadTimeline, TIMELINE_TYPES, TimelinePage } from '../../services/patients/timeline';
import {
  buildReport, checkRows, ImportReport, mapColumns, markDuplicates, MAX_IMPORT_BYTES, readSheet, writeRows, type ImportReportOut,
} from '../../services/patients/import';

const Id = z.object({ id: z.uuid({ message: 'Identificador de paciente inválido.' }) });

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use o formato AAAA-MM-DD.').refine((d) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
}, 'Data inválida.');

/** A query parameter given once, repeated, or comma-separated → a list. */
const listParam = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z.union([z.string(), z.array(z.string())]).optional()
    .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)))
    .pipe(z.array(z.enum(values, { message })).max(values.length * 2));

const ListQuery = z
  .strictObject({
    q: z.string().max(200, 'Busca muito longa.').optional().openapi({ description: 'Nome (sem acentos, parcial), telefone em qualquer formato, CPF ou e-mail' }),
    name: z.string().max(200, 'Nome muito longo.').optional(),
    phone: z.string().max(40).optional().transform((v, ctx) => {
      if (v === undefined || !v.trim()) return undefined;
      const n = normalizePhone(v);
      if (!n) { ctx.addIssue({ code: 'custom', message: PHONE_MESSAGE }); return z.NEVER; }
      return n;
    }),
    cpf: z.string().max(20).optional().transform((v, ctx) => {
      if (v === undefined || !v.trim()) return undefined;
      if (!isValidCpf(v)) { ctx.addIssue({ code: 'custom', message: CPF_MESSAGE }); return z.NEVER; }
      return normalizeCpf(v)!;
    }),
    email: z.string().trim().toLowerCase().max(254).optional(),
    tag: z.union([z.string(), z.array(z.string())]).optional()
      .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)))
      .pipe(z.array(z.string().max(40)).max(10, 'No máximo 10 etiquetas.'))
      .openapi({ description: 'Etiqueta(s): todas precisam estar no paciente; separe por vírgula' }),
    classification: listParam(patientClassification.enumValues, 'Classificação deve ser ouro, prata, bronze ou novo.'),
    status: listParam(patientStatus.enumValues, 'Status deve ser ativo, inativo ou bloqueado.'),
    lastVisitFrom: isoDate.optional().openapi({ description: 'Última visita (realizada) a partir deste dia, no fuso da clínica' }),
    lastVisitTo: isoDate.optional().openapi({ description: 'Última visita (realizada) até este dia, inclusive' }),
    sort: z.enum(SORTS, { message: 'Ordenação deve ser name, lastVisit ou createdAt.' }).optional()
      .openapi({ description: 'Padrão: name quando há busca por nome, senão createdAt. name: nome sem acentos, em minúsculas, em ordem de código (espaço antes das letras)' }),
    order: z.enum(['asc', 'desc'], { message: 'Ordem deve ser asc ou desc.' }).optional()
      .openapi({ description: 'Padrão: asc para name; desc para createdAt e lastVisit' }),
    limit: z.coerce.number({ message: 'Limite inválido.' }).int('Limite inválido.').min(1, 'Limite mínimo: 1.').max(100, 'Limite máximo: 100.').default(25),
    cursor: z.string().max(1000).optional(),
  })
  .refine((q) => !q.lastVisitFrom || !q.lastVisitTo || q.lastVisitFrom <= q.lastVisitTo, {
    message: 'A data inicial da última visita deve ser anterior à final.', path: ['lastVisitTo'],
  });

const ClassificationRule = z
  .object({
    rule: z.string(),
    windowMonths: z.number().int(),
    thresholds: z.object({
      ouro: z.object({ minSpentCents: z.number().int(), minVisits: z.number().int() }),
      prata: z.object({ minSpentCents: z.number().int(), minVisits: z.number().int() }),
      bronze: z.object({ minSpentCents: z.number().int(), minVisits: z.number().int() }),
    }),
  })
  .openapi('PatientClassificationRule');

const ImportUpload = z.object({
  file: z.instanceof(File, { message: 'Envie o arquivo (CSV ou XLSX) no campo "file".' }).openapi({ type: 'string', format: 'binary' }),
});
const ImportRefused = z.object({ error: ErrorSchema.shape.error, report: ImportReport }).openapi('PatientImportRefused');

const tooLarge = () => new ApiError(413, 'payload_too_large', 'O arquivo excede o limite de 10 MB. Divida a planilha em partes menores.');
const importBodyLimit: MiddlewareHandler<AppEnv> = bodyLimit({ maxSize: MAX_IMPORT_BYTES + 64 * 1024, onError: () => { throw tooLarge(); } });

const truthy = (v: string | undefined) => v === '1' || v === 'true';

/** Refused import: invalid rows and skipInvalid=false. Carries the report for the 422 answer. */
class ImportBlocked extends Error {
  constructor(readonly report: ImportReportOut) { super('import blocked'); }
}

export function patientRoutes(deps: ApiDeps) {
  const { dataKey } = secrets(deps.env);

  const parseUpload = async (c: Context<AppEnv>, file: File) => {
    if (file.size > MAX_IMPORT_BYTES) throw tooLarge();
    const sheet = await readSheet(new Uint8Array(await file.arrayBuffer()), file.name);
    const columns = mapColumns(sheet.headers);
    if (!columns.some((col) => col.field === 'name')) {
      throw new ApiError(400, 'validation_failed', 'A planilha precisa de uma coluna com o nome do paciente (cabeçalho "nome").', {
        file: [`Colunas encontradas: ${sheet.headers.filter(Boolean).join(', ') || '(nenhuma)'}.`],
      });
    }
    const rows = checkRows(sheet, columns, deps.now().toISOString().slice(0, 10));
    c.get('log').info({ rows: rows.length, format: sheet.kind }, 'patient import parsed');
    return { sheet, columns, rows, fileName: file.name || (sheet.kind === 'xlsx' ? 'planilha.xlsx' : 'pacientes.csv') };
  };

  /** Duplicates, the all-or-nothing write and the audit entry, in one tenant transaction. */
  const runImport = async (
    c: Context<AppEnv>, parsed: Awaited<ReturnType<typeof parseUpload>>, skipInvalid: boolean,
    progress: (p: { phase: 'checking' | 'writing'; processed: number; total: number }) => Promise<void> | void,
  ): Promise<ImportReportOut> => {
    const { sheet, columns, rows, fileName } = parsed;
    const clinicId = c.get('auth').clinicId;
    return c.get('tenant')(async (tx) => {
      await progress({ phase: 'checking', processed: 0, total: rows.length });
      await markDuplicates(tx, dataKey, rows);
      await progress({ phase: 'checking', processed: rows.length, total: rows.length });
      const invalid = rows.filter((r) => r.status === 'invalid').length;
      if (invalid && !skipInvalid) throw new ImportBlocked(buildReport(sheet, fileName, columns, rows, { imported: 0, onlyProblems: true }));
      const imported = await writeRows(tx, clinicId, dataKey, rows, (processed, total) => progress({ phase: 'writing', processed, total }));
      const report = buildReport(sheet, fileName, columns, rows, { imported, onlyProblems: true });
      const { rows: _rows, columns: _columns, ...counts } = report;
      await recordAudit(tx, c, { action: 'import', entity: 'patient', after: { ...counts, skipInvalid } });
      return report;
    });
  };

  const refusedBody = (report: ImportReportOut) => ({
    error: {
      code: 'validation_failed' as const,
      message: `Nada foi importado: ${report.invalid} linha(s) com erro. Corrija o arquivo ou importe só as linhas válidas (skipInvalid=true).`,
    },
    report,
  });
  const failedBody = (c: Context<AppEnv>, err: unknown): ErrorBody => {
    if (err instanceof ApiError) return err.body();
    const code = (err as { code?: string; cause?: { code?: string } })?.cause?.code ?? (err as { code?: string })?.code;
    if (code === '23505') return { error: { code: 'conflict', message: 'Outro cadastro com o mesmo CPF ou telefone foi feito durante a importação. Nada foi gravado; tente de novo.' } };
    c.get('log').error({ err }, 'patient import failed');
    return { error: { code: 'internal_error', message: 'A importação falhou e nada foi gravado. Tente novamente; se persistir, informe o código da requisição.' } };
  };

  const uniqueCpf = (err: unknown) => {
    const e = (err as { cause?: { code?: string; constraint_name?: string } })?.cause ?? (err as { code?: string; constraint_name?: string });
    if (e?.code === '23505' && e.constraint_name === 'patients_clinic_cpf_hash_unique') {
      throw new ApiError(409, 'conflict', 'Já existe um paciente com este CPF.', { cpf: ['CPF já cadastrado para outro paciente.'] });
    }
    throw err;
  };

  const checkBirthDate = (birthDate: string | null | undefined) => {
    if (birthDate && birthDate > deps.now().toISOString().slice(0, 10)) {
      throw new ApiError(400, 'validation_failed', 'Dados inválidos: verifique os campos destacados.', { birthDate: ['A data de nascimento não pode estar no futuro.'] });
    }
  };

  return router()
    .openapi(
      createRoute({
        method: 'get', path: '/classification-rule', tags: ['Pacientes'], summary: 'Regra de classificação (ouro, prata, bronze, novo)', security: bearer,
        responses: { 200: { description: 'Regra', content: { 'application/json': { schema: ClassificationRule } } }, ...errorResponses(401) },
      }),
      (c) => c.json({ rule: classificationRule, windowMonths: VISIT_WINDOW_MONTHS, thresholds: CLASSIFICATION_THRESHOLDS }, 200),
    )
    .openapi(
      createRoute({
        method: 'get', path: '/', tags: ['Pacientes'], security: bearer,
        summary: 'Buscar e listar pacientes (filtros, ordenação, paginação por cursor)',
        description: 'q reconhece e-mail (com @), telefone ou CPF (dígitos) ou nome (sem diferenciar acentos e maiúsculas, parcial). O CPF vem mascarado. ' +
          'Busca por nome ordenada por nome: primeiro os nomes que começam com a primeira palavra digitada, depois os que apenas a contêm, cada grupo em ordem alfabética (sem acentos); o cursor segue essa mesma ordem.',
        request: { query: ListQuery },
        responses: { 200: { description: 'Uma página', content: { 'application/json': { schema: PatientPage } } }, ...errorResponses(400, 401) },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const fromQ = interpretQuery(q.q ?? '', dataKey);
        const terms = [...fromQ.nameTerms, ...nameTerms(q.name ?? '')];
        const sort: Sort = q.sort ?? (terms.length ? 'name' : 'createdAt');
        const order: Order = q.order ?? (sort === 'name' ? 'asc' : 'desc');
        const spec: PatientSearch = {
          clinicId: c.get('auth').clinicId,
          nameTerms: terms,
          qMatch: fromQ.digits,
          phone: q.phone ?? null,
          cpfHash: q.cpf ? cpfLookupHash(dataKey, q.cpf) : null,
          email: q.email || fromQ.email || null,
          tags: q.tag,
          classifications: q.classification,
          statuses: q.status,
          lastVisitFrom: q.lastVisitFrom ?? null,
          lastVisitTo: q.lastVisitTo ?? null,
          sort, order, limit: q.limit,
          cursor: q.cursor ? decodeCursor(q.cursor, sort, order) : null,
        };
        // The tenant transaction opens (BEGIN, set_config) while the id query runs: two round trips
        // fewer on the request's path. The ids are awaited inside; a failure of either rolls back.
        const found = findPatientIds(deps.db, spec);
        found.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
        const page = await c.get('tenant')(async (tx) => {
          const { ids, nextCursor } = await found;
          return { items: await loadListItems(tx, dataKey, ids), nextCursor };
        });
        return c.json(page, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/', tags: ['Pacientes'], summary: 'Cadastrar paciente', security: bearer,
        request: { body: { content: { 'application/json': { schema: NewPatient } }, required: true } },
        responses: { 201: { description: 'Paciente cadastrado', content: { 'application/json': { schema: Patient } } }, ...errorResponses(400, 401, 403, 409) },
      }),
      async (c) => {
        const body = c.req.valid('json');
        checkBirthDate(body.birthDate);
        const phones = planPhones(body.phones ?? []);
        const addresses = planAddresses(body.addresses ?? []);
        const cpf = body.cpf ? protectCpf(dataKey, body.cpf) : null;
        const clinicId = c.get('auth').clinicId;
        const patient = await c.get('tenant')(async (tx) => {
          await assertProcedureExists(tx, body.favoriteProcedureId);
          await assertNoDuplicates(tx, { cpfHash: cpf?.cpfHash, phones: phones.map((p) => p.number) });
          const [row] = await tx.insert(patients).values(patientValues(body, clinicId, cpf, phones)).returning({ id: patients.id }).catch(uniqueCpf);
          await replacePhones(tx, clinicId, row.id, phones);
          await replaceAddresses(tx, clinicId, row.id, addresses);
          const created = (await loadPatient(tx, dataKey, row.id, deps.now()))!;
          await recordAudit(tx, c, { action: 'create', entity: 'patient', entityId: row.id, after: auditSnapshot(created) });
          return created;
        });
        return c.json(patient, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/import/preview', tags: ['Pacientes'], security: bearer,
        summary: 'Pré-visualizar importação de CSV/XLSX (não grava nada)',
        description: 'Colunas reconhecidas: nome, telefone, celular, telefone_comercial, telefone_residencial, email, cpf, data_nascimento (dd/mm/aaaa), sexo, status, tags, observacoes, origem, cep, uf, cidade, endereco, numero, complemento, bairro. CSV com ; ou , em UTF-8 ou Latin-1. Até 10 MB.',
        middleware: [importBodyLimit] as const,
        request: { body: { content: { 'multipart/form-data': { schema: ImportUpload } }, required: true } },
        responses: { 200: { description: 'Relatório por linha (as 500 primeiras)', content: { 'application/json': { schema: ImportReport } } }, ...errorResponses(400, 401, 403, 413) },
      }),
      async (c) => {
        const parsed = await parseUpload(c, c.req.valid('form').file);
        await c.get('tenant')((tx) => markDuplicates(tx, dataKey, parsed.rows));
        return c.json(buildReport(parsed.sheet, parsed.fileName, parsed.columns, parsed.rows, { imported: 0, onlyProblems: false }), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/import', tags: ['Pacientes'], security: bearer,
        summary: 'Importar pacientes de CSV/XLSX (tudo ou nada)',
        description: 'Grava todas as linhas válidas numa única transação; duplicados (CPF ou telefone, no arquivo ou já cadastrados) nunca são gravados. ' +
          'Com linhas inválidas, nada é gravado (422) a menos que skipInvalid=true. Com Accept: text/event-stream, responde eventos progress {phase, processed, total}, depois done {report} ou error {error, report?}.',
        middleware: [importBodyLimit] as const,
        request: {
          query: z.strictObject({ skipInvalid: z.enum(['true', 'false', '1', '0'], { message: 'Use skipInvalid=true ou false.' }).optional() }),
          body: { content: { 'multipart/form-data': { schema: ImportUpload } }, required: true },
        },
        responses: {
          200: {
            description: 'Importado: relatório com as linhas não importadas',
            content: { 'application/json': { schema: ImportReport }, 'text/event-stream': { schema: z.string() } },
          },
          422: { description: 'Linhas inválidas: nada foi gravado', content: { 'application/json': { schema: ImportRefused } } },
          ...errorResponses(400, 401, 403, 409, 413),
        },
      }),
      async (c) => {
        const skipInvalid = truthy(c.req.valid('query').skipInvalid);
        const parsed = await parseUpload(c, c.req.valid('form').file);
        if (c.req.header('accept')?.includes('text/event-stream')) {
          return streamSSE(c, async (stream) => {
            const send = (event: string, data: unknown) => stream.writeSSE({ event, data: JSON.stringify(data) });
            try {
              const report = await runImport(c, parsed, skipInvalid, (p) => send('progress', p));
              await send('done', { report });
            } catch (err) {
              await send('error', err instanceof ImportBlocked ? refusedBody(err.report) : failedBody(c, err));
            }
          });
        }
        try {
          return c.json(await runImport(c, parsed, skipInvalid, () => {}), 200);
        } catch (err) {
          if (err instanceof ImportBlocked) return c.json(refusedBody(err.report), 422);
          if (err instanceof ApiError) throw err;
          const body = failedBody(c, err);
          return c.json(body as never, body.error.code === 'conflict' ? 409 : (500 as never));
        }
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/{id}', tags: ['Pacientes'], security: bearer,
        summary: 'Paciente completo (telefones, endereços, base da classificação)',
        description: 'O CPF vem mascarado; revealCpf=1 (equipe ou administrador) devolve o CPF completo e fica registrado na auditoria.',
        request: { params: Id, query: z.strictObject({ revealCpf: z.enum(['0', '1', 'true', 'false'], { message: 'Use revealCpf=1.' }).optional() }) },
        responses: { 200: { description: 'Paciente', content: { 'application/json': { schema: Patient } } }, ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const reveal = truthy(c.req.valid('query').revealCpf);
        if (reveal && c.get('auth').role === 'view') throw new ApiError(403, 'forbidden', 'Seu perfil não pode ver o CPF completo.');
        const patient = await c.get('tenant')(async (tx) => {
          const p = await loadPatient(tx, dataKey, id, deps.now(), { revealCpf: reveal });
          if (!p) throw errors.notFound('Paciente');
          if (reveal) await recordAudit(tx, c, { action: 'reveal', entity: 'patient', entityId: id, after: { field: 'cpf', present: p.cpf != null } });
          return p;
        });
        return c.json(patient, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'patch', path: '/{id}', tags: ['Pacientes'], security: bearer,
        summary: 'Editar paciente (telefones e endereços, quando enviados, substituem os atuais)',
        request: { params: Id, body: { content: { 'application/json': { schema: PatientUpdate } }, required: true } },
        responses: { 200: { description: 'Paciente atualizado', content: { 'application/json': { schema: Patient } } }, ...errorResponses(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const body = c.req.valid('json');
        checkBirthDate(body.birthDate);
        const phones = body.phones ? planPhones(body.phones) : undefined;
        const addresses = body.addresses ? planAddresses(body.addresses) : undefined;
        const cpf = body.cpf ? protectCpf(dataKey, body.cpf) : body.cpf === undefined ? undefined : null;
        const clinicId = c.get('auth').clinicId;
        const patient = await c.get('tenant')(async (tx) => {
          const before = await loadPatient(tx, dataKey, id, deps.now());
          if (!before) throw errors.notFound('Paciente');
          await assertProcedureExists(tx, body.favoriteProcedureId);
          await assertNoDuplicates(tx, { cpfHash: cpf?.cpfHash, phones: phones?.map((p) => p.number), excludeId: id });
          const set: Partial<typeof patients.$inferInsert> = { updatedAt: deps.now() };
          for (const key of ['name', 'email', 'birthDate', 'gender', 'status', 'tags', 'source', 'notes', 'favoriteProcedureId', 'whatsapp'] as const) {
            if (body[key] !== undefined) (set as Record<string, unknown>)[key] = body[key];
          }
          if (cpf !== undefined) Object.assign(set, cpf ?? { cpfEncrypted: null, cpfHash: null });
          if (phones) {
            set.phone = phones.find((p) => p.isPrimary)?.number ?? null;
            if (body.whatsapp === undefined && !before.whatsapp) set.whatsapp = defaultWhatsapp(phones);
            await replacePhones(tx, clinicId, id, phones);
          }
          if (addresses) await replaceAddresses(tx, clinicId, id, addresses);
          await tx.update(patients).set(set).where(and(eq(patients.id, id), isNull(patients.deletedAt))).catch(uniqueCpf);
          const after = (await loadPatient(tx, dataKey, id, deps.now()))!;
          await recordAudit(tx, c, { action: 'update', entity: 'patient', entityId: id, before: auditSnapshot(before), after: auditSnapshot(after) });
          return after;
        });
        return c.json(patient, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete', path: '/{id}', tags: ['Pacientes'], security: bearer,
        summary: 'Excluir paciente (exclusão lógica: some das listas e buscas; o histórico é mantido)',
        request: { params: Id },
        responses: { 204: { description: 'Excluído' }, ...errorResponses(400, 401, 403, 404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        await c.get('tenant')(async (tx) => {
          const before = await loadPatient(tx, dataKey, id, deps.now());
          if (!before) throw errors.notFound('Paciente');
          await tx.update(patients).set({ deletedAt: deps.now(), updatedAt: deps.now() }).where(and(eq(patients.id, id), isNull(patients.deletedAt)));
          await recordAudit(tx, c, { action: 'delete', entity: 'patient', entityId: id, before: auditSnapshot(before), after: { deletedAt: deps.now().toISOString() } });
        });
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/{id}/timeline', tags: ['Pacientes'], security: bearer,
        summary: 'Histórico do paciente: agendamentos, pagamentos, NPS e conversas (mais recentes primeiro)',
        request: {
          params: Id,
          query: z.strictObject({
            limit: z.coerce.number({ message: 'Limite inválido.' }).int('Limite inválido.').min(1, 'Limite mínimo: 1.').max(100, 'Limite máximo: 100.').default(30),
            cursor: z.string().max(500).optional(),
            types: listParam(TIMELINE_TYPES, 'Tipos: appointment, payment, nps, conversation.'),
          }),
        },
        responses: { 200: { description: 'Uma página do histórico', content: { 'application/json': { schema: TimelinePage } } }, ...errorResponses(400, 401, 404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const q = c.req.valid('query');
        const cursor = q.cursor ? decodeTimelineCursor(q.cursor) : null;
        const page = await c.get('tenant')(async (tx) => {
          const [p] = await tx.select({ id: patients.id }).from(patients).where(and(eq(patients.id, id), isNull(patients.deletedAt)));
          if (!p) throw errors.notFound('Paciente');
          return loadTimeline(tx, id, { limit: q.limit, cursor, types: q.types });
        });
        return c.json(page, 200);
      },
    );
}

