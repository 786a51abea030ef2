// Relatórios › Desempenho por profissional (issue #13): occupancy, net revenue, ticket, no-show and
// cancellation rates, NPS and reviews, commission and rebooking rate, with a totals row. Definitions:
// PROFESSIONAL_REPORT_DEFINITIONS; the arithmetic is domain/reports.ts; the available time comes from the
// agenda's own availability (services/agenda/availability.ts → domain/slots workingWindows).
import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { professionals } from '../../db/schema';
import { share } from '../../domain/kpis';
import {
  REBOOKING_DAYS, averageRating, cancellationRate, noShowRate, npsOf, occupancy, occupancyRate, ticketCents, type Interval, type NpsCounts,
} from '../../domain/reports';
import { workingWindows } from '../../domain/slots';
import { loadAvailability, performers } from '../agenda/availability';
import type { ResolvedPeriod } from '../catalog/period';
import { assertFiltersExist } from './filters';
import {
  commissionFigures, iso, moneyFigures, statusFigures, surveyFigures, visitMatches, within, type ReportFilters, type StatusFigures,
} from './visit-figures';

export const PROFESSIONAL_REPORT_DEFINITIONS = {
  occupancy:
    'Minutos agendados (agendamentos não cancelados, faltas inclusive) dentro do horário disponível ÷ minutos disponíveis. Disponível = horário de trabalho (ou o horário especial do dia) menos bloqueios, feriados e fechamentos da clínica.',
  netRevenueCents: 'Pagamentos aprovados dos agendamentos do profissional no dia em que o dinheiro entrou, menos os reembolsos no dia em que foram feitos.',
  ticketCents: 'Faturamento líquido do período ÷ atendimentos realizados e pagos no período.',
  noShowRate: 'Faltas ÷ agendamentos do período não cancelados.',
  cancellationRate: 'Cancelados ÷ agendamentos do período.',
  nps: '% de promotores − % de detratores das respostas no prazo às pesquisas enviadas no período sobre os atendimentos do profissional.',
  reviews: 'Avaliações (estrelas) recebidas no período pelos atendimentos do profissional: média e quantidade.',
  commissionCents: 'Comissões lançadas no período sobre os pagamentos dos atendimentos do profissional, menos os estornos por reembolso.',
  rebookingRate:
    `Dos atendimentos realizados no período com pelo menos ${REBOOKING_DAYS} dias, a parcela em que o mesmo paciente tem outro agendamento (não cancelado, com qualquer profissional) começando nos ${REBOOKING_DAYS} dias seguintes. Os mais recentes ainda não podem ser avaliados e ficam de fora (aguardando).`,
} as const;

interface Base {
  appointments: { total: number; realizado: number; cancelado: number; no_show: number };
  paidVisits: number;
  availableMinutes: number;
  bookedMinutes: number;
  bookedInHoursMinutes: number;
  occupancy: number | null;
  grossRevenueCents: number;
  refundsCents: number;
  netRevenueCents: number;
  ticketCents: number | null;
  noShowRate: number | null;
  cancellationRate: number | null;
  nps: NpsCounts & { sent: number; score: number | null };
  reviews: { count: number; stars: number; average: number | null };
  commissionCents: number;
  rebooking: { eligible: number; rebooked: number; pending: number; rate: number | null };
}

export interface ProfessionalRow extends Base {
  professionalId: string;
  name: string;
  active: boolean;
}

const NO_STATUS: StatusFigures = { booked: 0, agendado: 0, confirmado: 0, realizado: 0, cancelado: 0, no_show: 0, paidVisits: 0 };
const n = (v: unknown) => Number(v ?? 0);

export async function professionalReport(tx: Tx, clinicId: string, period: ResolvedPeriod, f: ReportFilters, now: Date) {
  await assertFiltersExist(tx, clinicId, f);
  const match = visitMatches(clinicId, f);
  const inPeriod = (col: string) => within(sql.raw(col), period);
  const cutoff = new Date(now.getTime() - REBOOKING_DAYS * 86_400_000);
  const [status, money, commission, surveys, reviewRows, rebookRows, bookedRows] = await Promise.all([
    statusFigures(tx, clinicId, period, f, 'professional'),
    moneyFigures(tx, clinicId, period, f, 'professional'),
    commissionFigures(tx, clinicId, period, f, 'professional'),
    surveyFigures(tx, clinicId, period, f, 'professional'),
    tx.execute<Record<string, unknown>>(sql`
      select a.professional_id as key, count(*) as count, coalesce(sum(rv.rating), 0) as stars
      from reviews rv join appointments a on a.id = rv.appointment_id
      where rv.clinic_id = ${clinicId}::uuid and ${match} and ${inPeriod('rv.created_at')}
      group by 1`),
    // Censoring: a visit less than REBOOKING_DAYS old cannot be judged yet; it is counted as pending, outside the rate.
    tx.execute<Record<string, unknown>>(sql`
      select a.professional_id as key,
        count(*) filter (where a.starts_at <= ${iso(cutoff)}) as eligible,
        count(*) filter (where a.starts_at <= ${iso(cutoff)} and exists (
          select 1 from appointments b
          where b.clinic_id = a.clinic_id and b.patient_id = a.patient_id and b.id <> a.id and b.status <> 'cancelado'
            and b.starts_at > a.starts_at and b.starts_at <= a.starts_at + make_interval(days => ${REBOOKING_DAYS})
        )) as rebooked,
        count(*) filter (where a.starts_at > ${iso(cutoff)}) as pending
      from appointments a
      where ${match} and a.status = 'realizado' and ${inPeriod('a.starts_at')}
      group by 1`),
    tx.execute<{ professional_id: string; starts_at: string; ends_at: string }>(sql`
      select a.professional_id, a.starts_at, a.ends_at from appointments a
      where ${match} and a.status <> 'cancelado' and ${inPeriod('a.starts_at')}`),
  ]);
  const reviews = new Map([...reviewRows].map((r) => [String(r.key), { count: n(r.count), stars: n(r.stars) }]));
  const rebooking = new Map([...rebookRows].map((r) => [String(r.key), { eligible: n(r.eligible), rebooked: n(r.rebooked), pending: n(r.pending) }]));
  const booked = new Map<string, Interval[]>();
  for (const b of bookedRows) {
    const list = booked.get(b.professional_id) ?? [];
    list.push({ start: new Date(b.starts_at), end: new Date(b.ends_at) });
    booked.set(b.professional_id, list);
  }

  // The table: who did something in the period, plus (without a professional filter) the active ones who
  // had time available, as their idle hours are part of the clinic's occupancy.
  const people = await tx.select({ id: professionals.id, name: professionals.name, active: professionals.active })
    .from(professionals).where(and(eq(professionals.clinicId, clinicId), f.professionalId ? eq(professionals.id, f.professionalId) : undefined));
  const withActivity = new Set([...status.keys(), ...money.keys(), ...commission.keys(), ...surveys.keys(), ...reviews.keys(), ...rebooking.keys()]);
  let candidates = people.filter((p) => f.professionalId || p.active || withActivity.has(p.id));
  if (f.procedureId && !f.professionalId) {
    const able = await performers(tx, candidates.map((p) => p.id), f.procedureId);
    candidates = candidates.filter((p) => withActivity.has(p.id) || able.has(p.id));
  }
  const availability = candidates.length
    ? await loadAvailability(tx, { clinicId, now, from: period.fromDay, to: period.toDay, professionalIds: candidates.map((p) => p.id) })
    : null;

  const rows: ProfessionalRow[] = [];
  for (const person of candidates) {
    const prof = availability?.professionals.find((p) => p.professionalId === person.id);
    const windows = prof ? workingWindows({ timeZone: availability!.timeZone, holidays: availability!.holidays, professional: prof }, period.fromDay, period.toDay) : [];
    const blocks = (prof?.busy ?? []).filter((b) => b.kind === 'block');
    const occ = occupancy({ windows, blocks, booked: booked.get(person.id) ?? [] });
    if (!f.professionalId && !withActivity.has(person.id) && occ.availableMinutes === 0) continue;
    const s = status.get(person.id) ?? NO_STATUS;
    const m = money.get(person.id) ?? { grossRevenueCents: 0, refundsCents: 0 };
    const net = m.grossRevenueCents - m.refundsCents;
    const sv = surveys.get(person.id) ?? { sent: 0, answered: 0, promoters: 0, detractors: 0 };
    const rv = reviews.get(person.id) ?? { count: 0, stars: 0 };
    const rb = rebooking.get(person.id) ?? { eligible: 0, rebooked: 0, pending: 0 };
    const counts = { booked: s.booked, cancelled: s.cancelado, noShows: s.no_show };
    rows.push({
      professionalId: person.id, name: person.name, active: person.active,
      appointments: { total: s.booked, realizado: s.realizado, cancelado: s.cancelado, no_show: s.no_show },
      paidVisits: s.paidVisits,
      ...occ,
      grossRevenueCents: m.grossRevenueCents, refundsCents: m.refundsCents, netRevenueCents: net, ticketCents: ticketCents(net, s.paidVisits),
      noShowRate: noShowRate(counts), cancellationRate: cancellationRate(counts),
      nps: { ...sv, score: npsOf(sv) },
      reviews: { ...rv, average: averageRating(rv.stars, rv.count) },
      commissionCents: commission.get(person.id) ?? 0,
      rebooking: { ...rb, rate: share(rb.rebooked, rb.eligible) },
    });
  }
  rows.sort((a, b) => b.netRevenueCents - a.netRevenueCents || a.name.localeCompare(b.name, 'pt-BR'));
  return { rows, totals: totalsOf(rows) };
}

function totalsOf(rows: ProfessionalRow[]): Base {
  const sum = (pick: (r: ProfessionalRow) => number) => rows.reduce((t, r) => t + pick(r), 0);
  const s = { booked: sum((r) => r.appointments.total), cancelled: sum((r) => r.appointments.cancelado), noShows: sum((r) => r.appointments.no_show) };
  const net = sum((r) => r.netRevenueCents);
  const paidVisits = sum((r) => r.paidVisits);
  const availableMinutes = sum((r) => r.availableMinutes);
  const bookedInHoursMinutes = sum((r) => r.bookedInHoursMinutes);
  const nps = { sent: sum((r) => r.nps.sent), answered: sum((r) => r.nps.answered), promoters: sum((r) => r.nps.promoters), detractors: sum((r) => r.nps.detractors) };
  const reviews = { count: sum((r) => r.reviews.count), stars: sum((r) => r.reviews.stars) };
  const rb = { eligible: sum((r) => r.rebooking.eligible), rebooked: sum((r) => r.rebooking.rebooked), pending: sum((r) => r.rebooking.pending) };
  return {
    appointments: { total: s.booked, realizado: sum((r) => r.appointments.realizado), cancelado: s.cancelled, no_show: s.noShows },
    paidVisits,
    availableMinutes, bookedMinutes: sum((r) => r.bookedMinutes), bookedInHoursMinutes, occupancy: occupancyRate(bookedInHoursMinutes, availableMinutes),
    grossRevenueCents: sum((r) => r.grossRevenueCents), refundsCents: sum((r) => r.refundsCents), netRevenueCents: net, ticketCents: ticketCents(net, paidVisits),
    noShowRate: noShowRate(s), cancellationRate: cancellationRate(s),
    nps: { ...nps, score: npsOf(nps) },
    reviews: { ...reviews, average: averageRating(reviews.stars, reviews.count) },
    commissionCents: sum((r) => r.commissionCents),
    rebooking: { ...rb, rate: share(rb.rebooked, rb.eligible) },
  };
}
