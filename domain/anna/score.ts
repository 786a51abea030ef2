// The lead score: pure, explained, integer 0..100; the factors' points sum (clamped) to the score.
//
// | factor      | rule                                                                   | points          |
// |-------------|------------------------------------------------------------------------|-----------------|
// | procedure   | offered by the clinic / named but not offered / not said               | +25 / +5 / 0    |
// | interest    | sim / talvez / not said                                                | +20 / +8 / 0    |
// | negative    | interest 'nao' (no interest in booking)                                | −40             |
// | urgency     | preferredDate (or interestWhen) within 7 days / 30 days / later / none | +15 / +8 / +2 / 0 |
// | date_fit    | preferred date is a day the clinic opens (openingHours) / closed /     | +5 / 0 / 0      |
// |             | no slot that day (slotsOnPreferredDate = 0)                            |                 |
// | time        | preferredPeriod or preferredTime given                                 | +5              |
// | engagement  | ≥ 3 patient messages (+5); median reply < 10 min (+5)                  | 0..+10          |
// | sentiment   | round(meanSentiment × 10)                                              | −10..+10        |
// | phone       | WhatsApp number confirmed, or another valid number given               | +5              |
// score = clamp(Σ points, 0, 100). Every factor is listed (with 0 points when it did not count) so staff see why.
import type { ClinicKnowledge, Engagement, LeadScore, Qualification, ScoreFactor } from './types';
import { daysBetween, localToday, whenDaysAhead } from './dates';
import { weekdayOf, isLocalDate } from '../timezone';

export function scoreLead(q: Qualification, e: Engagement, k: ClinicKnowledge, now: string): LeadScore {
  const f: ScoreFactor[] = [];
  const add = (key: ScoreFactor['key'], label: string, points: number) => f.push({ key, label, points: Object.is(points, -0) ? 0 : points });
  const procs = Array.isArray(k?.procedures) ? k.procedures : [];

  if (q?.procedure?.id && procs.some((p) => p.id === q.procedure!.id)) add('procedure', `Procedimento oferecido pela clínica: ${q.procedure.name}`, 25);
  else if (q?.procedure?.id) add('procedure', `Procedimento informado: ${q.procedure.name}`, 25);
  else if (q?.procedure) add('procedure', `Procedimento não oferecido pela clínica: ${q.procedure.name}`, 5);
  else add('procedure', 'Procedimento ainda não informado', 0);

  if (q?.interest === 'sim') add('interest', 'Quer agendar', 20);
  else if (q?.interest === 'talvez') add('interest', 'Talvez queira agendar', 8);
  else if (q?.interest === 'nao') add('negative', 'Sem interesse em agendar', -40);
  else add('interest', 'Interesse ainda não informado', 0);

  const today = localToday(now, k?.timeZone ?? 'America/Sao_Paulo');
  let days: number | null = null;
  let source = '';
  if (today && q?.preferredDate && isLocalDate(q.preferredDate)) { days = daysBetween(today, q.preferredDate); source = 'data preferida'; }
  else if (today && q?.interestWhen) { days = whenDaysAhead(q.interestWhen, today); source = `“${q.interestWhen}”`; }
  if (days === null) add('urgency', 'Sem data definida', 0);
  else if (days < 0) add('urgency', `Data preferida já passou (${source})`, 0);
  else if (days <= 7) add('urgency', `Quer em até 7 dias (${source})`, 15);
  else if (days <= 30) add('urgency', `Quer em até 30 dias (${source})`, 8);
  else add('urgency', `Quer para daqui a mais de 30 dias (${source})`, 2);

  if (q?.preferredDate && isLocalDate(q.preferredDate)) {
    const open = (k?.openingHours?.[weekdayOf(q.preferredDate)] ?? []).length > 0;
    if (!open) add('date_fit', 'A clínica não atende no dia preferido', 0);
    else if (e?.slotsOnPreferredDate === 0) add('date_fit', 'Sem horários livres no dia preferido', 0);
    else add('date_fit', 'A clínica atende no dia preferido', 5);
  } else add('date_fit', 'Dia preferido ainda não informado', 0);

  if (q?.preferredTime || q?.preferredPeriod) add('time', 'Informou o horário/período preferido', 5);
  else add('time', 'Horário preferido ainda não informado', 0);

  const msgs = Number.isFinite(e?.patientMessages) ? e.patientMessages : 0;
  const fast = e?.medianReplySeconds != null && Number.isFinite(e.medianReplySeconds) && e.medianReplySeconds < 600;
  const eng = (msgs >= 3 ? 5 : 0) + (fast ? 5 : 0);
  const parts = [msgs >= 3 ? `${msgs} mensagens` : `${msgs} ${msgs === 1 ? 'mensagem' : 'mensagens'} (menos de 3)`, fast ? 'responde rápido (< 10 min)' : e?.medianReplySeconds == null ? 'tempo de resposta ainda desconhecido' : 'responde devagar (≥ 10 min)'];
  add('engagement', `Engajamento: ${parts.join(', ')}`, eng);

  const ms = Number.isFinite(e?.meanSentiment) ? Math.max(-1, Math.min(1, e.meanSentiment)) : 0;
  const sp = Math.round(ms * 10);
  add('sentiment', sp > 0 ? 'Tom positivo nas mensagens' : sp < 0 ? 'Tom negativo nas mensagens' : 'Tom neutro nas mensagens', sp);

  if (q?.phoneConfirmed === true) add('phone', 'Confirmou o número do WhatsApp para contato', 5);
  else if (q?.otherPhone) add('phone', 'Informou outro número para contato', 5);
  else add('phone', 'Contato ainda não confirmado', 0);

  const sum = f.reduce((a, x) => a + x.points, 0);
  return { score: Math.max(0, Math.min(100, Math.round(sum))), factors: f };
}
