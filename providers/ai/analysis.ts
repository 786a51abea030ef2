// The structured answer asked of the model for one patient message: a strict JSON schema mirroring
// MessageAnalysis (sent as response_format), the zod check of what comes back, and the sanitizing that
// keeps only what the clinic's data allows (known procedure ids, real dates, offered slots).
import { z } from 'zod';
import type { AnalysisContext, MessageAnalysis, QuestionTopic, Qualification } from '../../domain/anna/types';
import { areaCodeOf, normalizePhone } from '../../domain/phone';
import { isLocalDate } from '../../domain/timezone';
import { fold } from './guardrails';

export const INTENTS = [
  'greeting', 'answer', 'question', 'choose_slot', 'other_slots', 'affirm', 'deny', 'human', 'stop', 'spam', 'insult', 'unknown',
] as const satisfies readonly MessageAnalysis['intent'][];

export const TOPICS = [
  'price', 'address', 'hours', 'procedure_details', 'procedures_list', 'payment_methods', 'duration',
] as const satisfies readonly QuestionTopic[];

const nullable = (schema: Record<string, unknown>, description?: string) => ({
  ...schema,
  type: [schema.type as string, 'null'],
  ...(Array.isArray(schema.enum) ? { enum: [...(schema.enum as unknown[]), null] } : {}),
  ...(description ? { description } : {}),
});

/**
 * JSON schema for structured outputs (strict: every key required, no extra keys; "not said" is null).
 * The procedure id is an enum of the clinic's ids, so the model can only pick one of them or null.
 */
export function analysisJsonSchema(ctx: AnalysisContext): Record<string, unknown> {
  const ids = ctx.knowledge.procedures.map((p) => p.id);
  const procedureId = ids.length > 0 ? nullable({ type: 'string', enum: ids }, 'id da lista de procedimentos da clínica, ou null se não estiver nela') : { type: 'null' };
  return {
    type: 'object',
    additionalProperties: false,
    required: ['extracted', 'intent', 'slotChoice', 'questions', 'sentiment', 'empty'],
    properties: {
      extracted: {
        type: 'object',
        additionalProperties: false,
        required: ['procedure', 'interest', 'interestWhen', 'preferredDate', 'preferredPeriod', 'preferredTime', 'phoneConfirmed', 'otherPhone', 'name'],
        properties: {
          procedure: {
            anyOf: [
              {
                type: 'object',
                additionalProperties: false,
                required: ['id', 'name'],
                properties: { id: procedureId, name: { type: 'string', description: 'o procedimento como o paciente o chamou' } },
              },
              { type: 'null' },
            ],
          },
          interest: nullable({ type: 'string', enum: ['sim', 'nao', 'talvez'] }),
          interestWhen: nullable({ type: 'string' }, 'quando pretende fazer, em poucas palavras ("semana que vem")'),
          preferredDate: nullable({ type: 'string' }, 'data preferida YYYY-MM-DD no fuso da clínica'),
          preferredPeriod: nullable({ type: 'string', enum: ['manha', 'tarde', 'noite'] }),
          preferredTime: nullable({ type: 'string' }, 'horário preferido HH:MM (24 h)'),
          phoneConfirmed: nullable({ type: 'boolean' }),
          otherPhone: nullable({ type: 'string' }, 'outro telefone de contato informado'),
          name: nullable({ type: 'string' }, 'nome completo informado pelo paciente'),
        },
      },
      intent: { type: 'string', enum: [...INTENTS] },
      slotChoice: nullable({ type: 'integer' }, 'número (1, 2, 3…) do horário oferecido escolhido'),
      questions: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['topic', 'procedureId'],
          properties: { topic: { type: 'string', enum: [...TOPICS] }, procedureId },
        },
      },
      sentiment: { type: 'number', description: 'de -1 (muito negativo) a 1 (muito positivo)' },
      empty: { type: 'boolean', description: 'true quando a mensagem é só mídia, emoji ou vazia' },
    },
  };
}

/** What the model must return (all keys present; ids and dates checked afterwards by `sanitizeAnalysis`). */
export const modelAnalysisSchema = z.object({
  extracted: z.object({
    procedure: z.object({ id: z.string().nullable(), name: z.string() }).nullable(),
    interest: z.enum(['sim', 'nao', 'talvez']).nullable(),
    interestWhen: z.string().nullable(),
    preferredDate: z.string().nullable(),
    preferredPeriod: z.enum(['manha', 'tarde', 'noite']).nullable(),
    preferredTime: z.string().nullable(),
    phoneConfirmed: z.boolean().nullable(),
    otherPhone: z.string().nullable(),
    name: z.string().nullable(),
  }),
  intent: z.enum(INTENTS),
  slotChoice: z.number().nullable(),
  questions: z.array(z.object({ topic: z.enum(TOPICS), procedureId: z.string().nullable() })),
  sentiment: z.number(),
  empty: z.boolean(),
});

export type ModelAnalysis = z.infer<typeof modelAnalysisSchema>;

const clean = (s: string | null, max: number) => {
  const t = s?.replace(/\s+/g, ' ').trim() ?? '';
  return t ? t.slice(0, max) : null;
};

/**
 * Keeps only what the clinic's data allows: a procedure id the clinic has (else id null, or the
 * matching procedure when the name is exactly one of the clinic's), a real YYYY-MM-DD, HH:MM, a
 * Brazilian phone, a slot number among the offered ones, questions about known procedures, and a
 * sentiment in -1…1 (two decimals, as stored).
 */
export function sanitizeAnalysis(raw: ModelAnalysis, ctx: AnalysisContext): MessageAnalysis {
  const { procedures } = ctx.knowledge;
  const byId = new Map(procedures.map((p) => [p.id, p]));
  const extracted: Partial<Qualification> = {};
  const x = raw.extracted;

  if (x.procedure) {
    const name = clean(x.procedure.name, 120);
    const known = (x.procedure.id && byId.get(x.procedure.id)) || (name ? procedures.find((p) => fold(p.name) === fold(name)) : undefined);
    if (known) extracted.procedure = { id: known.id, name: known.name };
    else if (name) extracted.procedure = { id: null, name };
  }
  if (x.interest) extracted.interest = x.interest;
  const when = clean(x.interestWhen, 100);
  if (when) extracted.interestWhen = when;
  if (x.preferredDate && isLocalDate(x.preferredDate.trim())) extracted.preferredDate = x.preferredDate.trim();
  if (x.preferredPeriod) extracted.preferredPeriod = x.preferredPeriod;
  const time = x.preferredTime ? /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(x.preferredTime.trim()) : null;
  if (time) extracted.preferredTime = `${time[1].padStart(2, '0')}:${time[2]}`;
  if (x.phoneConfirmed !== null) extracted.phoneConfirmed = x.phoneConfirmed;
  if (x.otherPhone) {
    const clinicPhone = ctx.knowledge.phone ? normalizePhone(ctx.knowledge.phone) : null;
    const phone = normalizePhone(x.otherPhone, { defaultAreaCode: (clinicPhone && areaCodeOf(clinicPhone)) || undefined });
    if (phone) {
      extracted.otherPhone = phone;
      if (extracted.phoneConfirmed === undefined) extracted.phoneConfirmed = false;
    }
  }
  const name = clean(x.name, 120);
  if (name && /\p{L}/u.test(name) && !/\d/.test(name)) extracted.name = name;

  const n = ctx.offeredSlots.length;
  const slotChoice = raw.slotChoice !== null && Number.isInteger(raw.slotChoice) && raw.slotChoice >= 1 && raw.slotChoice <= n ? raw.slotChoice : null;
  let intent: MessageAnalysis['intent'] = raw.intent;
  if (intent === 'choose_slot' && slotChoice === null) intent = 'unknown';

  const seen = new Set<string>();
  const questions: MessageAnalysis['questions'] = [];
  for (const q of raw.questions) {
    const procedureId = q.procedureId && byId.has(q.procedureId) ? q.procedureId : null;
    const key = `${q.topic}:${procedureId ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    questions.push({ topic: q.topic, procedureId });
    if (questions.length >= 10) break;
  }

  const s = Number.isFinite(raw.sentiment) ? Math.min(1, Math.max(-1, raw.sentiment)) : 0;
  const sentiment = Math.round(s * 100) / 100 || 0;

  return { extracted, intent, slotChoice, questions, sentiment, empty: raw.empty };
}
