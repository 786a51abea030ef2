// The score's fallback, its BG/NBD outlook (against domain/lifetime's CLV), the feature vector and the
// pt-BR reasons.
import { describe, expect, it } from 'vitest';
import { customerLifetimeValue, expectedPurchases, probabilityAlive } from './lifetime';
import {
  SCORE_FEATURE_NAMES, agoText, explainScore, factorLabel, heuristicAlive, leadInterval, modelFactors, heuristicClv, heuristicExpectedVisits, median, scoreAlive,
  scoreFeatures, shrunkTicket, singleVisitAlive, timesText, usualInterval, visitsIfAlive, type PatientFacts,
} from './patient-score';

const BG = { r: 0.9, alpha: 70, a: 0.7, b: 2.2 };
const facts = (over: Partial<PatientFacts> = {}): PatientFacts => ({
  visitDays: 3, frequency: 2, recency: 60, T: 300, daysSinceLastVisit: 240, daysSinceRegistered: 320, ownIntervalDays: 30,
  lastNpsScore: null, lastNpsDetractor: false, lastCommentNegative: false, noShows: 0, cancellations: 0, repliedLastMessage: null,
  reactivationContacts: 0, returnedAfterReactivation: false, ...over,
});

describe('fallback', () => {
  it('P(alive) is 1 at once, 0.5 after two usual intervals, and falls with inactivity', () => {
    expect(heuristicAlive(0, 30)).toBe(1);
    expect(heuristicAlive(60, 30)).toBeCloseTo(0.5, 12);
    expect(heuristicAlive(30, 30)).toBeCloseTo(1 / 1.125, 12);
    let last = 1;
    for (let d = 0; d <= 2000; d += 7) {
      const p = heuristicAlive(d, 45);
      expect(p).toBeLessThanOrEqual(last);
      expect(p).toBeGreaterThan(0);
      last = p;
    }
  });

  it('expected visits and CLV follow her rhythm; no value, no CLV', () => {
    expect(heuristicExpectedVisits(1, 365.25 / 4)).toBeCloseTo(4, 12);
    const clv = heuristicClv(1, 30.4375, 10_000);
    let expected = 0;
    for (let i = 1; i <= 12; i++) expected += 10_000 / 1.01 ** i;
    expect(clv).toBe(Math.round(expected));
    expect(heuristicClv(0.5, 30, 0)).toBe(0);
    expect(heuristicClv(0.5, 30, Number.NaN)).toBe(0);
  });

  it('the usual interval: hers, else the clinic\'s, else 90 days, within [7, 365]', () => {
    expect(usualInterval(40, 80)).toBe(40);
    expect(usualInterval(null, 80)).toBe(80);
    expect(usualInterval(null, null)).toBe(90);
    expect(usualInterval(1, null)).toBe(7);
    expect(usualInterval(900, null)).toBe(365);
    expect(usualInterval(6, 30, 1)).toBe(18); // one gap: half hers, half the clinic's
    expect(usualInterval(6, null, 1)).toBe(7);
    expect(usualInterval(20, 30, 2)).toBe(20);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(shrunkTicket(20_000, 1, 10_000)).toBe(15_000);
  });
});

describe('BG/NBD outlook', () => {
  it('P(alive) × discounted visits × value is domain/lifetime\'s CLV, and visits its expectation', () => {
    for (const c of [{ frequency: 1, recency: 30, T: 200 }, { frequency: 6, recency: 400, T: 420 }, { frequency: 3, recency: 50, T: 700 }]) {
      const o = visitsIfAlive(BG, c.frequency, c.T);
      const value = 12_345;
      const mine = Math.round(probabilityAlive(BG, c) * o.discounted * value);
      const theirs = customerLifetimeValue(BG, { p: 1e6, q: 1e6, gamma: value }, { ...c, monetaryValue: value }, { unitDays: 1 });
      expect(Math.abs(mine - theirs)).toBeLessThanOrEqual(Math.max(2, theirs * 1e-3));
      expect(probabilityAlive(BG, c) * o.visits).toBeCloseTo(expectedPurchases(BG, c, 12 * 365.25 / 12), 8);
    }
  });

  it('a single visit day: alive below 1, falling with time since (MBG/NBD), and above a lapsed returner', () => {
    expect(singleVisitAlive(BG, 0)).toBeCloseTo(1 / (1 + BG.a / BG.b), 12);
    expect(singleVisitAlive(BG, 400)).toBeLessThan(singleVisitAlive(BG, 100));
    expect(scoreAlive(BG, { frequency: 0, recency: 0, T: 400 })).toBe(singleVisitAlive(BG, 400));
    expect(scoreAlive(BG, { frequency: 2, recency: 60, T: 400 })).toBe(probabilityAlive(BG, { frequency: 2, recency: 60, T: 400 }));
    expect(() => singleVisitAlive(BG, -1)).toThrow(RangeError);
  });
});

describe('features and reasons', () => {
  it('the vector follows SCORE_FEATURE_NAMES', () => {
    const f = facts({ lastNpsDetractor: true, lastNpsScore: 3, noShows: 2, repliedLastMessage: true, reactivationContacts: 1 });
    const v = scoreFeatures(f, 0.2, 0.8, 30);
    expect(v).toHaveLength(SCORE_FEATURE_NAMES.length);
    const at = (n: string) => v[SCORE_FEATURE_NAMES.indexOf(n)];
    expect([at('frequency'), at('recency'), at('T'), at('timeSinceLastVisit'), at('pAlive'), at('expectedVisits')]).toEqual([2, 60, 300, 240, 0.2, 0.8]);
    expect([at('inactivityRatio'), at('lastNpsDetractor'), at('noShows'), at('repliedLastMessage'), at('reactivationContacts')]).toEqual([8, 1, 2, 1, 1]);
    const never = scoreFeatures(facts({ visitDays: 0, frequency: 0, recency: 0, T: 0, daysSinceLastVisit: null, daysSinceRegistered: 50 }), 0.9, 1, 90);
    expect(never.slice(0, 4)).toEqual([0, 0, 50, 50]);
  });

  it('explains a score in pt-BR, strongest reason first', () => {
    const f = facts({ lastNpsDetractor: true, lastNpsScore: 4, noShows: 1 });
    const top = explainScore(f, 30);
    expect(top.map((t) => t.label)).toEqual(['sem visitas há 8 meses, 8× o intervalo habitual', 'última nota NPS 4 (detratora)', '3 visitas em 10 meses']);
    expect(top[0].sign).toBe(1);
    expect(explainScore(facts({ daysSinceLastVisit: 20, visitDays: 5, frequency: 4, T: 600, repliedLastMessage: true }), 30).map((t) => [t.label, t.sign])).toEqual([
      ['5 visitas em 1 ano e 8 meses', -1], ['sem visitas há 20 dias, dentro do intervalo habitual (30 dias)', -1], ['respondeu à última mensagem da clínica', -1],
    ]);
    expect(explainScore(facts({ visitDays: 0, frequency: 0, recency: 0, T: 0, daysSinceLastVisit: null, daysSinceRegistered: 45 }), 90)[0].label)
      .toBe('cadastro há 45 dias, sem nenhuma visita realizada');
    expect(agoText(0)).toBe('hoje');
    expect(agoText(1)).toBe('há 1 dia');
    expect(timesText(2.54)).toBe('2,5×');
    expect(factorLabel('expectedVisits', f, scoreFeatures(f, 0.3, 1.25, 30), 30, -1)).toBe('1,3 visitas esperadas nos próximos 12 meses');
    expect(factorLabel('pAlive', f, scoreFeatures(f, 0.234, 1, 30), 30, -1)).toBe('chance de ainda ser paciente: 23%');
  });

  it('a learned model\'s reasons: features of one story summed and named once', () => {
    const f = facts({ noShows: 2 });
    const v = scoreFeatures(f, 0.2, 0.5, 30);
    const top = modelFactors([
      { name: 'timeSinceLastVisit', contribution: 1.2 }, { name: 'inactivityRatio', contribution: -0.4 }, { name: 'frequency', contribution: -0.3 },
      { name: 'T', contribution: -0.2 }, { name: 'noShows', contribution: 0.6 }, { name: 'pAlive', contribution: 0.1 }, { name: 'cancellations', contribution: 0 },
    ], f, v, 30);
    expect(top).toEqual([
      { name: 'inactivity', label: 'sem visitas há 8 meses, 8× o intervalo habitual', contribution: 0.8, sign: 1 },
      { name: 'noShows', label: '2 faltas', contribution: 0.6, sign: 1 },
      { name: 'history', label: '3 visitas em 10 meses', contribution: -0.5, sign: -1 },
    ]);
    const never = facts({ visitDays: 0, frequency: 0, recency: 0, T: 0, daysSinceLastVisit: null, daysSinceRegistered: 120 });
    expect(modelFactors([{ name: 'T', contribution: 0.5 }, { name: 'timeSinceLastVisit', contribution: 0.5 }], never, scoreFeatures(never, 0.8, 1, 90), 90))
      .toEqual([{ name: 'inactivity', label: 'cadastro há 4 meses, sem nenhuma visita realizada', contribution: 1, sign: 1 }]);
    expect(leadInterval(16)).toBe(90);
    expect(leadInterval(120)).toBe(120);
  });
});
