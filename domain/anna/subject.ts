// Does a patient with an open appointment start a new subject for Anna? "1"/"sim"/"cancelar" answer the
// reminder; a message that names a procedure, asks about prices/address/hours or asks for a person is
// Anna's. Pure: the local engine's reading of the message, with the clinic's procedure names only.
import { interpretReply } from '../reply-intent';
import { analyzeMessage } from './engine';
import { emptyQualification, type ClinicKnowledge, type KnownProcedure } from './types';

export interface SubjectProcedure {
  id: string;
  name: string;
  category: KnownProcedure['category'];
  durationMinutes: number;
}

/** `now` (ISO): when the message arrived, for the engine's reading of dates. */
export function startsNewSubject(text: string, procedures: SubjectProcedure[], now: string): boolean {
  if (interpretReply(text) !== 'unknown') return false;
  const knowledge: ClinicKnowledge = {
    clinicId: '', clinicName: '', timeZone: 'America/Sao_Paulo', address: null, mapsUrl: null, openingHours: {}, phone: null,
    procedures: procedures.map((p) => ({ ...p, priceCents: null, depositCents: 0, description: null })),
  };
  const a = analyzeMessage(text, {
    now, stage: 'qualifying', lastQuestion: null, knowledge, offeredSlots: [], known: emptyQualification(),
  });
  return Boolean(a.extracted.procedure) || a.questions.length > 0 || a.intent === 'human';
}
