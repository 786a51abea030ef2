// Import patients from CSV/XLSX: upload → per-row preview (ok, inválida, duplicada) → confirm → report.
// Without JavaScript the confirmation is a plain form post; with it, progresso/+server.ts streams progress.
import { fail } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { denyReadOnly, failWith } from '$lib/server/pages';
import { dropFile, ownerOf, stashFile, takeFile } from '$lib/server/import-stash';
import type { ImportReport } from '$lib/api-types';
import type { Actions, PageServerLoad } from './$types';

const MAX_BYTES = 10 * 1024 * 1024;

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  return { readOnly: session.role === 'view' };
}) satisfies PageServerLoad;

export const actions = {
  preview: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const denied = denyReadOnly(session, { step: 'preview' as const });
    if (denied) return denied;
    const form = await request.formData();
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) {
      return fail(400, { step: 'preview' as const, message: 'Escolha um arquivo CSV ou XLSX.', code: 'validation_failed', fields: {} as Record<string, string[]> });
    }
    if (file.size > MAX_BYTES) {
      return fail(413, { step: 'preview' as const, message: 'O arquivo excede o limite de 10 MB. Divida a planilha em partes menores.', code: 'payload_too_large', fields: {} as Record<string, string[]> });
    }
    const r = await call(session.token, 'import preview', (c) => c.api.patients.import.preview.$post({ form: { file } }));
    if (!r.ok) return failWith(r, url, { step: 'preview' as const });
    const token = await stashFile(file, ownerOf(session));
    return { step: 'preview' as const, report: r.data, token };
  },

  import: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const denied = denyReadOnly(session, { step: 'import' as const });
    if (denied) return denied;
    const form = await request.formData();
    const token = String(form.get('token') ?? '');
    const skipInvalid = form.get('skipInvalid') === 'on' || form.get('skipInvalid') === 'true';
    const file = takeFile(token, ownerOf(session));
    if (!file) {
      return fail(410, { step: 'import' as const, message: 'O arquivo enviado expirou (30 minutos). Envie a planilha de novo.', code: 'expired', fields: {} as Record<string, string[]> });
    }
    const r = await call(session.token, 'import', (c) =>
      c.api.patients.import.$post({ query: { skipInvalid: skipInvalid ? 'true' : 'false' }, form: { file } }),
    );
    if (!r.ok) {
      const report = (r.body?.report ?? null) as ImportReport | null;
      return failWith(r, url, { step: 'import' as const, report, token });
    }
    dropFile(token);
    return { step: 'import' as const, report: r.data as ImportReport, token: null };
  },
} satisfies Actions;
