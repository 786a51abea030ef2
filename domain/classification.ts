// Patient classification (ouro/prata/bronze/novo) from what the patient spent and how often they came.

export type Classification = 'ouro' | 'prata' | 'bronze' | 'novo';

/** How far back "visits" count: completed appointments in the last 12 months. */
export const VISIT_WINDOW_MONTHS = 12;

/** Ouro: spent at least R$ 5.000,00 in total, or came at least 8 times in the last 12 months. */
export const GOLD_MIN_SPENT_CENTS = 500_000;
export const GOLD_MIN_VISITS = 8;
/** Prata: spent at least R$ 2.000,00 in total, or came at least 4 times in the last 12 months. */
export const SILVER_MIN_SPENT_CENTS = 200_000;
export const SILVER_MIN_VISITS = 4;
/** Bronze: any approved payment, or at least one visit in the last 12 months. */
export const BRONZE_MIN_SPENT_CENTS = 1;
export const BRONZE_MIN_VISITS = 1;

export interface ClassificationBasis {
  /** Sum of approved payments, in centavos (refunds excluded). */
  totalSpentCents: number;
  /** Completed appointments in the last VISIT_WINDOW_MONTHS months. */
  visitsLast12Months: number;
}

export const CLASSIFICATION_THRESHOLDS = {
  ouro: { minSpentCents: GOLD_MIN_SPENT_CENTS, minVisits: GOLD_MIN_VISITS },
  prata: { minSpentCents: SILVER_MIN_SPENT_CENTS, minVisits: SILVER_MIN_VISITS },
  bronze: { minSpentCents: BRONZE_MIN_SPENT_CENTS, minVisits: BRONZE_MIN_VISITS },
} as const;

/** The highest level whose spend OR visit threshold the patient reaches; 'novo' otherwise. */
export function classify(basis: ClassificationBasis): Classification {
  const spent = Math.max(0, Math.trunc(basis.totalSpentCents));
  const visits = Math.max(0, Math.trunc(basis.visitsLast12Months));
  for (const level of ['ouro', 'prata', 'bronze'] as const) {
    const t = CLASSIFICATION_THRESHOLDS[level];
    if (spent >= t.minSpentCents || visits >= t.minVisits) return level;
  }
  return 'novo';
}

const RANK: Readonly<Record<Classification, number>> = { novo: 0, bronze: 1, prata: 2, ouro: 3 };
/** The loyalty tier's counterpart among the classifications (platina has none above ouro). */
export const TIER_CLASSIFICATION: Readonly<Record<'bronze' | 'prata' | 'ouro' | 'platina', Classification>> = { bronze: 'bronze', prata: 'prata', ouro: 'ouro', platina: 'ouro' };

/** The classification follows the loyalty tier too: the higher of the rule's level and the tier's. */
export function classifyWithTier(basis: ClassificationBasis, tier: keyof typeof TIER_CLASSIFICATION | null): Classification {
  const byRule = classify(basis);
  if (!tier) return byRule;
  const byTier = TIER_CLASSIFICATION[tier];
  return RANK[byTier] > RANK[byRule] ? byTier : byRule;
}

const reais = (cents: number) =>
  `R$ ${Math.floor(cents / 100).toLocaleString('pt-BR')},${String(cents % 100).padStart(2, '0')}`;

/** The rule as the dashboard shows it (pt-BR). */
export const classificationRule =
  `A classificação considera o total já pago pelo paciente (pagamentos aprovados) e as visitas realizadas nos últimos ${VISIT_WINDOW_MONTHS} meses; vale o nível mais alto atingido por qualquer um dos dois critérios. ` +
  `Ouro: ${reais(GOLD_MIN_SPENT_CENTS)} ou mais pagos, ou ${GOLD_MIN_VISITS} visitas ou mais. ` +
  `Prata: ${reais(SILVER_MIN_SPENT_CENTS)} ou mais pagos, ou ${SILVER_MIN_VISITS} visitas ou mais. ` +
  `Bronze: qualquer pagamento aprovado, ou ao menos ${BRONZE_MIN_VISITS} visita. ` +
  `Novo: nenhum pagamento e nenhuma visita nos últimos ${VISIT_WINDOW_MONTHS} meses. ` +
  'O nível do programa de fidelidade também conta: prata no programa é ao menos Prata; ouro ou platina, Ouro.';

export const CLASSIFICATION_LABELS: Readonly<Record<Classification, string>> = {
  ouro: 'Ouro', prata: 'Prata', bronze: 'Bronze', novo: 'Novo',
};
