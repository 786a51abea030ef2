import { redirect } from '@sveltejs/kit';
import { requireRole, requireSession } from '$lib/server/auth';
import type { PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  requireRole(requireSession(locals, url), 'admin');
  redirect(307, '/admin/procedimentos');
}) satisfies PageServerLoad;
