// Relatórios › Funil (issue #13, "where do we lose patients?"): the period's WhatsApp leads followed
// through qualified → booked → realised → returned, every step a subset of the one before (the cohort is
// the leads whose conversation started in the period, as the dashboard's conversions); the reminders'
// part of the same period (./reminders.ts reminderReport, every channel together) and the no-shows.
// Conversions are domain/reports funnelSteps.
import { eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { clinics } from '../../db/schema';
import { leadSettingsOf } from '../../domain/clinic-settings';
import { noShowRate, share } from '../../domain/kpis';
import { funnelSteps } from '../../domain/reports';
import type { ResolvedPeriod } from '../catalog/period';
import { reminderReport } from './reminders';
import { iso, within } from './visit-figures';

/** Days after a realised visit within which another realised visit makes the patient "returned". */
export const RETURN_DAYS = 90;

export const FUNNEL_STEPS = ['lead', 'qualified', 'booked', 'realised', 'returned'] as const;
export type FunnelKey = (typeof FUNNEL_STEPS)[number];

export const FUNNEL_REPORT_DEFINITIONS = {
  lead: 'Conversas novas de lead no WhatsApp iniciadas no período (dias locais da clínica), sem spam e sem as conversas abertas para a equipe tratar detratores do NPS.',
  qualified: 'Dos leads, os que a Anna qualificou com pontuação acima do limite da clínica (Administração › Anna, "qualificationThreshold"; padrão 70).',
  booked: 'Dos qualificados, os cuja conversa virou agendamento (conversa convertida), qualquer que seja a data do agendamento.',
  realised: 'Dos agendados, os cujo agendamento da conversa foi realizado.',
  returned: `Dos realizados, as pacientes com outro atendimento realizado nos ${RETURN_DAYS} dias seguintes. A taxa é sobre os realizados há pelo menos ${RETURN_DAYS} dias; os mais recentes ainda não podem ser avaliados e ficam de fora (aguardando), como na taxa de retorno dos profissionais.`,
  bookedWithoutQualification: 'Leads convertidos em agendamento sem pontuação acima do limite (por exemplo, agendados pela equipe a partir da fila): ficam fora do funil a partir de "qualificados".',
  reminders: 'Lembretes do período (todos os canais): agendamentos que receberam ao menos um lembrete, quantos foram confirmados pela paciente e quantos foram realizados (comparecimento não exige confirmação). "sent" conta mensagens.',
  noShows: 'Agendamentos que começam no período em que a paciente faltou; a taxa é faltas ÷ agendamentos não cancelados (como no painel).',
} as const;

const n = (v: unknown) => Number(v ?? 0);

export async function funnelReport(tx: Tx, clinicId: string, p: ResolvedPeriod, now: Date) {
  const [clinic] = await tx.select({ settings: clinics.settings }).from(clinics).where(eq(clinics.id, clinicId));
  const threshold = leadSettingsOf(clinic?.settings).threshold;
  const cutoff = new Date(now.getTime() - RETURN_DAYS * 86_400_000);
  const [[f], [ap], reminders] = await Promise.all([
    tx.execute<Record<string, unknown>>(sql`
      with leads as (
        select cv.id, cv.status, q.score, a.id as appointment_id, a.patient_id, a.status as appointment_status, a.starts_at
        from conversations cv
        left join conversation_qualifications q on q.clinic_id = cv.clinic_id and q.conversation_id = cv.id
        left join appointments a on a.clinic_id = cv.clinic_id and a.id = cv.converted_appointment_id and cv.status = 'convertida'
        where cv.clinic_id = ${clinicId}::uuid and cv.subject = 'lead' and cv.channel = 'whatsapp' and cv.status <> 'spam'
          and ${within(sql`cv.started_at`, p)}
      ),
      steps as (
        select l.*, coalesce(l.score > ${threshold}, false) as qualified, l.appointment_id is not null as booked,
          l.appointment_id is not null and l.appointment_status = 'realizado' and l.starts_at <= ${iso(now)} as realised
        from leads l
      )
      select count(*) as lead,
        count(*) filter (where qualified) as qualified,
        count(*) filter (where qualified and booked) as booked,
        count(*) filter (where qualified and realised) as realised,
        count(*) filter (where qualified and realised and starts_at <= ${iso(cutoff)}) as judged,
        count(*) filter (where qualified and realised and starts_at > ${iso(cutoff)}) as pending,
        count(*) filter (where qualified and realised and starts_at <= ${iso(cutoff)} and exists (
          select 1 from appointments b
          where b.clinic_id = ${clinicId}::uuid and b.patient_id = steps.patient_id and b.id <> steps.appointment_id and b.status = 'realizado'
            and b.starts_at > steps.starts_at and b.starts_at <= steps.starts_at + make_interval(days => ${RETURN_DAYS})
        )) as returned,
        count(*) filter (where booked and not qualified) as booked_unqualified,
        count(*) filter (where qualified and booked and appointment_status = 'no_show') as booked_no_show,
        count(*) filter (where qualified and booked and appointment_status = 'cancelado') as booked_cancelled
      from steps`),
    tx.execute<Record<string, unknown>>(sql`
      select count(*) as booked, count(*) filter (where a.status = 'cancelado') as cancelled, count(*) filter (where a.status = 'no_show') as no_shows
      from appointments a where a.clinic_id = ${clinicId}::uuid and ${within(sql`a.starts_at`, p)}`),
    reminderReport(tx, clinicId, p.fromDay, p.toDay, p.timeZone),
  ]);

  const counts = {
    lead: n(f?.lead), qualified: n(f?.qualified), booked: n(f?.booked), realised: n(f?.realised), returned: n(f?.returned),
  };
  const judged = n(f?.judged);
  const steps = funnelSteps<FunnelKey>([
    { key: 'lead', count: counts.lead }, { key: 'qualified', count: counts.qualified }, { key: 'booked', count: counts.booked },
    { key: 'realised', count: counts.realised }, { key: 'returned', count: counts.returned, base: judged },
  ]);
  const total = reminders.find((r) => r.channel === 'total')!;
  const appointments = { booked: n(ap?.booked), cancelled: n(ap?.cancelled), noShows: n(ap?.no_shows) };
  return {
    qualificationThreshold: threshold,
    returnDays: RETURN_DAYS,
    steps,
    returned: { judged, pending: n(f?.pending), returned: counts.returned },
    lost: {
      bookedWithoutQualification: n(f?.booked_unqualified),
      bookedNoShow: n(f?.booked_no_show),
      bookedCancelled: n(f?.booked_cancelled),
    },
    reminders: {
      sent: total.sent, reminded: total.reminded, confirmed: total.confirmed, attended: total.attended, noShow: total.noShow,
      confirmationRate: share(total.confirmed, total.reminded), attendanceRate: share(total.attended, total.reminded),
    },
    noShows: {
      count: appointments.noShows, appointments: appointments.booked, cancelled: appointments.cancelled,
      rate: noShowRate({ appointments: appointments.booked, cancelled: appointments.cancelled, noShows: appointments.noShows }),
    },
  };
}
