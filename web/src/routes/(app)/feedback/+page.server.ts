// Pesquisa & Feedback: the period's NPS and its breakdowns (/api/feedback/summary), and one section at a
// time (?aba=): the detractors' queue with its follow-up, comments, forms, reviews, upsell offers and the
// coupons issued to detractors and with offers. Filters live in the query string, so links can be shared.
import { fail } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { denyReadOnly, failWith, soft, text, type FieldErrors } from '$lib/server/pages';
import { paginate, previousPeriod, readFilters, type FollowUpStatus } from '$lib/feedback';
import { todayIn } from '$lib/period';
import { isUuid } from '$lib/url';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const token = session.token;
  const f = readFilters(url.searchParams, session.clinic.timezone);
  const pageParam = url.searchParams.get('pagina');
  const period = { from: f.from, to: f.to };
  const visit = { ...(f.professionalId ? { professionalId: f.professionalId } : {}), ...(f.procedureId ? { procedureId: f.procedureId } : {}) };

  const [summary, previous, professionals, procedures] = await Promise.all([
    call(token, 'feedback summary', (c) => c.api.feedback.summary.$get({ query: { ...period, ...visit } })),
    f.tab === 'visao-geral'
      ? call(token, 'feedback summary (previous period)', (c) => c.api.feedback.summary.$get({ query: { ...previousPeriod(f.from, f.to), ...visit } }))
      : null,
    call(token, 'professionals', (c) => c.api.professionals.$get({ query: {} })),
    call(token, 'procedures', (c) => c.api.procedures.$get({ query: {} })),
  ]);
  const s = soft(summary, url);

  // Only the open section's list is asked for.
  const section = async () => {
    switch (f.tab) {
      case 'detratores': {
        const r = soft(await call(token, 'detractors', (c) => c.api.feedback.detractors.$get({ query: { ...period, ...visit } })), url);
        const all = r.data?.detractors ?? [];
        const counts = { aberto: 0, contatado: 0, resolvido: 0 } as Record<FollowUpStatus, number>;
        for (const d of all) if (d.followUpStatus) counts[d.followUpStatus]++;
        const shown = paginate(f.followUp ? all.filter((d) => d.followUpStatus === f.followUp) : all, pageParam);
        return { detractors: { ...shown, all: all.length, counts }, sectionError: r.message };
      }
      case 'comentarios': {
        const r = soft(await call(token, 'comments', (c) => c.api.feedback.comments.$get({ query: { ...period, ...visit } })), url);
        const all = r.data?.comments ?? [];
        const counts = { positivo: 0, neutro: 0, negativo: 0 };
        for (const c of all) if (c.sentimentLabel) counts[c.sentimentLabel]++;
        const shown = paginate(f.sentiment ? all.filter((c) => c.sentimentLabel === f.sentiment) : all, pageParam);
        return { comments: { ...shown, all: all.length, counts }, sectionError: r.message };
      }
      case 'formularios': {
        const r = soft(await call(token, 'feedback forms', (c) => c.api.feedback.forms.$get({ query: { ...period, ...visit } })), url);
        return { forms: r.data ? { total: r.data.total, aspects: r.data.aspects, answers: paginate(r.data.answers, pageParam) } : null, sectionError: r.message };
      }
      case 'avaliacoes': {
        const r = soft(await call(token, 'reviews', (c) => c.api.feedback.reviews.$get({ query: f.professionalId ? { professionalId: f.professionalId } : {} })), url);
        return { reviews: r.data ? { summary: r.data.summary, latest: paginate(r.data.latest, pageParam) } : null, sectionError: r.message };
      }
      case 'ofertas': {
        const r = soft(await call(token, 'upsell offers', (c) => c.api.feedback.upsell.$get({ query: period })), url);
        return { offers: r.data ? paginate(r.data.offers, pageParam) : null, sectionError: r.message };
      }
      case 'cupons': {
        const r = soft(await call(token, 'coupons', (c) => c.api.coupons.$get({ query: {} })), url);
        // The same coupons the summary counts: issued in the period (clinic's days) to detractors and with offers.
        const tz = session.clinic.timezone;
        const inPeriod = (iso: string) => {
          const day = todayIn(tz, new Date(iso));
          return day >= f.from && day <= f.to;
        };
        const coupons = r.data ? paginate(r.data.coupons.filter((c) => c.origin !== 'manual' && inPeriod(c.createdAt)), pageParam) : null;
        return { coupons, sectionError: r.message };
      }
      default:
        return { sectionError: null };
    }
  };

  return {
    filters: f,
    summary: s.data,
    loadError: s.message,
    previousNps: previous?.ok ? previous.data.nps : null,
    professionals: professionals.ok ? professionals.data.professionals.map((p) => ({ id: p.id, name: p.name, active: p.active })) : [],
    procedures: procedures.ok ? procedures.data.procedures.map((p) => ({ id: p.id, name: p.name, active: p.active })) : [],
    canEdit: session.role !== 'view',
    timeZone: session.clinic.timezone,
    detractors: null,
    comments: null,
    forms: null,
    reviews: null,
    offers: null,
    coupons: null,
    ...(s.data ? await section() : { sectionError: null }),
  };
}) satisfies PageServerLoad;

const STATUSES: readonly string[] = ['aberto', 'contatado', 'resolvido'];

export const actions = {
  /** The detractor's follow-up: contatado / resolvido (or back to aberto), with a note. */
  followUp: async ({ locals, url, request }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const values = { surveyId: text(form, 'surveyId'), status: text(form, 'status'), note: text(form, 'note') };
    const denied = denyReadOnly(session, values);
    if (denied) return denied;
    if (!isUuid(values.surveyId)) return fail(400, { ...values, message: 'Pesquisa inválida.', code: 'validation_failed', fields: {} as FieldErrors });
    if (!STATUSES.includes(values.status)) {
      return fail(400, { ...values, message: 'Escolha contatado ou resolvido.', code: 'validation_failed', fields: { status: ['Escolha contatado ou resolvido.'] } as FieldErrors });
    }
    const res = await call(session.token, 'follow-up', (c) =>
      c.api.feedback.surveys[':id']['follow-up'].$patch({
        param: { id: values.surveyId },
        json: { status: values.status as FollowUpStatus, note: values.note || null },
      }),
    );
    if (!res.ok) return failWith(res, url, values);
    return { ...values, saved: true, at: new Date().toISOString(), message: `Acompanhamento salvo: ${values.status === 'aberto' ? 'reaberto' : values.status}.` };
  },
} satisfies Actions;
