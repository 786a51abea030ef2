import { fail, redirect } from '@sveltejs/kit';
import { api } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { clearSessionCookie, SESSION_COOKIE } from '$lib/server/session';
import type { Actions } from './$types';

type ProfileFields = { name?: string[]; phone?: string[] };

export const actions = {
  update: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const name = String(form.get('name') ?? '').trim();
    const phoneInput = String(form.get('phone') ?? '').trim();
    const values = { name, phone: phoneInput };

    const fields: ProfileFields = {};
    if (name.length < 2) fields.name = ['Informe seu nome (pelo menos 2 letras).'];
    else if (name.length > 120) fields.name = ['O nome pode ter no máximo 120 caracteres.'];
    if (fields.name || fields.phone) {
      return fail(400, { values, fields, message: 'Confira os campos destacados.', saved: false });
    }

    const result = await api.updateMe(session.token, { name, phone: phoneInput || null });
    if (!result.ok) {
      if (result.status === 401) redirect(303, '/login?sessao=expirada&next=/perfil');
      const status = result.status >= 400 && result.status < 600 ? result.status : 502;
      return fail(status, {
        values,
        fields: (result.error.fields ?? {}) as ProfileFields,
        message: result.error.message,
        saved: false,
      });
    }
    return { values: null, fields: {} as ProfileFields, message: 'Perfil atualizado.', saved: true };
  },

  logout: async ({ cookies, url }) => {
    const token = cookies.get(SESSION_COOKIE);
    // Ending the session on the API is best effort: the cookie goes away regardless.
    if (token) await api.logout(token);
    clearSessionCookie(cookies, url);
    redirect(303, '/login?saiu=1');
  },
} satisfies Actions;
