// Money: what each appointment was paid with (or refunded, or still owes), product sales and monthly plans.
import type * as s from '../schema';
import type { AppointmentDraft } from './agenda';
import type { PatientDraft } from './patients';
import { addDays, DAY, ddmm, hexId, HOUR, later, minDate, MINUTE, type Row, type SeedRun } from './support';

type PaymentRow = Row<typeof s.payments>;

/** Paid after the visit (rarely after a declined card); a deposit up front, refunded on cancellation; a Pix still pending. */
export function chargeAppointment(run: SeedRun, a: AppointmentDraft, payments: PaymentRow[]) {
  const { random, newId, clinicId, nowMs } = run;
  const r = a.row;
  const status = r.status;
  const createdMs = r.createdAt.getTime();
  const method = () => random.weighted([['cartao', 50], ['pix', 36], ['dinheiro', 10], ['boleto', 4]] as const);
  const pay = (at: Date, m: s.PaymentMethod, status: s.PaymentStatus, extra: Partial<PaymentRow> = {}) => {
    const row = {
      id: newId(), clinicId, appointmentId: r.id, patientId: a.patient.row.id, amountCents: r.priceCents, method: m, status,
      stripePaymentId: m === 'cartao' || m === 'pix' ? `pi_${hexId(random, 24)}` : null,
      description: `${a.procedure.name} – ${ddmm(a.day)}/${a.day.slice(0, 4)}`, createdAt: at,
      processedAt: status === 'pendente' || status === 'processando' ? null : new Date(Math.min(nowMs, at.getTime() + random.int(3, 50) * 1000)),
      ...extra,
    } satisfies PaymentRow;
    payments.push(row);
    return row;
  };
  r.paymentStatus = 'pendente';
  if (status === 'realizado') {
    const paidAt = new Date(Math.min(nowMs - MINUTE, a.endsAt.getTime() + random.int(0, 20) * MINUTE));
    if (random.chance(0.94)) {
      if (random.chance(0.04)) pay(later(paidAt, -4 * MINUTE), 'cartao', 'recusado');
      pay(paidAt, method(), 'aprovado');
      r.paymentStatus = 'pago';
    } else if (random.chance(0.5)) {
      pay(paidAt, 'boleto', 'pendente');
    }
  } else if (status === 'no_show') {
    // Nothing to charge.
  } else if (random.chance(status === 'cancelado' ? 0.2 : 0.22)) {
    // Deposit paid up front (Pix or card link); refunded when the appointment was cancelled.
    const paidAt = new Date(Math.min(nowMs - MINUTE, createdMs + random.int(5, 240) * MINUTE));
    if (status === 'cancelado' && r.cancelledAt) {
      const at = minDate(paidAt, new Date(r.cancelledAt.getTime() - MINUTE));
      pay(at, random.chance(0.7) ? 'pix' : 'cartao', 'reembolsado', { refundedAt: new Date(Math.min(nowMs, r.cancelledAt.getTime() + HOUR)), refundedCents: r.priceCents });
      r.paymentStatus = 'reembolsado';
    } else {
      pay(paidAt, random.chance(0.7) ? 'pix' : 'cartao', 'aprovado');
      r.paymentStatus = 'pago';
    }
  } else if (status !== 'cancelado' && random.chance(0.1)) {
    pay(new Date(Math.min(nowMs - MINUTE, createdMs + 10 * MINUTE)), 'pix', 'pendente');
  }
}

/** Skin-care products sold at the desk to patients who have visited. */
export function productSales(run: SeedRun, customers: PatientDraft[], payments: PaymentRow[]) {
  const { random, newId, clinicId, nowMs, windowStart } = run;
  for (let i = 0; i < 18; i++) {
    const d = random.pick(customers);
    const at = new Date(windowStart + random.next() * (nowMs - windowStart - DAY));
    const product = random.pick([['Protetor solar FPS 50', 12900], ['Sérum de vitamina C', 18900], ['Hidratante pós-procedimento', 9900]] as const);
    payments.push({
      id: newId(), clinicId, patientId: d.row.id, amountCents: product[1], method: random.pick(['cartao', 'pix'] as const), status: 'aprovado',
      stripePaymentId: `pi_${hexId(random, 24)}`, description: product[0], createdAt: at, processedAt: later(at, 30_000),
    });
  }
}

/** Six monthly plans: four running, one suspended, one cancelled. */
export function monthlyPlans(run: SeedRun, customers: PatientDraft[]): Row<typeof s.recurringPayments>[] {
  const { random, newId, clinicId, today, calendar } = run;
  return random.sample(customers, 6).map((d, i) => {
    const dayOfMonth = random.pick([5, 10, 15, 20]);
    const [y, m] = today.split('-').map(Number);
    const thisMonth = new Date(Date.UTC(y, m - 1, dayOfMonth)).toISOString().slice(0, 10);
    const nextMonth = new Date(Date.UTC(y, m, dayOfMonth)).toISOString().slice(0, 10);
    const status = i < 4 ? 'ativo' : i === 4 ? 'suspenso' : 'cancelado';
    return {
      id: newId(), clinicId, patientId: d.row.id, amountCents: i % 2 ? 34900 : 19900, dayOfMonth,
      status, nextDate: status === 'ativo' ? (thisMonth > today ? thisMonth : nextMonth) : null,
      stripeSubscriptionId: `sub_${hexId(random, 24)}`, description: i % 2 ? 'Plano Glow mensal (limpeza + drenagem)' : 'Plano Drenagem mensal',
      createdAt: calendar.atLocal(addDays(today, -random.int(40, 170)), 11 * 60), updatedAt: calendar.atLocal(addDays(today, -random.int(1, 30)), 11 * 60),
    } satisfies Row<typeof s.recurringPayments>;
  });
}

/** The refund behind each refunded payment (the deposits given back on cancellation), on the day it was made. */
export function demoRefunds(run: SeedRun, payments: PaymentRow[]): Row<typeof s.paymentRefunds>[] {
  return payments
    .filter((p) => p.refundedCents && p.refundedAt)
    .map((p) => ({ id: run.newId(), clinicId: run.clinicId, paymentId: p.id!, amountCents: p.refundedCents!, reason: 'Cancelamento do agendamento', createdAt: p.refundedAt! }));
}
