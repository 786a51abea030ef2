// Formatting clinic facts for patients (money, dates, hours, durations) and answering their questions
// from ClinicKnowledge only: nothing is invented (no price that is not priceCents, no promise of results).
import { formatBrl } from '../money';
import { formatPhone } from '../phone';
import type { ClinicKnowledge, KnownProcedure, MessageAnalysis, Qualification } from './types';
import { localOf } from './dates';

/** Centavos → "R$ 1.234,56". */
export const formatMoney = (cents: number): string => formatBrl(Math.round(cents));

export const WEEKDAY_ABBR = ['dom', 'seg', 'ter', 'qua', 'qui', 'sex', 'sáb'];
const WEEKDAY_FULL = ['domingo', 'segunda-feira', 'terça-feira', 'quarta-feira', 'quinta-feira', 'sexta-feira', 'sábado'];
const pad = (n: number) => String(n).padStart(2, '0');

/** ISO instant → "ter 14/07 às 10:00" in the clinic's zone (Intl). */
export function formatSlotDate(iso: string, timeZone: string): string {
  const l = localOf(iso, timeZone);
  if (!l) return '';
  return `${WEEKDAY_ABBR[l.weekday]} ${l.date.slice(8, 10)}/${l.date.slice(5, 7)} às ${pad(Math.floor(l.minute / 60))}:${pad(l.minute % 60)}`;
}

/** ISO instant → "14/07 às 10:30" in the clinic's zone: how long a deposit link holds the slot. */
export function formatDeadline(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('pt-BR', { timeZone, day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('day')}/${get('month')} às ${get('hour')}:${get('minute')}`;
}

/** 'YYYY-MM-DD' → "sexta-feira, 14/07". */
export function formatLocalDate(date: string): string {
  const wd = new Date(`${date}T12:00:00Z`).getUTCDay();
  if (!Number.isFinite(wd)) return date;
  return `${WEEKDAY_FULL[wd]}, ${date.slice(8, 10)}/${date.slice(5, 7)}`;
}

/** 30 → "30 min", 60 → "1 h", 90 → "1 h 30 min". */
export function formatDuration(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  const h = Math.floor(m / 60);
  const r = m % 60;
  if (h === 0) return `${r} min`;
  return r === 0 ? `${h} h` : `${h} h ${r} min`;
}

/** "seg a sex 09:00–18:00, sáb 09:00–13:00"; null when no day has hours. */
export function formatOpeningHours(hours: ClinicKnowledge['openingHours'] | null | undefined): string | null {
  const order = [1, 2, 3, 4, 5, 6, 0];
  const text = (d: number) => (Array.isArray(hours?.[d]) ? hours![d] : []).map((i) => String(i).replace('-', '–')).join(' e ');
  const groups: { from: number; to: number; hours: string }[] = [];
  for (const d of order) {
    const h = text(d);
    const last = groups[groups.length - 1];
    if (h && last && last.hours === h && order.indexOf(last.to) === order.indexOf(d) - 1) last.to = d;
    else if (h) groups.push({ from: d, to: d, hours: h });
  }
  if (groups.length === 0) return null;
  return groups
    .map((g) => {
      const span = g.from === g.to ? WEEKDAY_ABBR[g.from]
        : order.indexOf(g.to) - order.indexOf(g.from) === 1 ? `${WEEKDAY_ABBR[g.from]} e ${WEEKDAY_ABBR[g.to]}`
        : `${WEEKDAY_ABBR[g.from]} a ${WEEKDAY_ABBR[g.to]}`;
      return `${span} ${g.hours}`;
    })
    .join(', ');
}

/** "Botox, Limpeza de pele e Peeling" (up to `max`, "e outros" when cut). */
export function listNames(procs: KnownProcedure[], max = 5): string {
  const names = procs.map((p) => p.name).filter(Boolean);
  if (names.length === 0) return '';
  const shown = names.slice(0, max);
  const more = names.length > max;
  if (shown.length === 1) return more ? `${shown[0]} e outros` : shown[0];
  return more ? `${shown.join(', ')} e outros` : `${shown.slice(0, -1).join(', ')} e ${shown[shown.length - 1]}`;
}

export const RESULTS_DISCLAIMER = 'Os resultados variam de pessoa para pessoa; a avaliação é feita pela profissional.';

function priceLine(p: KnownProcedure): string {
  return p.priceCents != null && Number.isFinite(p.priceCents) && p.priceCents >= 0
    ? `${p.name} custa ${formatMoney(p.priceCents)}.`
    : `O valor de ${p.name} depende de avaliação; a equipe informa.`;
}

/**
 * Answers (pt-BR, one line per topic, topics deduplicated) from clinic data only; null when nothing
 * was asked. The procedure of a question is its procedureId, else the one the lead asked about.
 */
export function answerQuestions(questions: MessageAnalysis['questions'], k: ClinicKnowledge, q: Qualification): string | null {
  if (!Array.isArray(questions) || questions.length === 0) return null;
  const procs = Array.isArray(k?.procedures) ? k.procedures : [];
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const question of questions) {
    const key = `${question.topic}:${question.procedureId ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pid = question.procedureId ?? q?.procedure?.id ?? null;
    const proc = pid ? procs.find((p) => p.id === pid) ?? null : null;
    const notOffered = !proc && q?.procedure && !q.procedure.id ? q.procedure.name : null;
    switch (question.topic) {
      case 'price': {
        if (proc) lines.push(priceLine(proc));
        else if (notOffered) lines.push(`Não realizamos ${notOffered} aqui na ${k.clinicName}.`);
        else {
          const priced = procs.filter((p) => p.priceCents != null && Number.isFinite(p.priceCents)).slice(0, 5);
          lines.push(priced.length > 0
            ? `Alguns valores: ${priced.map((p) => `${p.name} ${formatMoney(p.priceCents!)}`).join('; ')}. Qual procedimento te interessa?`
            : 'Os valores dependem de avaliação; a equipe informa. Qual procedimento te interessa?');
        }
        break;
      }
      case 'address':
        if (k?.address) lines.push(`Estamos em ${k.address}.${k.mapsUrl ? ` Mapa: ${k.mapsUrl}` : ''}`);
        else lines.push('Vou pedir para a equipe te enviar o endereço certinho.');
        break;
      case 'hours': {
        const h = formatOpeningHours(k?.openingHours);
        lines.push(h ? `Nosso horário de atendimento: ${h}.` : 'Vou pedir para a equipe confirmar os horários de atendimento.');
        break;
      }
      case 'procedure_details':
        if (proc) {
          const desc = proc.description?.trim();
          lines.push(`${desc ? `${proc.name}: ${desc.replace(/\s*\.?$/, '.')}` : `Sobre ${proc.name}: a profissional explica tudo na avaliação.`} A sessão dura cerca de ${formatDuration(proc.durationMinutes)}. ${RESULTS_DISCLAIMER}`);
        } else if (notOffered) lines.push(`Não realizamos ${notOffered} aqui na ${k.clinicName}.`);
        else lines.push(`Me conta qual procedimento te interessa que eu explico. ${RESULTS_DISCLAIMER}`);
        break;
      case 'duration':
        if (proc) lines.push(`A sessão de ${proc.name} dura cerca de ${formatDuration(proc.durationMinutes)}.`);
        else lines.push('A duração depende do procedimento. Qual te interessa?');
        break;
      case 'procedures_list':
        lines.push(procs.length > 0 ? `Fazemos: ${listNames(procs, 12)}.` : 'Vou pedir para a equipe te passar a lista de procedimentos.');
        break;
      case 'payment_methods':
        lines.push('Aceitamos cartão (crédito/débito) e Pix; as condições de parcelamento a equipe confirma para o seu caso.');
        break;
    }
  }
  return lines.length > 0 ? lines.join('\n') : null;
}

export const formatContactPhone = (e164: string): string => {
  const m = /^\+55(\d{2})(\d{4,5})(\d{4})$/.exec(e164);
  return m ? `+55 ${m[1]} ${m[2]}-${m[3]}` : formatPhone(e164);
};
