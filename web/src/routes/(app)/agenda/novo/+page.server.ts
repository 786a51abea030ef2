// The new-appointment wizard. Every step is a GET form or link that adds one query parameter
// (paciente → procedimento → profissional → horario), so it works without JavaScript and "back" works;
// only the final confirmation is a POST.
import { redirect } from '@sveltejs/kit';
import { call } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { denyReadOnly, failWith, must, soft, text } from '$lib/server/pages';
import type { NextSlot } from '$lib/api-types';
import { addDays, isDay, todayIn, zonedParts } from '$lib/time';
import { isUuid } from '$lib/url';
import type { Actions, PageServerLoad } from './$types';

export type WizardStep = 'patient' | 'procedure' | 'professional' | 'slot' | 'confirm';

/** 'professionalId|2026-12-01T12:00:00.000Z' → its parts, or null. */
function parseSlot(value: string | null): { professionalId: string; startsAt: string } | null {
  const [professionalId, startsAt] = (value ?? '').split('|');
  if (!isUuid(professionalId) || !startsAt || Number.isNaN(Date.parse(startsAt))) return null;
  return { professionalId, startsAt };
}

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const { token } = session;
  const timeZone = session.clinic.timezone;
  const q = url.searchParams;
  const today = todayIn(timeZone);

  const patientId = isUuid(q.get('paciente')) ? q.get('paciente')! : null;
  const procedureId = patientId && isUuid(q.get('procedimento')) ? q.get('procedimento')! : null;
  const professionalChoice = procedureId && (q.get('profissional') === 'any' || isUuid(q.get('profissional'))) ? q.get('profissional')! : null;
  const slot = professionalChoice ? parseSlot(q.get('horario')) : null;
  const step: WizardStep = !patientId ? 'patient' : !procedureId ? 'procedure' : !professionalChoice ? 'professional' : !slot ? 'slot' : 'confirm';

  const search = (q.get('busca') ?? '').trim();
  const [patientResult, proceduresResult, professionalsResult, searchResult] = await Promise.all([
    patientId ? call(token, 'patient', (c) => c.api.patients[':id'].$get({ param: { id: patientId }, query: {} })) : null,
    patientId ? call(token, 'procedures', (c) => c.api.procedures.$get({ query: { active: 'true' } })) : null,
    procedureId ? call(token, 'professionals', (c) => c.api.professionals.$get({ query: { active: 'true' } })) : null,
    step === 'patient' && search ? call(token, 'patient search', (c) => c.api.patients.$get({ query: { q: search, limit: '12', status: 'ativo' } })) : null,
  ]);

  const patient = patientResult ? must(patientResult, url) : null;
  const procedures = proceduresResult ? must(proceduresResult, url).procedures : [];
  const procedure = procedureId ? (procedures.find((p) => p.id === procedureId) ?? null) : null;
  const professionals = professionalsResult ? must(professionalsResult, url).professionals : [];
  const performers = procedure ? professionals.filter((p) => p.procedures.some((x) => x.id === procedure.id)) : [];
  const searchPage = searchResult ? soft(searchResult, url) : null;

  let slots = null;
  if (step === 'slot' && procedure) {
    const from = isDay(q.get('de')) && q.get('de')! >= today ? q.get('de')! : today;
    const r = await call(token, 'slots', (c) =>
      c.api.appointments.slots.$get({ query: { procedureId: procedure.id, professionalId: professionalChoice!, from, to: addDays(from, 6), limit: '500' } }),
    );
    const s = soft(r, url);
    slots = { from, to: addDays(from, 6), items: s.data?.slots ?? [], message: s.message };
  }

  let quote = null;
  if (step === 'confirm' && procedure && slot) {
    const day = zonedParts(slot.startsAt, timeZone).day;
    const r = await call(token, 'price', (c) => c.api.procedures[':id'].price.$get({ param: { id: procedure.id }, query: { date: day } }));
    quote = r.ok ? r.data.priceCents : procedure.currentPriceCents;
  }

  return {
    step,
    today,
    timeZone,
    search,
    searchResults: searchPage?.data?.items ?? null,
    searchError: searchPage?.message ?? null,
    patient,
    procedures,
    procedure,
    performers,
    professionalChoice,
    slot,
    slots,
    quote,
    canEdit: session.role !== 'view',
    procedureMissing: !!procedureId && !procedure,
  };
}) satisfies PageServerLoad;

export const actions = {
  book: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const notes = text(form, 'notes');
    const values = { notes };
    const denied = denyReadOnly(session, { values, nextSlots: [] as NextSlot[], slotTaken: false });
    if (denied) return denied;
    const patientId = text(form, 'patientId');
    const procedureId = text(form, 'procedureId');
    const slot = parseSlot(text(form, 'slot'));
    if (!isUuid(patientId) || !isUuid(procedureId) || !slot) {
      return failWith(
        { ok: false, status: 400, error: { code: 'validation_failed', message: 'Faltam dados do agendamento: recomece pelo primeiro passo.' } },
        url,
        { values, nextSlots: [] as NextSlot[], slotTaken: false },
      );
    }
    const r = await call(session.token, 'book', (c) =>
      c.api.appointments.$post({
        json: { patientId, procedureId, professionalId: slot.professionalId, startsAt: slot.startsAt, ...(notes ? { notes } : {}) },
      }),
    );
    if (!r.ok) {
      const slotTaken = r.status === 409 && r.error.code === 'slot_taken';
      const nextSlots = (slotTaken && Array.isArray(r.body?.nextSlots) ? r.body.nextSlots : []) as NextSlot[];
      return failWith(r, url, { values, nextSlots, slotTaken });
    }
    const day = zonedParts(r.data.startsAt, session.clinic.timezone).day;
    redirect(303, `/agenda?visao=semana&data=${day}&novo=${r.data.id}&aviso=criado`);
  },
} satisfies Actions;
