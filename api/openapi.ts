// OpenAPIHono factory with the shared validation hook, and the shared response schemas.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { config as zodConfig, locales } from 'zod';
import type { AppEnv } from './context';
import { validationError } from '../services/errors';

// Zod's own messages (type errors, missing fields) in Portuguese; our schemas add their own pt-BR texts.
zodConfig(locales.pt());
zodConfig({ customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'Campo obrigatório.' : undefined) });

export function router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error);
    },
  });
}

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation_failed' }),
      message: z.string().openapi({ example: 'Dados inválidos: verifique os campos destacados.' }),
      fields: z.record(z.string(), z.array(z.string())).optional(),
    }),
  })
  .openapi('Error');

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [s, { description: describe[s] ?? 'Erro', content: { 'application/json': { schema: ErrorSchema } } }]),
  );

const describe: Record<number, string> = {
  400: 'Dados inválidos', 401: 'Não autenticado ou sessão expirada', 403: 'Perfil sem permissão',
  404: 'Não encontrado', 409: 'Conflito', 410: 'Link expirado', 413: 'Corpo grande demais', 415: 'Formato não suportado',
  429: 'Muitas tentativas', 503: 'Indisponível',
};

export const bearer = [{ session: [] }];

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });

/** A JSON response with its description. */
export const jsonResponse = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });

/** A UUID with a pt-BR message (the `{id}` path parameter is IdParam in catalog/common.ts). */
export const Uuid = z.uuid({ message: 'Identificador inválido.' });
