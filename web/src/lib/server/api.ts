// The only door from the web server to the Tigre API: a typed hono/client per request.
// Every call resolves to an ApiResult; network failures become a pt-BR "unavailable" error
// instead of an exception, so pages can say what happened.
import { hc, type ClientResponse } from 'hono/client';
import type { SuccessStatusCode } from 'hono/utils/http-status';
import type { AppType } from '$api/app';
import { env } from '$env/dynamic/private';
import type { ApiError, Clinic, DashboardKpis, Role, User } from '$lib/types';

export type ApiResult<T> = { ok: true; data: T } | ApiFailure;
/** `body` keeps what the API sent besides `error` (e.g. `nextSlots` of a 409 slot_taken, `report` of a refused import). */
export type ApiFailure = { ok: false; status: number; error: ApiError; body?: Record<string, unknown> };

const TIMEOUT_MS = 15_000;

export function apiBaseUrl(): string {
  return env.API_URL ?? `http://127.0.0.1:${env.API_PORT ?? 8787}`;
}

export function temporalUiUrl(): string {
  return env.TEMPORAL_UI_URL ?? `http://127.0.0.1:${env.TEMPORAL_UI_PORT ?? 8233}`;
}

interface CallerContext {
  token?: string;
  /** The browser's address, so the API's login throttling sees people, not this server. */
  clientAddress?: string;
}

function client({ token, clientAddress }: CallerContext = {}) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (clientAddress) headers['x-forwarded-for'] = clientAddress;
  return hc<AppType>(apiBaseUrl(), {
    headers,
    fetch: (input: RequestInfo | URL, init?: RequestInit) =>
      fetch(input, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) }),
  });
}

const fallbackMessages: Record<number, ApiError> = {
  400: { code: 'validation_failed', message: 'Confira os dados informados.' },
  401: { code: 'unauthenticated', message: 'Faça login para continuar.' },
  403: { code: 'forbidden', message: 'Você não tem permissão para esta ação.' },
  404: { code: 'not_found', message: 'Não encontrado.' },
  429: { code: 'too_many_attempts', message: 'Muitas tentativas. Aguarde alguns minutos e tente de novo.' },
};

export const unavailable: ApiError = {
  code: 'api_unavailable',
  message: 'Não foi possível conectar ao servidor da Tigre. Tente novamente em instantes.',
};

async function failure(res: Response): Promise<ApiFailure> {
  let error: ApiError | undefined;
  let extra: Record<string, unknown> | undefined;
  try {
    const body = (await res.json()) as { error?: Partial<ApiError> } & Record<string, unknown>;
    if (body?.error?.code && body.error.message) error = body.error as ApiError;
    if (body && typeof body === 'object') extra = body;
  } catch {
    // not JSON: fall through to the generic message
  }
  error ??= fallbackMessages[res.status] ?? {
    code: 'server_error',
    message: 'Ocorreu um erro inesperado no servidor. Tente novamente.',
  };
  return { ok: false, status: res.status, error, body: extra };
}

async function attempt<T>(what: string, run: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
  try {
    return await run();
  } catch (err) {
    console.error(`[web] API ${what} failed (${apiBaseUrl()}):`, err instanceof Error ? err.message : err);
    return { ok: false, status: 503, error: unavailable };
  }
}

export type ApiClient = ReturnType<typeof client>;

/** The JSON body of the success answers of a typed hono/client call (null for 204). */
export type OkBody<R> =
  R extends ClientResponse<infer T, infer S, infer F> ? (S extends SuccessStatusCode ? (F extends 'json' ? T : null) : never) : never;

/**
 * One typed call to the API as the signed-in person: `call(token, 'patients', (c) => c.api.patients.$get({ query }))`.
 * Resolves to the success body, or to the API's pt-BR error (network failures included).
 */
export function call<R extends ClientResponse<unknown, number, string>>(
  token: string,
  what: string,
  run: (c: ApiClient) => Promise<R>,
): Promise<ApiResult<OkBody<R>>> {
  return attempt(what, async () => {
    const res = (await run(client({ token }))) as unknown as Response;
    if (!res.ok) return failure(res);
    const data = (res.status === 204 ? null : await res.json()) as OkBody<R>;
    return { ok: true, data };
  });
}

/**
 * One typed call to a public route of the API, without a session (the patient's signed pages):
 * `publicCall('nps page', (c) => c.api.public.nps[':token'].$get({ param: { token } }))`.
 */
export function publicCall<R extends ClientResponse<unknown, number, string>>(
  what: string,
  run: (c: ApiClient) => Promise<R>,
): Promise<ApiResult<OkBody<R>>> {
  return attempt(what, async () => {
    const res = (await run(client())) as unknown as Response;
    if (!res.ok) return failure(res);
    const data = (res.status === 204 ? null : await res.json()) as OkBody<R>;
    return { ok: true, data };
  });
}

/**
 * A plain fetch to the API for what hono/client does not model well (file downloads, event streams).
 * No timeout: streams may last; the caller passes its own signal.
 */
export function apiFetch(token: string, path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  return fetch(new URL(path, apiBaseUrl()), { ...init, headers });
}

/** A non-2xx Response → the API's error (or the pt-BR fallback). */
export function failureOf(res: Response): Promise<ApiFailure> {
  return failure(res);
}

export interface LoginResult {
  token: string;
  expiresAt: string;
  user: User;
  clinic: Clinic;
  role: Role;
}

export interface MeResult {
  user: User;
  clinic: Clinic;
  role: Role;
}

export interface RefreshResult {
  status: 'completed' | 'running';
}

export const api = {
  login(input: { email: string; password: string }, ctx: CallerContext) {
    return attempt<LoginResult>('login', async () => {
      const res = await client(ctx).api.auth.login.$post({ json: input });
      if (!res.ok) return failure(res);
      const data: LoginResult = await res.json();
      return { ok: true, data };
    });
  },

  logout(token: string) {
    return attempt<null>('logout', async () => {
      const res = await client({ token }).api.auth.logout.$post();
      if (!res.ok) return failure(res);
      return { ok: true, data: null };
    });
  },

  me(token: string) {
    return attempt<MeResult>('me', async () => {
      const res = await client({ token }).api.me.$get();
      if (!res.ok) return failure(res);
      const data: MeResult = await res.json();
      return { ok: true, data };
    });
  },

  updateMe(token: string, input: { name?: string; phone?: string | null }) {
    return attempt<MeResult>('update profile', async () => {
      const res = await client({ token }).api.me.$patch({ json: input });
      if (!res.ok) return failure(res);
      const data: MeResult = await res.json();
      return { ok: true, data };
    });
  },

  dashboardKpis(token: string, range: { from: string; to: string }) {
    return attempt<DashboardKpis>('dashboard kpis', async () => {
      const res = await client({ token }).api.dashboard.kpis.$get({ query: range });
      if (!res.ok) return failure(res);
      const data: DashboardKpis = await res.json();
      return { ok: true, data };
    });
  },

  refreshDashboard(token: string) {
    return attempt<RefreshResult>('dashboard refresh', async () => {
      const res = await client({ token }).api.dashboard.refresh.$post();
      if (!res.ok) return failure(res);
      const data: RefreshResult = await res.json();
      return { ok: true, data };
    });
  },
};
