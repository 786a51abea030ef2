import { describe, expect, it } from 'vitest';
import { DEFAULT_REACTIVATION, howLongAgo, ineligibility, reactivationSettingsOf, saudadeFollowUp, saudadeMessage, saysNotInterested, type EligibilityFacts } from './reactivation';
import { normalizeText } from './text';

const base: EligibilityFacts = { daysSinceLastVisit: 200, risk: 85, marketingReachable: true, openAppointment: false, daysSinceLastReactivation: null, inAfterVisitJourney: false, deleted: false };

describe('reactivation rules', () => {
  it('reads settings with safe defaults, naming what it corrected (threshold 500, share 2.0)', () => {
    expect(reactivationSettingsOf({})).toEqual({ ...DEFAULT_REACTIVATION, corrected: [] });
    expect(reactivationSettingsOf({ reactivationAfterDays: 120 }).afterDays).toBe(120);
    const bad = reactivationSettingsOf({ reactivationAfterDays: 500, reactivation: { holdoutShare: 2.0, dailyLimit: -5, minRisk: 80 } });
    expect(bad).toMatchObject({ afterDays: 90, holdoutShare: 0.1, dailyLimit: 50, minRisk: 80 });
    expect(bad.corrected.sort()).toEqual(['afterDays', 'dailyLimit', 'holdoutShare']);
    expect(reactivationSettingsOf({ reactivation: 'x' }).corrected).toEqual([]);
  });

  it('picks only inactive, at-risk, reachable patients with nothing open and not contacted lately', () => {
    const s = DEFAULT_REACTIVATION;
    expect(ineligibility(base, s)).toBeNull();
    expect(ineligibility({ ...base, deleted: true }, s)).toBe('deleted');
    expect(ineligibility({ ...base, daysSinceLastVisit: null }, s)).toBe('never_visited');
    expect(ineligibility({ ...base, daysSinceLastVisit: 89 }, s)).toBe('recent_visit');
    expect(ineligibility({ ...base, risk: 70 }, s)).toBe('low_risk');
    expect(ineligibility({ ...base, marketingReachable: false }, s)).toBe('no_consent');
    expect(ineligibility({ ...base, openAppointment: true }, s)).toBe('open_appointment');
    expect(ineligibility({ ...base, daysSinceLastReactivation: 30 }, s)).toBe('cooldown');
    expect(ineligibility({ ...base, daysSinceLastReactivation: 130 }, s)).toBeNull();
    expect(ineligibility({ ...base, inAfterVisitJourney: true }, s)).toBe('after_visit_journey');
  });

  it('writes the saudade message from her history, with the coupon and the link', () => {
    const text = saudadeMessage({
      patientName: 'Juliana Costa', patientGender: 'F', clinicName: 'Clínica Bella Pele', lastProcedure: 'Limpeza de pele', lastProfessional: 'Ana Souza',
      lastProfessionalGender: 'F', daysSinceLastVisit: 140, coupon: { code: 'SAUDADE-AB12CD', discount: { percent: 15 }, validUntil: '2026-12-31' }, bookingUrl: 'https://x.test/p/agendar/t',
    });
    expect(text).toBe('Olá, Juliana! Aqui é da Clínica Bella Pele, e estamos com saudade de você 💛 Faz 5 meses desde o seu atendimento de Limpeza de pele com a Dra. Ana Souza. '
      + 'Para você voltar a se cuidar com a gente, preparamos um presente: 15% de desconto com o cupom *SAUDADE-AB12CD*, válido até 31/12/2026.\n\nEscolha o melhor horário por aqui: https://x.test/p/agendar/t');
    expect(saudadeMessage({ patientName: '', clinicName: 'Instituto Pele', lastProcedure: null, lastProfessional: null, daysSinceLastVisit: 400, coupon: null, bookingUrl: 'u' }))
      .toBe('Olá! Aqui é do Instituto Pele, e estamos com saudade de você 💛 Faz 1 ano e 1 mês desde sua última visita.\n\nEscolha o melhor horário por aqui: u');
    expect(saudadeFollowUp({ patientName: 'Juliana', coupon: null, bookingUrl: 'u' })).toContain('responda SAIR');
    expect([45, 95, 365, 730, 760].map(howLongAgo)).toEqual(['45 dias', '3 meses', '1 ano', '2 anos', '2 anos e 1 mês']);
  });

  it('hears "não tenho interesse" in the ways people write it', () => {
    for (const t of ['Não tenho interesse', 'nao tenho mais interesse obrigada', 'sem interesse', 'Não quero, obrigada', 'pare de mandar mensagem', 'n tenho interesse']) {
      expect([t, saysNotInterested(normalizeText(t))]).toEqual([t, true]);
    }
    for (const t of ['Tenho interesse sim!', 'quero agendar', 'não posso essa semana']) expect([t, saysNotInterested(normalizeText(t))]).toEqual([t, false]);
  });
});
