// The receipt (comprovante) of one payment as a PDF in pt-BR: clinic name and CNPJ, payer, amounts in R$.
import PDFDocument from 'pdfkit';
import { formatBrl } from '../../domain/money';

export interface ReceiptData {
  clinic: { name: string; cnpj: string | null; address: string | null; phone: string | null; timezone: string };
  payment: { id: string; amountCents: number; refundedCents: number; method: string; status: string; description: string | null; processedAt: Date | null; createdAt: Date; receiptUrl: string | null };
  patient: { name: string };
  refunds: { amountCents: number; reason: string; createdAt: Date }[];
}

const METHOD: Record<string, string> = { cartao: 'Cartão', pix: 'Pix', boleto: 'Boleto', dinheiro: 'Dinheiro' };
const STATUS: Record<string, string> = { pendente: 'Pendente', processando: 'Processando', aprovado: 'Pago', recusado: 'Recusado', reembolsado: 'Reembolsado' };

/** 12345678000195 → 12.345.678/0001-95 */
export function formatCnpj(cnpj: string | null): string {
  const d = (cnpj ?? '').replace(/\D/g, '');
  return d.length === 14 ? `${d.slice(0, 2)}.${d.slice(2, 5)}.${d.slice(5, 8)}/${d.slice(8, 12)}-${d.slice(12)}` : (cnpj ?? 'não informado');
}

export function receiptPdf(data: ReceiptData): Promise<Buffer> {
  const when = (d: Date) => new Intl.DateTimeFormat('pt-BR', { dateStyle: 'short', timeStyle: 'short', timeZone: data.clinic.timezone }).format(d);
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `Comprovante de pagamento ${data.payment.id.slice(0, 8)}`, Author: data.clinic.name } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => { doc.on('end', () => resolve(Buffer.concat(chunks))); doc.on('error', reject); });

  doc.fontSize(18).text(data.clinic.name);
  doc.fontSize(10).text(`CNPJ ${formatCnpj(data.clinic.cnpj)}`);
  if (data.clinic.address) doc.text(data.clinic.address);
  if (data.clinic.phone) doc.text(`Telefone ${data.clinic.phone}`);
  doc.moveDown(1.5).fontSize(16).text('Comprovante de pagamento');
  doc.moveDown(0.5).fontSize(11);
  const line = (label: string, value: string) => doc.text(`${label}: ${value}`);
  line('Número', data.payment.id);
  line('Paciente', data.patient.name);
  if (data.payment.description) line('Descrição', data.payment.description);
  line('Forma de pagamento', METHOD[data.payment.method] ?? data.payment.method);
  line('Situação', STATUS[data.payment.status] ?? data.payment.status);
  line('Data', when(data.payment.processedAt ?? data.payment.createdAt));
  doc.moveDown(0.5).fontSize(14).text(`Valor pago: ${formatBrl(data.payment.amountCents)}`);
  if (data.refunds.length) {
    doc.moveDown(0.5).fontSize(11).text('Reembolsos:');
    for (const r of data.refunds) doc.text(`  ${when(r.createdAt)}  ${formatBrl(r.amountCents)}  (${r.reason})`);
    doc.text(`Valor líquido: ${formatBrl(data.payment.amountCents - data.payment.refundedCents)}`);
  }
  if (data.payment.receiptUrl) doc.moveDown(0.5).fontSize(10).text(`Recibo do Stripe: ${data.payment.receiptUrl}`, { link: data.payment.receiptUrl });
  doc.moveDown(2).fontSize(9).fillColor('#666').text(`Emitido em ${when(new Date())}. Documento sem valor fiscal.`);
  doc.end();
  return done;
}
