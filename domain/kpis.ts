// The clinic's KPIs, each defined once: what it counts (in pt-BR, shown beside every figure) and the
// arithmetic between figures. The daily rollup, the live figures and every report use these.

/** The figures of one local day (or a sum of days). Money in centavos. */
export interface Figures {
  /** Money received: approved payments, on the day they were processed. */
  grossRevenueCents: number;
  /** Money given back: refunds, on the day of each refund. */
  refundsCents: number;
  /** grossRevenueCents − refundsCents (may be negative on a day with more refunds than sales). */
  revenueCents: number;
  /** Appointments scheduled to start that day, whatever became of them. */
  appointments: number;
  completed: number;
  noShows: number;
  cancelled: number;
  /** Completed appointments whose payment was received (appointment payment status "pago"). */
  paidVisits: number;
  /** New WhatsApp conversations (leads) that started that day, spam excluded. */
  leads: number;
  /** Of those leads, the ones whose conversation became an appointment (cohort of the lead's first day). */
  conversions: number;
  newPatients: number;
  averageTicketCents: number;
}
export type FigureKey = keyof Figures;

/** The additive figures: a period's value is the sum of its days'. The others derive from these. */
export const ADDITIVE: readonly Exclude<FigureKey, 'averageTicketCents' | 'revenueCents'>[] = [
  'grossRevenueCents', 'refundsCents', 'appointments', 'completed', 'noShows', 'cancelled', 'paidVisits', 'leads', 'conversions', 'newPatients',
];

export interface KpiDefinition {
  label: string;
  /** One or two sentences a clinic owner reads in the card's tooltip. */
  definition: string;
}

/** Labels and pt-BR definitions, shown on the dashboard's cards (title / accessible description). */
export const KPI_DEFINITIONS = {
  revenueCents: {
    label: 'Faturamento líquido',
    definition:
      'Pagamentos aprovados no dia em que o dinheiro entrou, menos os reembolsos no dia em que foram feitos. Um reembolso parcial desconta só o valor devolvido.',
  },
  grossRevenueCents: { label: 'Faturamento bruto', definition: 'Soma dos pagamentos aprovados no período, pelo dia em que foram processados, antes dos reembolsos.' },
  refundsCents: { label: 'Reembolsos', definition: 'Soma dos valores devolvidos no período, pelo dia de cada reembolso (mesmo que o pagamento seja de outro mês).' },
  averageTicketCents: {
    label: 'Ticket médio',
    definition: 'Faturamento líquido do período ÷ atendimentos realizados e pagos no período.',
  },
  appointments: {
    label: 'Agendamentos',
    definition: 'Agendamentos marcados para começar no período, em qualquer situação (inclusive os cancelados e as faltas).',
  },
  completed: { label: 'Atendimentos realizados', definition: 'Agendamentos do período marcados como realizados.' },
  paidVisits: { label: 'Atendimentos pagos', definition: 'Atendimentos realizados no período cujo pagamento foi recebido.' },
  noShows: {
    label: 'Faltas (no-show)',
    definition: 'Agendamentos do período em que o paciente não compareceu. A taxa é faltas ÷ agendamentos não cancelados.',
  },
  cancelled: { label: 'Cancelamentos', definition: 'Agendamentos do período que foram cancelados.' },
  leads: { label: 'Leads', definition: 'Conversas novas no WhatsApp iniciadas no período (sem contar spam nem as conversas abertas pela equipe com detratores da pesquisa).' },
  conversions: {
    label: 'Conversões',
    definition:
      'Leads do período cuja conversa virou agendamento, contados no dia em que a conversa começou (por isso nunca passam do número de leads).',
  },
  newPatients: { label: 'Novos pacientes', definition: 'Pacientes cadastrados no período.' },
} as const satisfies Record<FigureKey, KpiDefinition>;

export const ZERO_FIGURES: Figures = {
  grossRevenueCents: 0, refundsCents: 0, revenueCents: 0, appointments: 0, completed: 0, noShows: 0, cancelled: 0,
  paidVisits: 0, leads: 0, conversions: 0, newPatients: 0, averageTicketCents: 0,
};

/** Integer division of centavos, rounded half away from zero (as the rollup's SQL round()). */
function divideCents(cents: number, by: number): number {
  const q = Math.round(Math.abs(cents) / by);
  return cents < 0 ? -q : q;
}

/** Average ticket = net revenue per paid visit, in whole centavos; 0 without paid visits. */
export function averageTicket(netRevenueCents: number, paidVisits: number): number {
  return paidVisits > 0 ? divideCents(netRevenueCents, paidVisits) : 0;
}

/** The derived figures (net revenue, ticket) from the additive ones. */
export function derive(f: Omit<Figures, 'revenueCents' | 'averageTicketCents'>): Figures {
  const revenueCents = f.grossRevenueCents - f.refundsCents;
  return { ...f, revenueCents, averageTicketCents: averageTicket(revenueCents, f.paidVisits) };
}

/** A period's figures: the sum of its days' additive figures, the derived ones recomputed from the sums. */
export function sumFigures(days: readonly Figures[]): Figures {
  const t = { ...ZERO_FIGURES };
  for (const d of days) for (const k of ADDITIVE) t[k] += d[k];
  return derive(t);
}

/**
 * A share of a whole that contains it: `part` must be counted among the `whole` (answered reminders
 * among the sent ones, no-shows among the kept appointments). Null without a whole; a part larger than
 * its whole is a counting error, reported as such instead of being clamped to 100%.
 */
export function share(part: number, whole: number): number | null {
  if (!Number.isInteger(part) || !Number.isInteger(whole) || part < 0 || whole < 0) throw new RangeError(`share(${part}, ${whole}): counts must be non-negative integers`);
  if (part > whole) throw new RangeError(`share(${part}, ${whole}): the part was not counted within its whole`);
  return whole === 0 ? null : part / whole;
}

/** No-show rate = no-shows ÷ appointments that were not cancelled. */
export const noShowRate = (f: Pick<Figures, 'appointments' | 'cancelled' | 'noShows'>) => share(f.noShows, f.appointments - f.cancelled);
/** Conversion rate = conversions ÷ leads (the same cohort). */
export const conversionRate = (f: Pick<Figures, 'leads' | 'conversions'>) => share(f.conversions, f.leads);

/** The relations every figure set must satisfy; returns the broken ones (empty = consistent). */
export function brokenInvariants(f: Figures): string[] {
  const broken: string[] = [];
  if (f.conversions > f.leads) broken.push('conversions > leads');
  if (f.completed + f.noShows + f.cancelled > f.appointments) broken.push('completed + noShows + cancelled > appointments');
  if (f.paidVisits > f.completed) broken.push('paidVisits > completed');
  if (f.revenueCents !== f.grossRevenueCents - f.refundsCents) broken.push('revenue ≠ gross − refunds');
  if (f.averageTicketCents !== averageTicket(f.revenueCents, f.paidVisits)) broken.push('ticket ≠ revenue / paid visits');
  for (const k of ADDITIVE) if (!Number.isInteger(f[k]) || f[k] < 0) broken.push(`${k} < 0`);
  return broken;
}
