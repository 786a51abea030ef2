// A file from the API (an export) relayed to the browser as the signed-in member, streamed as it comes;
// an API refusal becomes the dashboard's error page with the API's pt-BR message.
import { error } from '@sveltejs/kit';
import { apiFetch, failureOf } from './api';

export async function relayDownload(token: string, apiPath: string, fallback: { type: string; fileName: string }): Promise<Response> {
  const res = await apiFetch(token, apiPath);
  if (!res.ok) {
    const failure = await failureOf(res);
    error(failure.status >= 400 && failure.status < 600 ? failure.status : 502, { message: failure.error.message, code: failure.error.code });
  }
  return new Response(res.body, {
    headers: {
      'content-type': res.headers.get('content-type') ?? fallback.type,
      'content-disposition': res.headers.get('content-disposition') ?? `attachment; filename="${fallback.fileName}"`,
      'cache-control': 'no-store',
    },
  });
}
