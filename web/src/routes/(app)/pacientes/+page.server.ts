import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { soft } from '$lib/server/pages';
import { CLASSIFICATIONS, PATIENT_STATUSES } from '$lib/patients';
import { isDay } from '$lib/time';
import type { PageServerLoad } from './$types';

const SORTS = { recentes: ['createdAt', 'desc'], nome: ['name', 'asc'], visita: ['lastVisit', 'desc'] } as const;

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const q = url.searchParams;
  const filters = {
    busca: (q.get('busca') ?? '').trim().slice(0, 200),
    classificacao: (CLASSIFICATIONS as readonly string[]).includes(q.get('classificacao') ?? '') ? q.get('classificacao')! : '',
    status: (PATIENT_STATUSES as readonly string[]).includes(q.get('status') ?? '') ? q.get('status')! : '',
    etiqueta: (q.get('etiqueta') ?? '').trim().slice(0, 40),
    visitaDe: isDay(q.get('visita_de')) ? q.get('visita_de')! : '',
    visitaAte: isDay(q.get('visita_ate')) ? q.get('visita_ate')! : '',
    ordem: (Object.keys(SORTS).includes(q.get('ordem') ?? '') ? q.get('ordem') : '') as keyof typeof SORTS | '',
  };
  const cursor = q.get('cursor') ?? '';
  const sort = filters.ordem ? SORTS[filters.ordem] : null;

  const [list, rule] = await Promise.all([
    call(session.token, 'patients', (c) =>
      c.api.patients.$get({
        query: {
          limit: '25',
          ...(filters.busca ? { q: filters.busca } : {}),
          ...(filters.classificacao ? { classification: filters.classificacao } : {}),
          ...(filters.status ? { status: filters.status } : {}),
          ...(filters.etiqueta ? { tag: filters.etiqueta } : {}),
          ...(filters.visitaDe ? { lastVisitFrom: filters.visitaDe } : {}),
          ...(filters.visitaAte ? { lastVisitTo: filters.visitaAte } : {}),
          ...(sort ? { sort: sort[0], order: sort[1] } : {}),
          ...(cursor ? { cursor } : {}),
        },
      }),
    ),
    call(session.token, 'classification rule', (c) => c.api.patients['classification-rule'].$get()),
  ]);
  const page = soft(list, url);
  return {
    filters,
    paged: !!cursor,
    patients: page.data?.items ?? [],
    nextCursor: page.data?.nextCursor ?? null,
    loadError: page.message,
    rule: rule.ok ? rule.data : null,
    canEdit: session.role !== 'view',
    notice: q.get('aviso') === 'excluido' ? 'Paciente excluído. O histórico dele continua guardado.' : q.get('aviso') === 'importado' ? 'Importação concluída.' : null,
    timeZone: session.clinic.timezone,
  };
}) satisfies PageServerLoad;
