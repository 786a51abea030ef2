// A clinic's knowledge and an analysis context for Anna's AI tests.
import { emptyQualification, type AnalysisContext, type ClinicKnowledge } from '../../domain/anna/types';

export const TOXINA = '3f0b7c52-9d1e-4a57-8a0e-0d5a3c1f2b11';
export const LIMPEZA = '7c2d1e40-5b6a-4f3e-9c8d-1a2b3c4d5e6f';
export const LASER = 'a1b2c3d4-e5f6-4789-8abc-def012345678';

export function knowledge(clinicId: string): ClinicKnowledge {
  return {
    clinicId,
    clinicName: 'Clínica Bella Pele',
    timeZone: 'America/Sao_Paulo',
    procedures: [
      { id: TOXINA, name: 'Toxina botulínica', category: 'facial', durationMinutes: 30, priceCents: 120000, depositCents: 30000, description: 'Suaviza linhas de expressão.' },
      { id: LIMPEZA, name: 'Limpeza de pele', category: 'facial', durationMinutes: 60, priceCents: 25000, depositCents: 0, description: null },
      { id: LASER, name: 'Depilação a laser definitiva', category: 'corporal', durationMinutes: 45, priceCents: null, depositCents: 0, description: null },
    ],
    address: 'Av. Paulista, 1000, sala 12, Bela Vista, São Paulo/SP',
    mapsUrl: 'https://maps.example.com/bella',
    openingHours: { 0: [], 1: ['09:00-18:00'], 2: ['09:00-18:00'], 3: ['09:00-18:00'], 4: ['09:00-18:00'], 5: ['09:00-18:00'], 6: ['09:00-13:00'] },
    phone: '+551133334444',
  };
}

export function context(clinicId: string, over: Partial<AnalysisContext> = {}): AnalysisContext {
  return {
    now: '2026-11-29T13:00:00.000Z', // domingo, 10:00 em São Paulo
    stage: 'qualifying',
    lastQuestion: 'procedure',
    knowledge: knowledge(clinicId),
    offeredSlots: [],
    known: emptyQualification(),
    ...over,
  };
}

export const slots = [
  { professionalId: 'p1', professionalName: 'Dra. Ana', startsAt: '2026-12-01T13:00:00.000Z', label: 'ter 01/12 às 10:00 com Dra. Ana' },
  { professionalId: 'p1', professionalName: 'Dra. Ana', startsAt: '2026-12-01T17:00:00.000Z', label: 'ter 01/12 às 14:00 com Dra. Ana' },
  { professionalId: 'p2', professionalName: 'Dr. Caio', startsAt: '2026-12-02T12:00:00.000Z', label: 'qua 02/12 às 09:00 com Dr. Caio' },
];
