// Before/after photos of a patient (issue #11): list with short-lived view URLs, multipart upload
// (checked by its bytes, resized, EXIF-stripped: services/photos), per-photo publicity consent and its
// revocation, soft delete; and the local storage adapter's signed file URLs (/api/files/photos/{key}),
// which need no session: the signature and its expiry are the permission.
import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { MiddlewareHandler } from 'hono';
import { PHOTO_KINDS } from '../../domain/photos';
import { asLocal, type ObjectStorage } from '../../providers/storage';
import { ApiError } from '../../services/errors';
import { MAX_PHOTO_BYTES, photoErrors, photoService } from '../../services/photos';
import type { ApiDeps, AppEnv } from '../context';
import { recordAudit } from '../audit';
import { bearer, errorResponses, jsonBody, jsonResponse, router, Uuid } from '../openapi';

const tags = ['Fotos (antes/depois)'];

/** A multipart body: the photo plus its fields (a few KB). */
export const MAX_PHOTO_BODY_BYTES = MAX_PHOTO_BYTES + 256 * 1024;
const photoBodyLimit: MiddlewareHandler<AppEnv> = bodyLimit({ maxSize: MAX_PHOTO_BODY_BYTES, onError: () => { throw photoErrors.tooLarge(); } });

const Photo = z.object({
  id: z.string(), patientId: z.string(), appointmentId: z.string().nullable(), procedureId: z.string().nullable(),
  kind: z.enum(PHOTO_KINDS), contentType: z.string(), bytes: z.number(), width: z.number(), height: z.number(),
  publicityConsent: z.boolean(), identifiable: z.boolean(),
  consentAt: z.string().nullable(), consentRevokedAt: z.string().nullable(), consentSource: z.string().nullable(),
  uploadedBy: z.string().nullable(), createdAt: z.string(),
  url: z.string().openapi({ description: 'Endereço assinado para ver a foto, válido por 15 minutos' }),
}).openapi('PatientPhoto');

/** Form fields left empty by a browser are "not given". */
const blank = (v: unknown) => (v === '' ? undefined : v);
const FormFlag = z.preprocess(blank, z.enum(['true', 'false', '1', '0', 'on'], { message: 'Use true ou false.' }).optional())
  .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1' || v === 'on'));
const FormUuid = z.preprocess(blank, Uuid.optional());

const UploadForm = z.object({
  file: z.instanceof(File, { message: 'Envie a foto (JPEG, PNG, HEIC ou WebP) no campo "file".' }).openapi({ type: 'string', format: 'binary' }),
  kind: z.enum(PHOTO_KINDS, { message: 'Informe se a foto é de antes ou depois.' }),
  appointmentId: FormUuid.openapi({ type: 'string', format: 'uuid', description: 'O atendimento da foto (deve ser deste paciente)' }),
  procedureId: FormUuid.openapi({ type: 'string', format: 'uuid', description: 'Padrão: o procedimento do atendimento' }),
  publicityConsent: FormFlag.openapi({ type: 'boolean', description: 'O paciente autorizou o uso da foto em divulgação (CFM 2.336/2023)' }),
  identifiable: FormFlag.openapi({ type: 'boolean', description: 'Pode mostrar rosto ou nome do paciente (exige publicityConsent)' }),
  consentSource: z.preprocess(blank, z.string().trim().max(100, 'No máximo 100 caracteres.').optional())
    .openapi({ type: 'string', description: 'Como o consentimento foi dado (padrão: painel)' }),
});

const ConsentBody = z.strictObject({
  publicityConsent: z.boolean({ message: 'Informe publicityConsent: true ou false.' }),
  identifiable: z.boolean({ message: 'Use true ou false.' }).optional(),
  source: z.string({ message: 'A origem deve ser texto.' }).trim().max(100, 'No máximo 100 caracteres.').nullish(),
}).openapi('PhotoConsent');

const FileQuery = z.object({ exp: z.string().optional(), sig: z.string().optional() });
const FileParams = z.object({ key: z.string().min(1).max(600) });

const linkRefused = (reason: 'invalid' | 'expired') => (reason === 'expired'
  ? new ApiError(410, 'link_expired', 'O link da foto expirou. Atualize a página para ver a foto.')
  : new ApiError(403, 'link_invalid', 'Link da foto inválido.'));

export function photoRoutes(deps: ApiDeps, opts: { storage: ObjectStorage }) {
  const photos = photoService(opts.storage);
  const local = asLocal(opts.storage);

  return router()
    .openapi(createRoute({
      method: 'get', path: '/patients/{id}/photos', tags, security: bearer, summary: 'Fotos de antes/depois do paciente (mais recentes primeiro)',
      request: { params: z.object({ id: Uuid }) },
      responses: { 200: jsonResponse('Fotos', z.object({ photos: z.array(Photo) })), ...errorResponses(400, 401, 404) },
    }), async (c) => {
      const { id } = c.req.valid('param');
      const list = await c.get('tenant')((tx) => photos.list(tx, c.get('auth').clinicId, id));
      if (!list) throw new ApiError(404, 'not_found', 'Paciente não encontrado nesta clínica.');
      return c.json({ photos: list }, 200);
    })
    .openapi(createRoute({
      method: 'post', path: '/patients/{id}/photos', tags, security: bearer,
      summary: 'Enviar foto de antes/depois',
      description: 'multipart/form-data. JPEG, PNG, HEIC ou WebP (pelo conteúdo do arquivo, não pelo nome), até 15 MB. ' +
        'A foto é girada conforme o EXIF, reduzida a no máximo 2048 px e gravada em JPEG sem metadados (EXIF, GPS). ' +
        'HEIC só quando o servidor o decodifica (senão 415 heic_unsupported).',
      middleware: [photoBodyLimit] as const,
      request: { params: z.object({ id: Uuid }), body: { content: { 'multipart/form-data': { schema: UploadForm } }, required: true } },
      responses: {
        201: jsonResponse('Foto gravada', Photo),
        ...errorResponses(400, 401, 403, 404, 413, 415),
      },
    }), async (c) => {
      const { id } = c.req.valid('param');
      const form = c.req.valid('form');
      const auth = c.get('auth');
      const photo = await photos.upload(c.get('tenant'), {
        clinicId: auth.clinicId, patientId: id, userId: auth.userId, kind: form.kind,
        appointmentId: form.appointmentId ?? null, procedureId: form.procedureId ?? null,
        consent: { publicityConsent: form.publicityConsent ?? false, identifiable: form.identifiable, source: form.consentSource },
        file: new Uint8Array(await form.file.arrayBuffer()), now: deps.now(),
      }, (tx, p) => recordAudit(tx, c, {
        action: 'create', entity: 'patient_photo', entityId: p.id,
        after: { patientId: p.patientId, kind: p.kind, appointmentId: p.appointmentId, procedureId: p.procedureId, bytes: p.bytes, width: p.width, height: p.height, publicityConsent: p.publicityConsent, identifiable: p.identifiable },
      }));
      return c.json(photo, 201);
    })
    .openapi(createRoute({
      method: 'patch', path: '/photos/{id}/consent', tags, security: bearer,
      summary: 'Dar ou revogar o consentimento de divulgação da foto',
      description: 'publicityConsent=false revoga: a foto sai de toda mensagem futura (consentRevokedAt registrado). identifiable=true exige publicityConsent=true.',
      request: { params: z.object({ id: Uuid }), body: jsonBody(ConsentBody) },
      responses: { 200: jsonResponse('Consentimento atualizado', Photo), ...errorResponses(400, 401, 403, 404) },
    }), async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const auth = c.get('auth');
      const photo = await c.get('tenant')(async (tx) => {
        const r = await photos.setConsent(tx, { clinicId: auth.clinicId, photoId: id, request: body, now: deps.now() });
        if (!r) throw new ApiError(404, 'not_found', 'Foto não encontrada.');
        await recordAudit(tx, c, {
          action: body.publicityConsent ? 'consent' : 'revoke_consent', entity: 'patient_photo', entityId: id,
          before: { publicityConsent: r.before.publicityConsent, identifiable: r.before.identifiable },
          after: { publicityConsent: r.photo.publicityConsent, identifiable: r.photo.identifiable, source: r.photo.consentSource },
        });
        return r.photo;
      });
      return c.json(photo, 200);
    })
    .openapi(createRoute({
      method: 'delete', path: '/photos/{id}', tags, security: bearer,
      summary: 'Excluir foto (o arquivo é apagado; o registro fica no histórico)',
      request: { params: z.object({ id: Uuid }) },
      responses: { 204: { description: 'Excluída' }, ...errorResponses(400, 401, 403, 404) },
    }), async (c) => {
      const { id } = c.req.valid('param');
      const auth = c.get('auth');
      await c.get('tenant')(async (tx) => {
        const before = await photos.remove(tx, { clinicId: auth.clinicId, photoId: id, now: deps.now() });
        if (!before) throw new ApiError(404, 'not_found', 'Foto não encontrada.');
        await recordAudit(tx, c, {
          action: 'delete', entity: 'patient_photo', entityId: id,
          before: { patientId: before.patientId, kind: before.kind, publicityConsent: before.publicityConsent }, after: { deletedAt: deps.now().toISOString() },
        });
      });
      return c.body(null, 204);
    })
    .openapi(createRoute({
      method: 'get', path: '/files/photos/{key}', tags,
      summary: 'Arquivo de foto do armazenamento local (link assinado e com validade; sem sessão)',
      request: { params: FileParams, query: FileQuery },
      responses: {
        200: { description: 'A foto', content: { 'image/jpeg': { schema: z.string().openapi({ type: 'string', format: 'binary' }) } } },
        ...errorResponses(403, 404, 410),
      },
    }), async (c) => {
      const { key } = c.req.valid('param');
      const { exp, sig } = c.req.valid('query');
      if (!local) throw new ApiError(404, 'not_found', 'Arquivo não encontrado.');
      const check = local.verify({ method: 'GET', key, exp, sig });
      if (!check.ok) throw linkRefused(check.reason);
      const file = await local.read(key);
      if (!file) throw new ApiError(404, 'not_found', 'Arquivo não encontrado.');
      const maxAge = Math.max(0, Number(exp) - Math.ceil(deps.now().getTime() / 1000));
      c.header('Content-Type', file.contentType);
      c.header('Cache-Control', `private, max-age=${maxAge}`);
      c.header('Content-Disposition', 'inline');
      c.header('Content-Security-Policy', "default-src 'none'");
      return c.body(new Uint8Array(file.body), 200);
    })
    .openapi(createRoute({
      method: 'put', path: '/files/photos/{key}', tags,
      summary: 'Envio direto ao armazenamento local (URL de upload assinada; o Content-Type deve ser o assinado)',
      middleware: [photoBodyLimit] as const,
      request: { params: FileParams, query: FileQuery },
      responses: { 200: jsonResponse('Gravado', z.object({ key: z.string(), bytes: z.number() })), ...errorResponses(403, 404, 410, 413) },
    }), async (c) => {
      const { key } = c.req.valid('param');
      const { exp, sig } = c.req.valid('query');
      if (!local) throw new ApiError(404, 'not_found', 'Arquivo não encontrado.');
      const check = local.verify({ method: 'PUT', key, exp, sig, contentType: c.req.header('content-type') ?? '' });
      if (!check.ok) throw linkRefused(check.reason);
      const body = new Uint8Array(await c.req.arrayBuffer());
      await local.put(key, body, { contentType: c.req.header('content-type')! });
      return c.json({ key, bytes: body.byteLength }, 200);
    });
}
