import { requireRole, requireSession } from '$lib/server/auth';
import type { LayoutServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  requireRole(requireSession(locals, url), 'admin');
  return {};
}) satisfies LayoutServerLoad;
