import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_SURVEY_TEXTS, SURVEY_TEXT_KINDS, renderSurveyText, surveyTextProblems, surveyTextsOf, type SurveyTextFacts,
} from './survey-texts';
import { detractorApology, neutralFeedbackInvite, reminderText, surveyQuestion, thanks } from './nps';

const facts: SurveyTextFacts = {
  patientName: 'Maria Souza', patientGender: 'F', clinicName: 'Clínica Bella', procedureName: 'Limpeza de pele',
  professionalName: 'Ana Lima', professionalGender: 'F', link: 'https://x.test/p/nps/abc',
};

describe('clinic survey texts', () => {
  it('the default templates render to the same words as the code defaults', () => {
    const text = { clinicName: facts.clinicName, procedureName: facts.procedureName, professionalName: facts.professionalName, professionalGender: 'F' as const, patientFirstName: 'Maria', link: facts.link! };
    expect(renderSurveyText(DEFAULT_SURVEY_TEXTS.question, facts)).toBe(surveyQuestion(text));
    expect(renderSurveyText(DEFAULT_SURVEY_TEXTS.reminder, facts)).toBe(reminderText(text));
    for (const g of ['F', 'M', 'Outro', null] as const) expect(renderSurveyText(DEFAULT_SURVEY_TEXTS.thanks, { ...facts, patientGender: g })).toBe(thanks(g));
    expect(renderSurveyText(DEFAULT_SURVEY_TEXTS.feedback, facts)).toBe(neutralFeedbackInvite(facts.link!));
    const coupon = { code: 'VOLTE-AB12', discountLabel: '15%', validUntil: '2026-12-31' };
    expect(renderSurveyText(DEFAULT_SURVEY_TEXTS.apology, { ...facts, coupon })).toBe(detractorApology({ couponCode: coupon.code, discountLabel: '15%', validUntil: coupon.validUntil }));
    expect(renderSurveyText(DEFAULT_SURVEY_TEXTS.apology, { ...facts, coupon })).toContain('válido até 31/12/2026');
  });

  it('every default is valid for its kind', () => {
    for (const k of SURVEY_TEXT_KINDS) expect(surveyTextProblems(k, DEFAULT_SURVEY_TEXTS[k])).toEqual([]);
  });

  it('picks the gendered choice by the patient, neutral when unknown', () => {
    const t = 'Oi {paciente}, {querida|querido|tudo bem}? {a_clinica} agradece. Foi com {profissional}.';
    expect(renderSurveyText(t, facts)).toBe('Oi Maria, querida? a Clínica Bella agradece. Foi com a Dra. Ana Lima.');
    expect(renderSurveyText(t, { ...facts, patientGender: 'M', professionalGender: 'M', professionalName: 'João' })).toBe('Oi Maria, querido? a Clínica Bella agradece. Foi com o Dr. João.');
    expect(renderSurveyText(t, { ...facts, patientGender: 'Outro' })).toContain('tudo bem?');
    expect(renderSurveyText(t, { ...facts, patientGender: null })).toContain('tudo bem?');
  });

  it('refuses unknown variables, missing required ones, bad choices and stray braces, in pt-BR', () => {
    expect(surveyTextProblems('question', 'Oi {nome}')).toEqual([expect.stringContaining('a variável {nome} não existe')]);
    expect(surveyTextProblems('apology', 'Desculpe!')).toEqual(['Desculpas ao detrator (com cupom): o texto precisa conter {cupom}.']);
    expect(surveyTextProblems('thanks', 'Obrigado {a|b}')).toEqual([expect.stringContaining('precisa de 3 opções')]);
    expect(surveyTextProblems('review', 'Avalie: {link} }')).toEqual([expect.stringContaining('sem par')]);
    expect(surveyTextProblems('thanks', 'Olá {link}')).toEqual([expect.stringContaining('{link} não existe')]);
    expect(surveyTextProblems('feedback', '   ')).toContain('Convite ao formulário (neutros): o texto não pode ficar vazio.');
    expect(surveyTextProblems('feedback', `${'a'.repeat(1001)} {link}`)).toEqual([expect.stringContaining('no máximo 1000')]);
    expect(surveyTextProblems('question', 42)).toEqual(['Pergunta da pesquisa: informe um texto.']);
  });

  it('keeps only valid stored texts (a broken one falls back to the default)', () => {
    expect(surveyTextsOf({ question: 'Nota? {link}', apology: 'sem cupom', other: 'x', thanks: 3 })).toEqual({ question: 'Nota? {link}' });
    expect(surveyTextsOf(null)).toEqual({});
    expect(surveyTextsOf(['x'])).toEqual({});
  });

  it('rendering never throws and leaves no known variable behind (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), fc.constantFrom('F', 'M', 'Outro', null), (s, g) => {
      const t = `${s} {paciente} {a_clinica|o|x} {link}`;
      const out = renderSurveyText(t, { ...facts, patientGender: g });
      expect(out).not.toContain('{paciente}');
      expect(out).not.toContain('{link}');
    }), { numRuns: 500 });
  });
});
