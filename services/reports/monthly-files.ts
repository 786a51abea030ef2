// The monthly report as files: a PDF (pdfkit: the clinic's name and CNPJ, the figures beside the previous
// month and the same month last year, the daily revenue drawn as vector bars, the top procedures and the
// reminders per channel, page numbers, pt-BR formats) and a workbook (services/exports: one sheet each).
import PDFDocument from 'pdfkit';
import { KPI_DEFINITIONS } from '../../domain/kpis';
import { formatBrl } from '../../domain/money';
import { monthName } from '../../domain/reports';
import { formatCnpj } from '../payments/receipt';
import { tablesToXlsx, type ExportTable } from '../exports/table';
import type { MonthFigures, MonthlyReport } from './monthly';

const dm = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}`;
const int = (n: number) => n.toLocaleString('pt-BR');
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toLocaleString('pt-BR', { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`);
const CHANNEL: Record<string, string> = { whatsapp: 'WhatsApp', sms: 'SMS', email: 'E-mail', total: 'Total' };

/** The rows of the summary: label, and the value of a month as text and as a number (for the workbook). */
export function summaryRows(): { label: string; kind: 'money' | 'int' | 'rate' | 'nps'; value: (m: MonthFigures) => number | null }[] {
  return [
    { label: KPI_DEFINITIONS.grossRevenueCents.label, kind: 'money', value: (m) => m.figures.grossRevenueCents },
    { label: KPI_DEFINITIONS.refundsCents.label, kind: 'money', value: (m) => m.figures.refundsCents },
    { label: KPI_DEFINITIONS.revenueCents.label, kind: 'money', value: (m) => m.figures.revenueCents },
    { label: KPI_DEFINITIONS.averageTicketCents.label, kind: 'money', value: (m) => m.figures.averageTicketCents },
    { label: KPI_DEFINITIONS.appointments.label, kind: 'int', value: (m) => m.figures.appointments },
    { label: KPI_DEFINITIONS.completed.label, kind: 'int', value: (m) => m.figures.completed },
    { label: KPI_DEFINITIONS.noShows.label, kind: 'int', value: (m) => m.figures.noShows },
    { label: KPI_DEFINITIONS.cancelled.label, kind: 'int', value: (m) => m.figures.cancelled },
    { label: 'Taxa de faltas', kind: 'rate', value: (m) => m.rates.noShow },
    { label: 'Pacientes na primeira visita', kind: 'int', value: (m) => m.patients.firstVisit },
    { label: 'Pacientes que voltaram', kind: 'int', value: (m) => m.patients.returning },
    { label: KPI_DEFINITIONS.newPatients.label, kind: 'int', value: (m) => m.figures.newPatients },
    { label: 'Leads da Anna', kind: 'int', value: (m) => m.figures.leads },
    { label: 'Conversões da Anna', kind: 'int', value: (m) => m.figures.conversions },
    { label: 'Taxa de conversão', kind: 'rate', value: (m) => m.rates.conversion },
    { label: 'NPS', kind: 'nps', value: (m) => m.nps.score },
    { label: 'Pesquisas respondidas', kind: 'int', value: (m) => m.nps.answered },
    { label: 'Sucesso dos lembretes', kind: 'rate', value: (m) => m.reminders.find((r) => r.channel === 'total')?.successRate ?? null },
  ];
}

const show = (kind: 'money' | 'int' | 'rate' | 'nps', v: number | null) =>
  (v === null ? '—' : kind === 'money' ? formatBrl(v) : kind === 'rate' ? pct(v) : int(v));

export function monthlyPdf(r: MonthlyReport): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 48, bufferPages: true, info: { Title: `Relatório mensal — ${monthName(r.month)}`, Author: r.clinic.name } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => { doc.on('end', () => resolve(Buffer.concat(chunks))); doc.on('error', reject); });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;

  doc.fontSize(18).font('Helvetica-Bold').text(r.clinic.name);
  doc.fontSize(10).font('Helvetica').fillColor('#555').text(`CNPJ ${formatCnpj(r.clinic.cnpj)}`);
  doc.moveDown(0.6).fillColor('#000').fontSize(14).font('Helvetica-Bold').text(`Relatório mensal — ${monthName(r.month)}`);
  doc.fontSize(9).font('Helvetica').fillColor('#555')
    .text(r.complete ? 'Mês completo.' : `Mês em andamento: dias 1 a ${r.throughDay}, comparados aos mesmos dias dos outros meses.`);
  doc.fillColor('#000').moveDown(0.8);

  // Summary table: indicator | this month | previous | same month last year.
  const cols = [width * 0.4, width * 0.2, width * 0.2, width * 0.2];
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    let x = left;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    cells.forEach((c, i) => { doc.text(c, x, y, { width: cols[i]! - 6, align: i === 0 ? 'left' : 'right' }); x += cols[i]!; });
    doc.y = y + 14;
    doc.x = left;
  };
  row(['Indicador', monthName(r.current.month), monthName(r.previous.month), monthName(r.lastYear.month)], true);
  doc.moveTo(left, doc.y - 2).lineTo(left + width, doc.y - 2).strokeColor('#999').lineWidth(0.5).stroke();
  for (const s of summaryRows()) row([s.label, show(s.kind, s.value(r.current)), show(s.kind, s.value(r.previous)), show(s.kind, s.value(r.lastYear))]);

  // Daily net revenue as vector bars.
  doc.moveDown(1).font('Helvetica-Bold').fontSize(11).text('Faturamento líquido por dia', left);
  const chartTop = doc.y + 6;
  const chartH = 120;
  const max = Math.max(1, ...r.series.map((d) => Math.abs(d.revenueCents)));
  const band = width / Math.max(1, r.series.length);
  doc.moveTo(left, chartTop + chartH).lineTo(left + width, chartTop + chartH).strokeColor('#999').stroke();
  r.series.forEach((d, i) => {
    const h = (Math.max(0, d.revenueCents) / max) * chartH;
    if (h > 0) doc.rect(left + i * band + band * 0.15, chartTop + chartH - h, band * 0.7, h).fill('#b45309');
    if (i % Math.ceil(r.series.length / 10) === 0) doc.fillColor('#555').fontSize(7).font('Helvetica').text(dm(d.day), left + i * band - 6, chartTop + chartH + 3, { width: 30 });
  });
  doc.fillColor('#555').fontSize(7).text(`máximo ${formatBrl(max)}`, left, chartTop - 2, { width, align: 'right' });
  doc.fillColor('#000');
  doc.y = chartTop + chartH + 18;
  doc.x = left;

  doc.moveDown(0.6).font('Helvetica-Bold').fontSize(11).text('Procedimentos com mais faturamento');
  doc.moveDown(0.3);
  if (!r.current.topProcedures.length) doc.font('Helvetica').fontSize(9).text('Nenhum atendimento no mês.');
  else {
    row(['Procedimento', 'Atendimentos', 'Faturamento', ''], true);
    for (const p of r.current.topProcedures) row([p.name, int(p.visits), formatBrl(p.revenueCents), '']);
  }

  doc.moveDown(0.6).font('Helvetica-Bold').fontSize(11).text('Lembretes por canal');
  doc.moveDown(0.3);
  row(['Canal', 'Enviados', 'Respondidos', 'Sucesso'], true);
  for (const c of r.current.reminders) row([CHANNEL[c.channel] ?? c.channel, int(c.sent), int(c.answered), pct(c.successRate)]);

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.height - doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.fontSize(8).fillColor('#777').text(`${r.clinic.name} · ${monthName(r.month)} · página ${i + 1} de ${range.count}`, left, bottom + 20, { width, align: 'center' });
  }
  doc.end();
  return done;
}

export function monthlyXlsx(r: MonthlyReport): Promise<Buffer> {
  const rows = summaryRows();
  const summary: ExportTable<(typeof rows)[number]> = {
    sheet: 'Resumo', rows: [rows],
    columns: [
      { header: 'Indicador', type: 'text', value: (s) => (s.kind === 'rate' ? `${s.label} (%)` : s.label), width: 34 },
      ...([['current', monthName(r.current.month)], ['previous', monthName(r.previous.month)], ['lastYear', monthName(r.lastYear.month)]] as const).flatMap(([k, label]) => [
        { header: `${label} (R$)`, type: 'money' as const, value: (s: (typeof rows)[number]) => (s.kind === 'money' ? s.value(r[k]) : null) },
        { header: label, type: 'decimal' as const, value: (s: (typeof rows)[number]) => {
          const v = s.kind === 'money' ? null : s.value(r[k]);
          return v !== null && s.kind === 'rate' ? Math.round(v * 1000) / 10 : v;
        } },
      ]),
    ],
  };
  const days: ExportTable<MonthlyReport['series'][number]> = {
    sheet: 'Dias', rows: [r.series],
    columns: [
      { header: 'Dia', type: 'day', value: (d) => d.day },
      { header: 'Faturamento bruto (R$)', type: 'money', value: (d) => d.grossRevenueCents },
      { header: 'Reembolsos (R$)', type: 'money', value: (d) => d.refundsCents },
      { header: 'Faturamento líquido (R$)', type: 'money', value: (d) => d.revenueCents },
      { header: 'Agendamentos', type: 'integer', value: (d) => d.appointments },
      { header: 'Realizados', type: 'integer', value: (d) => d.completed },
    ],
  };
  const procedures: ExportTable<MonthFigures['topProcedures'][number]> = {
    sheet: 'Procedimentos', rows: [r.current.topProcedures],
    columns: [
      { header: 'Procedimento', type: 'text', value: (p) => p.name },
      { header: 'Atendimentos', type: 'integer', value: (p) => p.visits },
      { header: 'Faturamento líquido (R$)', type: 'money', value: (p) => p.revenueCents },
    ],
  };
  const reminders: ExportTable<MonthFigures['reminders'][number]> = {
    sheet: 'Lembretes', rows: [r.current.reminders],
    columns: [
      { header: 'Canal', type: 'text', value: (c) => CHANNEL[c.channel] ?? c.channel },
      { header: 'Enviados', type: 'integer', value: (c) => c.sent },
      { header: 'Entregues', type: 'integer', value: (c) => c.delivered },
      { header: 'Respondidos', type: 'integer', value: (c) => c.answered },
      { header: 'Taxa de resposta', type: 'percent', value: (c) => c.answerRate },
      { header: 'Agendamentos lembrados', type: 'integer', value: (c) => c.reminded },
      { header: 'Taxa de sucesso', type: 'percent', value: (c) => c.successRate },
    ],
  };
  return tablesToXlsx([summary, days, procedures, reminders] as ExportTable<unknown>[], { timeZone: r.timeZone });
}
