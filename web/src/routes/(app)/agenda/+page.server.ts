import { redirect } from '@sveltejs/kit';
import { call, temporalUiUrl } from '$lib/server/api';
import { requireSession } from '$lib/server/auth';
import { denyReadOnly, failWith, must, soft, text } from '$lib/server/pages';
import { BLOCK_KINDS, STATUS_TRANSITIONS, type AgendaView, type AppointmentStatus, type BlockKind } from '$lib/agenda';
import type { NextSlot, TimeBlock } from '$lib/api-types';
import { addDays, isDay, monthGrid, parseTime, startOfWeek, todayIn, zonedParts, zonedToUtc } from '$lib/time';
import { isUuid } from '$lib/url';
import type { Actions, PageServerLoad } from './$types';

const VIEWS: Record<string, AgendaView> = { dia: 'day', semana: 'week', mes: 'month' };

function rangeOf(view: AgendaView, date: string): { from: string; to: string } {
  if (view === 'day') return { from: date, to: date };
  if (view === 'week') {
    const from = startOfWeek(date);
    return { from, to: addDays(from, 6) };
  }
  const grid = monthGrid(date);
  return { from: grid[0][0], to: grid.at(-1)!.at(-1)! };
}

export const load = (async ({ locals, url }) => {
  const session = requireSession(locals, url);
  const { token } = session;
  const timeZone = session.clinic.timezone;
  const q = url.searchParams;
  const view = VIEWS[q.get('visao') ?? ''] ?? 'week';
  const today = todayIn(timeZone);
  const date = isDay(q.get('data')) ? q.get('data')! : today;
  const professionalId = isUuid(q.get('profissional')) ? q.get('profissional')! : null;
  const { from, to } = rangeOf(view, date);

  const [appointmentsResult, professionalsResult, holidaysResult, overridesResult] = await Promise.all([
    call(token, 'agenda', (c) => c.api.appointments.$get({ query: { from, to, ...(professionalId ? { professionalId } : {}) } })),
    call(token, 'professionals', (c) => c.api.professionals.$get({ query: {} })),
    call(token, 'holidays', (c) => c.api.clinic.holidays.$get({ query: { from, to } })),
    call(token, 'date overrides', (c) => c.api.clinic.overrides.$get({ query: { from, to } })),
  ]);
  const appointments = soft(appointmentsResult, url);
  const professionals = must(professionalsResult, url).professionals;
  const holidays = holidaysResult.ok ? holidaysResult.data.holidays : [];
  const overrides = overridesResult.ok ? overridesResult.data.overrides : [];
  const professional = professionalId ? (professionals.find((p) => p.id === professionalId) ?? null) : null;

  // Blocks are drawn where they belong to one column: a professional's week, or the day view's columns.
  const blockOwners = view === 'month' ? [] : professional ? [professional] : view === 'day' ? professionals.filter((p) => p.active) : [];
  const rangeStart = zonedToUtc(from, 0, timeZone).toISOString();
  const rangeEnd = zonedToUtc(addDays(to, 1), 0, timeZone).toISOString();
  const blockLists = await Promise.all(
    blockOwners.map((p) =>
      call(token, 'blocks', (c) => c.api.professionals[':id'].blocks.$get({ param: { id: p.id }, query: { from: rangeStart, to: rangeEnd } })),
    ),
  );
  const blocks: Record<string, TimeBlock[]> = {};
  blockOwners.forEach((p, i) => {
    const r = blockLists[i];
    blocks[p.id] = r.ok ? r.data.blocks : [];
  });

  // The open drawer: one appointment (with reschedule slots when asked) or the block form.
  const selectedId = isUuid(q.get('ag')) ? q.get('ag')! : null;
  let selected = null;
  let selectedError: string | null = null;
  let reschedule = null;
  let journey = null;
  if (selectedId) {
    const [r, j] = await Promise.all([
      call(token, 'appointment', (c) => c.api.appointments[':id'].$get({ param: { id: selectedId } })),
      // The Temporal journey's state (next step, messages sent, answers), shown in the drawer.
      call(token, 'appointment journey', (c) => c.api.journeys.appointments[':id'].$get({ param: { id: selectedId } })),
    ]);
    const s = soft(r, url);
    selected = s.data;
    selectedError = s.message;
    journey = j.ok ? j.data : null;
    if (selected && q.get('remarcar') === '1' && session.role !== 'view') {
      const who = q.get('rprof') === 'any' ? 'any' : isUuid(q.get('rprof')) ? q.get('rprof')! : selected.professional.id;
      const slotsFrom = isDay(q.get('rdata')) && q.get('rdata')! >= today ? q.get('rdata')! : today;
      const slots = await call(token, 'slots', (c) =>
        c.api.appointments.slots.$get({
          query: { procedureId: selected!.procedure.id, professionalId: who, from: slotsFrom, to: addDays(slotsFrom, 6), limit: '300' },
        }),
      );
      const s2 = soft(slots, url);
      reschedule = { professionalId: who, from: slotsFrom, slots: s2.data?.slots.filter((x) => x.startsAt !== selected!.startsAt) ?? [], message: s2.message };
    }
  }

  let blockPanel = null;
  if (q.get('bloquear') === '1' && session.role !== 'view') {
    const owner = professional ?? professionals.find((p) => p.active) ?? null;
    let existing: TimeBlock[] = [];
    if (owner) {
      const r = await call(token, 'blocks', (c) =>
        c.api.professionals[':id'].blocks.$get({
          param: { id: owner.id },
          query: { from: zonedToUtc(today, 0, timeZone).toISOString(), to: zonedToUtc(addDays(today, 90), 0, timeZone).toISOString() },
        }),
      );
      existing = r.ok ? r.data.blocks : [];
    }
    blockPanel = { professionalId: owner?.id ?? null, existing };
  }

  return {
    view,
    date,
    today,
    from,
    to,
    timeZone,
    professionalId,
    appointments: appointments.data?.items ?? [],
    loadError: appointments.message,
    professionals,
    holidays,
    overrides,
    blocks,
    selected,
    selectedError,
    journey,
    reschedule,
    blockPanel,
    highlight: isUuid(q.get('novo')) ? q.get('novo') : null,
    notice: q.get('aviso'),
    temporalUiUrl: session.role === 'admin' ? temporalUiUrl() : null,
    canEdit: session.role !== 'view',
  };
}) satisfies PageServerLoad;

/** The agenda URL the action came from, without the action, with a notice for the next page. */
function back(url: URL, changes: Record<string, string | null> = {}): string {
  const next = new URL(url);
  for (const key of [...next.searchParams.keys()]) if (key.startsWith('/')) next.searchParams.delete(key);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) next.searchParams.delete(k);
    else next.searchParams.set(k, v);
  }
  return next.pathname + next.search;
}

export const actions = {
  status: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const id = text(form, 'id');
    const status = text(form, 'status') as AppointmentStatus;
    const denied = denyReadOnly(session, { action: 'status' });
    if (denied) return denied;
    if (!isUuid(id) || !(status in STATUS_TRANSITIONS)) {
      return failWith({ ok: false, status: 400, error: { code: 'validation_failed', message: 'Escolha uma ação válida.' } }, url, { action: 'status' });
    }
    const r = await call(session.token, 'status', (c) => c.api.appointments[':id'].status.$post({ param: { id }, json: { status } }));
    if (!r.ok) return failWith(r, url, { action: 'status' });
    redirect(303, back(url, { aviso: `status-${status}`, ag: id }));
  },

  cancel: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const id = text(form, 'id');
    const reason = text(form, 'reason');
    const denied = denyReadOnly(session, { action: 'cancel', reason });
    if (denied) return denied;
    if (reason.length < 3) {
      return failWith(
        { ok: false, status: 400, error: { code: 'validation_failed', message: 'Informe o motivo do cancelamento.', fields: { reason: ['Escreva o motivo (ao menos 3 letras).'] } } },
        url,
        { action: 'cancel', reason },
      );
    }
    const r = await call(session.token, 'cancel', (c) => c.api.appointments[':id'].cancel.$post({ param: { id }, json: { reason } }));
    if (!r.ok) return failWith(r, url, { action: 'cancel', reason });
    redirect(303, back(url, { aviso: 'cancelado', ag: id, cancelar: null }));
  },

  reschedule: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const id = text(form, 'id');
    const [professionalId, startsAt] = text(form, 'slot').split('|');
    const denied = denyReadOnly(session, { action: 'reschedule', nextSlots: [] as NextSlot[] });
    if (denied) return denied;
    if (!isUuid(id) || !isUuid(professionalId) || !startsAt) {
      return failWith(
        { ok: false, status: 400, error: { code: 'validation_failed', message: 'Escolha um dos horários livres.' } },
        url,
        { action: 'reschedule', nextSlots: [] as NextSlot[] },
      );
    }
    const r = await call(session.token, 'reschedule', (c) =>
      c.api.appointments[':id'].reschedule.$post({ param: { id }, json: { startsAt, professionalId } }),
    );
    if (!r.ok) {
      const nextSlots = (Array.isArray(r.body?.nextSlots) ? r.body.nextSlots : []) as NextSlot[];
      return failWith(r, url, { action: 'reschedule', nextSlots });
    }
    const day = zonedParts(r.data.startsAt, session.clinic.timezone).day;
    redirect(303, back(url, { aviso: 'remarcado', ag: id, novo: id, data: day, remarcar: null, rdata: null, rprof: null }));
  },

  block: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const values = {
      professionalId: text(form, 'professionalId'),
      startDay: text(form, 'startDay'),
      startTime: text(form, 'startTime'),
      endDay: text(form, 'endDay'),
      endTime: text(form, 'endTime'),
      kind: text(form, 'kind'),
      reason: text(form, 'reason'),
    };
    const denied = denyReadOnly(session, { action: 'block', values });
    if (denied) return denied;
    const tz = session.clinic.timezone;
    const fields: Record<string, string[]> = {};
    if (!isUuid(values.professionalId)) fields.professionalId = ['Escolha o profissional.'];
    const startMinute = parseTime(values.startTime);
    const endMinute = parseTime(values.endTime);
    if (!isDay(values.startDay)) fields.startDay = ['Informe o dia de início.'];
    if (startMinute === null) fields.startTime = ['Informe a hora de início (hh:mm).'];
    if (!isDay(values.endDay)) fields.endDay = ['Informe o dia de término.'];
    if (endMinute === null) fields.endTime = ['Informe a hora de término (hh:mm).'];
    if (!(values.kind in BLOCK_KINDS)) fields.kind = ['Escolha o tipo de bloqueio.'];
    if (Object.keys(fields).length) {
      return failWith({ ok: false, status: 400, error: { code: 'validation_failed', message: 'Confira os campos destacados.', fields } }, url, { action: 'block', values });
    }
    const startsAt = zonedToUtc(values.startDay, startMinute!, tz).toISOString();
    const endsAt = zonedToUtc(values.endDay, endMinute!, tz).toISOString();
    if (endsAt <= startsAt) {
      return failWith(
        { ok: false, status: 400, error: { code: 'validation_failed', message: 'O fim do bloqueio deve ser depois do início.', fields: { endTime: ['Deve ser depois do início.'] } } },
        url,
        { action: 'block', values },
      );
    }
    const r = await call(session.token, 'block', (c) =>
      c.api.professionals[':id'].blocks.$post({
        param: { id: values.professionalId },
        json: { startsAt, endsAt, kind: values.kind as BlockKind, reason: values.reason || null },
      }),
    );
    if (!r.ok) {
      // The API names the instant fields; the form has day and time for each.
      const f = r.error.fields ?? {};
      const mapped = { ...f, ...(f.startsAt ? { startTime: f.startsAt } : {}), ...(f.endsAt ? { endTime: f.endsAt } : {}) };
      return failWith({ ...r, error: { ...r.error, fields: mapped } }, url, { action: 'block', values });
    }
    redirect(303, back(url, { aviso: 'bloqueado', bloquear: null, profissional: values.professionalId, data: values.startDay }));
  },

  unblock: async ({ request, locals, url }) => {
    const session = requireSession(locals, url);
    const form = await request.formData();
    const professionalId = text(form, 'professionalId');
    const blockId = text(form, 'blockId');
    const denied = denyReadOnly(session, { action: 'unblock' });
    if (denied) return denied;
    const r = await call(session.token, 'unblock', (c) =>
      c.api.professionals[':id'].blocks[':blockId'].$delete({ param: { id: professionalId, blockId } }),
    );
    if (!r.ok) return failWith(r, url, { action: 'unblock' });
    redirect(303, back(url, { aviso: 'desbloqueado' }));
  },
} satisfies Actions;
