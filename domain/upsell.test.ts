import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addLocalDays, daysBetween, localDate } from './timezone';
import {
  coOccurrence, marginOf, median, recommendUpsell, rhythms, sequences,
  type ClinicVisit, type ContraindicationRule, type PatientVisit, type UpsellInput, type UpsellProcedure, type UpsellResult,
} from './upsell';

const SP = 'America/Sao_Paulo';
const TODAY = '2026-06-15';
/** 12:00 in São Paulo. */
const NOW = new Date('2026-06-15T15:00:00Z');
/** 10:00 in São Paulo, `n` calendar days before today. */
const ago = (n: number) => `${addLocalDays(TODAY, -n)}T13:00:00Z`;

const proc = (id: string, name: string, category: UpsellProcedure['category'], priceCents: number, costCents: number | null, over: Partial<UpsellProcedure> = {}): UpsellProcedure => ({
  id, name, category, active: true, priceCents, costCents, commissionBps: null, durationMinutes: 60, ...over,
});

const LIMPEZA = proc('limpeza', 'Limpeza de pele profunda', 'facial', 22000, 4000);
const PEELING = proc('peeling', 'Peeling químico', 'facial', 38000, 9000);
const BOTOX = proc('botox', 'Toxina botulínica (Botox)', 'facial', 120000, 42000);
const LABIAL = proc('labial', 'Preenchimento labial', 'facial', 150000, 55000);
const DRENAGEM = proc('drenagem', 'Drenagem linfática', 'corporal', 18000, 2000);
const LASER = proc('laser', 'Depilação a laser (axilas)', 'corporal', 20000, 2500);
const CATALOG = [LIMPEZA, PEELING, BOTOX, LABIAL, DRENAGEM, LASER];

/** `n` patients `prefix0`…, each with the visits `steps(i)` gives as [procedure, days ago]. */
function cohort(prefix: string, n: number, steps: (i: number) => Array<[string, number]>): ClinicVisit[] {
  return Array.from({ length: n }, (_, i) => steps(i).map(([procedureId, d]) => ({ patientId: `${prefix}${i}`, procedureId, startsAt: ago(d) }))).flat();
}

/** The header's worked example: 50 patients; 20 Limpeza, 10 Peeling, 10 Botox; after Limpeza 8 → Peeling, 6 → Botox. */
const PEELING_GAPS = [30, 40, 45, 45, 45, 50, 60, 60];
const WORKED: ClinicVisit[] = [
  ...cohort('lp', 8, (i) => [['limpeza', 200], ['peeling', 200 - PEELING_GAPS[i]]]),
  ...cohort('lb', 6, () => [['limpeza', 200], ['botox', 170]]),
  ...cohort('l', 6, () => [['limpeza', 150]]),
  ...cohort('p', 2, () => [['peeling', 120]]),
  ...cohort('b', 4, () => [['botox', 120]]),
  ...cohort('d', 24, () => [['drenagem', 90]]),
];

/** Her: Limpeza every 30 days, the last 40 days ago (past due). */
const LIMPEZAS: PatientVisit[] = [130, 100, 70, 40].map((d) => ({ procedureId: 'limpeza', startsAt: ago(d), priceCents: 22000 }));
const visit = (procedureId: string, d: number, priceCents = 0): PatientVisit => ({ procedureId, startsAt: ago(d), priceCents });

function input(over: Partial<UpsellInput> = {}): UpsellInput {
  return {
    timeZone: SP, now: NOW, history: LIMPEZAS, clinicVisits: WORKED, procedures: CATALOG,
    defaultCommissionBps: 1500, value: { paidCents: 88000, visits: 4 }, rules: [], ...over,
  };
}
const excludedWhy = (r: UpsellResult, id: string) => r.excluded.find((e) => e.procedureId === id);

describe('statistics on a small hand-computed history', () => {
  // u1: A, A (30 days later), B (20 days after the second A), C (30 after B)
  // u2: A, then B and C together 10 days later
  // u3: B, then A 5 days later
  // u4: C only
  const at = (n: number) => `${addLocalDays('2026-01-01', n)}T13:00:00Z`;
  const v = (patientId: string, procedureId: string, n: number): ClinicVisit => ({ patientId, procedureId, startsAt: at(n) });
  const H = [
    v('u1', 'A', 0), v('u1', 'A', 30), v('u1', 'B', 50), v('u1', 'C', 80),
    v('u2', 'A', 0), v('u2', 'B', 10), v('u2', 'C', 10),
    v('u3', 'B', 0), v('u3', 'A', 5),
    v('u4', 'C', 0), v('u4', 'C', 0), // the same visit twice counts once
  ];

  it('co-occurrence: N = 4; n(A) = n(B) = n(C) = 3', () => {
    const t = coOccurrence(H);
    expect(t.totalPatients).toBe(4);
    expect(Object.fromEntries(t.patientsWith)).toEqual({ A: 3, B: 3, C: 3 });
    // A and B: u1, u2, u3 → support 3/4, confidence 3/3, lift 3·4/(3·3)
    expect(t.pairs.get('A')!.get('B')).toEqual({ from: 'A', to: 'B', patients: 3, support: 0.75, confidence: 1, lift: 12 / 9 });
    // A and C: u1, u2 → 2/4, 2/3, 2·4/(3·3)
    expect(t.pairs.get('A')!.get('C')).toEqual({ from: 'A', to: 'C', patients: 2, support: 0.5, confidence: 2 / 3, lift: 8 / 9 });
    expect(t.pairs.get('C')!.get('A')).toEqual({ from: 'C', to: 'A', patients: 2, support: 0.5, confidence: 2 / 3, lift: 8 / 9 });
    expect(t.pairs.get('A')!.has('A')).toBe(false);
  });

  it('sequence: the next different procedure, timed from her latest A', () => {
    const t = sequences(H, SP);
    // A→B: u1 (20 days, from the second A) and u2 (10) → 2/4, 2/3, 2·4/(3·3), median 15
    expect(t.pairs.get('A')!.get('B')).toEqual({ from: 'A', to: 'B', patients: 2, support: 0.5, confidence: 2 / 3, lift: 8 / 9, medianDays: 15 });
    // A→C: only u2 (C came with B); for u1 C came after B, not right after A
    expect(t.pairs.get('A')!.get('C')).toEqual({ from: 'A', to: 'C', patients: 1, support: 0.25, confidence: 1 / 3, lift: 4 / 9, medianDays: 10 });
    // B→C: u1 (30); u2 did them the same day, which is not a sequence
    expect(t.pairs.get('B')!.get('C')).toEqual({ from: 'B', to: 'C', patients: 1, support: 0.25, confidence: 1 / 3, lift: 4 / 9, medianDays: 30 });
    expect(t.pairs.get('B')!.get('A')).toMatchObject({ patients: 1, medianDays: 5 });
    expect(t.pairs.has('C')).toBe(false);
    expect([...t.pairs.get('A')!.keys()].sort()).toEqual(['B', 'C']);
  });

  it('days are the clinic’s calendar days: 23:30 in São Paulo is still that day', () => {
    const t = sequences([
      { patientId: 'x', procedureId: 'A', startsAt: '2026-03-01T13:00:00Z' },
      { patientId: 'x', procedureId: 'B', startsAt: '2026-03-11T02:30:00Z' }, // 2026-03-10 23:30 in SP
    ], SP);
    expect(t.pairs.get('A')!.get('B')!.medianDays).toBe(9);
  });

  it('rhythm: median days between her repeats; none from a single visit', () => {
    const r = rhythms([
      { procedureId: 'A', startsAt: at(0) }, { procedureId: 'A', startsAt: at(30) }, { procedureId: 'A', startsAt: at(50) }, { procedureId: 'A', startsAt: at(80) },
      { procedureId: 'B', startsAt: at(10) },
    ], SP);
    expect(r.get('A')).toEqual({ procedureId: 'A', visits: 4, medianDays: 30, lastDate: addLocalDays('2026-01-01', 80) });
    expect(r.get('B')).toEqual({ procedureId: 'B', visits: 1, medianDays: null, lastDate: addLocalDays('2026-01-01', 10) });
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('unreadable dates are skipped, not thrown on', () => {
    expect(coOccurrence([{ patientId: 'x', procedureId: 'A', startsAt: 'ontem' }]).totalPatients).toBe(0);
  });
});

describe('margin', () => {
  it('price − cost − commission (bps, rounded half up); cost null → price − commission', () => {
    expect(marginOf(PEELING, 1500)).toEqual({ priceCents: 38000, costCents: 9000, commissionBps: 1500, commissionCents: 5700, marginCents: 23300 });
    expect(marginOf({ priceCents: 12345, costCents: null, commissionBps: 1000 })).toMatchObject({ commissionCents: 1235, marginCents: 11110 });
    // the procedure's own commission wins over the default
    expect(marginOf({ ...BOTOX, commissionBps: 0 }, 1500).marginCents).toBe(78000);
  });
});

describe('recommendUpsell: the worked example of the header', () => {
  it('a R$ 220,00 ticket gets Peeling (0.80 × 233 = 186.4) over Botox (0.45 × 600 × 0.3667 = 99)', () => {
    const r = recommendUpsell(input());
    expect(r.recommendation).toMatchObject({ procedureId: 'peeling', score: 186.4 });
    expect(r.recommendation!.reason.code).toBe('sequence');
    expect(r.recommendation!.reason.text).toBe('Após Limpeza de pele profunda, 40% das pacientes fizeram Peeling químico em seguida (mediana de 45 dias depois); margem R$ 233,00');
    expect(r.recommendation!.reason.evidence).toMatchObject({
      fromProcedureId: 'limpeza', patients: 8, totalPatients: 50, support: 0.16, confidence: 0.4, lift: 2, medianDays: 45,
      likelihood: 0.8, priceCents: 38000, costCents: 9000, costKnown: true, commissionBps: 1500, commissionCents: 5700, marginCents: 23300,
      ticketCents: 22000, priceFit: 1,
    });
    expect(r.ranked.map((c) => [c.procedureId, c.score])).toEqual([['peeling', 186.4], ['botox', 99]]);
    expect(r.ranked[1].reason.evidence).toMatchObject({ confidence: 0.3, lift: 1.5, marginCents: 60000, priceFit: 0.366667 });
    expect(r.excluded).toEqual([]);
  });

  it('a high-value patient (R$ 1.500,00 ticket) gets the pricier Botox (0.45 × 600 = 270)', () => {
    const r = recommendUpsell(input({ value: { paidCents: 600000, visits: 4 } }));
    expect(r.ranked.map((c) => [c.procedureId, c.score])).toEqual([['botox', 270], ['peeling', 186.4]]);
  });

  it('with no payment known, her ticket is the mean price of her visits', () => {
    const r = recommendUpsell(input({ value: { paidCents: 0, visits: 0 } }));
    expect(r.recommendation!.reason.evidence.ticketCents).toBe(22000);
    expect(r.recommendation!.procedureId).toBe('peeling');
  });
});

describe('recommendUpsell: exclusions', () => {
  it('a procedure she does on a rhythm and whose interval has not passed', () => {
    const within = recommendUpsell(input({ history: [...LIMPEZAS, visit('peeling', 75), visit('peeling', 45), visit('peeling', 15)] }));
    expect(excludedWhy(within, 'peeling')).toEqual({
      procedureId: 'peeling', why: 'within_rhythm', text: 'Ela faz Peeling químico a cada 30 dias (mediana entre 3 visitas); a última foi há 15 dias',
    });
    expect(within.recommendation!.procedureId).toBe('botox');
    expect(within.ranked.map((c) => c.procedureId)).toEqual(['botox']);

    // the same rhythm, the last one 30 days ago: due again, so a candidate
    const due = recommendUpsell(input({ history: [...LIMPEZAS, visit('peeling', 90), visit('peeling', 60), visit('peeling', 30)] }));
    expect(excludedWhy(due, 'peeling')).toBeUndefined();
    expect(due.recommendation!.procedureId).toBe('peeling');
  });

  it('an inactive procedure', () => {
    const r = recommendUpsell(input({ procedures: CATALOG.map((p) => (p.id === 'peeling' ? { ...p, active: false } : p)) }));
    expect(excludedWhy(r, 'peeling')).toEqual({ procedureId: 'peeling', why: 'inactive', text: 'Procedimento inativo no catálogo' });
    expect(r.recommendation!.procedureId).toBe('botox');
  });

  it('a min_gap_days rule: not two injectables within 90 days, counted from now', () => {
    const injectables: ContraindicationRule = { kind: 'min_gap_days', procedureIds: ['botox', 'labial'], days: 90 };
    const hv = { paidCents: 600000, visits: 5 }; // would get Botox
    const recent = recommendUpsell(input({ value: hv, rules: [injectables], history: [...LIMPEZAS, visit('labial', 89)] }));
    expect(excludedWhy(recent, 'botox')).toEqual({
      procedureId: 'botox', why: 'min_gap',
      text: 'Regra da clínica: intervalo mínimo (90 dias) entre procedimentos do grupo Toxina botulínica (Botox), Preenchimento labial; o último, Preenchimento labial, foi há 89 dias',
    });
    expect(excludedWhy(recent, 'labial')?.why).toBe('min_gap');
    expect(recent.recommendation!.procedureId).toBe('peeling');

    const enough = recommendUpsell(input({ value: hv, rules: [injectables], history: [...LIMPEZAS, visit('labial', 90)] }));
    expect(excludedWhy(enough, 'botox')).toBeUndefined();
    expect(enough.recommendation!.procedureId).toBe('botox');
  });

  it('a min_gap_days rule by category, and one that keeps a procedure from repeating within N days', () => {
    const facial = recommendUpsell(input({ rules: [{ kind: 'min_gap_days', categories: ['facial'], days: 41 }] }));
    expect(facial.excluded.map((e) => [e.procedureId, e.why])).toEqual([['botox', 'min_gap'], ['labial', 'min_gap'], ['limpeza', 'min_gap'], ['peeling', 'min_gap']]);
    expect(facial.excluded[0].text).toContain('grupo Facial; o último, Limpeza de pele profunda, foi há 40 dias');
    expect(facial.recommendation!.reason.code).toBe('popular');
    expect(facial.recommendation!.procedureId).toBe('drenagem'); // nothing facial is left: all categories, the most popular

    const again = recommendUpsell(input({ rules: [{ kind: 'min_gap_days', procedureIds: ['peeling'], days: 60 }], history: [...LIMPEZAS, visit('peeling', 59)] }));
    expect(excludedWhy(again, 'peeling')?.why).toBe('min_gap');
    expect(again.recommendation!.procedureId).toBe('botox');
  });

  it('the window is counted in the clinic’s calendar days', () => {
    // 2026-05-15 23:30 in São Paulo is already 05-16 in UTC: 31 days before today there, 30 in UTC
    const r = recommendUpsell(input({
      value: { paidCents: 600000, visits: 5 },
      rules: [{ kind: 'min_gap_days', procedureIds: ['botox', 'labial'], days: 31 }],
      history: [...LIMPEZAS, { procedureId: 'labial', startsAt: '2026-05-16T02:30:00Z', priceCents: 150000 }],
    }));
    expect(excludedWhy(r, 'botox')).toBeUndefined();
    expect(r.recommendation!.procedureId).toBe('botox');
  });

  it('a never_together rule: ever, when it has no window; within the window when it has one', () => {
    const ever = recommendUpsell(input({ rules: [{ kind: 'never_together', a: 'laser', b: 'peeling' }], history: [...LIMPEZAS, visit('laser', 400)] }));
    expect(excludedWhy(ever, 'peeling')).toEqual({
      procedureId: 'peeling', why: 'never_together',
      text: 'Regra da clínica: Peeling químico e Depilação a laser (axilas) nunca juntos; a paciente fez Depilação a laser (axilas) há 400 dias',
    });
    expect(ever.recommendation!.procedureId).toBe('botox');

    const rule: ContraindicationRule = { kind: 'never_together', a: 'peeling', b: 'laser', days: 30 };
    const near = recommendUpsell(input({ rules: [rule], history: [...LIMPEZAS, visit('laser', 29)] }));
    expect(excludedWhy(near, 'peeling')?.text).toBe('Regra da clínica: Peeling químico e Depilação a laser (axilas) nunca com menos de 30 dias entre si; a paciente fez Depilação a laser (axilas) há 29 dias');
    const far = recommendUpsell(input({ rules: [rule], history: [...LIMPEZAS, visit('laser', 30)] }));
    expect(excludedWhy(far, 'peeling')).toBeUndefined();
    expect(far.recommendation!.procedureId).toBe('peeling');
  });

  it('a procedure without a positive margin', () => {
    const r = recommendUpsell(input({ procedures: CATALOG.map((p) => (p.id === 'peeling' ? { ...p, costCents: 40000 } : p)) }));
    expect(excludedWhy(r, 'peeling')).toMatchObject({ why: 'no_margin' });
    expect(r.recommendation!.procedureId).toBe('botox');
  });

  it('visits after now do not count', () => {
    const r = recommendUpsell(input({
      rules: [{ kind: 'min_gap_days', procedureIds: ['peeling'], days: 60 }],
      history: [...LIMPEZAS, { procedureId: 'peeling', startsAt: '2026-06-15T18:00:00Z', priceCents: 38000 }],
    }));
    expect(r.recommendation!.procedureId).toBe('peeling');
  });
});

describe('recommendUpsell: margin ordering', () => {
  const MICRO = proc('micro', 'Microagulhamento', 'facial', 45000, 10000);
  // after Limpeza, 6 went on to Peeling and 6 to Microagulhamento: the same likelihood
  const clinic = [
    ...cohort('lp', 6, () => [['limpeza', 200], ['peeling', 160]]),
    ...cohort('lm', 6, () => [['limpeza', 200], ['micro', 160]]),
    ...cohort('l', 8, () => [['limpeza', 150]]),
  ];
  // a high ticket, so the price fit (1 for both) does not blur the margins
  const base = input({ clinicVisits: clinic, procedures: [...CATALOG, MICRO], value: { paidCents: 400000, visits: 4 } });

  it('the same likelihood: the higher margin first', () => {
    const r = recommendUpsell(base);
    expect(r.ranked.map((c) => [c.procedureId, c.reason.evidence.marginCents])).toEqual([['micro', 28250], ['peeling', 23300]]);
    expect(r.ranked[0].reason.evidence.likelihood).toBe(r.ranked[1].reason.evidence.likelihood);
  });

  it('a missing cost counts as zero and the reason says so', () => {
    const r = recommendUpsell({ ...base, procedures: [...CATALOG, { ...MICRO, costCents: null }] });
    expect(r.recommendation!.procedureId).toBe('micro');
    expect(r.recommendation!.reason.evidence).toMatchObject({ costKnown: false, costCents: null, marginCents: 38250 });
    expect(r.recommendation!.reason.text).toBe('Após Limpeza de pele profunda, 30% das pacientes fizeram Microagulhamento em seguida (mediana de 40 dias depois); margem R$ 382,50 (custo não cadastrado: preço menos comissão)');
  });

  it('a tie in score and margin goes to the smaller id, whatever the input order', () => {
    const twin = { ...MICRO, id: 'micro-b', name: 'Microagulhamento B' };
    const clinic2 = [...clinic, ...cohort('lm2', 6, () => [['limpeza', 200], ['micro-b', 160]])];
    const a = recommendUpsell({ ...base, clinicVisits: clinic2, procedures: [...CATALOG, twin, MICRO] });
    const b = recommendUpsell({ ...base, clinicVisits: [...clinic2].reverse(), procedures: [MICRO, twin, ...CATALOG].reverse() });
    expect(a.ranked[0].score).toBe(a.ranked[1].score);
    expect(a.ranked.slice(0, 2).map((c) => c.procedureId)).toEqual(['micro', 'micro-b']);
    expect(b).toEqual(a);
  });

  it('co-occurrence when there is no sequence, at half weight', () => {
    // patients did Peeling before Limpeza: no Limpeza → Peeling sequence, but they go together
    const before = cohort('pl', 4, () => [['peeling', 200], ['limpeza', 100]]);
    const r = recommendUpsell(input({ clinicVisits: [...before, ...cohort('d', 6, () => [['drenagem', 50]])] }));
    expect(r.recommendation!.reason.code).toBe('co_occurrence');
    expect(r.recommendation!.reason.text).toBe('Das pacientes que fizeram Limpeza de pele profunda, 100% também fizeram Peeling químico; margem R$ 233,00');
    // N = 10, n(Limpeza) = n(Peeling) = 4: confidence 4/4 = 1, lift 4·10/(4·4) = 2.5 → 0.5 × 1 × 2.5 = 1.25; × 233
    expect(r.recommendation!.reason.evidence).toMatchObject({ confidence: 1, lift: 2.5, likelihood: 1.25, medianDays: null });
    expect(r.recommendation!.score).toBe(291.25);
  });
});

describe('recommendUpsell: the popular fallback', () => {
  it('a new clinic without any history: the highest margin, and it says so', () => {
    const r = recommendUpsell(input({ clinicVisits: [], history: [], value: { paidCents: 0, visits: 0 } }));
    expect(r.recommendation).toMatchObject({ procedureId: 'labial', score: 0 });
    expect(r.recommendation!.reason.code).toBe('popular');
    expect(r.recommendation!.reason.text).toBe('Clínica ainda sem histórico de atendimentos: sugerido Preenchimento labial, o de maior margem na clínica; margem R$ 725,00');
    expect(r.recommendation!.reason.evidence).toMatchObject({ category: null, totalPatients: 0, fromProcedureId: null });
  });

  it('too few patients in common: the most popular of her category that she has not done', () => {
    const clinic = [...WORKED, ...cohort('z', 5, () => [['laser', 30]])];
    const r = recommendUpsell(input({ clinicVisits: clinic, history: [visit('drenagem', 20, 18000)], value: { paidCents: 18000, visits: 1 } }));
    expect(r.ranked).toEqual([]);
    expect(r.recommendation).toMatchObject({ procedureId: 'laser', score: 0.090909 }); // 5 of 55 patients, to 1e-6
    expect(r.recommendation!.reason.text).toBe('Sem dados suficientes de sequência ou coocorrência para o histórico dela: Depilação a laser (axilas) é o mais procurado em Corporal (5 de 55 pacientes); margem R$ 145,00');
    expect(r.recommendation!.reason.evidence.category).toBe('corporal');
  });

  it('minPatients above every pair: fallback too', () => {
    const r = recommendUpsell(input({ minPatients: 9 }));
    expect(r.recommendation!.reason.code).toBe('popular');
    expect(r.recommendation!.procedureId).toBe('botox'); // 10 patients like Peeling, higher margin
  });

  it('nothing eligible: none', () => {
    const r = recommendUpsell(input({ procedures: CATALOG.map((p) => ({ ...p, active: false })) }));
    expect(r.recommendation).toBeNull();
    expect(r.excluded).toHaveLength(CATALOG.length);
  });
});

describe('recommendUpsell: determinism', () => {
  it('the same input gives the same output, in any order', () => {
    const i = input({ rules: [{ kind: 'never_together', a: 'laser', b: 'botox' }], history: [...LIMPEZAS, visit('laser', 100)] });
    const first = recommendUpsell(i);
    expect(recommendUpsell(i)).toEqual(first);
    expect(recommendUpsell({ ...i, history: [...i.history].reverse(), clinicVisits: [...i.clinicVisits].reverse(), procedures: [...i.procedures].reverse() })).toEqual(first);
  });
});

describe('recommendUpsell: properties on random histories', () => {
  const IDS = ['a', 'b', 'c', 'd', 'e'];
  const CATEGORIES = ['facial', 'corporal', 'capilar', 'outra'] as const;
  const DAY = 86_400_000;
  const instant = fc.integer({ min: NOW.getTime() - 700 * DAY, max: NOW.getTime() + 5 * DAY }).map((ms) => new Date(ms).toISOString());
  const startsAt = fc.oneof({ weight: 20, arbitrary: instant }, { weight: 1, arbitrary: fc.constant('não é data') });
  const procId = fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...IDS) }, { weight: 1, arbitrary: fc.constant('ghost') });
  const catalog = fc.tuple(...IDS.map(() => fc.record({
    active: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    category: fc.constantFrom(...CATEGORIES),
    priceCents: fc.integer({ min: 0, max: 300_000 }),
    costCents: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
    commissionBps: fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: null }),
  }))).map((ps) => ps.map((p, i): UpsellProcedure => ({ id: IDS[i], name: `Proc ${IDS[i]}`, durationMinutes: 60, ...p })));
  const rule: fc.Arbitrary<ContraindicationRule> = fc.oneof(
    fc.record({
      kind: fc.constant('min_gap_days' as const),
      categories: fc.subarray([...CATEGORIES]),
      procedureIds: fc.subarray(IDS),
      days: fc.integer({ min: 0, max: 120 }),
    }),
    fc.record({ kind: fc.constant('never_together' as const), a: procId, b: procId, days: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }) }, { requiredKeys: ['kind', 'a', 'b'] }),
  );
  const upsellInput: fc.Arbitrary<UpsellInput> = fc.record({
    timeZone: fc.constant(SP),
    now: fc.constant(NOW),
    history: fc.array(fc.record({ procedureId: procId, startsAt, priceCents: fc.integer({ min: 0, max: 300_000 }) }), { maxLength: 12 }),
    clinicVisits: fc.array(fc.record({ patientId: fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8'), procedureId: procId, startsAt }), { minLength: 20, maxLength: 80 }),
    procedures: catalog,
    defaultCommissionBps: fc.integer({ min: 0, max: 5_000 }),
    value: fc.record({ paidCents: fc.integer({ min: 0, max: 1_000_000 }), visits: fc.integer({ min: 0, max: 20 }) }),
    rules: fc.array(rule, { maxLength: 3 }),
    minPatients: fc.integer({ min: 1, max: 2 }),
  });

  /** Her visits up to now as calendar days in São Paulo, computed here without the module. */
  const herDays = (i: UpsellInput, id: string) => i.history
    .filter((v) => v.procedureId === id && Number.isFinite(Date.parse(v.startsAt)) && Date.parse(v.startsAt) <= NOW.getTime())
    .map((v) => localDate(new Date(v.startsAt), SP));
  const today = localDate(NOW, SP);

  it('never recommends an excluded, inactive, contraindicated or not-yet-due procedure, and never throws', () => {
    fc.assert(fc.property(upsellInput, (i) => {
      const r = recommendUpsell(i);
      const excludedIds = r.excluded.map((e) => e.procedureId);
      expect(new Set(excludedIds).size).toBe(excludedIds.length);
      for (const c of r.ranked) expect(excludedIds).not.toContain(c.procedureId);
      if (!r.recommendation) return;
      const id = r.recommendation.procedureId;
      const p = i.procedures.find((x) => x.id === id)!;
      expect(p.active).toBe(true);
      expect(excludedIds).not.toContain(id);
      expect(r.recommendation.reason.evidence.marginCents).toBeGreaterThan(0);
      for (const rl of i.rules ?? []) {
        if (rl.kind === 'min_gap_days') {
          const inGroup = (x: string) => (rl.procedureIds ?? []).includes(x) || (rl.categories ?? []).some((c) => i.procedures.find((q) => q.id === x)?.category === c);
          if (!inGroup(id)) continue;
          for (const other of [...IDS, 'ghost'].filter(inGroup)) {
            for (const d of herDays(i, other)) expect(daysBetween(d, today)).toBeGreaterThanOrEqual(rl.days);
          }
        } else if (rl.a !== rl.b && (id === rl.a || id === rl.b)) {
          const other = id === rl.a ? rl.b : rl.a;
          for (const d of herDays(i, other)) expect(daysBetween(d, today)).toBeGreaterThanOrEqual(rl.days ?? Infinity);
        }
      }
      const mine = [...new Set(herDays(i, id))].sort();
      if (mine.length >= 2) {
        const gaps = mine.slice(1).map((d, k) => daysBetween(mine[k], d)).sort((x, y) => x - y);
        const m = gaps.length % 2 ? gaps[(gaps.length - 1) / 2] : (gaps[gaps.length / 2 - 1] + gaps[gaps.length / 2]) / 2;
        expect(daysBetween(mine[mine.length - 1], today)).toBeGreaterThanOrEqual(m);
      }
    }), { numRuns: 300 });
  });

  it('is deterministic: reordered inputs give the same output', () => {
    fc.assert(fc.property(upsellInput, (i) => {
      const reordered = { ...i, history: [...i.history].reverse(), clinicVisits: [...i.clinicVisits].reverse(), procedures: [...i.procedures].reverse(), rules: i.rules };
      expect(recommendUpsell(reordered)).toEqual(recommendUpsell(i));
    }), { numRuns: 200 });
  });
});
