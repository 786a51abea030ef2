import { fail, redirect } from '@sveltejs/kit';
import { api, temporalUiUrl } from '$lib/server/api';
import { loginUrl, requireSession } from '$lib/server/auth';
import { parsePeriod, periodRange } from '$lib/period';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const days = parsePeriod(url.searchParams.get('periodo'));
  const range = periodRange(days, session.clinic.timezone);

  const result = await api.dashboardKpis(session.token, range);
  if (!result.ok && result.status === 401) {
    redirect(303, loginUrl(url, result.error.code === 'session_expired'));
  }

  return {
    days,
    range,
    kpis: result.ok ? result.data : null,
    loadError: result.ok ? null : result.error.message,
    // Operators follow every patient journey in the Temporal Web UI; staff don't need the link.
    temporalUiUrl: session.role === 'admin' ? temporalUiUrl() : null,
  };
}) satisfies PageServerLoad;

export const actions = {
  /** Recomputes yesterday's and today's figures now instead of waiting for the scheduled rollup. */
  refresh: async ({ locals, url }) => {
    const session = requireSession(locals, url);
    if (session.role === 'view') {
      return fail(403, { refresh: { ok: false, message: 'Seu perfil é somente leitura: peça a alguém da equipe para recalcular.' } });
    }
    const result = await api.refreshDashboard(session.token);
    if (!result.ok) {
      if (result.status === 401) redirect(303, loginUrl(url, result.error.code === 'session_expired'));
      return fail(result.status >= 400 && result.status < 600 ? result.status : 502, {
        refresh: { ok: false, message: result.error.message },
      });
    }
    return {
      refresh: {
        ok: true,
        message:
          result.data.status === 'completed'
            ? 'Indicadores recalculados.'
            : 'O recálculo começou e termina em instantes: recarregue a página para ver os números novos.',
      },
    };
  },
} satisfies Actions;
