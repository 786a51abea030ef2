// The appointment as an .ics file, downloaded through the web server (the API token stays in the cookie).
import { error } from '@sveltejs/kit';
import { apiFetch, failureOf } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { isUuid } from '$lib/url';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ params, locals, url }) => {
  const session = requireSession(locals, url);
  if (!isUuid(params.id)) error(404, { message: 'Agendamento não encontrado.' });
  let res: Response;
  try {
    res = await apiFetch(session.token, `/api/appointments/${params.id}/ics`, { signal: AbortSignal.timeout(15_000) });
  } catch {
    error(503, { message: 'Não foi possível conectar ao servidor da Tigre. Tente novamente em instantes.' });
  }
  if (!res.ok) {
    const f = await failureOf(res);
    error(f.status, { message: f.error.message, code: f.error.code });
  }
  return new Response(await res.text(), {
    headers: {
      'content-type': 'text/calendar; charset=utf-8',
      'content-disposition': `attachment; filename="agendamento-${params.id}.ics"`,
      'cache-control': 'private, no-store',
    },
  });
};
