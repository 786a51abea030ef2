// The clinic's own wording of the after-the-visit messages (issue #11: "texts editable per clinic like
// the reminder templates"). A clinic may replace six texts: the question, its reminder, the thanks, the
// detractor's apology with the coupon, the neutral's form invitation and the promoter's review request.
// What it does not write falls back to the defaults of domain/nps.ts, which agree the clinic's name and
// the professional with their articles ("a Clínica Bella", "da Clínica Bella", "a Dra. Ana").
//
// A text has variables in braces ({paciente}) and gendered choices for the patient in the form
// {feminino|masculino|neutro}: "Ter você como {nossa paciente|nosso paciente|parte da nossa história}…"
// renders by patients.gender ('F', 'M'; 'Outro' and unknown take the neutral). Pure.

import { clinicAfterDe, clinicAsObject, formatDateBr, professionalReference, type PatientGender, type ProfessionalGender } from './nps';
import { firstName } from './payment-message';

export const SURVEY_TEXT_KINDS = ['question', 'reminder', 'thanks', 'apology', 'feedback', 'review'] as const;
export type SurveyTextKind = (typeof SURVEY_TEXT_KINDS)[number];
export type SurveyTexts = Partial<Record<SurveyTextKind, string>>;

export const SURVEY_TEXT_MAX_LENGTH = 1000;

/** The variables every text may use, with their pt-BR meaning for the editor. */
export const SURVEY_TEXT_VARIABLES: Readonly<Record<string, string>> = {
  paciente: 'primeiro nome do paciente',
  clinica: 'nome da clínica',
  a_clinica: 'a clínica com artigo ("a Clínica Bella")',
  da_clinica: '"da Clínica Bella", "do Instituto Pele"',
  procedimento: 'procedimento realizado',
  profissional: 'profissional com artigo ("a Dra. Ana")',
  link: 'link assinado da página (pesquisa, formulário ou avaliação)',
  cupom: 'código do cupom',
  desconto: 'desconto do cupom ("15%" ou "R$ 50,00")',
  validade: 'último dia de validade do cupom (dd/mm/aaaa)',
};

/** Which variables each text may use, and which it must use (a coupon never announced, a form never linked). */
export const SURVEY_TEXT_RULES: Readonly<Record<SurveyTextKind, { label: string; allowed: readonly string[]; required: readonly string[] }>> = {
  question: { label: 'Pergunta da pesquisa', allowed: ['paciente', 'clinica', 'a_clinica', 'da_clinica', 'procedimento', 'profissional', 'link'], required: [] },
  reminder: { label: 'Lembrete da pesquisa', allowed: ['paciente', 'clinica', 'a_clinica', 'da_clinica', 'procedimento', 'profissional', 'link'], required: [] },
  thanks: { label: 'Agradecimento', allowed: ['paciente', 'clinica', 'a_clinica', 'da_clinica', 'procedimento', 'profissional'], required: [] },
  apology: { label: 'Desculpas ao detrator (com cupom)', allowed: ['paciente', 'clinica', 'a_clinica', 'da_clinica', 'procedimento', 'profissional', 'cupom', 'desconto', 'validade'], required: ['cupom'] },
  feedback: { label: 'Convite ao formulário (neutros)', allowed: ['paciente', 'clinica', 'a_clinica', 'da_clinica', 'procedimento', 'profissional', 'link'], required: ['link'] },
  review: { label: 'Pedido de avaliação (promotores)', allowed: ['paciente', 'clinica', 'a_clinica', 'da_clinica', 'procedimento', 'profissional', 'link'], required: ['link'] },
};

/**
 * The defaults of domain/nps.ts written in this template language, for the editor to start from. They
 * render to the same text as the code defaults for a clinic whose name takes an article (tested).
 */
export const DEFAULT_SURVEY_TEXTS: Readonly<Record<SurveyTextKind, string>> = {
  question:
    'Olá, {paciente}! Aqui é {da_clinica}. De 0 a 10, quanto você recomendaria {a_clinica} a amigos e familiares, pensando no seu atendimento de {procedimento} com {profissional}?\n\n' +
    'Responda só com o número (0 = nada provável, 10 = com certeza). Se preferir, responda por aqui: {link}',
  reminder:
    'Olá, {paciente}! Ainda dá tempo de responder nossa pesquisa rápida: de 0 a 10, quanto você recomendaria {a_clinica} a amigos e familiares, pensando no seu atendimento de {procedimento} com {profissional}? Basta responder com um número. {link}',
  thanks: 'Agradecemos sua resposta! {Ter você como nossa paciente|Ter você como nosso paciente|Cuidar de você} é muito importante para nós.',
  apology:
    'Sentimos muito que sua experiência não tenha sido como você esperava. Sua opinião foi registrada e vai nos ajudar a melhorar.\n\n' +
    'Como pedido de desculpas, queremos oferecer um cupom de {desconto} de desconto no seu próximo atendimento: *{cupom}* (válido até {validade}).',
  feedback: 'Agradecemos sua nota! Queremos chegar ao 10 com você: conta pra gente, neste formulário rápido, o que podemos melhorar? {link}',
  review:
    'Que alegria saber disso! 😍 Você poderia contar como foi sua experiência com {profissional} numa avaliação pública? Leva menos de um minuto e ajuda outras pessoas a nos conhecerem: {link}',
};

export interface SurveyTextFacts {
  patientName: string;
  patientGender?: PatientGender | null;
  clinicName: string;
  procedureName: string;
  professionalName: string;
  professionalGender?: ProfessionalGender | null;
  link?: string;
  coupon?: { code: string; discountLabel: string; validUntil: string } | null;
}

/** The variables' values for these facts (coupon variables only when there is a coupon). */
export function surveyTextVariables(f: SurveyTextFacts): Record<string, string> {
  const vars: Record<string, string> = {
    paciente: firstName(String(f.patientName ?? '')) || 'paciente',
    clinica: f.clinicName.trim() || 'nossa clínica',
    a_clinica: clinicAsObject(f.clinicName),
    da_clinica: clinicAfterDe(f.clinicName),
    procedimento: f.procedureName.trim() || 'seu procedimento',
    profissional: professionalReference(f.professionalName, f.professionalGender) || 'nossa equipe',
    link: f.link ?? '',
  };
  if (f.coupon) {
    vars.cupom = f.coupon.code;
    vars.desconto = f.coupon.discountLabel;
    vars.validade = formatDateBr(f.coupon.validUntil);
  }
  return vars;
}

// A brace group: a variable name, or 3 gendered alternatives separated by "|" (no braces inside).
const GROUP_RE = /\{([^{}]*)\}/g;

/** The pt-BR problems of a clinic's text (empty when it can be saved). */
export function surveyTextProblems(kind: SurveyTextKind, text: unknown): string[] {
  const rule = SURVEY_TEXT_RULES[kind];
  if (typeof text !== 'string') return [`${rule.label}: informe um texto.`];
  const problems: string[] = [];
  if (!text.trim()) problems.push(`${rule.label}: o texto não pode ficar vazio.`);
  if (text.length > SURVEY_TEXT_MAX_LENGTH) problems.push(`${rule.label}: no máximo ${SURVEY_TEXT_MAX_LENGTH} caracteres.`);
  const used = new Set<string>();
  for (const m of text.matchAll(GROUP_RE)) {
    const inner = m[1]!;
    if (inner.includes('|')) {
      const parts = inner.split('|');
      if (parts.length !== 3) problems.push(`${rule.label}: "{${inner}}" precisa de 3 opções: {feminino|masculino|neutro}.`);
      continue;
    }
    if (!rule.allowed.includes(inner)) {
      problems.push(`${rule.label}: a variável {${inner}} não existe neste texto. Use: ${rule.allowed.map((v) => `{${v}}`).join(', ')}.`);
      continue;
    }
    used.add(inner);
  }
  const stray = text.replace(GROUP_RE, '');
  if (/[{}]/.test(stray)) problems.push(`${rule.label}: há uma chave { ou } sem par.`);
  for (const r of rule.required) if (!used.has(r)) problems.push(`${rule.label}: o texto precisa conter {${r}}.`);
  return [...new Set(problems)];
}

/** The clinic's valid texts from stored settings (an invalid one is dropped: the default is used). */
export function surveyTextsOf(v: unknown): SurveyTexts {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  const out: SurveyTexts = {};
  for (const kind of SURVEY_TEXT_KINDS) {
    const t = (v as Record<string, unknown>)[kind];
    if (typeof t === 'string' && surveyTextProblems(kind, t).length === 0) out[kind] = t;
  }
  return out;
}

/** Renders a clinic's text: gendered choices by the patient's gender, then the variables. */
export function renderSurveyText(text: string, f: SurveyTextFacts): string {
  const vars = surveyTextVariables(f);
  const pick = f.patientGender === 'F' ? 0 : f.patientGender === 'M' ? 1 : 2;
  return text.replace(GROUP_RE, (whole, inner: string) => {
    if (inner.includes('|')) return inner.split('|')[pick] ?? whole;
    return inner in vars ? vars[inner]! : whole;
  });
}
