// The import with progress: forwards the stashed file to the API with Accept: text/event-stream and
// passes its events (progress, done, error) straight through to the page.
import { json } from '@sveltejs/kit';
import { apiFetch, failureOf } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { dropFile, ownerOf, takeFile } from '$lib/server/import-stash';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, locals, url }) => {
  const session = requireSession(locals, url);
  if (session.role === 'view') {
    return json({ error: { code: 'forbidden', message: 'Seu perfil é somente leitura: não é possível importar pacientes.' } }, { status: 403 });
  }
  const form = await request.formData();
  const token = String(form.get('token') ?? '');
  const skipInvalid = form.get('skipInvalid') === 'on' || form.get('skipInvalid') === 'true';
  const file = takeFile(token, ownerOf(session));
  if (!file) {
    return json({ error: { code: 'expired', message: 'O arquivo enviado expirou (30 minutos). Envie a planilha de novo.' } }, { status: 410 });
  }
  const body = new FormData();
  body.set('file', file);
  let res: Response;
  try {
    res = await apiFetch(session.token, `/api/patients/import?skipInvalid=${skipInvalid}`, {
      method: 'POST',
      body,
      headers: { accept: 'text/event-stream' },
      signal: request.signal,
    });
  } catch {
    return json({ error: { code: 'api_unavailable', message: 'Não foi possível conectar ao servidor da Tigre. Tente novamente em instantes.' } }, { status: 503 });
  }
  if (!res.ok || !res.body) {
    const f = await failureOf(res);
    return json({ error: f.error, ...(f.body?.report ? { report: f.body.report } : {}) }, { status: f.status });
  }
  // Once the import is done the stashed file goes away (no second import by accident); after an error it
  // stays, so the person can retry (e.g. importing only the valid rows) without uploading again.
  const decoder = new TextDecoder();
  let seen = '';
  const watch = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen = (seen + decoder.decode(chunk, { stream: true })).slice(-64);
      if (seen.includes('event: done')) dropFile(token);
      controller.enqueue(chunk);
    },
  });
  return new Response(res.body.pipeThrough(watch), {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' },
  });
};
