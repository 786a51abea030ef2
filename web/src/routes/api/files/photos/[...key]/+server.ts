// The local photo storage's signed links, passed through to the API (which checks the signature and the
// expiry: no session here, the link is the permission). See photoUrlForBrowser in $lib/photos.
import { apiBaseUrl } from '$lib/server/api';
import type { RequestHandler } from './$types';

const PASSED = ['content-type', 'content-length', 'cache-control', 'content-disposition', 'content-security-policy'];

export const GET = (async ({ params, url }) => {
  const target = new URL(`/api/files/photos/${encodeURIComponent(params.key)}${url.search}`, apiBaseUrl());
  let res: Response;
  try {
    res = await fetch(target, { signal: AbortSignal.timeout(15_000) });
  } catch {
    return new Response(JSON.stringify({ error: { code: 'unavailable', message: 'Não foi possível carregar a foto agora. Tente novamente.' } }), {
      status: 503, headers: { 'content-type': 'application/json' },
    });
  }
  const headers = new Headers();
  for (const h of PASSED) {
    const v = res.headers.get(h);
    if (v) headers.set(h, v);
  }
  return new Response(res.body, { status: res.status, headers });
}) satisfies RequestHandler;
