// Exports of the dashboard's lists (issue #13): patients, appointments, payments, conversations and NPS
// answers, as Excel (typed cells, R$ format, dates, frozen header) or CSV for pt-BR Excel, streamed in
// batches as they are read (services/exports). They carry patients' personal data: staff and admins
// only (api/auth/middleware.ts requiredRole), and every export — and every refused one — is audited.
import { Readable } from 'node:stream';
import { createRoute, z } from '@hono/zod-openapi';
import { resolvePeriod } from '../../services/catalog/period';
import { clinicScheduling } from '../../services/catalog/settings';
import { ApiError } from '../../services/errors';
import { EXPORT_LISTS, LIST_STATUSES, listTable, type ExportList } from '../../services/exports/lists';
import { csvChunks, xlsxStream } from '../../services/exports/table';
import { localDate } from '../../domain/timezone';
import type { ApiDeps } from '../context';
import { recordAudit } from '../audit';
import { IsoDay } from '../catalog/common';
import { bearer, errorResponses, router } from '../openapi';

const tags = ['Exportações'];
const ListParam = z.object({
  list: z.enum(EXPORT_LISTS, { message: `Lista desconhecida: use ${EXPORT_LISTS.join(', ')}.` }).openapi({ param: { name: 'list', in: 'path' }, example: 'pagamentos' }),
});
const ExportQuery = z.strictObject({
  format: z.enum(['xlsx', 'csv'], { message: 'Formato: xlsx ou csv.' }).default('xlsx'),
  from: IsoDay.optional().openapi({ description: 'Primeiro dia (AAAA-MM-DD, no fuso da clínica) da data da lista: cadastro, atendimento, cobrança, última mensagem, envio.' }),
  to: IsoDay.optional(),
  status: z.string().max(40).optional().openapi({ description: 'Situação, conforme a lista (ex.: aprovado, realizado, aberta).' }),
});

async function* utf8(chunks: AsyncIterable<string>): AsyncGenerator<Buffer> {
  for await (const c of chunks) yield Buffer.from(c, 'utf8');
}

const FILE_NAMES: Record<ExportList, string> = { pacientes: 'pacientes', agendamentos: 'agendamentos', pagamentos: 'pagamentos', conversas: 'conversas', nps: 'pesquisas-nps' };

export function exportRoutes(deps: ApiDeps) {
  return router().openapi(createRoute({
    method: 'get', path: '/{list}', tags, security: bearer,
    summary: 'Exportar uma lista (pacientes, agendamentos, pagamentos, conversas, NPS) em Excel ou CSV',
    description: 'Só equipe e administradores (dados pessoais de pacientes); cada exportação fica no registro de auditoria. '
      + 'O arquivo é transmitido enquanto é lido (listas longas não esperam o fim para começar).',
    request: { params: ListParam, query: ExportQuery },
    responses: {
      200: {
        description: 'O arquivo',
        content: {
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) },
          'text/csv': { schema: z.string() },
        },
      },
      ...errorResponses(400, 401, 403),
    },
  }), async (c) => {
    const { list } = c.req.valid('param');
    const q = c.req.valid('query');
    const auth = c.get('auth');
    if (q.status && !LIST_STATUSES[list].includes(q.status)) {
      throw new ApiError(400, 'validation_failed', `Situação inválida para ${list}: use ${LIST_STATUSES[list].join(', ')}.`, { status: ['Situação inválida.'] });
    }
    const { timeZone, period } = await c.get('tenant')(async (tx) => {
      const tz = (await clinicScheduling(tx, auth.clinicId))?.timezone ?? 'America/Sao_Paulo';
      const p = q.from || q.to ? await resolvePeriod(tx, auth.clinicId, { from: q.from ?? q.to, to: q.to ?? localDate(deps.now(), tz) }, deps.now()) : null;
      await recordAudit(tx, c, { action: 'export', entity: 'export', entityId: list, after: { format: q.format, from: p?.fromDay ?? null, to: p?.toDay ?? null, status: q.status ?? null } });
      return { timeZone: tz, period: p };
    });
    const table = listTable(list, auth.clinicId, c.get('tenant'), { ...(period ? { from: period.from, to: period.to } : {}), ...(q.status ? { status: q.status } : {}) });
    const day = localDate(deps.now(), timeZone);
    const name = `${FILE_NAMES[list]}-${day}.${q.format}`;
    const body = q.format === 'csv' ? Readable.from(utf8(csvChunks(table, { timeZone }))) : xlsxStream([table], { timeZone });
    const log = c.get('log');
    body.once('error', (err) => log.error({ err, list }, 'export stream failed'));
    return new Response(Readable.toWeb(body) as ReadableStream, {
      status: 200,
      headers: {
        'content-type': q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': `attachment; filename="${name}"`,
        'cache-control': 'no-store',
      },
    }) as never;
  });
}
