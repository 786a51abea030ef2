import { requireSession } from '$lib/server/auth';
import type { LayoutServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  const { user, clinic, role } = requireSession(locals, url);
  return { session: { user, clinic, role } };
}) satisfies LayoutServerLoad;
