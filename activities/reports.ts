// The monthly report by e-mail (issue #13): on the 1st of each month (from 08:00 in the clinic's zone, and
// until the 3rd if the worker was down), each clinic that turned it on in Administração gets last month's
// figures in the message and a signed link to the PDF (valid 30 days, /p/relatorio/{token}); one message
// per recipient and month (the outbox's idempotency key), so a rerun of the Schedule sends nothing twice.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { withClinic } from '../db/tenancy';
import { clinics } from '../db/schema';
import { reportSettingsOf } from '../domain/clinic-settings';
import { formatBrl } from '../domain/money';
import { reportLinkUrl, signReportLink } from '../domain/signed-links';
import { localParts } from '../domain/timezone';
import { addMonths, monthName } from '../domain/reports';
import { monthlyReport } from '../services/reports/monthly';
import type { MessageSender, SendStatus } from '../providers/messaging/types';
import type { ReminderLinks } from './appointment';

export const REPORT_LINK_DAYS = 30;
const DAY = 86_400_000;

export interface ReportActivityDeps {
  db: Db;
  sender: MessageSender;
  links: ReminderLinks;
  clock?: () => Date;
}

/** 1st to 3rd of the month, from 08:00 local: last month's report is due. */
export function monthlyReportDue(at: Date, timeZone: string): string | null {
  const p = localParts(at, timeZone);
  const day = Number(p.date.slice(8, 10));
  if (day > 3 || (day === 1 && p.minute < 8 * 60)) return null;
  return addMonths(p.date.slice(0, 7), -1);
}

export function createReportActivities(deps: ReportActivityDeps) {
  const clock = deps.clock ?? (() => new Date());
  return {
    /** The clinics whose monthly e-mail is due now, with the month it reports. */
    async monthlyReportsDue(input: { at?: string }): Promise<{ clinicId: string; month: string }[]> {
      const at = input.at ? new Date(input.at) : clock();
      const all = await deps.db.select({ id: clinics.id, timezone: clinics.timezone, settings: clinics.settings }).from(clinics);
      return all.flatMap((c) => {
        const month = reportSettingsOf(c.settings).monthlyEmail.enabled ? monthlyReportDue(at, c.timezone) : null;
        return month ? [{ clinicId: c.id, month }] : [];
      });
    },

    /** Last month's figures and the PDF's link to each recipient; the same month twice sends nothing new. */
    async sendMonthlyReport(input: { clinicId: string; month: string; at?: string }): Promise<{ recipients: number; statuses: SendStatus[] }> {
      const at = input.at ? new Date(input.at) : clock();
      const { report, recipients } = await withClinic(deps.db, input.clinicId, async (tx) => {
        const [c] = await tx.select({ settings: clinics.settings }).from(clinics).where(eq(clinics.id, input.clinicId));
        return { report: await monthlyReport(tx, input.clinicId, input.month, at), recipients: reportSettingsOf(c?.settings).monthlyEmail.recipients };
      });
      const link = reportLinkUrl(deps.links.webBaseUrl, signReportLink(deps.links.secret, input.clinicId, report.month, at.getTime() + REPORT_LINK_DAYS * DAY));
      const f = report.current.figures;
      const subject = `Relatório mensal de ${monthName(report.month)} — ${report.clinic.name}`;
      const lines = [
        'Olá!',
        '',
        `Estes são os números da ${report.clinic.name} em ${monthName(report.month)}:`,
        `• Faturamento líquido: ${formatBrl(f.revenueCents)} (${formatBrl(f.grossRevenueCents)} recebidos, ${formatBrl(f.refundsCents)} reembolsados)`,
        `• Atendimentos realizados: ${f.completed} de ${f.appointments} agendamentos (${f.noShows} ${f.noShows === 1 ? 'falta' : 'faltas'})`,
        `• Ticket médio: ${formatBrl(f.averageTicketCents)}`,
        `• NPS: ${report.current.nps.score ?? 'sem respostas'}${report.current.nps.answered ? ` (${report.current.nps.answered} respostas)` : ''}`,
        `• Leads da Anna: ${f.leads}, conversões: ${f.conversions}`,
        '',
        `O relatório completo em PDF (válido por ${REPORT_LINK_DAYS} dias): ${link}`,
        '',
        'Tigre CRM',
      ];
      const statuses: SendStatus[] = [];
      for (const to of recipients) {
        const r = await deps.sender.send({
          clinicId: input.clinicId, channel: 'email', to, subject, body: lines.join('\n'), templateKey: 'monthly_report', purpose: 'transactional',
          idempotencyKey: `report:monthly:${input.clinicId}:${report.month}:${to}`,
        });
        statuses.push(r.status);
      }
      return { recipients: recipients.length, statuses };
    },
  };
}

export type ReportActivities = ReturnType<typeof createReportActivities>;
