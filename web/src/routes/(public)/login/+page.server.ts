import { fail, redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { safeNext, setSessionCookie } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

type LoginFields = { email?: string; password?: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const load = (async ({ locals, url }) => {
  const next = safeNext(url.searchParams.get('next'));
  if (locals.session) redirect(303, next);
  return {
    next,
    expired: url.searchParams.get('sessao') === 'expirada',
    loggedOut: url.searchParams.get('saiu') === '1',
  };
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ request, cookies, url, getClientAddress }) => {
    const form = await request.formData();
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const next = safeNext(String(form.get('next') ?? ''));

    const fields: LoginFields = {};
    if (!email) fields.email = 'Informe seu e-mail.';
    else if (!EMAIL.test(email)) fields.email = 'Informe um e-mail válido, como nome@clinica.com.br.';
    if (!password) fields.password = 'Informe sua senha.';
    if (fields.email || fields.password) return fail(400, { email, fields, message: null });

    let clientAddress: string | undefined;
    try {
      clientAddress = getClientAddress();
    } catch {
      clientAddress = undefined;
    }

    const result = await api.login({ email, password }, { clientAddress });
    if (!result.ok) {
      const status = result.status === 503 ? 503 : result.status >= 500 ? 502 : result.status;
      const none: LoginFields = {};
      return fail(status, { email, fields: none, message: result.error.message });
    }

    setSessionCookie(cookies, url, result.data.token, result.data.expiresAt);
    redirect(303, next);
  },
} satisfies Actions;
